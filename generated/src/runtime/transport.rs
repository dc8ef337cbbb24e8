//! The transport both clients share (the NITRO [`crate::Client`], the
//! Next-Gen client and the client of standalone crates): it builds the
//! HTTP client once (TLS backend, certificates, server name, timeouts, no
//! redirects, default headers) and sends one exchange with the checks
//! every answer gets: at most the builder's `max_in_flight` requests at
//! a time, retries with backoff and jitter where repeating is safe, the
//! answer read up to its size limit, and (feature `tracing`) one span per
//! request.
//!
//! `Sessions` is the session both clients hold: one login at a time,
//! its result shared by every request waiting on it, a backoff after a
//! failed login. What stays with each client: which statuses are success,
//! what the errors look like, how to log in.
//!
//! Retries: a request is repeated only when no answer came back that the
//! server may have acted on, or when repeating it cannot change anything
//! twice:
//! - a connection that could not be opened (refused, connect timeout) is
//!   tried again for every request: nothing was sent;
//! - a reset connection, a timeout and an answer `502`/`503`/`504` are
//!   tried again only for requests safe to repeat (`GET`, `HEAD`, and
//!   writes marked idempotent); never for a plain `POST` the appliance may
//!   have executed;
//! - a login is tried again on `502`/`503`/`504` (NITRO starting, a proxy
//!   without its backend), not after a timeout: a slow login keeps the
//!   bound of the request timeout;
//! - TLS failures (an untrusted certificate, no shared cipher) are never
//!   tried again: they do not go away by waiting.

use crate::runtime::secret::Secret;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use std::fmt;
use std::time::{Duration, Instant};

/// Default of the builders' `max_response_bytes`: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// Default of the builders' `max_in_flight`: well under the connection
/// limit of an appliance's management plane, so fan-out queues here
/// instead of being refused there.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 8;
/// The `User-Agent` sent unless a `header("User-Agent", ..)` replaces it.
pub const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// When and how often a request is tried again (see the module docs for
/// which requests and failures qualify). The wait before retry `n` is
/// `first_delay * 2^(n-1)`, at most `max_delay`, then a random part of it
/// (between half and all of it) so many clients do not retry in step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    attempts: u32,
    first_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts, waiting about 0.5 s, 1 s, 2 s between them (at most
    /// 8 s): long enough to ride out a NITRO restart's 503s or a failover,
    /// short enough to report a dead appliance within seconds.
    fn default() -> Self {
        RetryPolicy { attempts: 4, first_delay: Duration::from_millis(500), max_delay: Duration::from_secs(8) }
    }
}

impl RetryPolicy {
    /// Every request is sent once; failures go straight to the caller.
    pub fn none() -> Self {
        RetryPolicy { attempts: 1, ..RetryPolicy::default() }
    }

    /// `attempts` tries in all (at least 1), the first wait `first_delay`.
    pub fn new(attempts: u32, first_delay: Duration) -> Self {
        RetryPolicy { attempts: attempts.max(1), first_delay, max_delay: RetryPolicy::default().max_delay.max(first_delay) }
    }

    /// The longest wait between two tries.
    pub fn max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// Tries in all, the first included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The wait before retry `retry` (1 for the first), jitter included.
    pub fn delay(&self, retry: u32) -> Duration {
        let full = self.first_delay.saturating_mul(1 << retry.saturating_sub(1).min(16)).min(self.max_delay);
        let half = full / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(if nanos == 0 { 0 } else { random() % nanos })
    }
}

/// A random number from the standard library's per-process hash keys
/// and the clock (jitter needs no cryptographic quality).
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    hasher.finish()
}

/// What the builders of both clients collect for the transport.
#[derive(Clone)]
pub(crate) struct TransportConfig {
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) root_certificates: Vec<Vec<u8>>,
    pub(crate) accept_invalid_certs: bool,
    pub(crate) tls_server_name: Option<String>,
    #[cfg_attr(not(all(feature = "rustls", feature = "native-tls")), allow(dead_code))]
    pub(crate) native_tls: bool,
    /// Headers for every request, checked at build.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) max_response_bytes: u64,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_in_flight: usize,
    pub(crate) http_client: Option<reqwest::Client>,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            root_certificates: Vec::new(),
            accept_invalid_certs: false,
            tls_server_name: None,
            native_tls: false,
            headers: Vec::new(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            http_client: None,
        }
    }
}

impl fmt::Debug for TransportConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be credentials: names only.
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("TransportConfig")
            .field("timeout", &self.timeout)
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("tls_server_name", &self.tls_server_name)
            .field("headers", &header_names)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("max_in_flight", &self.max_in_flight)
            .field("http_client", &self.http_client.is_some())
            .finish_non_exhaustive()
    }
}

/// The transport settings of a builder, as methods: both client builders
/// hold a `transport: TransportConfig` field and expand this in their
/// `impl`, so each setting is written once.
macro_rules! transport_methods {
    () => {
        /// Whole-request timeout (default 60 s); a request that needs
        /// longer (`save`, `install`, a large read) asks with its own
        /// `timeout`.
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.transport.timeout = timeout;
            self
        }

        /// Connection timeout (default 10 s).
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.transport.connect_timeout = timeout;
            self
        }

        /// Trusts a CA certificate (PEM) besides the built-in roots, for
        /// appliances with a certificate from a private CA (or the
        /// appliance's own certificate).
        pub fn add_root_certificate(mut self, pem: &[u8]) -> Self {
            self.transport.root_certificates.push(pem.to_vec());
            self
        }

        /// Accepts any server certificate. Off by default; use only for lab
        /// appliances with self-signed certificates.
        pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
            self.transport.accept_invalid_certs = accept;
            self
        }

        /// Connects to the address of the base URL (an IP address, say the
        /// NSIP) but verifies that the certificate names `name`, and sends
        /// `name` as the TLS server name: for appliances reached by address
        /// whose certificate carries their DNS name.
        pub fn tls_server_name(mut self, name: impl Into<String>) -> Self {
            self.transport.tls_server_name = Some(name.into());
            self
        }

        /// With both TLS features compiled in, uses the system's TLS
        /// library (`native-tls`) instead of rustls: for appliances that
        /// offer only RSA key exchange or CBC cipher suites, which rustls
        /// does not implement. (With only `native-tls` compiled in, it is
        /// used anyway.)
        #[cfg(feature = "native-tls")]
        pub fn use_native_tls(mut self) -> Self {
            self.transport.native_tls = true;
            self
        }

        /// Sends this header with every request (a `User-Agent` given here
        /// replaces the default one, which names this crate and version).
        /// Values are hidden from `Debug`; `build` refuses names and values
        /// a header cannot hold.
        pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.transport.headers.push((name.into(), value.into()));
            self
        }

        /// The largest answer read, in bytes (default 64 MiB); a larger one
        /// is an error naming the limit, checked on `Content-Length` and
        /// while reading.
        pub fn max_response_bytes(mut self, bytes: u64) -> Self {
            self.transport.max_response_bytes = bytes;
            self
        }

        /// When to send a request again (default [`RetryPolicy::default`];
        /// [`RetryPolicy::none`] turns retries off). Only requests safe to
        /// repeat are repeated: see the module docs of `transport`.
        pub fn retry(mut self, policy: $crate::runtime::transport::RetryPolicy) -> Self {
            self.transport.retry = policy;
            self
        }

        /// The most requests in flight at once (default 8, at least 1);
        /// more wait their turn. Logins count too.
        pub fn max_in_flight(mut self, requests: usize) -> Self {
            self.transport.max_in_flight = requests.max(1);
            self
        }

        /// Sends through this `reqwest::Client` (middleware, proxies, a
        /// shared pool). Its TLS, timeout and redirect settings are then
        /// the caller's: give them there (`build` refuses this builder's
        /// certificate and server-name settings next to it). Build it with
        /// `redirect(Policy::none())`: a client that follows redirects
        /// turns a redirected `POST` into a `GET` before this crate sees
        /// the answer. Status checks, size limits, retries, the in-flight
        /// cap and headers still apply.
        pub fn http_client(mut self, client: reqwest::Client) -> Self {
            self.transport.http_client = Some(client);
            self
        }
    };
}
pub(crate) use transport_methods;

/// The built transport: one HTTP client, the headers for every request,
/// the limits.
pub(crate) struct Transport {
    http: reqwest::Client,
    /// Where requests go: the base URL, its host replaced by the TLS
    /// server name when one is set.
    base_url: String,
    headers: HeaderMap,
    timeout: Duration,
    max_response_bytes: u64,
    retry: RetryPolicy,
    permits: tokio::sync::Semaphore,
}

/// Which failed tries of a request may be repeated (connection failures,
/// where nothing was sent, always may).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// Safe to send twice: after timeouts, resets and 502/503/504 too.
    Safe,
    /// After 502/503/504 only (a login).
    OnUnavailable,
    /// Never after it was sent (a plain write).
    Never,
}

/// Why an exchange gave no answer the client can read.
pub(crate) enum Failure {
    /// Sending or reading failed (connection, TLS, timeout).
    Send(reqwest::Error),
    /// The answer is larger than the limit.
    TooLarge { status: u16, limit: u64, content_length: Option<u64> },
}

/// An answer as received.
pub(crate) struct Received {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    /// Tries before this answer.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) retries: u32,
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl Received {
    /// Records the API's error code in the request's span (feature
    /// `tracing`; nothing otherwise).
    pub(crate) fn note_errorcode(&self, errorcode: i64) {
        #[cfg(feature = "tracing")]
        self.span.record("errorcode", errorcode);
        #[cfg(not(feature = "tracing"))]
        let _ = errorcode;
    }
}

impl TransportConfig {
    /// Builds the transport for `base_url` (already checked by the client:
    /// http(s), no user part, no query).
    pub(crate) fn build(&self, base_url: &str) -> Result<Transport, String> {
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, HeaderValue::from_static(DEFAULT_USER_AGENT));
        let mut replaced = Vec::new();
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("{name:?} is not a header name"))?;
            let mut value = HeaderValue::from_str(value).map_err(|_| format!("the value of header {name} holds characters a header cannot"))?;
            value.set_sensitive(true);
            // A name given here replaces the default; given twice, both go.
            if !replaced.contains(&name) {
                headers.remove(&name);
                replaced.push(name.clone());
            }
            headers.append(name, value);
        }
        let mut base_url = base_url.to_string();
        let http = match &self.http_client {
            Some(client) => {
                if self.tls_server_name.is_some() || !self.root_certificates.is_empty() || self.accept_invalid_certs {
                    return Err("http_client brings its own TLS settings: set certificates and server names on that reqwest::Client".into());
                }
                client.clone()
            }
            None => {
                let mut http = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(self.timeout)
                    .connect_timeout(self.connect_timeout);
                http = self.tls(http)?;
                if let Some(name) = &self.tls_server_name {
                    let (url, address) = server_name_url(&base_url, name)?;
                    http = http.resolve(name, address);
                    base_url = url;
                }
                http.build().map_err(|error| format!("cannot build the http client: {error}"))?
            }
        };
        Ok(Transport {
            http,
            base_url,
            headers,
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
            retry: self.retry.clone(),
            permits: tokio::sync::Semaphore::new(self.max_in_flight.max(1)),
        })
    }

    /// The TLS settings: backend, certificates.
    fn tls(&self, http: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, String> {
        #[cfg(all(feature = "rustls", feature = "native-tls"))]
        let http = if self.native_tls { http.use_native_tls() } else { http.use_rustls_tls() };
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        {
            let mut http = http.danger_accept_invalid_certs(self.accept_invalid_certs);
            for pem in &self.root_certificates {
                let certificate =
                    reqwest::Certificate::from_pem(pem).map_err(|error| format!("root certificate is not valid pem: {error}"))?;
                http = http.add_root_certificate(certificate);
            }
            Ok(http)
        }
        #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
        {
            if !self.root_certificates.is_empty() || self.accept_invalid_certs {
                return Err("TLS settings need a TLS backend: enable the feature `rustls` or `native-tls`".into());
            }
            Ok(http)
        }
    }
}

/// The base URL with its host replaced by `name`, and the address it
/// named (which must be an IP address, with the URL's port).
fn server_name_url(base_url: &str, name: &str) -> Result<(String, std::net::SocketAddr), String> {
    let mut url = reqwest::Url::parse(base_url).map_err(|error| format!("base url: {error}"))?;
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    let ip: std::net::IpAddr =
        host.parse().map_err(|_| "tls_server_name needs a base url with an IP address (the address to connect to)".to_string())?;
    let port = url.port_or_known_default().unwrap_or(443);
    url.set_host(Some(name)).map_err(|_| format!("tls server name {name:?} is not a host name"))?;
    Ok((url.as_str().trim_end_matches('/').to_string(), std::net::SocketAddr::new(ip, port)))
}

impl Transport {
    /// `path_and_query` below the base URL.
    pub(crate) fn url(&self, path_and_query: &str) -> String {
        format!("{}{}", self.base_url, path_and_query)
    }

    /// A request with the headers every request carries.
    pub(crate) fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        self.http.request(method, url).headers(self.headers.clone())
    }

    /// The request timeout (also the longest wait for another's login).
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends `request` (tried again per the retry policy when `repeatable`
    /// or when no connection could be opened) and reads its answer.
    pub(crate) async fn send(&self, request: reqwest::Request, repeat: Repeat) -> Result<Received, Failure> {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument;
            let span = tracing::info_span!(
                "nitro_request",
                method = %request.method(),
                // The path only: query values (filters, arguments) may be secrets.
                path = request.url().path(),
                status = tracing::field::Empty,
                errorcode = tracing::field::Empty,
                retries = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let result = self.send_repeating(request, repeat).instrument(span.clone()).await;
            span.record("elapsed_ms", started.elapsed().as_millis() as u64);
            match result {
                Ok((mut received, retries)) => {
                    span.record("status", received.status);
                    span.record("retries", retries);
                    received.span = span;
                    Ok(received)
                }
                Err((failure, retries)) => {
                    span.record("retries", retries);
                    Err(failure)
                }
            }
        }
        #[cfg(not(feature = "tracing"))]
        {
            self.send_repeating(request, repeat).await.map(|(received, _)| received).map_err(|(failure, _)| failure)
        }
    }

    async fn send_repeating(&self, request: reqwest::Request, repeat: Repeat) -> Result<(Received, u32), (Failure, u32)> {
        let started = Instant::now();
        let mut template = Some(request);
        let mut retries = 0;
        loop {
            let more = retries + 1 < self.retry.attempts;
            let current = match template.as_ref().filter(|_| more).and_then(reqwest::Request::try_clone) {
                Some(copy) => copy,
                // The last try (or a body that cannot be copied): no more.
                None => match template.take() {
                    Some(request) => request,
                    None => unreachable!("the template is taken only on the last try"),
                },
            };
            let outcome = self.exchange(current).await;
            let reason = match &outcome {
                Ok(received) if repeat != Repeat::Never && matches!(received.status, 502..=504) => Some(format!("http {}", received.status)),
                Err(Failure::Send(error)) => retry_reason(error, repeat == Repeat::Safe),
                _ => None,
            };
            match reason {
                Some(_reason) if template.is_some() => {
                    retries += 1;
                    let delay = self.retry.delay(retries);
                    #[cfg(feature = "tracing")]
                    tracing::warn!(retry = retries, delay_ms = delay.as_millis() as u64, reason = %_reason, "retrying");
                    tokio::time::sleep(delay).await;
                }
                _ => {
                    let _ = started;
                    return match outcome {
                        Ok(mut received) => {
                            received.retries = retries;
                            Ok((received, retries))
                        }
                        Err(failure) => Err((failure, retries)),
                    };
                }
            }
        }
    }

    /// One try: waits for an in-flight slot, sends, reads the answer up to
    /// the limit. The slot is held until the answer is read.
    async fn exchange(&self, request: reqwest::Request) -> Result<Received, Failure> {
        // The semaphore is never closed.
        let _permit = self.permits.acquire().await.ok();
        let mut response = self.http.execute(request).await.map_err(Failure::Send)?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let limit = self.max_response_bytes;
        let content_length = response.content_length();
        if content_length.is_some_and(|length| length > limit) {
            return Err(Failure::TooLarge { status, limit, content_length });
        }
        // One buffer, sized by the announced length (bounded by the limit).
        let mut body = Vec::with_capacity(usize::try_from(content_length.unwrap_or(0)).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(Failure::Send)? {
            if (body.len() as u64).saturating_add(chunk.len() as u64) > limit {
                return Err(Failure::TooLarge { status, limit, content_length });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Received {
            status,
            headers,
            body,
            retries: 0,
            #[cfg(feature = "tracing")]
            span: tracing::Span::none(),
        })
    }
}

/// The first wait after a failed login; it doubles with each failure in a
/// row up to [`LOGIN_BACKOFF_MAX`].
const LOGIN_BACKOFF_FIRST: Duration = Duration::from_secs(1);
const LOGIN_BACKOFF_MAX: Duration = Duration::from_secs(60);

/// The session both clients hold, and one login at a time: requests that
/// need a session while another request logs in wait for that login (at
/// most the request timeout) and share its result, success or failure;
/// after a failed login the next attempt waits a backoff (1 s, doubling
/// to 60 s), and requests in the meantime get the failure without
/// contacting the appliance (a wrong password must not lock the account).
pub(crate) struct Sessions<E> {
    state: std::sync::Mutex<SessionState<E>>,
    /// Held while logging in, so concurrent requests log in once.
    login_lock: tokio::sync::Mutex<()>,
    /// The longest wait for another request's login.
    timeout: Duration,
    hooks: SessionHooks<E>,
}

/// How the client's error type takes part in the session logic.
pub(crate) struct SessionHooks<E> {
    /// The copy of a recorded login failure each waiting request gets.
    pub(crate) share: fn(&E) -> E,
    /// Another request's login did not finish within this wait.
    pub(crate) waited: fn(Duration) -> E,
    /// A login succeeded but its session was closed before use.
    pub(crate) closed: fn() -> E,
}

/// The session and what the last login did.
struct SessionState<E> {
    token: Option<Secret>,
    /// Login attempts finished so far (success or failure): a request that
    /// found it needed a login at count `n` and sees a larger count once it
    /// holds the login lock shares that attempt's result.
    attempts: u64,
    /// The last attempt's error, while it is the latest result, and when
    /// the next attempt may run.
    failure: Option<(E, Instant)>,
    /// Failed attempts in a row, for the backoff.
    failures_in_row: u32,
}

impl<E> Sessions<E> {
    pub(crate) fn new(timeout: Duration, hooks: SessionHooks<E>) -> Self {
        Sessions {
            state: std::sync::Mutex::new(SessionState { token: None, attempts: 0, failure: None, failures_in_row: 0 }),
            login_lock: tokio::sync::Mutex::new(()),
            timeout,
            hooks,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, SessionState<E>> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current session token.
    pub(crate) fn token(&self) -> Option<Secret> {
        self.state().token.clone()
    }

    #[cfg(test)]
    pub(crate) fn set_token(&self, token: Option<Secret>) {
        self.state().token = token;
    }

    /// The token, forgotten (logout).
    pub(crate) fn take_token(&self) -> Option<Secret> {
        self.state().token.take()
    }

    /// Waits for the login lock, at most the request timeout.
    async fn lock(&self) -> Result<tokio::sync::MutexGuard<'_, ()>, E> {
        tokio::time::timeout(self.timeout, self.login_lock.lock()).await.map_err(|_| (self.hooks.waited)(self.timeout))
    }

    /// The last login's error while its backoff runs.
    fn failure_in_backoff(&self) -> Option<E> {
        let state = self.state();
        let (error, retry_at) = state.failure.as_ref()?;
        (Instant::now() < *retry_at).then(|| (self.hooks.share)(error))
    }

    /// The session token, logging in with `login` when there is none, and
    /// the login count it belongs to.
    pub(crate) async fn token_or_login<F, Fut>(&self, login: F) -> Result<(Secret, u64), E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Secret, E>>,
    {
        let seen = {
            let state = self.state();
            if let Some(token) = &state.token {
                return Ok((token.clone(), state.attempts));
            }
            state.attempts
        };
        self.login_once(seen, login).await?;
        let state = self.state();
        let token = state.token.clone().ok_or_else(self.hooks.closed)?;
        Ok((token, state.attempts))
    }

    /// After `stale` (got at login count `seen`) was refused as expired:
    /// logs in again, unless another request already did.
    pub(crate) async fn relogin<F, Fut>(&self, stale: &Secret, seen: u64, login: F) -> Result<(), E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Secret, E>>,
    {
        {
            let mut state = self.state();
            if state.token.as_ref() == Some(stale) {
                state.token = None;
            }
        }
        self.login_once(seen, login).await
    }

    /// Logs in now. With `backoff`, within the backoff after a failure
    /// this answers that failure again instead (the same credentials would
    /// fail again); without, it tries (new credentials).
    pub(crate) async fn login_now<F, Fut>(&self, backoff: bool, login: F) -> Result<(), E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Secret, E>>,
    {
        let _guard = self.lock().await?;
        if let Some(error) = self.failure_in_backoff().filter(|_| backoff) {
            return Err(error);
        }
        let result = login().await;
        self.record(result)
    }

    /// Logs in unless a login finished after the caller saw count `seen`:
    /// then that login's result is the caller's, success or failure.
    /// Within the backoff after a failure, answers the failure.
    async fn login_once<F, Fut>(&self, seen: u64, login: F) -> Result<(), E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Secret, E>>,
    {
        let _guard = self.lock().await?;
        {
            let state = self.state();
            if state.attempts != seen {
                match (&state.failure, &state.token) {
                    (Some((error, _)), _) => return Err((self.hooks.share)(error)),
                    (None, Some(_)) => return Ok(()),
                    // Closed since (logout): log in.
                    (None, None) => {}
                }
            }
        }
        if let Some(error) = self.failure_in_backoff() {
            return Err(error);
        }
        let result = login().await;
        self.record(result)
    }

    /// Records a login's result; the caller holds the login lock.
    fn record(&self, result: Result<Secret, E>) -> Result<(), E> {
        let mut state = self.state();
        state.attempts += 1;
        match result {
            Ok(token) => {
                state.token = Some(token);
                state.failure = None;
                state.failures_in_row = 0;
                Ok(())
            }
            Err(error) => {
                state.token = None;
                state.failures_in_row = state.failures_in_row.saturating_add(1);
                let backoff = LOGIN_BACKOFF_FIRST
                    .saturating_mul(1 << state.failures_in_row.saturating_sub(1).min(16))
                    .min(LOGIN_BACKOFF_MAX);
                let shared = (self.hooks.share)(&error);
                state.failure = Some((shared, Instant::now() + backoff));
                Err(error)
            }
        }
    }
}

/// Why a failed try may be repeated, if it may.
fn retry_reason(error: &reqwest::Error, repeatable: bool) -> Option<String> {
    let chain = cause_chain(error);
    let lower = chain.to_ascii_lowercase();
    if ["certificate", "tls", "ssl", "handshake", "unknownissuer"].iter().any(|word| lower.contains(word)) {
        return None;
    }
    if error.is_connect() {
        return Some(format!("cannot connect: {chain}"));
    }
    if !repeatable {
        return None;
    }
    if error.is_timeout() {
        return Some("timed out".into());
    }
    let reset = io_kinds(error).any(|kind| {
        matches!(
            kind,
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::UnexpectedEof
        )
    });
    (reset || lower.contains("connection closed") || lower.contains("reset")).then(|| format!("connection lost: {chain}"))
}

fn cause_chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn io_kinds(error: &reqwest::Error) -> impl Iterator<Item = std::io::ErrorKind> + '_ {
    std::iter::successors(std::error::Error::source(error), |cause| cause.source())
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>().map(std::io::Error::kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_double_with_jitter_and_stop_at_the_maximum() {
        let policy = RetryPolicy::new(5, Duration::from_millis(100)).max_delay(Duration::from_millis(300));
        for _ in 0..50 {
            let first = policy.delay(1);
            assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first), "{first:?}");
            let second = policy.delay(2);
            assert!((Duration::from_millis(100)..=Duration::from_millis(200)).contains(&second), "{second:?}");
            let capped = policy.delay(9);
            assert!((Duration::from_millis(150)..=Duration::from_millis(300)).contains(&capped), "{capped:?}");
        }
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::new(0, Duration::ZERO).attempts(), 1);
    }

    #[test]
    fn server_name_replaces_an_ip_host_and_keeps_the_port() {
        let (url, address) = server_name_url("https://127.0.0.1:8443", "adc.test").unwrap();
        assert_eq!((url.as_str(), address.to_string().as_str()), ("https://adc.test:8443", "127.0.0.1:8443"));
        let (_, address) = server_name_url("https://[::1]", "adc.test").unwrap();
        assert_eq!(address.port(), 443);
        assert!(server_name_url("https://adc.example.net", "adc.test").is_err());
        assert!(server_name_url("https://127.0.0.1", "bad name").is_err());
    }

    #[test]
    fn headers_are_checked_and_replace_the_default_user_agent() {
        let mut config = TransportConfig::default();
        let transport = config.build("https://127.0.0.1").unwrap();
        assert_eq!(transport.headers.get(USER_AGENT).unwrap(), DEFAULT_USER_AGENT);
        config.headers.push(("User-Agent".into(), "ops-tool/2".into()));
        config.headers.push(("X-Trace".into(), "a".into()));
        config.headers.push(("X-Trace".into(), "b".into()));
        let transport = config.build("https://127.0.0.1").unwrap();
        assert_eq!(transport.headers.get_all(USER_AGENT).iter().collect::<Vec<_>>(), ["ops-tool/2"]);
        assert_eq!(transport.headers.get_all("x-trace").iter().count(), 2);
        config.headers.push(("bad name".into(), "x".into()));
        assert!(config.build("https://127.0.0.1").is_err());
        let shown = format!("{config:?}");
        assert!(shown.contains("X-Trace") && !shown.contains("ops-tool"), "{shown}");
    }
}
