//! Cold crate-only `cargo check` and `cargo build` of `netscaler`, with the
//! peak RSS and CPU time of its rustc, polled from `/proc`.

use super::measure::{cargo, cpu_seconds, hwm_kib, load, mib};
use super::size::declared_features;
use anyhow::{bail, Context};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One timed cargo run.
pub(super) struct Timed {
    pub(super) label: String,
    pub(super) seconds: f64,
    /// Peak RSS of the rustc compiling netscaler, KiB (0 if not seen).
    pub(super) rustc_peak_kib: u64,
    /// How long that rustc was seen running (poll resolution).
    pub(super) rustc_seconds: f64,
    /// Its user + system CPU time (last poll): less sensitive than wall
    /// time to other work on the machine.
    pub(super) rustc_cpu_seconds: f64,
    pub(super) load: String,
}

pub(super) struct Compile {
    pub(super) runs: Vec<Timed>,
}

pub(super) fn compile(root: &Path, quick: bool) -> anyhow::Result<Option<Compile>> {
    let generated = root.join("generated");
    let features = declared_features(&generated);
    let target = root.join("target").join("bench");
    let target_arg = target.to_string_lossy().to_string();

    // Every ADC group: the scope of the "obvious shape" figures
    // (ADM groups are `adm-*`; the ADC has a group named `adm` too).
    let adc: Vec<&str> = features.iter().map(String::as_str).filter(|f| !f.starts_with("adm-") && *f != "nextgen").collect();
    let adc = adc.join(",");
    // (label, cargo subcommand, feature arguments, the features it needs)
    let all: Vec<(&str, &str, Vec<&str>, Vec<&str>)> = vec![
        ("check --no-default-features", "check", vec!["--no-default-features"], vec![]),
        ("check (default features)", "check", vec![], vec![]),
        ("check --no-default-features --features lb", "check", vec!["--no-default-features", "--features", "lb"], vec!["lb"]),
        ("check, every ADC group", "check", vec!["--no-default-features", "--features", &adc], vec!["lb"]),
        ("check --all-features", "check", vec!["--all-features"], vec![]),
        ("build, every ADC group (debug)", "build", vec!["--no-default-features", "--features", &adc], vec!["lb"]),
        ("build --all-features (debug)", "build", vec!["--all-features"], vec![]),
    ];
    let plan: Vec<_> = all
        .into_iter()
        .filter(|(label, ..)| !quick || label.contains("features lb"))
        .filter(|(label, _, _, needs)| {
            let missing: Vec<&&str> = needs.iter().filter(|f| !features.contains(**f)).collect();
            if !missing.is_empty() {
                println!("skipped `{label}`: generated/Cargo.toml declares no feature {missing:?}");
            }
            missing.is_empty()
        })
        .collect();
    if plan.is_empty() {
        return Ok(None);
    }

    // Dependencies once, for check and (full mode) build, untimed.
    let logs = target.join("logs");
    std::fs::create_dir_all(&logs)?;
    // Feature sets change only netscaler, never its dependencies.
    let mut modes = vec!["check"];
    if plan.iter().any(|(_, sub, ..)| *sub == "build") {
        modes.push("build");
    }
    for sub in modes {
        println!("building the dependencies for `cargo {sub}` into target/bench (untimed) ...");
        let mut warm = cargo_command(root, &target_arg, sub);
        warm.args(["--no-default-features"]);
        let status = warm.stdout(Stdio::null()).stderr(log_file(&logs, &format!("warm-{sub}"))?).status()?;
        if !status.success() {
            bail!("warming target/bench failed; see {}", logs.join(format!("warm-{sub}.log")).display());
        }
    }

    let mut runs = Vec::new();
    let mut timings = None;
    println!("{:<45} {:>8} {:>9} {:>12} {:>14} {:>6}", "command (crate only, cold)", "wall s", "rustc s", "rustc cpu s", "rustc peak MiB", "load");
    for (label, sub, feature_args, _) in plan {
        // Each cold compile takes up to a minute: say which one runs (on a
        // terminal only; the table row follows when it ends).
        crate::progress(&format!("  compiling: {label} ..."));
        clean_netscaler(root, &target_arg)?;
        let mut command = cargo_command(root, &target_arg, sub);
        command.args(&feature_args);
        let with_timings = sub == "build";
        if with_timings {
            command.arg("--timings");
        }
        let log = logs.join(format!("{}.log", label.replace([' ', '(', ')'], "_")));
        command.stdout(Stdio::null()).stderr(std::fs::File::create(&log)?);
        let timed = run_timed(command, label, &target_arg)?;
        println!(
            "{:<45} {:>8.2} {:>9.2} {:>12.2} {:>14.0} {:>6}",
            timed.label,
            timed.seconds,
            timed.rustc_seconds,
            timed.rustc_cpu_seconds,
            mib(timed.rustc_peak_kib),
            timed.load
        );
        if with_timings {
            timings = netscaler_timing(&target);
        }
        runs.push(timed);
    }
    if let Some((total, rmeta)) = timings {
        println!(
            "cargo build --timings (target/bench/cargo-timings/cargo-timing.html): netscaler {total:.1} s, of which front end {rmeta:.1} s (what check does) and code generation {:.1} s",
            total - rmeta
        );
    }
    Ok(Some(Compile { runs }))
}

fn cargo_command(root: &Path, target: &str, sub: &str) -> Command {
    let mut command = Command::new(cargo());
    command
        .current_dir(root)
        .args([sub, "-p", "netscaler", "--lib", "--target-dir", target])
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TERM_COLOR", "never");
    command
}

fn log_file(logs: &Path, name: &str) -> anyhow::Result<std::fs::File> {
    Ok(std::fs::File::create(logs.join(format!("{name}.log")))?)
}

fn clean_netscaler(root: &Path, target: &str) -> anyhow::Result<()> {
    let status = Command::new(cargo())
        .current_dir(root)
        .args(["clean", "--quiet", "-p", "netscaler", "--target-dir", target])
        .status()
        .context("cargo clean -p netscaler")?;
    if !status.success() {
        bail!("cargo clean -p netscaler failed");
    }
    Ok(())
}

/// Runs a cargo command to completion, polling for the rustc that compiles
/// `netscaler` into `target` and its peak RSS.
fn run_timed(mut command: Command, label: &str, target: &str) -> anyhow::Result<Timed> {
    let load = load();
    let started = Instant::now();
    let mut child = command.spawn().with_context(|| format!("running `cargo {label}`"))?;
    let mut seen: BTreeMap<u32, Sample> = BTreeMap::new();
    let mut tracked: Option<u32> = None;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        match tracked {
            Some(pid) => match std::fs::read_to_string(format!("/proc/{pid}/status")).ok().and_then(|s| hwm_kib(&s)) {
                Some(kib) => {
                    let sample = seen.get_mut(&pid).expect("tracked pids are seen");
                    sample.last = Instant::now();
                    sample.peak_kib = sample.peak_kib.max(kib);
                    if let Some(cpu) = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok().and_then(|s| cpu_seconds(&s)) {
                        sample.cpu_seconds = sample.cpu_seconds.max(cpu);
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                None => tracked = None,
            },
            None => {
                tracked = find_rustc(target, &seen);
                if let Some(pid) = tracked {
                    let now = Instant::now();
                    seen.insert(pid, Sample { first: now, last: now, peak_kib: 0, cpu_seconds: 0.0 });
                } else {
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    if !status.success() {
        bail!("`cargo {label}` failed ({status}); see target/bench/logs/");
    }
    let rustc_peak_kib = seen.values().map(|s| s.peak_kib).max().unwrap_or(0);
    let rustc_seconds = seen.values().map(|s| s.last.duration_since(s.first).as_secs_f64()).sum();
    let rustc_cpu_seconds = seen.values().map(|s| s.cpu_seconds).sum();
    Ok(Timed { label: label.to_string(), seconds, rustc_peak_kib, rustc_seconds, rustc_cpu_seconds, load })
}

/// What polling saw of one rustc process.
pub(super) struct Sample {
    pub(super) first: Instant,
    pub(super) last: Instant,
    pub(super) peak_kib: u64,
    pub(super) cpu_seconds: f64,
}

/// A running rustc with `--crate-name netscaler` writing into `target`
/// (others may compile their own copy elsewhere), not seen before.
fn find_rustc(target: &str, seen: &BTreeMap<u32, Sample>) -> Option<u32> {
    let entries = std::fs::read_dir("/proc").ok()?;
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        if seen.contains_key(&pid) {
            continue;
        }
        let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else { continue };
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        let is_rustc = args.first().is_some_and(|a| a.ends_with(b"rustc"));
        let names_us = args.windows(2).any(|w| w[0] == b"--crate-name" && w[1] == b"netscaler");
        let in_target = args.iter().any(|a| a.starts_with(target.as_bytes()));
        if is_rustc && names_us && in_target {
            return Some(pid);
        }
    }
    None
}

/// netscaler's (total, to-metadata) seconds from the newest
/// `cargo-timing.html`, whose `UNIT_DATA` is a JSON array.
fn netscaler_timing(target: &Path) -> Option<(f64, f64)> {
    let html = std::fs::read_to_string(target.join("cargo-timings/cargo-timing.html")).ok()?;
    let start = html.find("const UNIT_DATA = ")? + "const UNIT_DATA = ".len();
    let end = start + html[start..].find(";\n")?;
    let units: Value = serde_json::from_str(&html[start..end]).ok()?;
    let unit = units.as_array()?.iter().find(|u| u["name"] == "netscaler")?;
    // Newer cargo splits a unit into named sections; older ones give the
    // time to metadata.
    let frontend = unit["sections"].as_array().and_then(|sections| {
        let section = sections.iter().find(|s| s[0] == "frontend")?;
        Some(section[1]["end"].as_f64()? - section[1]["start"].as_f64()?)
    });
    Some((unit["duration"].as_f64()?, frontend.or(unit["rmeta_time"].as_f64()).unwrap_or(0.0)))
}
