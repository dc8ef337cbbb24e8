//! `cargo xtask scrape`: NITRO reference pages -> IR snapshot.
//!
//! One release:
//! `cargo xtask scrape --docs ../shared/nitro-docs/adc/12.1/docs --product adc --release 12.1 --out specs/nitro/adc/12.1.json`
//! Every release found under `<shared>/nitro-docs/<product>/<release>/docs`
//! into `specs/nitro/<product>/<release>.json`: `cargo xtask scrape --all`.
//!
//! Writes the [`codegen::ir::Api`] as snapshot JSON (pretty, short objects
//! on one line: [`codegen::ir::snapshot_json`]),
//! prints a summary (pages, resources by kind, properties, a tally of
//! diagnostic reasons) to stdout and the diagnostics to stderr by the
//! shared policy ([`crate::report`]). Snapshots are written atomically.
//! Exits non-zero when a diagnostic is an error: an error means the
//! snapshot lacks something the pages hold (a table that could not be
//! read, a page that could not be read or named), so it is written for
//! inspection but must not be committed as is.

use anyhow::bail;
use codegen::frontend::nitro::{read_nitro, NitroSettings};
use codegen::ir::{snapshot_json, Product, ResourceKind};
use codegen::{Lowered, Severity};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
#[command(override_usage = "cargo xtask scrape --docs <DIR> --product <PRODUCT> --release <RELEASE> [--out <FILE>] [OPTIONS]\n       cargo xtask scrape --all [--shared <DIR>] [OPTIONS]")]
pub struct Args {
    /// Folder holding `configuration/` (and `statistics/`), e.g. `../shared/nitro-docs/adc/12.1/docs`
    #[arg(long, required_unless_present = "all")]
    docs: Option<PathBuf>,
    /// `adc` or `adm`
    #[arg(long, value_parser = parse_product, required_unless_present = "all")]
    product: Option<Product>,
    /// Release label as the documentation names it, e.g. `12.0-FR4`
    #[arg(long, required_unless_present = "all")]
    release: Option<String>,
    /// Output file; without it the JSON goes to stdout
    #[arg(long)]
    out: Option<PathBuf>,
    /// Every release under `<shared>/nitro-docs` into `specs/nitro/`
    #[arg(long, conflicts_with_all = ["docs", "product", "release", "out"])]
    all: bool,
    /// Shared data folder for `--all` (default: `../shared` beside the workspace)
    #[arg(long)]
    shared: Option<PathBuf>,
    /// Keep the vendor's descriptions (never commit such a snapshot)
    #[arg(long)]
    descriptions: bool,
    #[command(flatten)]
    limits: crate::limits::LimitArgs,
}

fn parse_product(text: &str) -> Result<Product, String> {
    match text {
        "adc" => Ok(Product::Adc),
        "adm" => Ok(Product::Adm),
        other => Err(format!("unknown product `{other}` (expected adc or adm)")),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let jobs = if args.all {
        all_jobs(args.shared.as_deref())?
    } else {
        let (Some(docs), Some(product), Some(release)) = (args.docs.clone(), args.product, args.release.clone()) else {
            bail!("--docs, --product and --release are required without --all");
        };
        vec![Job { docs, product, release, out: args.out.clone() }]
    };
    for job in &jobs {
        if !job.docs.join("configuration").is_dir() {
            bail!("{} has no configuration/ folder (point --docs at the folder that holds it)", job.docs.display());
        }
    }
    crate::progress(&format!("reading {} release(s) ...", jobs.len()));
    let read = read_jobs(&jobs, args.descriptions, args.limits.limits());
    let mut failed = false;
    for (job, (lowered, seconds)) in jobs.iter().zip(read) {
        failed |= write_one(job, &lowered, seconds)?;
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Reads the pages of every job, several releases at once (each release
/// also reads its pages on all cores; its lowering is serial, so another
/// release fills the gap): the IR of each and its reading time.
pub fn read_jobs(jobs: &[Job], descriptions: bool, limits: codegen::frontend::limits::Limits) -> Vec<(Lowered, f64)> {
    codegen::parallel::map(jobs, |job| {
        let settings = NitroSettings { product: job.product, release: job.release.clone(), descriptions, limits };
        let started = Instant::now();
        // Includes the error table of `error-messages/**` (see read_nitro).
        let lowered = read_nitro(&job.docs, &settings);
        (lowered, started.elapsed().as_secs_f64())
    })
}

pub struct Job {
    docs: PathBuf,
    product: Product,
    release: String,
    out: Option<PathBuf>,
}

/// `<shared>/nitro-docs/<adc|adm>/<release>/docs` -> `specs/nitro/<product>/<release>.json`.
pub fn all_jobs(shared: Option<&Path>) -> anyhow::Result<Vec<Job>> {
    let root = crate::workspace_root();
    let shared = shared.map(Path::to_path_buf).unwrap_or_else(|| root.parent().unwrap_or(&root).join("shared"));
    let docs_root = shared.join("nitro-docs");
    let mut jobs = Vec::new();
    for (folder, product) in [("adc", Product::Adc), ("adm", Product::Adm)] {
        let dir = docs_root.join(folder);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut releases: Vec<String> =
            entries.flatten().filter(|e| e.path().join("docs").is_dir()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        releases.sort_by_key(|r| codegen::ir::release_key(r));
        for release in releases {
            let out = root.join("specs").join("nitro").join(folder).join(format!("{release}.json"));
            jobs.push(Job { docs: dir.join(&release).join("docs"), product, release, out: Some(out) });
        }
    }
    if jobs.is_empty() {
        bail!("no releases under {}", docs_root.display());
    }
    Ok(jobs)
}

/// Writes one release's snapshot and prints its summary; true when it had
/// errors.
fn write_one(job: &Job, lowered: &Lowered, seconds: f64) -> anyhow::Result<bool> {
    let json = snapshot_json(&lowered.api);
    match &job.out {
        Some(out) => crate::write::write_file(out, json.as_bytes())?,
        None => print!("{json}"),
    }

    let counts = crate::report::report(&lowered.diagnostics);
    // The summary goes to stderr when stdout carries the JSON.
    let summary = summary(lowered, seconds, json.len(), job.out.as_deref());
    if job.out.is_some() {
        println!("{summary}");
    } else {
        eprintln!("{summary}");
    }
    if counts.failed() {
        eprintln!("error: {} error(s): the snapshot lacks facts the pages hold; do not commit it as is", counts.errors);
    }
    Ok(counts.failed())
}

fn summary(lowered: &Lowered, seconds: f64, bytes: usize, out: Option<&Path>) -> String {
    let api = &lowered.api;
    let mut by_kind: BTreeMap<ResourceKind, usize> = BTreeMap::new();
    let mut properties = 0;
    let mut operations = 0;
    let mut no_table = 0;
    for resource in api.resources.values() {
        *by_kind.entry(resource.kind).or_default() += 1;
        properties += resource.properties.len();
        operations += resource.operations.len();
        no_table += usize::from(resource.no_table);
    }
    let kinds: Vec<String> = [ResourceKind::Config, ResourceKind::Binding, ResourceKind::Stat]
        .iter()
        .map(|k| format!("{} {}", by_kind.get(k).copied().unwrap_or(0), k.as_str()))
        .collect();
    let mut lines = vec![format!(
        "{} {}: {} pages, {} resources ({}; {} without table), {} properties, {} operations, base {}",
        api.product.as_str(),
        api.release,
        api.source.pages,
        api.resources.len(),
        kinds.join(", "),
        no_table,
        properties,
        operations,
        api.base_path
    )];
    lines.push(format!(
        "read in {:.3} s; {} bytes{}",
        seconds,
        bytes,
        out.map(|o| format!(" -> {}", o.display())).unwrap_or_default()
    ));
    // Reasons (a tally, beside the diagnostics themselves): messages with
    // their `quoted` parts elided, most frequent first.
    let mut reasons: BTreeMap<(Severity, String), usize> = BTreeMap::new();
    for diagnostic in &lowered.diagnostics {
        *reasons.entry((diagnostic.severity, reason(&diagnostic.message))).or_default() += 1;
    }
    let mut reasons: Vec<_> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| a.0 .0.cmp(&b.0 .0).then(b.1.cmp(&a.1)).then(a.0 .1.cmp(&b.0 .1)));
    for ((severity, reason), n) in reasons {
        let severity = match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        lines.push(format!("  {n:>5} {severity}: {reason}"));
    }
    lines.join("\n")
}

/// `key `x` of `add` is not ...` -> `key … of … is not ...`.
fn reason(message: &str) -> String {
    let mut out = String::new();
    for (index, part) in message.split('`').enumerate() {
        out.push_str(if index % 2 == 1 { "…" } else { part });
    }
    out
}
