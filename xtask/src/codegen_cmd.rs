//! `cargo xtask codegen`: specs/ -> generated/.
//!
//! Reads every IR snapshot under `specs/nitro/`, emits the crate from the
//! newest release of each product, and writes the files whose bytes
//! changed, deleting generated files nobody produced (never the
//! hand-written `generated/src/runtime/`). With `--check` nothing is
//! written: stale, missing and extra files are listed and the command
//! fails, for CI.

use anyhow::Context;
use codegen::backend::{self, EmitSettings, Plan};
use codegen::Severity;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Compare generated/ with a fresh emission instead of writing it
    #[arg(long)]
    check: bool,
    /// List every diagnostic (notes included), not only the counts
    #[arg(short, long)]
    verbose: bool,
    /// Put the vendor's descriptions into doc comments (never commit this)
    #[arg(long)]
    descriptions: bool,
    /// Read snapshots from this folder instead of the workspace's specs/
    #[arg(long, value_name = "DIR")]
    specs: Option<std::path::PathBuf>,
    /// Write (or check) this folder instead of the workspace's generated/
    /// (for trying other inputs; it needs its own copy of src/runtime/)
    #[arg(long, value_name = "DIR")]
    out: Option<std::path::PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let root = crate::workspace_root();
    let generated = args.out.clone().unwrap_or_else(|| root.join("generated"));
    let specs = args.specs.clone().unwrap_or_else(|| root.join("specs"));

    // NITRO snapshots (newest release of each product) and the Next-Gen
    // description.
    let inputs = backend::load_specs(&specs);
    if inputs.apis.is_empty() {
        eprintln!("warning: no IR snapshots under specs/; the crate will hold the runtime only");
    }
    for (product, releases) in &inputs.releases {
        println!("{}: releases {}; emitting {}", product.as_str(), releases.join(", "), releases.last().map_or("-", String::as_str));
    }
    let read_time = started.elapsed();
    let settings = EmitSettings { descriptions: args.descriptions, ..Default::default() };
    let mut emitted = backend::emit_inputs(&inputs, &settings);
    let emit_time = started.elapsed() - read_time;
    let mut diagnostics = inputs.diagnostics;
    diagnostics.append(&mut emitted.diagnostics);
    diagnostics.sort();
    let errors = report_diagnostics(&diagnostics, args.verbose);
    if errors > 0 {
        eprintln!("error: {errors} error(s) in the inputs; generated/ left as it is");
        return Ok(ExitCode::FAILURE);
    }

    let plan = backend::plan_write(&generated, &emitted).context("comparing generated/")?;
    for path in &plan.unmanaged {
        eprintln!("warning: generated/{} is not written by the backend (no @generated marker); left alone", path.display());
    }
    let summary = format!(
        "{} files, {} lines, {} bytes; specs read and annotated in {:.2} s, emitted in {:.2} s",
        emitted.files.len(),
        emitted.total_lines(),
        emitted.total_bytes(),
        read_time.as_secs_f64(),
        emit_time.as_secs_f64()
    );

    if args.check {
        println!("{summary}");
        if plan.is_fresh() {
            println!("generated/ is fresh");
            return Ok(ExitCode::SUCCESS);
        }
        list("stale", &plan.stale);
        list("missing", &plan.missing);
        list("extra", &plan.extra);
        eprintln!("generated/ is out of date: run `cargo xtask codegen` to update generated/");
        return Ok(ExitCode::FAILURE);
    }

    write(&generated, &emitted, &plan)?;
    println!(
        "{summary}; wrote {} ({} new), deleted {}, unchanged {}",
        plan.stale.len() + plan.missing.len(),
        plan.missing.len(),
        plan.extra.len(),
        plan.unchanged.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn write(generated: &std::path::Path, emitted: &backend::Emitted, plan: &Plan) -> anyhow::Result<()> {
    for path in plan.to_write() {
        let target = generated.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&target, &emitted.files[path]).with_context(|| format!("writing {}", target.display()))?;
    }
    for path in &plan.extra {
        // `plan_write` never lists the runtime; checked again because a
        // deletion there would lose hand-written code.
        if path.starts_with(backend::RUNTIME_DIR) {
            continue;
        }
        let target = generated.join(path);
        std::fs::remove_file(&target).with_context(|| format!("deleting {}", target.display()))?;
        // Drop folders the deletion left empty (say a product no longer
        // given); `remove_dir` fails harmlessly on a folder still in use.
        let mut parent = target.parent();
        while let Some(folder) = parent {
            if folder == generated || std::fs::remove_dir(folder).is_err() {
                break;
            }
            parent = folder.parent();
        }
    }
    Ok(())
}

fn list(what: &str, paths: &[std::path::PathBuf]) {
    for path in paths {
        eprintln!("  {what}: generated/{}", path.display());
    }
}

/// Prints errors and warnings (and notes with `-v`) and the counts;
/// returns the number of errors.
fn report_diagnostics(diagnostics: &[codegen::Diagnostic], verbose: bool) -> usize {
    let count = |severity| diagnostics.iter().filter(|d| d.severity == severity).count();
    let (errors, warnings, notes) = (count(Severity::Error), count(Severity::Warning), count(Severity::Note));
    for diagnostic in diagnostics {
        if verbose || diagnostic.severity == Severity::Error {
            eprintln!("{diagnostic}");
        }
    }
    println!("diagnostics: {errors} error(s), {warnings} warning(s), {notes} note(s){}", if verbose { "" } else { " (-v lists them)" });
    errors
}
