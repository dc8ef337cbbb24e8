//! Nested cargo builds of emitted crates: the backend's fixture crate
//! (`backend_compile`), the OpenAPI compile crates (`openapi_codegen`,
//! `openapi_public`) and the standalone crate (`openapi_standalone`), all
//! modules of the `generator` test binary. All are `check`/`clippy`/`doc`
//! runs on one dependency graph (the runtime's dependencies with `rustls`;
//! `tracing` only adds its own crates),
//! so a cold run checks the dependencies once; the round trip of the
//! standalone module runs inside the test binary instead of a nested
//! `cargo test`, which built the HTTP stack a second time.
//!
//! They all build in one target folder, [`target_dir`], with the same
//! flags (warnings denied), so what they share (serde, tokio, reqwest,
//! hyper, the TLS stacks, the proc macros) is compiled once per cold test
//! run, not once per test: each used to have its own folder, and one ran
//! without `-D warnings`, which alone made cargo build every dependency
//! again. The folder is not the workspace's own `target/debug`: `cargo
//! test` holds that folder's lock while the tests run.

use crate::workspace_root;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The target folder every nested build shares.
pub fn target_dir() -> PathBuf {
    workspace_root().join("target").join("nested")
}

/// `cargo <args>` for the crate whose manifest is `manifest`, in the
/// shared target folder, warnings denied for code and docs.
pub fn cargo(manifest: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let (command, rest) = args.split_first().expect("a cargo command");
    Command::new(cargo)
        .arg(command)
        .arg("--manifest-path")
        .arg(manifest)
        .args(rest)
        .current_dir(manifest.parent().expect("a manifest has a folder"))
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs")
}

/// Stdout and stderr of a nested build, for a failure message.
pub fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}
