//! IR for HTTP APIs described by OpenAPI: named schemas, endpoints and
//! security schemes. NITRO resources use [`super::Resource`] instead; both
//! live in one [`super::Api`].

use super::{is_false, Method, Origin};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A reference to a type, as used by fields, parameters and bodies.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeRef {
    String {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        format: Option<String>,
    },
    Integer {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        format: Option<String>,
    },
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        format: Option<String>,
    },
    Boolean,
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary keys and values of one type.
    Map(Box<TypeRef>),
    /// A schema in [`super::Api::schemas`].
    Named(String),
    /// Any JSON value (also the degraded form of unsupported constructs).
    Any,
    /// Raw bytes (non-JSON media types).
    Bytes,
}

/// A named schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    pub name: String,
    pub shape: SchemaShape,
    /// The value may be JSON `null` (OpenAPI `nullable: true`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// Marked `x-inferred: true` in the source.
    #[serde(default, skip_serializing_if = "is_false")]
    pub inferred: bool,
    pub origin: Origin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemaShape {
    Object {
        /// Fields keyed by wire name.
        fields: BTreeMap<String, Field>,
        /// `additionalProperties` value type, when the document allows
        /// typed extra keys. Unknown keys are always kept at runtime.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        additional: Option<TypeRef>,
    },
    /// A closed list of literal values in the source; generated as an open
    /// enum (unknown values are kept).
    Enum { values: Vec<EnumLiteral> },
    /// `oneOf` / `anyOf`.
    Union {
        variants: Vec<TypeRef>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        discriminator: Option<Discriminator>,
        /// `anyOf` rather than `oneOf`.
        #[serde(default, skip_serializing_if = "is_false")]
        any_of: bool,
    },
    /// A name for another type (array, map, primitive).
    Alias(TypeRef),
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumLiteral {
    String(String),
    Integer(i64),
    Null,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discriminator {
    pub property: String,
    /// Discriminator value -> schema name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mapping: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub type_ref: TypeRef,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub inferred: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    pub location: ParamLocation,
    #[serde(rename = "type")]
    pub type_ref: TypeRef,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A request or response body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Body {
    /// Media type as written (`application/json`, `application/octet-stream`).
    pub media_type: String,
    /// Body type; [`TypeRef::Bytes`] for media types we do not type.
    #[serde(rename = "type")]
    pub type_ref: TypeRef,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
}

/// The status a response applies to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusSpec {
    Code(u16),
    /// `2XX`, `4XX`, ...: the leading digit.
    Range(u8),
    Default,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub status: StatusSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// Response headers the document names (e.g. `Set-Cookie`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    /// `operationId`, or a name derived from method and path.
    pub operation_id: String,
    pub method: Method,
    /// Path template below the server base, e.g. `/applications/{application-name}`.
    pub path: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Body>,
    /// Responses in status order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<Response>,
    /// Security scheme names that apply (empty: none, e.g. login).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub inferred: bool,
    pub origin: Origin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SecurityScheme {
    HttpBasic,
    HttpBearer,
    ApiKey { location: ParamLocation, name: String },
    /// A scheme the generated client has no helper for (`oauth2`,
    /// `openIdConnect`, `http` with another scheme), kept by its kind.
    Unsupported { scheme_type: String },
}
