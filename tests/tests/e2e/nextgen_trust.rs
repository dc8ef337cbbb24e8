//! What the Next-Gen client (`NextgenClient`) may never do, attacked on
//! loopback servers written here: show an `auth_query` credential in an
//! error text, send a cookie parameter that adds or replaces a cookie,
//! follow a redirect (to the same URL, to another host) or call a 3xx a
//! success, or read an answer larger than its limit.
//!
//! The servers record what they actually received, so each test checks
//! the request that reached them, not only the client's result.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use netscaler::runtime::nextgen::{Error, Method as NgMethod, NextgenClient, Request, DEFAULT_MAX_RESPONSE_BYTES};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET_KEY: &str = "S3CRET-qu3ry-K3Y";

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    query: String,
    cookie: Vec<String>,
    pass: Option<String>,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// An axum server on 127.0.0.1 answering by path below the Next-Gen base:
/// `/ok`, `/redirect-same` (302 to the same URL, query included),
/// `/redirect-other` (307 to `other`), `/not-modified` (304), `/big`
/// (`big` bytes with a `Content-Length`).
async fn start(other: String, big: usize) -> (String, Log) {
    let log: Log = Arc::default();
    let shared = log.clone();
    let app = Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, _body: Bytes| {
        let log = shared.clone();
        let other = other.clone();
        async move { answer(&log, &other, big, method, uri, headers) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), log)
}

fn answer(log: &Log, other: &str, big: usize, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let seen = Seen {
        method: method.to_string(),
        path: uri.path().to_string(),
        query: uri.query().unwrap_or_default().to_string(),
        cookie: headers.get_all("cookie").iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).collect(),
        pass: headers.get("x-key").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
    };
    log.lock().unwrap().push(seen);
    let path = uri.path().trim_start_matches("/mgmt/api/nextgen/v1");
    let same = uri.to_string();
    match path {
        "/ok" => (StatusCode::OK, [("content-type", "application/json")], "{}").into_response(),
        "/redirect-same" => (StatusCode::FOUND, [("location", same.as_str())], "").into_response(),
        "/redirect-other" => {
            let target = format!("{other}/mgmt/api/nextgen/v1/ok?{}", uri.query().unwrap_or_default());
            (StatusCode::TEMPORARY_REDIRECT, [("location", target.as_str())], "").into_response()
        }
        "/not-modified" => StatusCode::NOT_MODIFIED.into_response(),
        "/big" => (StatusCode::OK, vec![b'x'; big]).into_response(),
        _ => (StatusCode::NOT_FOUND, "{}").into_response(),
    }
}

/// A port on 127.0.0.1 where nothing listens.
async fn closed_port() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

/// A server that accepts and never answers.
async fn silent_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        for _ in 0..8 {
            let Ok((stream, _)) = listener.accept().await else { return };
            held.push(stream);
        }
    });
    format!("http://{address}")
}

fn keyed_client(base: &str) -> NextgenClient {
    NextgenClient::builder(base).auth_query("key", SECRET_KEY).timeout(Duration::from_millis(500))
        .retry(netscaler::RetryPolicy::none())
        .allow_insecure_http(true)
        .build()
        .unwrap()
}

fn get(path: &'static str) -> Request<Vec<u8>> {
    Request::raw(NgMethod::Get, path)
}

#[tokio::test]
async fn auth_query_credentials_never_appear_in_transport_errors() {
    for base in [closed_port().await, silent_server().await] {
        let error = keyed_client(&base).send(get("/applications")).await.expect_err("nothing answers");
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        let (text, debug) = (error.to_string(), format!("{error:?}"));
        assert!(!text.contains(SECRET_KEY) && !debug.contains(SECRET_KEY), "{text}\n{debug}");
        // The URL is still named (without its query), and the cause too.
        assert!(text.contains("/mgmt/api/nextgen/v1/applications"), "{text}");
        assert!(!text.contains("key="), "{text}");
        assert!(text.len() > "transport: error sending request for url ()".len() + base.len() + 30, "no cause in {text}");
    }
}

#[tokio::test]
async fn a_redirect_is_an_error_with_its_location_and_is_not_followed() {
    let (other, other_log) = start(String::new(), 0).await;
    let (base, log) = start(other.clone(), 0).await;
    let client = NextgenClient::builder(&base).auth_query("key", SECRET_KEY).auth_header("X-Key", "h3ader-s3cret").allow_insecure_http(true).build().unwrap();

    // 302 to the same URL on a write: not followed (reqwest would turn the
    // POST into a GET and report the GET's 200), not a success.
    let write = Request::<Vec<u8>>::raw(NgMethod::Post, "/redirect-same").json(&serde_json::json!({"application": {}}));
    let error = client.send(write).await.expect_err("302 is not success");
    match &error {
        Error::Redirect { status: 302, location: Some(location) } => {
            assert!(location.ends_with("/mgmt/api/nextgen/v1/redirect-same"), "{location}");
        }
        other => panic!("expected a 302 redirect error, got {other:?}"),
    }
    // The server sent the key back in `Location`; the error shows none of it.
    assert!(!error.to_string().contains(SECRET_KEY) && !format!("{error:?}").contains(SECRET_KEY), "{error}");
    assert_eq!(error.status(), Some(302));
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "followed: {seen:?}");
    assert_eq!((seen[0].method.as_str(), seen[0].path.as_str()), ("POST", "/mgmt/api/nextgen/v1/redirect-same"));

    // 307 to another host: nothing reaches it, no credential travels.
    let error = client.send(get("/redirect-other")).await.expect_err("307 is not success");
    assert!(matches!(&error, Error::Redirect { status: 307, location: Some(l) } if l.starts_with(&other)), "{error:?}");
    assert!(other_log.lock().unwrap().is_empty(), "{:?}", other_log.lock().unwrap());

    // 304 with an empty body on a write is not a success either.
    let write = Request::empty(NgMethod::Post, "/not-modified").json(&serde_json::json!({}));
    let error = client.send(write).await.expect_err("304 is not success");
    assert!(matches!(error, Error::Redirect { status: 304, location: None }), "{error:?}");

    // And 2xx still is (the credentials reached the right host).
    client.send(get("/ok")).await.expect("200");
    let last = log.lock().unwrap().last().cloned().unwrap();
    assert_eq!((last.query.as_str(), last.pass.as_deref()), (format!("key={SECRET_KEY}").as_str(), Some("h3ader-s3cret")));
}

#[tokio::test]
async fn cookie_parameters_that_could_inject_a_cookie_are_refused_before_sending() {
    let (base, log) = start(String::new(), 0).await;
    let client = NextgenClient::builder(&base).auth_cookie("token", "t0k3n").allow_insecure_http(true).build().unwrap();
    let attacks: &[(&str, &str)] = &[
        ("pref", "a; sessionid=evil"),
        ("pref", "a;sessionid=evil"),
        ("pref", "a, sessionid=evil"),
        ("pref", "a b"),
        ("pref", "a\tb"),
        ("pref", "a\u{0}b"),
        ("pref", "a\"b"),
        ("pref", "a\\b"),
        ("pref", "é"),
        ("sessionid", "evil"),
        ("SessionID", "evil"),
        ("token", "replaced"),
        ("a=b", "c"),
        ("a;b", "c"),
        ("a,b", "c"),
        ("a b", "c"),
        ("", "c"),
        ("a\r\nX-Injected", "c"),
    ];
    for (name, value) in attacks {
        let request = get("/ok").cookie(name, *value);
        let error = client.send(request).await.expect_err(&format!("cookie {name:?}={value:?} must be refused"));
        assert!(matches!(error, Error::InvalidRequest(_)), "{name:?}={value:?}: {error:?}");
        // The refusal names the cookie, never its value.
        assert!(value.len() < 3 || !error.to_string().contains(value), "{error}");
    }
    // List items are joined by commas, so an item may not carry `=`.
    let list: &[&str] = &["a", "sessionid=evil"];
    assert!(matches!(client.send(get("/ok").cookie("pref", list)).await, Err(Error::InvalidRequest(_))));
    assert!(log.lock().unwrap().is_empty(), "sent: {:?}", log.lock().unwrap());

    // Ordinary values go through, one cookie each, next to the credential.
    let list: &[&str] = &["a", "b"];
    client.send(get("/ok").cookie("pref", "dark=1").cookie("tabs", list)).await.expect("plain cookies");
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].cookie, ["pref=dark=1; tabs=a,b; token=t0k3n"]);

    // A credential cookie that could inject is refused when building.
    for (name, value) in [("sessionid", "x"), ("t;k", "x"), ("token", "a; sessionid=evil")] {
        let built = NextgenClient::builder(&base).allow_insecure_http(true).auth_cookie(name, value).build();
        assert!(matches!(&built, Err(Error::Config(message)) if message.contains("cookie")), "{name:?}={value:?}");
    }
}

#[tokio::test]
async fn answers_larger_than_the_limit_are_refused_on_content_length() {
    let (base, _) = start(String::new(), 300_000).await;
    let client = NextgenClient::builder(&base).max_response_bytes(200_000).build().unwrap();
    let error = client.send(get("/big")).await.expect_err("over the limit");
    match &error {
        Error::TooLarge { status: 200, limit: 200_000, content_length: Some(300_000) } => {}
        other => panic!("expected TooLarge, got {other:?}"),
    }
    let text = error.to_string();
    assert!(text.contains("200000") && text.contains("max_response_bytes"), "{text}");
    // At the limit it is read whole.
    let client = NextgenClient::builder(&base).max_response_bytes(300_000).build().unwrap();
    assert_eq!(client.send(get("/big")).await.expect("at the limit").value.len(), 300_000);
    assert_eq!(DEFAULT_MAX_RESPONSE_BYTES, 64 * 1024 * 1024);
}

/// A server that streams a chunked answer (no `Content-Length`) of up to
/// 1 GiB, counting the bytes it managed to write.
async fn endless_server() -> (String, Arc<AtomicU64>) {
    let written = Arc::new(AtomicU64::new(0));
    let counter = written.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else { return };
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(read) => request.extend_from_slice(&buffer[..read]),
            }
        }
        if stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n").await.is_err() {
            return;
        }
        let chunk = vec![b' '; 64 * 1024];
        let framed = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk, b"\r\n".to_vec()].concat();
        for _ in 0..(1 << 14) {
            if stream.write_all(&framed).await.is_err() {
                return;
            }
            counter.fetch_add(64 * 1024, Ordering::SeqCst);
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
    });
    (format!("http://{address}"), written)
}

#[tokio::test]
async fn a_streamed_answer_is_cut_at_the_limit() {
    let (base, written) = endless_server().await;
    let client = NextgenClient::builder(&base).max_response_bytes(1 << 20).build().unwrap();
    let error = client.send(get("/stream")).await.expect_err("over the limit");
    assert!(matches!(error, Error::TooLarge { status: 200, limit: 1048576, content_length: None }), "{error:?}");
    // The client stopped reading: the server could not write much more
    // than the limit plus what the socket buffers hold (far below 1 GiB).
    tokio::time::sleep(Duration::from_millis(50)).await;
    let sent = written.load(Ordering::SeqCst);
    assert!(sent < 64 << 20, "the server wrote {sent} bytes");
}
