//! The error type of the client: NITRO error answers, transport failures,
//! answers that cannot be decoded, and requests refused before sending.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// What can go wrong when sending a request.
///
/// No variant's `Display` or `Debug` carries a password, a session token,
/// a query string or the user part of a URL.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The appliance answered with a NITRO error (HTTP 4xx/5xx, or a 2xx
    /// answer whose severity is `ERROR`, or whose errorcode is not 0 and
    /// whose severity old firmware left out).
    #[error("nitro error {errorcode} (http {status}): {message}")]
    Api {
        status: u16,
        errorcode: i64,
        message: String,
        /// `ERROR`, `WARNING`, ...; empty when the answer left it out.
        severity: String,
    },
    /// The request did not get an HTTP answer (connection, TLS, timeout);
    /// `Display` names the causes and, for certificates, what to do.
    #[error("{0}")]
    Transport(TransportError),
    /// The answer arrived but is not what the request expects.
    #[error("cannot decode the {resource} answer (http {status}): {message}")]
    Decode { resource: String, status: u16, message: String },
    /// The request was refused before sending (say a key property unset).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client could not be built (bad base URL, bad certificate).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The answer's status is neither 2xx nor an error (1xx, 3xx): the
    /// client follows no redirect, so the write did not happen (or the
    /// read did not come back). `location` is the redirect target without
    /// its query string or user part.
    #[error("{}", unexpected_status(*status, location.as_deref()))]
    UnexpectedStatus { status: u16, location: Option<String> },
    /// The answer is larger than [`crate::ClientBuilder::max_response_bytes`].
    #[error(
        "the answer is larger than {limit} bytes{}, the client's limit: raise it with ClientBuilder::max_response_bytes, \
         or ask for less (pagesize, attrs, filter)",
        content_length.map(|length| format!(" (content-length {length})")).unwrap_or_default()
    )]
    ResponseTooLarge { limit: u64, content_length: Option<u64> },
    /// Decoding a list answer would allocate more model memory than
    /// [`crate::ClientBuilder::max_decoded_bytes`] allows for its size.
    #[error(
        "decoding the {resource} list answer needs more than {limit} bytes of models for a {body_bytes}-byte answer: \
         raise the limit with ClientBuilder::max_decoded_bytes, or ask for fewer items (pagesize)"
    )]
    DecodeTooLarge { resource: String, limit: u64, body_bytes: u64 },
    /// Another request's login did not finish within the request timeout.
    #[error("gave up after {0:?} (the request timeout) waiting for the login another request started")]
    LoginWait(Duration),
    /// [`crate::Client::wait_ready`] gave up: NITRO did not answer within
    /// the time given; `last` says what the last probe saw.
    #[error("NITRO was not ready after {waited:?} ({attempts} probes; last: {last}): raise the timeout, or check that the appliance is booting")]
    NotReady { waited: Duration, attempts: u32, last: String },
    /// [`crate::Client::connect_primary`] found no primary among the
    /// addresses: each address with its role or why it could not be asked.
    #[error("no primary node among the addresses: {0}")]
    NoPrimary(String),
}

fn unexpected_status(status: u16, location: Option<&str>) -> String {
    let kind = match status {
        100..=199 => "an informational",
        300..=399 => "a redirect",
        _ => "an unexpected",
    };
    let mut text = format!("the appliance answered http {status}, {kind} status: only 2xx is success and no redirect is followed");
    if let Some(location) = location {
        text.push_str(&format!(" (location: {location}); point the base url at the appliance itself"));
    }
    text
}

/// `scheme://host[:port]/path` of a URL: no user part, query or fragment
/// (they may hold secrets). Text that is not a URL becomes its path part
/// before any `?` or `#`.
pub(crate) fn redacted_url(text: &str) -> String {
    match reqwest::Url::parse(text) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.set_query(None);
            url.set_fragment(None);
            url.to_string()
        }
        Err(_) => text.split(['?', '#']).next().unwrap_or_default().to_string(),
    }
}

/// A request that got no HTTP answer (or whose answer broke off): what
/// failed, the URL without query string, the cause chain (connection
/// refused, DNS, timeout, the TLS reason) and, for certificate failures,
/// how to trust the appliance.
#[derive(Clone)]
pub struct TransportError {
    error: Arc<reqwest::Error>,
    url: Option<String>,
}

impl TransportError {
    pub fn new(error: reqwest::Error) -> TransportError {
        let url = error.url().map(|url| redacted_url(url.as_str()));
        TransportError { error: Arc::new(error.without_url()), url }
    }

    /// The underlying reqwest error (its URL removed).
    pub fn reqwest(&self) -> &reqwest::Error {
        &self.error
    }

    /// The URL of the request, without query string or user part.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    pub fn is_timeout(&self) -> bool {
        self.error.is_timeout()
    }

    pub fn is_connect(&self) -> bool {
        self.error.is_connect()
    }

    /// The causes, outermost first, without repeats.
    fn causes(&self) -> Vec<String> {
        let mut causes: Vec<String> = Vec::new();
        let mut next = std::error::Error::source(&*self.error);
        while let Some(cause) = next {
            let text = cause.to_string();
            if !text.is_empty() && !causes.iter().any(|seen| seen.contains(&text)) {
                causes.push(text);
            }
            next = cause.source();
        }
        causes
    }

    /// True when a cause says the server certificate was not trusted.
    pub fn is_certificate(&self) -> bool {
        self.causes().iter().any(|cause| {
            let cause = cause.to_ascii_lowercase();
            cause.contains("certificate") || cause.contains("unknownissuer") || cause.contains("unknown issuer")
        })
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.error.is_timeout() {
            "timed out"
        } else if self.is_certificate() {
            "the TLS handshake failed"
        } else if self.error.is_connect() {
            "cannot connect"
        } else if self.error.is_body() || self.error.is_decode() {
            "the answer broke off"
        } else {
            "request failed"
        };
        write!(f, "transport error: {what}")?;
        if let Some(url) = &self.url {
            write!(f, " ({url})")?;
        }
        for cause in self.causes() {
            write!(f, ": {cause}")?;
        }
        if !self.is_certificate() && self.causes().iter().any(|cause| cause.to_ascii_lowercase().contains("handshakefailure")) {
            f.write_str(
                "; the appliance and the client share no TLS version or cipher suite: appliances that offer only RSA key \
                 exchange or CBC suites need the feature `native-tls` (rustls implements neither)",
            )?;
        }
        if self.is_certificate() {
            f.write_str(
                "; the appliance's certificate is not trusted: trust its certificate or its CA with \
                 ClientBuilder::add_root_certificate(pem), or for a lab appliance with its default \
                 self-signed certificate use danger_accept_invalid_certs(true)",
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError").field("url", &self.url).field("error", &self.error).finish()
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.error)
    }
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Error {
        Error::Transport(TransportError::new(error))
    }
}

/// `std::result::Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// NITRO error codes that mean "no such entity" (from the 14.1 error
/// listing): `NSERR_NOENT` 258, `NSERR_IP_NOT_EXIST` 397,
/// `NSERR_NOENT_VSERVER` 461, `NSERR_NOENT_SVC` 462,
/// `NSERR_NOENT_SVC_SVCGRP` 463, `NSERR_NOENT_VLAN` 472,
/// `NSERR_VPNSERVER_NOTEXIST` 760, `NSERR_TD_NOTEXIST` 946,
/// `NSERR_NODE_NOEXIST` 1000, `NSERR_BIND_NOENT` 1208,
/// `NSERR_LB_SERVER_NOTEXIST` 1388, `NSERR_NOENT_AS_PROFILE` 1408,
/// `NSERR_ROUTE6_NOT_EXIST` 2344, `NSERR_LB_GROUP_NOT_EXIST` 2370,
/// `NSERR_DNS_VIEW_NOENT` 3008, `NSERR_GSLB_LOC_NOENT` 3014,
/// `NSERR_SSL_CACERTGROUP_NOTEXIST` 3567, `NSERR_LBPROFILE_NOENT` 3574,
/// `NSERR_NOENT_CIPHER` 3621, `NSERR_VSVR_NOT_EXISTS` 4005.
pub const NOT_FOUND_CODES: &[i64] =
    &[258, 397, 461, 462, 463, 472, 760, 946, 1000, 1208, 1388, 1408, 2344, 2370, 3008, 3014, 3567, 3574, 3621, 4005];

/// NITRO error codes that mean "already exists / already bound" (from the
/// 14.1 error listing): `NSERR_EXIST` 273, `NSERR_SERVER_NAME_EXIST` 433,
/// `NSERR_SACL_NAME_EXISTS` 440, `NSERR_SYSGROUP_USER_EXISTS` 453,
/// `NSERR_SACL6_NAME_EXISTS` 467, `NSERR_CL_EXIST` 474,
/// `NSERR_ACTION_EXIST` 724, `NSERR_RNAT_EXISTS` 774, `NSERR_ACL_EXISTS`
/// 865, `NSERR_FWDSESSION_NAME_EXISTS` 928, `NSERR_TD_EXISTS` 944,
/// `NSERR_RNAT_NAME_EXISTS` 976, `NSERR_NSAPP_TEMPLATE_EXISTS` 1248,
/// `NSERR_WLM_EXISTS` 1321, `NSERR_SERVER_EXIST` 1335,
/// `NSERR_ENTITY_ALREADY_BOUND` 1413, `NSERR_SVC_EXISTS` 1468,
/// `NSERR_GSLBBIND_EXISTS` 1809, `NSERR_GSLBSITENAME_EXISTS` 1831,
/// `NSERR_ZONE_EXISTS` 1982, `NSERR_METRICTABLE_EXIST` 2175,
/// `NSERR_METRIC_EXISTS` 2179, `NSERR_LB_VSERVER_ALREADY_BOUND` 2371,
/// `NSERR_CLNODE_EXIST` 2455, `NSERR_PARTITION_NAME_EXIST` 2753,
/// `NSERR_DNSPROF_EXISTS` 3011, `NSERR_GSLB_LOC_EXISTS` 3013,
/// `NSERR_DNS_VIEW_EXISTS` 3019, `NSERR_SSL_CACERTGROUP_EXIST` 3566,
/// `NSERR_LBPROFILE_EXIST` 3573, `NSERR_CI_PROFILE_EXISTS` 3798,
/// `NSERR_VSVR_ALREADY_BOUND` 4006, `NSERR_IDENT_ALREADY_BOUND` 4023.
pub const ALREADY_EXISTS_CODES: &[i64] = &[
    273, 433, 440, 453, 467, 474, 724, 774, 865, 928, 944, 976, 1248, 1321, 1335, 1413, 1468, 1809, 1831, 1982, 2175,
    2179, 2371, 2455, 2753, 3011, 3013, 3019, 3566, 3573, 3798, 4006, 4023,
];

/// NITRO error codes that mean the session is gone: `NSERR_SESSION_EXPIRED`
/// 444, `NSERR_SESSION_EXPIRED_REDIRECT` 471, `NSERR_AUTHTIMEOUT` 1027.
pub const SESSION_EXPIRED_CODES: &[i64] = &[444, 471, 1027];

/// `NSERR_FORCE_PWDCHANGE`: the login must change the password first.
pub const FORCE_PASSWORD_CHANGE_CODE: i64 = 1046;

impl Error {
    /// HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::UnexpectedStatus { status, .. } => Some(*status),
            Error::Transport(error) => error.reqwest().status().map(|status| status.as_u16()),
            Error::InvalidRequest(_)
            | Error::Config(_)
            | Error::ResponseTooLarge { .. }
            | Error::DecodeTooLarge { .. }
            | Error::LoginWait(_)
            | Error::NotReady { .. }
            | Error::NoPrimary(_) => None,
        }
    }

    /// NITRO error code of an [`Error::Api`].
    pub fn errorcode(&self) -> Option<i64> {
        match self {
            Error::Api { errorcode, .. } => Some(*errorcode),
            _ => None,
        }
    }

    /// NITRO message of an [`Error::Api`].
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The entity does not exist (HTTP 404, or a "no such entity" code).
    pub fn is_not_found(&self) -> bool {
        match self {
            Error::Api { status, errorcode, .. } => *status == 404 || NOT_FOUND_CODES.contains(errorcode),
            _ => false,
        }
    }

    /// The entity (or binding) already exists (HTTP 409, or an "exists" code).
    pub fn is_already_exists(&self) -> bool {
        match self {
            Error::Api { status, errorcode, .. } => *status == 409 || ALREADY_EXISTS_CODES.contains(errorcode),
            _ => false,
        }
    }

    /// The appliance refuses every login until the password is changed
    /// (errorcode 1046, `NSERR_FORCE_PWDCHANGE`: a new appliance's default
    /// password): see [`crate::Client::change_password_on_first_login`].
    pub fn is_password_change_required(&self) -> bool {
        self.errorcode() == Some(FORCE_PASSWORD_CHANGE_CODE)
    }

    /// The session expired or is unknown: log in again (HTTP 401, or a
    /// session code).
    pub fn is_session_expired(&self) -> bool {
        match self {
            Error::Api { status, errorcode, .. } => *status == 401 || SESSION_EXPIRED_CODES.contains(errorcode),
            _ => false,
        }
    }
}

impl Error {
    /// `severity` of an [`Error::Api`] as the appliance wrote it (`ERROR`,
    /// `WARNING`); `None` for other errors and when the answer left it out
    /// (older firmware does).
    pub fn severity(&self) -> Option<&str> {
        match self {
            Error::Api { severity, .. } if !severity.is_empty() => Some(severity),
            _ => None,
        }
    }

    /// The name the ADC error listing gives the error code (`NSERR_NOENT`
    /// for 258), from the generated `adc::errors` table; `None` when the
    /// error has no code (or code 0) or the listing does not name it. For
    /// an ADM client use [`Error::code_name_in`] with `Product::Adm`: the
    /// two listings number differently.
    pub fn code_name(&self) -> Option<&'static str> {
        self.code_name_in(crate::runtime::client::Product::Adc)
    }

    /// The name the error listing of `product` gives the error code.
    pub fn code_name_in(&self, product: crate::runtime::client::Product) -> Option<&'static str> {
        match self.errorcode() {
            Some(0) | None => None,
            Some(code) => crate::error_code_name(product, code),
        }
    }
}

/// The code lists above are facts of the ADC error listing kept by hand;
/// these tests tie them to the generated table (`adc::errors::BY_CODE`,
/// from `specs/`): every code a list names is in the table under the
/// name its doc comment gives, and that name means what the list says. A
/// listing that renumbers or renames one of them fails here.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::adc::errors::BY_CODE;

    /// The `NAME` code pairs the doc comment of `pub const <list>` gives.
    fn documented(list: &str) -> Vec<(String, i64)> {
        let source = include_str!("error.rs");
        let end = source.find(&format!("\npub const {list}")).unwrap_or_else(|| panic!("{list} is defined"));
        let start = source[..end].rfind("\n\n").expect("a blank line before the doc comment");
        let doc: Vec<&str> = source[start..end].lines().filter_map(|line| line.trim().strip_prefix("///")).collect();
        let doc = doc.join(" ");
        let parts: Vec<&str> = doc.split('`').collect();
        let mut pairs = Vec::new();
        for (name, after) in parts.iter().zip(parts.iter().skip(1)).skip(1).step_by(2) {
            let digits: String = after.trim_start().chars().take_while(char::is_ascii_digit).collect();
            pairs.push((name.to_string(), digits.parse().unwrap_or_else(|_| panic!("{list}: `{name}` has a code after it"))));
        }
        pairs
    }

    /// Checks one list against its doc comment, the table and a meaning.
    fn tie(list: &str, codes: &[i64], means: &[&str]) {
        let pairs = documented(list);
        let documented_codes: Vec<i64> = pairs.iter().map(|(_, code)| *code).collect();
        assert_eq!(documented_codes, codes, "{list}: the doc comment and the list name the same codes in the same order");
        for (name, code) in &pairs {
            assert!(BY_CODE.contains(&(*code, name.as_str())), "{list}: {name} {code} is not in the generated table");
            assert!(means.iter().any(|word| name.contains(word)), "{list}: {name} does not say {means:?}");
        }
    }

    #[test]
    fn runtime_error_codes_are_the_generated_tables_codes() {
        tie("NOT_FOUND_CODES", NOT_FOUND_CODES, &["NOENT", "NOT_EXIST", "NOTEXIST", "NOEXIST", "NOT_EXISTS"]);
        tie("ALREADY_EXISTS_CODES", ALREADY_EXISTS_CODES, &["EXIST", "ALREADY_BOUND"]);
        tie("SESSION_EXPIRED_CODES", SESSION_EXPIRED_CODES, &["SESSION_EXPIRED", "AUTHTIMEOUT"]);
        assert!(BY_CODE.contains(&(FORCE_PASSWORD_CHANGE_CODE, "NSERR_FORCE_PWDCHANGE")), "FORCE_PASSWORD_CHANGE_CODE");
    }

    #[test]
    fn a_renumbered_code_would_be_caught() {
        // The check itself: a code moved by one is not under that name.
        let (name, code) = documented("NOT_FOUND_CODES")[0].clone();
        assert!(BY_CODE.contains(&(code, name.as_str())));
        assert!(!BY_CODE.contains(&(code + 1, name.as_str())));
    }
}
