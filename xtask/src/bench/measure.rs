//! What the bench's measurements share: the machine's load, this
//! process's peak memory and CPU time (read from `/proc`), the cargo to
//! run, and the xtask child processes that report their figures as JSON.

use anyhow::{bail, Context};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};


/// The 1-minute load average: other builds on the machine skew timings.
pub(super) fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").ok().and_then(|t| t.split_whitespace().next().map(str::to_string)).unwrap_or_else(|| "?".into())
}

/// The xtask binary that runs the scrape and regeneration children: this
/// one when it is a release build or in quick mode, else a fresh release
/// build (timings of a debug scraper mean little).
pub(super) fn helper_exe(quick: bool) -> anyhow::Result<(PathBuf, &'static str)> {
    let this = std::env::current_exe().context("locating the xtask binary")?;
    if !cfg!(debug_assertions) {
        return Ok((this, "release"));
    }
    if quick {
        return Ok((this, "debug"));
    }
    println!("building xtask in release for the scrape/regenerate timings ...");
    // This workspace's xtask, also when measuring another one (`--root`).
    let root = crate::workspace_root();
    let status = Command::new(cargo()).current_dir(&root).args(["build", "--quiet", "--release", "-p", "xtask"]).status()?;
    if !status.success() {
        bail!("cargo build --release -p xtask failed");
    }
    Ok((root.join("target/release/xtask"), "release"))
}

/// Runs this binary as a child and parses the last line of its stdout.
pub(super) fn child_json(exe: &Path, args: &[&str]) -> anyhow::Result<Value> {
    let output = Command::new(exe).args(args).stderr(Stdio::inherit()).output().with_context(|| format!("running {}", exe.display()))?;
    if !output.status.success() {
        bail!("{} {} failed ({})", exe.display(), args.join(" "), output.status);
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().last().unwrap_or_default();
    serde_json::from_str(line).with_context(|| format!("reading the figures of `{}`", args.join(" ")))
}

/// This process's peak resident set (`VmHWM`), KiB.
pub(super) fn own_peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status").ok().and_then(|text| hwm_kib(&text)).unwrap_or(0)
}

pub(super) fn hwm_kib(status: &str) -> Option<u64> {
    status.lines().find_map(|line| line.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// User + system CPU time of this process (all threads), from
/// `/proc/self/stat` in clock ticks of 1/100 s (USER_HZ on Linux).
pub(super) fn own_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat").ok().and_then(|s| cpu_seconds(&s)).unwrap_or(0.0)
}

/// utime + stime of a `/proc/<pid>/stat` line, seconds.
pub(super) fn cpu_seconds(stat: &str) -> Option<f64> {
    // Fields after the command name (which may hold spaces) start at `state`.
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    // utime and stime are fields 14 and 15 of stat; `state` is field 3.
    Some((ticks(14 - 3)? + ticks(15 - 3)?) as f64 / 100.0)
}

pub(super) fn gb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1e9
}

pub(super) fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

pub(super) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_high_water_mark() {
        assert_eq!(hwm_kib("Name:\trustc\nVmPeak:\t 999 kB\nVmHWM:\t  123456 kB\n"), Some(123456));
        assert_eq!(hwm_kib("Name:\trustc\n"), None);
    }

    #[test]
    fn reads_cpu_time_past_a_name_with_spaces() {
        let stat = "42 (my prog) R 1 42 42 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 1 0";
        assert_eq!(cpu_seconds(stat), Some(3.0));
    }
}
