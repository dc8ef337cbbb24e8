//! Derived NITRO facts (`../shared/nitro-facts/adc-<release>.json`,
//! `errors-<release>.json`) -> IR, as an overlay on the newest documented
//! release.
//!
//! The facts files are assembled from secondary sources (client libraries,
//! generated toolkits) for releases whose reference we do not hold (13.1,
//! 14.1). They are trusted for what they state and silent otherwise, so:
//! - a resource, property or enum value in the facts is added, and a type,
//!   permission or constraint the facts state replaces the base's; enum
//!   values only the base lists are kept after the facts' values (an
//!   appliance may still send them);
//! - absence in the facts means "not confirmed", never "removed": the base
//!   item is kept with `provenance` set to
//!   `nitro-docs-<base> (not confirmed for <release>)`;
//! - `type: "unknown"` becomes [`DataType::Unknown`] (decoded leniently by the
//!   generated code) unless the base knows the type;
//! - every confirmed resource and property records the source id it came
//!   from (`provenance`), and `Api.source.provenance` maps each id to its
//!   repository, path, commit and licence.
//!
//! Operations: an operation the base documents keeps the base's method, path,
//! payload and query options. An operation only the facts list is
//! **inferred** (`method_inferred: true`) from the conventions the
//! documented releases follow (no page states it for this release):
//!
//! | facts name      | method | path (below `/nitro/v1`)   | action / query options              |
//! |-----------------|--------|----------------------------|-------------------------------------|
//! | `add`           | POST (bindings: PUT) | `/config/<res>` |                                |
//! | `update`        | PUT    | `/config/<res>`            |                                     |
//! | `unset`         | POST   | `/config/<res>`            | action `unset`                      |
//! | `delete`        | DELETE | `/config/<res>/{<key0>}`   | `args` when the key is composite    |
//! | `get`           | GET    | `/config/<res>/{<key0>}`   | config `attrs`, `view`; binding `filter`, `pagination` |
//! | `get_all`       | GET    | `/config/<res>`            | config `attrs`, `filter`, `view`, `pagination`; binding `bulkbindings` |
//! | `count`         | GET    | `/config/<res>` (bindings: by key) | `count`                     |
//! | `action:<verb>` | POST   | `/config/<res>`            | action `<verb>`                     |
//!
//! These are the patterns most 12.1 pages document for each operation and
//! kind (e.g. all 357 binding adds are PUT, 307 of 500 config `get (all)`
//! list exactly those four options); resource-specific `?args=` of get
//! operations are not inferable and are left out.
//!
//! Statistics resources use `/stat/<res>`. Keys after the first are sent as
//! `?args=` of get and delete (composite keys). The `change` verb of the
//! application-firewall import resources (those that also have `Import`) is
//! sent as `action=update`, as their documented pages do.
//!
//! Error listings (`errors-<release>.json`): names and codes only, read by
//! [`read_facts_errors`] and merged by [`overlay_errors`]; base errors the
//! facts lack are kept. Without an error listing (13.1) the snapshot keeps
//! the base's error table.

use crate::diagnostics::{Diagnostic, Lowered};
use crate::ir::{
    Access, Api, DataType, ErrorCode, Method, Operation, Origin, PayloadKey, Product,
    Property, Resource, ResourceKind, Source, SourceFormat,
};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Reads a derived-facts file; with `base`, overlays it on that snapshot
/// (see the module docs). The result's release is the facts' release.
/// The file may hold at most the default input limit
/// ([`read_facts_within`] takes another).
pub fn read_facts(path: &Path, base: Option<&Api>) -> Lowered {
    read_facts_within(path, base, crate::frontend::limits::DEFAULT_MAX_INPUT_BYTES)
}

/// [`read_facts`] with the largest file it reads (`--max-input-bytes`).
pub fn read_facts_within(path: &Path, base: Option<&Api>, max_input_bytes: u64) -> Lowered {
    let file = file_label(path);
    let mut diagnostics = Vec::new();
    let facts = match load::<FactsFile>(path, max_input_bytes) {
        Ok(facts) => facts,
        Err(message) => {
            diagnostics.push(Diagnostic::error(Origin { file, ..Origin::default() }, message));
            return Lowered { api: Api::default(), diagnostics };
        }
    };
    // A reader bug costs the file (an error naming it), not the run.
    let lowered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lower(&facts, &file, base, &mut diagnostics)));
    match lowered {
        Ok(api) => Lowered { api, diagnostics },
        Err(_) => {
            diagnostics.push(Diagnostic::error(Origin { file, ..Origin::default() }, "facts reader failed (a bug: please report it with this file)"));
            Lowered { api: Api::default(), diagnostics }
        }
    }
}

/// Reads a derived error listing (`errors-<release>.json`) into an error
/// table keyed by name. Messages are never present in these files.
pub fn read_facts_errors(path: &Path) -> (BTreeMap<String, ErrorCode>, Vec<Diagnostic>) {
    read_facts_errors_within(path, crate::frontend::limits::DEFAULT_MAX_INPUT_BYTES)
}

/// [`read_facts_errors`] with the largest file it reads (`--max-input-bytes`).
pub fn read_facts_errors_within(path: &Path, max_input_bytes: u64) -> (BTreeMap<String, ErrorCode>, Vec<Diagnostic>) {
    let file = file_label(path);
    let mut diagnostics = Vec::new();
    let mut errors = BTreeMap::new();
    let listing = match load::<ErrorsFile>(path, max_input_bytes) {
        Ok(listing) => listing,
        Err(message) => {
            diagnostics.push(Diagnostic::error(Origin { file, ..Origin::default() }, message));
            return (errors, diagnostics);
        }
    };
    for (index, row) in listing.errors.into_iter().enumerate() {
        let origin = Origin { file: file.clone(), pointer: Some(format!("/errors/{index}")), ..Origin::default() };
        let name = row.name.trim().to_string();
        if name.is_empty() {
            diagnostics.push(Diagnostic::warning(origin, "error row without a name"));
            continue;
        }
        if let Some(previous) = errors.get(&name).map(|e: &ErrorCode| e.code) {
            if previous != row.code {
                diagnostics.push(Diagnostic::warning(origin, format!("error {name} listed twice with different codes; the first is kept")));
            }
            continue;
        }
        errors.insert(name.clone(), ErrorCode { name, code: row.code, section: row.section.unwrap_or_default(), message: None });
    }
    (errors, diagnostics)
}

/// Merges an error table into `api.errors`: the new table's rows win, rows
/// only in the existing table are kept (absence is not removal).
pub fn overlay_errors(api: &mut Api, errors: BTreeMap<String, ErrorCode>) {
    for (name, error) in errors {
        api.errors.insert(name, error);
    }
}

// ---- input schema (see ../shared/nitro-facts/README.md) ----

#[derive(Deserialize)]
struct FactsFile {
    product: String,
    release: String,
    #[serde(default)]
    sources: BTreeMap<String, SourceInfo>,
    #[serde(default)]
    resources: BTreeMap<String, FactResource>,
}

#[derive(Deserialize, Default)]
struct SourceInfo {
    #[serde(default)]
    repository: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    commit: String,
    #[serde(default)]
    licence: String,
}

#[derive(Deserialize)]
struct FactResource {
    kind: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    key: Vec<String>,
    #[serde(default)]
    operations: Vec<String>,
    #[serde(default)]
    from: BTreeMap<String, String>,
    #[serde(default)]
    properties: BTreeMap<String, FactProperty>,
}

#[derive(Deserialize)]
struct FactProperty {
    #[serde(rename = "type")]
    data_type: Option<String>,
    readonly: Option<bool>,
    #[serde(rename = "enum")]
    enum_values: Option<Vec<String>>,
    min_value: Option<serde_json::Value>,
    max_value: Option<serde_json::Value>,
    min_length: Option<serde_json::Value>,
    max_length: Option<serde_json::Value>,
    default: Option<serde_json::Value>,
    mandatory_for_add: Option<bool>,
    #[serde(default)]
    from: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct ErrorsFile {
    errors: Vec<ErrorRow>,
}

#[derive(Deserialize)]
struct ErrorRow {
    name: String,
    code: Option<i64>,
    section: Option<String>,
}

fn load<T: for<'de> Deserialize<'de>>(path: &Path, max_input_bytes: u64) -> Result<T, String> {
    let bytes = crate::frontend::limits::read_regular_file(path, max_input_bytes).map_err(|e| format!("cannot read facts file: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("not a derived-facts file: {e}"))
}

/// The file name only: snapshots must not carry this machine's paths.
fn file_label(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

// ---- lowering ----

fn lower(facts: &FactsFile, file: &str, base: Option<&Api>, diagnostics: &mut Vec<Diagnostic>) -> Api {
    let product = match facts.product.as_str() {
        "adm" => Product::Adm,
        "adc" => Product::Adc,
        other => {
            diagnostics.push(Diagnostic::warning(
                Origin { file: file.into(), pointer: Some("/product".into()), ..Origin::default() },
                format!("unknown product {other:?}; read as adc"),
            ));
            Product::Adc
        }
    };
    let mut provenance: BTreeMap<String, String> = facts
        .sources
        .iter()
        .map(|(id, s)| (id.clone(), format!("{} {} @ {} ({})", s.repository, s.path, s.commit, s.licence)))
        .collect();

    let mut api = Api {
        product,
        release: facts.release.clone(),
        source: Source { format: SourceFormat::DerivedFacts, derived: true, pages: 1, ..Source::default() },
        base_path: "/nitro/v1".into(),
        ..Api::default()
    };

    let mut stats = OverlayStats::default();
    let mut facts_ids = BTreeSet::new();
    for (key, fact) in &facts.resources {
        let origin = Origin { file: file.into(), pointer: Some(format!("/resources/{}", pointer_escape(key))), ..Origin::default() };
        let Some(resource) = lower_resource(key, fact, origin, diagnostics) else { continue };
        facts_ids.insert(resource.id());
        api.resources.insert(resource.id(), resource);
    }

    if let Some(base) = base {
        let base_source = format!("nitro-docs-{}", base.release);
        let unconfirmed = format!("{base_source} (not confirmed for {})", facts.release);
        provenance.entry(base_source.clone()).or_insert_with(|| format!("{} snapshot this overlay is based on", base.release));
        api.source.overlay_on = Some(base.release.clone());
        if !base.base_path.is_empty() {
            api.base_path = base.base_path.clone();
        }
        for (id, base_resource) in &base.resources {
            match api.resources.get_mut(id) {
                Some(resource) => merge_resource(resource, base_resource, &unconfirmed, &mut stats, diagnostics),
                None => {
                    let mut kept = base_resource.clone();
                    kept.provenance = Some(unconfirmed.clone());
                    stats.resources_unconfirmed += 1;
                    stats.properties_unconfirmed += kept.properties.len();
                    api.resources.insert(id.clone(), kept);
                }
            }
        }
        api.errors = base.errors.clone();
        stats.resources_new = facts_ids.iter().filter(|id| !base.resources.contains_key(*id)).count();
        stats.properties_new = facts_ids
            .iter()
            .filter_map(|id| Some((api.resources.get(id)?, base.resources.get(id))))
            .map(|(r, b)| r.properties.keys().filter(|p| !b.is_some_and(|b| b.properties.contains_key(*p))).count())
            .sum();
        diagnostics.push(Diagnostic::note(
            Origin { file: file.into(), ..Origin::default() },
            format!(
                "overlay on {}: {} resources from the facts ({} new), {} kept unconfirmed; {} properties new, {} kept unconfirmed, {} types corrected, {} enum values added",
                base.release,
                facts_ids.len(),
                stats.resources_new,
                stats.resources_unconfirmed,
                stats.properties_new,
                stats.properties_unconfirmed,
                stats.types_corrected,
                stats.enum_values_added,
            ),
        ));
    }
    api.source.provenance = provenance;
    api
}

#[derive(Default)]
struct OverlayStats {
    resources_new: usize,
    resources_unconfirmed: usize,
    properties_new: usize,
    properties_unconfirmed: usize,
    types_corrected: usize,
    enum_values_added: usize,
}

fn lower_resource(key: &str, fact: &FactResource, origin: Origin, diagnostics: &mut Vec<Diagnostic>) -> Option<Resource> {
    let kind = match fact.kind.as_str() {
        "config" => ResourceKind::Config,
        "binding" => ResourceKind::Binding,
        "stat" => ResourceKind::Stat,
        other => {
            diagnostics.push(Diagnostic::warning(origin, format!("unknown resource kind {other:?}; resource left out")).resource(key));
            return None;
        }
    };
    let name = key.strip_prefix("stat/").unwrap_or(key).to_string();
    if name.is_empty() || (kind == ResourceKind::Stat) != key.starts_with("stat/") {
        diagnostics.push(Diagnostic::warning(origin, "resource key does not match its kind; resource left out").resource(key));
        return None;
    }
    let mut properties = BTreeMap::new();
    for (prop_name, fact_prop) in &fact.properties {
        properties.insert(prop_name.clone(), lower_property(prop_name, fact_prop, &origin, key, diagnostics));
    }
    let mut resource = Resource {
        name,
        kind,
        group: fact.group.clone(),
        keys: fact.key.clone(),
        properties,
        operations: BTreeMap::new(),
        origin,
        provenance: fact.from.get("kind").or_else(|| fact.from.get("operations")).cloned(),
        ..Resource::default()
    };
    let has_import = fact.operations.iter().any(|op| op == "action:Import");
    for op in &fact.operations {
        match infer_operation(&resource, op, has_import) {
            Some(operation) => {
                resource.operations.insert(operation.name.clone(), operation);
            }
            None => diagnostics.push(
                Diagnostic::warning(resource.origin.clone(), format!("unknown operation {op:?} left out")).resource(key),
            ),
        }
    }
    Some(resource)
}

fn lower_property(name: &str, fact: &FactProperty, origin: &Origin, resource: &str, diagnostics: &mut Vec<Diagnostic>) -> Property {
    let data_type = match fact.data_type.as_deref() {
        Some("String") => DataType::String,
        Some("Double") => DataType::Double,
        Some("Integer") => DataType::Integer,
        Some("Boolean") => DataType::Boolean,
        Some("String[]") => DataType::StringList,
        Some("Double[]") => DataType::DoubleList,
        Some("Integer[]") => DataType::IntegerList,
        Some("unknown") | None => DataType::Unknown,
        Some(other) => {
            diagnostics.push(
                Diagnostic::warning(origin.clone(), format!("property {name}: unknown type {other:?}; read as unknown")).resource(resource),
            );
            DataType::Unknown
        }
    };
    let access = match fact.readonly {
        Some(true) => Access::ReadOnly,
        Some(false) => Access::ReadWrite,
        None => Access::Unknown,
    };
    let mut number = |field: &str, value: &Option<serde_json::Value>| -> Option<i64> {
        let value = value.as_ref()?;
        let parsed = value.as_i64().or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()));
        if parsed.is_none() {
            diagnostics.push(
                Diagnostic::warning(origin.clone(), format!("property {name}: {field} {value} is not an integer; left out")).resource(resource),
            );
        }
        parsed
    };
    Property {
        name: name.into(),
        data_type,
        access,
        min_value: number("min_value", &fact.min_value),
        max_value: number("max_value", &fact.max_value),
        min_length: number("min_length", &fact.min_length),
        max_length: number("max_length", &fact.max_length),
        default: fact.default.as_ref().and_then(default_text),
        enum_values: fact.enum_values.clone().unwrap_or_default(),
        mandatory: fact.mandatory_for_add,
        provenance: fact.from.get("name").cloned(),
        ..Property::default()
    }
}

/// Defaults are numbers or strings; kept as text like the documented pages.
fn default_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// NITRO conventions for an operation no page documents (module docs).
fn infer_operation(resource: &Resource, name: &str, has_import: bool) -> Option<Operation> {
    let stat = resource.kind == ResourceKind::Stat;
    let binding = resource.kind == ResourceKind::Binding;
    let collection = format!("/{}/{}", if stat { "stat" } else { "config" }, resource.name);
    let by_key = match resource.keys.first() {
        Some(key) => format!("{collection}/{{{key}}}"),
        None => collection.clone(),
    };
    let rest_keys: Vec<PayloadKey> =
        resource.keys.iter().skip(1).map(|k| PayloadKey { name: k.clone(), mandatory: false }).collect();
    let query = |options: &[&str]| options.iter().map(|o| o.to_string()).collect::<Vec<_>>();
    let op = |method, path: &str| Operation { name: name.into(), method, method_inferred: true, path: path.into(), ..Operation::default() };
    let operation = match name {
        // Bindings are added with PUT, everything else with POST.
        "add" => op(if binding { Method::Put } else { Method::Post }, &collection),
        "update" => op(Method::Put, &collection),
        "unset" => Operation { action: Some("unset".into()), ..op(Method::Post, &collection) },
        "delete" => {
            let options = if rest_keys.is_empty() { query(&[]) } else { query(&["args"]) };
            Operation { args: rest_keys, query: options, ..op(Method::Delete, &by_key) }
        }
        "get" => {
            let options = match resource.kind {
                ResourceKind::Config => query(&["attrs", "view"]),
                ResourceKind::Binding => query(&["filter", "pagination"]),
                ResourceKind::Stat => query(&[]),
            };
            let options = if rest_keys.is_empty() { options } else { [vec!["args".to_string()], options].concat() };
            Operation { args: rest_keys, query: options, ..op(Method::Get, &by_key) }
        }
        "get_all" => {
            let options = match resource.kind {
                ResourceKind::Config => query(&["attrs", "filter", "view", "pagination"]),
                ResourceKind::Binding => query(&["bulkbindings"]),
                ResourceKind::Stat => query(&[]),
            };
            Operation { query: options, ..op(Method::Get, &collection) }
        }
        // A binding counts the bindings of one parent.
        "count" => Operation { query: query(&["count"]), ..op(Method::Get, if binding { &by_key } else { &collection }) },
        _ => {
            let verb = name.strip_prefix("action:").filter(|v| !v.is_empty())?;
            let action = if verb == "change" && has_import { "update" } else { verb };
            Operation { action: Some(action.into()), ..op(Method::Post, &collection) }
        }
    };
    Some(operation)
}

fn merge_resource(resource: &mut Resource, base: &Resource, unconfirmed: &str, stats: &mut OverlayStats, diagnostics: &mut Vec<Diagnostic>) {
    if resource.group.is_empty() || resource.group == "unknown" {
        resource.group = base.group.clone();
    }
    if resource.keys.is_empty() && !base.keys.is_empty() {
        resource.keys = base.keys.clone();
    }
    resource.no_table = base.no_table && resource.properties.is_empty();
    resource.since = base.since.clone();
    resource.description = base.description.clone();
    // Documented operations carry method, path, payload and query options
    // read from a page; they win over inferred ones of the same name.
    for (name, operation) in &base.operations {
        resource.operations.insert(name.clone(), operation.clone());
    }
    let (origin, id) = (resource.origin.clone(), resource.id());
    for (name, base_prop) in &base.properties {
        let Some(prop) = resource.properties.get_mut(name) else {
            let mut kept = base_prop.clone();
            kept.provenance = Some(unconfirmed.into());
            stats.properties_unconfirmed += 1;
            resource.properties.insert(name.clone(), kept);
            continue;
        };
        if prop.data_type == DataType::Unknown {
            prop.data_type = base_prop.data_type.clone();
        } else if prop.data_type != base_prop.data_type && base_prop.data_type != DataType::Unknown {
            stats.types_corrected += 1;
            diagnostics.push(
                Diagnostic::note(
                    origin.clone(),
                    format!(
                        "property {name}: type {} (base {})",
                        prop.data_type.reference_spelling(),
                        base_prop.data_type.reference_spelling()
                    ),
                )
                .resource(id.clone()),
            );
        }
        if prop.access == Access::Unknown {
            prop.access = base_prop.access;
        }
        prop.min_value = prop.min_value.or(base_prop.min_value);
        prop.max_value = prop.max_value.or(base_prop.max_value);
        prop.min_length = prop.min_length.or(base_prop.min_length);
        prop.max_length = prop.max_length.or(base_prop.max_length);
        if prop.default.is_none() {
            prop.default = base_prop.default.clone();
        }
        if prop.mandatory.is_none() {
            prop.mandatory = base_prop.mandatory;
        }
        // Values the facts lack are kept after theirs: an appliance may
        // still send them, and an enum must decode what it receives.
        stats.enum_values_added += prop.enum_values.iter().filter(|v| !base_prop.enum_values.contains(v)).count();
        for value in &base_prop.enum_values {
            if !prop.enum_values.contains(value) {
                prop.enum_values.push(value.clone());
            }
        }
        prop.since = base_prop.since.clone();
        prop.enum_since = base_prop.enum_since.clone();
        prop.description = base_prop.description.clone();
    }
}

/// JSON pointer escaping (RFC 6901) for resource keys such as `stat/lb`.
fn pointer_escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
