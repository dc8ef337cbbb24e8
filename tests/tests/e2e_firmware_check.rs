//! End-to-end: the firmware check (requests using properties newer than
//! the appliance's release) and stat reads with `statbindings=yes`, against
//! the loopback NITRO test server. The warnings are read from a tracing
//! subscriber of this test binary (current-thread runtime, so the
//! thread-local subscriber sees the client's events).

use netscaler::adc::basic::ServiceStats;
use netscaler::adc::lb::{Lbvserver, LbvserverBackuplbmethod, LbvserverServiceBinding, LbvserverServicetype, LbvserverStats, YesNo};
use netscaler::runtime::{Client, Error, Request, RetryPolicy};
use netscaler_tests::nitro_server::{NitroServer, PASSWORD, USER};
use serde_json::{json, Map, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn client(server: &NitroServer) -> Client {
    Client::builder(server.base_url()).allow_insecure_http(true).credentials(USER, PASSWORD).retry(RetryPolicy::none()).build().unwrap()
}

fn runs(server: &NitroServer, release: &str) {
    server.state().workflows.version = Some(format!("NetScaler NS{release}: Build 50.1.nc, Date: Jan  1 2024, 10:00:00   (64-bit)"));
}

/// A virtual server using `ipset` (since 12.1), `retainconnectionsoncluster`
/// (12.0) and `backuplbmethod` (11.1), all of which `add` sends, and
/// `apiprofile` (14.1), which `add` does not send.
fn vserver() -> Lbvserver {
    let mut vserver = Lbvserver::new("vs-new")
        .servicetype(LbvserverServicetype::Http)
        .ipset("ipset-1")
        .retainconnectionsoncluster(YesNo::No)
        .backuplbmethod(LbvserverBackuplbmethod::Roundrobin);
    vserver.apiprofile = Some("api-1".into());
    vserver
}

/// The fields of each warning event.
#[derive(Default, Clone)]
struct Events(Arc<Mutex<Vec<std::collections::BTreeMap<String, String>>>>);

struct Fields<'a>(&'a mut std::collections::BTreeMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl tracing::Subscriber for Events {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if *event.metadata().level() == tracing::Level::WARN {
            let mut fields = std::collections::BTreeMap::new();
            event.record(&mut Fields(&mut fields));
            self.0.lock().unwrap().push(fields);
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

impl Events {
    /// The `property` field of each firmware warning.
    fn properties(&self) -> Vec<String> {
        self.0.lock().unwrap().iter().filter_map(|fields| fields.get("property").cloned()).collect()
    }
}

#[test]
fn the_request_records_the_releases_of_the_properties_it_sends() {
    let request = vserver().add();
    let body = request.body().unwrap();
    for sent in ["ipset", "retainconnectionsoncluster", "backuplbmethod"] {
        assert!(body["lbvserver"].get(sent).is_some(), "{sent} is sent: {body}");
    }
    assert!(body["lbvserver"].get("apiprofile").is_none(), "add does not take apiprofile: {body}");
    let since: Vec<(Option<&str>, &str)> = request.since().iter().map(|since| (since.property, since.release)).collect();
    assert_eq!(since, [(Some("backuplbmethod"), "11.1"), (Some("ipset"), "12.1"), (Some("retainconnectionsoncluster"), "12.0")]);
    // Set but not sent by the operation: not recorded (`order` is since
    // 14.1, and the binding's add does not take it).
    let binding = LbvserverServiceBinding::new("vs").servicename("s1");
    let mut ordered = binding.clone();
    ordered.order = Some(3.into());
    assert!(ordered.add().since().is_empty(), "{:?}", ordered.add().since());
    assert!(binding.add().since().is_empty());
    // Unset properties are not recorded.
    assert!(Lbvserver::new("vs").servicetype(LbvserverServicetype::Http).add().since().is_empty());
    // A raw request carries none.
    assert!(Request::raw(netscaler::Method::Get, "/nitro/v1/config/lbvserver").since().is_empty());
}

#[tokio::test]
async fn an_appliance_older_than_a_property_gets_a_warning_naming_it() {
    let server = NitroServer::start().await;
    runs(&server, "12.0");
    let client = client(&server);
    let events = Events::default();
    let _guard = tracing::subscriber::set_default(events.clone());

    // Before the firmware is known: no check, no warning.
    assert_eq!(client.newer_than_firmware(&vserver().add()), None);
    client.send(Lbvserver::new("vs-before").servicetype(LbvserverServicetype::Http).ipset("ipset-1").add()).await.unwrap();
    assert!(events.properties().is_empty(), "{:?}", events.0.lock().unwrap());

    let firmware = client.firmware().await.unwrap();
    assert_eq!(firmware.release, "12.0");
    assert_eq!(client.known_firmware(), Some(firmware));

    let request = vserver().add();
    let newer = client.newer_than_firmware(&request).unwrap();
    let named: Vec<_> = newer.iter().map(|item| (item.resource, item.property, item.since, item.firmware.as_str())).collect();
    assert_eq!(named, [("lbvserver", Some("ipset"), "12.1", "12.0")]);
    assert_eq!(newer[0].to_string(), "property lbvserver.ipset is since 12.1; the appliance runs 12.0");

    // Sending warns once per newer property (12.0's
    // retainconnectionsoncluster and 11.1's backuplbmethod are not newer;
    // 14.1's apiprofile is not sent) and still sends the request.
    client.send(request).await.unwrap();
    let warnings = events.0.lock().unwrap().clone();
    let firmware_warnings: Vec<_> = warnings.iter().filter(|fields| fields.contains_key("since")).collect();
    assert_eq!(firmware_warnings.len(), 1, "{warnings:?}");
    let fields = firmware_warnings[0];
    assert_eq!(fields["property"], "ipset");
    assert_eq!(fields["since"], "12.1");
    assert_eq!(fields["firmware"], "12.0");
    assert_eq!(fields["resource"], "lbvserver");
    assert!(fields["message"].contains("lbvserver.ipset is since 12.1; the appliance runs 12.0"), "{fields:?}");
    assert!(server.state().objects["lbvserver"].contains_key("vs-new"));
}

#[tokio::test]
async fn an_appliance_as_new_as_the_properties_gets_no_warning() {
    let server = NitroServer::start().await;
    runs(&server, "12.1");
    let client = client(&server);
    let events = Events::default();
    let _guard = tracing::subscriber::set_default(events.clone());
    client.firmware().await.unwrap();
    assert_eq!(client.newer_than_firmware(&vserver().add()), Some(vec![]));
    client.send(vserver().add()).await.unwrap();
    assert!(events.properties().is_empty(), "{:?}", events.0.lock().unwrap());
}

#[tokio::test]
async fn an_older_appliance_is_warned_of_each_newer_property_and_of_a_newer_resource() {
    let server = NitroServer::start().await;
    runs(&server, "11.0");
    let client = client(&server);
    client.firmware().await.unwrap();
    let newer: Vec<(Option<&str>, &str)> =
        client.newer_than_firmware(&vserver().add()).unwrap().iter().map(|newer| (newer.property, newer.since)).collect();
    assert_eq!(newer, [(Some("backuplbmethod"), "11.1"), (Some("ipset"), "12.1"), (Some("retainconnectionsoncluster"), "12.0")]);

    // A resource newer than the appliance: every request to it, reads too.
    let request = Request::<Vec<netscaler::adc::lb::Lbaction>>::get_all();
    let since: Vec<_> = request.since().iter().map(|since| (since.resource, since.property, since.release)).collect();
    assert_eq!(since, [("lbaction", None, "14.1")]);
    let newer = client.newer_than_firmware(&request).unwrap();
    assert_eq!(newer.len(), 1);
    assert_eq!(newer[0].to_string(), "resource lbaction is since 14.1; the appliance runs 11.0");
}

// --- statbindings ---------------------------------------------------------------

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap()
}

fn seed_stats(server: &NitroServer) {
    let mut state = server.state();
    for vserver in ["vs1", "vs2"] {
        state.objects.entry("lbvserver".into()).or_default().insert(vserver.into(), object(json!({"name": vserver, "servicetype": "HTTP"})));
    }
    for service in ["s1", "s2", "s3"] {
        state.objects.entry("service".into()).or_default().insert(service.into(), object(json!({"name": service, "servicetype": "HTTP", "port": 80})));
    }
    let rows = state.bindings.entry("lbvserver_service_binding".into()).or_default();
    for (vserver, service) in [("vs1", "s1"), ("vs1", "s2"), ("vs2", "s3")] {
        rows.push(object(json!({"name": vserver, "servicename": service})));
    }
}

#[tokio::test]
async fn statbindings_rows_are_typed_per_record() {
    let server = NitroServer::start().await;
    seed_stats(&server);
    let client = client(&server);
    let request = LbvserverStats::get("vs1").with_bindings::<ServiceStats>();
    assert_eq!(request.path_and_query(), "/nitro/v1/stat/lbvserver/vs1?statbindings=yes");
    let records = client.send(request).await.unwrap();
    assert_eq!(records.len(), 1);
    let vs1 = &records[0];
    assert_eq!(vs1.stats.name.as_deref(), Some("vs1"));
    // The nested array is taken out of the record, not left among its unknown fields.
    assert!(!vs1.stats.unknown_fields.contains_key("service"), "{:?}", vs1.stats.unknown_fields);
    let names: Vec<&str> = vs1.bound.iter().map(|row| row.name.as_deref().unwrap()).collect();
    assert_eq!(names, ["s1", "s2"]);
    // The rows' counters are the server's for each service (strings decoded as numbers).
    let raw = client.send(Request::raw(netscaler::Method::Get, "/nitro/v1/stat/lbvserver/vs1").option("statbindings", "yes")).await.unwrap();
    for (row, wire) in vs1.bound.iter().zip(raw["lbvserver"][0]["service"].as_array().unwrap()) {
        assert_eq!(row.totalrequests.map(|n| n.to_string()), wire["totalrequests"].as_str().map(str::to_string));
    }
    assert_ne!(vs1.bound[0].totalrequests, vs1.bound[1].totalrequests);

    // All records: each with its own rows.
    let all = client.send(LbvserverStats::get_all().with_bindings::<ServiceStats>()).await.unwrap();
    let per_vserver: Vec<(String, Vec<String>)> = all
        .iter()
        .map(|record| (record.stats.name.clone().unwrap(), record.bound.iter().map(|row| row.name.clone().unwrap()).collect()))
        .collect();
    assert_eq!(per_vserver, [("vs1".to_string(), vec!["s1".to_string(), "s2".to_string()]), ("vs2".to_string(), vec!["s3".to_string()])]);

    // A vserver with no bound services: nothing nested, no rows.
    server.state().bindings.clear();
    let bare = client.send(LbvserverStats::get("vs1").with_bindings::<ServiceStats>()).await.unwrap();
    assert!(bare[0].bound.is_empty());
}

#[tokio::test]
async fn statbindings_works_with_poll_and_refuses_config_resources() {
    let server = NitroServer::start().await;
    seed_stats(&server);
    let client = client(&server);
    let mut poll = client.poll(LbvserverStats::get("vs2").with_bindings::<ServiceStats>(), Duration::from_millis(10));
    for _ in 0..2 {
        let records = poll.next().await.unwrap();
        assert_eq!(records[0].bound.iter().map(|row| row.name.as_deref().unwrap()).collect::<Vec<_>>(), ["s3"]);
    }
    let polled: Vec<String> = server.requests().iter().map(|request| request.path_and_query.clone()).collect();
    assert_eq!(polled, ["/nitro/v1/stat/lbvserver/vs2?statbindings=yes"; 2]);

    let config = Request::<Vec<Lbvserver>>::get("vs1").with_bindings::<ServiceStats>();
    match client.send(config).await {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("must both be stat resources"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 2, "the refused request was not sent");
}
