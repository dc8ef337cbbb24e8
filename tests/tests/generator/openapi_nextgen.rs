//! Our Next-Gen OpenAPI description (`specs/nextgen/openapi.yaml`): it
//! parses with an independent reader (`openapiv3`), lowers with no error
//! or warning, and holds what the facts say it should.

use codegen::frontend::openapi::{read_openapi, OpenApiSettings};
use codegen::ir::{Product, SecurityScheme, ParamLocation, StatusSpec};
use netscaler_tests::workspace_root;

fn spec_path() -> std::path::PathBuf {
    workspace_root().join("specs/nextgen/openapi.yaml")
}

fn settings() -> OpenApiSettings {
    OpenApiSettings { product: Product::Nextgen, origin_file: "specs/nextgen/openapi.yaml".into(), descriptions: false, ..Default::default() }
}

#[test]
fn parses_with_openapiv3() {
    let text = std::fs::read_to_string(spec_path()).unwrap();
    let doc: openapiv3::OpenAPI = serde_norway::from_str(&text).expect("openapiv3 reads our YAML");
    assert_eq!(doc.openapi, "3.0.3");
    let operations = doc.operations().count();
    assert_eq!(operations, 93);
}

#[test]
fn lowers_without_diagnostics() {
    let lowered = read_openapi(&spec_path(), &settings());
    let rendered: Vec<String> = lowered.diagnostics.iter().map(ToString::to_string).collect();
    assert!(rendered.is_empty(), "diagnostics:\n{}", rendered.join("\n"));
    let api = &lowered.api;
    assert_eq!(api.product, Product::Nextgen);
    assert_eq!(api.base_path, "/mgmt/api/nextgen/v1");
    assert_eq!(api.endpoints.len(), 93);
    assert_eq!(
        api.security_schemes.get("sessionCookie"),
        Some(&SecurityScheme::ApiKey { location: ParamLocation::Cookie, name: "sessionid".into() })
    );
    // Login is the one operation without the session cookie.
    let login = &api.endpoints["POST /login"];
    assert!(login.security.is_empty());
    assert_eq!(api.endpoints["GET /applications"].security, ["sessionCookie"]);
    // Desired-state POST answers 201 on create and 200 on update.
    let upsert = &api.endpoints["POST /applications/{application-name}"];
    let codes: Vec<_> = upsert.responses.iter().map(|r| r.status.clone()).collect();
    assert!(codes.contains(&StatusSpec::Code(200)) && codes.contains(&StatusSpec::Code(201)));
    // Create-only POST answers 201 or 409.
    let create = &api.endpoints["POST /applications"];
    assert!(create.responses.iter().any(|r| r.status == StatusSpec::Code(409)));
    assert!(!create.responses.iter().any(|r| r.status == StatusSpec::Code(200)));
    // The internal error-code table travels as x-error-codes.
    assert_eq!(api.errors["ALREADY_EXISTS"].code, Some(1400));
    assert_eq!(api.errors["ALREADY_EXISTS"].section, "409");
}

#[test]
fn inferred_elements_are_marked() {
    let api = read_openapi(&spec_path(), &settings()).api;
    // Policy choices of the facts file (section 3) are marked inferred.
    for key in [
        "POST /applications/{application-name}/actions/enable",
        "GET /filters/value_sets",
        "GET /responder_html_page/{responder-html-page-name}",
        "GET /config_sets/{config-set-name}/statistics",
    ] {
        assert!(api.endpoints[key].inferred, "{key} should be marked inferred");
    }
    // Stated facts are not.
    assert!(!api.endpoints["POST /applications"].inferred);
    assert!(!api.endpoints["POST /login"].inferred);
    assert!(api.schemas["Duration"].inferred);
    assert!(!api.schemas["Application"].inferred);
    let inferred_endpoints = api.endpoints.values().filter(|e| e.inferred).count();
    let inferred_schemas = api.schemas.values().filter(|s| s.inferred).count();
    println!("endpoints {} (inferred {inferred_endpoints}), schemas {} (inferred {inferred_schemas})", api.endpoints.len(), api.schemas.len());
}
