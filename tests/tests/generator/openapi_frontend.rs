//! The OpenAPI frontend on one small document per construct
//! (`tests/fixtures/openapi/*.yaml`): the IR it gives and the diagnostics
//! it reports, as insta snapshots; broken documents
//! (`tests/fixtures/openapi/broken/`) give errors, never a panic.

use codegen::frontend::openapi::{read_openapi, OpenApiSettings};
use codegen::ir::TypeRef;
use codegen::{Lowered, Severity};
use netscaler_tests::fixtures;

fn lower(relative: &str) -> Lowered {
    let path = fixtures().join("openapi").join(relative);
    let settings = OpenApiSettings { origin_file: format!("openapi/{relative}"), ..OpenApiSettings::default() };
    read_openapi(&path, &settings)
}

fn rendered(lowered: &Lowered) -> Vec<String> {
    lowered.diagnostics.iter().map(ToString::to_string).collect()
}

/// IR and diagnostics of a well-formed fixture: no error, snapshot of both.
fn check(name: &str) {
    let lowered = lower(&format!("{name}.yaml"));
    assert!(!lowered.has_errors(), "{name}: {:#?}", rendered(&lowered));
    let snapshot = serde_json::json!({ "diagnostics": rendered(&lowered), "api": lowered.api });
    insta::assert_json_snapshot!(format!("openapi_ir_{name}"), snapshot);
}

#[test]
fn refs() {
    check("refs");
    let api = lower("refs.yaml").api;
    assert_eq!(api.base_path, "/api/v2");
    // The inline schema of GET /pets/{pet-id} and the ref to it from
    // GET /owners (`#/paths/~1pets~1%7Bpet-id%7D/...`) are one schema,
    // named after its first use in path order.
    let owners = api.endpoints["GET /owners"].responses[0].body.as_ref().unwrap().type_ref.clone();
    let pet = api.endpoints["GET /pets/{pet-id}"].responses[0].body.as_ref().unwrap().type_ref.clone();
    assert_eq!(owners, TypeRef::Array(Box::new(pet.clone())));
    assert_eq!(pet, TypeRef::Named("ListOwnersResponse200Item".into()));
    assert!(!api.schemas.contains_key("GetPetResponse200"));
}

#[test]
fn all_of() {
    check("all_of");
}

#[test]
fn one_of() {
    check("one_of");
}

#[test]
fn enums() {
    check("enums");
}

#[test]
fn additional_properties() {
    check("additional_properties");
}

#[test]
fn recursive() {
    check("recursive");
}

#[test]
fn inline_names() {
    check("inline_names");
}

#[test]
fn parameters() {
    check("parameters");
}

#[test]
fn media_types() {
    check("media_types");
    let lowered = lower("media_types.yaml");
    // Non-JSON bodies are warnings that name the JSON pointer.
    let warnings: Vec<_> = lowered.diagnostics.iter().filter(|d| d.severity == Severity::Warning).collect();
    assert_eq!(warnings.len(), 2, "{:#?}", rendered(&lowered));
    assert!(warnings.iter().all(|w| w.origin.pointer.as_deref().is_some_and(|p| p.starts_with("/paths/~1files~1{name}/"))));
}

#[test]
fn responses() {
    check("responses");
}

#[test]
fn names() {
    check("names");
}

#[test]
fn security() {
    check("security");
}

/// Rendered diagnostics of a broken fixture: at least one error, except
/// where the fault is confined to parts of the document (non-JSON media,
/// dangling `$ref`s), which are degraded with warnings.
fn check_broken(file: &str) {
    let lowered = lower(&format!("broken/{file}"));
    let degraded = ["non_json_media.yaml", "dangling_ref.yaml"].contains(&file);
    assert_eq!(lowered.has_errors(), !degraded, "{file}: {:#?}", rendered(&lowered));
    insta::assert_snapshot!(format!("openapi_diagnostics_{}", file.replace('.', "_")), rendered(&lowered).join("\n"));
}

#[test]
fn broken_documents_give_clear_diagnostics() {
    for file in ["bad_yaml.yaml", "openapi_31.yaml", "swagger_20.yaml", "dangling_ref.yaml", "non_json_media.yaml", "truncated.json"] {
        check_broken(file);
    }
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let lowered = lower("no-such-file.yaml");
    assert!(lowered.has_errors());
    assert!(lowered.diagnostics[0].message.starts_with("cannot read the document"));
}

#[test]
fn default_error() {
    check("default_error");
    let api = lower("default_error.yaml").api;
    // Both operations are there, with every answer.
    let statuses: Vec<_> = api.endpoints["PUT /widgets/{id}"].responses.iter().map(|r| r.status.clone()).collect();
    use codegen::ir::StatusSpec;
    assert_eq!(statuses, [StatusSpec::Code(200), StatusSpec::Code(401), StatusSpec::Code(404), StatusSpec::Range(5)]);
    assert_eq!(api.endpoints["GET /widgets/{id}"].responses.len(), 2);
}

#[test]
fn nullable() {
    check("nullable");
    let api = lower("nullable.yaml").api;
    let codegen::ir::SchemaShape::Object { fields, .. } = &api.schemas["Note"].shape else { panic!("Note is an object") };
    let nullable: Vec<&str> = fields.values().filter(|f| f.nullable).map(|f| f.name.as_str()).collect();
    // `colour` and `owner` are nullable through their $ref targets.
    assert_eq!(nullable, ["body", "colour", "extra", "labels", "owner", "priority"]);
}

#[test]
fn unsupported_constructs_degrade_with_warnings_naming_the_pointer() {
    check("unsupported");
    let lowered = lower("unsupported.yaml");
    let warnings: Vec<(String, String)> = lowered
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| (d.origin.pointer.clone().unwrap_or_default(), d.message.clone()))
        .collect();
    for (pointer, start) in [
        ("/paths/~1orders/post/callbacks", "callbacks are not supported"),
        ("/paths/~1orders/post/servers", "servers of an operation are not supported"),
        ("/paths/~1orders/post/responses/201/links", "links are not supported"),
        ("/paths/~1orders/post/requestBody/content/application~1xml", "media type `application/xml` is not JSON"),
        ("/paths/~1login-form/post/requestBody/content/application~1x-www-form-urlencoded", "media type `application/x-www-form-urlencoded` is not JSON"),
        ("/paths/~1uploads/post/requestBody/content/multipart~1form-data", "media type `multipart/form-data` is not JSON"),
        ("/paths/~1uploads/post/responses/200/content/application~1xml", "media type `application/xml` is not JSON"),
        ("/paths/~1orders~1{id}/trace", "TRACE operations are not supported"),
        ("/components/schemas/Order/properties/note", "`not` is not supported"),
    ] {
        assert!(warnings.iter().any(|(p, m)| p == pointer && m.starts_with(start)), "no warning `{start}` at {pointer}: {warnings:#?}");
    }
    // The JSON alternative of a body with several media types is typed;
    // the others are named in a note.
    let get = &lowered.api.endpoints["GET /orders/{id}"];
    assert_eq!(get.responses[0].body.as_ref().unwrap().type_ref, TypeRef::Named("Order".into()));
    assert!(lowered.diagnostics.iter().any(|d| d.severity == Severity::Note && d.message.contains("`application/xml`")));
}

#[test]
fn roundtrip() {
    check("roundtrip");
}
