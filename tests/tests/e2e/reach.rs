//! End-to-end: reaching appliances the way operators do. TLS by address
//! with the certificate's name (rustls and native-tls), headers and the
//! Console proxy headers, admin partitions kept across re-logins, retries
//! only where repeating is safe, the in-flight cap, per-request timeouts,
//! raw requests, action payloads and paged streams. Each test checks what
//! the server saw (headers, partition, arrivals, concurrency), not only
//! what the client returned; the retry and concurrency figures are printed
//! (`--nocapture`).

use netscaler_tests::tls_server::{self, Issuer};
use netscaler::runtime::reqwest;
use netscaler::runtime::{Client, Error, ManagedInstance, Method, Outcome, Request, RetryPolicy};
use netscaler_tests::hand_model;
use netscaler_tests::nitro_server::{NitroServer, Recorded, PASSWORD, USER};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

hand_model!(Lbvserver, "lbvserver", Config, ["name"], {
    "ipv46" => ipv46: Option<String>,
    "name" => name: Option<String>,
    "port" => port: Option<i64>,
    "servicetype" => servicetype: Option<String>,
});

hand_model!(Nsconfig, "nsconfig", Config, [], {
    "ignoredevicespecific" => ignoredevicespecific: Option<bool>,
});

fn vserver(name: &str) -> Lbvserver {
    Lbvserver {
        name: Some(name.into()),
        servicetype: Some("HTTP".into()),
        ipv46: Some("10.0.0.10".into()),
        port: Some(80),
        ..Default::default()
    }
}

/// Retries fast enough for tests: 4 tries, 20 ms first wait.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::new(4, Duration::from_millis(20))
}

fn builder(server: &NitroServer) -> netscaler::ClientBuilder {
    Client::builder(server.base_url()).allow_insecure_http(true).retry(quick_retries())
}

fn header<'a>(request: &'a Recorded, name: &str) -> Option<&'a str> {
    request.headers.iter().find(|(header, _)| header.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
}

fn is_login(request: &Recorded) -> bool {
    request.path_and_query.ends_with("/config/login")
}

fn is_logout(request: &Recorded) -> bool {
    request.path_and_query.ends_with("/config/logout")
}

// --- TLS -------------------------------------------------------------------

/// An HTTPS responder on 127.0.0.1 whose certificate names only `name`
/// (signed by a CA made for the test); it answers one NITRO list to every
/// request. Returns the base URL by address and the CA (PEM).
async fn start_tls_server(name: &str) -> (String, String) {
    let server = tls_server::start(name, Issuer::TestCa, r#"{"errorcode":0,"message":"Done","severity":"NONE","lbvserver":[{"name":"by-name"}]}"#).await;
    (server.url, server.trust_pem)
}

async fn tls_server_name_with(backend: fn(netscaler::ClientBuilder) -> netscaler::ClientBuilder) {
    let (by_address, ca) = start_tls_server("adc.test").await;
    let client = |name: Option<&str>| {
        let mut builder = Client::builder(&by_address).credentials(USER, PASSWORD).add_root_certificate(ca.as_bytes()).retry(RetryPolicy::none());
        if let Some(name) = name {
            builder = builder.tls_server_name(name);
        }
        backend(builder).build().unwrap()
    };
    // By address only: the certificate does not name 127.0.0.1.
    let error = client(None).send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(&error, Error::Transport(transport) if transport.is_certificate()), "{error}");
    // By address, verifying the certificate's name.
    let found = client(Some("adc.test")).send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    assert_eq!(found[0].name.as_deref(), Some("by-name"));
    // Another name is still refused.
    let error = client(Some("other.test")).send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(&error, Error::Transport(transport) if transport.is_certificate()), "{error}");
}

#[tokio::test]
async fn tls_server_name_connects_by_address_and_verifies_the_name_rustls() {
    tls_server_name_with(|builder| builder).await;
}

#[tokio::test]
async fn tls_server_name_connects_by_address_and_verifies_the_name_native_tls() {
    tls_server_name_with(|builder| builder.use_native_tls()).await;
}

#[test]
fn tls_server_name_needs_an_address_and_an_injected_client_brings_its_own_tls() {
    let error = Client::builder("https://adc.example.net").tls_server_name("adc.test").build().unwrap_err();
    assert!(error.to_string().contains("IP address"), "{error}");
    let injected = Client::builder("https://127.0.0.1").http_client(reqwest_client()).tls_server_name("adc.test").build().unwrap_err();
    assert!(injected.to_string().contains("http_client"), "{injected}");
}

fn reqwest_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// An `openssl s_server` on 127.0.0.1 that offers TLS 1.2 with RSA key
/// exchange and a CBC suite only (`AES256-SHA`), as fresh or older VPX
/// management interfaces do, with an RSA certificate for `adc.test`.
/// `None` (the test says so) when the `openssl` program is absent.
struct RsaCbcServer {
    child: std::process::Child,
    dir: std::path::PathBuf,
    base_url: String,
    certificate: Vec<u8>,
}

impl Drop for RsaCbcServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn start_rsa_cbc_server() -> Option<RsaCbcServer> {
    use std::process::{Command, Stdio};
    let unique = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let dir = std::env::temp_dir().join(format!("netscaler-reach-{}-{unique}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2"])
        .args(["-subj", "/CN=adc.test", "-addext", "subjectAltName=DNS:adc.test"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("skipped: the `openssl` program is not available to make an RSA-only TLS server");
        let _ = std::fs::remove_dir_all(&dir);
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("openssl")
        .args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-cert", "cert.pem", "-key", "key.pem"])
        .args(["-cipher", "AES256-SHA", "-tls1_2", "-www", "-naccept", "4", "-quiet"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let certificate = std::fs::read(dir.join("cert.pem")).unwrap();
    let server = RsaCbcServer { child, dir, base_url: format!("https://127.0.0.1:{port}"), certificate };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return Some(server);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("openssl s_server did not start");
}

#[tokio::test]
async fn an_appliance_offering_only_rsa_key_exchange_needs_native_tls() {
    let Some(server) = start_rsa_cbc_server().await else { return };
    let client = |native: bool| {
        let builder = Client::builder(&server.base_url)
            .tls_server_name("adc.test")
            .add_root_certificate(&server.certificate)
            .retry(RetryPolicy::none());
        if native { builder.use_native_tls() } else { builder }.build().unwrap()
    };
    // rustls does not implement RSA key exchange: no handshake.
    let error = client(false).send(Request::raw(Method::Get, "/")).await.unwrap_err();
    assert!(matches!(&error, Error::Transport(_)), "{error}");
    assert!(error.to_string().contains("native-tls"), "the error names the way out: {error}");
    eprintln!("rustls against AES256-SHA only: {error}");
    // native-tls completes the handshake (`s_server -www` then answers an HTML
    // status page, which is not a NITRO answer: a decode error, not a transport one).
    let answer = client(true).send(Request::raw(Method::Get, "/")).await;
    assert!(!matches!(&answer, Err(Error::Transport(_))), "{answer:?}");
}

// --- Headers and the Console proxy -------------------------------------------

#[tokio::test]
async fn client_and_request_headers_and_a_user_agent_reach_the_server() {
    let server = NitroServer::start().await;
    let client = builder(&server).credentials(USER, PASSWORD).header("X-Request-Source", "ops-runbook-7").build().unwrap();
    client.send(Request::<Vec<Lbvserver>>::get_all().header("X-Change-Ticket", "CHG-1234")).await.unwrap();
    client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(header(request, "x-request-source"), Some("ops-runbook-7"));
        assert_eq!(header(request, "user-agent"), Some(netscaler::runtime::transport::DEFAULT_USER_AGENT));
    }
    assert!(netscaler::runtime::transport::DEFAULT_USER_AGENT.starts_with("netscaler/"));
    assert_eq!(header(&requests[0], "x-change-ticket"), Some("CHG-1234"));
    assert_eq!(header(&requests[1], "x-change-ticket"), None, "a request header goes with that request only");
    let refused = client.send(Request::<Vec<Lbvserver>>::get_all().header("Cookie", "NITRO_AUTH_TOKEN=other")).await.unwrap_err();
    assert!(matches!(refused, Error::InvalidRequest(_)), "{refused}");
    assert_eq!(server.requests().len(), 2, "nothing sent");
    // A User-Agent of the caller's replaces the default.
    let custom = builder(&server).header("User-Agent", "ops-tool/2.1").build().unwrap();
    custom.send(Request::<Vec<Lbvserver>>::get_all()).await.ok();
    assert_eq!(header(server.requests().last().unwrap(), "user-agent"), Some("ops-tool/2.1"));
}

#[tokio::test]
async fn console_proxy_headers_go_with_every_request_but_login_and_logout() {
    let server = NitroServer::start().await;
    let instance = ManagedInstance::ip("10.0.0.5").credentials("instance-admin", "inst-pa55!");
    let client = builder(&server).session(USER, PASSWORD).managed_instance(instance.clone()).build().unwrap();
    let shown = format!("{client:?} {instance:?} {:?}", builder(&server).managed_instance(instance.clone()));
    assert!(!shown.contains("inst-pa55!"), "{shown}");
    client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    client.send(Request::add(&vserver("vs-proxied"), Method::Post)).await.unwrap();
    client.logout().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 4, "login, get, add, logout");
    for request in &requests {
        let proxied = [
            header(request, "_mps_api_proxy_managed_instance_ip"),
            header(request, "_mps_api_proxy_managed_instance_username"),
            header(request, "_mps_api_proxy_managed_instance_password"),
        ];
        if is_login(request) || is_logout(request) {
            assert_eq!(proxied, [None, None, None], "{}", request.path_and_query);
        } else {
            assert_eq!(proxied, [Some("10.0.0.5"), Some("instance-admin"), Some("inst-pa55!")], "{}", request.path_and_query);
        }
    }
    for (instance, header_name, value) in [
        (ManagedInstance::name("adc-east-1"), "_mps_api_proxy_managed_instance_name", "adc-east-1"),
        (ManagedInstance::id("7f3c"), "_mps_api_proxy_managed_instance_id", "7f3c"),
    ] {
        builder(&server).credentials(USER, PASSWORD).managed_instance(instance).build().unwrap().send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
        let last = server.requests().pop().unwrap();
        assert_eq!(header(&last, header_name), Some(value));
        assert_eq!(header(&last, "_mps_api_proxy_managed_instance_ip"), None);
    }
}

// --- Partitions ---------------------------------------------------------------

#[tokio::test]
async fn a_relogin_lands_in_the_same_partition() {
    let server = NitroServer::start().await;
    server.add_partition("tenant-a");
    let client = builder(&server).session(USER, PASSWORD).partition("tenant-a").build().unwrap();
    client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    server.expire_sessions();
    client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    let requests = server.requests();
    let reads: Vec<&Recorded> = requests.iter().filter(|request| request.method == "GET").collect();
    // The read refused as expired, then the one after the re-login.
    assert_eq!(reads.len(), 3);
    assert!(reads.iter().all(|read| read.partition == "tenant-a"), "{:?}", reads.iter().map(|r| &r.partition).collect::<Vec<_>>());
    let switches = requests.iter().filter(|request| request.path_and_query.contains("nspartition?action=Switch")).count();
    assert_eq!((server.state().logins, switches), (2, 2), "each login is followed by its switch");

    // The control: without `partition`, the server's re-login lands in `default`.
    let plain = builder(&server).session(USER, PASSWORD).build().unwrap();
    plain.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    assert_eq!(server.requests().last().unwrap().partition, "default");

    // A partition that does not exist: the login fails, nothing runs in `default`.
    let before = server.requests().len();
    let wrong = builder(&server).session(USER, PASSWORD).partition("no-such").build().unwrap();
    let error = wrong.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
    assert!(server.requests()[before..].iter().all(|request| request.method != "GET"));
}

#[test]
fn a_partition_needs_a_session() {
    let error = Client::builder("https://127.0.0.1").credentials(USER, PASSWORD).partition("tenant-a").build().unwrap_err();
    assert!(matches!(&error, Error::Config(text) if text.contains("session")), "{error}");
}

// --- Retries ----------------------------------------------------------------

#[tokio::test]
async fn retries_ride_out_a_503_phase_for_reads_and_idempotent_writes_only() {
    let server = NitroServer::start().await;
    let client = builder(&server).credentials(USER, PASSWORD).build().unwrap();

    server.unavailable_for(2);
    let started = Instant::now();
    client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    let (attempts, elapsed) = (server.arrivals(), started.elapsed());
    eprintln!("figure: GET through two 503s: {attempts} attempts, {elapsed:?} (waits 10-20 ms, 20-40 ms)");
    assert_eq!(attempts, 3);
    assert!(elapsed >= Duration::from_millis(30), "{elapsed:?}");

    // A plain POST the appliance may have executed: sent once, the 503 reported.
    server.unavailable_for(2);
    let before = server.arrivals();
    let started = Instant::now();
    let error = client.send(Request::add(&vserver("vs-once"), Method::Post)).await.unwrap_err();
    eprintln!("figure: plain POST into a 503: {} attempt, {:?}", server.arrivals() - before, started.elapsed());
    assert_eq!((error.status(), server.arrivals() - before), (Some(503), 1));
    assert!(server.state().objects.get("lbvserver").is_none_or(|objects| !objects.contains_key("vs-once")));

    // The same add marked idempotent (`idempotent=yes`) is sent again.
    let before = server.arrivals();
    let started = Instant::now();
    client.send(Request::add(&vserver("vs-once"), Method::Post).idempotent()).await.unwrap();
    eprintln!("figure: idempotent add through one 503: {} attempts, {:?}", server.arrivals() - before, started.elapsed());
    assert_eq!(server.arrivals() - before, 2);
    assert!(server.requests().last().unwrap().path_and_query.contains("idempotent=yes"));

    // More 503s than tries: the last 503 is the answer.
    server.unavailable_for(10);
    let before = server.arrivals();
    let started = Instant::now();
    let error = client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    eprintln!("figure: GET into a long 503 phase: {} attempts, {:?}, then the 503", server.arrivals() - before, started.elapsed());
    assert_eq!((error.status(), server.arrivals() - before), (Some(503), 4));

    // Retries off: one try.
    server.unavailable_for(1);
    let before = server.arrivals();
    let once = builder(&server).credentials(USER, PASSWORD).retry(RetryPolicy::none()).build().unwrap();
    assert_eq!(once.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err().status(), Some(503));
    assert_eq!(server.arrivals() - before, 1);
    server.unavailable_for(0);
}

#[tokio::test]
async fn a_login_during_the_503_phase_is_tried_again() {
    let server = NitroServer::start().await;
    server.unavailable_for(2);
    let client = builder(&server).session(USER, PASSWORD).build().unwrap();
    client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    assert_eq!(server.arrivals(), 4, "two 503s, the login, the read");
    assert_eq!(server.state().logins, 1);
}

#[tokio::test]
async fn refused_connections_during_a_restart_are_tried_again() {
    let (base_url, later) = NitroServer::start_later(Duration::from_millis(150)).await;
    let client = Client::builder(&base_url)
        .allow_insecure_http(true)
        .credentials(USER, PASSWORD)
        .retry(RetryPolicy::new(8, Duration::from_millis(50)).max_delay(Duration::from_millis(200)))
        .build()
        .unwrap();
    let started = Instant::now();
    // A POST too: a refused connection sent nothing.
    let outcome = client.send(Request::add(&vserver("vs-after-restart"), Method::Post)).await.unwrap();
    let elapsed = started.elapsed();
    let server = later.await.unwrap();
    eprintln!("figure: add while the port refuses for 150 ms: done after {elapsed:?}, {} arrival", server.arrivals());
    assert_eq!((outcome.status, server.arrivals()), (201, 1));
    assert!(elapsed >= Duration::from_millis(150), "{elapsed:?}");
}

// --- Concurrency and timeouts -------------------------------------------------

#[tokio::test]
async fn fan_out_queues_behind_the_in_flight_cap() {
    let server = NitroServer::start().await;
    server.delay_each(Some(Duration::from_millis(20)));
    for cap in [4usize, netscaler::runtime::transport::DEFAULT_MAX_IN_FLIGHT] {
        let fresh = NitroServer::start().await;
        fresh.delay_each(Some(Duration::from_millis(20)));
        let client = builder(&fresh).credentials(USER, PASSWORD).max_in_flight(cap).build().unwrap();
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let client = client.clone();
            tasks.spawn(async move { client.send(Request::<Vec<Lbvserver>>::get_all()).await });
        }
        while let Some(result) = tasks.join_next().await {
            result.unwrap().unwrap();
        }
        let elapsed = started.elapsed();
        eprintln!("figure: 50 concurrent reads, 20 ms each, cap {cap}: at most {} in flight at the server, {elapsed:?}", fresh.max_in_flight());
        assert_eq!(fresh.arrivals(), 50);
        assert!(fresh.max_in_flight() <= cap, "{} > {cap}", fresh.max_in_flight());
        assert!(fresh.max_in_flight() >= 2, "the cap still lets requests run side by side");
    }
    // Uncapped (the cap as high as the fan-out), for comparison: the server sees more at once.
    let client = builder(&server).credentials(USER, PASSWORD).max_in_flight(50).build().unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.spawn(async move { client.send(Request::<Vec<Lbvserver>>::get_all()).await });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    eprintln!("figure: 50 concurrent reads, cap 50: {} in flight at the server", server.max_in_flight());
    assert!(server.max_in_flight() > netscaler::runtime::transport::DEFAULT_MAX_IN_FLIGHT);
}

#[tokio::test]
async fn a_request_can_ask_for_a_longer_timeout() {
    let server = NitroServer::start().await;
    let client = builder(&server).credentials(USER, PASSWORD).timeout(Duration::from_millis(100)).retry(RetryPolicy::none()).build().unwrap();
    server.delay_each(Some(Duration::from_millis(300)));
    let error = client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(&error, Error::Transport(transport) if transport.is_timeout()), "{error}");
    let outcome = client.send(Request::raw(Method::Post, "/nitro/v1/config/nsconfig").option("action", "save").timeout(Duration::from_secs(5))).await;
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(server.state().saves, 1);
}

// --- Raw requests, payloads, pages ---------------------------------------------

#[tokio::test]
async fn raw_requests_reach_any_path_and_refuse_dot_segments() {
    let server = NitroServer::start().await;
    let client = builder(&server).credentials(USER, PASSWORD).build().unwrap();
    client.send(Request::add(&vserver("vs-raw"), Method::Post)).await.unwrap();
    let body = client
        .send(Request::raw(Method::Get, "/nitro/v1/config/lbvserver").attrs(&["name", "port"]).header("X-Raw", "yes"))
        .await
        .unwrap();
    assert_eq!(body["lbvserver"][0]["name"], "vs-raw");
    let seen = server.requests().pop().unwrap();
    assert_eq!((seen.path_and_query.as_str(), header(&seen, "x-raw")), ("/nitro/v1/config/lbvserver?attrs=name,port", Some("yes")));
    let body = json!({"lbvserver": {"name": "vs-raw-2", "servicetype": "HTTP", "ipv46": "10.0.0.11", "port": 81}});
    client.send(Request::raw(Method::Post, "/nitro/v1/config/lbvserver").json(&body)).await.unwrap();
    assert_eq!(server.requests().pop().unwrap().body, Some(body));
    let before = server.arrivals();
    for path in ["/nitro/v1/config/lbvserver/..", "/nitro/v1/config/%2e%2e/x", "nitro/v1/config/lbvserver", "/nitro/v1/config/lbvserver?x=1"] {
        let error = client.send(Request::raw(Method::Delete, path)).await.unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{path}: {error}");
    }
    assert_eq!(server.arrivals(), before, "nothing sent");
}

#[tokio::test]
async fn an_action_outcome_keeps_its_payload() {
    let server = NitroServer::start().await;
    let client = builder(&server).credentials(USER, PASSWORD).build().unwrap();
    let outcome: Outcome = client.send(Request::action(&Nsconfig::default(), "diff")).await.unwrap();
    let payload = outcome.payload().expect("diff answers data");
    assert!(payload["response"].as_str().unwrap().contains("add lb vserver vs-new"), "{payload}");
    let plain = client.send(Request::add(&vserver("vs-no-payload"), Method::Post)).await.unwrap();
    assert_eq!(plain.payload(), None);
}

#[tokio::test]
async fn a_stream_reads_every_item_page_by_page() {
    let server = NitroServer::start().await;
    let client = builder(&server).credentials(USER, PASSWORD).build().unwrap();
    for index in 0..7 {
        client.send(Request::add(&vserver(&format!("vs-{index}")), Method::Post)).await.unwrap();
    }
    let mut pages = client.stream(Request::<Vec<Lbvserver>>::get_all().page(3, 1));
    let mut names = Vec::new();
    while let Some(item) = pages.next().await {
        names.push(item.unwrap().name.unwrap());
    }
    assert_eq!(names, (0..7).map(|index| format!("vs-{index}")).collect::<Vec<_>>());
    assert_eq!(pages.pages_read(), 3);
    let reads: Vec<String> = server.requests().into_iter().filter(|r| r.method == "GET").map(|r| r.path_and_query).collect();
    assert_eq!(reads, ["/nitro/v1/config/lbvserver?pagesize=3&pageno=1", "/nitro/v1/config/lbvserver?pagesize=3&pageno=2", "/nitro/v1/config/lbvserver?pagesize=3&pageno=3"]);
    // A page size the items fill exactly ends with an empty page.
    let mut pages = client.stream(Request::<Vec<Lbvserver>>::get_all().page(7, 1));
    let mut count = 0;
    while let Some(item) = pages.next().await {
        item.unwrap();
        count += 1;
    }
    assert_eq!((count, pages.pages_read()), (7, 2));
}

// --- One session core for both clients ------------------------------------------

/// A Next-Gen API on loopback whose login always fails (401), counting
/// login attempts; every other path answers 401/1101 (no session).
async fn start_refusing_nextgen() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use axum::http::{StatusCode, Uri};
    let logins = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = logins.clone();
    let router = axum::Router::new().fallback(move |uri: Uri| {
        let counted = counted.clone();
        async move {
            if uri.path().ends_with("/login") {
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(30)).await;
                return (StatusCode::UNAUTHORIZED, r#"{"errorcode": 354, "errormessage": "Invalid username or password"}"#);
            }
            (StatusCode::UNAUTHORIZED, r#"{"errorcode": 1101, "errormessage": "no session"}"#)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(60), axum::serve(listener, router)).await;
    });
    (format!("http://{address}"), logins)
}

#[tokio::test]
async fn a_failed_nextgen_login_is_shared_not_repeated() {
    use netscaler::runtime::nextgen::{Method as NgMethod, NextgenClient, Request as NgRequest};
    let (base_url, logins) = start_refusing_nextgen().await;
    let client = NextgenClient::builder(&base_url).session("admin", "wrong-pa55", None).allow_insecure_http(true).build().unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        tasks.spawn(async move { client.send(NgRequest::<serde_json::Value>::new(NgMethod::Get, "/applications")).await });
    }
    while let Some(result) = tasks.join_next().await {
        let error = result.unwrap().unwrap_err();
        assert_eq!(error.status(), Some(401), "{error}");
        assert!(!format!("{error} {error:?}").contains("wrong-pa55"));
    }
    assert_eq!(logins.load(std::sync::atomic::Ordering::SeqCst), 1, "20 requests, one login attempt (no account lockout)");
    // Within the backoff the failure is answered without contacting the API.
    client.send(NgRequest::<serde_json::Value>::new(NgMethod::Get, "/applications")).await.unwrap_err();
    assert_eq!(logins.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_injected_reqwest_client_sends_with_our_checks() {
    let server = NitroServer::start().await;
    let client = builder(&server).credentials(USER, PASSWORD).http_client(reqwest_client()).max_response_bytes(100).build().unwrap();
    client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    let seen = server.requests().pop().unwrap();
    assert_eq!(header(&seen, "user-agent"), Some(netscaler::runtime::transport::DEFAULT_USER_AGENT));
    // Our limits still hold: a larger answer is refused whatever the injected client allows.
    for index in 0..5 {
        client.send(Request::add(&vserver(&format!("vs-injected-{index}")), Method::Post)).await.unwrap();
    }
    let error = client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { limit: 100, .. }), "{error}");
}
