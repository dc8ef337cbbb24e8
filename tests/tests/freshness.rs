//! `generated/` is what `cargo xtask codegen` makes of `specs/` today, the
//! emission is deterministic, and the freshness comparison itself finds
//! stale, missing and extra files (and leaves the runtime alone).

use codegen::backend::{emit, load_specs, plan_write, EmitSettings, Emitted, Plan};
use std::path::{Path, PathBuf};

fn emit_committed_specs() -> Emitted {
    let root = netscaler_tests::workspace_root();
    let inputs = load_specs(&root.join("specs"));
    let errors: Vec<String> =
        inputs.diagnostics.iter().filter(|d| d.severity == codegen::Severity::Error).map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "specs/ has broken snapshots:\n{}", errors.join("\n"));
    emit(&inputs.apis, &EmitSettings::default())
}

#[test]
fn committed_generated_crate_is_fresh() {
    let emitted = emit_committed_specs();
    let generated = netscaler_tests::workspace_root().join("generated");
    let plan = plan_write(&generated, &emitted).expect("generated/ is readable");
    assert!(
        plan.is_fresh(),
        "generated/ is out of date (run `cargo xtask codegen`):\nstale: {:?}\nmissing: {:?}\nextra: {:?}",
        plan.stale,
        plan.missing,
        plan.extra
    );
}

#[test]
fn emitting_twice_gives_the_same_bytes() {
    let first = emit_committed_specs();
    let second = emit_committed_specs();
    assert_eq!(first.files.keys().collect::<Vec<_>>(), second.files.keys().collect::<Vec<_>>());
    for (path, text) in &first.files {
        assert!(second.files[path] == *text, "{} differs between two emissions", path.display());
    }
}

/// A scratch `generated/` under the workspace's target folder.
fn scratch(name: &str) -> PathBuf {
    let dir = netscaler_tests::workspace_root().join("target").join("freshness-scratch").join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(dir.join("src/runtime")).unwrap();
    dir
}

fn put(root: &Path, path: &str, text: &str) {
    let target = root.join(path);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(target, text).unwrap();
}

#[test]
fn plan_lists_stale_missing_and_extra_files_and_skips_the_runtime() {
    let root = scratch("plan");
    let mut emitted = Emitted::default();
    for (path, text) in [("Cargo.toml", "a\nb\n"), ("src/lib.rs", "lib\n"), ("src/adc/lb.rs", "lb\n"), ("src/adc/mod.rs", "m\n")] {
        emitted.files.insert(PathBuf::from(path), text.to_string());
    }
    put(&root, "Cargo.toml", "a\r\nb\r\n"); // CRLF checkout: not stale
    put(&root, "src/lib.rs", "old lib\n"); // stale
    put(&root, "src/adc/mod.rs", "m\n"); // unchanged
    put(&root, "src/adc/ssl.rs", "gone\n"); // extra
    put(&root, "src/runtime/client.rs", "hand-written\n"); // never extra
    put(&root, ".gitattributes", "x\n"); // dot-files are not ours either

    let plan = plan_write(&root, &emitted).unwrap();
    let paths = |list: &[&str]| list.iter().map(PathBuf::from).collect::<Vec<_>>();
    assert_eq!(
        plan,
        Plan {
            unchanged: paths(&["Cargo.toml", "src/adc/mod.rs"]),
            stale: paths(&["src/lib.rs"]),
            missing: paths(&["src/adc/lb.rs"]),
            extra: paths(&["src/adc/ssl.rs"]),
        }
    );
    assert!(!plan.is_fresh());
    assert_eq!(plan.to_write().collect::<Vec<_>>(), [&PathBuf::from("src/lib.rs"), &PathBuf::from("src/adc/lb.rs")]);
}

#[test]
fn plan_of_an_identical_tree_is_fresh() {
    let root = scratch("fresh");
    let mut emitted = Emitted::default();
    emitted.files.insert(PathBuf::from("src/lib.rs"), "lib\n".to_string());
    put(&root, "src/lib.rs", "lib\n");
    put(&root, "src/runtime/mod.rs", "pub mod client;\n");
    assert!(plan_write(&root, &emitted).unwrap().is_fresh());
}
