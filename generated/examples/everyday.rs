//! The everyday jobs against one NetScaler ADC, in order: log in, list
//! load-balancing virtual servers with a filter, create a server, a service
//! group (with the server as member) and a virtual server and bind them,
//! tolerate "already exists" on a second run, save the configuration, read
//! statistics, log out.
//!
//! Hand-written (the backend leaves files without its `@generated` marker
//! alone). Run it with
//!
//! ```text
//! NS_URL=https://adc.example.net NS_USER=nsroot NS_PASSWORD=... \
//!     cargo run -p netscaler --example everyday --features lb,basic,ns
//! ```
//!
//! `tests/tests/examples.rs` runs [`everyday`] against the local NITRO
//! test server.
//!
//! Models are `#[non_exhaustive]`: outside the crate they are built from
//! `Default` and then their public fields are set, one statement each
//! (struct literal syntax, even with `..Default::default()`, is refused
//! for non-exhaustive structs).

use netscaler::adc::basic::{Server, Servicegroup, ServicegroupServicegroupmemberBinding, ServiceServicetype};
use netscaler::adc::lb::{Lbvserver, LbvserverServicegroupBinding, LbvserverServicetype, LbvserverStats};
use netscaler::adc::ns::Nsconfig;
use netscaler::{Client, Outcome};

/// What [`everyday`] saw, for the caller (and the test) to check.
#[derive(Debug, Default)]
pub struct Report {
    /// Names of the HTTP virtual servers before the run.
    pub http_vservers_before: Vec<String>,
    /// Objects that already existed and were left as they were.
    pub already_existed: Vec<String>,
    /// (virtual server, total requests) from the statistics.
    pub requests: Vec<(String, u64)>,
}

/// Logs in, sets up `web-vs` balancing over the service group `web-sg`
/// with member `web-1` (10.0.0.11:80), saves, reads statistics and logs
/// out. Running it twice is harmless: "already exists" is not an error.
pub async fn everyday(client: &Client) -> netscaler::Result<Report> {
    let mut report = Report::default();
    client.login().await?;

    // List with a filter: only HTTP virtual servers.
    let http: Vec<Lbvserver> = client.send(Lbvserver::get_all().filter("servicetype", "HTTP")).await?;
    report.http_vservers_before = http.into_iter().filter_map(|vserver| vserver.name).collect();

    // Build each object from Default, then set its public fields.
    let mut server = Server::default();
    server.name = Some("web-1".into());
    server.ipaddress = Some("10.0.0.11".into());

    let mut group = Servicegroup::default();
    group.servicegroupname = Some("web-sg".into());
    group.servicetype = Some(ServiceServicetype::Http.into());

    let mut member = ServicegroupServicegroupmemberBinding::default();
    member.servicegroupname = Some("web-sg".into());
    member.servername = Some("web-1".into());
    member.port = Some(80);

    let mut vserver = Lbvserver::default();
    vserver.name = Some("web-vs".into());
    vserver.servicetype = Some(LbvserverServicetype::Http.into());
    vserver.ipv46 = Some("10.0.0.100".into());
    vserver.port = Some(80);

    let mut binding = LbvserverServicegroupBinding::default();
    binding.name = Some("web-vs".into());
    binding.servicegroupname = Some("web-sg".into());

    let steps = [
        ("server web-1", client.send(server.add()).await),
        ("servicegroup web-sg", client.send(group.add()).await),
        ("member web-1:80 of web-sg", client.send(member.add()).await),
        ("lbvserver web-vs", client.send(vserver.add()).await),
        ("binding web-vs -> web-sg", client.send(binding.add()).await),
    ];
    for (what, result) in steps {
        match result {
            Ok(_) => {}
            // Created by an earlier run: keep it.
            Err(error) if error.is_already_exists() => report.already_existed.push(what.to_string()),
            Err(error) => return Err(error),
        }
    }

    // Save the running configuration (`nsconfig?action=save`).
    let _saved: Outcome = client.send(Nsconfig::default().save()).await?;

    // Statistics: counters arrive as strings or numbers; `Number` reads both.
    for stats in client.send(LbvserverStats::get("web-vs")).await? {
        let total = stats.totalrequests.and_then(|n| n.as_u64()).unwrap_or(0);
        report.requests.push((stats.name.unwrap_or_default(), total));
    }

    client.logout().await?;
    Ok(report)
}

#[allow(dead_code)] // the test includes this file for `everyday` only
#[tokio::main]
async fn main() -> netscaler::Result<()> {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let url = std::env::var("NS_URL").unwrap_or_else(|_| "https://adc.example.net".into());
    let client = Client::builder(url).session(var("NS_USER"), var("NS_PASSWORD")).build()?;
    let report = everyday(&client).await?;
    println!("{report:#?}");
    Ok(())
}
