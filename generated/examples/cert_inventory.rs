//! Certificate inventory across appliances: for each appliance, all at
//! once, every certificate-key pair with its expiry and where it is bound
//! (SSL virtual servers, services), printed as JSON.
//!
//! Hand-written (the backend leaves files without its `@generated` marker
//! alone). The appliances are the URLs of `NS_APPLIANCES` (separated by
//! spaces) or the one `NS_URL`; all share `NS_USER`, `NS_PASSWORD` and
//! `NS_CA_FILE` / `NS_INSECURE` (see `netscaler::runtime::env`). A missing
//! variable ends it with an error naming the variable, exit status 2:
//!
//! ```text
//! NS_APPLIANCES="https://adc1.example.net https://adc2.example.net" \
//!     NS_USER=nsroot NS_PASSWORD=... \
//!     cargo run -p netscaler --example cert_inventory --features ssl -- --expires-within 30
//! ```
//!
//! With `--expires-within DAYS` it also lists, on standard error, every
//! certificate that expires within that many days (or has expired) and
//! ends with exit status 3 when there is one: a check for cron or CI.
//! Certificates whose days to expiry the appliance did not report are
//! not counted.
//!
//! `tests/tests/e2e/examples.rs` runs [`inventory`] against two local NITRO
//! test servers and one address where nothing listens, and [`clients`]
//! with variables missing.

use netscaler::adc::ssl::{Sslcertkey, SslcertkeyBinding};
use netscaler::runtime::env::NS_URL;
use netscaler::{Client, ClientBuilder};
use serde_json::{json, Value};

/// One certificate-key pair of one appliance.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Certificate {
    pub certkey: String,
    /// As the appliance counts them (sent as a number or a string).
    pub days_to_expiration: Option<i64>,
    /// The certificate's "not after" date, as the appliance writes it.
    pub not_after: Option<String>,
    /// SSL virtual servers it is bound to.
    pub vservers: Vec<String>,
    /// Services it is bound to.
    pub services: Vec<String>,
}

impl Certificate {
    pub fn to_json(&self) -> Value {
        json!({
            "certkey": self.certkey,
            "days_to_expiration": self.days_to_expiration,
            "not_after": self.not_after,
            "vservers": self.vservers,
            "services": self.services,
        })
    }
}

/// The certificates of one appliance, or why they could not be read.
#[derive(Debug)]
pub struct ApplianceInventory {
    pub appliance: String,
    pub certificates: netscaler::Result<Vec<Certificate>>,
}

impl ApplianceInventory {
    pub fn to_json(&self) -> Value {
        match &self.certificates {
            Ok(certificates) => json!({
                "appliance": self.appliance,
                "certificates": certificates.iter().map(Certificate::to_json).collect::<Vec<_>>(),
            }),
            Err(error) => json!({"appliance": self.appliance, "error": error.to_string()}),
        }
    }
}

/// Every certificate-key pair of the appliance behind `client`, with the
/// virtual servers and services it is bound to (one `sslcertkey_binding`
/// request per pair). Logs in and out.
pub async fn certificates(client: &Client) -> netscaler::Result<Vec<Certificate>> {
    client.login().await?;
    let mut certificates = Vec::new();
    for certkey in client.send(Sslcertkey::get_all()).await? {
        let Some(name) = certkey.certkey else { continue };
        let mut certificate = Certificate {
            certkey: name.clone(),
            days_to_expiration: certkey.daystoexpiration,
            not_after: certkey.clientcertnotafter,
            ..Certificate::default()
        };
        for bindings in client.send(SslcertkeyBinding::get(&name)).await? {
            for row in bindings.sslcertkey_sslvserver_binding.unwrap_or_default() {
                certificate.vservers.extend(row.servername.or(row.vservername));
            }
            for row in bindings.sslcertkey_service_binding.unwrap_or_default() {
                certificate.services.extend(row.servicename);
            }
        }
        certificates.push(certificate);
    }
    client.logout().await?;
    Ok(certificates)
}

/// The inventory of every appliance, read at the same time (one task
/// each), in the order given. An appliance that fails is reported with its
/// error; the others are still read.
pub async fn inventory(appliances: Vec<(String, Client)>) -> Vec<ApplianceInventory> {
    let names: Vec<String> = appliances.iter().map(|(name, _)| name.clone()).collect();
    let mut tasks = tokio::task::JoinSet::new();
    for (position, (_, client)) in appliances.into_iter().enumerate() {
        tasks.spawn(async move { (position, certificates(&client).await) });
    }
    let mut results: Vec<Option<netscaler::Result<Vec<Certificate>>>> = names.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        if let Ok((position, result)) = joined {
            results[position] = Some(result);
        }
    }
    names
        .into_iter()
        .zip(results)
        .map(|(appliance, result)| ApplianceInventory {
            appliance,
            certificates: result.unwrap_or_else(|| Err(netscaler::Error::InvalidRequest("the task reading it failed".into()))),
        })
        .collect()
}

/// The certificates of `report` that expire within `days` days (the
/// appliance's `daystoexpiration` at most `days`, expired ones included):
/// (appliance, certkey, days left).
pub fn expiring(report: &[ApplianceInventory], days: i64) -> Vec<(String, String, i64)> {
    let mut found = Vec::new();
    for appliance in report {
        for certificate in appliance.certificates.iter().flatten() {
            if let Some(left) = certificate.days_to_expiration.filter(|left| *left <= days) {
                found.push((appliance.appliance.clone(), certificate.certkey.clone(), left));
            }
        }
    }
    found
}

/// Reads `--expires-within DAYS` (the only flag; without arguments, no
/// threshold).
pub fn threshold(args: impl IntoIterator<Item = String>) -> Result<Option<i64>, String> {
    let mut args = args.into_iter();
    match (args.next().as_deref(), args.next(), args.next()) {
        (None, _, _) => Ok(None),
        (Some("--expires-within"), Some(days), None) => {
            days.parse().map(Some).map_err(|_| format!("--expires-within needs a number of days, not {days:?}"))
        }
        _ => Err("usage: cert_inventory [--expires-within DAYS]".into()),
    }
}

/// Variable holding the appliances' URLs, separated by spaces.
pub const NS_APPLIANCES: &str = "NS_APPLIANCES";

/// One client per appliance of `NS_APPLIANCES` (or the one `NS_URL`),
/// configured from the variables `var` reads (`None`: not set). Fails,
/// naming the variable, when one is missing.
pub fn clients(var: impl Fn(&str) -> Option<String>) -> netscaler::Result<Vec<(String, Client)>> {
    let urls: Vec<String> = match var(NS_APPLIANCES).or_else(|| var(NS_URL)) {
        Some(list) if !list.trim().is_empty() => list.split_whitespace().map(str::to_string).collect(),
        _ => {
            return Err(netscaler::Error::Config(format!(
                "neither {NS_APPLIANCES} nor {NS_URL} is set: set {NS_APPLIANCES} to the appliances' urls, separated by spaces"
            )))
        }
    };
    let mut clients = Vec::new();
    for url in urls {
        // Each appliance: its url as `NS_URL`, the other variables shared.
        let client = ClientBuilder::from_vars(|name| if name == NS_URL { Some(url.clone()) } else { var(name) })?.build()?;
        clients.push((url, client));
    }
    Ok(clients)
}

#[allow(dead_code)] // the test includes this file for `inventory` only
#[tokio::main]
async fn main() {
    let threshold = match threshold(std::env::args().skip(1)) {
        Ok(threshold) => threshold,
        Err(message) => {
            eprintln!("cert_inventory: {message}");
            std::process::exit(2);
        }
    };
    let appliances = match clients(|name| std::env::var(name).ok()) {
        Ok(appliances) => appliances,
        Err(error) => {
            eprintln!("cert_inventory: {error}");
            std::process::exit(2);
        }
    };
    let report = inventory(appliances).await;
    let printed: Vec<Value> = report.iter().map(ApplianceInventory::to_json).collect();
    println!("{}", serde_json::to_string_pretty(&printed).unwrap_or_default());
    // An appliance that could not be read makes the run fail.
    if report.iter().any(|appliance| appliance.certificates.is_err()) {
        std::process::exit(1);
    }
    if let Some(days) = threshold {
        let soon = expiring(&report, days);
        for (appliance, certkey, left) in &soon {
            eprintln!("{appliance}: {certkey} expires in {left} days (threshold {days})");
        }
        if !soon.is_empty() {
            std::process::exit(3);
        }
    }
}
