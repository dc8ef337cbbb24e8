//! `cargo xtask openapi <document> --out <dir> --name <crate>`: a
//! standalone client crate from any OpenAPI 3.0 document (YAML or JSON).
//!
//! The crate is the backend's standalone mode
//! (`codegen::backend::standalone`, chosen through
//! `EmitSettings::standalone`): the same frontend, IR and HTTP backend as
//! the Next-Gen module of `netscaler`. Files are written only when their
//! bytes change. Diagnostics are printed; an unreadable document, another
//! version than 3.0 or any other error exits non-zero before writing.
//!
//! `--bench` measures the generator on the document instead
//! ([`crate::openapi_bench`]).

use anyhow::Context;
use codegen::backend::standalone::Standalone;
use codegen::backend::{emit, EmitSettings};
use codegen::frontend::openapi::{read_openapi, OpenApiSettings};
use codegen::ir::Product;
use codegen::Severity;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// The OpenAPI 3.0 document (.yaml, .yml or .json); with --bench, a bare
    /// file name is also looked up among the `openapiv3` crate's fixtures
    document: PathBuf,
    /// Folder of the crate to write (created when missing)
    #[arg(long, value_name = "DIR", required_unless_present = "bench")]
    out: Option<PathBuf>,
    /// Package name of the crate
    #[arg(long, default_value = "openapi-client")]
    name: String,
    /// Package version of the crate
    #[arg(long, value_name = "VERSION", default_value = "0.1.0")]
    crate_version: String,
    /// SPDX licence of the crate (its runtime part is Apache-2.0)
    #[arg(long, default_value = "Apache-2.0")]
    license: String,
    /// Repository URL for the manifest
    #[arg(long)]
    repository: Option<String>,
    /// List every diagnostic (notes included), not only warnings and errors
    #[arg(short, long)]
    verbose: bool,
    /// Measure generation time, generated lines and crate-only `cargo check`
    /// time on the document instead of writing a crate
    #[arg(long)]
    bench: bool,
    /// With --bench: one generation run and no `cargo check` (CI)
    #[arg(long)]
    quick: bool,
    #[command(flatten)]
    limits: crate::limits::LimitArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.bench {
        let document = crate::openapi_bench::find_document(&args.document)?;
        let figures = crate::openapi_bench::bench_openapi(&document, args.quick);
        println!("{figures}");
        return Ok(if figures.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE });
    }
    let out = args.out.clone().context("--out is required")?;
    // Cargo's rule for package names, checked here so that no crate is
    // written that cargo then refuses.
    let valid_name = args.name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && args.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && args.name.len() <= 64;
    if !valid_name {
        eprintln!("error: `{}` is not a valid package name (a letter, then letters, digits, `-` or `_`)", args.name);
        return Ok(ExitCode::FAILURE);
    }
    let started = Instant::now();
    let file_name = args.document.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let lowered = read_openapi(&args.document, &OpenApiSettings { product: Product::Openapi, origin_file: file_name.clone(), descriptions: false, limits: args.limits.limits() });
    let mut diagnostics = lowered.diagnostics.clone();
    let emitted = if lowered.has_errors() {
        None
    } else {
        let standalone = Standalone { name: args.name.clone(), version: args.crate_version.clone(), license: args.license.clone(), repository: args.repository.clone(), document: file_name };
        let emitted = emit(std::slice::from_ref(&lowered.api), &EmitSettings { standalone: Some(standalone), ..Default::default() });
        diagnostics.extend(emitted.diagnostics.iter().cloned());
        Some(emitted)
    };
    diagnostics.sort();
    diagnostics.dedup();
    let count = |severity| diagnostics.iter().filter(|d| d.severity == severity).count();
    for diagnostic in &diagnostics {
        if args.verbose || diagnostic.severity != Severity::Note {
            eprintln!("{diagnostic}");
        }
    }
    println!("diagnostics: {} error(s), {} warning(s), {} note(s)", count(Severity::Error), count(Severity::Warning), count(Severity::Note));
    let Some(emitted) = emitted.filter(|_| count(Severity::Error) == 0) else {
        eprintln!("error: the document has errors; nothing written");
        return Ok(ExitCode::FAILURE);
    };

    let mut written = 0;
    for (relative, text) in &emitted.files {
        let path = out.join(relative);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        written += 1;
    }
    println!(
        "{}: {} schemas, {} operations; {} files ({} written), {} lines in {:.2} s",
        out.display(),
        lowered.api.schemas.len(),
        lowered.api.endpoints.len(),
        emitted.files.len(),
        written,
        emitted.total_lines(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
