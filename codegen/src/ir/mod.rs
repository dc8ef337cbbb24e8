//! The intermediate representation: plain data, shared by every frontend
//! (NITRO Markdown pages, appliance bundles, derived facts, OpenAPI), the
//! backend and the diff engine.
//!
//! Invariants:
//! - Identity is the vendor's wire name. Maps are `BTreeMap`s keyed by that
//!   name, so one release compares with another as two sorted maps and every
//!   serialisation is deterministic.
//! - No Rust spellings live here: identifiers are computed by the backend.
//! - No prose from vendor pages unless the user opted in (`description`
//!   fields stay `None` in committed snapshots).
//! - This module imports nothing else of ours.

mod http;
pub mod secret;
pub mod snapshot;
mod vocabulary;

pub use http::*;
pub use snapshot::{parse_snapshot, snapshot_json};
pub use vocabulary::{normalise_name, Item};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One release of one product's API, as read by a frontend.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Api {
    pub product: Product,
    /// Release label as the source names it, e.g. `12.0-FR4`, `14.1-60.54`.
    pub release: String,
    /// Where the facts came from and how trustworthy they are.
    pub source: Source,
    /// URL prefix of every operation, e.g. `/nitro/v1`, `/nitro/v2`,
    /// `/mgmt/api/nextgen/v1`.
    pub base_path: String,
    /// NITRO resources keyed by [`Resource::id`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resources: BTreeMap<String, Resource>,
    /// Named data types of HTTP APIs described by OpenAPI (and ADM object
    /// types that have no page of their own), keyed by schema name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub schemas: BTreeMap<String, Schema>,
    /// Operations of HTTP APIs described by OpenAPI, keyed by
    /// `"<METHOD> <path>"` (e.g. `"POST /applications"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub endpoints: BTreeMap<String, Endpoint>,
    /// Security schemes of an OpenAPI document, keyed by scheme name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    /// The product's error-code table, keyed by error name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, ErrorCode>,
}

impl Api {
    /// The config resource binding resource `binding` binds to: the
    /// longest prefix of its name, cut at `_`, that names a config
    /// resource (`servicegroup` for `servicegroup_servicegroupmember_binding`,
    /// not `service`); none for global bindings (`lbglobal_...`, where no
    /// `lbglobal` resource exists).
    pub fn binding_parent(&self, binding: &str) -> Option<&Resource> {
        binding
            .match_indices('_')
            .map(|(at, _)| &binding[..at])
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .find_map(|prefix| self.resources.get(prefix).filter(|resource| resource.kind == ResourceKind::Config))
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Product {
    /// NetScaler ADC, NITRO v1.
    #[default]
    Adc,
    /// NetScaler ADM / MAS / Console, NITRO v1 and v2.
    Adm,
    /// The Next-Gen API (`/mgmt/api/nextgen/v1`).
    Nextgen,
    /// Any other OpenAPI document (`cargo xtask openapi`).
    Openapi,
}

impl Product {
    pub fn as_str(self) -> &'static str {
        match self {
            Product::Adc => "adc",
            Product::Adm => "adm",
            Product::Nextgen => "nextgen",
            Product::Openapi => "openapi",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub format: SourceFormat,
    /// True when the facts were assembled from secondary sources rather than
    /// read from the vendor's reference for this release.
    #[serde(default, skip_serializing_if = "is_false")]
    pub derived: bool,
    /// Release this snapshot was overlaid on, for derived snapshots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlay_on: Option<String>,
    /// Named secondary sources (id -> where it came from), for derived data.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub provenance: BTreeMap<String, String>,
    /// Number of input pages/files the frontend read.
    #[serde(default)]
    pub pages: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// The Markdown-with-HTML-tables reference pages.
    #[default]
    NitroMarkdown,
    /// The XHTML bundle an appliance serves (`nitro-rest.tgz`).
    ApplianceBundle,
    /// Facts-only JSON derived from public machine-readable sources.
    DerivedFacts,
    /// An OpenAPI 3.0 document.
    Openapi,
}

/// Where a fact was read: a path relative to the input root, and a
/// 1-based table row (or a JSON pointer for OpenAPI input).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Origin {
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    #[default]
    Config,
    Binding,
    Stat,
}

impl ResourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Config => "config",
            ResourceKind::Binding => "binding",
            ResourceKind::Stat => "stat",
        }
    }
}

/// One NITRO resource (one reference page).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Wire name as used in URLs and payload keys: `lbvserver`,
    /// `lbvserver_service_binding`, `Interface`.
    pub name: String,
    pub kind: ResourceKind,
    /// Short NITRO group: `lb`, `ssl`, `ns`, ... (ADM: its category folder).
    pub group: String,
    /// Properties whose values form the URL path segment of get/update/
    /// delete by name, primary first; empty for singletons and global
    /// bindings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    /// Properties keyed by wire name (case-sensitive: `I` and `i` differ).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, Property>,
    /// Operations keyed by [`Operation::name`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operations: BTreeMap<String, Operation>,
    /// The page had no properties table (a stub): absence of properties is
    /// a documentation artefact, not an API fact.
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_table: bool,
    pub origin: Origin,
    /// First release that has this resource (filled across releases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Secondary source of this resource, for derived snapshots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
    /// Vendor prose; only filled when the user opted in to descriptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Resource {
    /// Identity within an [`Api`]: the wire name for config and binding
    /// resources, `stat/<name>` for statistics resources (which mostly share
    /// their name with a config resource).
    pub fn id(&self) -> String {
        resource_id(self.kind, &self.name)
    }
}

pub fn resource_id(kind: ResourceKind, name: &str) -> String {
    match kind {
        ResourceKind::Stat => format!("stat/{name}"),
        _ => name.to_string(),
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DataType {
    #[default]
    String,
    Double,
    Integer,
    Boolean,
    #[serde(rename = "String[]")]
    StringList,
    #[serde(rename = "Double[]")]
    DoubleList,
    #[serde(rename = "Integer[]")]
    IntegerList,
    /// `<x_y_binding[]>`: the aggregate binding page's array of the named
    /// binding resource.
    BindingList(String),
    /// A named object type (ADM), not necessarily defined on its own page.
    Object(String),
    /// Array of a named object type (ADM).
    ObjectList(String),
    /// No trustworthy type is known (derived facts); decoded leniently.
    Unknown,
}

impl DataType {
    /// The type as the reference spells it, without angle brackets.
    pub fn reference_spelling(&self) -> String {
        match self {
            DataType::String => "String".into(),
            DataType::Double => "Double".into(),
            DataType::Integer => "Integer".into(),
            DataType::Boolean => "Boolean".into(),
            DataType::StringList => "String[]".into(),
            DataType::DoubleList => "Double[]".into(),
            DataType::IntegerList => "Integer[]".into(),
            DataType::BindingList(name) | DataType::ObjectList(name) => format!("{name}[]"),
            DataType::Object(name) => name.clone(),
            DataType::Unknown => "unknown".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Access {
    #[default]
    #[serde(rename = "rw")]
    ReadWrite,
    #[serde(rename = "ro")]
    ReadOnly,
    /// Not known (derived facts with no evidence).
    #[serde(rename = "unknown")]
    Unknown,
}

/// One property (one row of a properties table).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Property {
    /// Wire name, case-sensitive (`Interface`, `I`, `__count`).
    pub name: String,
    #[serde(rename = "type")]
    pub data_type: DataType,
    pub access: Access,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<i64>,
    /// Default value as text, one pair of enclosing quotes removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Possible values in the reference's order.
    #[serde(default, rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<String>,
    /// Mandatory in the add payload: `Some` only where the source marks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandatory: Option<bool>,
    /// Row of the properties table (1-based) in the resource's page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    /// First release with this property (filled across releases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// First release of each enum value that is newer than the property
    /// (filled across releases).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enum_since: BTreeMap<String, String>,
    /// Secondary source id of the name fact, for derived snapshots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
    /// Vendor prose; only filled when the user opted in to descriptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Holds a secret (a password, passphrase, shared key or token):
    /// set by [`secret::mark`] from the name and type, never printed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub secret: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    #[default]
    Get,
    Post,
    Put,
    Delete,
    Patch,
    Head,
    Options,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }
}

/// One NITRO operation of a resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// `add`, `update`, `unset`, `delete`, `get`, `get_all`, `count`, or
    /// `action:<verb>` for `?action=<verb>` operations in the reference's
    /// spelling (`action:enable`, `action:Import`).
    pub name: String,
    pub method: Method,
    /// True when the page does not give the method (ADM writes `null`) and
    /// the frontend inferred it from the operation name.
    #[serde(default, skip_serializing_if = "is_false")]
    pub method_inferred: bool,
    /// Path below [`Api::base_path`]: `/config/lbvserver`,
    /// `/config/lbvserver/{name}`, `/stat/lbvserver`, `/upload/x`.
    pub path: String,
    /// Value of `?action=` for action operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Query options the page documents: `args`, `attrs`, `filter`, `view`,
    /// `pagination`, `count`, `bulkbindings`, `onerror`, `warning`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<String>,
    /// `?args=` keys in page order (delete and get arguments).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<PayloadKey>,
    /// Keys of the request payload object in page order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payload: Vec<PayloadKey>,
}

/// Arguments of which an operation takes one, never both: the appliance
/// answers 1092 when both are sent. A service group member is named by
/// server name or by IP address; a vserver binding by service or by
/// service group. Listed in order of preference (a name identifies the
/// object; an IP address may be shared).
pub const ALTERNATIVE_ARGS: &[&[&str]] = &[&["servername", "ip"], &["servicename", "servicegroupname"]];

#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PayloadKey {
    pub name: String,
    /// Marked mandatory (bold/red) in the source.
    #[serde(default, skip_serializing_if = "is_false")]
    pub mandatory: bool,
}

/// One row of a product's error listing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCode {
    /// Symbolic name, e.g. `NSERR_NOENT`.
    pub name: String,
    /// Decimal code; `None` for warning rows the reference gives no code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// Section of the listing (`lb`, `ssl`, `0x300`, ...).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub section: String,
    /// Vendor message; only filled when the user opted in to descriptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

pub(crate) fn is_false(value: &bool) -> bool {
    !*value
}

/// Sort key for release labels: the numbers in the label, in order
/// (`10.5` < `11.0` < `12.0` < `12.0-FR4` < `12.1` < `14.1-60.54`).
pub fn release_key(release: &str) -> Vec<u64> {
    release
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().unwrap_or(u64::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::release_key;

    #[test]
    fn releases_sort_in_firmware_order() {
        let mut releases = vec!["12.1", "10.5", "12.0-FR4", "14.1", "11.0", "12.0", "13.1", "11.1"];
        releases.sort_by_key(|r| release_key(r));
        assert_eq!(releases, ["10.5", "11.0", "11.1", "12.0", "12.0-FR4", "12.1", "13.1", "14.1"]);
    }
}
