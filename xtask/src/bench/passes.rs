//! Where the all-features check time goes: `-Ztime-passes`, full mode only.

use super::measure::cargo;
use anyhow::Context;
use std::path::Path;
use std::process::Command;

pub(super) struct Pass {
    pub(super) name: String,
    pub(super) seconds: f64,
    pub(super) rss_mb: u64,
}

/// `RUSTC_BOOTSTRAP=1 cargo rustc -p netscaler --all-features --profile
/// check -- -Ztime-passes`: the passes that take the time of a check.
pub(super) fn time_passes(root: &Path) -> anyhow::Result<Vec<Pass>> {
    let target = root.join("target").join("bench");
    let mut command = Command::new(cargo());
    command
        .current_dir(root)
        .args(["rustc", "-p", "netscaler", "--lib", "--all-features", "--profile", "check", "--target-dir"])
        .arg(&target)
        .args(["--", "-Ztime-passes"])
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TERM_COLOR", "never");
    let output = command.output().context("cargo rustc -Ztime-passes")?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    std::fs::write(target.join("logs/time-passes.log"), &text)?;
    if !output.status.success() {
        println!("skipped: -Ztime-passes failed ({}); see target/bench/logs/time-passes.log", output.status);
        return Ok(Vec::new());
    }
    let mut passes: Vec<Pass> = text.lines().filter_map(parse_pass).collect();
    let total = passes.iter().find(|p| p.name == "total").map(|p| p.seconds);
    passes.retain(|p| p.name != "total");
    passes.sort_by(|a, b| b.seconds.total_cmp(&a.seconds));
    passes.truncate(12);
    println!("-Ztime-passes, check --all-features (total {:.2} s); the 12 longest passes (nested passes are inside their parents):", total.unwrap_or(f64::NAN));
    for pass in &passes {
        println!("  {:>7.2} s  rss {:>5} MB  {}", pass.seconds, pass.rss_mb, pass.name);
    }
    Ok(passes)
}

/// `time:   1.234; rss:  100MB ->  200MB ( +100MB)\ttypeck`
fn parse_pass(line: &str) -> Option<Pass> {
    let rest = line.strip_prefix("time:")?;
    let (seconds, rest) = rest.split_once(';')?;
    let seconds = seconds.trim().parse().ok()?;
    let name = rest.rsplit(['\t', ')']).next()?.trim().to_string();
    let rss_mb = rest
        .split("->")
        .nth(1)
        .and_then(|after| after.trim_start().split("MB").next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    Some(Pass { name, seconds, rss_mb })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_time_passes_line() {
        let pass = parse_pass("time:   1.234; rss:  100MB ->  250MB ( +150MB)\ttype_check_crate").expect("a pass");
        assert_eq!(pass.name, "type_check_crate");
        assert!((pass.seconds - 1.234).abs() < 1e-9);
        assert_eq!(pass.rss_mb, 250);
        assert!(parse_pass("warning: unused").is_none());
    }
}
