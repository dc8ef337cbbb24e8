//! Install or renew a certificate on one NetScaler ADC, idempotently:
//! upload the certificate and key files to `/nsconfig/ssl`, add the
//! certificate-key pair or point it at the new files (`sslcertkey
//! ?action=update`, with `nodomaincheck` when asked), link it to its CA,
//! bind it to the given SSL virtual servers, and save. Each step is done
//! only when the appliance differs; the run reports what it changed, and a
//! second run with the same files changes nothing.
//!
//! The files get names made from the pair's name and a fingerprint of
//! their content (`web-cert-1f0c9a2b3c4d5e6f.crt`), so a renewal never
//! overwrites the files the running pair uses: the update switches the
//! pair to the new files in one step.
//!
//! Safe by default: without `--apply` it changes nothing and prints what
//! it would do; it saves only with `--save` (and `--apply`).
//!
//! ```text
//! NS_URL=https://adc.example.net NS_USER=nsroot NS_PASSWORD=... \
//!     cargo run -p netscaler --example cert_rotate -- \
//!     --certkey web-cert --cert web.crt --key web.key --ca my-ca --vserver web-vs --apply --save
//! ```
//!
//! Hand-written; built on the runtime only (raw requests and
//! `Client::upload_file` / `download_file`), so it needs no resource
//! feature. `tests/tests/e2e/examples.rs` runs [`rotate`] against the local
//! NITRO test server: install, an unchanged second run, a renewal.

use netscaler::runtime::resource::encode_path_key;
use netscaler::runtime::{Client, Method, Request};
use serde_json::{json, Value};

/// Where the appliance keeps certificate files.
pub const SSL_DIRECTORY: &str = "/nsconfig/ssl";

/// What [`rotate`] installs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Name of the certificate-key pair (`sslcertkey`).
    pub certkey: String,
    /// The certificate (PEM) and its key.
    pub cert: Vec<u8>,
    pub key: Vec<u8>,
    /// The CA's certificate-key pair to link to, already on the appliance.
    pub ca: Option<String>,
    /// SSL virtual servers to bind the pair to.
    pub vservers: Vec<String>,
    /// Send `nodomaincheck` with the update (a renewal for other names).
    pub nodomaincheck: bool,
    /// Make the changes (otherwise only report them).
    pub apply: bool,
    /// Save the configuration afterwards, when something changed.
    pub save: bool,
}

/// What [`rotate`] did (or, without `apply`, would do), in order.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    pub changes: Vec<String>,
    pub applied: bool,
    pub saved: bool,
}

/// FNV-1a, 64 bits: names a file by its content (not a security check:
/// the content is compared byte for byte before a file is used).
fn fingerprint(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3));
    format!("{hash:016x}")
}

/// The appliance file name for `bytes` of the pair `certkey`: at most 63
/// bytes, as `systemfile` takes.
pub fn file_name(certkey: &str, bytes: &[u8], extension: &str) -> String {
    let stem: String = certkey.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).take(40).collect();
    format!("{stem}-{}.{extension}", fingerprint(bytes))
}

/// The last path part of a file name the appliance reports (it may give
/// `cert` with or without the directory).
fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Uploads `bytes` as `name` unless the appliance holds that file with
/// the same content; a file of that name with other content is an error.
async fn upload(client: &Client, plan: &Plan, name: &str, bytes: &[u8], report: &mut Report) -> netscaler::Result<()> {
    match client.download_file(SSL_DIRECTORY, name).await {
        Ok(existing) if existing == bytes => return Ok(()),
        Ok(_) => {
            return Err(netscaler::Error::InvalidRequest(format!(
                "{SSL_DIRECTORY}/{name} exists with other content: remove it or rename the pair"
            )))
        }
        Err(error) if error.is_not_found() => {}
        Err(error) => return Err(error),
    }
    if plan.apply {
        client.upload_file(SSL_DIRECTORY, name, bytes).await?;
    }
    report.changes.push(format!("upload {SSL_DIRECTORY}/{name}"));
    Ok(())
}

/// `POST /nitro/v1/config/<resource>[?action=<action>]` of `{resource: body}`.
async fn post(client: &Client, resource: &str, action: Option<&str>, body: Value) -> netscaler::Result<()> {
    let mut request = Request::raw(Method::Post, &format!("/nitro/v1/config/{resource}")).json(&json!({ resource: body }));
    if let Some(action) = action {
        request = request.option("action", action);
    }
    client.send(request).await.map(drop)
}

/// The first item of a `get` by key, or `None` when it does not exist.
async fn get_one(client: &Client, resource: &str, key: &str) -> netscaler::Result<Option<Value>> {
    let path = format!("/nitro/v1/config/{resource}/{}", encode_path_key(key).map_err(netscaler::Error::InvalidRequest)?);
    match client.send(Request::raw(Method::Get, &path)).await {
        Ok(answer) => Ok(match answer.get(resource) {
            Some(Value::Array(items)) => items.first().cloned(),
            other => other.cloned(),
        }),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error),
    }
}

/// Installs or renews the plan's certificate; see the module docs.
pub async fn rotate(client: &Client, plan: &Plan) -> netscaler::Result<Report> {
    let mut report = Report { applied: plan.apply, ..Report::default() };
    let cert_file = file_name(&plan.certkey, &plan.cert, "crt");
    let key_file = file_name(&plan.certkey, &plan.key, "key");
    upload(client, plan, &cert_file, &plan.cert, &mut report).await?;
    upload(client, plan, &key_file, &plan.key, &mut report).await?;

    let current = get_one(client, "sslcertkey", &plan.certkey).await?;
    let text = |field: &str| current.as_ref().and_then(|pair| pair.get(field)).and_then(Value::as_str).map(str::to_string);
    match &current {
        None => {
            if plan.apply {
                post(client, "sslcertkey", None, json!({"certkey": plan.certkey, "cert": cert_file, "key": key_file})).await?;
            }
            report.changes.push(format!("add sslcertkey {} ({cert_file}, {key_file})", plan.certkey));
        }
        Some(_) if text("cert").as_deref().map(base_name) != Some(cert_file.as_str()) || text("key").as_deref().map(base_name) != Some(key_file.as_str()) => {
            if plan.apply {
                let mut body = json!({"certkey": plan.certkey, "cert": cert_file, "key": key_file});
                if plan.nodomaincheck {
                    body["nodomaincheck"] = json!(true);
                }
                post(client, "sslcertkey", Some("update"), body).await?;
            }
            report.changes.push(format!("update sslcertkey {} to {cert_file}, {key_file}", plan.certkey));
        }
        Some(_) => {}
    }

    if let Some(ca) = &plan.ca {
        if text("linkcertkeyname").as_deref() != Some(ca.as_str()) {
            if plan.apply {
                post(client, "sslcertkey", Some("link"), json!({"certkey": plan.certkey, "linkcertkeyname": ca})).await?;
            }
            report.changes.push(format!("link sslcertkey {} to {ca}", plan.certkey));
        }
    }

    for vserver in &plan.vservers {
        let path = format!("/nitro/v1/config/sslvserver_sslcertkey_binding/{}", encode_path_key(vserver).map_err(netscaler::Error::InvalidRequest)?);
        let bound = match client.send(Request::raw(Method::Get, &path)).await {
            Ok(answer) => answer
                .get("sslvserver_sslcertkey_binding")
                .and_then(Value::as_array)
                .is_some_and(|rows| rows.iter().any(|row| row.get("certkeyname").and_then(Value::as_str) == Some(plan.certkey.as_str()))),
            Err(error) if error.is_not_found() => false,
            Err(error) => return Err(error),
        };
        if !bound {
            if plan.apply {
                let body = json!({"sslvserver_sslcertkey_binding": {"vservername": vserver, "certkeyname": plan.certkey}});
                client.send(Request::raw(Method::Put, "/nitro/v1/config/sslvserver_sslcertkey_binding").json(&body)).await?;
            }
            report.changes.push(format!("bind sslcertkey {} to SSL vserver {vserver}", plan.certkey));
        }
    }

    if plan.save && !report.changes.is_empty() {
        if plan.apply {
            post(client, "nsconfig", Some("save"), json!({})).await?;
            report.saved = true;
        }
        report.changes.push("save the running configuration".into());
    }
    Ok(report)
}

/// The flags of the module docs.
pub const USAGE: &str = "usage: cert_rotate --certkey NAME --cert FILE --key FILE [--ca CERTKEY] [--vserver NAME]... \
[--nodomaincheck] [--apply] [--save]";

/// Reads the flags (without the program name); `read` reads a file.
pub fn plan_from_args(args: impl IntoIterator<Item = String>, read: impl Fn(&str) -> std::io::Result<Vec<u8>>) -> Result<Plan, String> {
    let mut plan = Plan::default();
    let (mut cert, mut key) = (None, None);
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--certkey" => plan.certkey = value()?,
            "--cert" => cert = Some(value()?),
            "--key" => key = Some(value()?),
            "--ca" => plan.ca = Some(value()?),
            "--vserver" => plan.vservers.push(value()?),
            "--nodomaincheck" => plan.nodomaincheck = true,
            "--apply" => plan.apply = true,
            "--save" => plan.save = true,
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let (Some(cert), Some(key)) = (cert, key) else { return Err(format!("--cert and --key are needed\n{USAGE}")) };
    if plan.certkey.is_empty() {
        return Err(format!("--certkey is needed\n{USAGE}"));
    }
    plan.cert = read(&cert).map_err(|error| format!("cannot read {cert}: {error}"))?;
    plan.key = read(&key).map_err(|error| format!("cannot read {key}: {error}"))?;
    Ok(plan)
}

#[allow(dead_code)] // the test includes this file for `rotate` only
#[tokio::main]
async fn main() {
    let plan = match plan_from_args(std::env::args().skip(1), |path| std::fs::read(path)) {
        Ok(plan) => plan,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("cert_rotate: {error}");
            std::process::exit(2);
        }
    };
    let report = match rotate(&client, &plan).await {
        Ok(report) => report,
        Err(error) => {
            eprintln!("cert_rotate: {error}");
            std::process::exit(1);
        }
    };
    let _ = client.logout().await;
    let verb = if report.applied { "done" } else { "would" };
    for change in &report.changes {
        println!("{verb}: {change}");
    }
    if report.changes.is_empty() {
        println!("unchanged: {} is installed as asked", plan.certkey);
    } else if !report.applied {
        println!("dry run: nothing was changed; run with --apply to make these changes (and --save to save them)");
    }
}
