//! Certificate inventory across appliances: for each appliance, all at
//! once, every certificate-key pair with its expiry and where it is bound
//! (SSL virtual servers, services), printed as JSON.
//!
//! Hand-written (the backend leaves files without its `@generated` marker
//! alone). Run it with
//!
//! ```text
//! NS_APPLIANCES="https://adc1.example.net https://adc2.example.net" \
//!     NS_USER=nsroot NS_PASSWORD=... \
//!     cargo run -p netscaler --example cert_inventory --features ssl
//! ```
//!
//! `tests/tests/examples.rs` runs [`inventory`] against two local NITRO
//! test servers and one address where nothing listens.

use netscaler::adc::ssl::{Sslcertkey, SslcertkeyBinding};
use netscaler::Client;
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

#[allow(dead_code)] // the test includes this file for `inventory` only
#[tokio::main]
async fn main() -> netscaler::Result<()> {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let mut appliances = Vec::new();
    for url in var("NS_APPLIANCES").split_whitespace() {
        let client = Client::builder(url).session(var("NS_USER"), var("NS_PASSWORD")).build()?;
        appliances.push((url.to_string(), client));
    }
    let report: Vec<Value> = inventory(appliances).await.iter().map(ApplianceInventory::to_json).collect();
    println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    Ok(())
}
