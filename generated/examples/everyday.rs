//! The everyday jobs against one NetScaler ADC, in order: log in, list
//! load-balancing virtual servers with a filter, create a server, a service
//! group (with the server as member) and a virtual server and bind them
//! (the objects with create-or-update adds, `Request::upsert`, so a second
//! run updates them to the flags' values; the bindings tolerating "already
//! exists"), save the configuration, read statistics, log out.
//!
//! Safe by default: without `--apply` it changes nothing and prints what
//! it would do; it saves the running configuration only with `--save`
//! (and `--apply`). The objects are named and addressed by flags, with
//! these defaults (addresses from the documentation range 192.0.2.0/24):
//!
//! | flag | default |
//! |---|---|
//! | `--vserver NAME` | `web-vs` |
//! | `--vip IP` | `192.0.2.100` |
//! | `--port N` | `80` (of the virtual server and of the member) |
//! | `--servicegroup NAME` | `web-sg` |
//! | `--server NAME` | `web-1` |
//! | `--server-ip IP` | `192.0.2.11` |
//!
//! Hand-written (the backend leaves files without its `@generated` marker
//! alone). The appliance and credentials come from `NS_URL`, `NS_USER`,
//! `NS_PASSWORD` (and `NS_CA_FILE` to trust its certificate, `NS_INSECURE=1`
//! for a lab; see `netscaler::runtime::env`):
//!
//! ```text
//! NS_URL=https://adc.example.net NS_USER=nsroot NS_PASSWORD=... \
//!     cargo run -p netscaler --example everyday --features lb,basic,ns -- --vip 10.1.2.3
//! # then, to make the changes and save them:
//!     cargo run -p netscaler --example everyday --features lb,basic,ns -- --vip 10.1.2.3 --apply --save
//! ```
//!
//! `tests/tests/e2e/examples.rs` runs [`everyday`] against the local NITRO
//! test server.
//!
//! Each object is one expression: `new` takes its key properties and a
//! chained setter per property its `add` sends (`impl Into<String>` for
//! text, the enum itself for a fixed set of values).

use netscaler::adc::basic::{Server, Servicegroup, ServicegroupServicegroupmemberBinding, Servicetype};
use netscaler::adc::lb::{Lbvserver, LbvserverServicegroupBinding, LbvserverServicetype, LbvserverStats};
use netscaler::adc::ns::Nsconfig;
use netscaler::{Client, Outcome};

/// What [`everyday`] does: the objects, and whether to change anything.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub vserver: String,
    pub vip: String,
    pub port: i64,
    pub servicegroup: String,
    pub server: String,
    pub server_ip: String,
    /// Create and bind the objects (otherwise only say what would be done).
    pub apply: bool,
    /// Save the running configuration afterwards (only with `apply`).
    pub save: bool,
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            vserver: "web-vs".into(),
            vip: "192.0.2.100".into(),
            port: 80,
            servicegroup: "web-sg".into(),
            server: "web-1".into(),
            server_ip: "192.0.2.11".into(),
            apply: false,
            save: false,
        }
    }
}

/// The flags of the module docs.
pub const USAGE: &str = "usage: everyday [--apply] [--save] [--vserver NAME] [--vip IP] [--port N] \
[--servicegroup NAME] [--server NAME] [--server-ip IP]";

impl Plan {
    /// Reads the flags (without the program name).
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Plan, String> {
        let mut plan = Plan::default();
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
            match flag.as_str() {
                "--apply" => plan.apply = true,
                "--save" => plan.save = true,
                "--vserver" => plan.vserver = value()?,
                "--vip" => plan.vip = value()?,
                "--port" => plan.port = value()?.parse().map_err(|_| format!("--port needs a number\n{USAGE}"))?,
                "--servicegroup" => plan.servicegroup = value()?,
                "--server" => plan.server = value()?,
                "--server-ip" => plan.server_ip = value()?,
                other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
            }
        }
        Ok(plan)
    }
}

/// What [`everyday`] saw and did, for the caller (and the test) to check.
#[derive(Debug, Default)]
pub struct Report {
    /// Names of the HTTP virtual servers before the run.
    pub http_vservers_before: Vec<String>,
    /// Each change, in order: done with `apply`, only planned without.
    pub changes: Vec<String>,
    /// True when the changes were made (`Plan::apply`).
    pub applied: bool,
    /// Bindings that already existed and were left as they were (the
    /// objects are created or updated).
    pub already_existed: Vec<String>,
    /// True when the configuration was saved.
    pub saved: bool,
    /// (virtual server, total requests) from the statistics; empty when
    /// the virtual server does not exist (yet).
    pub requests: Vec<(String, u64)>,
}

/// Logs in, sets up the plan's virtual server balancing over its service
/// group with the server as member, saves when asked, reads statistics
/// and logs out. Without `plan.apply` nothing is changed: the report lists
/// what would be. Running it twice is harmless: the objects are added with
/// `idempotent=yes` (create or update) and a binding that exists is kept.
pub async fn everyday(client: &Client, plan: &Plan) -> netscaler::Result<Report> {
    let mut report = Report { applied: plan.apply, ..Report::default() };
    client.login().await?;

    // List with a filter: only HTTP virtual servers.
    let http: Vec<Lbvserver> = client.send(Lbvserver::get_all().filter("servicetype", "HTTP")).await?;
    report.http_vservers_before = http.into_iter().filter_map(|vserver| vserver.name).collect();

    // One expression per object: `new` takes the key, setters the rest.
    let server = Server::new(&plan.server).ipaddress(&plan.server_ip);
    let group = Servicegroup::new(&plan.servicegroup).servicetype(Servicetype::Http);
    let member = ServicegroupServicegroupmemberBinding::new(&plan.servicegroup).servername(&plan.server).port(plan.port);
    let vserver = Lbvserver::new(&plan.vserver).servicetype(LbvserverServicetype::Http).ipv46(&plan.vip).port(plan.port);
    let binding = LbvserverServicegroupBinding::new(&plan.vserver).servicegroupname(&plan.servicegroup);

    let steps = [
        (format!("add or update server {} ({})", plan.server, plan.server_ip), server.add().upsert()),
        (format!("add or update servicegroup {} (HTTP)", plan.servicegroup), group.add().upsert()),
        (format!("bind member {}:{} to servicegroup {}", plan.server, plan.port, plan.servicegroup), member.add()),
        (format!("add or update lbvserver {} (HTTP {}:{})", plan.vserver, plan.vip, plan.port), vserver.add().upsert()),
        (format!("bind servicegroup {} to lbvserver {}", plan.servicegroup, plan.vserver), binding.add()),
    ];
    for (what, request) in steps {
        if plan.apply {
            match client.send(request).await {
                Ok(_) => {}
                // A binding made by an earlier run: keep it.
                Err(error) if error.is_already_exists() => report.already_existed.push(what.clone()),
                Err(error) => return Err(error),
            }
        }
        report.changes.push(what);
    }

    // Save the running configuration (`nsconfig?action=save`), only when asked.
    if plan.save {
        report.changes.push("save the running configuration".into());
        if plan.apply {
            let _saved: Outcome = client.send(Nsconfig::default().save()).await?;
            report.saved = true;
        }
    }

    // Statistics: counters arrive as strings or numbers; `Number` reads both.
    match client.send(LbvserverStats::get(&plan.vserver)).await {
        Ok(all) => {
            for stats in all {
                let total = stats.totalrequests.and_then(|n| n.as_u64()).unwrap_or(0);
                report.requests.push((stats.name.unwrap_or_default(), total));
            }
        }
        Err(error) if error.is_not_found() => {}
        Err(error) => return Err(error),
    }

    client.logout().await?;
    Ok(report)
}

#[allow(dead_code)] // the test includes this file for `everyday` only
#[tokio::main]
async fn main() {
    let plan = match Plan::from_args(std::env::args().skip(1)) {
        Ok(plan) => plan,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("everyday: {error}");
            std::process::exit(2);
        }
    };
    let report = match everyday(&client, &plan).await {
        Ok(report) => report,
        Err(error) => {
            eprintln!("everyday: {error}");
            std::process::exit(1);
        }
    };
    println!("HTTP virtual servers before: {:?}", report.http_vservers_before);
    let verb = if report.applied { "done" } else { "would" };
    for change in &report.changes {
        let note = if report.already_existed.contains(change) { " (already there, left as it was)" } else { "" };
        println!("{verb}: {change}{note}");
    }
    for (vserver, requests) in &report.requests {
        println!("{vserver}: {requests} requests");
    }
    if !report.applied {
        println!("dry run: nothing was changed; run with --apply to make these changes (and --save to save the configuration)");
    } else if !report.saved {
        println!("the configuration was not saved; run with --save to save it");
    }
}
