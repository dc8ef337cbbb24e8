//! `cargo xtask openapi --bench <document>`: what generating a client crate
//! from one OpenAPI document costs. [`bench_openapi`] is also called by
//! `cargo xtask bench`.
//!
//! Measured: lowering + emitting in this process (the fastest of several
//! runs, one with `quick`); the generated lines (the crate's files less the
//! runtime copied in); and, unless `quick`, a crate-only cold `cargo check`
//! of the written crate: its dependencies are built once into
//! `target/openapi-bench/target`, then `cargo clean -p <crate>` runs before
//! the timed check, so only the generated crate compiles. Both times are
//! also given per 1,000 generated lines.
//!
//! Large public documents (Stripe, Slack, Twilio...) are not committed: a
//! bare file name is looked up among the fixtures the `openapiv3` crate
//! ships in the cargo registry ([`find_document`]).

use anyhow::Context;
use codegen::backend::standalone::Standalone;
use codegen::backend::{emit, EmitSettings, Emitted};
use codegen::frontend::openapi::{read_openapi, OpenApiSettings};
use codegen::Severity;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The figures of one document.
#[derive(Clone, Debug, Default)]
pub struct Figures {
    pub document: String,
    pub operations: usize,
    pub schemas: usize,
    pub warnings: usize,
    pub errors: usize,
    /// Lowering and emitting, fastest run.
    pub generation: Duration,
    pub runs: usize,
    /// Lines of the generated files (runtime copies not counted).
    pub generated_lines: usize,
    /// Lines of every file of the crate.
    pub total_lines: usize,
    /// Crate-only cold `cargo check`; `None` in quick mode or on failure.
    pub check: Option<Duration>,
    /// Whether `cargo check` succeeded (`None`: not run).
    pub compiles: Option<bool>,
    /// What went wrong, if anything (unreadable document, failed check).
    pub problems: Vec<String>,
}

impl Figures {
    /// Generation milliseconds per 1,000 generated lines.
    pub fn generation_ms_per_kloc(&self) -> f64 {
        per_kloc(self.generation.as_secs_f64() * 1000.0, self.generated_lines)
    }

    /// `cargo check` seconds per 1,000 generated lines.
    pub fn check_s_per_kloc(&self) -> Option<f64> {
        self.check.map(|check| per_kloc(check.as_secs_f64(), self.generated_lines))
    }
}

fn per_kloc(value: f64, lines: usize) -> f64 {
    if lines == 0 {
        0.0
    } else {
        value * 1000.0 / lines as f64
    }
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "openapi bench: {}", self.document)?;
        writeln!(f, "  operations            {}", self.operations)?;
        writeln!(f, "  schemas               {}", self.schemas)?;
        writeln!(f, "  diagnostics           {} error(s), {} warning(s)", self.errors, self.warnings)?;
        writeln!(f, "  generation            {:.0} ms (fastest of {})", self.generation.as_secs_f64() * 1000.0, self.runs)?;
        writeln!(f, "  generated lines       {} ({} with the runtime copy)", self.generated_lines, self.total_lines)?;
        writeln!(f, "  generation / 1k lines {:.1} ms", self.generation_ms_per_kloc())?;
        match (self.check, self.check_s_per_kloc()) {
            (Some(check), Some(per)) => {
                writeln!(f, "  cargo check (crate)   {:.1} s", check.as_secs_f64())?;
                writeln!(f, "  check / 1k lines      {per:.2} s")?;
            }
            _ => writeln!(f, "  cargo check (crate)   not run")?,
        }
        if let Some(compiles) = self.compiles {
            writeln!(f, "  compiles              {}", if compiles { "yes" } else { "no" })?;
        }
        for problem in &self.problems {
            writeln!(f, "  problem: {problem}")?;
        }
        Ok(())
    }
}

/// Generates a crate from `doc` and measures it (see the module docs).
pub fn bench_openapi(doc: &Path, quick: bool) -> Figures {
    let document = doc.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut figures = Figures { document: document.clone(), ..Figures::default() };
    let runs = if quick { 1 } else { 5 };
    let mut emitted = None;
    let mut fastest = Duration::MAX;
    for _ in 0..runs {
        let started = Instant::now();
        let lowered = read_openapi(doc, &OpenApiSettings { origin_file: document.clone(), ..OpenApiSettings::default() });
        let standalone = Standalone { name: crate_name(&document), document: document.clone(), ..Standalone::default() };
        let output = (!lowered.has_errors()).then(|| emit(std::slice::from_ref(&lowered.api), &EmitSettings { standalone: Some(standalone), ..Default::default() }));
        fastest = fastest.min(started.elapsed());
        let all = lowered.diagnostics.iter().chain(output.iter().flat_map(|o| o.diagnostics.iter()));
        let (errors, warnings) = all.fold((0, 0), |(e, w), d| match d.severity {
            Severity::Error => (e + 1, w),
            Severity::Warning => (e, w + 1),
            _ => (e, w),
        });
        figures.errors = errors;
        figures.warnings = warnings;
        figures.operations = lowered.api.endpoints.len();
        figures.schemas = lowered.api.schemas.len();
        emitted = output;
    }
    figures.generation = fastest;
    figures.runs = runs;
    let Some(emitted) = emitted.filter(|_| figures.errors == 0) else {
        figures.problems.push("the document has errors; no crate generated".into());
        return figures;
    };
    figures.total_lines = emitted.total_lines();
    figures.generated_lines = emitted.files.iter().filter(|(path, _)| !is_runtime_copy(path, &emitted)).map(|(_, text)| text.lines().count()).sum();
    if !quick {
        match check_crate(&emitted, &crate_name(&document)) {
            Ok((check, compiles)) => {
                figures.check = compiles.then_some(check);
                figures.compiles = Some(compiles);
            }
            Err(error) => figures.problems.push(format!("{error:#}")),
        }
    }
    figures
}

fn is_runtime_copy(path: &Path, emitted: &Emitted) -> bool {
    emitted.files.get(path).is_some_and(|text| text.lines().nth(1).is_some_and(|line| line.starts_with("// Copied from the netscaler runtime")))
}

/// `bench-<stem>` as a package name.
fn crate_name(document: &str) -> String {
    let stem = document.rsplit_once('.').map_or(document, |(stem, _)| stem);
    let stem: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("bench-{stem}")
}

/// Writes the crate under `target/openapi-bench/`, builds its
/// dependencies, then times a crate-only cold `cargo check`.
fn check_crate(emitted: &Emitted, name: &str) -> anyhow::Result<(Duration, bool)> {
    let root = crate::workspace_root();
    let bench = root.join("target").join("openapi-bench");
    let krate = bench.join(name);
    for (relative, text) in &emitted.files {
        let path = krate.join(relative);
        std::fs::create_dir_all(path.parent().expect("files lie in folders")).with_context(|| format!("creating {}", path.display()))?;
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    // The workspace's lock pins the runtime's dependencies, so the
    // dependency build is shared between documents and runs.
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).context("copying Cargo.lock")?;
    let target = bench.join("target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |args: &[&str]| {
        Command::new(&cargo)
            .args(args)
            .arg("--manifest-path")
            .arg(krate.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTFLAGS")
            .output()
            .with_context(|| format!("running cargo {}", args.join(" ")))
    };
    let warm = run(&["check", "--quiet"])?;
    if !warm.status.success() {
        let stderr = String::from_utf8_lossy(&warm.stderr);
        anyhow::bail!("the generated crate does not compile:\n{}", stderr.lines().take(40).collect::<Vec<_>>().join("\n"));
    }
    run(&["clean", "--quiet", "-p", name])?;
    let started = Instant::now();
    let timed = run(&["check", "--quiet"])?;
    Ok((started.elapsed(), timed.status.success()))
}

/// `doc` when it exists; else a bare file name among the `openapiv3`
/// crate's fixtures in the cargo registry (`stripe.yaml`).
pub fn find_document(doc: &Path) -> anyhow::Result<PathBuf> {
    if doc.is_file() {
        return Ok(doc.to_path_buf());
    }
    let folder = openapiv3_fixtures().context("the openapiv3 crate's sources are not in the cargo registry")?;
    let candidate = folder.join(doc);
    anyhow::ensure!(candidate.is_file(), "{} is neither a file nor one of the openapiv3 fixtures in {}", doc.display(), folder.display());
    Ok(candidate)
}

/// The `fixtures` folder of the `openapiv3` crate, found with `cargo metadata`.
pub fn openapiv3_fixtures() -> Option<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(crate::workspace_root().join("Cargo.toml"))
        .output()
        .ok()?;
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    let package = metadata["packages"].as_array()?.iter().find(|p| p["name"] == "openapiv3")?;
    let folder = Path::new(package["manifest_path"].as_str()?).parent()?.join("fixtures");
    folder.is_dir().then_some(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_bench_of_a_fixture() {
        let doc = crate::workspace_root().join("tests/fixtures/openapi/responses.yaml");
        let figures = bench_openapi(&doc, true);
        assert_eq!((figures.operations, figures.schemas, figures.errors), (2, 3, 0), "{figures}");
        // The runtime copy is counted in the total only.
        assert!(figures.generated_lines > 100 && figures.total_lines > figures.generated_lines + 1000, "{figures}");
        assert!(figures.check.is_none() && figures.compiles.is_none() && figures.problems.is_empty());
        assert!(figures.to_string().contains("cargo check (crate)   not run"));
    }

    #[test]
    fn a_broken_document_is_a_problem_not_a_panic() {
        let doc = crate::workspace_root().join("tests/fixtures/openapi/broken/openapi_31.yaml");
        let figures = bench_openapi(&doc, true);
        assert_eq!(figures.errors, 1);
        assert_eq!(figures.problems, ["the document has errors; no crate generated"]);
    }

    #[test]
    fn names_and_rates() {
        assert_eq!(crate_name("stripe.yaml"), "bench-stripe");
        assert_eq!(crate_name("api-with_examples.v2.json"), "bench-api-with-examples-v2");
        assert_eq!(per_kloc(50.0, 2000), 25.0);
        assert_eq!(per_kloc(50.0, 0), 0.0);
    }
}
