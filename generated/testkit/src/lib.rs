//! A NITRO simulator for testing code that talks to a NetScaler ADC
//! without an appliance. Used through the `netscaler` crate's feature
//! `testkit` (`netscaler::testkit`, which adds `client(&server)` for a
//! ready client); it does not depend on that crate, so the bindings'
//! compile stays as small without it.
//!
//! [`NitroServer::start`] serves on `127.0.0.1` (a free port) and holds
//! requests to the rules of the API reference the `netscaler` crate of
//! the same version was generated from, for every ADC config and binding
//! resource: the rules are read at start from data `cargo xtask codegen`
//! writes from the reference (`src/rules.txt`), not from hand-written
//! cases.
//!
//! What it does, as an appliance does:
//!
//! - logs in and out (`/nitro/v1/config/login`, the `NITRO_AUTH_TOKEN`
//!   cookie) and accepts `X-NITRO-USER`/`X-NITRO-PASS` on each request,
//!   with the credentials [`NitroServer::username`] and
//!   [`NitroServer::password`];
//! - stores objects by their keys and binding rows by their parent: add
//!   (`idempotent=yes` updates an existing object), update, unset, delete
//!   (with `?args=`), enable, disable, rename, other actions checked and
//!   answered, bulk writes in the `X-NITRO-ONERROR` mode (`exit`,
//!   `continue`, `rollback`; 207 with one result per item);
//! - serves get, get by key, count (`?count=yes`), `filter`, `args`,
//!   pagination (`pagesize`, `pageno`) and `attrs`, binding rows by parent
//!   and the aggregate `<parent>_binding`; a resource without keys is
//!   answered as one object;
//! - refuses what the reference forbids, with the appliance's error codes
//!   ([`codes`]): a key the operation does not take (278), a mandatory one
//!   missing (1095), both of two alternative arguments (1092), a value
//!   outside its range (1108, 1109) or length (1106, 1107) or not one of
//!   its possible values (1097), an existing object added again (273), an
//!   object that does not exist (258), a body that is not JSON (1233);
//! - reads path keys percent-decoded twice, as the appliance does.
//!
//! What it does not: statistics are what you seed ([`NitroServer::seed_stat`]);
//! a binding does not check that the object it names on its other end
//! exists; actions other than enable, disable and rename change nothing;
//! ADM and `/nitro/v2` are not served.
//!
//! Faults on request ([`Fault`]): expired sessions, a phase of 503
//! answers (as while NITRO starts), slow answers, warnings (209 with
//! `X-NITRO-WARNING`) and failing items in a bulk write (207).
//!
//! Bounded: it listens on loopback only, reads request bodies up to
//! [`MAX_BODY`] bytes, keeps the first [`MAX_LOGGED_REQUESTS`] requests,
//! holds at most [`MAX_OBJECTS`] objects, serves at most
//! [`MAX_CONNECTIONS`] connections at once (each limit named in the error
//! it causes, and raised with [`NitroServer::start_with`]), and stops
//! (closing every connection) when the [`NitroServer`] is dropped.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use netscaler_testkit::NitroServer;
//! let server = NitroServer::start().await?;
//! // A client of your own: `server.base_url()`, `server.username()` and
//! // `server.password()` (`netscaler::testkit::client(&server)` builds one).
//! assert!(server.base_url().starts_with("http://127.0.0.1:"));
//! assert!(server.object("lbvserver", "web").is_none());
//! # Ok(())
//! # }
//! ```

pub mod codes;
mod nitro;
mod rules;

pub use nitro::MAX_OBJECTS;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming as Body};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use nitro::{Appliance, Incoming, Sessions, Store, WriteFaults};
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The user the server accepts.
pub const USER: &str = "nsroot";
/// Its password.
pub const PASSWORD: &str = "testkit-Pass#1";
/// The largest request body read; a larger one is refused with 413.
pub const MAX_BODY: usize = 8 * 1024 * 1024;
/// Requests kept for [`NitroServer::requests`]; later ones are counted in
/// [`Counters::requests_not_kept`] only.
pub const MAX_LOGGED_REQUESTS: usize = 10_000;
/// Connections served at once (an idle keep-alive connection counts);
/// more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 1024;

/// The kit's limits ([`NitroServer::start_with`]); the default is the
/// constants of this module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest request body read; a larger one answers 413.
    pub max_body: usize,
    /// Requests kept for [`NitroServer::requests`].
    pub max_logged_requests: usize,
    /// Objects and binding rows held, all resources together; an add
    /// past it answers errorcode 1072 (`NSERR_MAXLIMIT`).
    pub max_objects: usize,
    /// Connections served at once.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_body: MAX_BODY, max_logged_requests: MAX_LOGGED_REQUESTS, max_objects: MAX_OBJECTS, max_connections: MAX_CONNECTIONS }
    }
}

/// A fault to show ([`NitroServer::inject`]).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Fault {
    /// Every session open now ends: a request with its cookie answers
    /// 401 with errorcode 444 (`NSERR_SESSION_EXPIRED`) until it logs in again.
    ExpireSessions,
    /// The next `requests` requests, whatever they are, answer 503 with an
    /// HTML page, as NITRO does while the appliance starts.
    Unavailable { requests: usize },
    /// Every answer waits this long (until [`NitroServer::clear_faults`]).
    Slow(Duration),
    /// The next write that succeeds answers 209 with this text in the
    /// `X-NITRO-WARNING` header.
    Warning(String),
    /// In the next bulk write, the items at these positions (from 0) fail
    /// with `errorcode`; the others go on as the `X-NITRO-ONERROR` mode
    /// says, and the answer is 207 with one result per item.
    FailBulkItems { items: Vec<usize>, errorcode: i64 },
}

/// One request as the server received it. Secrets are replaced by
/// `"(redacted)"`: the `X-NITRO-PASS` and `Cookie` headers and the
/// passwords of a login body.
#[derive(Clone, Debug, PartialEq)]
pub struct SeenRequest {
    pub method: String,
    /// Path and query exactly as sent (still percent-encoded).
    pub path_and_query: String,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// The body, when it was JSON.
    pub body: Option<Value>,
    /// The status the server answered.
    pub status: u16,
}

impl SeenRequest {
    /// The value of header `name` (lower case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

/// Counts of what the server saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counters {
    /// Requests received, 503 answers included.
    pub requests: usize,
    /// Login requests received, successful or not.
    pub login_attempts: usize,
    /// The most requests handled at once so far.
    pub max_in_flight: usize,
    /// Requests received after the log was full.
    pub requests_not_kept: usize,
}

/// An error of the kit's own (an unknown resource to seed, a value that is
/// not an object).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KitError(String);

impl std::fmt::Display for KitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KitError {}

#[derive(Default)]
struct State {
    store: Store,
    sessions: Sessions,
    write_faults: WriteFaults,
    unavailable: usize,
    slow: Option<Duration>,
    requests: Vec<SeenRequest>,
    counters: Counters,
}

struct Shared {
    state: Mutex<State>,
    in_flight: AtomicUsize,
    rules: &'static rules::Rules,
    limits: Limits,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running simulator; it stops when dropped.
pub struct NitroServer {
    base_url: String,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for NitroServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NitroServer").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl NitroServer {
    /// Starts a server on `127.0.0.1` (a free port) in the current tokio
    /// runtime. Fails when the port cannot be bound or the compiled-in
    /// rules cannot be read.
    pub async fn start() -> std::io::Result<NitroServer> {
        NitroServer::start_with(Limits::default()).await
    }

    /// [`start`](Self::start) with other limits.
    pub async fn start_with(limits: Limits) -> std::io::Result<NitroServer> {
        let rules = rules::rules().map_err(|why| std::io::Error::new(std::io::ErrorKind::InvalidData, why))?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared { state: Mutex::default(), in_flight: AtomicUsize::new(0), rules, limits });
        let server = tokio::spawn(serve(listener, shared.clone()));
        Ok(NitroServer { base_url: format!("http://{address}"), shared, server })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The user name the server accepts ([`USER`]).
    pub fn username(&self) -> &str {
        USER
    }

    /// The password the server accepts ([`PASSWORD`]).
    pub fn password(&self) -> &str {
        PASSWORD
    }

    /// `(product, release)` of the reference the rules come from.
    pub fn release(&self) -> (&str, &str) {
        (&self.shared.rules.release.0, &self.shared.rules.release.1)
    }

    // --- Seed and inspect ------------------------------------------------------

    /// Stores `object` in `resource` as it is, without the rules (say the
    /// read-only fields an appliance shows): it replaces an object with
    /// the same keys. For a binding, `object` is one row.
    pub fn seed(&self, resource: &str, object: Value) -> Result<(), KitError> {
        let rule = self.config_rule(resource)?;
        let Value::Object(object) = object else {
            return Err(KitError(format!("a seeded {resource} must be a JSON object")));
        };
        let mut state = self.shared.lock();
        let state = &mut *state;
        appliance(&self.shared, state).seed(rule, object);
        Ok(())
    }

    /// Adds a row the server answers for `stat/<resource>`.
    pub fn seed_stat(&self, resource: &str, row: Value) -> Result<(), KitError> {
        if !self.shared.rules.resources.contains_key(&format!("stat/{resource}")) {
            return Err(KitError(format!("the reference has no statistics resource {resource}")));
        }
        let Value::Object(row) = row else {
            return Err(KitError(format!("a seeded stat/{resource} row must be a JSON object")));
        };
        self.shared.lock().store.stats.entry(resource.to_string()).or_default().push(row);
        Ok(())
    }

    /// Every object (or binding row) the server holds for `resource`, in
    /// the order added.
    pub fn objects(&self, resource: &str) -> Vec<Map<String, Value>> {
        self.shared.lock().store.objects.get(resource).cloned().unwrap_or_default()
    }

    /// The object of `resource` whose primary key is `key` (the first, for
    /// resources with several keys).
    pub fn object(&self, resource: &str, key: &str) -> Option<Map<String, Value>> {
        let primary = self.shared.rules.resources.get(resource)?.keys.first()?;
        self.objects(resource).into_iter().find(|object| object.get(primary).map(rules::text).as_deref() == Some(key))
    }

    /// The rows of binding `binding` whose parent key is `parent`.
    pub fn bindings(&self, binding: &str, parent: &str) -> Vec<Map<String, Value>> {
        let Some(parent_key) = self.shared.rules.resources.get(binding).and_then(|rule| rule.keys.first()) else {
            return Vec::new();
        };
        let rows = self.objects(binding);
        rows.into_iter().filter(|row| row.get(parent_key).map(rules::text).as_deref() == Some(parent)).collect()
    }

    /// The requests received so far (the first [`MAX_LOGGED_REQUESTS`]).
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.shared.lock().requests.clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// What the server counted so far.
    pub fn counters(&self) -> Counters {
        self.shared.lock().counters
    }

    // --- Faults ---------------------------------------------------------------

    /// Shows `fault` (see [`Fault`] for how long each lasts).
    pub fn inject(&self, fault: Fault) {
        let mut state = self.shared.lock();
        match fault {
            Fault::ExpireSessions => state.sessions.tokens.values_mut().for_each(|expired| *expired = true),
            Fault::Unavailable { requests } => state.unavailable = requests,
            Fault::Slow(delay) => state.slow = Some(delay),
            Fault::Warning(text) => state.write_faults.warning = Some(text),
            Fault::FailBulkItems { items, errorcode } => state.write_faults.bulk_items = Some((items, errorcode)),
        }
    }

    /// Ends every fault still pending (expired sessions stay expired).
    pub fn clear_faults(&self) {
        let mut state = self.shared.lock();
        state.unavailable = 0;
        state.slow = None;
        state.write_faults = WriteFaults::default();
    }

    fn config_rule(&self, resource: &str) -> Result<&'static rules::ResourceRule, KitError> {
        match self.shared.rules.resources.get(resource) {
            Some(rule) if rule.kind != rules::Kind::Stat && rule.members.is_empty() => Ok(rule),
            _ => Err(KitError(format!("the reference has no config or binding resource {resource}"))),
        }
    }
}

impl Drop for NitroServer {
    fn drop(&mut self) {
        // Aborting the accept loop drops its set of connection tasks,
        // which aborts them too.
        self.server.abort();
    }
}

fn appliance<'a>(shared: &'a Shared, state: &'a mut State) -> Appliance<'a> {
    Appliance {
        rules: shared.rules,
        max_objects: shared.limits.max_objects,
        store: &mut state.store,
        sessions: &mut state.sessions,
        faults: &mut state.write_faults,
        user: USER,
        password: PASSWORD,
    }
}

async fn serve(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        if connections.len() >= shared.limits.max_connections {
            let _ = connections.join_next().await;
            continue;
        }
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let shared = shared.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = shared.clone();
                async move { Ok::<_, std::convert::Infallible>(handle(shared, request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// Leaves the in-flight count when dropped.
struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

const UNAVAILABLE_PAGE: &str = "<html><head><title>503 Service Unavailable</title></head><body>Service Unavailable</body></html>";

async fn handle(shared: Arc<Shared>, request: Request<Body>) -> Response<Full<Bytes>> {
    let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let _in_flight = InFlight(&shared.in_flight);
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    let path_and_query = request.uri().path_and_query().map(|pq| pq.as_str().to_string()).unwrap_or_default();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect();
    let (slow, unavailable) = {
        let mut state = shared.lock();
        state.counters.requests += 1;
        state.counters.max_in_flight = state.counters.max_in_flight.max(now);
        if method == "POST" && path.ends_with("/config/login") {
            state.counters.login_attempts += 1;
        }
        let unavailable = state.unavailable > 0;
        if unavailable {
            state.unavailable -= 1;
        }
        (state.slow, unavailable)
    };
    if let Some(delay) = slow {
        tokio::time::sleep(delay).await;
    }
    let max_body = shared.limits.max_body;
    let body = match Limited::new(request.into_body(), max_body).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let refusal = codes::refuse(413, codes::NSERR_NITRO_INVALID_JSON_INPUT, format!("Request body over the test kit's limit of {max_body} bytes (Limits::max_body)"));
            return respond(&shared, seen(method, path_and_query, headers, &Bytes::new()), nitro::Reply::from(refusal));
        }
    };
    let record = seen(method.clone(), path_and_query, headers.clone(), &body);
    if unavailable {
        let mut response = Response::new(Full::new(Bytes::from_static(UNAVAILABLE_PAGE.as_bytes())));
        *response.status_mut() = hyper::StatusCode::SERVICE_UNAVAILABLE;
        response.headers_mut().insert("content-type", hyper::header::HeaderValue::from_static("text/html"));
        keep(&shared, record, 503);
        return response;
    }
    let reply = {
        let mut state = shared.lock();
        let incoming = Incoming { method: &method, path: &path, query: &query, headers: &headers, body: &body };
        appliance(&shared, &mut state).answer(&incoming)
    };
    respond(&shared, record, reply)
}

fn respond(shared: &Shared, record: SeenRequest, reply: nitro::Reply) -> Response<Full<Bytes>> {
    keep(shared, record, reply.status);
    let body = reply.body.as_ref().map(Value::to_string).unwrap_or_default();
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = hyper::StatusCode::from_u16(reply.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    if reply.body.is_some() {
        headers.insert("content-type", hyper::header::HeaderValue::from_static("application/json"));
    }
    if let Some(cookie) = reply.set_cookie.and_then(|cookie| hyper::header::HeaderValue::from_str(&cookie).ok()) {
        headers.insert("set-cookie", cookie);
    }
    if let Some(warning) = reply.warning.and_then(|warning| hyper::header::HeaderValue::from_str(&warning).ok()) {
        headers.insert("x-nitro-warning", warning);
    }
    response
}

const REDACTED: &str = "(redacted)";

/// The request as kept, secrets replaced.
fn seen(method: String, path_and_query: String, mut headers: Vec<(String, String)>, body: &[u8]) -> SeenRequest {
    for (name, value) in &mut headers {
        if name == "x-nitro-pass" || name == "cookie" || name == "authorization" {
            *value = REDACTED.to_string();
        }
    }
    let mut body: Option<Value> = serde_json::from_slice(body).ok();
    if let Some(Value::Object(login)) = body.as_mut().and_then(|body| body.get_mut("login")) {
        for (name, value) in login.iter_mut() {
            if name.contains("password") {
                *value = Value::String(REDACTED.to_string());
            }
        }
    }
    SeenRequest { method, path_and_query, headers, body, status: 0 }
}

fn keep(shared: &Shared, mut record: SeenRequest, status: u16) {
    record.status = status;
    let mut state = shared.lock();
    if state.requests.len() < shared.limits.max_logged_requests {
        state.requests.push(record);
    } else {
        state.counters.requests_not_kept += 1;
    }
}
