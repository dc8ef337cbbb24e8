//! The full regeneration (load specs, emit, compare), in a child process.

use super::measure::{child_json, mib, own_cpu_seconds, own_peak_kib};
use anyhow::Context;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub(super) struct Regen {
    pub(super) build: &'static str,
    pub(super) seconds: f64,
    pub(super) cpu_seconds: f64,
    pub(super) peak_kib: u64,
    pub(super) files: u64,
    pub(super) lines: u64,
}

pub(super) fn regenerate(root: &Path, helper: &(PathBuf, &'static str)) -> anyhow::Result<Regen> {
    let out = child_json(&helper.0, &["bench", "--child-regen", "--root", &root.to_string_lossy()])?;
    let regen = Regen {
        build: helper.1,
        seconds: out["seconds"].as_f64().unwrap_or_default(),
        cpu_seconds: out["cpu_seconds"].as_f64().unwrap_or_default(),
        peak_kib: out["peak_kib"].as_u64().unwrap_or_default(),
        files: out["files"].as_u64().unwrap_or_default(),
        lines: out["lines"].as_u64().unwrap_or_default(),
    };
    println!(
        "regenerate (load specs/ {:.2} s, emit {:.2} s, compare with generated/; nothing written): {:.3} s wall, {:.2} s cpu, peak {:.1} MiB, {} files, {} lines ({} build)",
        out["load_seconds"].as_f64().unwrap_or_default(),
        out["emit_seconds"].as_f64().unwrap_or_default(),
        regen.seconds,
        regen.cpu_seconds,
        mib(regen.peak_kib),
        regen.files,
        regen.lines,
        regen.build
    );
    if let Some(fresh) = out["fresh"].as_bool() {
        if !fresh {
            println!("note: generated/ differs from a fresh emission (run `cargo xtask codegen`)");
        }
    }
    Ok(regen)
}

/// What `cargo xtask codegen --check` does, without printing: the same
/// library calls as `codegen_cmd`.
pub(super) fn child_regen(root: &Path) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let inputs = codegen::inputs::load_specs(&root.join("specs"));
    let loaded = started.elapsed().as_secs_f64();
    let emitted = codegen::pipeline::emit_all(&inputs, &codegen::backend::EmitSettings::default());
    let emitted_at = started.elapsed().as_secs_f64();
    let plan = codegen::backend::plan_write(&root.join("generated"), &emitted).context("comparing generated/")?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({
            "seconds": seconds,
            "load_seconds": loaded,
            "emit_seconds": emitted_at - loaded,
            "cpu_seconds": own_cpu_seconds(),
            "peak_kib": own_peak_kib(),
            "files": emitted.files.len(),
            "lines": emitted.total_lines(),
            "fresh": plan.is_fresh(),
        })
    );
    Ok(ExitCode::SUCCESS)
}
