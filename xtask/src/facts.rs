//! `cargo xtask facts`: derived NITRO facts (13.1, 14.1), overlaid on the
//! newest documented snapshot, -> IR snapshot.
//!
//! `cargo xtask facts --facts ../shared/nitro-facts/adc-14.1.json
//!   --errors ../shared/nitro-facts/errors-14.1.json
//!   --base specs/nitro/adc/12.1.json --out specs/nitro/adc/14.1.json`

use anyhow::Context;
use codegen::frontend::facts::{overlay_errors, read_facts_errors_within, read_facts_within};
use codegen::ir::Api;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Derived-facts file (`adc-<release>.json`)
    #[arg(long)]
    facts: PathBuf,
    /// Snapshot to overlay on (the newest documented release); without it
    /// the snapshot holds only what the facts state
    #[arg(long)]
    base: Option<PathBuf>,
    /// Derived error listing (`errors-<release>.json`) for the error table
    #[arg(long)]
    errors: Option<PathBuf>,
    /// Output snapshot (default: print a summary only)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Largest facts or error-listing file read, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = codegen::frontend::limits::DEFAULT_MAX_INPUT_BYTES)]
    max_input_bytes: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let base: Option<Api> = match &args.base {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            Some(codegen::ir::parse_snapshot(&text).with_context(|| format!("{} is not an IR snapshot", path.display()))?)
        }
        None => None,
    };
    let mut lowered = read_facts_within(&args.facts, base.as_ref(), args.max_input_bytes);
    if let Some(path) = &args.errors {
        let (errors, diagnostics) = read_facts_errors_within(path, args.max_input_bytes);
        overlay_errors(&mut lowered.api, errors);
        lowered.diagnostics.extend(diagnostics);
    }
    if crate::report::report(&lowered.diagnostics).failed() {
        return Ok(crate::report::failure("the facts were not fully read (errors above); not written"));
    }
    let api = &lowered.api;
    let properties: usize = api.resources.values().map(|r| r.properties.len()).sum();
    eprintln!(
        "{} {}: {} resources, {} properties, {} error codes",
        api.product.as_str(),
        api.release,
        api.resources.len(),
        properties,
        api.errors.len()
    );
    if let Some(out) = &args.out {
        write_snapshot(out, api)?;
        eprintln!("wrote {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes an IR snapshot in the format `cargo xtask scrape` uses
/// ([`codegen::ir::snapshot_json`]), atomically. Shared with
/// `scrape-bundle`.
pub fn write_snapshot(out: &std::path::Path, api: &Api) -> anyhow::Result<()> {
    crate::write::write_file(out, codegen::ir::snapshot_json(api))
}
