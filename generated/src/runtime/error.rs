//! The error type of the client: NITRO error answers, transport failures,
//! answers that cannot be decoded, and requests refused before sending.

/// What can go wrong when sending a request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The appliance answered with a NITRO error (HTTP 4xx/5xx, or a 2xx
    /// answer whose severity is `ERROR`).
    #[error("nitro error {errorcode} (http {status}): {message}")]
    Api {
        status: u16,
        errorcode: i64,
        message: String,
        /// `ERROR`, `WARNING`, ...; empty when the answer left it out.
        severity: String,
    },
    /// The request did not get an HTTP answer (connection, TLS, timeout).
    #[error("transport error: {0}")]
    Transport(#[from] reqwest::Error),
    /// The answer arrived but is not what the request expects.
    #[error("cannot decode the {resource} answer (http {status}): {message}")]
    Decode { resource: String, status: u16, message: String },
    /// The request was refused before sending (say a key property unset).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client could not be built (bad base URL, bad certificate).
    #[error("invalid client configuration: {0}")]
    Config(String),
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

impl Error {
    /// HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport(error) => error.status().map(|status| status.as_u16()),
            Error::InvalidRequest(_) | Error::Config(_) => None,
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
