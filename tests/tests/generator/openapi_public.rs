//! The OpenAPI frontend and HTTP backend on real public API documents:
//! the 3.0 documents the `openapiv3` crate ships as its own test fixtures
//! (Stripe, Slack, Twilio, Docker, Fitbit, Quay...), read from the cargo
//! registry where `cargo metadata` finds that crate; nothing of them is
//! copied into this repository. Every document lowers without a panic,
//! errors appear only where a document is really broken, and all the
//! generated code compiles with warnings denied.

use codegen::backend::http::{emit_http_module, HttpSettings};
use codegen::frontend::openapi::{read_openapi, OpenApiSettings};
use codegen::Severity;
use netscaler_tests::workspace_root;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixtures folder of the `openapiv3` crate, if cargo has its sources.
fn public_documents() -> Option<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(workspace_root().join("codegen").join("Cargo.toml"))
        .output()
        .ok()?;
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    let package = metadata["packages"].as_array()?.iter().find(|p| p["name"] == "openapiv3")?;
    let folder = Path::new(package["manifest_path"].as_str()?).parent()?.join("fixtures");
    folder.is_dir().then_some(folder)
}

/// Documents with real mistakes, and how many parts we degrade for them
/// (read as any JSON value, with a warning naming the pointer; the rest is
/// generated). `petstore.yaml` refers to `Dog`, `PetByAge` and
/// `PetByType`, which it never defines.
const BROKEN: &[(&str, usize)] = &[("petstore.yaml", 3)];

#[test]
fn public_documents_lower_emit_and_compile() {
    let Some(folder) = public_documents() else {
        println!("skipped: the openapiv3 crate's fixtures are not in the cargo registry");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder).unwrap().filter_map(Result::ok).map(|e| e.path()).collect();
    files.retain(|path| path.extension().is_some_and(|ext| ext == "yaml" || ext == "json"));
    files.sort();
    assert!(files.len() >= 10, "expected the openapiv3 fixtures in {}", folder.display());

    let krate = workspace_root().join("target").join("openapi-public");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    let mut lib = String::from("//! Compile check of code generated from public OpenAPI documents.\n#![deny(warnings)]\n");
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let started = std::time::Instant::now();
        let lowered = read_openapi(path, &OpenApiSettings { origin_file: file.clone(), ..OpenApiSettings::default() });
        let errors: Vec<String> = lowered.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(ToString::to_string).collect();
        assert_eq!(errors.len(), 0, "{file}: {errors:#?}");
        let expected = BROKEN.iter().find(|(name, _)| *name == file).map_or(0, |(_, count)| *count);
        let degraded = lowered.diagnostics.iter().find(|d| d.message.contains("part(s) degraded")).map_or(0, |d| d.message.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0));
        assert_eq!(degraded, expected, "{file}: {:#?}", lowered.diagnostics);
        let settings = HttpSettings { runtime: "netscaler::runtime".into(), inputs: vec![file.clone()], title: file.clone(), generator: "`cargo xtask codegen`" };
        let mut diagnostics = Vec::new();
        let text = emit_http_module(&lowered.api, &settings, &mut diagnostics);
        assert!(diagnostics.iter().all(|d| d.severity != Severity::Error), "{file}: {diagnostics:#?}");
        println!(
            "{file:28} {:4} schemas {:4} endpoints {:3} warnings {:6} lines  {:4.0} ms",
            lowered.api.schemas.len(),
            lowered.api.endpoints.len(),
            lowered.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count(),
            text.lines().count(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        let module = format!("doc_{}", path.file_stem().unwrap().to_string_lossy().replace(['-', '.'], "_"));
        let module = if path.extension().is_some_and(|e| e == "json") { format!("{module}_json") } else { module };
        lib.push_str(&format!("pub mod {module};\n"));
        write_if_changed(&krate.join("src").join(format!("{module}.rs")), &text);
    }
    write_if_changed(&krate.join("src").join("lib.rs"), &lib);
    let manifest = format!(
        "[package]\nname = \"openapi-public\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nnetscaler = {{ path = {:?} }}\nserde = \"1\"\nserde_json = \"1\"\n\n[workspace]\n",
        workspace_root().join("generated").display().to_string()
    );
    write_if_changed(&krate.join("Cargo.toml"), &manifest);
    if !krate.join("Cargo.lock").exists() {
        std::fs::copy(workspace_root().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    }
    // Shares the build cache of every nested build (netscaler_tests::nested).
    let output = netscaler_tests::nested::cargo(&krate.join("Cargo.toml"), &["check", "--quiet"]);
    assert!(output.status.success(), "generated code does not compile:\n{}", netscaler_tests::nested::text(&output));
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap();
    }
}
