//! The whole regeneration, top to bottom: read `specs/` (and annotate the
//! releases with `since`), emit the crate and its changelog, compare with
//! `generated/`. [`generate`] is what `cargo xtask codegen` (and `--check`)
//! and the freshness test run; writing the planned files is the caller's.

use crate::backend::{self, EmitSettings, Emitted, Plan};
use crate::changelog;
use crate::diagnostics::{Diagnostic, Severity};
use crate::inputs::{self, Inputs};
use crate::ir::Product;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What one regeneration read, produced and found on disk.
pub struct Generated {
    /// The releases read and chosen (the IRs themselves are in `emitted`).
    pub inputs: Inputs,
    pub emitted: Emitted,
    /// Every diagnostic of reading and emitting, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// `generated/` compared with `emitted`; `None` when a diagnostic is an
    /// error (nothing is to be written then).
    pub plan: Option<Plan>,
    pub read_time: Duration,
    pub emit_time: Duration,
}

impl Generated {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }
}

/// Reads `specs`, emits the crate, and plans the writes into `generated`.
/// `targets` overrides `specs/targets.json` per product. Fails only when
/// `generated` cannot be read.
pub fn generate(
    specs: &Path,
    generated: &Path,
    targets: &BTreeMap<Product, String>,
    settings: &EmitSettings,
) -> std::io::Result<Generated> {
    let started = Instant::now();
    let mut inputs = inputs::load_specs_for(specs, targets);
    let read_time = started.elapsed();
    let mut emitted = emit_all(&inputs, settings);
    let emit_time = started.elapsed() - read_time;

    let mut diagnostics = std::mem::take(&mut inputs.diagnostics);
    diagnostics.append(&mut emitted.diagnostics);
    diagnostics.sort();
    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let plan = if has_errors { None } else { Some(backend::plan_write(generated, &emitted)?) };
    Ok(Generated { inputs, emitted, diagnostics, plan, read_time, emit_time })
}

/// The crate's files from what [`inputs::load_specs`] read: the backend's
/// emission of the target releases (with the removal notes) plus
/// `CHANGELOG.md` from every release read. The two are independent, so
/// they run side by side. Diagnostics of the inputs stay in `inputs`.
pub fn emit_all(inputs: &Inputs, settings: &EmitSettings) -> Emitted {
    if settings.standalone.is_some() {
        return backend::emit(&inputs.apis, settings);
    }
    let (mut emitted, text) = std::thread::scope(|scope| {
        let changelog = scope.spawn(|| changelog::changelog(&inputs.series, &inputs.releases));
        let emitted = backend::emit_with_removed(&inputs.apis, &inputs.removed, settings);
        (emitted, changelog.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    emitted.files.insert(PathBuf::from(changelog::PATH), text);
    emitted
}
