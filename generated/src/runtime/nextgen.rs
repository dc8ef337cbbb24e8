//! The client for HTTP APIs described by OpenAPI, first of all the Next-Gen
//! API (`/mgmt/api/nextgen/v1`): [`NextgenClient`] sends the [`Request`]
//! values that generated operation functions return, and answers with the
//! HTTP status and the decoded body ([`Response`]), because the status
//! carries meaning there (a desired-state `POST` answers 201 when it
//! created and 200 when it updated).
//!
//! Sessions: `POST <base>/login` with `{"login": {"username", "password",
//! "timeout"}}`; the session id comes back only as the `sessionid` cookie,
//! which every later request sends. `POST <base>/logout` ends it. A
//! client built with [`NextgenClientBuilder::session`] logs in by itself
//! on first use and once more when the session expired (401, errorcode
//! 1101). The password and the session id are [`Secret`]s: no `Debug`
//! output, error or log shows them.
//!
//! Errors carry the HTTP status and, when the body is the API's error
//! object, its `errorcode`, `errormessage` and `details`.
//!
//! Trust rules: only a 2xx answer is a success; no redirect is followed
//! (a 3xx, or a 1xx that reaches the client, is [`Error::Redirect`] with
//! the status and `Location`), so credentials never travel to another
//! host and a redirected write is never reported done; an answer larger
//! than [`NextgenClientBuilder::max_response_bytes`] (default 64 MiB) is
//! [`Error::TooLarge`]; cookie parameters that could add or replace a
//! cookie are refused before sending; transport errors name the URL
//! without its query or userinfo, where credentials may travel.

use crate::runtime::secret::Secret;
use crate::runtime::transport::{self, Failure, Repeat, SessionHooks, Sessions, Transport, TransportConfig};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE, SET_COOKIE};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

pub use crate::runtime::transport::{RetryPolicy, DEFAULT_MAX_RESPONSE_BYTES};

/// The Next-Gen API's base path on the appliance.
pub const NEXTGEN_BASE_PATH: &str = "/mgmt/api/nextgen/v1";

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "sessionid";

/// `.` or `..` as written or after one or two percent-decodings (`%2e`,
/// `.%2E`, `%252e`): a path segment that URL normalisation (ours, a
/// proxy's, the server's) would resolve away. Path parameters and NITRO
/// keys that are such a segment are refused before sending.
pub fn is_dot_segment(text: &str) -> bool {
    let dots = |text: &str| text == "." || text == "..";
    let once = percent_decode_str(text).decode_utf8_lossy();
    let twice = percent_decode_str(&once).decode_utf8_lossy();
    dots(text) || dots(&once) || dots(&twice)
}

/// Characters escaped in one path segment: controls, space, the URL
/// delimiters and `%` itself.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
    Patch,
    Head,
    Options,
}

impl Method {
    fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
            Method::Patch => reqwest::Method::PATCH,
            Method::Head => reqwest::Method::HEAD,
            Method::Options => reqwest::Method::OPTIONS,
        }
    }
}

/// One `details` item of an error body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorDetail {
    /// The object the message is about.
    pub instance: String,
    pub message: String,
}

/// What can go wrong sending a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status outside 2xx.
    #[error("http {status}: {errormessage} (errorcode {errorcode:?})")]
    Api {
        status: u16,
        /// `errorcode` of the error body, when it has one.
        errorcode: Option<i64>,
        /// `errormessage` (or `message`) of the error body; empty when the
        /// body is not the API's error object (say an HTML page).
        errormessage: String,
        details: Vec<ErrorDetail>,
        /// The body as received (at most 4 KiB), for bodies of other shapes.
        body: String,
        /// The body decoded as the type the description gives for this
        /// status, when it does (see [`Error::typed`]).
        typed: Option<TypedError>,
    },
    /// The request could not be sent or its answer not read. The URL the
    /// error names has no query and no userinfo (`auth_query` credentials
    /// travel in the query); its text carries the cause chain.
    #[error("transport: {}", transport_text(.0))]
    Transport(#[source] reqwest::Error),
    /// A 3xx answer (or a 1xx that reached the client). No redirect is
    /// followed: a write sent to a redirecting proxy may never have reached
    /// the API, and credentials must not go to the host it names.
    /// `location` is the `Location` header without its query, fragment and
    /// userinfo.
    #[error("http {status}: {}", redirect_text(.status, .location))]
    Redirect { status: u16, location: Option<String> },
    /// The answer is larger than the client accepts (its `Content-Length`,
    /// or the bytes received so far).
    #[error("the answer (http {status}) is larger than the limit of {limit} bytes; raise it with NextgenClientBuilder::max_response_bytes")]
    TooLarge {
        status: u16,
        /// The limit in force, in bytes.
        limit: u64,
        /// The `Content-Length` the answer announced, if any.
        content_length: Option<u64>,
    },
    /// A 2xx answer whose body is not what the operation describes.
    #[error("cannot decode the answer (http {status}): {message}")]
    Decode { status: u16, message: String },
    /// Login answered 2xx without a `sessionid` cookie.
    #[error("login answered http {status} without a sessionid cookie")]
    NoSession { status: u16 },
    /// The request was built with a problem (say an empty path parameter).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client could not be built (base URL, certificate).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Another request's login did not finish within the request timeout.
    #[error("gave up after {0:?} (the request timeout) waiting for the login another request started")]
    LoginWait(std::time::Duration),
    /// The login another request ran failed without an HTTP answer; its
    /// error text (the login's result is shared, not tried again).
    #[error("login failed: {0}")]
    LoginFailed(String),
}

impl Error {
    /// The copy of a failed login's error that each request waiting on it
    /// gets (transport errors as their text; typed bodies left out).
    fn shared(&self) -> Error {
        match self {
            Error::Api { status, errorcode, errormessage, details, body, .. } => Error::Api {
                status: *status,
                errorcode: *errorcode,
                errormessage: errormessage.clone(),
                details: details.clone(),
                body: body.clone(),
                typed: None,
            },
            Error::Transport(error) => Error::LoginFailed(transport_text(error)),
            Error::Redirect { status, location } => Error::Redirect { status: *status, location: location.clone() },
            Error::TooLarge { status, limit, content_length } => {
                Error::TooLarge { status: *status, limit: *limit, content_length: *content_length }
            }
            Error::Decode { status, message } => Error::Decode { status: *status, message: message.clone() },
            Error::NoSession { status } => Error::NoSession { status: *status },
            Error::InvalidRequest(text) => Error::InvalidRequest(text.clone()),
            Error::Config(text) => Error::Config(text.clone()),
            Error::LoginWait(wait) => Error::LoginWait(*wait),
            Error::LoginFailed(text) => Error::LoginFailed(text.clone()),
        }
    }
}

impl Error {
    /// The HTTP status, for errors that come from an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::Decode { status, .. }
            | Error::NoSession { status }
            | Error::Redirect { status, .. }
            | Error::TooLarge { status, .. } => Some(*status),
            Error::Transport(error) => error.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The error body as the description types it for this operation and
    /// status: the body schema, or the operation's generated `<Op>Error`
    /// enum when its error answers have different bodies. `None` when the
    /// status is not documented, the body did not decode, or `E` is not
    /// the operation's error type.
    pub fn typed<E: 'static>(&self) -> Option<&E> {
        match self {
            // `as_ref` first: the box itself would also answer `as_any`.
            Error::Api { typed: Some(typed), .. } => typed.0.as_ref().as_any().downcast_ref::<E>(),
            _ => None,
        }
    }

    /// `errorcode` of the error body.
    pub fn errorcode(&self) -> Option<i64> {
        match self {
            Error::Api { errorcode, .. } => *errorcode,
            _ => None,
        }
    }
}

impl From<reqwest::Error> for Error {
    /// Drops the query and userinfo of the URL the error names: they may
    /// hold credentials (`auth_query`), and error texts reach logs.
    fn from(mut error: reqwest::Error) -> Self {
        if let Some(url) = error.url_mut() {
            strip_secrets(url);
        }
        Error::Transport(error)
    }
}

/// Removes what may hold credentials from a URL: query, fragment, userinfo.
fn strip_secrets(url: &mut reqwest::Url) {
    url.set_query(None);
    url.set_fragment(None);
    // Fails only for URLs that cannot have userinfo, which then have none.
    let _ = url.set_username("");
    let _ = url.set_password(None);
}

/// A transport error with its cause chain (connection refused, DNS, the
/// TLS reason), and what to do when the certificate is not trusted.
fn transport_text(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    if text.to_ascii_lowercase().contains("certificate") {
        text.push_str(
            " (the server's certificate is not trusted: trust it or its CA with NextgenClientBuilder::add_root_certificate, \
             or for a lab only use danger_accept_invalid_certs(true))",
        );
    }
    text
}

fn redirect_text(status: &u16, location: &Option<String>) -> String {
    let kind = if *status < 200 { "an informational answer, not a final one" } else { "a redirect, which the client does not follow" };
    match location {
        Some(location) => format!("{kind} (Location: {location}); point the base url at the API itself"),
        None => format!("{kind}; point the base url at the API itself"),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A 2xx answer: its status and decoded body.
#[derive(Clone, Debug, PartialEq)]
pub struct Response<T> {
    pub status: u16,
    pub value: T,
    /// The answer's headers as received, in order (`Location`, rate
    /// limits...); values that are not UTF-8 are read lossily.
    /// `Set-Cookie` headers, which may hold session ids, are left out.
    pub headers: Vec<(String, String)>,
}

impl<T> Response<T> {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

impl<T> Response<T> {
    /// 201: the resource was created (desired-state `POST`).
    pub fn created(&self) -> bool {
        self.status == 201
    }
}

/// How the status and body of a 2xx answer become `T`.
type Decode<T> = fn(u16, &[u8]) -> std::result::Result<T, String>;

/// How the status and body of an error answer become a typed error; the
/// slice holds the documented error statuses as inclusive ranges.
type DecodeError = fn(u16, &[u8], &'static [(u16, u16)]) -> Option<TypedError>;

/// A decoded error body of some operation's error type (see
/// [`Error::typed`]).
pub struct TypedError(Box<dyn ErrorValue>);

trait ErrorValue: fmt::Debug + Send + Sync + 'static {
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<T: fmt::Debug + Send + Sync + 'static> ErrorValue for T {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl fmt::Debug for TypedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// A type decoded by HTTP status: the `<Op>Success` and `<Op>Error` enums
/// generated for operations whose answers have several body types.
pub trait FromStatus: Sized {
    /// The value for an answer, or `None` when the description documents
    /// no answer for `status`.
    fn from_status(status: u16, body: &[u8]) -> Option<std::result::Result<Self, String>>;
}

/// Decodes a JSON body (generated `FromStatus` impls call it).
pub fn from_body<T: DeserializeOwned>(body: &[u8]) -> std::result::Result<T, String> {
    serde_json::from_slice(body).map_err(|error| error.to_string())
}

/// A request value returned by a generated operation function; `T` is what
/// [`NextgenClient::send`] decodes a 2xx body into.
///
/// Building a request never fails: a problem is kept and reported by
/// `send` as [`Error::InvalidRequest`].
#[must_use = "a request does nothing until it is sent with NextgenClient::send"]
pub struct Request<T> {
    method: Method,
    /// Path template below the API base, placeholders filled and
    /// percent-encoded as they are given.
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    body: Option<Body>,
    problem: Option<String>,
    decode: Decode<T>,
    decode_error: Option<DecodeError>,
    error_statuses: &'static [(u16, u16)],
    /// Security schemes the operation accepts (`None`: not said).
    schemes: Option<&'static [&'static str]>,
    output: PhantomData<fn() -> T>,
}

enum Body {
    Json(std::result::Result<Value, String>),
    Bytes { media_type: String, bytes: Vec<u8> },
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Headers and cookies may hold credentials; only their names show.
        let header_names: Vec<&str> = self.headers.iter().chain(&self.cookies).map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &header_names)
            .field("has_body", &self.body.is_some())
            .finish_non_exhaustive()
    }
}

fn decode_json<T: DeserializeOwned>(_: u16, bytes: &[u8]) -> std::result::Result<T, String> {
    from_body(bytes)
}

fn decode_nothing(_: u16, _: &[u8]) -> std::result::Result<(), String> {
    Ok(())
}

fn decode_by_status<T: FromStatus>(status: u16, bytes: &[u8]) -> std::result::Result<T, String> {
    T::from_status(status, bytes).unwrap_or_else(|| Err(format!("http {status} is not an answer the description documents")))
}

fn decode_error_body<E: DeserializeOwned + fmt::Debug + Send + Sync + 'static>(status: u16, bytes: &[u8], statuses: &'static [(u16, u16)]) -> Option<TypedError> {
    if !statuses.iter().any(|(low, high)| (*low..=*high).contains(&status)) {
        return None;
    }
    from_body::<E>(bytes).ok().map(|value| TypedError(Box::new(value)))
}

fn decode_error_enum<E: FromStatus + fmt::Debug + Send + Sync + 'static>(status: u16, bytes: &[u8], _: &'static [(u16, u16)]) -> Option<TypedError> {
    E::from_status(status, bytes)?.ok().map(|value| TypedError(Box::new(value)))
}

fn decode_maybe<T: DeserializeOwned>(_: u16, bytes: &[u8]) -> std::result::Result<Option<T>, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(bytes).map(Some).map_err(|error| error.to_string())
}

fn decode_bytes(_: u16, bytes: &[u8]) -> std::result::Result<Vec<u8>, String> {
    Ok(bytes.to_vec())
}

impl<T> Request<T> {
    fn with(method: Method, template: &'static str, decode: Decode<T>) -> Self {
        Request {
            method,
            path: template.to_string(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            problem: None,
            decode,
            decode_error: None,
            error_statuses: &[],
            schemes: None,
            output: PhantomData,
        }
    }

    /// Fills the `{name}` placeholder of the path with `value`,
    /// percent-encoded as one segment.
    pub fn path(mut self, name: &str, value: impl ParamValue) -> Self {
        let values = value.param_values();
        let text = values.join(",");
        if text.is_empty() {
            self.problem.get_or_insert_with(|| format!("path parameter `{name}` is empty"));
        }
        // `.` and `..` (in any spelling a decoder would turn into them)
        // would be resolved away as dot segments: the request would reach
        // the collection or its parent instead of the item.
        if is_dot_segment(&text) {
            self.problem.get_or_insert_with(|| format!("path parameter `{name}` value {text:?} would be read as a `.` or `..` path segment"));
        }
        let encoded = utf8_percent_encode(&text, SEGMENT).to_string();
        self.path = self.path.replace(&format!("{{{name}}}"), &encoded);
        self
    }

    /// Adds a query parameter (once per value; nothing for `None`).
    pub fn query(mut self, name: &str, value: impl ParamValue) -> Self {
        for text in value.param_values() {
            self.query.push((name.to_string(), text));
        }
        self
    }

    /// Adds a header parameter (values joined by commas; nothing for `None`).
    /// A parameter named `Cookie` is refused: cookies go through
    /// [`Request::cookie`], which checks them.
    pub fn header(mut self, name: &str, value: impl ParamValue) -> Self {
        let values = value.param_values();
        if name.eq_ignore_ascii_case("cookie") {
            self.problem.get_or_insert_with(|| "a header parameter cannot be named `Cookie`".to_string());
        }
        if !values.is_empty() {
            self.headers.push((name.to_string(), values.join(",")));
        }
        self
    }

    /// Adds a cookie parameter (nothing for `None`; list items joined by
    /// commas). A name or value that could add or replace a cookie is
    /// refused with [`Error::InvalidRequest`] when sent: the name must be an
    /// HTTP token and not `sessionid`; values hold only the characters RFC
    /// 6265 allows in a cookie value (no `;`, `,`, `"`, `\`, whitespace,
    /// control or non-ASCII characters; no `=` in the items of a list).
    pub fn cookie(mut self, name: &str, value: impl ParamValue) -> Self {
        let values = value.param_values();
        if let Some(problem) = cookie_problem(name, &values) {
            self.problem.get_or_insert(problem);
        }
        if !values.is_empty() {
            self.cookies.push((name.to_string(), values.join(",")));
        }
        self
    }

    /// A JSON body.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(Body::Json(serde_json::to_value(body).map_err(|error| error.to_string())));
        self
    }

    /// A JSON body when given.
    pub fn json_opt<B: Serialize + ?Sized>(self, body: Option<&B>) -> Self {
        match body {
            Some(body) => self.json(body),
            None => self,
        }
    }

    /// The security schemes the operation accepts (empty: none); client
    /// credentials tied to another scheme are not sent with it.
    pub fn schemes(mut self, schemes: &'static [&'static str]) -> Self {
        self.schemes = Some(schemes);
        self
    }

    /// Error answers with one of these statuses (inclusive ranges) are
    /// decoded as `E` into [`Error::typed`].
    pub fn error_body<E: DeserializeOwned + fmt::Debug + Send + Sync + 'static>(mut self, statuses: &'static [(u16, u16)]) -> Self {
        self.decode_error = Some(decode_error_body::<E>);
        self.error_statuses = statuses;
        self
    }

    /// Error answers are decoded by status as the generated enum `E` into
    /// [`Error::typed`].
    pub fn errors<E: FromStatus + fmt::Debug + Send + Sync + 'static>(mut self) -> Self {
        self.decode_error = Some(decode_error_enum::<E>);
        self
    }

    /// A raw body of a media type the description does not type as JSON.
    /// (`multipart/form-data; boundary=...` for multipart bodies, whose
    /// boundary only the caller knows.)
    pub fn bytes(mut self, media_type: &str, bytes: Vec<u8>) -> Self {
        self.body = Some(Body::Bytes { media_type: media_type.to_string(), bytes });
        self
    }

    pub fn method(&self) -> Method {
        self.method
    }

    /// The path below the API base, placeholders filled.
    pub fn path_text(&self) -> &str {
        &self.path
    }

    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The JSON body, if any and if it could be encoded.
    pub fn json_body(&self) -> Option<&Value> {
        match &self.body {
            Some(Body::Json(Ok(value))) => Some(value),
            _ => None,
        }
    }
}

impl<T: DeserializeOwned> Request<T> {
    /// A request whose 2xx answer is a JSON body decoded into `T`.
    pub fn new(method: Method, template: &'static str) -> Self {
        Request::with(method, template, decode_json::<T>)
    }
}

impl<T: FromStatus> Request<T> {
    /// A request whose 2xx answers are told apart by status (a generated
    /// `<Op>Success` enum).
    pub fn by_status(method: Method, template: &'static str) -> Self {
        Request::with(method, template, decode_by_status::<T>)
    }
}

impl Request<()> {
    /// A request whose 2xx answer has no body we read.
    pub fn empty(method: Method, template: &'static str) -> Self {
        Request::with(method, template, decode_nothing)
    }
}

impl<T: DeserializeOwned> Request<Option<T>> {
    /// A request whose 2xx answer is a JSON body for some statuses and
    /// empty for others (`None`).
    pub fn maybe(method: Method, template: &'static str) -> Self {
        Request::with(method, template, decode_maybe::<T>)
    }
}

impl Request<Vec<u8>> {
    /// A request whose 2xx answer is kept as raw bytes.
    pub fn raw(method: Method, template: &'static str) -> Self {
        Request::with(method, template, decode_bytes)
    }
}

/// A field the description marks `nullable`, as the wire has it: the key
/// absent, the key with `null`, or a value. Generated models offer it
/// through `<field>_nullable()` / `set_<field>_nullable()`; the codec keeps
/// a received `null` in the unknown fields (`Model::NULLABLE`), so decoding
/// and encoding give the same JSON back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    Absent,
    Null,
    Value(T),
}

impl<'a, T> Nullable<&'a T> {
    /// Reads the state of the field `wire` from its slot and the model's
    /// unknown fields.
    pub fn of(field: &'a Option<T>, unknown: &crate::runtime::UnknownFields, wire: &str) -> Self {
        match field {
            Some(value) => Nullable::Value(value),
            None if unknown.get(wire).is_some_and(Value::is_null) => Nullable::Null,
            None => Nullable::Absent,
        }
    }
}

impl<T> Nullable<T> {
    /// Writes this state into the field's slot and the model's unknown
    /// fields.
    pub fn store(self, field: &mut Option<T>, unknown: &mut crate::runtime::UnknownFields, wire: &str) {
        match self {
            Nullable::Value(value) => {
                *field = Some(value);
                unknown.remove(wire);
            }
            Nullable::Null => {
                *field = None;
                unknown.insert(wire.to_string(), Value::Null);
            }
            Nullable::Absent => {
                *field = None;
                unknown.remove(wire);
            }
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }
}

/// A value that can stand in a path, query, header or cookie parameter.
pub trait ParamValue {
    /// The texts it is sent as (none for `None`, one per item for lists).
    fn param_values(&self) -> Vec<String>;
}

impl ParamValue for &str {
    fn param_values(&self) -> Vec<String> {
        vec![self.to_string()]
    }
}

impl ParamValue for String {
    fn param_values(&self) -> Vec<String> {
        vec![self.clone()]
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn param_values(&self) -> Vec<String> {
                vec![self.to_string()]
            }
        }
    )*};
}
display_param!(i64, f64, bool, crate::runtime::Number);

impl<E: crate::runtime::WireEnum> ParamValue for crate::runtime::Open<E> {
    fn param_values(&self) -> Vec<String> {
        vec![self.as_str().to_string()]
    }
}

impl<V: ParamValue> ParamValue for Option<V> {
    fn param_values(&self) -> Vec<String> {
        self.as_ref().map(ParamValue::param_values).unwrap_or_default()
    }
}

impl<V: ParamValue> ParamValue for &[V] {
    fn param_values(&self) -> Vec<String> {
        self.iter().flat_map(ParamValue::param_values).collect()
    }
}

/// Why a cookie parameter cannot be sent, if it cannot. The text names
/// the cookie but never shows its value.
fn cookie_problem(name: &str, values: &[String]) -> Option<String> {
    if let Some(problem) = cookie_name_problem(name) {
        return Some(problem);
    }
    if name.eq_ignore_ascii_case(SESSION_COOKIE) {
        return Some(format!("cookie parameter `{name}` would replace the session cookie"));
    }
    let list = values.len() > 1;
    for value in values {
        if !value.bytes().all(is_cookie_octet) || (list && value.contains('=')) {
            return Some(format!(
                "the value of cookie parameter `{name}` holds characters a cookie value cannot (`;`, `,`, `\"`, `\\`, whitespace, controls, non-ASCII{})",
                if list { ", `=` in a list item" } else { "" }
            ));
        }
    }
    None
}

/// Why `name` is not a cookie name (an HTTP token), if it is not.
fn cookie_name_problem(name: &str) -> Option<String> {
    const SEPARATORS: &[u8] = b"()<>@,;:\\\"/[]?={} \t";
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && !SEPARATORS.contains(&b)) {
        return Some(format!("{name:?} is not a cookie name (letters, digits and !#$%&'*+-.^_`|~ only)"));
    }
    None
}

/// RFC 6265 `cookie-octet`: printable ASCII except `"`, `,`, `;`, `\`.
fn is_cookie_octet(byte: u8) -> bool {
    matches!(byte, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

/// Reads a JSON field holding a union, map or list of a type the model
/// codec has no slot for, as that type (generated accessors call this).
pub fn typed<T: DeserializeOwned>(value: &Option<Value>) -> std::result::Result<Option<T>, serde_json::Error> {
    value.as_ref().map(|value| T::deserialize(value)).transpose()
}

/// Stores a typed value into such a JSON field (generated setters call this).
pub fn untyped<T: Serialize>(value: Option<T>) -> Option<Value> {
    // Our generated types always encode (maps have string keys).
    value.map(|value| serde_json::to_value(value).unwrap_or(Value::Null))
}

/// Builds a [`NextgenClient`]. TLS certificates are verified unless
/// [`NextgenClientBuilder::danger_accept_invalid_certs`] says otherwise.
#[derive(Clone)]
pub struct NextgenClientBuilder {
    base_url: String,
    base_path: String,
    transport: TransportConfig,
    auth_headers: Vec<(String, Secret, Option<String>)>,
    auth_query: Vec<(String, Secret, Option<String>)>,
    auth_cookies: Vec<(String, Secret, Option<String>)>,
    /// Which list the last credential went to, for [`Self::scheme`].
    last_credential: Option<CredentialPlace>,
    credentials: Option<Credentials>,
    allow_insecure_http: bool,
}

impl fmt::Debug for NextgenClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The base URL without a user part or query (refused at build, but
        // never printed); credentials show as `Secret("***")`.
        f.debug_struct("NextgenClientBuilder")
            .field("base_url", &crate::runtime::secret::redacted_base_url(&self.base_url))
            .field("base_path", &self.base_path)
            .field("transport", &self.transport)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("auth_headers", &self.auth_headers)
            .field("auth_query", &self.auth_query)
            .field("auth_cookies", &self.auth_cookies)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}


#[derive(Clone, Copy, Debug)]
enum CredentialPlace {
    Header,
    Query,
    Cookie,
}

/// What `NextgenClientBuilder::session` keeps for logging in again.
#[derive(Clone, Debug)]
struct Credentials {
    username: String,
    password: Secret,
    timeout: Option<String>,
}

impl NextgenClientBuilder {
    /// `base_url` is the scheme and host, e.g. `https://10.0.0.1`.
    pub fn new(base_url: impl Into<String>) -> Self {
        NextgenClientBuilder {
            base_url: base_url.into(),
            base_path: NEXTGEN_BASE_PATH.to_string(),
            transport: TransportConfig::default(),
            auth_headers: Vec::new(),
            auth_query: Vec::new(),
            auth_cookies: Vec::new(),
            last_credential: None,
            credentials: None,
            allow_insecure_http: false,
        }
    }

    transport::transport_methods!();

    /// Allows a plain `http://` base URL with credentials or a session
    /// (they then travel in clear). Off by default: `build` refuses that
    /// combination. For test servers.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Logs in with these credentials on first use, and again once when
    /// the session has expired (401, errorcode 1101). `timeout` is the
    /// session idle timeout as the API spells it (`"15min"`).
    pub fn session(mut self, username: impl Into<String>, password: impl Into<Secret>, timeout: Option<&str>) -> Self {
        self.credentials = Some(Credentials { username: username.into(), password: password.into(), timeout: timeout.map(str::to_string) });
        self
    }

    /// Sends a credential header on every request, for APIs described
    /// with an `apiKey` scheme in a header or with `http` bearer/basic
    /// (`Authorization`, `Bearer <token>`). Never shown by `Debug`.
    pub fn auth_header(mut self, name: impl Into<String>, value: impl Into<Secret>) -> Self {
        self.auth_headers.push((name.into(), value.into(), None));
        self.last_credential = Some(CredentialPlace::Header);
        self
    }

    /// Sends a credential query parameter on every request (`apiKey` in
    /// query). Never shown by `Debug`.
    pub fn auth_query(mut self, name: impl Into<String>, value: impl Into<Secret>) -> Self {
        self.auth_query.push((name.into(), value.into(), None));
        self.last_credential = Some(CredentialPlace::Query);
        self
    }

    /// Sends a credential cookie on every request (`apiKey` in cookie).
    /// Never shown by `Debug`.
    pub fn auth_cookie(self, name: impl Into<String>, value: impl Into<Secret>) -> Self {
        let mut builder = self;
        builder.auth_cookies.push((name.into(), value.into(), None));
        builder.last_credential = Some(CredentialPlace::Cookie);
        builder
    }

    /// Ties the credential added last to the security scheme `scheme`: it
    /// is then sent only with requests of operations that accept that
    /// scheme (see [`Request::schemes`]). Credentials not tied to a scheme
    /// go with every request. The generated `auth` functions call this.
    pub fn scheme(mut self, scheme: &str) -> Self {
        let tag = Some(scheme.to_string());
        match self.last_credential {
            Some(CredentialPlace::Header) => self.auth_headers.last_mut().expect("a header was added").2 = tag,
            Some(CredentialPlace::Query) => self.auth_query.last_mut().expect("a query credential was added").2 = tag,
            Some(CredentialPlace::Cookie) => self.auth_cookies.last_mut().expect("a cookie was added").2 = tag,
            None => {}
        }
        self
    }

    /// HTTP basic authentication (`Authorization: Basic <base64>`).
    pub fn auth_basic(self, username: &str, password: impl Into<Secret>) -> Self {
        let password = password.into();
        let encoded = base64(format!("{username}:{}", password.expose()).as_bytes());
        self.auth_header("Authorization", format!("Basic {encoded}"))
    }

    /// HTTP bearer authentication (`Authorization: Bearer <token>`).
    pub fn auth_bearer(self, token: impl Into<Secret>) -> Self {
        let token = token.into();
        self.auth_header("Authorization", format!("Bearer {}", token.expose()))
    }

    /// The API's path prefix (default `/mgmt/api/nextgen/v1`; other OpenAPI
    /// APIs pass their own).
    pub fn base_path(mut self, base_path: impl Into<String>) -> Self {
        self.base_path = base_path.into();
        self
    }

    fn has_secret(&self) -> bool {
        self.credentials.is_some() || !self.auth_headers.is_empty() || !self.auth_query.is_empty() || !self.auth_cookies.is_empty()
    }

    /// Builds the client; refuses a base URL that is not http(s) or holds
    /// a user part, and plain `http://` with credentials unless
    /// [`Self::allow_insecure_http`]. No redirect is followed.
    pub fn build(self) -> Result<NextgenClient> {
        let base_url = self.base_url.trim_end_matches('/').to_string();
        crate::runtime::secret::check_base_url(&base_url, self.has_secret(), self.allow_insecure_http).map_err(Error::Config)?;
        for (name, value, _) in &self.auth_cookies {
            if let Some(problem) = cookie_name_problem(name) {
                return Err(Error::Config(format!("auth cookie: {problem}")));
            }
            if name.eq_ignore_ascii_case(SESSION_COOKIE) || !value.expose().bytes().all(is_cookie_octet) {
                return Err(Error::Config(format!("auth cookie `{name}` is the session cookie or holds characters a cookie value cannot")));
            }
        }
        // No redirect is followed (see `Error::Redirect`): the transport
        // builds its client with `Policy::none()`.
        let transport = self.transport.build(&base_url).map_err(Error::Config)?;
        let base_path = format!("/{}", self.base_path.trim_matches('/'));
        let base_path = if base_path == "/" { String::new() } else { base_path };
        let mut auth_headers = Vec::new();
        for (name, value, scheme) in self.auth_headers {
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::Config(format!("{name:?} is not a header name")))?;
            let mut value = HeaderValue::from_str(value.expose()).map_err(|_| Error::Config(format!("the value of header {name} holds characters a header cannot")))?;
            value.set_sensitive(true);
            auth_headers.push((name, value, scheme));
        }
        let sessions = Sessions::new(transport.timeout(), SessionHooks {
            share: Error::shared,
            waited: Error::LoginWait,
            closed: || Error::InvalidRequest("the session was closed (logout) before the request used it".into()),
        });
        let inner = Inner {
            transport,
            base_url,
            base_path,
            sessions,
            auth_headers,
            auth_query: self.auth_query,
            auth_cookies: self.auth_cookies,
            credentials: self.credentials,
        };
        Ok(NextgenClient { inner: Arc::new(inner) })
    }
}

/// An async client for the Next-Gen API (or another OpenAPI-described
/// API). Cheap to clone (shared state, one session).
#[derive(Clone)]
pub struct NextgenClient {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    base_url: String,
    base_path: String,
    /// The session id, one login at a time (the NITRO client's logic).
    sessions: Sessions<Error>,
    auth_headers: Vec<(reqwest::header::HeaderName, HeaderValue, Option<String>)>,
    auth_query: Vec<(String, Secret, Option<String>)>,
    auth_cookies: Vec<(String, Secret, Option<String>)>,
    credentials: Option<Credentials>,
}

impl fmt::Debug for NextgenClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NextgenClient")
            .field("base_url", &self.inner.base_url)
            .field("base_path", &self.inner.base_path)
            .field("has_session", &self.has_session())
            .finish_non_exhaustive()
    }
}

/// An answer as received.
struct Received {
    status: u16,
    body: Vec<u8>,
    set_cookies: Vec<String>,
    headers: Vec<(String, String)>,
}

impl NextgenClient {
    pub fn builder(base_url: impl Into<String>) -> NextgenClientBuilder {
        NextgenClientBuilder::new(base_url)
    }

    /// True while a session id is held.
    pub fn has_session(&self) -> bool {
        self.session().is_some()
    }

    fn session(&self) -> Option<Secret> {
        self.inner.sessions.token()
    }

    #[cfg(test)]
    fn set_session(&self, session: Option<Secret>) {
        self.inner.sessions.set_token(session);
    }

    /// Opens a session: `POST /login`; keeps the `sessionid` cookie of the
    /// answer for every later request. `timeout` is the session idle
    /// timeout as the API spells durations (`"15min"`); `None` leaves the
    /// appliance default.
    pub async fn login(&self, username: &str, password: impl Into<Secret>, timeout: Option<&str>) -> Result<u16> {
        let password = password.into();
        let mut status = 0;
        // One login at a time, recorded like the automatic ones; these
        // credentials are tried even within the backoff of a failed login.
        self.inner
            .sessions
            .login_now(false, || async {
                let (session, answered) = self.open_session(username, &password, timeout).await?;
                status = answered;
                Ok(session)
            })
            .await?;
        Ok(status)
    }

    /// The login exchange: the session id and the answer's status.
    async fn open_session(&self, username: &str, password: &Secret, timeout: Option<&str>) -> Result<(Secret, u16)> {
        let mut login = serde_json::Map::new();
        login.insert("username".into(), Value::from(username));
        login.insert("password".into(), Value::from(password.expose()));
        if let Some(timeout) = timeout {
            login.insert("timeout".into(), Value::from(timeout));
        }
        let body = serde_json::json!({ "login": login });
        let url = self.inner.transport.url(&format!("{}/login", self.inner.base_path));
        let builder = self.inner.transport.request(reqwest::Method::POST, &url).header(ACCEPT, "application/json").json(&body);
        let received = self.receive(builder, Repeat::OnUnavailable).await?;
        check_status(&received)?;
        let session = session_cookie(&received.set_cookies).ok_or(Error::NoSession { status: received.status })?;
        Ok((session, received.status))
    }

    /// A login with the builder's credentials, for the session logic.
    async fn login_with(&self, credentials: &Credentials) -> Result<Secret> {
        let (session, _) = self.open_session(&credentials.username, &credentials.password, credentials.timeout.as_deref()).await?;
        Ok(session)
    }

    /// Ends the session: `POST /logout`. The session id is forgotten
    /// whatever the answer.
    pub async fn logout(&self) -> Result<u16> {
        let url = self.inner.transport.url(&format!("{}/logout", self.inner.base_path));
        let builder = self.with_session(self.inner.transport.request(reqwest::Method::POST, &url).header(ACCEPT, "application/json"))?;
        let _ = self.inner.sessions.take_token();
        let received = self.receive(builder, Repeat::Never).await?;
        check_status(&received)?;
        Ok(received.status)
    }

    /// Sends a request; a 2xx answer is decoded into `T`, anything else is
    /// an [`Error::Api`].
    pub async fn send<T>(&self, request: Request<T>) -> Result<Response<T>> {
        if let Some(problem) = &request.problem {
            return Err(Error::InvalidRequest(problem.clone()));
        }
        // With credentials from `NextgenClientBuilder::session`, log in on
        // first use and once more when the session has expired (401 with
        // errorcode 1101), then send again: one login at a time, its
        // result shared (see `transport::Sessions`).
        let credentials = self.inner.credentials.as_ref();
        let held = match credentials {
            Some(credentials) => Some(self.inner.sessions.token_or_login(|| self.login_with(credentials)).await?),
            None => None,
        };
        let repeat = if matches!(request.method, Method::Get | Method::Head | Method::Options) { Repeat::Safe } else { Repeat::Never };
        let mut received = self.receive(self.build(&request)?, repeat).await?;
        if let (Some(credentials), Some((stale, seen))) = (credentials, &held) {
            if received.status == 401 && api_error(401, &received.body).errorcode() == Some(1101) {
                self.inner.sessions.relogin(stale, *seen, || self.login_with(credentials)).await?;
                received = self.receive(self.build(&request)?, repeat).await?;
            }
        }
        if let Err(mut error) = check_status(&received) {
            if let (Error::Api { typed, .. }, Some(decode)) = (&mut error, request.decode_error) {
                *typed = decode(received.status, &received.body, request.error_statuses);
            }
            return Err(error);
        }
        let value = (request.decode)(received.status, &received.body).map_err(|message| Error::Decode { status: received.status, message })?;
        Ok(Response { status: received.status, value, headers: received.headers })
    }

    fn build<T>(&self, request: &Request<T>) -> Result<reqwest::RequestBuilder> {
        let url = self.inner.transport.url(&format!("{}{}", self.inner.base_path, request.path));
        let mut builder = self.inner.transport.request(request.method.to_reqwest(), &url).header(ACCEPT, "application/json");
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        // Credentials tied to a scheme go only where the operation accepts it.
        let wanted = |scheme: &Option<String>| match (scheme, request.schemes) {
            (Some(scheme), Some(accepted)) => accepted.contains(&scheme.as_str()),
            _ => true,
        };
        for (name, value, _) in self.inner.auth_query.iter().filter(|(.., scheme)| wanted(scheme)) {
            builder = builder.query(&[(name.as_str(), value.expose())]);
        }
        for (name, value, _) in self.inner.auth_headers.iter().filter(|(.., scheme)| wanted(scheme)) {
            builder = builder.header(name, value.clone());
        }
        for (name, value) in &request.headers {
            let mut value = HeaderValue::from_str(value).map_err(|_| Error::InvalidRequest(format!("header `{name}` holds characters a header cannot")))?;
            value.set_sensitive(true);
            builder = builder.header(name.as_str(), value);
        }
        if let Some((name, _)) = request.cookies.iter().find(|(name, _)| self.inner.auth_cookies.iter().any(|(auth, ..)| auth.eq_ignore_ascii_case(name))) {
            return Err(Error::InvalidRequest(format!("cookie parameter `{name}` would replace a credential cookie")));
        }
        let mut cookies: Vec<String> = request.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
        cookies.extend(self.inner.auth_cookies.iter().filter(|(.., scheme)| wanted(scheme)).map(|(name, value, _)| format!("{name}={}", value.expose())));
        if let Some(session) = self.session() {
            cookies.push(format!("{SESSION_COOKIE}={}", session.expose()));
        }
        if !cookies.is_empty() {
            let mut value = HeaderValue::from_str(&cookies.join("; ")).map_err(|_| Error::InvalidRequest("a cookie holds characters a header cannot".into()))?;
            value.set_sensitive(true);
            builder = builder.header(COOKIE, value);
        }
        match &request.body {
            Some(Body::Json(Ok(value))) => builder = builder.json(value),
            Some(Body::Json(Err(message))) => return Err(Error::InvalidRequest(format!("body cannot be encoded: {message}"))),
            Some(Body::Bytes { media_type, bytes }) => builder = builder.header(CONTENT_TYPE, media_type.as_str()).body(bytes.clone()),
            None => {}
        }
        Ok(builder)
    }

    fn with_session(&self, builder: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder> {
        match self.session() {
            Some(session) => {
                let mut value = HeaderValue::from_str(&format!("{SESSION_COOKIE}={}", session.expose()))
                    .map_err(|_| Error::InvalidRequest("the session id holds characters a header cannot".into()))?;
                value.set_sensitive(true);
                Ok(builder.header(COOKIE, value))
            }
            None => Ok(builder),
        }
    }

    /// Sends through the shared transport and reads the answer, at most
    /// `max_response_bytes` of it.
    async fn receive(&self, builder: reqwest::RequestBuilder, repeat: Repeat) -> Result<Received> {
        let wire = self.inner.transport.send(builder.build()?, repeat).await.map_err(|failure| match failure {
            Failure::Send(error) => Error::from(error),
            Failure::TooLarge { status, limit, content_length } => Error::TooLarge { status, limit, content_length },
        })?;
        let set_cookies = wire.headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect();
        let headers = wire
            .headers
            .iter()
            .filter(|(name, _)| *name != SET_COOKIE)
            .map(|(name, value)| (name.as_str().to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        if !(200..300).contains(&wire.status) {
            if let Some(errorcode) = api_error(wire.status, &wire.body).errorcode() {
                wire.note_errorcode(errorcode);
            }
        }
        Ok(Received { status: wire.status, body: wire.body, set_cookies, headers })
    }
}

/// Standard base64 with padding (RFC 4648), for HTTP basic credentials.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (index, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if index <= chunk.len() {
                out.push(ALPHABET[(n >> shift) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The `sessionid` value of `Set-Cookie` headers; `None` when absent or
/// when the answer deletes it.
fn session_cookie(set_cookies: &[String]) -> Option<Secret> {
    for header in set_cookies {
        let pair = header.split(';').next().unwrap_or_default().trim();
        if let Some((name, value)) = pair.split_once('=') {
            if name.trim() == SESSION_COOKIE {
                let value = value.trim().trim_matches('"');
                if value.is_empty() || value == "deleted" {
                    return None;
                }
                return Some(Secret::new(value));
            }
        }
    }
    None
}

/// Only 2xx is success; 1xx and 3xx are [`Error::Redirect`], the rest
/// [`Error::Api`].
fn check_status(received: &Received) -> Result<()> {
    match received.status {
        200..=299 => Ok(()),
        status @ (100..=199 | 300..=399) => {
            let location = received.headers.iter().find(|(name, _)| name.eq_ignore_ascii_case("location")).map(|(_, value)| redacted_location(value));
            Err(Error::Redirect { status, location })
        }
        status => Err(api_error(status, &received.body)),
    }
}

/// A `Location` without what may hold credentials: query, fragment,
/// userinfo (a proxy may send the request URL back, query included).
fn redacted_location(location: &str) -> String {
    if let Ok(mut url) = reqwest::Url::parse(location) {
        strip_secrets(&mut url);
        return url.to_string();
    }
    // A relative reference: cut at the query or fragment.
    location.split(['?', '#']).next().unwrap_or_default().to_string()
}

/// An [`Error::Api`] from a non-2xx answer, reading the error object when
/// the body is one.
pub fn api_error(status: u16, body: &[u8]) -> Error {
    let text = String::from_utf8_lossy(body);
    let kept: String = text.chars().take(4096).collect();
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let object = parsed.as_ref().and_then(Value::as_object);
    let errorcode = object.and_then(|o| o.get("errorcode")).and_then(|code| code.as_i64().or_else(|| code.as_str()?.trim().parse().ok()));
    let errormessage = object
        .and_then(|o| o.get("errormessage").or_else(|| o.get("message")))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let details = object
        .and_then(|o| o.get("details"))
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|item| ErrorDetail {
                    instance: item.get("instance").map(text_of).unwrap_or_default(),
                    message: item.get("message").map(text_of).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    Error::Api { status, errorcode, errormessage, details, body: kept, typed: None }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_fields_are_read() {
        let body = br#"{"errorcode": 1400, "errormessage": "exists", "details": [{"instance": "app1", "message": "taken"}]}"#;
        match api_error(409, body) {
            Error::Api { status, errorcode, errormessage, details, .. } => {
                assert_eq!((status, errorcode, errormessage.as_str()), (409, Some(1400), "exists"));
                assert_eq!(details, [ErrorDetail { instance: "app1".into(), message: "taken".into() }]);
            }
            other => panic!("unexpected {other:?}"),
        }
        // An HTML page (API switched off) keeps the text, with no code.
        let error = api_error(403, b"<html>Forbidden</html>");
        assert_eq!(error.errorcode(), None);
        assert_eq!(error.status(), Some(403));
    }

    #[test]
    fn session_cookie_is_read_and_deletion_is_not_a_session() {
        let cookies = ["other=1".to_string(), "sessionid=abc123; Path=/mgmt/api/nextgen/v1; HttpOnly".to_string()];
        assert_eq!(session_cookie(&cookies).map(|s| s.expose().to_string()), Some("abc123".into()));
        assert!(session_cookie(&["sessionid=deleted; Max-Age=0".to_string()]).is_none());
        assert!(session_cookie(&[]).is_none());
    }

    #[test]
    fn path_parameters_are_encoded_as_one_segment() {
        let request: Request<()> = Request::empty(Method::Get, "/applications/{application-name}/servers/{server}")
            .path("application-name", "a b/c")
            .path("server", "10.0.0.1");
        assert_eq!(request.path_text(), "/applications/a%20b%2Fc/servers/10.0.0.1");
        let empty: Request<()> = Request::empty(Method::Get, "/applications/{application-name}").path("application-name", "");
        assert!(empty.problem.is_some());
    }

    #[test]
    fn path_parameters_that_are_dot_segments_are_refused() {
        // `delete_group_role("..", "admin")` must not become `DELETE .../roles/admin`.
        for value in ["..", ".", "%2e%2E", ".%2e", "%252e"] {
            let request: Request<()> =
                Request::empty(Method::Delete, "/groups/{group}/roles/{role}").path("group", value).path("role", "admin");
            assert!(request.problem.as_deref().is_some_and(|p| p.contains("`.` or `..`")), "{value}");
        }
        let fine: Request<()> = Request::empty(Method::Get, "/groups/{group}").path("group", "a..b");
        assert!(fine.problem.is_none());
    }

    #[test]
    fn optional_query_parameters_are_left_out() {
        let request: Request<Value> = Request::new(Method::Get, "/x").query("expanded", Some(true)).query("other", None::<&str>);
        assert_eq!(request.query_pairs(), [("expanded".to_string(), "true".to_string())]);
    }

    #[test]
    fn debug_shows_no_secret() {
        let client = NextgenClient::builder("https://192.0.2.1").build().unwrap();
        client.set_session(Some(Secret::new("s3ss10n")));
        let printed = format!("{client:?}");
        assert!(!printed.contains("s3ss10n"), "{printed}");
        assert!(printed.contains("has_session: true"));
        let request: Request<()> = Request::empty(Method::Get, "/x").cookie("token", "t0k3n").header("X-Key", "k3y");
        let printed = format!("{request:?}");
        assert!(!printed.contains("t0k3n") && !printed.contains("k3y"), "{printed}");
    }

    #[test]
    fn credential_headers_are_checked_and_hidden() {
        let client = NextgenClient::builder("https://192.0.2.1").auth_header("Authorization", "Bearer t0k3n").auth_query("key", "k3y").build().unwrap();
        let printed = format!("{client:?}");
        assert!(!printed.contains("t0k3n") && !printed.contains("k3y"), "{printed}");
        assert!(NextgenClient::builder("https://192.0.2.1").auth_header("bad name", "x").build().is_err());
    }

    #[test]
    fn typed_error_bodies_by_documented_status() {
        let statuses: &'static [(u16, u16)] = &[(404, 404), (500, 599)];
        let typed = |status| decode_error_body::<ErrorDetailBody>(status, br#"{"reason":"gone"}"#, statuses);
        let mut error = api_error(404, br#"{"reason":"gone"}"#);
        if let Error::Api { typed: slot, .. } = &mut error {
            *slot = typed(404);
        }
        assert_eq!(error.typed::<ErrorDetailBody>(), Some(&ErrorDetailBody { reason: "gone".into() }));
        // Another type than the operation's gives nothing.
        assert!(error.typed::<String>().is_none());
        assert!(typed(503).is_some());
        assert!(typed(409).is_none(), "409 is not documented");
        assert!(decode_error_body::<ErrorDetailBody>(404, b"<html>", statuses).is_none());
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct ErrorDetailBody {
        reason: String,
    }

    #[test]
    fn credentials_go_only_to_operations_of_their_scheme() {
        let client = NextgenClient::builder("https://192.0.2.1")
            .auth_header("X-Key", "k")
            .scheme("key")
            .auth_query("token", "t")
            .scheme("token")
            .auth_header("X-Any", "a")
            .build()
            .unwrap();
        let sent = |request: Request<()>| client.build(&request).unwrap().build().unwrap();
        let keyed = sent(Request::empty(Method::Get, "/x").schemes(&["key"]));
        assert!(keyed.headers().contains_key("x-key") && keyed.headers().contains_key("x-any"));
        assert_eq!(keyed.url().query(), None);
        let open = sent(Request::empty(Method::Get, "/x").schemes(&[]));
        assert!(!open.headers().contains_key("x-key") && open.headers().contains_key("x-any"));
        let unsaid = sent(Request::empty(Method::Get, "/x"));
        assert!(unsaid.headers().contains_key("x-key"));
        assert_eq!(unsaid.url().query(), Some("token=t"));
    }

    #[test]
    fn base64_follows_rfc_4648() {
        for (input, expected) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("user:pass", "dXNlcjpwYXNz")] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn nullable_tells_null_from_absent() {
        let mut unknown = crate::runtime::UnknownFields::new();
        let mut field: Option<i64> = None;
        assert_eq!(Nullable::of(&field, &unknown, "n"), Nullable::Absent);
        Nullable::Null.store(&mut field, &mut unknown, "n");
        assert_eq!(Nullable::of(&field, &unknown, "n"), Nullable::Null);
        Nullable::Value(3).store(&mut field, &mut unknown, "n");
        assert_eq!(Nullable::of(&field, &unknown, "n"), Nullable::Value(&3));
        assert!(unknown.is_empty());
    }

    #[test]
    fn only_2xx_is_success_and_locations_lose_their_secrets() {
        let received = |status: u16, location: Option<&str>| Received {
            status,
            body: Vec::new(),
            set_cookies: Vec::new(),
            headers: location.map(|l| vec![("location".to_string(), l.to_string())]).unwrap_or_default(),
        };
        assert!(check_status(&received(204, None)).is_ok());
        for status in [100, 101, 199, 300, 301, 302, 303, 304, 307, 308, 399] {
            let error = check_status(&received(status, Some("https://u:p@other.example/x?key=s3cret#f"))).unwrap_err();
            match &error {
                Error::Redirect { status: got, location: Some(location) } => {
                    assert_eq!((*got, location.as_str()), (status, "https://other.example/x"));
                }
                other => panic!("{status}: {other:?}"),
            }
            assert!(!format!("{error} {error:?}").contains("s3cret"));
        }
        assert!(matches!(check_status(&received(400, None)), Err(Error::Api { status: 400, .. })));
        assert_eq!(redacted_location("/a/b?key=s3cret"), "/a/b");
        assert_eq!(redacted_location("relative#frag"), "relative");
    }

    /// Arbitrary cookie names and values (a fixed-seed generator over
    /// separators, whitespace, controls and non-ASCII): either the request
    /// is refused, or the Cookie header a server would split on `;` (and,
    /// as old servers do, on `,`) holds exactly the cookie given, next to
    /// the session, and nothing named `sessionid` but the session.
    #[test]
    fn cookie_parameters_never_add_or_replace_a_cookie() {
        const PIECES: &[&str] = &["a", "Z", "0", "=", ";", ",", " ", "\t", "\"", "\\", "\r\n", "\0", "sessionid", "é", "€", "%3B", "$", "-", "."];
        let client = NextgenClient::builder("https://192.0.2.1").build().unwrap();
        client.set_session(Some(Secret::new("real-session")));
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound as u64) as usize
        };
        let (mut refused, mut sent) = (0, 0);
        for _ in 0..4000 {
            let mut text = || (0..1 + next(4)).map(|_| PIECES[next(PIECES.len())]).collect::<String>();
            let (name, value) = (text(), text());
            let request: Request<()> = Request::empty(Method::Get, "/x").cookie(&name, value.as_str());
            if request.problem.is_some() {
                refused += 1;
                continue;
            }
            let built = client.build(&request).unwrap().build().unwrap();
            let header = built.headers().get(COOKIE).unwrap().to_str().unwrap().to_string();
            let pairs: Vec<(&str, &str)> =
                header.split([';', ',']).map(|pair| pair.trim().split_once('=').unwrap_or((pair.trim(), ""))).collect();
            assert_eq!(pairs, [(name.as_str(), value.as_str()), ("sessionid", "real-session")], "{name:?}={value:?}");
            sent += 1;
        }
        assert!(refused > 100 && sent > 100, "refused {refused}, sent {sent}");
    }

    #[test]
    fn invalid_certs_are_refused_unless_opted_in() {
        let builder = NextgenClient::builder("https://192.0.2.1");
        assert!(!builder.transport.accept_invalid_certs);
        assert!(builder.danger_accept_invalid_certs(true).transport.accept_invalid_certs);
        assert!(NextgenClient::builder("ftp://x").build().is_err());
    }

    #[test]
    fn userinfo_and_plain_http_with_credentials_are_refused() {
        let builder = NextgenClient::builder("https://admin:s3cr3t-pw@192.0.2.1/");
        assert!(!format!("{builder:?}").contains("s3cr3t-pw"), "{builder:?}");
        let error = builder.build().unwrap_err();
        assert!(!format!("{error} {error:?}").contains("s3cr3t-pw"), "{error:?}");
        assert!(NextgenClient::builder("http://192.0.2.1").auth_bearer("t").build().is_err());
        assert!(NextgenClient::builder("http://192.0.2.1").auth_bearer("t").allow_insecure_http(true).build().is_ok());
        assert!(NextgenClient::builder("http://192.0.2.1").build().is_ok());
    }
}
