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
//! Passwords and tokens are held as [`Secret`]s and sent in headers marked
//! sensitive; nothing here prints or logs them.

use crate::runtime::answer::{api_error, Answer, FromNitro};
use crate::runtime::error::{Error, Result};
use crate::runtime::resource::{Method, Parts, Request};
use crate::runtime::secret::Secret;
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE, SET_COOKIE};
use serde_json::{json, Value};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

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

/// Builds a [`Client`]. TLS certificates are verified unless
/// [`ClientBuilder::danger_accept_invalid_certs`] says otherwise.
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    root_certificates: Vec<Vec<u8>>,
    accept_invalid_certs: bool,
    auth: Auth,
    product: Product,
    login_path: Option<String>,
    logout_path: Option<String>,
    cookie_name: Option<String>,
    session_timeout: Option<u64>,
}

impl ClientBuilder {
    /// `base_url` is the scheme and host, e.g. `https://10.0.0.1` or
    /// `https://adc.example.com:8443`.
    pub fn new(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            root_certificates: Vec::new(),
            accept_invalid_certs: false,
            auth: Auth::None,
            product: Product::Adc,
            login_path: None,
            logout_path: None,
            cookie_name: None,
            session_timeout: None,
        }
    }

    /// Whole-request timeout (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Connection timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Trusts a CA certificate (PEM) besides the built-in roots, for
    /// appliances with a certificate from a private CA.
    pub fn add_root_certificate(mut self, pem: &[u8]) -> Self {
        self.root_certificates.push(pem.to_vec());
        self
    }

    /// Accepts any server certificate. Off by default; use only for lab
    /// appliances with self-signed certificates.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.accept_invalid_certs = accept;
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

    pub fn build(self) -> Result<Client> {
        let base_url = self.base_url.trim_end_matches('/').to_string();
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|error| Error::Config(format!("base url {base_url:?} is not a url: {error}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Config(format!("base url {base_url:?} is not http or https")));
        }
        let mut http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .danger_accept_invalid_certs(self.accept_invalid_certs);
        for pem in &self.root_certificates {
            let certificate = reqwest::Certificate::from_pem(pem)
                .map_err(|error| Error::Config(format!("root certificate is not valid pem: {error}")))?;
            http = http.add_root_certificate(certificate);
        }
        let http = http.build().map_err(|error| Error::Config(format!("cannot build the http client: {error}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                login_path: self.login_path.unwrap_or_else(|| self.product.login_path().to_string()),
                logout_path: self.logout_path.unwrap_or_else(|| self.product.logout_path().to_string()),
                cookie_name: self.cookie_name.unwrap_or_else(|| self.product.cookie_name().to_string()),
                product: self.product,
                auth: self.auth,
                session_timeout: self.session_timeout,
                token: Mutex::new(None),
                login_lock: tokio::sync::Mutex::new(()),
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
    http: reqwest::Client,
    base_url: String,
    login_path: String,
    logout_path: String,
    cookie_name: String,
    product: Product,
    auth: Auth,
    session_timeout: Option<u64>,
    /// The current session token.
    token: Mutex<Option<Secret>>,
    /// Held while logging in, so concurrent requests log in once.
    login_lock: tokio::sync::Mutex<()>,
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

/// An answer with the headers login needs.
struct Received {
    status: u16,
    body: Vec<u8>,
    set_cookies: Vec<String>,
}

impl Client {
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// True while a session token is held.
    pub fn has_session(&self) -> bool {
        self.current_token().is_some()
    }

    /// Sends a request and decodes its answer.
    pub async fn send<T: FromNitro>(&self, request: Request<T>) -> Result<T> {
        let answer = self.execute(&request.parts).await?;
        T::from_nitro(&answer)
    }

    /// Opens a session now (session mode logs in by itself on first use).
    pub async fn login(&self) -> Result<()> {
        let _guard = self.inner.login_lock.lock().await;
        self.login_locked().await
    }

    /// Closes the session, if any. The token is dropped even when the
    /// appliance refuses the logout.
    pub async fn logout(&self) -> Result<()> {
        let Some(token) = self.take_token() else {
            return Ok(());
        };
        let parts = Parts {
            method: Method::Post,
            path: self.inner.logout_path.clone(),
            body: Some(json_body(&json!({"logout": {}}))?),
            resource: "logout",
            ..Parts::default()
        };
        let received = self.transmit(&parts, Some(&token)).await?;
        if received.status >= 400 {
            return Err(api_error(received.status, &received.body));
        }
        Ok(())
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
            let token = if session_mode { Some(self.session_token().await?) } else { None };
            let received = self.transmit(parts, token.as_ref()).await?;
            if received.status < 400 {
                return Ok(Answer::new(received.status, received.body, parts.resource));
            }
            let error = api_error(received.status, &received.body);
            match token {
                Some(stale) if !retried && error.is_session_expired() => {
                    self.relogin(&stale).await?;
                    retried = true;
                }
                _ => return Err(error),
            }
        }
    }

    fn current_token(&self) -> Option<Secret> {
        self.inner.token.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn take_token(&self) -> Option<Secret> {
        self.inner.token.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    fn set_token(&self, token: Option<Secret>) {
        *self.inner.token.lock().unwrap_or_else(PoisonError::into_inner) = token;
    }

    /// The session token, logging in when there is none.
    async fn session_token(&self) -> Result<Secret> {
        if let Some(token) = self.current_token() {
            return Ok(token);
        }
        let _guard = self.inner.login_lock.lock().await;
        if let Some(token) = self.current_token() {
            return Ok(token);
        }
        self.login_locked().await?;
        self.current_token().ok_or_else(|| Error::InvalidRequest("login gave no session".into()))
    }

    /// Logs in again unless another task already replaced `stale`.
    async fn relogin(&self, stale: &Secret) -> Result<()> {
        let _guard = self.inner.login_lock.lock().await;
        if self.current_token().as_ref() != Some(stale) {
            return Ok(());
        }
        self.set_token(None);
        self.login_locked().await
    }

    /// Logs in; the caller holds `login_lock`.
    async fn login_locked(&self) -> Result<()> {
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
        let received = self.transmit(&parts, None).await?;
        if received.status >= 400 {
            return Err(api_error(received.status, &received.body));
        }
        let token = token_from_cookies(&received.set_cookies, &self.inner.cookie_name)
            .or_else(|| token_from_body(&received.body))
            .ok_or_else(|| Error::Decode {
                resource: "login".into(),
                status: received.status,
                message: "the login answer holds no session token".into(),
            })?;
        self.set_token(Some(token));
        Ok(())
    }

    /// One HTTP exchange.
    async fn transmit(&self, parts: &Parts, token: Option<&Secret>) -> Result<Received> {
        let query = parts.query.encode();
        let url = if query.is_empty() {
            format!("{}{}", self.inner.base_url, parts.path)
        } else {
            format!("{}{}?{}", self.inner.base_url, parts.path, query)
        };
        let method = match parts.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut request = self.inner.http.request(method, url).header(ACCEPT, "application/json");
        for (name, value) in &parts.headers {
            request = request.header(*name, value.as_str());
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
        let response = request.send().await?;
        let status = response.status().as_u16();
        let set_cookies = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok().map(str::to_string))
            .collect();
        let body = response.bytes().await?.to_vec();
        Ok(Received { status, body, set_cookies })
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
        let builder = ClientBuilder::new("http://127.0.0.1:1").credentials("nsroot", "pa55-word!");
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
}
