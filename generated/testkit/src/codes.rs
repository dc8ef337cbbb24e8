//! The answers the kit refuses with: the appliance's error codes, named as
//! in the ADC error listing (`netscaler::adc::errors`; a test of the
//! project's tests crate checks each value against that table).
//!
//! Our choices, where the reference pairs no code with a rule: an
//! out-of-range number answers `NSERR_INTMINVAL`/`NSERR_INTMAXVAL`, a text
//! of the wrong length `NSERR_STRMINLEN`/`NSERR_STRMAXLEN`, a value that
//! is not a possible value (or not of the property's type)
//! `NSERR_ARGVALBAD`, a key the operation does not take `NSERR_INVAL`
//! (`Invalid argument [name]`), and one object over the kit's size cap
//! `NSERR_MAXLIMIT`. HTTP statuses: 404 for a missing object, 409 for one
//! that exists, 401 for login and session errors, 400 for the others.

/// The error code names and values the kit answers with.
pub const NSERR_NOENT: i64 = 258;
pub const NSERR_EXIST: i64 = 273;
pub const NSERR_INVAL: i64 = 278;
pub const NSERR_LOGINREQD: i64 = 352;
pub const NSERR_NOUSER: i64 = 354;
pub const NSERR_SESSION_EXPIRED: i64 = 444;
pub const NSERR_MAXLIMIT: i64 = 1072;
pub const NSERR_ARGSMUTEX: i64 = 1092;
pub const NSERR_ARGMISSING: i64 = 1095;
pub const NSERR_ARGVALBAD: i64 = 1097;
pub const NSERR_STRMAXLEN: i64 = 1106;
pub const NSERR_STRMINLEN: i64 = 1107;
pub const NSERR_INTMAXVAL: i64 = 1108;
pub const NSERR_INTMINVAL: i64 = 1109;
pub const NSERR_NITRO_INVALID_OBJECTNAME: i64 = 1232;
pub const NSERR_NITRO_INVALID_JSON_INPUT: i64 = 1233;
pub const NSERR_NITRO_INVALID_JSON_DATATYPE: i64 = 1234;
pub const NSERR_NITRO_INVALID_ACTION: i64 = 1240;
pub const NSERR_NITRO_BULK_FAILED: i64 = 1243;

/// Every code above with its name, for the test that holds them to the
/// generated error table.
pub const ALL: &[(&str, i64)] = &[
    ("NSERR_NOENT", NSERR_NOENT),
    ("NSERR_EXIST", NSERR_EXIST),
    ("NSERR_INVAL", NSERR_INVAL),
    ("NSERR_LOGINREQD", NSERR_LOGINREQD),
    ("NSERR_NOUSER", NSERR_NOUSER),
    ("NSERR_SESSION_EXPIRED", NSERR_SESSION_EXPIRED),
    ("NSERR_MAXLIMIT", NSERR_MAXLIMIT),
    ("NSERR_ARGSMUTEX", NSERR_ARGSMUTEX),
    ("NSERR_ARGMISSING", NSERR_ARGMISSING),
    ("NSERR_ARGVALBAD", NSERR_ARGVALBAD),
    ("NSERR_STRMAXLEN", NSERR_STRMAXLEN),
    ("NSERR_STRMINLEN", NSERR_STRMINLEN),
    ("NSERR_INTMAXVAL", NSERR_INTMAXVAL),
    ("NSERR_INTMINVAL", NSERR_INTMINVAL),
    ("NSERR_NITRO_INVALID_OBJECTNAME", NSERR_NITRO_INVALID_OBJECTNAME),
    ("NSERR_NITRO_INVALID_JSON_INPUT", NSERR_NITRO_INVALID_JSON_INPUT),
    ("NSERR_NITRO_INVALID_JSON_DATATYPE", NSERR_NITRO_INVALID_JSON_DATATYPE),
    ("NSERR_NITRO_INVALID_ACTION", NSERR_NITRO_INVALID_ACTION),
    ("NSERR_NITRO_BULK_FAILED", NSERR_NITRO_BULK_FAILED),
];

/// A refusal: HTTP status, errorcode and message (the NITRO envelope).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Refusal {
    pub(crate) status: u16,
    pub(crate) errorcode: i64,
    pub(crate) message: String,
}

pub(crate) fn refuse(status: u16, errorcode: i64, message: impl Into<String>) -> Refusal {
    Refusal { status, errorcode, message: message.into() }
}

pub(crate) fn not_found(what: &str) -> Refusal {
    refuse(404, NSERR_NOENT, format!("No such resource [{what}]"))
}

pub(crate) fn exists(what: &str) -> Refusal {
    refuse(409, NSERR_EXIST, format!("Resource already exists [{what}]"))
}

pub(crate) fn invalid_argument(name: &str) -> Refusal {
    refuse(400, NSERR_INVAL, format!("Invalid argument [{name}]"))
}

pub(crate) fn missing_argument(name: &str) -> Refusal {
    refuse(400, NSERR_ARGMISSING, format!("Required argument missing [{name}]"))
}

pub(crate) fn both_specified(first: &str, second: &str) -> Refusal {
    refuse(400, NSERR_ARGSMUTEX, format!("Arguments cannot both be specified [{first}, {second}]"))
}

pub(crate) fn bad_value(name: &str, why: &str) -> Refusal {
    refuse(400, NSERR_ARGVALBAD, format!("Invalid argument value [{name}, {why}]"))
}

pub(crate) fn too_long(name: &str, max: i64) -> Refusal {
    refuse(400, NSERR_STRMAXLEN, format!("Value too long [{name}, at most {max} characters]"))
}

pub(crate) fn too_short(name: &str, min: i64) -> Refusal {
    refuse(400, NSERR_STRMINLEN, format!("Value too short [{name}, at least {min} characters]"))
}

pub(crate) fn above_maximum(name: &str, max: i64) -> Refusal {
    refuse(400, NSERR_INTMAXVAL, format!("Value above maximum [{name}, at most {max}]"))
}

pub(crate) fn below_minimum(name: &str, min: i64) -> Refusal {
    refuse(400, NSERR_INTMINVAL, format!("Value below minimum [{name}, at least {min}]"))
}

pub(crate) fn invalid_object(name: &str) -> Refusal {
    refuse(400, NSERR_NITRO_INVALID_OBJECTNAME, format!("Invalid object name [{name}]"))
}

pub(crate) fn invalid_action(what: &str) -> Refusal {
    refuse(400, NSERR_NITRO_INVALID_ACTION, format!("Invalid action [{what}]"))
}

pub(crate) fn invalid_json(why: &str) -> Refusal {
    refuse(400, NSERR_NITRO_INVALID_JSON_INPUT, format!("Invalid JSON input [{why}]"))
}
