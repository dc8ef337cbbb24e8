//! The generated Next-Gen module and `NextgenClient` against a small local
//! Next-Gen server (axum on loopback, rules written here from our
//! description): login captures the `sessionid` cookie, the caller sees
//! 201 vs 200 of a desired-state POST, errors carry `errorcode`,
//! `errormessage` and `details`, unions and unknown keys decode, logout
//! forgets the session.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use netscaler::nextgen::{self, Application, ApplicationEnvelope, Server};
use netscaler::runtime::nextgen::{Error, NextgenClient};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

const BASE: &str = "/mgmt/api/nextgen/v1";
#[derive(Default)]
struct State {
    /// Session ids currently valid; login `n` hands out `c2Vzc2lvbi0<n>`.
    sessions: BTreeSet<String>,
    logins: usize,
    applications: BTreeSet<String>,
    /// Query strings seen, for checking optional parameters.
    queries: Vec<String>,
}

fn error(status: StatusCode, code: i64, message: &str, instance: &str) -> Response {
    let body = json!({"errorcode": code, "errormessage": message, "details": [{"instance": instance, "message": message}]});
    (status, [("content-type", "application/json")], body.to_string()).into_response()
}

fn session_of(headers: &HeaderMap) -> Option<String> {
    let cookies: Vec<&str> = headers.get_all("cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    cookies.iter().flat_map(|c| c.split(';')).find_map(|pair| pair.trim().strip_prefix("sessionid=").map(str::to_string))
}

async fn handle(state: Arc<Mutex<State>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let Some(path) = uri.path().strip_prefix(BASE) else {
        return (StatusCode::FORBIDDEN, "<html>Forbidden</html>").into_response();
    };
    state.lock().unwrap().queries.push(uri.query().unwrap_or_default().to_string());
    if (method.as_str(), path) == ("POST", "/login") {
        let body: Value = serde_json::from_slice(&body).unwrap_or_default();
        if body.pointer("/login/username") != Some(&json!("nsroot")) || body.pointer("/login/password") != Some(&json!("pw")) {
            return error(StatusCode::UNAUTHORIZED, 1104, "bad credentials", "login");
        }
        let mut state = state.lock().unwrap();
        state.logins += 1;
        let session = format!("c2Vzc2lvbi0{}", state.logins);
        state.sessions.insert(session.clone());
        let mut response = StatusCode::OK.into_response();
        let cookie = format!("sessionid={session}; Path={BASE}; HttpOnly");
        response.headers_mut().insert("set-cookie", HeaderValue::from_str(&cookie).unwrap());
        return response;
    }
    let mut state = state.lock().unwrap();
    let session = session_of(&headers).filter(|id| state.sessions.contains(id));
    let Some(session) = session else {
        return error(StatusCode::UNAUTHORIZED, 1101, "session expired", "session");
    };
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method.as_str(), segments.as_slice()) {
        // Not an API path: lets a test end every session, as an idle
        // timeout would.
        ("POST", ["test-expire-sessions"]) => {
            state.sessions.clear();
            StatusCode::OK.into_response()
        }
        ("POST", ["logout"]) => {
            state.sessions.remove(&session);
            let mut response = StatusCode::OK.into_response();
            let cookie = format!("sessionid=deleted; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path={BASE}");
            response.headers_mut().insert("set-cookie", HeaderValue::from_str(&cookie).unwrap());
            response
        }
        ("POST", ["applications"]) => {
            let body: Value = serde_json::from_slice(&body).unwrap_or_default();
            let name = body.pointer("/application/name").and_then(Value::as_str).unwrap_or_default().to_string();
            if !state.applications.insert(name.clone()) {
                return error(StatusCode::CONFLICT, 1400, "already exists", &name);
            }
            StatusCode::CREATED.into_response()
        }
        ("POST", ["applications", name]) => {
            let body: Value = serde_json::from_slice(&body).unwrap_or_default();
            if body.pointer("/application/name").and_then(Value::as_str) != Some(*name) {
                return error(StatusCode::BAD_REQUEST, 1002, "name in url differs from name in body", name);
            }
            if state.applications.insert(name.to_string()) {
                StatusCode::CREATED.into_response()
            } else {
                StatusCode::OK.into_response()
            }
        }
        ("GET", ["applications", name]) if state.applications.contains(*name) => {
            let body = json!({"application": {
                "name": name,
                "virtual_ip": "192.0.2.10",
                "protocol": "HTTPS",
                "servers": ["10.0.0.1", {"ip": "10.0.0.2", "port": 8080, "weight": 2}],
                "operational_state": "DEGRADED",
                "not_in_the_description": {"kept": true}
            }});
            (StatusCode::OK, [("content-type", "application/json")], body.to_string()).into_response()
        }
        ("GET", ["applications", name]) => error(StatusCode::NOT_FOUND, 1201, "no such application", name),
        ("GET", ["applications", _, "frontends"]) => {
            let body = json!({"frontends": [{"name": "_default", "virtual_ip": "192.0.2.10"}]});
            (StatusCode::OK, [("content-type", "application/json")], body.to_string()).into_response()
        }
        _ => error(StatusCode::NOT_FOUND, 1000, "no route", path),
    }
}

async fn start() -> (String, Arc<Mutex<State>>) {
    let state = Arc::new(Mutex::new(State::default()));
    let shared = state.clone();
    let app = Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
        let state = shared.clone();
        async move { handle(state, method, uri, headers, body).await }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), state)
}

fn application(name: &str) -> ApplicationEnvelope {
    let mut application = Application::default();
    application.name = Some(name.to_string());
    application.virtual_ip = Some("192.0.2.10".to_string());
    application.set_servers(Some(vec![Server::IpAddress("10.0.0.1".into())]));
    let mut envelope = ApplicationEnvelope::default();
    envelope.application = Some(Box::new(application));
    envelope
}

#[tokio::test]
async fn session_status_codes_errors_and_decoding() {
    let (base_url, state) = start().await;
    let client = NextgenClient::builder(&base_url).build().unwrap();

    // Without a session the API refuses, and the error says why.
    let refused = client.send(nextgen::list_applications()).await.unwrap_err();
    assert_eq!((refused.status(), refused.errorcode()), (Some(401), Some(1101)));

    // A wrong password is an API error, and no session is kept.
    let wrong = client.login("nsroot", "nope", None).await.unwrap_err();
    assert_eq!(wrong.errorcode(), Some(1104));
    assert!(!client.has_session());

    client.login("nsroot", "pw", Some("15min")).await.unwrap();
    assert!(client.has_session());
    assert!(!format!("{client:?}").contains("c2Vzc2lvbi0"), "the session id must not show in Debug");

    // Create-only POST: 201, then 409 with the error body's fields.
    let created = client.send(nextgen::add_application(&application("app1"))).await.unwrap();
    assert_eq!(created.status, 201);
    match client.send(nextgen::add_application(&application("app1"))).await.unwrap_err() {
        Error::Api { status, errorcode, errormessage, details, .. } => {
            assert_eq!((status, errorcode, errormessage.as_str()), (409, Some(1400), "already exists"));
            assert_eq!(details[0].instance, "app1");
        }
        other => panic!("expected an API error, got {other:?}"),
    }

    // Desired-state POST: 201 when it creates, 200 when it updates.
    let first = client.send(nextgen::create_or_update_application("app2", &application("app2"))).await.unwrap();
    let second = client.send(nextgen::create_or_update_application("app2", &application("app2"))).await.unwrap();
    assert_eq!((first.status, first.created()), (201, true));
    assert_eq!((second.status, second.created()), (200, false));
    let mismatch = client.send(nextgen::create_or_update_application("other", &application("app2"))).await.unwrap_err();
    assert_eq!(mismatch.errorcode(), Some(1002));

    // GET decodes the union list, open enums and unknown keys.
    let answer = client.send(nextgen::get_application("app1")).await.unwrap();
    let application = answer.value.application.expect("application");
    let servers = application.servers_typed().unwrap().expect("servers");
    assert_eq!(servers[0], Server::IpAddress("10.0.0.1".into()));
    match &servers[1] {
        Server::ServerObject(object) => assert_eq!((object.ip.as_deref(), object.port, object.weight), (Some("10.0.0.2"), Some(8080), Some(2))),
        other => panic!("expected a server object, got {other:?}"),
    }
    assert_eq!(application.protocol.as_ref().map(|p| p.as_str()), Some("HTTPS"));
    assert_eq!(application.operational_state.as_ref().map(|s| s.as_str()), Some("DEGRADED"));
    assert_eq!(application.unknown_fields.get("not_in_the_description"), Some(&json!({"kept": true})));
    let missing = client.send(nextgen::get_application("nope")).await.unwrap_err();
    assert_eq!((missing.status(), missing.errorcode()), (Some(404), Some(1201)));

    // An optional query parameter is sent only when given.
    client.send(nextgen::list_frontends("app1", Some(true))).await.unwrap();
    client.send(nextgen::list_frontends("app1", None)).await.unwrap();
    let queries = state.lock().unwrap().queries.clone();
    assert_eq!(&queries[queries.len() - 2..], ["expanded=true", ""]);

    // Logout forgets the session; the next call is refused again.
    client.logout().await.unwrap();
    assert!(!client.has_session());
    let after = client.send(nextgen::get_application("app1")).await.unwrap_err();
    assert_eq!(after.errorcode(), Some(1101));
}

#[tokio::test]
async fn a_non_api_body_is_an_error_with_the_status() {
    let (base_url, _) = start().await;
    // Another base path reaches the server's non-API answer (as when the
    // Next-Gen API is switched off and Apache answers 403).
    let client = NextgenClient::builder(&base_url).base_path("/elsewhere").build().unwrap();
    match client.send(nextgen::list_applications()).await.unwrap_err() {
        Error::Api { status, errorcode, body, .. } => {
            assert_eq!((status, errorcode), (403, None));
            assert!(body.contains("Forbidden"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_session_client_logs_in_on_first_use_and_again_after_expiry() {
    let (base_url, state) = start().await;
    let client = NextgenClient::builder(&base_url).allow_insecure_http(true).session("nsroot", "pw", Some("5min")).build().unwrap();
    assert!(!format!("{client:?}").contains("\"pw\""), "the password must not show in Debug");
    let created = client.send(nextgen::create_or_update_application("app1", &application("app1"))).await.unwrap();
    assert_eq!(created.status, 201);
    assert_eq!(state.lock().unwrap().logins, 1);

    // Every session ends (idle timeout): the next call logs in again once
    // and succeeds.
    client.send(netscaler::runtime::nextgen::Request::<()>::empty(netscaler::runtime::nextgen::Method::Post, "/test-expire-sessions")).await.unwrap();
    let updated = client.send(nextgen::create_or_update_application("app1", &application("app1"))).await.unwrap();
    assert_eq!(updated.status, 200);
    assert_eq!(state.lock().unwrap().logins, 2);

    // Wrong credentials are reported, not retried forever.
    let wrong = NextgenClient::builder(&base_url).allow_insecure_http(true).session("nsroot", "nope", None).build().unwrap();
    assert_eq!(wrong.send(nextgen::list_applications()).await.unwrap_err().errorcode(), Some(1104));
}
