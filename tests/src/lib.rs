//! Helpers shared by the workspace-level tests in `tests/tests/`.

use std::path::PathBuf;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The shared reference data (`../shared` beside the checkout, or the
/// folder `NETSCALER_SHARED` names) for the corpus tests, which read the
/// vendor's pages that are never committed here.
///
/// When it is absent a corpus test must not read `ok`: this panics with a
/// message naming `NETSCALER_SHARED`, unless `NETSCALER_SKIP_CORPUS=1`
/// asks to skip, in which case it prints the skip (shown with
/// `--nocapture`) and returns `None`.
pub fn shared_root() -> Option<PathBuf> {
    let (candidate, how) = match std::env::var_os("NETSCALER_SHARED") {
        Some(path) => (PathBuf::from(path), "NETSCALER_SHARED"),
        None => (workspace_root().parent()?.join("shared"), "the default ../shared"),
    };
    if candidate.join("nitro-docs").is_dir() {
        return Some(candidate);
    }
    let skip = std::env::var_os("NETSCALER_SKIP_CORPUS").is_some_and(|v| v == "1");
    let missing = format!("the shared reference data is absent: {} ({how}) has no nitro-docs/ folder", candidate.display());
    if skip {
        eprintln!("skipped (NETSCALER_SKIP_CORPUS=1): {missing}");
        return None;
    }
    panic!(
        "{missing}.\nSet NETSCALER_SHARED to the folder that holds nitro-docs/ (see README, \"Reference data\"), \
         or set NETSCALER_SKIP_CORPUS=1 to skip the corpus tests."
    );
}

pub mod hand_model;
pub mod nested;
pub mod nitro_server;
pub mod throughput;
pub mod tls_server;

/// Fixtures written by us, under `tests/fixtures/`.
pub fn fixtures() -> PathBuf {
    workspace_root().join("tests").join("fixtures")
}

#[cfg(test)]
mod tests {
    /// One test: it sets the process environment, read by nothing else in
    /// this binary.
    #[test]
    fn absent_shared_data_fails_unless_skipping_is_asked_for() {
        let absent = super::workspace_root().join("target").join("no-such-shared-folder");
        std::env::set_var("NETSCALER_SHARED", &absent);
        std::env::remove_var("NETSCALER_SKIP_CORPUS");
        let panic = std::panic::catch_unwind(super::shared_root).expect_err("absent data must fail the test");
        let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(message.contains("NETSCALER_SHARED") && message.contains("NETSCALER_SKIP_CORPUS=1"), "{message}");
        assert!(message.contains("no-such-shared-folder"), "{message}");
        std::env::set_var("NETSCALER_SKIP_CORPUS", "1");
        assert_eq!(super::shared_root(), None);
        let present = super::workspace_root().join("target").join("shared-folder-for-test");
        std::fs::create_dir_all(present.join("nitro-docs")).unwrap();
        std::env::set_var("NETSCALER_SHARED", &present);
        assert_eq!(super::shared_root(), Some(present));
        std::env::remove_var("NETSCALER_SKIP_CORPUS");
        std::env::remove_var("NETSCALER_SHARED");
    }
}
