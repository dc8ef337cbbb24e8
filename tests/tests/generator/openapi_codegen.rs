//! The HTTP backend (`codegen::backend::http`) on the OpenAPI fixtures and
//! on our Next-Gen description: generated code snapshots, byte-identical
//! output across runs, and a compile check of everything it emits.

use codegen::backend::http::{emit_http_module, HttpSettings};
use codegen::frontend::openapi::{read_openapi, OpenApiSettings};
use codegen::ir::{Api, Product};
use codegen::Severity;
use netscaler_tests::{fixtures, workspace_root};
use std::path::Path;

/// The fixtures that lower without errors, one per construct.
pub(crate) const FIXTURES: &[&str] = &[
    "additional_properties",
    "all_of",
    "default_error",
    "enums",
    "inline_names",
    "media_types",
    "names",
    "nullable",
    "one_of",
    "parameters",
    "recursive",
    "refs",
    "responses",
    "roundtrip",
    "security",
    "unsupported",
];

fn lower(path: &Path, product: Product, origin_file: &str) -> Api {
    let lowered = read_openapi(path, &OpenApiSettings { product, origin_file: origin_file.into(), descriptions: false, ..Default::default() });
    assert!(!lowered.has_errors(), "{origin_file}: {:#?}", lowered.diagnostics);
    lowered.api
}

/// Emits a module whose runtime is the `netscaler` crate's, so the same
/// text compiles in a crate of its own.
fn emit(api: &Api, input: &str) -> (String, Vec<String>) {
    let settings = HttpSettings { runtime: "netscaler::runtime".into(), inputs: vec![input.into()], title: "Fixture".into(), generator: "`cargo xtask codegen`" };
    let mut diagnostics = Vec::new();
    let text = emit_http_module(api, &settings, &mut diagnostics);
    assert!(diagnostics.iter().all(|d| d.severity != Severity::Error), "{input}: {diagnostics:#?}");
    (text, diagnostics.iter().map(ToString::to_string).collect())
}

fn fixture_module(name: &str) -> (String, Vec<String>) {
    let input = format!("openapi/{name}.yaml");
    let api = lower(&fixtures().join(&input), Product::Openapi, &input);
    emit(&api, &input)
}

fn nextgen_module() -> String {
    let api = lower(&workspace_root().join("specs/nextgen/openapi.yaml"), Product::Nextgen, "specs/nextgen/openapi.yaml");
    emit(&api, "specs/nextgen/openapi.yaml").0
}

/// The module of each fixture as an insta snapshot; the round-trip
/// fixture's as a Rust file ([`ROUNDTRIP_MODULE`]), which
/// `openapi_standalone` compiles into its test binary to run it.
#[test]
fn generated_code_snapshots() {
    for name in FIXTURES {
        let (text, notes) = fixture_module(name);
        let notes: String = notes.iter().map(|n| format!("// {n}\n")).collect();
        let text = format!("{notes}{text}");
        if *name == "roundtrip" {
            assert_rust_snapshot(&workspace_root().join(ROUNDTRIP_MODULE), &text);
        } else {
            insta::assert_snapshot!(format!("openapi_code_{name}"), text);
        }
    }
}

/// The round-trip fixture's module, committed as Rust.
const ROUNDTRIP_MODULE: &str = "tests/tests/generator/snapshots/openapi_code_roundtrip.rs";

/// A snapshot kept as a plain file: `text` must equal it; with
/// `INSTA_UPDATE=always` (as for insta's snapshots) it is written instead.
fn assert_rust_snapshot(path: &Path, text: &str) {
    if std::env::var("INSTA_UPDATE").as_deref() == Ok("always") {
        write_if_changed(path, text);
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is not what the backend emits now; look at the change, then accept it with: INSTA_UPDATE=always cargo test --test generator openapi_codegen::",
        path.display()
    );
}

#[test]
fn nextgen_generation_is_byte_identical_across_runs() {
    let started = std::time::Instant::now();
    let first = nextgen_module();
    let elapsed = started.elapsed();
    let second = nextgen_module();
    assert_eq!(first, second);
    println!("Next-Gen: lowered and emitted in {:.0} ms, {} lines", elapsed.as_secs_f64() * 1000.0, first.lines().count());
}

#[test]
fn nextgen_module_has_the_operations_the_facts_name() {
    let text = nextgen_module();
    for expected in [
        // desired-state and create-only POSTs report the status to the caller
        "pub fn create_or_update_application(\n    application_name: &str,\n    body: &ApplicationEnvelope,\n) -> ng::Request<()>",
        "pub fn add_application(body: &ApplicationEnvelope) -> ng::Request<()>",
        // incremental POST and desired-state PUT of servers
        "pub fn add_server(",
        "pub fn update_servers(",
        "pub fn list_frontends(\n    application_name: &str,\n    expanded: Option<bool>,\n) -> ng::Request<FrontendList>",
        "pub const BASE_PATH: &str = \"/mgmt/api/nextgen/v1\";",
    ] {
        assert!(text.contains(expected), "missing: {expected}");
    }
    assert_eq!(text.matches("\npub fn ").count(), 93);
}

/// Writes every fixture module and the Next-Gen module into a crate under
/// `target/` that depends on `generated/` for the runtime, and runs
/// `cargo check` on it with warnings denied.
#[test]
fn generated_code_compiles() {
    let root = workspace_root();
    let krate = root.join("target").join("openapi-compile");
    let src = krate.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let mut lib = String::from("//! Compile check of the HTTP backend's output.\n#![deny(warnings)]\n");
    let mut modules: Vec<(String, String)> = FIXTURES.iter().map(|name| (name.to_string(), fixture_module(name).0)).collect();
    modules.push(("nextgen".into(), nextgen_module()));
    for (name, text) in &modules {
        lib.push_str(&format!("pub mod {name};\n"));
        write_if_changed(&src.join(format!("{name}.rs")), text);
    }
    write_if_changed(&src.join("lib.rs"), &lib);
    let generated = root.join("generated");
    let manifest = format!(
        "[package]\nname = \"openapi-compile\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nnetscaler = {{ path = {:?} }}\nserde = \"1\"\nserde_json = \"1\"\n\n[workspace]\n",
        generated.display().to_string()
    );
    write_if_changed(&krate.join("Cargo.toml"), &manifest);
    // The workspace's lock keeps dependency versions (and so the shared
    // build cache of nested builds) stable.
    if !krate.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    }
    let output = netscaler_tests::nested::cargo(&krate.join("Cargo.toml"), &["check", "--quiet"]);
    assert!(output.status.success(), "generated code does not compile:\n{}", netscaler_tests::nested::text(&output));
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap();
    }
}
