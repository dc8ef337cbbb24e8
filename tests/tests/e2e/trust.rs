//! End-to-end: the client against a test server that misbehaves on
//! request (redirects, 304, huge bodies, slow answers, failing logins, a
//! proxy's HTML page, old firmware without `severity`), a closed port and
//! a TLS server with a self-signed certificate. Each test checks what the
//! servers saw and what the client returned.

use netscaler_tests::tls_server::{self, Issuer};
use netscaler::runtime::{Client, Error, Method, Request, RetryPolicy};
use netscaler_tests::hand_model;
use netscaler_tests::nitro_server::{Fault, NitroServer, PASSWORD, USER};
use serde_json::json;
use std::time::{Duration, Instant};

hand_model!(Lbvserver, "lbvserver", Config, ["name"], {
    "ipv46" => ipv46: Option<String>,
    "name" => name: Option<String>,
    "port" => port: Option<i64>,
    "servicetype" => servicetype: Option<String>,
});

const MIB: u64 = 1024 * 1024;

fn vserver(name: &str) -> Lbvserver {
    Lbvserver {
        name: Some(name.into()),
        servicetype: Some("HTTP".into()),
        ipv46: Some("10.0.0.10".into()),
        port: Some(80),
        ..Default::default()
    }
}

fn header_client(server: &NitroServer) -> Client {
    Client::builder(server.base_url()).allow_insecure_http(true).credentials(USER, PASSWORD).build().unwrap()
}

fn session_client(server: &NitroServer) -> Client {
    Client::builder(server.base_url()).allow_insecure_http(true).session(USER, PASSWORD).build().unwrap()
}

/// A request header as the server saw it.
fn header<'a>(request: &'a netscaler_tests::nitro_server::Recorded, name: &str) -> Option<&'a str> {
    request.headers.iter().find(|(header, _)| header == name).map(|(_, value)| value.as_str())
}

#[tokio::test]
async fn a_302_to_the_same_url_on_add_is_an_error_and_is_not_followed() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    server.fault(Some(Fault::Redirect { status: 302, location: None }));
    let error = client.send(Request::add(&vserver("vs1"), Method::Post)).await.unwrap_err();
    match &error {
        Error::UnexpectedStatus { status: 302, location: Some(location) } => {
            assert_eq!(location, &format!("{}/nitro/v1/config/lbvserver", server.base_url()));
        }
        other => panic!("a redirect must be an error: {other:?}"),
    }
    assert_eq!(error.status(), Some(302));
    // One POST reached the server; nothing followed it (no GET).
    let requests = server.requests();
    assert_eq!(requests.iter().map(|request| request.method.as_str()).collect::<Vec<_>>(), ["POST"]);
    server.fault(None);
    assert!(client.send(Request::<Vec<Lbvserver>>::get("vs1")).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn a_307_to_another_host_sends_that_host_nothing() {
    let server = NitroServer::start().await;
    let other = NitroServer::start().await;
    let target = format!("{}/nitro/v1/config/lbvserver?sessionid=leaked-token-0001", other.base_url());
    server.fault(Some(Fault::Redirect { status: 307, location: Some(target) }));

    let error = header_client(&server).send(Request::add(&vserver("vs1"), Method::Post)).await.unwrap_err();
    assert!(matches!(error, Error::UnexpectedStatus { status: 307, .. }), "{error:?}");
    let text = format!("{error} {error:?}");
    assert!(text.contains(&other.base_url()) && !text.contains("leaked-token-0001"), "{text}");

    // A session client: logs in at the first server, then is redirected.
    let session = session_client(&server);
    let error = session.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(error, Error::UnexpectedStatus { status: 307, .. }), "{error:?}");
    assert_eq!(server.login_attempts(), 1);

    // The other host saw no request at all: no X-NITRO-PASS, no cookie.
    assert!(other.requests().is_empty(), "{:?}", other.requests());
    // The first server saw the password and the cookie (as it should).
    let requests = server.requests();
    assert!(requests.iter().any(|request| header(request, "x-nitro-pass") == Some(PASSWORD)));
    assert!(requests.iter().any(|request| header(request, "cookie").is_some_and(|cookie| cookie.starts_with("NITRO_AUTH_TOKEN="))));
}

#[tokio::test]
async fn a_304_with_an_empty_body_on_add_is_an_error() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    server.fault(Some(Fault::NotModified));
    let error = client.send(Request::add(&vserver("vs1"), Method::Post)).await.unwrap_err();
    assert!(matches!(error, Error::UnexpectedStatus { status: 304, location: None }), "{error:?}");
    assert!(error.to_string().contains("304"), "{error}");
}

#[tokio::test]
async fn old_firmware_without_severity_errorcodes_are_errors_and_warnings_come_in_the_header() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    server.fault(Some(Fault::NoSeverity));
    // Ordinary answers without severity still work.
    let outcome = client.send(Request::add(&vserver("vs1"), Method::Post)).await.unwrap();
    assert!(!outcome.is_warning() && outcome.severity.is_empty(), "{outcome:?}");
    let got: Vec<Lbvserver> = client.send(Request::get("vs1")).await.unwrap();
    assert_eq!(got.len(), 1);
    // A 200 whose errorcode is not 0 and whose severity is missing.
    server.fail_next(200, json!({"errorcode": 278, "message": "Invalid argument [port]"}));
    let error = client.send(Request::update(&vserver("vs1"))).await.unwrap_err();
    assert_eq!((error.status(), error.errorcode()), (Some(200), Some(278)), "{error:?}");
    // A warning travels in X-NITRO-WARNING with 209, body without severity.
    let mut ssl = vserver("secure");
    ssl.servicetype = Some("SSL".into());
    let outcome = client.send(Request::add(&ssl, Method::Post).warning()).await.unwrap();
    assert!(outcome.is_warning() && outcome.message.contains("no certificate"), "{outcome:?}");
}

#[tokio::test]
async fn a_huge_streamed_answer_stops_at_the_limit() {
    let server = NitroServer::start().await;
    let limited = Client::builder(server.base_url())
        .allow_insecure_http(true)
        .credentials(USER, PASSWORD)
        .max_response_bytes(MIB)
        .build()
        .unwrap();
    server.fault(Some(Fault::HugeBody { bytes: 64 * MIB, declare_length: false }));
    let error = limited.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { limit, content_length: None } if limit == MIB), "{error:?}");
    assert!(error.to_string().contains("1048576") && error.to_string().contains("max_response_bytes"), "{error}");
    // The client stopped reading: the server did not get to produce it all.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(server.streamed_bytes() < 32 * MIB, "the server streamed {} bytes", server.streamed_bytes());

    // A Content-Length over the limit is refused before reading.
    let before = server.streamed_bytes();
    server.fault(Some(Fault::HugeBody { bytes: 70 * MIB, declare_length: true }));
    let error = header_client(&server).send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, content_length: Some(length) } if limit == 64 * MIB && length == 70 * MIB),
        "{error:?}"
    );
    assert!(server.streamed_bytes() - before < 32 * MIB);
}

#[tokio::test]
async fn the_default_limit_is_64_mib_while_streaming() {
    let server = NitroServer::start().await;
    server.fault(Some(Fault::HugeBody { bytes: 70 * MIB, declare_length: false }));
    let error = header_client(&server).send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { limit, .. } if limit == 64 * MIB), "{error:?}");
}

#[tokio::test]
async fn a_list_of_100k_empty_objects_does_not_allocate_100k_models() {
    use netscaler::adc::lb::Lbvserver as Generated;
    let server = NitroServer::start().await;
    let client = header_client(&server);
    let items = vec![json!({}); 100_000];
    let body = json!({"errorcode": 0, "message": "Done", "severity": "NONE", "lbvserver": items});
    let body_bytes = body.to_string().len() as u64;
    server.fail_next(200, body);
    let started = Instant::now();
    let error = client.send(Request::<Vec<Generated>>::get_all()).await.unwrap_err();
    match &error {
        Error::DecodeTooLarge { resource, limit, body_bytes: seen } => {
            assert_eq!(resource, "lbvserver");
            assert_eq!(*seen, body_bytes);
            assert_eq!(*limit, 64 * MIB, "the floor: 16 x {body_bytes} is less");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("max_decoded_bytes"), "{error}");
    assert!(100_000 * std::mem::size_of::<Generated>() as u64 > 64 * MIB, "the test needs a model this large");
    eprintln!("refused after {:?}", started.elapsed());
}

#[tokio::test]
async fn one_failed_login_is_shared_by_twenty_waiting_requests() {
    let server = NitroServer::start().await;
    let client = session_client(&server);
    client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    assert_eq!(server.login_attempts(), 1);

    server.expire_sessions();
    server.fault(Some(Fault::FailingLogin));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        tasks.spawn(async move { client.send(Request::<Vec<Lbvserver>>::get_all()).await });
    }
    let mut errors = Vec::new();
    while let Some(result) = tasks.join_next().await {
        errors.push(result.unwrap().unwrap_err());
    }
    assert_eq!(errors.len(), 20);
    for error in &errors {
        assert_eq!((error.status(), error.errorcode()), (Some(401), Some(354)), "{error:?}");
    }
    assert_eq!(server.login_attempts(), 2, "exactly one login attempt for the 20 requests");

    // The next request within the backoff gets the failure without a login.
    let error = client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert_eq!(error.errorcode(), Some(354));
    assert!(client.login().await.is_err());
    assert_eq!(server.login_attempts(), 2);

    // After the backoff (1 s) the client tries again.
    server.fault(None);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    assert_eq!(server.login_attempts(), 3);
}

#[tokio::test]
async fn one_successful_relogin_serves_twenty_requests() {
    let server = NitroServer::start().await;
    let client = session_client(&server);
    client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    server.expire_sessions();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        tasks.spawn(async move { client.send(Request::<Vec<Lbvserver>>::get_all()).await });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(server.login_attempts(), 2);
}

#[tokio::test]
async fn waits_for_a_slow_login_are_bounded_by_the_request_timeout() {
    let server = NitroServer::start().await;
    server.fault(Some(Fault::Slow(Duration::from_millis(600))));
    let client = Client::builder(server.base_url())
        .allow_insecure_http(true)
        .session(USER, PASSWORD)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..5 {
        let client = client.clone();
        tasks.spawn(async move { client.send(Request::<Vec<Lbvserver>>::get_all()).await });
    }
    while let Some(result) = tasks.join_next().await {
        let error = result.unwrap().unwrap_err();
        let timed_out = matches!(&error, Error::Transport(transport) if transport.is_timeout()) || matches!(error, Error::LoginWait(_));
        assert!(timed_out, "{error:?}");
    }
    assert!(started.elapsed() < Duration::from_millis(1000), "{:?}", started.elapsed());
    assert_eq!(server.login_attempts(), 1, "one login for the 5 requests");
}

#[tokio::test]
async fn plain_http_with_a_password_is_refused_unless_allowed() {
    let server = NitroServer::start().await;
    for builder in [Client::builder(server.base_url()).session(USER, PASSWORD), Client::builder(server.base_url()).credentials(USER, PASSWORD)] {
        let error = builder.build().unwrap_err();
        assert!(matches!(&error, Error::Config(text) if text.contains("allow_insecure_http")), "{error}");
    }
    let nextgen = netscaler::runtime::nextgen::NextgenClient::builder(server.base_url()).session(USER, PASSWORD, None).build();
    assert!(nextgen.is_err());
    let nextgen = netscaler::runtime::nextgen::NextgenClient::builder(server.base_url()).auth_bearer("t0k3n").build();
    assert!(nextgen.is_err());
    let userinfo = format!("https://{USER}:{PASSWORD}@127.0.0.1:1");
    let error = Client::builder(&userinfo).session(USER, PASSWORD).build().unwrap_err();
    assert!(!format!("{error} {error:?}").contains(PASSWORD), "{error:?}");
    let error = netscaler::runtime::nextgen::NextgenClient::builder(&userinfo).build().unwrap_err();
    assert!(!format!("{error} {error:?}").contains(PASSWORD), "{error:?}");
    assert!(server.requests().is_empty());
    // Allowed on purpose, it works.
    session_client(&server).send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
}

#[tokio::test]
async fn a_closed_port_says_connection_refused_without_the_query() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    // Without retries: a refused connection is otherwise tried again (nothing was sent).
    let client = Client::builder(format!("https://{address}")).session(USER, PASSWORD).retry(RetryPolicy::none()).build().unwrap();
    let request = Request::<Vec<Lbvserver>>::get_all().filter("name", "secret-filter-value");
    let error = client.send(request).await.unwrap_err();
    let text = error.to_string();
    assert!(matches!(&error, Error::Transport(transport) if transport.is_connect()), "{error:?}");
    assert!(text.to_ascii_lowercase().contains("connection refused"), "{text}");
    assert!(text.contains(&address.to_string()), "{text}");
    assert!(!format!("{text} {error:?}").contains(PASSWORD), "{text}");
    let header_client = Client::builder(format!("https://{address}")).credentials(USER, PASSWORD).retry(RetryPolicy::none()).build().unwrap();
    let error = header_client.send(Request::<Vec<Lbvserver>>::get_all().filter("name", "secret-filter-value")).await.unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(!text.contains("secret-filter-value") && !text.contains(PASSWORD), "{text}");
    eprintln!("{error}");
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout_that_says_so() {
    let server = NitroServer::start().await;
    let client = Client::builder(server.base_url())
        .allow_insecure_http(true)
        .credentials(USER, PASSWORD)
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    server.fault(Some(Fault::Slow(Duration::from_secs(3))));
    let error = client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(&error, Error::Transport(transport) if transport.is_timeout()), "{error:?}");
    assert!(error.to_string().contains("timed out"), "{error}");
}

#[tokio::test]
async fn an_html_502_from_a_proxy_is_an_error_with_status_and_short_text() {
    let server = NitroServer::start().await;
    server.fault(Some(Fault::ProxyError));
    let error = header_client(&server).send(Request::add(&vserver("vs1"), Method::Post)).await.unwrap_err();
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.message(), Some("502 Bad Gateway"), "{error:?}");
    assert!(error.to_string().len() < 80, "{error}");
}

/// An HTTPS responder on 127.0.0.1 with a self-signed certificate, as a
/// new appliance has; it answers one NITRO list to every request.
async fn start_self_signed_server() -> String {
    tls_server::start("127.0.0.1", Issuer::SelfSigned, r#"{"errorcode":0,"message":"Done","severity":"NONE","lbvserver":[{"name":"tls-vs"}]}"#).await.url
}

#[tokio::test]
async fn an_untrusted_certificate_says_how_to_trust_the_appliance() {
    let base_url = start_self_signed_server().await;
    let client = Client::builder(&base_url).credentials(USER, PASSWORD).build().unwrap();
    let error = client.send(Request::<Vec<Lbvserver>>::get_all().filter("name", "secret-filter-value")).await.unwrap_err();
    let text = error.to_string();
    assert!(matches!(&error, Error::Transport(transport) if transport.is_certificate()), "{error:?}");
    assert!(text.contains("certificate"), "{text}");
    assert!(text.contains("add_root_certificate") && text.contains("danger_accept_invalid_certs(true)"), "{text}");
    assert!(!text.contains("secret-filter-value") && !text.contains(PASSWORD), "{text}");
    eprintln!("{text}");
    // The hint works: trusting anything (a lab) gets the answer.
    let lab = Client::builder(&base_url).credentials(USER, PASSWORD).danger_accept_invalid_certs(true).build().unwrap();
    assert_eq!(lab.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap().len(), 1);
}
