//! The code emitted for the fixture IR compiles, passes clippy with
//! warnings denied and documents without rustdoc warnings.
//!
//! The fixture's crate is written to `target/backend-fixture/netscaler/`
//! beside a copy of the hand-written runtime and test kit (the same layout as
//! `generated/`), then checked in the target folder all nested builds
//! share ([`netscaler_tests::nested`]), so the workspace's build lock is
//! not held and the dependencies are compiled once per run. This is the crate users get, only
//! with fewer resources.

use codegen::backend::{emit, EmitSettings, RUNTIME_DIR, TESTKIT_DIR};
use codegen::ir::Api;
use std::path::{Path, PathBuf};

fn fixture_apis() -> Vec<Api> {
    let folder = netscaler_tests::fixtures().join("backend");
    ["adc.json", "adm.json"]
        .iter()
        .map(|name| serde_json::from_str(&std::fs::read_to_string(folder.join(name)).unwrap()).unwrap())
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Writes the fixture crate and returns its folder.
fn write_fixture_crate() -> PathBuf {
    let root = netscaler_tests::workspace_root();
    let base = root.join("target").join("backend-fixture");
    let krate = base.join("netscaler");
    if krate.exists() {
        std::fs::remove_dir_all(&krate).unwrap();
    }
    // The kit's crate (the `testkit` feature's dependency), hand-written
    // but for its rules, which the emission below replaces with the
    // fixture's.
    copy_dir(&root.join("generated").join(TESTKIT_DIR), &krate.join(TESTKIT_DIR));
    let emitted = emit(&fixture_apis(), &EmitSettings::default());
    for (path, text) in &emitted.files {
        let target = krate.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let text = if path == Path::new("Cargo.toml") {
            // Outside the workspace: an empty workspace table keeps cargo
            // from looking for the parent workspace's member list.
            format!("{text}\n[workspace]\n")
        } else {
            text.clone()
        };
        std::fs::write(target, text).unwrap();
    }
    copy_dir(&root.join("generated").join(RUNTIME_DIR), &krate.join(RUNTIME_DIR));
    // The workspace's lock file pins the same dependency versions.
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    krate
}

fn cargo(krate: &Path, args: &[&str]) -> (bool, String) {
    let output = netscaler_tests::nested::cargo(&krate.join("Cargo.toml"), args);
    (output.status.success(), netscaler_tests::nested::text(&output))
}

#[test]
fn fixture_crate_compiles_lints_and_documents_cleanly() {
    let krate = write_fixture_crate();
    // Every feature the emitted code is gated by (each group, the TLS
    // backend, tracing). `native-tls` and `testkit` switch only
    // hand-written runtime code, which this workspace's own test build
    // compiles with both (and CI lints with `--all-features`); leaving
    // them out keeps one dependency graph for every nested check, so the
    // dependencies are checked once per cold run (~9 s less).
    let features = emitted_features(&krate).join(",");
    let (ok, output) = cargo(&krate, &["clippy", "--features", &features, "--quiet", "--", "-D", "warnings"]);
    assert!(ok, "clippy on the fixture crate failed:\n{output}");
    // Default features only: cross-group paths must not need a feature
    // that is off.
    let (ok, output) = cargo(&krate, &["check", "--quiet"]);
    assert!(ok, "check with default features failed:\n{output}");
    // One ADM group alone (with the default TLS backend, as above).
    let (ok, output) = cargo(&krate, &["check", "--quiet", "--no-default-features", "--features", "adm-device,rustls"]);
    assert!(ok, "check with one ADM feature failed:\n{output}");
    let (ok, output) = cargo(&krate, &["doc", "--no-deps", "--features", &features, "--quiet"]);
    assert!(ok, "rustdoc on the fixture crate warned:\n{output}");
}

/// The fixture crate's features but `native-tls` and `testkit` (see the
/// test), read from its manifest.
fn emitted_features(krate: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    let table = manifest.split("[features]\n").nth(1).expect("the manifest has features");
    let features: Vec<String> = table
        .lines()
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once(" = ").map(|(name, _)| name.trim().to_string()))
        .filter(|name| !matches!(name.as_str(), "default" | "native-tls" | "testkit"))
        .collect();
    assert!(features.iter().any(|f| f == "rustls") && features.iter().any(|f| f == "tracing"), "{features:?}");
    features
}
