//! A local NITRO test server for end-to-end tests of the client: axum over
//! loopback with in-memory state.
//!
//! It holds `lbvserver`, `service`, `servicegroup`, `server` and
//! `sslcertkey` objects and the bindings `lbvserver_service_binding`,
//! `lbvserver_servicegroup_binding`, `servicegroup_servicegroupmember_binding`
//! `sslvserver_sslcertkey_binding` and `sslservice_sslcertkey_binding`
//! (plus the aggregates `lbvserver_binding` / `servicegroup_binding` /
//! `sslcertkey_binding`, whose `sslcertkey_sslvserver_binding` and
//! `sslcertkey_service_binding` rows are read-only views of the two SSL
//! bindings from the certificate's side), serves `stat/lbvserver`
//! with 64-bit counters as strings (with `statbindings=yes`, the bound
//! services' stat records nested under `service`), and a fixed `Interface` list answered
//! under the lower-case key. It speaks the NITRO envelope, logs in and out
//! with session cookies (`NITRO_AUTH_TOKEN`, ADM `SESSID` on `/nitro/v2`),
//! accepts `X-NITRO-USER`/`X-NITRO-PASS`, answers bulk requests with 207
//! per `onerror`, and can be told to expire sessions or fail the next
//! request (any status, any body). `nsconfig?action=save` only counts the
//! saves.
//!
//! Rules of this server (ours, kept simple): add answers 201, other writes
//! 200; an unknown key 404/258; a duplicate 409/273; a missing mandatory
//! property 400/1095; a body that is not JSON 400/1233; `warning=yes` on
//! an SSL lbvserver add answers 209 with the warning in the
//! `X-NITRO-WARNING` header, as the reference says.
//!
//! Misbehaviour on request ([`NitroServer::fault`], section "Faults"):
//! redirects, 304, a huge streamed body, a slow answer, failing logins, an
//! HTML 502 from a proxy, answers without `severity`.
//!
//! Held to the reference (the section at the end): path segments are
//! decoded twice, as the appliance does; add, update, enable/disable and
//! binding adds take only the keys the reference lists for that operation
//! (else 400/278 `Invalid argument`), never both of two alternatives
//! (400/1092); a binding delete takes only its listed `args` and at least
//! one of them (else 400/1095: it never removes every row of a parent);
//! the bulk error mode is read from the `X-NITRO-ONERROR` header; a write
//! body must be sent as `application/json` (else 400/1233).
//!
//! Bounded: it listens on 127.0.0.1 port 0, caps request bodies (8 MiB)
//! and the request log, and stops when dropped or after [`LIFETIME`].

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State as Extract};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The one user the server knows.
pub const USER: &str = "nsroot";
/// Its password.
pub const PASSWORD: &str = "pw-Test#1";
/// The server stops by itself after this long.
pub const LIFETIME: Duration = Duration::from_secs(120);
const MAX_LOGGED_REQUESTS: usize = 10_000;
const MAX_BODY: usize = 8 * 1024 * 1024;

/// Config resources: name and key property.
const CONFIG: &[(&str, &str)] = &[
    ("lbvserver", "name"),
    ("server", "name"),
    ("service", "name"),
    ("servicegroup", "servicegroupname"),
    ("sslcertkey", "certkey"),
];

/// Mandatory properties of add, besides the key.
const MANDATORY: &[(&str, &[&str])] = &[
    ("lbvserver", &["servicetype"]),
    ("server", &["ipaddress"]),
    ("service", &["servicetype", "port"]),
    ("servicegroup", &["servicetype"]),
    ("sslcertkey", &["cert"]),
];

/// A binding resource: its parent (resource, key property in the binding)
/// and the properties that identify one row.
struct BindingSpec {
    name: &'static str,
    parent: &'static str,
    parent_key: &'static str,
    identity: &'static [&'static str],
    /// Property naming another object that must exist: (property, resource).
    refers_to: Option<(&'static str, &'static str)>,
}

const BINDINGS: &[BindingSpec] = &[
    BindingSpec {
        name: "lbvserver_service_binding",
        parent: "lbvserver",
        parent_key: "name",
        identity: &["name", "servicename"],
        refers_to: Some(("servicename", "service")),
    },
    BindingSpec {
        name: "lbvserver_servicegroup_binding",
        parent: "lbvserver",
        parent_key: "name",
        identity: &["name", "servicegroupname"],
        refers_to: Some(("servicegroupname", "servicegroup")),
    },
    BindingSpec {
        name: "servicegroup_servicegroupmember_binding",
        parent: "servicegroup",
        parent_key: "servicegroupname",
        identity: &["servicegroupname", "ip", "servername", "port"],
        refers_to: None,
    },
    BindingSpec {
        name: "sslvserver_sslcertkey_binding",
        parent: "lbvserver",
        parent_key: "vservername",
        identity: &["vservername", "certkeyname"],
        refers_to: Some(("certkeyname", "sslcertkey")),
    },
    BindingSpec {
        name: "sslservice_sslcertkey_binding",
        parent: "service",
        parent_key: "servicename",
        identity: &["servicename", "certkeyname"],
        refers_to: Some(("certkeyname", "sslcertkey")),
    },
];

/// A binding seen from the bound object (read-only): the rows of `source`
/// whose `source_ref` names the object, with fields renamed.
struct ReverseSpec {
    name: &'static str,
    parent: &'static str,
    parent_key: &'static str,
    source: &'static str,
    source_ref: &'static str,
    /// (field of this view, field of the source row).
    fields: &'static [(&'static str, &'static str)],
}

const REVERSE: &[ReverseSpec] = &[
    ReverseSpec {
        name: "sslcertkey_sslvserver_binding",
        parent: "sslcertkey",
        parent_key: "certkey",
        source: "sslvserver_sslcertkey_binding",
        source_ref: "certkeyname",
        fields: &[("servername", "vservername"), ("vservername", "vservername")],
    },
    ReverseSpec {
        name: "sslcertkey_service_binding",
        parent: "sslcertkey",
        parent_key: "certkey",
        source: "sslservice_sslcertkey_binding",
        source_ref: "certkeyname",
        fields: &[("servicename", "servicename")],
    },
];

fn reverse_rows(state: &ServerState, spec: &ReverseSpec, key: Option<&str>) -> Vec<Map<String, Value>> {
    let rows = state.bindings.get(spec.source).into_iter().flatten();
    rows.filter_map(|row| {
        let bound = row.get(spec.source_ref).map(text)?;
        if key.is_some_and(|key| key != bound) {
            return None;
        }
        let mut view = Map::new();
        view.insert(spec.parent_key.to_string(), json!(bound));
        for (field, source_field) in spec.fields {
            if let Some(value) = row.get(*source_field) {
                view.insert(field.to_string(), value.clone());
            }
        }
        Some(view)
    })
    .collect()
}

/// One request as received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Path and query exactly as sent (still percent-encoded).
    pub path_and_query: String,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// The admin partition of the request's session when it arrived
    /// (`default` without a session or before a switch).
    pub partition: String,
}

/// The server's in-memory state; tests may inspect and change it.
#[derive(Default)]
pub struct ServerState {
    /// Config objects: resource -> key value -> object.
    pub objects: BTreeMap<String, BTreeMap<String, Map<String, Value>>>,
    /// Binding rows per binding resource, in insertion order.
    pub bindings: BTreeMap<String, Vec<Map<String, Value>>>,
    /// Session tokens -> expired.
    pub sessions: BTreeMap<String, bool>,
    /// Successful logins so far.
    pub logins: usize,
    pub requests: Vec<Recorded>,
    /// Answers to give to the next authenticated requests, in order.
    pub fail_next: Vec<(u16, Value)>,
    /// `nsconfig?action=save` requests answered so far.
    pub saves: usize,
    /// The misbehaviour in force (see [`Fault`]).
    pub fault: Option<Fault>,
    /// Login requests received, successful or not.
    pub login_attempts: usize,
    /// Bytes of [`Fault::HugeBody`] bodies produced so far.
    pub streamed_bytes: Arc<std::sync::atomic::AtomicU64>,
    /// Partitions, proxy phases, concurrency (section "Reach").
    pub reach: Reach,
    /// HA nodes, firmware, files, first-boot password (section "Workflows").
    pub workflows: Workflows,
    next_token: u64,
}

type Shared = Arc<Mutex<ServerState>>;

/// A running server; stops when dropped.
pub struct NitroServer {
    base_url: String,
    shared: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl NitroServer {
    /// Starts a server on 127.0.0.1 (a free port) in the current tokio
    /// runtime.
    pub async fn start() -> NitroServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        NitroServer::serve(listener)
    }

    /// Serves on `listener` (bound to a loopback address).
    fn serve(listener: tokio::net::TcpListener) -> NitroServer {
        let shared: Shared = Arc::default();
        let address = listener.local_addr().expect("local address");
        let router = Router::new()
            .fallback(handle)
            .layer(DefaultBodyLimit::max(MAX_BODY))
            .with_state(shared.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown = async move {
                tokio::select! {
                    _ = stopped => {}
                    _ = tokio::time::sleep(LIFETIME) => {}
                }
            };
            let _ = axum::serve(listener, router).with_graceful_shutdown(shutdown).await;
        });
        NitroServer { base_url: format!("http://{address}"), shared, stop: Some(stop) }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The state, locked (do not hold across an `.await`).
    pub fn state(&self) -> MutexGuard<'_, ServerState> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks every session expired: the next request with one gets 401/444.
    pub fn expire_sessions(&self) {
        for expired in self.state().sessions.values_mut() {
            *expired = true;
        }
    }

    /// The next authenticated request gets this answer instead.
    pub fn fail_next(&self, status: u16, body: Value) {
        self.state().fail_next.push((status, body));
    }

    /// Requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state().requests.clone()
    }
}

impl Drop for NitroServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// An answer: status, JSON body (`Null` = empty body), extra header.
struct Reply {
    status: u16,
    body: Value,
    set_cookie: Option<String>,
    /// `X-NITRO-WARNING`.
    warning: Option<String>,
}

impl Reply {
    fn new(status: u16, body: Value) -> Reply {
        Reply { status, body, set_cookie: None, warning: None }
    }
}

fn done(status: u16) -> Reply {
    Reply::new(status, json!({"errorcode": 0, "message": "Done", "severity": "NONE"}))
}

fn fail(status: u16, errorcode: i64, message: &str) -> Reply {
    Reply::new(status, json!({"errorcode": errorcode, "message": message, "severity": "ERROR"}))
}

fn not_found() -> Reply {
    fail(404, 258, "No such resource")
}

async fn handle(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let _in_flight = reach_enter(&shared).await;
    if let Some(response) = reach_unavailable(&shared) {
        return response;
    }
    if let Some(response) = faulty_answer(&shared, &method, &uri, &headers, &body).await {
        return response;
    }
    let mut reply = {
        let mut state = shared.lock().unwrap_or_else(PoisonError::into_inner);
        let parsed_body = if body.is_empty() { Ok(None) } else { serde_json::from_slice::<Value>(&body).map(Some) };
        if state.requests.len() < MAX_LOGGED_REQUESTS {
            let partition = partition_of(&state, &headers);
            state.requests.push(Recorded {
                method: method.to_string(),
                path_and_query: uri.path_and_query().map(|pq| pq.to_string()).unwrap_or_default(),
                headers: headers
                    .iter()
                    .map(|(name, value)| (name.as_str().to_string(), value.to_str().unwrap_or("").to_string()))
                    .collect(),
                body: parsed_body.as_ref().ok().cloned().flatten(),
                partition,
            });
        }
        match parsed_body {
            Ok(body) => dispatch(&mut state, &method, &uri, &headers, body),
            Err(_) => fail(400, 1233, "Invalid JSON input"),
        }
    };
    if matches!(shared.lock().unwrap_or_else(PoisonError::into_inner).fault, Some(Fault::NoSeverity)) {
        strip_severity(&mut reply.body);
    }
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response =
        if reply.body.is_null() { status.into_response() } else { (status, reply.body.to_string()).into_response() };
    if !reply.body.is_null() {
        response.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    }
    if let Some(cookie) = reply.set_cookie.and_then(|cookie| HeaderValue::from_str(&cookie).ok()) {
        response.headers_mut().insert("set-cookie", cookie);
    }
    if let Some(warning) = reply.warning.and_then(|warning| HeaderValue::from_str(&warning).ok()) {
        response.headers_mut().insert("x-nitro-warning", warning);
    }
    response
}

/// Query options, decoded the way the appliance reads them: pairs split on
/// `&` and `=`, `args`/`filter` values on `,` and `:`, then each part
/// percent-decoded.
#[derive(Default)]
struct Query {
    action: Option<String>,
    count: bool,
    args: Vec<(String, String)>,
    filter: Vec<(String, String)>,
    attrs: Vec<String>,
    page_size: Option<usize>,
    page_number: Option<usize>,
    onerror: String,
    warning: bool,
    /// `idempotent=yes`: an add of an existing object updates it.
    idempotent: bool,
    /// `statbindings=yes`: stat records carry their bound services' records.
    statbindings: bool,
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

fn parse_query(raw: &str) -> Query {
    let mut query = Query { onerror: "EXIT".into(), ..Query::default() };
    for pair in raw.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let pairs = || {
            value
                .split(',')
                .filter_map(|item| item.split_once(':'))
                .map(|(name, value)| (decode(name), decode(value)))
                .collect::<Vec<_>>()
        };
        match name {
            "action" => query.action = Some(decode(value)),
            "count" => query.count = value == "yes",
            "args" => query.args.extend(pairs()),
            "filter" => query.filter.extend(pairs()),
            "attrs" => query.attrs.extend(value.split(',').map(decode)),
            "pagesize" => query.page_size = value.parse().ok(),
            "pageno" => query.page_number = value.parse().ok(),
            "warning" => query.warning = value == "yes",
            "idempotent" => query.idempotent = value == "yes",
            "statbindings" => query.statbindings = value == "yes",
            _ => {}
        }
    }
    query
}

fn dispatch(state: &mut ServerState, method: &Method, uri: &Uri, headers: &HeaderMap, body: Option<Value>) -> Reply {
    let segments: Vec<String> = uri.path().split('/').filter(|s| !s.is_empty()).map(decode_segment).collect();
    let mut query = parse_query(uri.query().unwrap_or(""));
    query.onerror = onerror_of(headers);
    let (version, family, resource, key) = match segments.as_slice() {
        [nitro, version, family, resource] if nitro == "nitro" => (version.as_str(), family.as_str(), resource.as_str(), None),
        [nitro, version, family, resource, key] if nitro == "nitro" => {
            (version.as_str(), family.as_str(), resource.as_str(), Some(key.as_str()))
        }
        _ => return not_found(),
    };
    if family == "config" && resource == "login" && method == Method::POST {
        return login(state, version, body);
    }
    if let Err(reply) = authenticate(state, headers) {
        return reply;
    }
    if !state.fail_next.is_empty() {
        let (status, body) = state.fail_next.remove(0);
        return Reply::new(status, body);
    }
    if family == "config" && resource == "logout" && method == Method::POST {
        if let Some(token) = session_cookie(headers) {
            state.sessions.remove(&token);
        }
        return done(200);
    }
    if let Some(reply) = reach_dispatch(state, method, resource, &query, headers, body.as_ref()) {
        return reply;
    }
    if let Some(reply) = workflows_dispatch(state, method, family, resource, key, &query, body.as_ref()) {
        return reply;
    }
    if family == "config" && resource == "nsconfig" && method == Method::POST && query.action.as_deref() == Some("save") {
        state.saves += 1;
        return done(200);
    }
    match (family, *method == Method::GET) {
        ("stat", true) if resource == "lbvserver" => stat_lbvserver(state, key, query.statbindings),
        ("stat", _) => not_found(),
        ("config", true) => get(state, resource, key, &query),
        ("config", false) => match check_content_type(headers, &body) {
            Ok(()) => write(state, method, resource, key, &query, body),
            Err(reply) => reply,
        },
        _ => not_found(),
    }
}

fn login(state: &mut ServerState, version: &str, body: Option<Value>) -> Reply {
    if matches!(state.fault, Some(Fault::FailingLogin)) {
        return fail(401, 354, "Invalid username or password");
    }
    let login = body.as_ref().and_then(|body| body.get("login"));
    let username = login.and_then(|login| login.get("username")).and_then(Value::as_str);
    let password = login.and_then(|login| login.get("password")).and_then(Value::as_str);
    if username != Some(USER) || password != Some(current_password(state)) {
        return fail(401, 354, "Invalid username or password");
    }
    if let Err(reply) = first_boot_password(state, login) {
        return reply;
    }
    state.next_token += 1;
    state.logins += 1;
    let token = format!("##{:032X}", 0x5EED_0000_u64 + state.next_token);
    state.sessions.insert(token.clone(), false);
    if version == "v2" {
        let mut reply = Reply::new(
            200,
            json!({"errorcode": 0, "message": "Done", "severity": "NONE", "login": [{"sessionid": token, "username": USER}]}),
        );
        reply.set_cookie = Some(format!("SESSID={token}; Path=/nitro/v2; HttpOnly"));
        return reply;
    }
    let mut reply = Reply::new(201, json!({"errorcode": 0, "message": "Done", "severity": "NONE", "sessionid": token}));
    reply.set_cookie = Some(format!("NITRO_AUTH_TOKEN={token}; Path=/nitro/v1; HttpOnly"));
    reply
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    let cookies = headers.get_all("cookie").iter().filter_map(|value| value.to_str().ok());
    for header in cookies {
        for pair in header.split(';') {
            if let Some((name, value)) = pair.trim().split_once('=') {
                if name == "NITRO_AUTH_TOKEN" || name == "SESSID" {
                    return Some(value.to_string());
                }
            }
        }
    }
    None
}

fn authenticate(state: &ServerState, headers: &HeaderMap) -> Result<(), Reply> {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    if let (Some(user), Some(password)) = (header("x-nitro-user"), header("x-nitro-pass")) {
        return if user == USER && password == PASSWORD {
            Ok(())
        } else {
            Err(fail(401, 354, "Invalid username or password"))
        };
    }
    match session_cookie(headers).map(|token| state.sessions.get(&token).copied()) {
        Some(Some(false)) => Ok(()),
        Some(_) => Err(fail(401, 444, "Session expired or killed. Please login again")),
        None => Err(fail(401, 352, "Not logged in")),
    }
}

fn config_key(resource: &str) -> Option<&'static str> {
    CONFIG.iter().find(|(name, _)| *name == resource).map(|(_, key)| *key)
}

fn binding_spec(resource: &str) -> Option<&'static BindingSpec> {
    BINDINGS.iter().find(|spec| spec.name == resource)
}

/// A value as the text filters and keys compare.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn listing(resource: &str, items: Vec<Value>) -> Reply {
    let mut body = json!({"errorcode": 0, "message": "Done", "severity": "NONE"});
    if !items.is_empty() {
        body[resource] = Value::Array(items);
    }
    Reply::new(200, body)
}

fn get(state: &ServerState, resource: &str, key: Option<&str>, query: &Query) -> Reply {
    if resource == "Interface" {
        // Answered under the lower-case key, as some firmware does.
        let items = vec![
            json!({"id": "0/1", "rxbytes": "1256464744519", "intftype": "XEN Interface"}),
            json!({"id": "LO/1", "rxbytes": "0", "intftype": "Loopback"}),
        ];
        return Reply::new(200, json!({"errorcode": 0, "message": "Done", "severity": "NONE", "interface": items}));
    }
    if let Some(parent) = resource.strip_suffix("_binding").filter(|parent| config_key(parent).is_some()) {
        return aggregate(state, parent, resource, key);
    }
    let mut items: Vec<Map<String, Value>> = if let Some(key_name) = config_key(resource) {
        let objects = state.objects.get(resource);
        match key {
            Some(key) => match objects.and_then(|objects| objects.get(key)) {
                Some(object) => vec![presented(resource, key_name, object)],
                None => return not_found(),
            },
            None => objects.into_iter().flatten().map(|(_, object)| presented(resource, key_name, object)).collect(),
        }
    } else if let Some(spec) = REVERSE.iter().find(|spec| spec.name == resource) {
        reverse_rows(state, spec, key)
    } else if let Some(spec) = binding_spec(resource) {
        let rows = state.bindings.get(resource).into_iter().flatten();
        rows.filter(|row| key.is_none_or(|key| row.get(spec.parent_key).map(text).as_deref() == Some(key)))
            .cloned()
            .collect()
    } else {
        return fail(400, 1232, "Invalid object name");
    };
    items.retain(|item| query.filter.iter().all(|(name, value)| item.get(name).map(text).as_deref() == Some(value)));
    if query.count {
        return Reply::new(200, json!({"errorcode": 0, "message": "Done", "severity": "NONE", resource: [{"__count": items.len().to_string()}]}));
    }
    if let Some(size) = query.page_size.filter(|size| *size > 0) {
        let page = query.page_number.unwrap_or(1).max(1);
        items = items.into_iter().skip((page - 1) * size).take(size).collect();
    }
    if !query.attrs.is_empty() {
        for item in &mut items {
            item.retain(|name, _| query.attrs.contains(name));
        }
    }
    listing(resource, items.into_iter().map(Value::Object).collect())
}

/// A stored object as GET shows it: with read-only state fields and a key
/// the reference does not document.
fn presented(resource: &str, key_name: &str, object: &Map<String, Value>) -> Map<String, Value> {
    let mut shown = object.clone();
    if matches!(resource, "lbvserver" | "service" | "server") {
        let enabled = object.get("state").and_then(Value::as_str) != Some("DISABLED");
        shown.entry("state").or_insert(json!("ENABLED"));
        let curstate = if enabled { "UP" } else { "OUT OF SERVICE" };
        shown.insert(if resource == "server" { "state".into() } else { "curstate".into() }, json!(curstate));
    }
    shown.insert("_nextgenapiresource".into(), json!(format!("_{resource}")));
    let _ = key_name;
    shown
}

fn aggregate(state: &ServerState, parent: &str, resource: &str, key: Option<&str>) -> Reply {
    let Some(key) = key else {
        return fail(400, 1095, "Required argument missing");
    };
    if !state.objects.get(parent).is_some_and(|objects| objects.contains_key(key)) {
        return not_found();
    }
    let parent_key = config_key(parent).unwrap_or("name");
    let mut aggregate = Map::new();
    aggregate.insert(parent_key.to_string(), json!(key));
    for spec in BINDINGS.iter().filter(|spec| spec.parent == parent) {
        let rows: Vec<Value> = state
            .bindings
            .get(spec.name)
            .into_iter()
            .flatten()
            .filter(|row| row.get(spec.parent_key).map(text).as_deref() == Some(key))
            .cloned()
            .map(Value::Object)
            .collect();
        if !rows.is_empty() {
            aggregate.insert(spec.name.to_string(), Value::Array(rows));
        }
    }
    for spec in REVERSE.iter().filter(|spec| spec.parent == parent) {
        let rows: Vec<Value> = reverse_rows(state, spec, Some(key)).into_iter().map(Value::Object).collect();
        if !rows.is_empty() {
            aggregate.insert(spec.name.to_string(), Value::Array(rows));
        }
    }
    listing(resource, vec![Value::Object(aggregate)])
}

/// `stat/lbvserver`; with `statbindings=yes` each record nests a `service`
/// array: the stat records of the services bound to it
/// (`lbvserver_service_binding`), in binding order.
fn stat_lbvserver(state: &ServerState, key: Option<&str>, statbindings: bool) -> Reply {
    let objects = state.objects.get("lbvserver");
    let mut records = Vec::new();
    for (index, (name, object)) in objects.into_iter().flatten().enumerate() {
        if key.is_some_and(|key| key != name) {
            continue;
        }
        let up = object.get("state").and_then(Value::as_str) != Some("DISABLED");
        records.push(json!({
            "name": name,
            "state": if up { "UP" } else { "OUT OF SERVICE" },
            "type": object.get("servicetype").cloned().unwrap_or(Value::Null),
            "totalrequests": (1_256_464_744_519_u64 + index as u64).to_string(),
            "tothits": "18446744073709551615",
            "requestsrate": 0,
            "totalrequestbytes": "9007199254740993",
        }));
        if statbindings {
            let services: Vec<Value> = state
                .bindings
                .get("lbvserver_service_binding")
                .into_iter()
                .flatten()
                .filter(|row| row.get("name").map(text).as_deref() == Some(name.as_str()))
                .filter_map(|row| row.get("servicename").map(text))
                .map(|service| stat_service(state, &service))
                .collect();
            if let (Some(record), false) = (records.last_mut(), services.is_empty()) {
                record["service"] = Value::Array(services);
            }
        }
    }
    if key.is_some() && records.is_empty() {
        return not_found();
    }
    listing("lbvserver", records)
}

/// The stat record of service `name` (counters derived from the name, so
/// each service's differ).
fn stat_service(state: &ServerState, name: &str) -> Value {
    let object = state.objects.get("service").and_then(|objects| objects.get(name));
    let up = object.and_then(|object| object.get("state")).and_then(Value::as_str) != Some("DISABLED");
    let seed = name.bytes().fold(0_u64, |acc, byte| acc.wrapping_mul(31).wrapping_add(u64::from(byte)));
    json!({
        "name": name,
        "state": if up { "UP" } else { "OUT OF SERVICE" },
        "servicetype": object.and_then(|object| object.get("servicetype")).cloned().unwrap_or(Value::Null),
        "totalrequests": (1000 + seed % 1000).to_string(),
        "vsvrservicehits": (seed % 977).to_string(),
        "requestsrate": 0,
    })
}

/// One item of a write: the object, or the error reply.
type ItemResult = Result<(), Reply>;

fn write(
    state: &mut ServerState,
    method: &Method,
    resource: &str,
    key: Option<&str>,
    query: &Query,
    body: Option<Value>,
) -> Reply {
    if *method == Method::DELETE {
        return delete(state, resource, key, query);
    }
    let Some(payload) = body.as_ref().and_then(|body| body.get(resource)) else {
        return fail(400, 1233, "Invalid JSON input");
    };
    let items: Vec<&Value> = match payload {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    let bulk = payload.is_array();
    let is_binding = binding_spec(resource).is_some();
    let operation = match (method.as_str(), query.action.as_deref(), is_binding) {
        ("POST", None, _) | ("PUT", None, true) => "add",
        ("PUT", None, false) => "update",
        ("POST", Some("unset"), false) => "unset",
        ("POST", Some("enable"), false) => "enable",
        ("POST", Some("disable"), false) => "disable",
        // Bulk delete, as the vendor SDKs send it.
        ("POST", Some("rm"), false) => "rm",
        ("POST", Some("unbind"), true) => "unbind",
        _ => return fail(400, 1240, "Invalid action"),
    };
    if config_key(resource).is_none() && !is_binding {
        return fail(400, 1232, "Invalid object name");
    }
    let snapshot = (query.onerror == "ROLLBACK").then(|| (state.objects.clone(), state.bindings.clone()));
    let mut results: Vec<ItemResult> = Vec::new();
    for item in items {
        let result = match item.as_object() {
            None => Err(fail(400, 1234, "Invalid JSON data type")),
            Some(object) => match operation {
                "add" if is_binding => add_binding(state, resource, object),
                "add" if query.idempotent => add_or_update(state, resource, object),
                "add" => add(state, resource, object),
                "update" => update(state, resource, object),
                "unset" => unset(state, resource, object),
                "rm" => key_of(resource, object).and_then(|(_, key)| item_result(delete(state, resource, Some(&key), &Query::default()))),
                "unbind" => unbind(state, resource, object),
                _ => set_state(state, resource, object, operation == "enable"),
            },
        };
        let failed = result.is_err();
        results.push(result);
        if failed && bulk && query.onerror != "CONTINUE" {
            break;
        }
    }
    if !bulk {
        return match results.pop() {
            Some(Err(reply)) => reply,
            _ if operation == "add" && query.warning && is_ssl_vserver(resource, payload) => {
                // The reference puts warnings in the X-NITRO-WARNING header.
                let mut reply = done(209);
                reply.warning = Some("Warning: no certificate is bound to this SSL virtual server yet".into());
                reply
            }
            _ => done(if operation == "add" { 201 } else { 200 }),
        };
    }
    if results.iter().all(Result::is_ok) {
        return done(if operation == "add" { 201 } else { 200 });
    }
    if let Some((objects, bindings)) = snapshot {
        state.objects = objects;
        state.bindings = bindings;
    }
    let response: Vec<Value> = results
        .into_iter()
        .map(|result| match result {
            Ok(()) => json!({"errorcode": 0, "message": "Done", "severity": "NONE"}),
            Err(reply) => reply.body,
        })
        .collect();
    Reply::new(
        207,
        json!({"errorcode": 1243, "message": "Bulk operation failed", "severity": "ERROR", "response": response}),
    )
}

fn is_ssl_vserver(resource: &str, payload: &Value) -> bool {
    resource == "lbvserver" && payload.get("servicetype").and_then(Value::as_str) == Some("SSL")
}

fn key_of(resource: &str, object: &Map<String, Value>) -> Result<(&'static str, String), Reply> {
    let key_name = config_key(resource).ok_or_else(|| fail(400, 1232, "Invalid object name"))?;
    match object.get(key_name) {
        Some(value) if !text(value).is_empty() && !value.is_null() => Ok((key_name, text(value))),
        _ => Err(fail(400, 1095, "Required argument missing")),
    }
}

fn add(state: &mut ServerState, resource: &str, object: &Map<String, Value>) -> ItemResult {
    check_payload(resource, "add", object)?;
    let (_, key) = key_of(resource, object)?;
    let mandatory = MANDATORY.iter().find(|(name, _)| *name == resource).map(|(_, list)| *list).unwrap_or(&[]);
    if mandatory.iter().any(|name| object.get(*name).is_none_or(Value::is_null)) {
        return Err(fail(400, 1095, "Required argument missing"));
    }
    let objects = state.objects.entry(resource.to_string()).or_default();
    if objects.contains_key(&key) {
        return Err(fail(409, 273, "Resource already exists"));
    }
    let stored: Map<String, Value> = object.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect();
    objects.insert(key, stored);
    Ok(())
}

fn update(state: &mut ServerState, resource: &str, object: &Map<String, Value>) -> ItemResult {
    check_payload(resource, "update", object)?;
    let (_, key) = key_of(resource, object)?;
    let stored = state.objects.get_mut(resource).and_then(|objects| objects.get_mut(&key)).ok_or_else(not_found)?;
    for (name, value) in object.iter().filter(|(_, value)| !value.is_null()) {
        stored.insert(name.clone(), value.clone());
    }
    Ok(())
}

fn unset(state: &mut ServerState, resource: &str, object: &Map<String, Value>) -> ItemResult {
    let (key_name, key) = key_of(resource, object)?;
    let stored = state.objects.get_mut(resource).and_then(|objects| objects.get_mut(&key)).ok_or_else(not_found)?;
    for (name, value) in object {
        if name != key_name && *value == Value::Bool(true) {
            stored.remove(name);
        }
    }
    Ok(())
}

fn set_state(state: &mut ServerState, resource: &str, object: &Map<String, Value>, enable: bool) -> ItemResult {
    if !matches!(resource, "lbvserver" | "service" | "server") {
        return Err(fail(400, 1240, "Invalid action"));
    }
    check_payload(resource, if enable { "action:enable" } else { "action:disable" }, object)?;
    let (_, key) = key_of(resource, object)?;
    let stored = state.objects.get_mut(resource).and_then(|objects| objects.get_mut(&key)).ok_or_else(not_found)?;
    stored.insert("state".into(), json!(if enable { "ENABLED" } else { "DISABLED" }));
    Ok(())
}

fn add_binding(state: &mut ServerState, resource: &str, object: &Map<String, Value>) -> ItemResult {
    let spec = binding_spec(resource).ok_or_else(|| fail(400, 1232, "Invalid object name"))?;
    check_payload(resource, "add", object)?;
    let parent = object.get(spec.parent_key).map(text).ok_or_else(|| fail(400, 1095, "Required argument missing"))?;
    if !state.objects.get(spec.parent).is_some_and(|objects| objects.contains_key(&parent)) {
        return Err(not_found());
    }
    if let Some((property, target)) = spec.refers_to {
        let name = object.get(property).map(text).ok_or_else(|| fail(400, 1095, "Required argument missing"))?;
        if !state.objects.get(target).is_some_and(|objects| objects.contains_key(&name)) {
            return Err(not_found());
        }
    }
    let identity = |row: &Map<String, Value>| spec.identity.iter().map(|name| row.get(*name).map(text)).collect::<Vec<_>>();
    let rows = state.bindings.entry(resource.to_string()).or_default();
    let stored = as_appliance_stores(resource, object);
    if rows.iter().any(|row| identity(row) == identity(&stored)) {
        return Err(fail(409, 273, "Resource already exists"));
    }
    rows.push(stored);
    Ok(())
}

/// One item of a bulk write from a single reply.
fn item_result(reply: Reply) -> ItemResult {
    if reply.status < 400 {
        Ok(())
    } else {
        Err(reply)
    }
}

/// One item of a bulk `unbind`: the parent key, and every other field as
/// the arguments that pick the binding (as `DELETE ...?args=` does).
fn unbind(state: &mut ServerState, resource: &str, object: &Map<String, Value>) -> ItemResult {
    let spec = binding_spec(resource).ok_or_else(|| fail(400, 1232, "Invalid object name"))?;
    let parent = object.get(spec.parent_key).map(text).ok_or_else(|| fail(400, 1095, "Required argument missing"))?;
    let args = object.iter().filter(|(name, _)| *name != spec.parent_key).map(|(name, value)| (name.clone(), text(value))).collect();
    item_result(delete(state, resource, Some(&parent), &Query { args, ..Query::default() }))
}

fn delete(state: &mut ServerState, resource: &str, key: Option<&str>, query: &Query) -> Reply {
    let Some(key) = key else {
        return fail(400, 1095, "Required argument missing");
    };
    if config_key(resource).is_some() {
        let removed = state.objects.get_mut(resource).and_then(|objects| objects.remove(key));
        if removed.is_none() {
            return not_found();
        }
        // Bindings of a removed object go with it.
        for spec in BINDINGS.iter().filter(|spec| spec.parent == resource) {
            if let Some(rows) = state.bindings.get_mut(spec.name) {
                rows.retain(|row| row.get(spec.parent_key).map(text).as_deref() != Some(key));
            }
        }
        return done(200);
    }
    let Some(spec) = binding_spec(resource) else {
        return fail(400, 1232, "Invalid object name");
    };
    if let Err(reply) = check_delete_args(resource, &query.args) {
        return reply;
    }
    let rows = state.bindings.entry(resource.to_string()).or_default();
    let before = rows.len();
    rows.retain(|row| {
        let matches = row.get(spec.parent_key).map(text).as_deref() == Some(key)
            && query.args.iter().all(|(name, value)| row.get(name).map(text).as_deref() == Some(value.as_str()));
        !matches
    });
    if rows.len() == before {
        return not_found();
    }
    done(200)
}

// ---------------------------------------------------------------------------
// Held to the reference: what an appliance refuses, this server refuses,
// with the appliance's error codes. The keys each operation takes are read
// from the reference facts of the newest ADC release in `specs/` (the
// payload keys of add, update and each action, the `args` of delete), not
// from the client.

/// The ADC snapshot whose operations the server holds requests to.
const REFERENCE: &str = "specs/nitro/adc/14.1.json";

/// Arguments an appliance takes only one of (it answers 1092 when both
/// are sent): a member by server name or by IP, a vserver binding by
/// service or by service group.
const ONE_OF: &[[&str; 2]] = &[["ip", "servername"], ["servicename", "servicegroupname"]];

/// (resource, operation) -> the keys the reference lists for it, for the
/// resources this server serves.
fn reference_keys() -> &'static BTreeMap<(String, String), Vec<String>> {
    static KEYS: std::sync::OnceLock<BTreeMap<(String, String), Vec<String>>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let path = crate::workspace_root().join(REFERENCE);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let api: Value = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let served = CONFIG.iter().map(|(name, _)| *name).chain(BINDINGS.iter().map(|spec| spec.name));
        let mut keys = BTreeMap::new();
        for resource in served {
            let operations = api["resources"][resource]["operations"].as_object().cloned().unwrap_or_default();
            for (operation, facts) in operations {
                let list = if operation == "delete" { &facts["args"] } else { &facts["payload"] };
                let names: Vec<String> =
                    list.as_array().into_iter().flatten().filter_map(|key| key["name"].as_str().map(str::to_string)).collect();
                keys.insert((resource.to_string(), operation), names);
            }
        }
        keys
    })
}

/// `Invalid argument [name]`, as the appliance answers a key the
/// operation does not take.
fn invalid_argument(name: &str) -> Reply {
    fail(400, 278, &format!("Invalid argument [{name}]"))
}

/// A key the reference does not list for this operation (read-only
/// state, create-only properties on update, undocumented keys): 278.
/// Both of two alternatives: 1092.
fn check_payload(resource: &str, operation: &str, object: &Map<String, Value>) -> ItemResult {
    let Some(taken) = reference_keys().get(&(resource.to_string(), operation.to_string())) else {
        return Ok(());
    };
    // An operation the reference lists without keys takes what it is given.
    if taken.is_empty() {
        return Ok(());
    }
    if let Some(name) = object.keys().find(|name| !taken.contains(name)) {
        return Err(invalid_argument(name));
    }
    check_one_of(object.keys().map(String::as_str))
}

fn check_one_of<'a>(names: impl Iterator<Item = &'a str> + Clone) -> ItemResult {
    for [first, second] in ONE_OF {
        if names.clone().any(|name| name == *first) && names.clone().any(|name| name == *second) {
            return Err(fail(400, 1092, &format!("Arguments cannot both be specified [{first}, {second}]")));
        }
    }
    Ok(())
}

/// `DELETE` of a binding row: only the reference's `args`, one of each
/// pair of alternatives, and at least one argument naming the row (an
/// unbind without one must never take every row of the parent).
fn check_delete_args(resource: &str, args: &[(String, String)]) -> ItemResult {
    let taken = reference_keys().get(&(resource.to_string(), "delete".to_string())).cloned().unwrap_or_default();
    if let Some((name, _)) = args.iter().find(|(name, _)| !taken.contains(name)) {
        return Err(invalid_argument(name));
    }
    check_one_of(args.iter().map(|(name, _)| name.as_str()))?;
    if !taken.is_empty() && args.is_empty() {
        return Err(fail(400, 1095, "Required argument missing"));
    }
    Ok(())
}

/// The bulk error mode, from the `X-NITRO-ONERROR` header as the
/// reference defines it (`exit`, `continue`, `rollback`; `exit` when
/// absent). A query option of that name is not read.
/// A path segment as the appliance reads it: percent-decoded twice (its
/// web server, then NITRO; see docs/name-encoding.md).
pub fn decode_segment(segment: &str) -> String {
    decode(&decode(segment))
}

fn onerror_of(headers: &HeaderMap) -> String {
    headers.get("x-nitro-onerror").and_then(|value| value.to_str().ok()).unwrap_or("exit").to_ascii_uppercase()
}

/// A body on a write must say it is JSON.
fn check_content_type(headers: &HeaderMap, body: &Option<Value>) -> Result<(), Reply> {
    if body.is_none() {
        return Ok(());
    }
    let content_type = headers.get("content-type").and_then(|value| value.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let json = essence == "application/json" || (essence.starts_with("application/vnd.com.citrix.netscaler.") && essence.ends_with("+json"));
    if json {
        Ok(())
    } else {
        Err(fail(400, 1233, "Invalid content type: the body must be application/json"))
    }
}

/// A binding row as the appliance keeps it: a service group member added
/// by IP address is also shown with that address as its server name.
fn as_appliance_stores(resource: &str, object: &Map<String, Value>) -> Map<String, Value> {
    let mut row = object.clone();
    if resource == "servicegroup_servicegroupmember_binding" && !row.contains_key("servername") {
        if let Some(ip) = row.get("ip").cloned() {
            row.insert("servername".into(), ip);
        }
    }
    row
}

// ---------------------------------------------------------------------------
// Faults: misbehaviour on request, for the client's trust tests. Kept apart
// from the appliance's rules above.

/// A misbehaviour the server shows until cleared ([`NitroServer::fault`]).
/// Login requests are answered normally except under
/// [`Fault::FailingLogin`] and [`Fault::Slow`].
#[derive(Clone, Debug)]
pub enum Fault {
    /// Every request is answered with this 3xx status and `Location`:
    /// `None` is the request's own URL.
    Redirect { status: u16, location: Option<String> },
    /// 304 Not Modified with an empty body.
    NotModified,
    /// 200 with a body of `bytes` bytes, produced lazily in 64 KiB chunks
    /// (a list of `{"name":"x"}` that never ends); `declare_length` sends
    /// its `Content-Length`.
    HugeBody { bytes: u64, declare_length: bool },
    /// Every request, login included, waits this long before its answer.
    Slow(Duration),
    /// Every login fails with 401/354, as with a wrong password.
    FailingLogin,
    /// An HTML 502 page, as a proxy in front of the appliance sends it.
    ProxyError,
    /// Answers leave `severity` out, as old firmware does.
    NoSeverity,
}

/// The HTML page of [`Fault::ProxyError`].
pub const PROXY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

impl NitroServer {
    /// Sets (or with `None` clears) the misbehaviour.
    pub fn fault(&self, fault: Option<Fault>) {
        self.state().fault = fault;
    }

    /// Login requests received so far, successful or not.
    pub fn login_attempts(&self) -> usize {
        self.state().login_attempts
    }

    /// Bytes of huge bodies produced so far.
    pub fn streamed_bytes(&self) -> u64 {
        self.state().streamed_bytes.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The answer of the fault in force, if it replaces the normal one (the
/// request is still recorded).
async fn faulty_answer(shared: &Shared, method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> Option<Response> {
    let is_login = *method == Method::POST && uri.path().ends_with("/config/login");
    let (fault, streamed) = {
        let mut state = shared.lock().unwrap_or_else(PoisonError::into_inner);
        // Counted on arrival: a login the client gave up on counts too.
        if is_login {
            state.login_attempts += 1;
        }
        (state.fault.clone()?, state.streamed_bytes.clone())
    };
    if let Fault::Slow(delay) = fault {
        tokio::time::sleep(delay).await;
        return None;
    }
    if is_login || matches!(fault, Fault::FailingLogin | Fault::NoSeverity) {
        return None;
    }
    {
        let mut state = shared.lock().unwrap_or_else(PoisonError::into_inner);
        if state.requests.len() < MAX_LOGGED_REQUESTS {
            let partition = partition_of(&state, headers);
            state.requests.push(Recorded {
                method: method.to_string(),
                path_and_query: uri.path_and_query().map(|pq| pq.to_string()).unwrap_or_default(),
                headers: headers
                    .iter()
                    .map(|(name, value)| (name.as_str().to_string(), value.to_str().unwrap_or("").to_string()))
                    .collect(),
                body: serde_json::from_slice(body).ok(),
                partition,
            });
        }
    }
    let response = match fault {
        Fault::Redirect { status, location } => {
            let location = location.unwrap_or_else(|| {
                let host = headers.get("host").and_then(|host| host.to_str().ok()).unwrap_or("127.0.0.1");
                format!("http://{host}{}", uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/"))
            });
            let mut response = StatusCode::from_u16(status).unwrap_or(StatusCode::FOUND).into_response();
            if let Ok(location) = HeaderValue::from_str(&location) {
                response.headers_mut().insert("location", location);
            }
            response
        }
        Fault::NotModified => StatusCode::NOT_MODIFIED.into_response(),
        Fault::ProxyError => {
            let mut response = (StatusCode::BAD_GATEWAY, PROXY_PAGE).into_response();
            response.headers_mut().insert("content-type", HeaderValue::from_static("text/html"));
            response
        }
        Fault::HugeBody { bytes, declare_length } => huge_body(bytes, declare_length, streamed),
        Fault::Slow(_) | Fault::FailingLogin | Fault::NoSeverity => return None,
    };
    Some(response)
}

/// A 200 answer whose body is produced chunk by chunk as it is sent.
fn huge_body(bytes: u64, declare_length: bool, streamed: Arc<std::sync::atomic::AtomicU64>) -> Response {
    // 5041 items of 13 bytes: a chunk of about 64 KiB that ends on an item.
    static ITEMS: std::sync::OnceLock<Bytes> = std::sync::OnceLock::new();
    let items = ITEMS.get_or_init(|| Bytes::from(r#"{"name":"x"},"#.repeat(5041))).clone();
    let head = Bytes::from_static(br#"{"errorcode":0,"message":"Done","severity":"NONE","lbvserver":["#);
    let mut left = bytes;
    let mut first = true;
    let chunks = std::iter::from_fn(move || {
        if left == 0 {
            return None;
        }
        let source = if std::mem::take(&mut first) { head.clone() } else { items.clone() };
        let take = source.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        left -= take as u64;
        streamed.fetch_add(take as u64, std::sync::atomic::Ordering::Relaxed);
        Some(Ok::<Bytes, std::convert::Infallible>(source.slice(..take)))
    });
    let mut response = Response::new(axum::body::Body::from_stream(futures_util::stream::iter(chunks)));
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    if declare_length {
        response.headers_mut().insert("content-length", HeaderValue::from(bytes));
    }
    response
}

/// Removes `severity` from an answer and its bulk items.
fn strip_severity(body: &mut Value) {
    if let Some(object) = body.as_object_mut() {
        object.remove("severity");
        if let Some(Value::Array(items)) = object.get_mut("response") {
            for item in items {
                if let Some(item) = item.as_object_mut() {
                    item.remove("severity");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Reach: what the client needs to reach appliances the way operators do.
// Admin partitions held per session (a new session starts in `default`,
// `nspartition?action=Switch` moves it), a phase of 503 answers as while
// NITRO starts, a delay per request, a count of requests in flight, a
// Console-style `nsconfig?action=diff` that answers data, and a server that
// starts listening late (connections refused until then).

/// State of this section.
#[derive(Default)]
pub struct Reach {
    /// Session token -> partition it switched to.
    pub partitions: BTreeMap<String, String>,
    /// Partitions that exist besides `default`.
    pub known_partitions: Vec<String>,
    /// Answers of 503 still to give, to any request, before anything else.
    pub unavailable: usize,
    /// Every request that reached the server, 503 phase included.
    pub arrivals: usize,
    /// Each request waits this long before it is handled.
    pub delay: Option<Duration>,
    /// Requests being handled now, and the most at any time.
    pub in_flight: Arc<std::sync::atomic::AtomicUsize>,
    pub max_in_flight: Arc<std::sync::atomic::AtomicUsize>,
}

/// Leaves the in-flight count when dropped.
struct InFlight(Arc<std::sync::atomic::AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

async fn reach_enter(shared: &Shared) -> InFlight {
    use std::sync::atomic::Ordering;
    let (in_flight, max, delay) = {
        let mut state = shared.lock().unwrap_or_else(PoisonError::into_inner);
        state.reach.arrivals += 1;
        (state.reach.in_flight.clone(), state.reach.max_in_flight.clone(), state.reach.delay)
    };
    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    max.fetch_max(now, Ordering::SeqCst);
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    InFlight(in_flight)
}

fn reach_unavailable(shared: &Shared) -> Option<Response> {
    let mut state = shared.lock().unwrap_or_else(PoisonError::into_inner);
    if state.reach.unavailable == 0 {
        return None;
    }
    state.reach.unavailable -= 1;
    Some((StatusCode::SERVICE_UNAVAILABLE, "<html><body>503 Service Unavailable</body></html>").into_response())
}

fn partition_of(state: &ServerState, headers: &HeaderMap) -> String {
    session_cookie(headers).and_then(|token| state.reach.partitions.get(&token).cloned()).unwrap_or_else(|| "default".into())
}

/// `nspartition?action=Switch` (needs a session) and `nsconfig?action=diff`.
fn reach_dispatch(state: &mut ServerState, method: &Method, resource: &str, query: &Query, headers: &HeaderMap, body: Option<&Value>) -> Option<Reply> {
    if *method != Method::POST {
        return None;
    }
    match (resource, query.action.as_deref()) {
        ("nspartition", Some("Switch")) => {
            let Some(token) = session_cookie(headers) else {
                return Some(fail(400, 2862, "Partition switch needs a session"));
            };
            let name = body.and_then(|body| body.pointer("/nspartition/partitionname")).and_then(Value::as_str).unwrap_or_default();
            if name != "default" && !state.reach.known_partitions.iter().any(|known| known == name) {
                return Some(fail(404, 258, "No such resource [partitionname]"));
            }
            state.reach.partitions.insert(token, name.to_string());
            Some(done(200))
        }
        ("nsconfig", Some("diff")) => {
            let partition = partition_of(state, headers);
            Some(Reply::new(
                200,
                json!({"errorcode": 0, "message": "Done", "severity": "NONE",
                       "nsconfig": {"response": format!("partition {partition}: add lb vserver vs-new HTTP 10.0.0.9 80")}}),
            ))
        }
        _ => None,
    }
}

impl NitroServer {
    /// Reserves a loopback port and starts serving on it only after
    /// `delay`: until then connections are refused. Returns the base URL
    /// at once and the server when it runs.
    pub async fn start_later(delay: Duration) -> (String, tokio::task::JoinHandle<NitroServer>) {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let address = probe.local_addr().expect("local address");
        drop(probe);
        let later = tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let listener = tokio::net::TcpListener::bind(address).await.expect("bind the reserved port");
            NitroServer::serve(listener)
        });
        (format!("http://{address}"), later)
    }

    /// The next `count` requests, whatever they are, answer 503.
    pub fn unavailable_for(&self, count: usize) {
        self.state().reach.unavailable = count;
    }

    /// Requests that reached the server so far (503 answers included).
    pub fn arrivals(&self) -> usize {
        self.state().reach.arrivals
    }

    /// Every request waits `delay` before it is handled.
    pub fn delay_each(&self, delay: Option<Duration>) {
        self.state().reach.delay = delay;
    }

    /// The most requests handled at once so far.
    pub fn max_in_flight(&self) -> usize {
        self.state().reach.max_in_flight.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Creates an admin partition.
    pub fn add_partition(&self, name: &str) {
        self.state().reach.known_partitions.push(name.to_string());
    }
}

// ---------------------------------------------------------------------------
// Workflows: what the runtime's one-call jobs need. `sslcertkey`
// `action=update` and `action=link` (the linked pair must exist),
// `idempotent=yes` on add
// (an existing object is updated in place, as the appliance does since
// 11.1), `hanode` rows (node 0 is this node; standalone when none are set),
// `nsversion` (a single object, as the appliance answers it), `systemfile`
// upload, download by `args=filename:..,filelocation:..` and delete, and a
// first-boot forced password change: until a login carries `new_password`
// every login answers 1046 (`NSERR_FORCE_PWDCHANGE`), after it only the new
// password is accepted.

/// State of this section.
#[derive(Default)]
pub struct Workflows {
    /// Logins must change the password first (errorcode 1046).
    pub force_password_change: bool,
    /// The password after a first-boot change (else [`PASSWORD`]).
    pub changed_password: Option<String>,
    /// `hanode` rows; empty: a standalone node 0 in state `Primary`.
    pub ha_nodes: Vec<Value>,
    /// `nsversion` `version` text; `None`: a 14.1 build.
    pub version: Option<String>,
    /// (filelocation, filename) -> base64 content.
    pub files: BTreeMap<(String, String), String>,
}

/// The `version` the server reports unless told otherwise.
pub const DEFAULT_VERSION: &str = "NetScaler NS14.1: Build 60.54.nc, Date: Oct  1 2025, 10:00:00   (64-bit)";

fn current_password(state: &ServerState) -> &str {
    state.workflows.changed_password.as_deref().unwrap_or(PASSWORD)
}

/// Under a forced change, a login without `new_password` fails with 1046;
/// with one, the password changes and the login goes on.
fn first_boot_password(state: &mut ServerState, login: Option<&Value>) -> Result<(), Reply> {
    if !state.workflows.force_password_change {
        return Ok(());
    }
    match login.and_then(|login| login.get("new_password")).and_then(Value::as_str) {
        None => Err(fail(401, 1046, "Please change the default password")),
        Some(new) if new.is_empty() || new == current_password(state) => Err(fail(400, 1076, "Invalid password")),
        Some(new) => {
            state.workflows.changed_password = Some(new.to_string());
            state.workflows.force_password_change = false;
            Ok(())
        }
    }
}

/// `add` with `idempotent=yes`: a new object is added; an existing one
/// takes the sent properties (the add's keys, checked as for add).
fn add_or_update(state: &mut ServerState, resource: &str, object: &Map<String, Value>) -> ItemResult {
    let (_, key) = key_of(resource, object)?;
    if !state.objects.get(resource).is_some_and(|objects| objects.contains_key(&key)) {
        return add(state, resource, object);
    }
    check_payload(resource, "add", object)?;
    let stored = state.objects.get_mut(resource).and_then(|objects| objects.get_mut(&key)).ok_or_else(not_found)?;
    for (name, value) in object.iter().filter(|(_, value)| !value.is_null()) {
        stored.insert(name.clone(), value.clone());
    }
    Ok(())
}

fn workflows_dispatch(
    state: &mut ServerState,
    method: &Method,
    family: &str,
    resource: &str,
    key: Option<&str>,
    query: &Query,
    body: Option<&Value>,
) -> Option<Reply> {
    if family != "config" {
        return None;
    }
    let ok = || json!({"errorcode": 0, "message": "Done", "severity": "NONE"});
    match (resource, method.as_str()) {
        ("hanode", "GET") => {
            let nodes = if state.workflows.ha_nodes.is_empty() {
                vec![json!({"id": "0", "ipaddress": "127.0.0.1", "state": "Primary", "hastatus": "ENABLED"})]
            } else {
                state.workflows.ha_nodes.clone()
            };
            Some(listing("hanode", nodes))
        }
        ("nsversion", "GET") => {
            let version = state.workflows.version.clone().unwrap_or_else(|| DEFAULT_VERSION.to_string());
            let mut body = ok();
            body["nsversion"] = json!({"installedversion": false, "version": version, "mode": "1"});
            Some(Reply::new(200, body))
        }
        ("sslcertkey", "POST") if matches!(query.action.as_deref(), Some("update" | "link")) => {
            let Some(item) = body.and_then(|body| body.get("sslcertkey")).and_then(Value::as_object) else {
                return Some(fail(400, 1233, "Invalid JSON input"));
            };
            let Some(name) = item.get("certkey").and_then(Value::as_str) else {
                return Some(fail(400, 1095, "Required argument missing"));
            };
            let allowed: &[&str] = if query.action.as_deref() == Some("update") {
                &["certkey", "cert", "key", "password", "fipskey", "inform", "passplain", "nodomaincheck"]
            } else {
                &["certkey", "linkcertkeyname"]
            };
            if let Some(other) = item.keys().find(|field| !allowed.contains(&field.as_str())) {
                return Some(invalid_argument(other));
            }
            if query.action.as_deref() == Some("link") {
                let target = item.get("linkcertkeyname").and_then(Value::as_str).unwrap_or_default();
                if !state.objects.get("sslcertkey").is_some_and(|objects| objects.contains_key(target)) {
                    return Some(not_found());
                }
            }
            let Some(stored) = state.objects.get_mut("sslcertkey").and_then(|objects| objects.get_mut(name)) else {
                return Some(not_found());
            };
            for (field, value) in item.iter().filter(|(field, _)| field.as_str() != "nodomaincheck") {
                stored.insert(field.clone(), value.clone());
            }
            Some(done(200))
        }
        ("systemfile", "POST") => {
            let file = body.and_then(|body| body.get("systemfile"));
            let field = |name: &str| file.and_then(|file| file.get(name)).and_then(Value::as_str).map(str::to_string);
            let (Some(name), Some(location), Some(content)) = (field("filename"), field("filelocation"), field("filecontent")) else {
                return Some(fail(400, 1095, "Required argument missing"));
            };
            if name.contains('/') || !location.starts_with('/') || field("fileencoding").is_some_and(|encoding| encoding != "BASE64") {
                return Some(fail(400, 278, "Invalid argument"));
            }
            if state.workflows.files.contains_key(&(location.clone(), name.clone())) {
                return Some(fail(409, 273, "Resource already exists"));
            }
            state.workflows.files.insert((location, name), content);
            Some(done(201))
        }
        ("systemfile", "GET") => {
            let arg = |wanted: &str| query.args.iter().find(|(name, _)| name == wanted).map(|(_, value)| value.clone());
            let (Some(name), Some(location)) = (arg("filename"), arg("filelocation")) else {
                return Some(fail(400, 1095, "Required argument missing"));
            };
            let Some(content) = state.workflows.files.get(&(location.clone(), name.clone())).cloned() else {
                return Some(not_found());
            };
            let size = content.len() / 4 * 3;
            Some(listing(
                "systemfile",
                vec![json!({"filename": name, "filelocation": location, "filecontent": content, "fileencoding": "BASE64", "filesize": size.to_string()})],
            ))
        }
        ("systemfile", "DELETE") => {
            let location = query.args.iter().find(|(name, _)| name == "filelocation").map(|(_, value)| value.clone());
            let (Some(location), Some(name)) = (location, key) else {
                return Some(fail(400, 1095, "Required argument missing"));
            };
            let removed = state.workflows.files.remove(&(location, name.to_string()));
            Some(if removed.is_some() { done(200) } else { not_found() })
        }
        _ => None,
    }
}

impl NitroServer {
    /// Logins answer 1046 until one carries `new_password`.
    pub fn force_password_change(&self) {
        self.state().workflows.force_password_change = true;
    }

    /// The `hanode` rows the server answers.
    pub fn set_ha_nodes(&self, nodes: Vec<Value>) {
        self.state().workflows.ha_nodes = nodes;
    }

    /// The `nsversion` `version` text the server answers.
    pub fn set_version(&self, version: &str) {
        self.state().workflows.version = Some(version.to_string());
    }

    /// The stored content of a file (base64, as uploaded).
    pub fn file(&self, location: &str, name: &str) -> Option<String> {
        self.state().workflows.files.get(&(location.to_string(), name.to_string())).cloned()
    }
}
