//! `cargo xtask check-features`: every Cargo feature of the generated
//! crate compiles on its own, without warnings (`cargo check -p netscaler
//! --no-default-features --features <one>`), plus no features at all.
//!
//! The backend makes each group feature enable the groups its types name;
//! this proves it for each feature. Too slow for CI on two cores (about a
//! hundred checks): CI checks a sample (`.ci/run`), this checks them all.

use anyhow::{bail, Context};
use std::process::{Command, ExitCode};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Only these features (comma separated); all of them by default
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Pass `--all-targets` too (examples and tests need their
    /// `required-features`, so this mostly adds time)
    #[arg(long)]
    all_targets: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = crate::workspace_root();
    let manifest = std::fs::read_to_string(root.join("generated/Cargo.toml")).context("reading generated/Cargo.toml")?;
    let mut features = features_of(&manifest);
    if !args.only.is_empty() {
        for wanted in &args.only {
            if !features.contains(wanted) {
                bail!("generated/Cargo.toml has no feature `{wanted}`");
            }
        }
        features.retain(|feature| args.only.contains(feature));
    } else {
        // "no features" first: the runtime alone.
        features.insert(0, String::new());
    }
    let started = Instant::now();
    let mut failed = Vec::new();
    for (index, feature) in features.iter().enumerate() {
        let shown = if feature.is_empty() { "(none)" } else { feature.as_str() };
        let one = Instant::now();
        let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        // `cargo rustc --profile check` is `cargo check` with flags for the
        // last crate only: warnings are failures (a feature alone must not
        // leave unused code) without rebuilding the dependencies, as
        // RUSTFLAGS would.
        command.current_dir(&root).args(["rustc", "-q", "--profile", "check", "-p", "netscaler", "--no-default-features"]);
        if !feature.is_empty() {
            command.args(["--features", feature]);
        }
        command.arg(if args.all_targets { "--all-targets" } else { "--lib" });
        command.args(["--", "-D", "warnings"]);
        let status = command.status().with_context(|| format!("running cargo check for {shown}"))?;
        println!("[{}/{}] {shown}: {} ({:.1} s)", index + 1, features.len(), if status.success() { "ok" } else { "FAILED" }, one.elapsed().as_secs_f64());
        if !status.success() {
            failed.push(shown.to_string());
        }
    }
    println!(
        "{} of {} feature checks compile alone ({:.0} s)",
        features.len() - failed.len(),
        features.len(),
        started.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(crate::report::failure(format!("these do not compile alone: {}", failed.join(", "))))
    }
}

/// Feature names under `[features]` of the generated manifest, without
/// `default` and `full` (which are unions of the others). The backend
/// writes one `name = [...]` line per feature.
fn features_of(manifest: &str) -> Vec<String> {
    let mut in_features = false;
    let mut names = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') && !line.starts_with("[\"") {
            in_features = line == "[features]";
            continue;
        }
        if !in_features {
            continue;
        }
        if let Some((name, _)) = line.split_once('=') {
            let name = name.trim().trim_matches('"');
            if !name.is_empty() && name != "default" && name != "full" {
                names.push(name.to_string());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_feature_table_only() {
        let manifest = "[package]\nname = \"x\"\n[features]\ndefault = [\"lb\"]\nfull = [\"lb\", \"ssl\"]\nlb = []\n\"adm-x\" = [\"lb\"]\nssl = [\"lb\"]\n[dev-dependencies]\ntokio = \"1\"\n";
        assert_eq!(features_of(manifest), ["lb", "adm-x", "ssl"]);
    }
}
