//! Typed decode/encode throughput against `serde_json::Value` (the `bench` crate).

use super::measure::{cargo, load};
use super::Args;
use anyhow::{bail, Context};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

pub(super) struct Throughput {
    pub(super) build: String,
    pub(super) sets: Vec<Value>,
}

/// Runs the `bench` crate (release; debug with `--quick`) and reads one
/// JSON object per data set from its stdout.
pub(super) fn throughput(root: &Path, args: &Args) -> anyhow::Result<Option<Throughput>> {
    if !root.join("bench/Cargo.toml").is_file() {
        println!("skipped: no bench/ crate in the workspace");
        return Ok(None);
    }
    let objects = args.objects.unwrap_or(if args.quick { 500 } else { 10_000 });
    let rounds = if args.quick { 2 } else { 15 };
    let mut command = Command::new(cargo());
    command.current_dir(root).args(["run", "--quiet", "-p", "bench"]);
    if !args.quick {
        command.arg("--release");
    }
    println!("cargo run{} -p bench -- {objects} objects, best of {rounds} rounds ...", if args.quick { "" } else { " --release" });
    command.args(["--", "--objects", &objects.to_string(), "--rounds", &rounds.to_string()]);
    let output = command.stderr(Stdio::inherit()).output().context("running the bench crate")?;
    if !output.status.success() {
        bail!("the throughput binary failed ({})", output.status);
    }
    let mut sets = Vec::new();
    let mut build = String::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(set) = serde_json::from_str::<Value>(line) else {
            println!("{line}");
            continue;
        };
        build = set["build"].as_str().unwrap_or_default().to_string();
        let mb = |key: &str| set["bytes"].as_f64().unwrap_or_default() / 1e6 / set[key].as_f64().unwrap_or(f64::NAN);
        println!(
            "{}: {} objects, {:.1} MB; decode typed {:.0} MB/s, Value {:.0} MB/s: typed {:.2}x; encode typed {:.0} MB/s, Value {:.0} MB/s: typed {:.2}x",
            set["label"].as_str().unwrap_or_default(),
            set["objects"],
            set["bytes"].as_f64().unwrap_or_default() / 1e6,
            mb("typed_decode_s"),
            mb("value_decode_s"),
            speedup(&set, "decode"),
            mb("typed_encode_s"),
            mb("value_encode_s"),
            speedup(&set, "encode"),
        );
        if set["bulk_request_s"].is_number() {
            println!(
                "  the client's bulk add of the same objects (request built, body written): {:.0} MB/s, {:.2}x Value's encode",
                mb("bulk_request_s"),
                set["value_encode_s"].as_f64().unwrap_or(f64::NAN) / set["bulk_request_s"].as_f64().unwrap_or(f64::NAN),
            );
        }
        sets.push(set);
    }
    println!("({build} build; typed Nx = typed speed / Value speed, above 1 typed is faster; load {})", load());
    Ok(Some(Throughput { build, sets }))
}

/// Value time over typed time: how many times faster typed is.
pub(super) fn speedup(set: &Value, what: &str) -> f64 {
    let time = |key: String| set[key].as_f64().unwrap_or(f64::NAN);
    time(format!("value_{what}_s")) / time(format!("typed_{what}_s"))
}

// ---------------------------------------------------------------- compile
