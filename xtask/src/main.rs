//! `cargo xtask`: the command line of the generator. Flag parsing, file
//! IO and progress live here; every transformation is a `codegen` stage.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod bench;
mod check_features;
mod codegen_cmd;
mod diff;
mod facts;
mod fuzz;
mod limits;
mod openapi_bench;
mod openapi_cmd;
mod release;
mod report;
mod scrape;
mod scrape_bundle;
mod update;
mod write;

#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version, about = "Generate and check the netscaler crate")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// List every diagnostic, notes included (every subcommand)
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    verbose: bool,
    /// Only errors and the summary: no warnings, no progress (every subcommand)
    #[arg(short, long, global = true)]
    quiet: bool,
}

/// How much a command prints, from the global `-v` / `-q` flags: the same
/// meaning on every subcommand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// `-q`: errors and the summary.
    Quiet,
    /// Errors, warnings, the summary, progress on a terminal.
    #[default]
    Normal,
    /// `-v`: every diagnostic, notes included.
    Verbose,
}

impl Verbosity {
    /// Whether a diagnostic of this severity is printed.
    pub fn shows(self, severity: codegen::Severity) -> bool {
        match severity {
            codegen::Severity::Error => true,
            codegen::Severity::Warning => self >= Verbosity::Normal,
            codegen::Severity::Note => self == Verbosity::Verbose,
        }
    }
}

static VERBOSITY: std::sync::OnceLock<Verbosity> = std::sync::OnceLock::new();

/// The verbosity the command line asked for.
pub fn verbosity() -> Verbosity {
    VERBOSITY.get().copied().unwrap_or_default()
}

/// Prints a progress step to stderr for a person at a terminal; nothing
/// in CI, when piped, or with `-q`.
pub fn progress(step: &str) {
    use std::io::IsTerminal;
    if verbosity() >= Verbosity::Normal && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() {
        eprintln!("{step}");
    }
}

#[derive(Subcommand)]
enum Command {
    /// Performance figures: scrape, regenerate, cold compile of netscaler, codec throughput (`--quick` for CI)
    Bench(bench::Args),
    /// Check that every feature of the generated crate compiles on its own
    CheckFeatures(check_features::Args),
    /// Read NITRO reference pages into an IR snapshot (specs/nitro/<product>/<release>.json)
    Scrape(scrape::Args),
    /// Regenerate generated/ from specs/ (or check that it is fresh)
    Codegen(codegen_cmd::Args),
    /// What changed between two IR snapshots (e.g. `adc@12.0-FR4 adc@12.1`)
    Diff(diff::Args),
    /// Overlay derived 13.1/14.1 facts on a documented snapshot (specs/nitro/adc/<release>.json)
    Facts(facts::Args),
    /// A standalone client crate from any OpenAPI 3.0 document (`--out <dir>`)
    Openapi(openapi_cmd::Args),
    /// Read an appliance documentation bundle (nitro-rest.tgz or folder, ADC or ADM) into an IR snapshot
    ScrapeBundle(scrape_bundle::Args),
    /// Regenerate for the firmware an appliance runs: its bundle and release, scraped, regenerated, diffed
    Update(update::Args),
    /// Feed damaged pages, bundles, OpenAPI documents and JSON to the readers; any panic, hang or runaway output fails
    Fuzz(fuzz::Args),
}

fn main() -> ExitCode {
    // A closed pipe (`cargo xtask diff ... | head`) ends the process
    // quietly, as for any command-line tool, instead of a panic in print!.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal at start-up,
    // before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let verbosity = match (cli.verbose, cli.quiet) {
        (true, _) => Verbosity::Verbose,
        (_, true) => Verbosity::Quiet,
        _ => Verbosity::Normal,
    };
    VERBOSITY.set(verbosity).expect("verbosity is set once");
    let result = match cli.command {
        Command::Bench(args) => bench::run(args),
        Command::CheckFeatures(args) => check_features::run(args),
        Command::Openapi(args) => openapi_cmd::run(args),
        Command::Scrape(args) => scrape::run(args),
        Command::Codegen(args) => codegen_cmd::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Facts(args) => facts::run(args),
        Command::ScrapeBundle(args) => scrape_bundle::run(args),
        Command::Update(args) => update::run(args),
        Command::Fuzz(args) => fuzz::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => report::failure(format!("{error:#}")),
    }
}

/// The workspace root (the parent of this crate's folder), so commands
/// work from any current directory.
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask has a parent folder").to_path_buf()
}
