//! Answers: the NITRO response envelope
//! (`{"errorcode":0,"message":"Done","severity":"NONE","<name>":[...]}`)
//! decoded into what a request expects ([`FromNitro`]).
//!
//! The resource value may be an array or a single object, its key may
//! differ in case from the resource name (`Interface`), and an empty answer
//! holds only the envelope. Decoding streams the resource value straight
//! into the models (through [`ModelListSlot`], so it is not generic in the
//! model type); the models of one list may take at most 16 times the
//! body's size, or [`Answer::with_max_decoded_bytes`] when that is more.
//!
//! Success and failure: a 2xx answer whose `errorcode` is not 0 is an
//! error when its severity is `ERROR`, and also when old firmware left
//! the severity out, unless the answer says it is a warning (HTTP 209,
//! the `X-NITRO-WARNING` header, or a message starting with "Warning").
//! Warnings arrive in the `X-NITRO-WARNING` header with HTTP 209; the
//! [`Outcome`] then has severity `WARNING` and the header's text.

use crate::runtime::error::{Error, Result};
use crate::runtime::model::{with_list_budget, ModelListSlot, NestedListVisitor};
use crate::runtime::number::Number;
use crate::runtime::resource::{ItemOutcome, Outcome, Resource};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use std::fmt;

/// How many bytes of models a list answer may decode into per byte of
/// body, whatever [`Answer::with_max_decoded_bytes`] says.
pub const DECODED_BYTES_PER_BODY_BYTE: u64 = 16;

/// An HTTP answer as received: what [`FromNitro`] decodes.
#[derive(Clone, Debug)]
pub struct Answer {
    status: u16,
    body: Vec<u8>,
    resource: &'static str,
    /// The `X-NITRO-WARNING` header.
    warning: Option<String>,
    max_decoded_bytes: u64,
}

impl Answer {
    pub fn new(status: u16, body: Vec<u8>, resource: &'static str) -> Answer {
        Answer {
            status,
            body,
            resource,
            warning: None,
            max_decoded_bytes: crate::runtime::client::DEFAULT_MAX_DECODED_BYTES,
        }
    }
    /// The text of the answer's `X-NITRO-WARNING` header, if any.
    pub fn with_warning(mut self, warning: Option<String>) -> Answer {
        self.warning = warning;
        self
    }
    /// The memory the models of a list answer may take (items times the
    /// model's size) when that is more than 16 times the body's size.
    pub fn with_max_decoded_bytes(mut self, bytes: u64) -> Answer {
        self.max_decoded_bytes = bytes;
        self
    }
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }
    pub fn status(&self) -> u16 {
        self.status
    }
    pub fn body(&self) -> &[u8] {
        &self.body
    }
    pub fn resource(&self) -> &'static str {
        self.resource
    }

    /// Decodes the envelope, filling `want`; a 2xx answer with a non-zero
    /// errorcode becomes [`Error::Api`] unless it is a warning (except
    /// 207, whose items say more).
    fn envelope(&self, want: Want<'_>) -> Result<Envelope> {
        let decoded = if matches!(want, Want::List(_)) {
            let budget = (self.body.len() as u64).saturating_mul(DECODED_BYTES_PER_BODY_BYTE).max(self.max_decoded_bytes);
            let (decoded, exceeded) =
                with_list_budget(usize::try_from(budget).unwrap_or(usize::MAX), || decode_envelope(&self.body, self.resource, want));
            if exceeded {
                return Err(Error::DecodeTooLarge {
                    resource: self.resource.to_string(),
                    limit: budget,
                    body_bytes: self.body.len() as u64,
                });
            }
            decoded
        } else {
            decode_envelope(&self.body, self.resource, want)
        };
        let envelope = decoded.map_err(|error| Error::Decode {
            resource: self.resource.to_string(),
            status: self.status,
            message: error.to_string(),
        })?;
        if envelope.errorcode != 0 && !self.is_warning(&envelope) && self.status != 207 {
            return Err(Error::Api {
                status: self.status,
                errorcode: envelope.errorcode,
                message: envelope.message,
                severity: envelope.severity,
            });
        }
        Ok(envelope)
    }

    /// The resource's value in the answer (`None` when it carries none),
    /// once the envelope passed the error rules of [`Answer::envelope`].
    pub(crate) fn payload(&self) -> Result<Option<Value>> {
        Ok(self.envelope(Want::Payload)?.payload)
    }

    /// The answer says it is a warning: severity `WARNING`, HTTP 209, the
    /// warning header, or (old firmware, no severity) a message that starts
    /// with "Warning". Severity `ERROR` never is.
    fn is_warning(&self, envelope: &Envelope) -> bool {
        let severity = envelope.severity.trim();
        if severity.eq_ignore_ascii_case("WARNING") {
            return true;
        }
        if !severity.is_empty() && !severity.eq_ignore_ascii_case("NONE") {
            return false;
        }
        self.status == 209
            || self.warning.is_some()
            || envelope.message.trim_start().get(..7).is_some_and(|start| start.eq_ignore_ascii_case("warning"))
    }
}

/// What a request's answer decodes into: [`Outcome`] for writes, `Vec<R>`
/// for gets, `u64` for counts, `serde_json::Value` for the raw answer.
pub trait FromNitro: Sized {
    fn from_nitro(answer: &Answer) -> Result<Self>;
}

impl FromNitro for Outcome {
    fn from_nitro(answer: &Answer) -> Result<Self> {
        let mut envelope = answer.envelope(Want::Payload)?;
        let no_severity = envelope.severity.trim().is_empty() || envelope.severity.eq_ignore_ascii_case("NONE");
        if no_severity && (answer.warning.is_some() || (envelope.errorcode != 0 && answer.status != 207)) {
            // Not an error (checked above), so a warning: say so.
            envelope.severity = "WARNING".into();
        }
        if let Some(warning) = answer.warning.as_deref().map(str::trim).filter(|warning| !warning.is_empty()) {
            let message = envelope.message.trim();
            envelope.message = if message.is_empty() || message.eq_ignore_ascii_case("done") {
                warning.to_string()
            } else {
                format!("{message}; {warning}")
            };
        }
        Ok(Outcome {
            status: answer.status,
            errorcode: envelope.errorcode,
            message: envelope.message,
            severity: envelope.severity,
            items: envelope.items,
            payload: envelope.payload,
        })
    }
}

impl<R: Resource> FromNitro for Vec<R> {
    fn from_nitro(answer: &Answer) -> Result<Self> {
        let mut list: Option<Vec<R>> = None;
        answer.envelope(Want::List(&mut list))?;
        Ok(list.unwrap_or_default())
    }
}

impl FromNitro for u64 {
    fn from_nitro(answer: &Answer) -> Result<Self> {
        let envelope = answer.envelope(Want::Count)?;
        Ok(envelope.count.unwrap_or(0))
    }
}

impl FromNitro for Value {
    fn from_nitro(answer: &Answer) -> Result<Self> {
        answer.envelope(Want::Nothing)?;
        if answer.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&answer.body).map_err(|error| Error::Decode {
            resource: answer.resource.to_string(),
            status: answer.status,
            message: error.to_string(),
        })
    }
}

/// The envelope fields of an answer.
#[derive(Debug, Default)]
pub(crate) struct Envelope {
    pub(crate) errorcode: i64,
    pub(crate) message: String,
    pub(crate) severity: String,
    /// Per-item results of a bulk request (`"response": [...]`).
    pub(crate) items: Vec<ItemOutcome>,
    /// `__count` of a `count=yes` answer.
    pub(crate) count: Option<u64>,
    /// The resource's value, when asked for ([`Want::Payload`]).
    pub(crate) payload: Option<Value>,
}

/// What to do with the resource value of the answer.
pub(crate) enum Want<'a> {
    Nothing,
    List(&'a mut dyn ModelListSlot),
    Count,
    /// The resource's value, kept as JSON (action answers).
    Payload,
}

/// Decodes an envelope; an empty body is an empty envelope.
pub(crate) fn decode_envelope(body: &[u8], resource: &str, want: Want<'_>) -> serde_json::Result<Envelope> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Envelope::default());
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let envelope = deserializer.deserialize_map(EnvelopeVisitor { resource, want })?;
    deserializer.end()?;
    Ok(envelope)
}

struct EnvelopeVisitor<'r, 'w> {
    resource: &'r str,
    want: Want<'w>,
}

enum EnvelopeKey {
    ErrorCode,
    Message,
    Severity,
    Response,
    Resource,
    Other,
}

struct EnvelopeKeySeed<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for EnvelopeKeySeed<'_> {
    type Value = EnvelopeKey;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<EnvelopeKey, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeKeySeed<'_> {
    type Value = EnvelopeKey;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> std::result::Result<EnvelopeKey, E> {
        Ok(if key == self.0 {
            EnvelopeKey::Resource
        } else {
            match key {
                "errorcode" => EnvelopeKey::ErrorCode,
                "message" => EnvelopeKey::Message,
                "severity" => EnvelopeKey::Severity,
                "response" => EnvelopeKey::Response,
                // The appliance may spell the key in another case than the
                // reference does (`Interface` / `interface`).
                _ if key.eq_ignore_ascii_case(self.0) => EnvelopeKey::Resource,
                _ => EnvelopeKey::Other,
            }
        })
    }
}

impl<'de> Visitor<'de> for EnvelopeVisitor<'_, '_> {
    type Value = Envelope;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a NITRO answer object")
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> std::result::Result<Envelope, A::Error> {
        let mut envelope = Envelope::default();
        while let Some(key) = map.next_key_seed(EnvelopeKeySeed(self.resource))? {
            match key {
                EnvelopeKey::ErrorCode => envelope.errorcode = int_of(&map.next_value::<Value>()?),
                EnvelopeKey::Message => envelope.message = text_of(map.next_value::<Value>()?),
                EnvelopeKey::Severity => envelope.severity = text_of(map.next_value::<Value>()?),
                EnvelopeKey::Response => envelope.items = items_of(map.next_value::<Value>()?),
                EnvelopeKey::Resource => match &mut self.want {
                    Want::List(slot) => {
                        if let Some(raw) = map.next_value_seed(NestedListVisitor(&mut **slot))? {
                            return Err(de::Error::custom(format_args!(
                                "the {} value is not an object or a list of objects: {}",
                                self.resource,
                                shorten(&raw.to_string())
                            )));
                        }
                    }
                    Want::Count => envelope.count = count_of(&map.next_value::<Value>()?),
                    Want::Payload => envelope.payload = Some(map.next_value::<Value>()?),
                    Want::Nothing => {
                        map.next_value::<IgnoredAny>()?;
                    }
                },
                EnvelopeKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(envelope)
    }
}

fn int_of(value: &Value) -> i64 {
    match value {
        Value::Number(number) => number.as_i64().unwrap_or(0),
        Value::String(text) => text.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

fn text_of(value: Value) -> String {
    match value {
        Value::String(text) => text,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn items_of(value: Value) -> Vec<ItemOutcome> {
    let items = match value {
        Value::Array(items) => items,
        Value::Object(_) => vec![value],
        _ => Vec::new(),
    };
    items
        .into_iter()
        .map(|item| ItemOutcome {
            errorcode: item.get("errorcode").map(int_of).unwrap_or(0),
            message: item.get("message").cloned().map(text_of).unwrap_or_default(),
            severity: item.get("severity").cloned().map(text_of).unwrap_or_default(),
        })
        .collect()
}

/// `[{"__count": "3"}]`, `{"__count": 3}` or a bare number.
fn count_of(value: &Value) -> Option<u64> {
    let value = match value {
        Value::Array(items) => items.first()?,
        other => other,
    };
    let count = match value {
        Value::Object(map) => map.get("__count")?,
        other => other,
    };
    match count {
        Value::Number(number) => Number::parse(&number.to_string())?.as_u64(),
        Value::String(text) => Number::parse(text)?.as_u64(),
        _ => None,
    }
}

/// At most 200 characters of an answer, for error messages.
pub(crate) fn shorten(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    }
}

/// The NITRO error of a 4xx/5xx answer; a body that is not a NITRO
/// envelope becomes the message.
pub(crate) fn api_error(status: u16, body: &[u8]) -> Error {
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
        return Error::Api {
            status,
            errorcode: map.get("errorcode").map(int_of).unwrap_or(0),
            message: map.get("message").cloned().map(text_of).unwrap_or_default(),
            severity: map.get("severity").cloned().map(text_of).unwrap_or_default(),
        };
    }
    let text = String::from_utf8_lossy(body);
    Error::Api { status, errorcode: 0, message: shorten(&readable_text(&text)), severity: String::new() }
}

/// The text of a body that is not NITRO JSON, for a message: an HTML page
/// (a proxy's error page) becomes its `<title>` or its text without tags;
/// runs of white space become one space.
fn readable_text(body: &str) -> String {
    let lower = body.to_ascii_lowercase();
    let looks_html = lower.trim_start().starts_with('<');
    if !looks_html {
        return body.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    if let (Some(start), Some(end)) = (lower.find("<title>"), lower.find("</title>")) {
        if start + 7 <= end {
            let title = body[start + 7..end].split_whitespace().collect::<Vec<_>>().join(" ");
            if !title.is_empty() {
                return title;
            }
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for character in body.chars() {
        match character {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(character),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Answer {
    /// Decodes a stored answer (its HTTP status and body, kept from a log
    /// or another tool) the way [`crate::Client::send`] decodes one it
    /// received: a status outside 2xx is the typed [`Error::Api`] read from
    /// the body, a 2xx body whose severity is `ERROR` too; otherwise the
    /// body becomes `T` (`Vec<Model>`, [`Outcome`], `u64` for counts,
    /// `serde_json::Value`, [`LoginAnswer`]).
    ///
    /// ```
    /// use netscaler::runtime::{Answer, Outcome};
    /// let body = br#"{"errorcode":273,"message":"Resource already exists","severity":"ERROR"}"#;
    /// let error = Answer::new(409, body.to_vec(), "lbvserver").decode::<Outcome>().unwrap_err();
    /// assert!(error.is_already_exists());
    /// ```
    pub fn decode<T: FromNitro>(&self) -> Result<T> {
        if !(200..300).contains(&self.status) {
            return Err(api_error(self.status, &self.body));
        }
        T::from_nitro(self)
    }
}

/// [`Answer::decode`] of a status and body: `resource` is the wire name of
/// the resource the answer is about (`Lbvserver::NAME`, `"lbvserver"`),
/// whose key holds the objects.
pub fn decode<T: FromNitro>(status: u16, body: Vec<u8>, resource: &'static str) -> Result<T> {
    Answer::new(status, body, resource).decode()
}

/// The answer to a login (`POST /nitro/v1/config/login`, or
/// `/nitro/v2/config/login` on ADM): the envelope and the session id,
/// which `Debug` does not show. The id is read from the body's top-level
/// `sessionid` (ADC) or from `login[0].sessionid` (ADM); an answer
/// without one is [`Error::Decode`] (some firmware sends it only in the
/// `Set-Cookie` header, which a stored body does not keep).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct LoginAnswer {
    pub status: u16,
    pub errorcode: i64,
    pub message: String,
    pub severity: String,
    pub sessionid: crate::runtime::secret::Secret,
}

impl FromNitro for LoginAnswer {
    fn from_nitro(answer: &Answer) -> Result<Self> {
        let envelope = answer.envelope(Want::Nothing)?;
        let value: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
        let in_login = value.get("login").and_then(|login| match login {
            Value::Array(items) => items.first().and_then(|item| item.get("sessionid")),
            other => other.get("sessionid"),
        });
        let sessionid = match value.get("sessionid").or(in_login) {
            Some(Value::String(id)) if !id.is_empty() => crate::runtime::secret::Secret::new(id.as_str()),
            _ => {
                return Err(Error::Decode {
                    resource: answer.resource.to_string(),
                    status: answer.status,
                    message: "the login answer holds no sessionid".into(),
                })
            }
        };
        Ok(LoginAnswer {
            status: answer.status,
            errorcode: envelope.errorcode,
            message: envelope.message,
            severity: envelope.severity,
            sessionid,
        })
    }
}
