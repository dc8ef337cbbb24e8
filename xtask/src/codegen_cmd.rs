//! `cargo xtask codegen`: specs/ -> generated/.
//!
//! Reads every IR snapshot under `specs/nitro/`, emits the crate from the
//! target release of each product (`--target`, kept in
//! `specs/targets.json`; the newest without one), and writes the files
//! whose bytes changed, deleting generated files nobody produces any more
//! (never the hand-written `generated/src/runtime/`). With `--check`
//! nothing is written: stale, missing and extra files are listed and the
//! command fails, for CI.
//!
//! Nothing is destroyed by accident: a missing or empty specs folder or
//! any error diagnostic changes nothing and exits non-zero; only files
//! whose first line is exactly the `@generated` marker are deleted or
//! overwritten (`--force` overwrites others); a product's whole module
//! folder is deleted only with `--prune`; and the files are written all or
//! nothing ([`crate::write`]).

use anyhow::Context;
use codegen::backend::{self, is_marker_line, EmitSettings, Plan, GENERATED_MARKER};
use codegen::inputs::TARGETS_FILE;
use codegen::pipeline;
use codegen::ir::Product;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Compare generated/ with a fresh emission instead of writing it
    #[arg(long)]
    check: bool,
    /// Emit this release of a product (`adc@12.1`, `adm@14.1`; repeatable)
    /// instead of its newest; recorded in <specs>/targets.json (not when
    /// --out is given without --specs)
    #[arg(long, value_name = "PRODUCT@RELEASE", value_parser = parse_target)]
    target: Vec<(Product, String)>,
    /// Put the vendor's descriptions into doc comments (never commit this)
    #[arg(long)]
    descriptions: bool,
    /// Read snapshots from this folder instead of the workspace's specs/
    #[arg(long, value_name = "DIR")]
    specs: Option<PathBuf>,
    /// Write (or check) this folder instead of the workspace's generated/
    /// (for trying other inputs; it needs its own copy of src/runtime/)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Also delete the modules of a product no longer emitted
    #[arg(long)]
    prune: bool,
    /// Overwrite files that do not carry the `@generated` marker
    #[arg(long)]
    force: bool,
}

impl Args {
    /// `codegen --specs <specs> [--out <out>] --target <target>`, for
    /// `cargo xtask update`.
    pub fn regenerate(specs: PathBuf, out: Option<PathBuf>, target: (Product, String)) -> Args {
        Args { check: false, target: vec![target], descriptions: false, specs: Some(specs), out, prune: false, force: false }
    }
}

fn parse_target(text: &str) -> Result<(Product, String), String> {
    codegen::inputs::parse_target(text)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = crate::workspace_root();
    let generated = args.out.clone().unwrap_or_else(|| root.join("generated"));
    let specs = args.specs.clone().unwrap_or_else(|| root.join("specs"));
    let shown = generated.strip_prefix(&root).unwrap_or(&generated).display().to_string();
    let left = format!("{shown}/ left as it is");

    if !specs.is_dir() {
        return Ok(crate::report::failure(format!("specs folder {} does not exist; {left}", specs.display())));
    }
    let targets: BTreeMap<Product, String> = args.target.iter().cloned().collect();
    crate::progress(&format!("reading {} and emitting ...", specs.display()));
    let settings = EmitSettings { descriptions: args.descriptions, ..Default::default() };
    let run = pipeline::generate(&specs, &generated, &targets, &settings).with_context(|| format!("comparing {shown}/"))?;
    let (inputs, emitted) = (&run.inputs, &run.emitted);
    if !inputs.releases.keys().any(|product| matches!(product, Product::Adc | Product::Adm)) && run.errors() == 0 {
        return Ok(crate::report::failure(format!("no IR snapshots under {} (specs/nitro/<product>/<release>.json); {left}", specs.join("nitro").display())));
    }
    for (product, releases) in &inputs.releases {
        let emitting = releases.last().map_or("-", String::as_str);
        let why = match (inputs.targets.get(product), inputs.newer.get(product).filter(|n| !n.is_empty())) {
            (Some(_), Some(newer)) => format!("the target; newer left out: {}", newer.join(", ")),
            (Some(_), None) => "the target, also the newest".to_string(),
            (None, _) if *product == Product::Nextgen => "its one description".to_string(),
            (None, _) => "the newest; no target set".to_string(),
        };
        println!("{}: emitting {emitting} ({why}); releases read: {}", product.as_str(), releases.join(", "));
    }
    let counts = crate::report::report(&run.diagnostics);
    let Some(plan) = run.plan.as_ref().filter(|_| !counts.failed()) else {
        return Ok(crate::report::failure(format!("{} error(s) in the inputs; {left}", counts.errors)));
    };
    if !crate::verbosity().eq(&crate::Verbosity::Quiet) {
        for path in &plan.unmanaged {
            eprintln!("warning: {shown}/{} is not written by the backend (no @generated marker); left alone", path.display());
        }
    }
    let (read_time, emit_time) = (run.read_time, run.emit_time);
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
            println!("{shown}/ is fresh");
            return Ok(ExitCode::SUCCESS);
        }
        list(&shown, "stale", &plan.stale);
        list(&shown, "missing", &plan.missing);
        list(&shown, "extra", &plan.extra);
        eprintln!("{shown}/ is out of date: run `cargo xtask codegen` to update it");
        return Ok(ExitCode::FAILURE);
    }

    let foreign = not_ours(&generated, &plan.stale)?;
    if !foreign.is_empty() && !args.force {
        for path in &foreign {
            eprintln!("  not written by `cargo xtask codegen`: {shown}/{}", path.display());
        }
        let message = format!("{} file(s) would be overwritten that do not start with the @generated marker; {left} (--force overwrites them)", foreign.len());
        return Ok(crate::report::failure(message));
    }
    let whole = whole_modules(&emitted.files, &plan.extra);
    if !whole.is_empty() && !args.prune {
        for (module, count) in &whole {
            eprintln!("  {shown}/{module}/: all {count} generated file(s) would be deleted");
        }
        return Ok(crate::report::failure(format!("no input produces these modules any more (a product's snapshots missing?); {left} (--prune deletes them)")));
    }

    crate::progress(&format!("writing {shown}/ ..."));
    write(&generated, emitted, plan)?;
    println!(
        "{summary}; wrote {} ({} new), deleted {}, unchanged {}",
        plan.stale.len() + plan.missing.len(),
        plan.missing.len(),
        plan.extra.len(),
        plan.unchanged.len()
    );
    if !targets.is_empty() {
        // A trial crate (`--out`) from the committed specs leaves them
        // alone; otherwise the choice is kept with the specs read.
        if args.out.is_some() && args.specs.is_none() {
            println!("targets not recorded in specs/{TARGETS_FILE}: --out without --specs writes a trial crate");
        } else {
            let path = specs.join(TARGETS_FILE);
            crate::write::write_file(&path, codegen::inputs::targets_json(&inputs.targets))?;
            println!("targets recorded in {}", path.strip_prefix(&root).unwrap_or(&path).display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Files among `paths` (relative to `root`) whose first line is not
/// exactly the marker.
pub fn not_ours(root: &Path, paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut foreign = Vec::new();
    for path in paths {
        let bytes = std::fs::read(root.join(path)).with_context(|| format!("cannot read {}", root.join(path).display()))?;
        let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
        if !is_marker_line(&String::from_utf8_lossy(first), GENERATED_MARKER) {
            foreign.push(path.clone());
        }
    }
    Ok(foreign)
}

/// Module folders (`src/<name>`) every file of which would be deleted:
/// folder -> number of files.
fn whole_modules(emitted: &BTreeMap<PathBuf, String>, extra: &[PathBuf]) -> BTreeMap<String, usize> {
    let module_of = |path: &Path| -> Option<String> {
        let mut parts = path.components();
        (parts.next()?.as_os_str() == "src").then_some(())?;
        let name = parts.next()?.as_os_str().to_string_lossy().into_owned();
        parts.next().is_some().then_some(format!("src/{name}"))
    };
    let alive: BTreeSet<String> = emitted.keys().filter_map(|p| module_of(p)).collect();
    let mut whole = BTreeMap::new();
    for module in extra.iter().filter_map(|p| module_of(p)).filter(|m| !alive.contains(m)) {
        *whole.entry(module).or_insert(0) += 1;
    }
    whole
}

fn write(generated: &Path, emitted: &backend::Emitted, plan: &Plan) -> anyhow::Result<()> {
    let mut changes: Vec<crate::write::Change> =
        plan.to_write().map(|path| crate::write::Change::write(generated.join(path), emitted.files[path].as_bytes())).collect();
    // `plan_write` never lists the runtime; checked again because a
    // deletion there would lose hand-written code.
    changes.extend(plan.extra.iter().filter(|p| !p.starts_with(backend::RUNTIME_DIR)).map(|path| crate::write::Change::delete(generated.join(path))));
    crate::write::apply(&changes)
}

fn list(shown: &str, what: &str, paths: &[PathBuf]) {
    for path in paths {
        eprintln!("  {what}: {shown}/{}", path.display());
    }
}
