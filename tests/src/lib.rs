//! Helpers shared by the workspace-level tests in `tests/tests/`.

use std::path::PathBuf;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The shared data folder (`../shared` beside the checkout), or
/// `NETSCALER_SHARED` when set. `None` when absent: corpus tests then print
/// that they were skipped and why.
pub fn shared_root() -> Option<PathBuf> {
    let candidate = match std::env::var_os("NETSCALER_SHARED") {
        Some(path) => PathBuf::from(path),
        None => workspace_root().parent()?.join("shared"),
    };
    candidate.join("nitro-docs").is_dir().then_some(candidate)
}

pub mod hand_model;
pub mod nitro_server;
pub mod throughput;

/// Fixtures written by us, under `tests/fixtures/`.
pub fn fixtures() -> PathBuf {
    workspace_root().join("tests").join("fixtures")
}
