//! The async client: sends [`Request`]s over HTTPS (reqwest with rustls),
//! authenticates (per-request headers or a session), and turns answers into
//! results.
//!
//! Sessions: `POST <login path>` with `{"login":{"username","password",
//! "timeout"}}`; the token is read from the session cookie of the answer
//! (`NITRO_AUTH_TOKEN` on ADC, `SESSID` on ADM) or from its `sessionid`,
//! and sent back as that cookie. A request that fails because the session
//! expired (HTTP 401, errorcode 444/471/1027) logs in again once and is
//! sent again.
//!
//! One login at a time: requests that need a session while another
//! request logs in wait for that login (at most the request timeout) and
//! share its result, success or failure; after a failed login the next
//! attempt waits a backoff (1 s, doubling to 60 s), and requests in the
//! meantime get the failure without contacting the appliance (a wrong
//! password must not lock the account).
//!
//! Only 2xx answers are success. No redirect is followed: a 1xx/3xx
//! answer is [`Error::UnexpectedStatus`] (a `302` on a POST must not turn
//! into a GET reported done, and credentials never go to another host).
//! Answers are read up to [`ClientBuilder::max_response_bytes`].
//!
//! Passwords and tokens are held as [`Secret`]s and sent in headers marked
//! sensitive; nothing here prints or logs them. Plain `http://` with
//! credentials needs [`ClientBuilder::allow_insecure_http`]; a base URL
//! with a user part is refused.

use crate::runtime::answer::{api_error, Answer, FromNitro};
use crate::runtime::error::{redacted_url, Error, Result};
use crate::runtime::resource::{Method, Parts, Request, Resource};
use crate::runtime::secret::{redacted_base_url, Secret};
use crate::runtime::transport::{self, Failure, Repeat, SessionHooks, Sessions, Transport, TransportConfig};
use reqwest::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use serde_json::{json, Value};
use std::fmt;
use std::sync::Arc;

pub use crate::runtime::transport::{RetryPolicy, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_USER_AGENT};
/// Default of [`ClientBuilder::max_decoded_bytes`]: 64 MiB.
pub const DEFAULT_MAX_DECODED_BYTES: u64 = 64 * 1024 * 1024;
/// The header in which the appliance reports warnings (with HTTP 209).
pub const WARNING_HEADER: &str = "x-nitro-warning";

/// Which product the client talks to: sets the login and logout paths and
/// the session cookie name (each can still be set on its own).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Product {
    /// NetScaler ADC: `/nitro/v1/config/login`, cookie `NITRO_AUTH_TOKEN`.
    #[default]
    Adc,
    /// NetScaler ADM / Console: `/nitro/v2/config/login`, cookie `SESSID`.
    Adm,
}

impl Product {
    fn login_path(self) -> &'static str {
        match self {
            Product::Adc => "/nitro/v1/config/login",
            Product::Adm => "/nitro/v2/config/login",
        }
    }
    fn logout_path(self) -> &'static str {
        match self {
            Product::Adc => "/nitro/v1/config/logout",
            Product::Adm => "/nitro/v2/config/logout",
        }
    }
    fn cookie_name(self) -> &'static str {
        match self {
            Product::Adc => "NITRO_AUTH_TOKEN",
            Product::Adm => "SESSID",
        }
    }
}

/// How requests are authenticated.
#[derive(Clone, Debug)]
enum Auth {
    None,
    /// `X-NITRO-USER` / `X-NITRO-PASS` on every request.
    Headers { username: String, password: Secret },
    /// A session opened by `login`, sent as a cookie.
    Session { username: String, password: Secret },
}

/// A managed instance reached through NetScaler Console (ADM) as a proxy:
/// [`ClientBuilder::managed_instance`] sends its
/// `_MPS_API_PROXY_MANAGED_INSTANCE_*` headers with every request except
/// login and logout, so one Console session configures many ADCs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedInstance {
    /// `_IP`, `_NAME` or `_ID`, and its value.
    by: (&'static str, String),
    /// The instance's own user name and password, when the Console should
    /// not use the ones it stores.
    credentials: Option<(String, Secret)>,
}

/// Header prefix of the Console's proxy headers.
const PROXY_HEADER: &str = "_MPS_API_PROXY_MANAGED_INSTANCE_";

impl ManagedInstance {
    /// The instance with this management address (`_MPS_API_PROXY_MANAGED_INSTANCE_IP`).
    pub fn ip(address: impl Into<String>) -> Self {
        ManagedInstance { by: ("IP", address.into()), credentials: None }
    }
    /// The instance with this name in the Console (`..._NAME`).
    pub fn name(name: impl Into<String>) -> Self {
        ManagedInstance { by: ("NAME", name.into()), credentials: None }
    }
    /// The instance with this Console id (`..._ID`).
    pub fn id(id: impl Into<String>) -> Self {
        ManagedInstance { by: ("ID", id.into()), credentials: None }
    }
    /// Logs in to the instance with these credentials
    /// (`..._USERNAME`/`..._PASSWORD`; the password header is marked
    /// sensitive and never shown).
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some((username.into(), password.into()));
        self
    }

    fn headers(&self) -> Result<Vec<(HeaderName, HeaderValue)>> {
        let name = |suffix: &str| {
            HeaderName::from_bytes(format!("{PROXY_HEADER}{suffix}").as_bytes()).map_err(|_| Error::Config("proxy header name".into()))
        };
        let value = |text: &str, what: &str| {
            HeaderValue::from_str(text).map_err(|_| Error::Config(format!("the managed instance {what} cannot be sent in a header")))
        };
        let mut headers = vec![(name(self.by.0)?, value(&self.by.1, &self.by.0.to_ascii_lowercase())?)];
        if let Some((username, password)) = &self.credentials {
            headers.push((name("USERNAME")?, value(username, "user name")?));
            headers.push((name("PASSWORD")?, sensitive(password.expose(), "managed instance password")?));
        }
        Ok(headers)
    }
}

/// Builds a [`Client`]. TLS certificates are verified unless
/// [`ClientBuilder::danger_accept_invalid_certs`] says otherwise.
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    transport: TransportConfig,
    managed_instance: Option<ManagedInstance>,
    partition: Option<String>,
    auth: Auth,
    product: Product,
    login_path: Option<String>,
    logout_path: Option<String>,
    cookie_name: Option<String>,
    session_timeout: Option<u64>,
    max_decoded_bytes: u64,
    allow_insecure_http: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The base URL without a user part or query (refused at build,
        // but never printed).
        f.debug_struct("ClientBuilder")
            .field("base_url", &redacted_base_url(&self.base_url))
            .field("transport", &self.transport)
            .field("auth", &self.auth)
            .field("product", &self.product)
            .field("managed_instance", &self.managed_instance)
            .field("partition", &self.partition)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// `base_url` is the scheme and host, e.g. `https://10.0.0.1` or
    /// `https://adc.example.com:8443`.
    pub fn new(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            transport: TransportConfig::default(),
            managed_instance: None,
            partition: None,
            auth: Auth::None,
            product: Product::Adc,
            login_path: None,
            logout_path: None,
            cookie_name: None,
            session_timeout: None,
            max_decoded_bytes: DEFAULT_MAX_DECODED_BYTES,
            allow_insecure_http: false,
        }
    }

    transport::transport_methods!();

    /// Sends every request but login and logout to this instance through
    /// NetScaler Console (the base URL is the Console's, the product
    /// usually [`Product::Adm`] for its login).
    pub fn managed_instance(mut self, instance: ManagedInstance) -> Self {
        self.managed_instance = Some(instance);
        self
    }

    /// Works in this admin partition: after every login (the first and
    /// each re-login after a session expired) the client switches to it
    /// (`POST /nitro/v1/config/nspartition?action=Switch`) before any
    /// other request uses the session, so no request runs in the default
    /// partition by accident. Needs [`ClientBuilder::session`]: header
    /// authentication has no session to hold a partition.
    pub fn partition(mut self, name: impl Into<String>) -> Self {
        self.partition = Some(name.into());
        self
    }

    /// The memory the models decoded from one list answer may take
    /// (items times the model's size), at least (default 64 MiB): a list
    /// answer may always decode into 16 times its own size, and into this
    /// much when that is more. Beyond it decoding stops with
    /// [`Error::DecodeTooLarge`] (a body of `[{},{},...]` would otherwise
    /// allocate a whole model per 3 bytes).
    pub fn max_decoded_bytes(mut self, bytes: u64) -> Self {
        self.max_decoded_bytes = bytes;
        self
    }

    /// Allows a plain `http://` base URL with credentials or a session
    /// (the password and session token then travel in clear). Off by
    /// default: `build` refuses that combination. For test servers.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Authenticates every request with `X-NITRO-USER` / `X-NITRO-PASS`.
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.auth = Auth::Headers { username: username.into(), password: password.into() };
        self
    }

    /// Logs in on first use and sends the session cookie; logs in again
    /// once when the session has expired.
    pub fn session(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.auth = Auth::Session { username: username.into(), password: password.into() };
        self
    }

    /// Session idle timeout in seconds, sent with the login.
    pub fn session_timeout(mut self, seconds: u64) -> Self {
        self.session_timeout = Some(seconds);
        self
    }

    pub fn product(mut self, product: Product) -> Self {
        self.product = product;
        self
    }

    /// Overrides the login path of the product.
    pub fn login_path(mut self, path: impl Into<String>) -> Self {
        self.login_path = Some(path.into());
        self
    }

    /// Overrides the logout path of the product.
    pub fn logout_path(mut self, path: impl Into<String>) -> Self {
        self.logout_path = Some(path.into());
        self
    }

    /// Overrides the session cookie name of the product.
    pub fn session_cookie(mut self, name: impl Into<String>) -> Self {
        self.cookie_name = Some(name.into());
        self
    }

    /// Builds the client. Refuses a base URL that is not http(s), that
    /// holds a user name or password, or that is plain `http://` while
    /// credentials or a session are set (unless
    /// [`ClientBuilder::allow_insecure_http`]).
    pub fn build(self) -> Result<Client> {
        let kept = self.clone();
        let base_url = self.base_url.trim_end_matches('/').to_string();
        crate::runtime::secret::check_base_url(&base_url, !matches!(self.auth, Auth::None), self.allow_insecure_http).map_err(Error::Config)?;
        if self.partition.is_some() && !matches!(self.auth, Auth::Session { .. }) {
            return Err(Error::Config(
                "a partition needs a session (ClientBuilder::session): header credentials have no session to hold it".into(),
            ));
        }
        let proxy_headers = match &self.managed_instance {
            Some(instance) => instance.headers()?,
            None => Vec::new(),
        };
        let transport = self.transport.build(&base_url).map_err(Error::Config)?;
        let timeout = transport.timeout();
        Ok(Client {
            inner: Arc::new(Inner {
                builder: kept,
                transport,
                proxy_headers,
                partition: self.partition,
                base_url,
                login_path: self.login_path.unwrap_or_else(|| self.product.login_path().to_string()),
                logout_path: self.logout_path.unwrap_or_else(|| self.product.logout_path().to_string()),
                cookie_name: self.cookie_name.unwrap_or_else(|| self.product.cookie_name().to_string()),
                product: self.product,
                auth: self.auth,
                session_timeout: self.session_timeout,
                max_decoded_bytes: self.max_decoded_bytes,
                sessions: Sessions::new(timeout, SessionHooks {
                    share: Error::clone,
                    waited: Error::LoginWait,
                    closed: || Error::InvalidRequest("the session was closed (logout) before the request used it".into()),
                }),
                firmware: std::sync::Mutex::new(None),
            }),
        })
    }
}

/// An async NITRO client. Cheap to clone (shared state); safe to use from
/// many tasks at once.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// The configuration the client was built from (for a client with a
    /// changed password, `lifecycle`).
    builder: ClientBuilder,
    transport: Transport,
    /// Console proxy headers, on every request but login and logout.
    proxy_headers: Vec<(HeaderName, HeaderValue)>,
    /// The partition every session switches to.
    partition: Option<String>,
    base_url: String,
    login_path: String,
    logout_path: String,
    cookie_name: String,
    product: Product,
    auth: Auth,
    session_timeout: Option<u64>,
    max_decoded_bytes: u64,
    /// The session token, one login at a time (shared with the Next-Gen
    /// client's logic).
    sessions: Sessions<Error>,
    /// The release the appliance runs, once [`Client::firmware`] read it:
    /// `send` then warns of properties newer than it.
    firmware: std::sync::Mutex<Option<crate::runtime::workflows::Firmware>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("product", &inner.product)
            .field("auth", &inner.auth)
            .field("session", &self.current_token())
            .finish_non_exhaustive()
    }
}

/// An answer with the headers the client reads.
struct Received {
    status: u16,
    body: Vec<u8>,
    set_cookies: Vec<String>,
    /// `Location` (redirects), without query string or user part.
    location: Option<String>,
    /// `X-NITRO-WARNING`.
    warning: Option<String>,
    /// The exchange (its span, with feature `tracing`).
    wire: transport::Received,
}

impl Received {
    /// Only 2xx is success: 4xx/5xx is the NITRO error of the body,
    /// anything else (1xx, 3xx) [`Error::UnexpectedStatus`].
    fn check(&self) -> Result<()> {
        match self.status {
            200..=299 => Ok(()),
            400.. => {
                let error = api_error(self.status, &self.body);
                if let Error::Api { errorcode, .. } = &error {
                    self.wire.note_errorcode(*errorcode);
                }
                Err(error)
            }
            status => Err(Error::UnexpectedStatus { status, location: self.location.clone() }),
        }
    }
}

/// Who a request is for: the managed instance (Console proxy headers) or
/// the Console itself (login, logout).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Instance,
    Console,
}

impl Client {
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The release [`Client::firmware`] read last, if it was called.
    pub fn known_firmware(&self) -> Option<crate::runtime::workflows::Firmware> {
        self.inner.firmware.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    pub(crate) fn remember_firmware(&self, firmware: crate::runtime::workflows::Firmware) {
        *self.inner.firmware.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(firmware);
    }

    /// True while a session token is held.
    pub fn has_session(&self) -> bool {
        self.current_token().is_some()
    }

    /// Sends a request and decodes its answer.
    ///
    /// Once [`Client::firmware`] has read the appliance's release, a
    /// request whose resource or sent properties are newer than it is
    /// still sent, with a warning (feature `tracing`) per item;
    /// [`Client::newer_than_firmware`] lists them beforehand.
    pub async fn send<T: FromNitro>(&self, request: Request<T>) -> Result<T> {
        #[cfg(feature = "tracing")]
        if !request.since().is_empty() {
            for newer in self.newer_than_firmware(&request).unwrap_or_default() {
                tracing::warn!(resource = newer.resource, property = newer.property, since = newer.since, firmware = %newer.firmware, "{newer}");
            }
        }
        let answer = self.execute(&request.parts).await?;
        T::from_nitro(&answer)
    }

    /// Opens a session now (session mode logs in by itself on first use).
    /// Within the backoff after a failed login this answers that failure
    /// again without contacting the appliance.
    pub async fn login(&self) -> Result<()> {
        self.inner.sessions.login_now(true, || self.attempt_login()).await
    }

    /// Closes the session, if any. The token is dropped even when the
    /// appliance refuses the logout.
    pub async fn logout(&self) -> Result<()> {
        let Some(token) = self.inner.sessions.take_token() else {
            return Ok(());
        };
        self.close(&token).await
    }

    /// `POST <logout path>` with `token`.
    async fn close(&self, token: &Secret) -> Result<()> {
        let parts = Parts {
            method: Method::Post,
            path: self.inner.logout_path.clone(),
            body: Some(json_body(&json!({"logout": {}}))?),
            resource: "logout",
            ..Parts::default()
        };
        self.transmit(&parts, Some(token), Route::Console).await?.check()
    }

    /// Sends the request; in session mode logs in first when needed and
    /// once more when the session has expired.
    async fn execute(&self, parts: &Parts) -> Result<Answer> {
        if let Some(problem) = &parts.problem {
            return Err(Error::InvalidRequest(problem.clone()));
        }
        let session_mode = matches!(self.inner.auth, Auth::Session { .. });
        let mut retried = false;
        loop {
            let (token, seen) = if session_mode {
                let (token, seen) = self.inner.sessions.token_or_login(|| self.attempt_login()).await?;
                (Some(token), seen)
            } else {
                (None, 0)
            };
            let received = self.transmit(parts, token.as_ref(), Route::Instance).await?;
            let error = match received.check() {
                Ok(()) => {
                    return Ok(Answer::new(received.status, received.body, parts.resource)
                        .with_warning(received.warning)
                        .with_max_decoded_bytes(self.inner.max_decoded_bytes));
                }
                Err(error) => error,
            };
            match token {
                Some(stale) if !retried && error.is_session_expired() => {
                    self.inner.sessions.relogin(&stale, seen, || self.attempt_login()).await?;
                    retried = true;
                }
                _ => return Err(error),
            }
        }
    }

    fn current_token(&self) -> Option<Secret> {
        self.inner.sessions.token()
    }

    #[cfg(test)]
    fn set_token(&self, token: Option<Secret>) {
        self.inner.sessions.set_token(token);
    }

    /// One login exchange and, with a partition, the switch to it: the
    /// session token, or why there is none. A session whose switch failed
    /// is not used (it would run requests in the default partition).
    async fn attempt_login(&self) -> Result<Secret> {
        let token = self.open_session().await?;
        if let Some(partition) = &self.inner.partition {
            let mut switch = serde_json::Map::new();
            switch.insert("partitionname".into(), Value::String(partition.clone()));
            let mut parts = Parts {
                method: Method::Post,
                path: "/nitro/v1/config/nspartition".into(),
                body: Some(json_body(&json!({ "nspartition": switch }))?),
                resource: "nspartition",
                ..Parts::default()
            };
            parts.query.set_action("Switch");
            let switched = match self.transmit(&parts, Some(&token), Route::Instance).await {
                Ok(received) => received.check().and_then(|()| crate::runtime::answer::decode::<Value>(received.status, received.body, "nspartition")),
                Err(error) => Err(error),
            };
            if let Err(error) = switched {
                // The session is not used: close it rather than leave it open.
                let _ = self.close(&token).await;
                return Err(error);
            }
        }
        Ok(token)
    }

    /// The login exchange: the session token, or why there is none.
    async fn open_session(&self) -> Result<Secret> {
        let (username, password) = match &self.inner.auth {
            Auth::Session { username, password } | Auth::Headers { username, password } => (username, password),
            Auth::None => return Err(Error::InvalidRequest("login needs credentials: use ClientBuilder::session".into())),
        };
        let mut login = serde_json::Map::new();
        login.insert("username".into(), Value::String(username.clone()));
        login.insert("password".into(), Value::String(password.expose().to_string()));
        if let Some(timeout) = self.inner.session_timeout {
            login.insert("timeout".into(), Value::from(timeout));
        }
        let parts = Parts {
            method: Method::Post,
            path: self.inner.login_path.clone(),
            body: Some(json_body(&json!({ "login": login }))?),
            resource: "login",
            ..Parts::default()
        };
        let received = self.transmit(&parts, None, Route::Console).await?;
        received.check()?;
        token_from_cookies(&received.set_cookies, &self.inner.cookie_name)
            .or_else(|| token_from_body(&received.body))
            .ok_or_else(|| Error::Decode {
                resource: "login".into(),
                status: received.status,
                message: "the login answer holds no session token".into(),
            })
    }

    /// One HTTP exchange through the shared transport.
    async fn transmit(&self, parts: &Parts, token: Option<&Secret>, route: Route) -> Result<Received> {
        let query = parts.query.encode();
        let url = if query.is_empty() {
            self.inner.transport.url(&parts.path)
        } else {
            self.inner.transport.url(&format!("{}?{}", parts.path, query))
        };
        let method = match parts.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut request = self.inner.transport.request(method, &url).header(ACCEPT, "application/json");
        if route == Route::Instance {
            for (name, value) in &self.inner.proxy_headers {
                request = request.header(name, value.clone());
            }
        }
        for (name, value) in &parts.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidRequest(format!("{name:?} is not a header name")))?;
            let mut value = HeaderValue::from_str(value)
                .map_err(|_| Error::InvalidRequest(format!("the value of header {name} cannot be sent in a header")))?;
            value.set_sensitive(true);
            request = request.header(name, value);
        }
        if let Auth::Headers { username, password } = &self.inner.auth {
            request = request
                .header("X-NITRO-USER", sensitive(username, "user name")?)
                .header("X-NITRO-PASS", sensitive(password.expose(), "password")?);
        }
        if let Some(token) = token {
            let cookie = format!("{}={}", self.inner.cookie_name, token.expose());
            request = request.header(COOKIE, sensitive(&cookie, "session token")?);
        }
        if let Some(body) = &parts.body {
            request = request.header(CONTENT_TYPE, "application/json").body(body.clone());
        }
        if let Some(timeout) = parts.timeout {
            request = request.timeout(timeout);
        }
        let repeat = if parts.method == Method::Get || parts.repeatable || parts.query.is_idempotent() {
            Repeat::Safe
        } else if route == Route::Console && parts.resource == "login" {
            // A 503 while NITRO starts: the login did not happen.
            Repeat::OnUnavailable
        } else {
            Repeat::Never
        };
        let mut wire = self.inner.transport.send(request.build()?, repeat).await.map_err(|failure| match failure {
            Failure::Send(error) => Error::from(error),
            Failure::TooLarge { limit, content_length, .. } => Error::ResponseTooLarge { limit, content_length },
        })?;
        let set_cookies = wire
            .headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok().map(str::to_string))
            .collect();
        let text = |name: &str| wire.headers.get(name).map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let location = text(LOCATION.as_str()).map(|location| redacted_url(&location));
        let warning = text(WARNING_HEADER);
        let body = std::mem::take(&mut wire.body);
        Ok(Received { status: wire.status, body, set_cookies, location, warning, wire })
    }
}

// Hooks for the workflows in `lifecycle`: a request sent without a
// session (a readiness probe), and the first-boot login that changes the
// password.
impl Client {
    /// One exchange without a session token and without the status
    /// checks: the status and body as they came.
    pub(crate) async fn probe(&self, parts: &Parts) -> Result<(u16, Vec<u8>)> {
        let received = self.transmit(parts, None, Route::Instance).await?;
        Ok((received.status, received.body))
    }

    /// The login exchange with `new_password` (the password is changed
    /// by the login itself); the session it opens is closed again.
    pub(crate) async fn login_changing_password(&self, new_password: &Secret) -> Result<()> {
        let (username, password) = match &self.inner.auth {
            Auth::Session { username, password } | Auth::Headers { username, password } => (username, password),
            Auth::None => return Err(Error::InvalidRequest("a password change needs credentials: use ClientBuilder::session".into())),
        };
        let mut login = serde_json::Map::new();
        login.insert("username".into(), Value::String(username.clone()));
        login.insert("password".into(), Value::String(password.expose().to_string()));
        login.insert("new_password".into(), Value::String(new_password.expose().to_string()));
        let parts = Parts {
            method: Method::Post,
            path: self.inner.login_path.clone(),
            body: Some(json_body(&json!({ "login": login }))?),
            resource: "login",
            ..Parts::default()
        };
        let received = self.transmit(&parts, None, Route::Console).await?;
        received.check()?;
        if let Some(token) = token_from_cookies(&received.set_cookies, &self.inner.cookie_name).or_else(|| token_from_body(&received.body)) {
            // The password changed; a failed logout only leaves a session to expire.
            let _ = self.close(&token).await;
        }
        Ok(())
    }

    /// The builder of this client with another password.
    pub(crate) fn builder_with_password(&self, new_password: Secret) -> ClientBuilder {
        let mut builder = self.inner.builder.clone();
        builder.auth = match builder.auth {
            Auth::Session { username, .. } => Auth::Session { username, password: new_password },
            Auth::Headers { username, .. } => Auth::Headers { username, password: new_password },
            Auth::None => Auth::None,
        };
        builder
    }
}

/// Items per page of [`Client::stream`] when the request sets no
/// `pagesize`.
pub const DEFAULT_PAGE_SIZE: u32 = 500;

impl Client {
    /// Every item of a `get (all)`, read page by page (`pagesize` of the
    /// request, else [`DEFAULT_PAGE_SIZE`]; `pageno` from 1): one page in
    /// memory at a time. The pages end with the first one shorter than
    /// the page size; an appliance that ignores `pagesize` and sends more
    /// gives that one answer only.
    pub fn stream<R: Resource>(&self, request: Request<Vec<R>>) -> Pages<R> {
        let page_size = request.parts.query.option_value("pagesize").and_then(|size| size.parse().ok()).filter(|size| *size > 0);
        Pages {
            client: self.clone(),
            request,
            page_size: page_size.unwrap_or(DEFAULT_PAGE_SIZE),
            next_page: 1,
            buffer: std::collections::VecDeque::new(),
            done: false,
        }
    }
}

/// The items of a paged read ([`Client::stream`]): `next().await` until
/// `None`. An error ends the pages.
pub struct Pages<R> {
    client: Client,
    request: Request<Vec<R>>,
    page_size: u32,
    next_page: u32,
    buffer: std::collections::VecDeque<R>,
    done: bool,
}

impl<R: Resource> Pages<R> {
    /// The next item, fetching the next page when this one is used up.
    pub async fn next(&mut self) -> Option<Result<R>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            if self.done {
                return None;
            }
            let request = self.request.clone().page(self.page_size, self.next_page);
            match self.client.send(request).await {
                Ok(items) => {
                    self.done = items.len() as u64 != u64::from(self.page_size);
                    self.next_page += 1;
                    self.buffer.extend(items);
                }
                Err(error) => {
                    self.done = true;
                    return Some(Err(error));
                }
            }
        }
    }

    /// The pages fetched so far.
    pub fn pages_read(&self) -> u32 {
        self.next_page - 1
    }
}

/// A header value hidden from debug output; `what` names it in the error
/// (the value itself is never shown).
fn sensitive(value: &str, what: &str) -> Result<HeaderValue> {
    let mut header =
        HeaderValue::from_str(value).map_err(|_| Error::InvalidRequest(format!("the {what} cannot be sent in a header")))?;
    header.set_sensitive(true);
    Ok(header)
}

/// The value of cookie `name` in `Set-Cookie` headers.
fn token_from_cookies(set_cookies: &[String], name: &str) -> Option<Secret> {
    set_cookies.iter().find_map(|header| {
        let pair = header.split(';').next()?;
        let (cookie, value) = pair.split_once('=')?;
        (cookie.trim() == name && !value.trim().is_empty()).then(|| Secret::new(value.trim()))
    })
}

/// A body the client builds itself (login, logout) as JSON bytes.
fn json_body(value: &Value) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|error| Error::InvalidRequest(error.to_string()))
}

/// `sessionid` of a login answer: top level (ADC) or in `login[0]` (ADM).
fn token_from_body(body: &[u8]) -> Option<Secret> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let in_login = value.get("login").and_then(|login| match login {
        Value::Array(items) => items.first().and_then(|item| item.get("sessionid")),
        other => other.get("sessionid"),
    });
    match value.get("sessionid").or(in_login)? {
        Value::String(token) if !token.is_empty() => Some(Secret::new(token.as_str())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_token_is_read_from_the_named_cookie() {
        let cookies = vec![
            "other=1; Path=/".to_string(),
            "NITRO_AUTH_TOKEN=##ABC123; path=/nitro/v1; HttpOnly".to_string(),
        ];
        assert_eq!(token_from_cookies(&cookies, "NITRO_AUTH_TOKEN").unwrap().expose(), "##ABC123");
        assert!(token_from_cookies(&cookies, "SESSID").is_none());
    }

    #[test]
    fn session_token_falls_back_to_the_body() {
        let adc = br###"{"errorcode":0,"message":"Done","severity":"NONE","sessionid":"##XYZ"}"###;
        assert_eq!(token_from_body(adc).unwrap().expose(), "##XYZ");
        let adm = br#"{"errorcode":0,"login":[{"sessionid":"abc","username":"u"}]}"#;
        assert_eq!(token_from_body(adm).unwrap().expose(), "abc");
        assert!(token_from_body(br#"{"errorcode":0}"#).is_none());
    }

    #[test]
    fn debug_of_builder_and_client_shows_no_password() {
        let builder = ClientBuilder::new("https://127.0.0.1:1").credentials("nsroot", "pa55-word!");
        let printed = format!("{builder:?}");
        assert!(printed.contains("nsroot") && !printed.contains("pa55-word!"), "{printed}");
        let client = builder.build().unwrap();
        client.set_token(Some(Secret::new("tok-en-value")));
        let printed = format!("{client:?}");
        assert!(!printed.contains("pa55-word!") && !printed.contains("tok-en-value"), "{printed}");
    }

    #[test]
    fn bad_base_urls_and_certificates_are_config_errors() {
        assert!(matches!(Client::builder("not a url").build(), Err(Error::Config(_))));
        assert!(matches!(Client::builder("ftp://host").build(), Err(Error::Config(_))));
        let bad_pem = b"-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
        assert!(matches!(Client::builder("https://host").add_root_certificate(bad_pem).build(), Err(Error::Config(_))));
    }

    #[test]
    fn plain_http_with_a_secret_needs_allow_insecure_http() {
        for builder in [
            Client::builder("http://127.0.0.1:1").session("u", "p"),
            Client::builder("http://127.0.0.1:1").credentials("u", "p"),
        ] {
            let error = builder.clone().build().unwrap_err();
            assert!(matches!(&error, Error::Config(text) if text.contains("allow_insecure_http")), "{error}");
            assert!(builder.allow_insecure_http(true).build().is_ok());
        }
        // Without credentials nothing secret travels.
        assert!(Client::builder("http://127.0.0.1:1").build().is_ok());
        assert!(Client::builder("https://127.0.0.1:1").session("u", "p").build().is_ok());
    }

    #[test]
    fn a_base_url_with_userinfo_is_refused_without_showing_the_password() {
        for url in ["https://nsroot:s3cr3t-pw@adc.example.net", "https://nsroot:s3cr3t-pw@adc.example.net/", "ftp://u:s3cr3t-pw@h", "https://u:s3cr3t-pw@ho st"] {
            let builder = Client::builder(url).allow_insecure_http(true);
            let shown = format!("{builder:?}");
            assert!(!shown.contains("s3cr3t-pw"), "{shown}");
            let error = builder.build().unwrap_err();
            let text = format!("{error} {error:?}");
            assert!(matches!(error, Error::Config(_)), "{text}");
            assert!(!text.contains("s3cr3t-pw"), "{text}");
        }
        let error = Client::builder("https://adc.example.net/?token=s3cr3t-pw").build().unwrap_err();
        assert!(!error.to_string().contains("s3cr3t-pw"), "{error}");
    }

    #[test]
    fn base_urls_are_redacted_even_when_they_do_not_parse() {
        assert_eq!(redacted_base_url("https://u:pw@host:8443/x?q=1#f"), "https://host:8443/x");
        assert_eq!(redacted_base_url("https://u:pw@ho st/x?q=1"), "https://ho st/x");
        assert_eq!(redacted_base_url("u:pw@host"), "host");
    }
}
