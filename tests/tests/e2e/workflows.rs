//! End-to-end: the one-call jobs of `runtime::workflows` and
//! `runtime::lifecycle` against the published test kit
//! (`netscaler::testkit::NitroServer`, held to the reference's rules), and
//! against our hand-written test server (`HandServer`) for what the kit
//! does not simulate: a server that starts listening late and the
//! first-boot password change. Each test checks what the server saw or
//! holds (the query sent, the stored object, the bytes kept, the requests
//! in flight), not only what the client returned.

use netscaler::runtime::{Client, Ensured, Error, HaRole, Method, Request, RetryPolicy};
use netscaler::testkit::{Fault, NitroServer, SeenRequest};
use netscaler_tests::hand_model;
use netscaler_tests::nitro_server::{NitroServer as HandServer, PASSWORD, USER};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

hand_model!(Lbvserver, "lbvserver", Config, ["name"], {
    "comment" => comment: Option<String>,
    "ipv46" => ipv46: Option<String>,
    "lbmethod" => lbmethod: Option<String>,
    "name" => name: Option<String>,
    "port" => port: Option<i64>,
    "servicetype" => servicetype: Option<String>,
});

hand_model!(LbvserverServiceBinding, "lbvserver_service_binding", Binding, ["name"], {
    "name" => name: Option<String>,
    "servicename" => servicename: Option<String>,
});

fn vserver(name: &str, port: i64) -> Lbvserver {
    Lbvserver {
        name: Some(name.into()),
        servicetype: Some("HTTP".into()),
        ipv46: Some("10.0.0.10".into()),
        port: Some(port),
        ..Default::default()
    }
}

/// A client sending the kit's credentials in headers on each request.
fn client(server: &NitroServer) -> Client {
    netscaler::testkit::client_builder(server).credentials(server.username(), server.password()).build().unwrap()
}

/// Seeds `hanode` rows (id, state) as the appliance shows them.
fn set_ha_nodes(server: &NitroServer, nodes: &[(&str, &str)]) {
    for (id, state) in nodes {
        server.seed("hanode", json!({"id": id, "state": state})).unwrap();
    }
}

fn session_client(base_url: &str, password: &str) -> Client {
    Client::builder(base_url).allow_insecure_http(true).session(USER, password).retry(RetryPolicy::none()).build().unwrap()
}

fn writes(requests: &[SeenRequest]) -> Vec<&SeenRequest> {
    requests.iter().filter(|request| request.method != "GET" && !request.path_and_query.contains("/login")).collect()
}

fn stored(server: &NitroServer, resource: &str, key: &str) -> Option<serde_json::Map<String, Value>> {
    server.object(resource, key)
}

async fn kit() -> NitroServer {
    NitroServer::start().await.unwrap()
}

// --- Create or update --------------------------------------------------------

#[tokio::test]
async fn upsert_creates_then_updates_where_a_plain_add_fails() {
    let server = kit().await;
    let client = client(&server);
    client.send(Request::add(&vserver("vs-up", 80), Method::Post)).await.unwrap();
    // A plain add of an existing object is refused ...
    let error = client.send(Request::add(&vserver("vs-up", 8080), Method::Post)).await.unwrap_err();
    assert!(error.is_already_exists(), "{error}");
    // ... the upsert updates it.
    client.send(Request::add(&vserver("vs-up", 8080), Method::Post).upsert()).await.unwrap();
    assert_eq!(stored(&server, "lbvserver", "vs-up").unwrap()["port"], json!(8080));
    // And creates what does not exist, through the generic call too.
    client.upsert(&vserver("vs-new", 81)).await.unwrap();
    assert_eq!(stored(&server, "lbvserver", "vs-new").unwrap()["port"], json!(81));
    let sent: Vec<String> = writes(&server.requests()).iter().map(|request| request.path_and_query.clone()).collect();
    assert_eq!(sent, [
        "/nitro/v1/config/lbvserver",
        "/nitro/v1/config/lbvserver",
        "/nitro/v1/config/lbvserver?idempotent=yes",
        "/nitro/v1/config/lbvserver?idempotent=yes",
    ]);
}

#[tokio::test]
async fn upsert_of_a_binding_or_an_update_is_refused_before_sending() {
    let server = kit().await;
    let client = client(&server);
    let binding = LbvserverServiceBinding { name: Some("vs".into()), servicename: Some("svc".into()), ..Default::default() };
    let error = client.send(Request::add(&binding, Method::Put).upsert()).await.unwrap_err();
    assert!(matches!(&error, Error::InvalidRequest(text) if text.contains("upsert applies")), "{error}");
    let error = client.send(Request::update(&vserver("vs", 80)).upsert()).await.unwrap_err();
    assert!(matches!(&error, Error::InvalidRequest(_)), "{error}");
    let error = client.upsert(&binding).await.unwrap_err();
    assert!(matches!(&error, Error::InvalidRequest(_)), "{error}");
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

// --- Desired state --------------------------------------------------------------

#[tokio::test]
async fn ensure_creates_then_changes_only_what_differs() {
    let server = kit().await;
    let client = client(&server);
    let mut desired = vserver("vs-ens", 80);
    desired.lbmethod = Some("ROUNDROBIN".into());
    assert_eq!(client.ensure(&desired).await.unwrap(), Ensured::Created);
    assert_eq!(stored(&server, "lbvserver", "vs-ens").unwrap()["lbmethod"], json!("ROUNDROBIN"));

    // Same values (an enumeration in other case too): nothing is written.
    desired.lbmethod = Some("roundrobin".into());
    let before = server.requests().len();
    assert_eq!(client.ensure(&desired).await.unwrap(), Ensured::Unchanged);
    let after = server.requests();
    assert_eq!(after.len(), before + 1);
    assert_eq!(after[before].method, "GET");

    // One property differs: one update with the key and that property.
    desired.lbmethod = Some("LEASTCONNECTION".into());
    desired.comment = Some("ensured".into());
    let changed = client.ensure(&desired).await.unwrap();
    assert_eq!(changed, Ensured::Updated { fields: vec!["comment".into(), "lbmethod".into()] });
    assert!(changed.is_changed());
    let update = server.requests().last().cloned().unwrap();
    assert_eq!(update.method, "PUT");
    assert_eq!(update.body, Some(json!({"lbvserver": {"name": "vs-ens", "comment": "ensured", "lbmethod": "LEASTCONNECTION"}})));
    let now = stored(&server, "lbvserver", "vs-ens").unwrap();
    assert_eq!((now["lbmethod"].clone(), now["port"].clone()), (json!("LEASTCONNECTION"), json!(80)));

    // A create-only property that differs: the appliance's refusal comes back.
    desired.servicetype = Some("TCP".into());
    let error = client.ensure(&desired).await.unwrap_err();
    assert_eq!(error.errorcode(), Some(278), "{error}");
    assert_eq!(stored(&server, "lbvserver", "vs-ens").unwrap()["servicetype"], json!("HTTP"));
}

#[tokio::test]
async fn ensure_without_a_key_is_refused() {
    let server = kit().await;
    let error = client(&server).ensure(&Lbvserver { port: Some(80), ..Default::default() }).await.unwrap_err();
    assert!(matches!(&error, Error::InvalidRequest(text) if text.contains("key property name")), "{error}");
    assert!(server.requests().is_empty());
}

// --- Lifecycle --------------------------------------------------------------------

#[tokio::test]
async fn wait_ready_rides_out_a_503_phase_without_logging_in() {
    let server = kit().await;
    let client = session_client(server.base_url(), server.password());
    server.inject(Fault::Unavailable { requests: 6 });
    let ready = client.wait_ready_every(Duration::from_secs(10), Duration::from_millis(20)).await.unwrap();
    assert_eq!(ready.attempts, 7);
    assert_eq!(server.counters().requests, 7);
    // The probes never tried a login (no backoff to wait out afterwards).
    assert_eq!(server.counters().login_attempts, 0);
    client.login().await.unwrap();
    println!("wait_ready: 6 answers of 503, ready after {:?} and {} probes", ready.waited, ready.attempts);
}

#[tokio::test]
async fn wait_ready_waits_for_a_server_that_starts_late() {
    let (base_url, later) = HandServer::start_later(Duration::from_millis(300)).await;
    let client = session_client(&base_url, PASSWORD);
    let ready = client.wait_ready_every(Duration::from_secs(10), Duration::from_millis(25)).await.unwrap();
    assert!(ready.attempts > 1 && ready.waited >= Duration::from_millis(200), "{ready:?}");
    let server = later.await.unwrap();
    assert_eq!(client.firmware().await.unwrap().release, "14.1");
    assert!(server.arrivals() >= 2);
}

#[tokio::test]
async fn wait_ready_gives_up_naming_what_it_saw() {
    let server = kit().await;
    server.inject(Fault::Unavailable { requests: 100_000 });
    let start = Instant::now();
    let error = client(&server).wait_ready_every(Duration::from_millis(200), Duration::from_millis(20)).await.unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(5));
    match &error {
        Error::NotReady { attempts, last, .. } => assert!(*attempts >= 2 && last.contains("503"), "{error}"),
        other => panic!("{other}"),
    }
    // The default interval for a short timeout stays short too.
    let error = client(&server).wait_ready(Duration::from_millis(300)).await.unwrap_err();
    assert!(matches!(error, Error::NotReady { .. }), "{error}");
}

#[tokio::test]
async fn ha_role_reads_node_zero() {
    let server = kit().await;
    let client = client(&server);
    // Seeded as the appliance shows them (node 0 is this one).
    server.seed("hanode", json!({"id": "0", "state": "Standalone"})).unwrap();
    assert_eq!(client.ha_role().await.unwrap(), HaRole::Standalone);
    set_ha_nodes(&server, &[("0", "Secondary"), ("1", "Primary")]);
    assert_eq!(client.ha_role().await.unwrap(), HaRole::Secondary);
    set_ha_nodes(&server, &[("1", "Secondary"), ("0", "Primary")]);
    assert_eq!(client.ha_role().await.unwrap(), HaRole::Primary);
}

#[tokio::test]
async fn connect_primary_picks_the_primary_and_refuses_a_split_pair() {
    let first = kit().await;
    let second = kit().await;
    let pair = |server: &NitroServer, local: &str, peer: &str| set_ha_nodes(server, &[("0", local), ("1", peer)]);
    pair(&first, "Secondary", "Primary");
    pair(&second, "Primary", "Secondary");
    // An address that does not answer is reported, not fatal.
    let dead = "http://127.0.0.1:9".to_string();
    let addresses = [dead.clone(), first.base_url().to_string(), second.base_url().to_string()];
    let builder = |address: &str| {
        Client::builder(address).allow_insecure_http(true).credentials(first.username(), first.password()).retry(RetryPolicy::none())
    };
    let primary = Client::connect_primary(&addresses, builder).await.unwrap();
    assert_eq!(primary.base_url(), second.base_url());

    pair(&first, "Primary", "Secondary");
    let error = Client::connect_primary(&addresses, builder).await.unwrap_err();
    assert!(matches!(&error, Error::NoPrimary(text) if text.contains("more than one")), "{error}");

    pair(&first, "Secondary", "Primary");
    pair(&second, "Secondary", "Primary");
    let error = Client::connect_primary(&addresses, builder).await.unwrap_err();
    let text = error.to_string();
    assert!(text.contains("Secondary") && text.contains("127.0.0.1:9"), "{text}");
    assert!(!text.contains(first.password()), "{text}");
}

#[tokio::test]
async fn first_boot_password_change_is_typed_and_done_in_one_call() {
    let server = HandServer::start().await;
    server.force_password_change();
    let client = session_client(&server.base_url(), PASSWORD);
    let error = client.login().await.unwrap_err();
    assert!(error.is_password_change_required(), "{error}");
    assert_eq!(error.code_name(), Some("NSERR_FORCE_PWDCHANGE"));

    let new_password = "N3w-pass!word";
    let changed = client.change_password_on_first_login(new_password).await.unwrap();
    let login = server.requests().into_iter().rfind(|request| request.path_and_query.ends_with("/login")).unwrap();
    assert_eq!(login.body.as_ref().unwrap()["login"]["new_password"], json!(new_password));
    // The session the change opened was closed again.
    assert!(server.state().sessions.is_empty());
    changed.login().await.unwrap();
    assert_eq!(changed.firmware().await.unwrap().release, "14.1");
    assert!(!format!("{changed:?}").contains(new_password));
    // The old password no longer works.
    let stale = session_client(&server.base_url(), PASSWORD);
    assert_eq!(stale.login().await.unwrap_err().errorcode(), Some(354));
}

// --- Firmware -----------------------------------------------------------------------

#[tokio::test]
async fn firmware_reads_release_and_build() {
    let server = kit().await;
    let client = client(&server);
    // `nsversion` is one object, seeded as a 14.1 appliance shows it.
    let version = |text: &str| server.seed("nsversion", json!({"version": text, "mode": "1"})).unwrap();
    version("NetScaler NS14.1: Build 60.54.nc, Date: Oct  1 2025, 10:00:00   (64-bit)");
    let firmware = client.firmware().await.unwrap();
    assert_eq!((firmware.release.as_str(), firmware.build.as_str()), ("14.1", "60.54"));
    version("NetScaler NS13.0: Build 92.21.nc, Date: Aug 1 2023, 01:02:03   (64-bit)");
    let firmware = client.firmware().await.unwrap();
    assert_eq!((firmware.release.as_str(), firmware.build.as_str()), ("13.0", "92.21"));
    assert!(firmware.is_at_least("12.1") && !firmware.is_at_least("13.1"));
    version("unknown");
    assert!(matches!(client.firmware().await.unwrap_err(), Error::Decode { .. }));
}

// --- Files ----------------------------------------------------------------------------

#[tokio::test]
async fn files_upload_download_and_delete_with_base64_and_the_location_encoded() {
    let server = kit().await;
    let client = client(&server);
    let bytes: Vec<u8> = (0..=255u8).chain(b"-----END CERTIFICATE-----\n".iter().copied()).collect();
    client.upload_file("/nsconfig/ssl", "web cert.pem", &bytes).await.unwrap();
    let upload = writes(&server.requests())[0].body.clone().unwrap();
    assert_eq!(upload["systemfile"]["fileencoding"], json!("BASE64"));
    assert_eq!(upload["systemfile"]["filelocation"], json!("/nsconfig/ssl"));
    let kept = server.object("systemfile", "web cert.pem").unwrap();
    assert_eq!(kept["filelocation"], json!("/nsconfig/ssl"));
    assert_eq!(kept["filecontent"], upload["systemfile"]["filecontent"]);

    assert_eq!(client.download_file("/nsconfig/ssl", "web cert.pem").await.unwrap(), bytes);
    let get = server.requests().last().cloned().unwrap();
    assert_eq!(get.path_and_query, "/nitro/v1/config/systemfile?args=filename:web%20cert.pem,filelocation:%2Fnsconfig%2Fssl");

    // An existing file is not overwritten; delete, then upload again.
    assert!(client.upload_file("/nsconfig/ssl", "web cert.pem", b"other").await.unwrap_err().is_already_exists());
    client.delete_file("/nsconfig/ssl", "web cert.pem").await.unwrap();
    assert!(client.download_file("/nsconfig/ssl", "web cert.pem").await.unwrap_err().is_not_found());
    client.upload_file("/nsconfig/ssl", "web cert.pem", b"other").await.unwrap();
    assert_eq!(client.download_file("/nsconfig/ssl", "web cert.pem").await.unwrap(), b"other");

    // Names that would leave the directory never leave the client.
    let before = server.requests().len();
    for (location, name) in [("/nsconfig/ssl", "../../etc/passwd"), ("nsconfig", "a.pem"), ("/nsconfig/../etc", "a")] {
        let error = client.upload_file(location, name, b"x").await.unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{error}");
    }
    assert_eq!(server.requests().len(), before);
}

// --- Statistics polling ------------------------------------------------------------------

#[tokio::test]
async fn poll_sends_one_request_at_a_time_every_interval() {
    let server = kit().await;
    let client = client(&server);
    client.send(Request::add(&vserver("vs-stat", 80), Method::Post)).await.unwrap();
    server.seed_stat("lbvserver", json!({"name": "vs-stat", "totalrequests": "1256464744519"})).unwrap();
    server.inject(Fault::Slow(Duration::from_millis(30)));
    let interval = Duration::from_millis(60);
    let mut stats = client.poll(Request::raw(Method::Get, "/nitro/v1/stat/lbvserver"), interval);
    let start = Instant::now();
    let mut seen = Vec::new();
    for _ in 0..4 {
        let answer = stats.next().await.unwrap();
        seen.push(answer["lbvserver"][0]["totalrequests"].as_str().unwrap().to_string());
    }
    let elapsed = start.elapsed();
    assert!(elapsed >= interval * 3, "{elapsed:?}");
    assert_eq!(stats.polls(), 4);
    assert_eq!(seen, vec!["1256464744519"; 4]);
    assert_eq!(server.counters().max_in_flight, 1);
    let polled = server.requests().iter().filter(|request| request.path_and_query == "/nitro/v1/stat/lbvserver").count();
    assert_eq!(polled, 4);
    println!("poll: 4 results at a {interval:?} interval in {elapsed:?}");

    // An error is a result, and the polling goes on.
    server.clear_faults();
    server.inject(Fault::Unavailable { requests: 1 });
    assert!(stats.next().await.is_err());
    assert!(stats.next().await.is_ok());

    // Writes and a zero interval are refused, without a request.
    let before = server.requests().len();
    let mut write = client.poll(Request::add(&vserver("vs-x", 80), Method::Post), interval);
    assert!(matches!(write.next().await.unwrap_err(), Error::InvalidRequest(_)));
    let mut zero = client.poll(Request::raw(Method::Get, "/nitro/v1/stat/lbvserver"), Duration::ZERO);
    assert!(matches!(zero.next().await.unwrap_err(), Error::InvalidRequest(_)));
    assert_eq!(server.requests().len(), before);
}
