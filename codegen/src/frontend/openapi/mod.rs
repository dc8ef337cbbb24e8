//! OpenAPI 3.0 documents (YAML or JSON) -> IR: named schemas, endpoints,
//! security schemes. Used for our Next-Gen description
//! (`specs/nextgen/openapi.yaml`) and for any public OpenAPI 3.0 document.
//!
//! Steps: [`document::parse`] (text -> JSON tree), a version check, then
//! `lower` in [`schemas`] (component and inline schemas) and
//! [`operations`] (paths, parameters, bodies, responses, security).
//!
//! Decisions:
//! - YAML is read with `serde_norway`, a maintained fork of the deprecated
//!   `serde_yaml` 0.9 with the same API, dual-licensed MIT/Apache-2.0 like
//!   this project (`serde_yaml_ng`, the other live fork, is MIT only).
//! - We lower from the JSON tree rather than from `openapiv3`'s typed
//!   model: that keeps the JSON pointer of every construct for diagnostics,
//!   lets `$ref` point anywhere in the document (`#/paths/~1a/get/...`),
//!   and tolerates the small deviations real public documents carry,
//!   where one misfit would make the typed model reject the whole file.
//!   (Our own YAML is also checked against `openapiv3` by a test.)
//! - Only OpenAPI 3.0.x is read. 3.1 (`type: [x, "null"]`, JSON Schema
//!   2020-12) and Swagger 2.0 are rejected with an error naming the
//!   version; convert them to 3.0 first.
//! - Wire names are kept as written (keywords, digits, punctuation, names
//!   equal after case folding); Rust names are the backend's business.
//!   Inline schemas that need a name get one from their context:
//!   `{Schema}{Field}`, `{Field}Item` for array items, `{Operation}Request`,
//!   `{Operation}Response{status}`, `{Operation}{Parameter}`,
//!   `{Union}Variant{n}`; a clash gets a numeric suffix and a note.
//! - Non-JSON media types become raw bytes bodies with a warning naming
//!   the JSON pointer.
//! - Our extensions: `x-inferred: true` on an operation, schema or
//!   property sets `inferred` in the IR; `x-error-codes` (a list of
//!   `{name, http, code}`) on any component schema fills `Api::errors`.

mod document;
mod operations;
mod schemas;

use crate::diagnostics::{Diagnostic, Lowered};
use crate::frontend::limits::Limits;
use crate::ir::{Api, Origin, Product, Source, SourceFormat};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// How to read a document.
#[derive(Clone, Debug)]
pub struct OpenApiSettings {
    /// `Nextgen` for our description, `Openapi` for any other document.
    pub product: Product,
    /// File name recorded in origins and diagnostics; the file name of the
    /// path when empty (never an absolute path of this machine).
    pub origin_file: String,
    /// Keep `description` texts (only for documents whose prose we may
    /// copy; off for vendor documents).
    pub descriptions: bool,
    /// File size ([`Limits::max_input_bytes`]) and value count
    /// ([`Limits::max_nodes`]) of the document.
    pub limits: Limits,
}

impl Default for OpenApiSettings {
    fn default() -> Self {
        OpenApiSettings { product: Product::Openapi, origin_file: String::new(), descriptions: false, limits: Limits::default() }
    }
}

/// Reads one OpenAPI 3.0 document into the IR.
pub fn read_openapi(path: &Path, settings: &OpenApiSettings) -> Lowered {
    let file = if settings.origin_file.is_empty() {
        path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default()
    } else {
        settings.origin_file.clone()
    };
    let read = crate::frontend::limits::read_regular_file(path, settings.limits.max_input_bytes)
        .and_then(|bytes| String::from_utf8(bytes).map_err(|error| format!("not UTF-8 text ({error})")));
    match read {
        Ok(text) => {
            let is_json = path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
            lower_text(&text, is_json, &file, settings)
        }
        Err(error) => Lowered {
            api: empty_api(settings),
            diagnostics: vec![Diagnostic::error(origin(&file, ""), format!("cannot read the document: {error}"))],
        },
    }
}

/// Reads our Next-Gen description, `<specs>/nextgen/openapi.yaml`, when
/// it exists (origins name it relative to the workspace).
pub fn read_nextgen(specs: &Path) -> Option<Lowered> {
    let path = specs.join("nextgen").join("openapi.yaml");
    let settings = OpenApiSettings { product: Product::Nextgen, origin_file: "specs/nextgen/openapi.yaml".into(), ..OpenApiSettings::default() };
    path.is_file().then(|| read_openapi(&path, &settings))
}

/// Reads an OpenAPI 3.0 document given as text; `file` names it in
/// origins and diagnostics.
pub fn lower_text(text: &str, is_json: bool, file: &str, settings: &OpenApiSettings) -> Lowered {
    // A reader bug costs the document (an error naming it), not the run.
    std::panic::catch_unwind(|| lower_text_unguarded(text, is_json, file, settings)).unwrap_or_else(|_| Lowered {
        api: empty_api(settings),
        diagnostics: vec![Diagnostic::error(origin(file, ""), "document reader failed (a bug: please report it with this document)")],
    })
}

fn lower_text_unguarded(text: &str, is_json: bool, file: &str, settings: &OpenApiSettings) -> Lowered {
    let doc = match document::parse(text, is_json, settings.limits.max_nodes) {
        Ok(doc) => doc,
        Err(message) => {
            return Lowered { api: empty_api(settings), diagnostics: vec![Diagnostic::error(origin(file, ""), message)] };
        }
    };
    if let Err(diagnostic) = check_version(&doc, file) {
        return Lowered { api: empty_api(settings), diagnostics: vec![*diagnostic] };
    }
    let mut lowerer = Lowerer::new(&doc, file, settings);
    lowerer.lower_components();
    lowerer.lower_paths();
    lowerer.lower_security_schemes();
    let mut api = empty_api(settings);
    api.release = doc.pointer("/info/version").and_then(Value::as_str).unwrap_or_default().to_string();
    api.base_path = base_path(&doc);
    api.schemas = lowerer.schemas;
    api.endpoints = lowerer.endpoints;
    api.security_schemes = lowerer.security_schemes;
    api.errors = lowerer.errors;
    let mut diagnostics = lowerer.diagnostics;
    if !lowerer.degraded.is_empty() {
        let listed: Vec<&str> = lowerer.degraded.iter().map(String::as_str).take(20).collect();
        let more = lowerer.degraded.len().saturating_sub(listed.len());
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        diagnostics.push(
            Diagnostic::warning(origin(file, ""), format!("{} part(s) degraded, the rest generated: {}{more}", lowerer.degraded.len(), listed.join(", ")))
                .hint("fix the document at these pointers for complete bindings"),
        );
    }
    diagnostics.sort();
    diagnostics.dedup();
    Lowered { api, diagnostics }
}

fn empty_api(settings: &OpenApiSettings) -> Api {
    Api {
        product: settings.product,
        source: Source { format: SourceFormat::Openapi, pages: 1, ..Source::default() },
        ..Api::default()
    }
}

pub(crate) fn origin(file: &str, pointer: &str) -> Origin {
    Origin { file: file.to_string(), row: None, pointer: (!pointer.is_empty()).then(|| pointer.to_string()) }
}

/// Accepts `openapi: 3.0.x` only.
fn check_version(doc: &Value, file: &str) -> Result<(), Box<Diagnostic>> {
    if !doc.is_object() {
        return Err(Box::new(Diagnostic::error(origin(file, ""), "the document is not a mapping (expected an OpenAPI 3.0 object)")));
    }
    if let Some(swagger) = doc.get("swagger") {
        let version = swagger.as_str().map(str::to_string).unwrap_or_else(|| swagger.to_string());
        return Err(Box::new(
            Diagnostic::error(origin(file, "/swagger"), format!("swagger {version} documents are not supported; this frontend reads OpenAPI 3.0.x"))
                .hint("convert the document to OpenAPI 3.0 first (for example with swagger2openapi)"),
        ));
    }
    let version = match doc.get("openapi") {
        Some(Value::String(version)) => version.clone(),
        Some(other) => other.to_string(),
        None => return Err(Box::new(Diagnostic::error(origin(file, ""), "no `openapi` version field; this frontend reads OpenAPI 3.0.x documents"))),
    };
    if version.starts_with("3.0.") || version == "3.0" {
        return Ok(());
    }
    let diagnostic = Diagnostic::error(origin(file, "/openapi"), format!("openapi {version} is not supported; this frontend reads OpenAPI 3.0.x"));
    Err(Box::new(if version.starts_with("3.1") {
        diagnostic.hint("convert the document to 3.0 (type: [x, \"null\"] becomes nullable: true, examples becomes example)")
    } else {
        diagnostic
    }))
}

/// The path part of `servers[0].url`, server variables replaced by their
/// defaults, without a trailing slash (`""` when there is no server).
fn base_path(doc: &Value) -> String {
    let Some(server) = doc.pointer("/servers/0") else { return String::new() };
    let mut url = server.get("url").and_then(Value::as_str).unwrap_or_default().to_string();
    if let Some(variables) = server.get("variables").and_then(Value::as_object) {
        for (name, variable) in variables {
            let default = variable.get("default").and_then(Value::as_str).unwrap_or_default();
            url = url.replace(&format!("{{{name}}}"), default);
        }
    }
    let path = match url.find("://") {
        Some(scheme_end) => {
            let rest = &url[scheme_end + 3..];
            rest.find('/').map(|slash| rest[slash..].to_string()).unwrap_or_default()
        }
        None => url,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.trim_end_matches('/').to_string()
}

/// State shared by the lowering steps.
pub(crate) struct Lowerer<'a> {
    doc: &'a Value,
    file: String,
    settings: OpenApiSettings,
    schemas: BTreeMap<String, crate::ir::Schema>,
    /// Names of `components/schemas`, reserved before anything inline is
    /// named so an inline name never takes a component's.
    component_names: std::collections::BTreeSet<String>,
    /// Types already lowered for a pointer that was the target of a `$ref`
    /// outside `components/schemas` (so each is named once, and recursion
    /// ends).
    by_pointer: BTreeMap<String, crate::ir::TypeRef>,
    endpoints: BTreeMap<String, crate::ir::Endpoint>,
    security_schemes: BTreeMap<String, crate::ir::SecurityScheme>,
    errors: BTreeMap<String, crate::ir::ErrorCode>,
    diagnostics: Vec<Diagnostic>,
    /// What diagnostics are about: the component schema, `Schema.field`
    /// or the operation being lowered.
    subject: String,
    /// Pointers of the parts degraded by [`Lowerer::degrade`].
    degraded: std::collections::BTreeSet<String>,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a Value, file: &str, settings: &OpenApiSettings) -> Self {
        Lowerer {
            doc,
            file: file.to_string(),
            settings: settings.clone(),
            schemas: BTreeMap::new(),
            component_names: Default::default(),
            by_pointer: BTreeMap::new(),
            endpoints: BTreeMap::new(),
            security_schemes: BTreeMap::new(),
            errors: BTreeMap::new(),
            diagnostics: Vec::new(),
            subject: String::new(),
            degraded: Default::default(),
        }
    }

    fn subject(&self) -> String {
        self.subject.clone()
    }

    fn origin(&self, pointer: &str) -> Origin {
        origin(&self.file, pointer)
    }

    fn warn(&mut self, pointer: &str, subject: &str, message: impl Into<String>) {
        let diagnostic = Diagnostic::warning(self.origin(pointer), message);
        self.diagnostics.push(if subject.is_empty() { diagnostic } else { diagnostic.resource(subject) });
    }

    fn error(&mut self, pointer: &str, subject: &str, message: impl Into<String>) {
        let diagnostic = Diagnostic::error(self.origin(pointer), message);
        self.diagnostics.push(if subject.is_empty() { diagnostic } else { diagnostic.resource(subject) });
    }

    /// A fault confined to one part (a schema, a field, a parameter): the
    /// part is read as any JSON value or skipped, with a warning naming
    /// its pointer, and the rest of the document is generated. The
    /// summary at the end lists every degraded pointer.
    fn degrade(&mut self, pointer: &str, subject: &str, message: impl Into<String>) {
        self.warn(pointer, subject, message);
        self.degraded.insert(if pointer.is_empty() { "/".to_string() } else { pointer.to_string() });
    }

    fn note(&mut self, pointer: &str, subject: &str, message: impl Into<String>) {
        let diagnostic = Diagnostic::note(self.origin(pointer), message);
        self.diagnostics.push(if subject.is_empty() { diagnostic } else { diagnostic.resource(subject) });
    }

    fn description(&self, value: &Value) -> Option<String> {
        if !self.settings.descriptions {
            return None;
        }
        value.get("description").and_then(Value::as_str).map(str::to_string)
    }
}

fn is_inferred(value: &Value) -> bool {
    value.get("x-inferred").and_then(Value::as_bool).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base_path_comes_from_the_first_server() {
        let doc = json!({"servers": [{"url": "https://{host}/mgmt/api/nextgen/v1/", "variables": {"host": {"default": "h"}}}]});
        assert_eq!(base_path(&doc), "/mgmt/api/nextgen/v1");
        assert_eq!(base_path(&json!({"servers": [{"url": "/api/v3"}]})), "/api/v3");
        assert_eq!(base_path(&json!({"servers": [{"url": "https://example.com"}]})), "");
        assert_eq!(base_path(&json!({})), "");
    }

    #[test]
    fn versions_other_than_3_0_are_rejected() {
        assert!(check_version(&json!({"openapi": "3.0.3"}), "f").is_ok());
        let error = check_version(&json!({"openapi": "3.1.0"}), "f").unwrap_err();
        assert_eq!(error.message, "openapi 3.1.0 is not supported; this frontend reads OpenAPI 3.0.x");
        assert!(check_version(&json!({"swagger": "2.0"}), "f").is_err());
        assert!(check_version(&json!({"info": {}}), "f").is_err());
    }
}
