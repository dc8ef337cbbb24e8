//! `cargo xtask bench`: the performance figures of issue 11 in one run.
//!
//! In order: the machine; the generated crate's size; scrape time and peak
//! memory per release and the full regeneration (each in a child process,
//! so its peak RSS is its own); typed decode/encode throughput against
//! `serde_json::Value` (the `bench` crate); cold crate-only `cargo check`
//! and `cargo build` of `netscaler` with the peak RSS of its rustc; in full
//! mode, where the compile time goes (`cargo build --timings`,
//! `-Ztime-passes`); last, a table against the targets.
//!
//! "Crate-only cold": the dependencies are built once into `target/bench`,
//! then `cargo clean -p netscaler` runs before each timed command, so only
//! the generated crate compiles. Incremental compilation is off, as in CI.
//! The peak memory of rustc is the kernel's high-water mark (`VmHWM` in
//! `/proc/<pid>/status`) of the rustc process compiling `netscaler` into
//! `target/bench`, polled while it runs, so no external tool is needed.
//!
//! Full mode measures scraping, regeneration and throughput in release
//! builds (`cargo build --release -p xtask`, `cargo run --release -p
//! bench`). `--quick` (CI) scrapes one release, checks `--features lb`
//! only and runs the throughput binary in a debug build on small samples:
//! it proves the bench works; its figures are not the targets'.
//!
//! This file holds the arguments, the order of the run and the summary
//! table; each measurement has its own file (`size`, `scrape`,
//! `regenerate`, `codec`, `compile`, `passes`), and what they share (load,
//! peak memory and CPU time from `/proc`, the child-process protocol) is in
//! `measure`.

mod codec;
mod compile;
mod measure;
mod passes;
mod regenerate;
mod scrape;
mod size;

use anyhow::Context;
use codec::{speedup, throughput, Throughput};
use compile::{compile, Compile, Timed};
use measure::{gb, helper_exe, load, mib};
use passes::{time_passes, Pass};
use regenerate::{child_regen, regenerate, Regen};
use scrape::{child_scrape, child_scrape_all, scrape_all, Scrape};
use size::{generated_size, Size};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

#[derive(clap::Args)]
pub struct Args {
    /// Small samples, one feature set, debug builds: proves the bench works (CI)
    #[arg(long)]
    quick: bool,
    /// Shared data folder holding `nitro-docs/` (default: `../shared` beside the workspace)
    #[arg(long)]
    shared: Option<PathBuf>,
    /// Leave out the cold `cargo check`/`cargo build` runs
    #[arg(long)]
    no_compile: bool,
    /// Measure this workspace instead (say a copy whose generated/ has another shape)
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Objects per throughput data set (default 10,000; 500 with --quick)
    #[arg(long)]
    objects: Option<usize>,
    /// Internal: scrape one release in this process and print its figures as JSON
    #[arg(long, hide = true, num_args = 3, value_names = ["PRODUCT", "RELEASE", "DOCS"])]
    child_scrape: Option<Vec<String>>,
    /// Internal: regenerate (load specs, emit, compare) in this process and print its figures as JSON
    #[arg(long, hide = true)]
    child_regen: bool,
    /// Internal: read every release as `cargo xtask scrape --all` does (nothing written) and print the figures as JSON
    #[arg(long, hide = true, value_name = "SHARED")]
    child_scrape_all: Option<PathBuf>,
}

/// The figures for the "obvious shape" (serde derives, async fns),
/// measured on the same machine class.
const BASELINE: &[(&str, &str)] = &[
    ("check --all-features", "128 s, peak 6.6 GB"),
    ("check --features lb", "5.1 s"),
    ("build --all-features (debug)", "151 s"),
    ("generated lines", "about 96,500"),
    ("scrape one release (scraper crate)", "about 0.2 s per release"),
];

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(job) = &args.child_scrape {
        return child_scrape(job);
    }
    if let Some(shared) = &args.child_scrape_all {
        return child_scrape_all(shared);
    }
    let root = match &args.root {
        Some(root) => std::fs::canonicalize(root).with_context(|| format!("reading {}", root.display()))?,
        None => crate::workspace_root(),
    };
    if args.child_regen {
        return child_regen(&root);
    }
    let mut report = Report::default();
    let mode = if args.quick { "quick" } else { "full" };
    println!("== cargo xtask bench ({mode})");
    machine(&root);

    section("generated crate");
    report.size = generated_size(&root.join("generated"));
    if let Some(size) = &report.size {
        println!("{}", size.line());
    }

    section("scrape and regenerate");
    let helper = helper_exe(args.quick)?;
    report.scrape = scrape_all(&root, &args, &helper)?;
    report.regen = Some(regenerate(&root, &helper)?);

    section("typed decode/encode throughput vs serde_json::Value");
    report.throughput = throughput(&root, &args)?;

    if args.no_compile {
        println!("\n(--no-compile: cold cargo runs left out)");
    } else {
        section("cold crate-only compile of netscaler (target/bench, CARGO_INCREMENTAL=0)");
        report.compile = compile(&root, args.quick)?;
        if !args.quick {
            section("where the all-features time goes");
            report.passes = time_passes(&root)?;
        }
    }

    // OpenAPI client generation (issue 10), measured by xtask/src/openapi_bench.rs (owned there).
    if let Ok(doc) = crate::openapi_bench::find_document(Path::new("stripe.yaml")) {
        section("OpenAPI client crate from stripe.yaml");
        print!("{}", crate::openapi_bench::bench_openapi(&doc, args.quick || args.no_compile));
    }

    section("summary");
    report.print(args.quick);
    Ok(ExitCode::SUCCESS)
}

fn section(title: &str) {
    println!("\n== {title}");
}

fn machine(root: &Path) {
    let rustc = Command::new("rustc").arg("--version").output().ok().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| text.lines().find_map(|l| l.strip_prefix("MemTotal:").map(|v| v.trim().to_string())));
    println!("{}; {cores} cores; memory {}; load {}", rustc.unwrap_or_default(), memory.unwrap_or_else(|| "?".into()), load());
    println!("workspace {}", root.display());
}

#[derive(Default)]
struct Report {
    size: Option<Size>,
    scrape: Option<Scrape>,
    regen: Option<Regen>,
    throughput: Option<Throughput>,
    compile: Option<Compile>,
    passes: Vec<Pass>,
}

impl Report {
    fn run(&self, label: &str) -> Option<&Timed> {
        self.compile.as_ref()?.runs.iter().find(|r| r.label == label)
    }

    fn print(&self, quick: bool) {
        let mut rows: Vec<(String, String, String, String)> = Vec::new();
        let mut row = |what: &str, baseline: &str, ours: String, target: String| {
            rows.push((what.to_string(), baseline.to_string(), ours, target));
        };
        let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
        let base = |key: &str| BASELINE.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| *v);

        if let Some(run) = self.run("check, every ADC group") {
            let ok = run.seconds < 40.0 && gb(run.rustc_peak_kib) < 2.0;
            row(
                "check, every ADC group (issue's scope)",
                base("check --all-features"),
                format!("{:.1} s (rustc cpu {:.1} s), peak {:.2} GB", run.seconds, run.rustc_cpu_seconds, gb(run.rustc_peak_kib)),
                format!("< 40 s, < 2 GB: {}", verdict(ok)),
            );
        }
        if let Some(run) = self.run("check --all-features") {
            let ok = run.seconds < 40.0 && gb(run.rustc_peak_kib) < 2.0;
            row(
                "check --all-features",
                base("check --all-features"),
                format!("{:.1} s (rustc cpu {:.1} s), peak {:.2} GB", run.seconds, run.rustc_cpu_seconds, gb(run.rustc_peak_kib)),
                format!("< 40 s, < 2 GB: {}", verdict(ok)),
            );
        }
        for label in ["check --no-default-features", "check (default features)"] {
            if let Some(run) = self.run(label) {
                row(label, "", format!("{:.1} s (rustc cpu {:.1} s), peak {:.0} MiB", run.seconds, run.rustc_cpu_seconds, mib(run.rustc_peak_kib)), String::new());
            }
        }
        if let Some(run) = self.run("check --no-default-features --features lb") {
            row(
                "check --features lb",
                base("check --features lb"),
                format!("{:.2} s (rustc cpu {:.2} s), peak {:.0} MiB", run.seconds, run.rustc_cpu_seconds, mib(run.rustc_peak_kib)),
                format!("< 2 s: {}", verdict(run.seconds < 2.0)),
            );
        }
        if let Some(run) = self.run("build, every ADC group (debug)") {
            row(
                "build, every ADC group (debug)",
                base("build --all-features (debug)"),
                format!("{:.1} s (rustc cpu {:.1} s), peak {:.2} GB", run.seconds, run.rustc_cpu_seconds, gb(run.rustc_peak_kib)),
                format!("< 60 s: {}", verdict(run.seconds < 60.0)),
            );
        }
        if let Some(run) = self.run("build --all-features (debug)") {
            row(
                "build --all-features (debug)",
                base("build --all-features (debug)"),
                format!("{:.1} s (rustc cpu {:.1} s), peak {:.2} GB", run.seconds, run.rustc_cpu_seconds, gb(run.rustc_peak_kib)),
                format!("< 60 s: {}", verdict(run.seconds < 60.0)),
            );
        }
        if let Some(size) = &self.size {
            row("generated lines", base("generated lines"), format!("{} (+{} runtime)", size.lines, size.runtime_lines), String::new());
        }
        if let (Some(scrape), Some(regen)) = (&self.scrape, &self.regen) {
            // Judged on the way it is run (`scrape --all`: releases read
            // several at once); one release at a time where that was not
            // measured (`--quick`).
            let one_at_a_time: f64 = scrape.releases.iter().map(|r| r.seconds).sum();
            let (scraped, scrape_cpu, scrape_peak, how) = match &scrape.all {
                Some(all) => (all.seconds, all.cpu_seconds, all.peak_kib, format!("scrape --all {:.2} s", all.seconds)),
                None => (
                    one_at_a_time,
                    scrape.releases.iter().map(|r| r.cpu_seconds).sum::<f64>(),
                    scrape.releases.iter().map(|r| r.peak_kib).max().unwrap_or(0),
                    format!("one at a time {one_at_a_time:.2} s"),
                ),
            };
            let total = scraped + regen.seconds;
            let cpu = scrape_cpu + regen.cpu_seconds;
            let releases = scrape.releases.len();
            row(
                "scrape all releases + regenerate",
                base("scrape one release (scraper crate)"),
                format!(
                    "{total:.2} s, cpu {cpu:.2} s ({releases} releases: {how} + regenerate {:.2} s), peak {:.0} MiB, {} build",
                    regen.seconds,
                    mib(scrape_peak.max(regen.peak_kib)),
                    scrape.build
                ),
                if quick { "< 3 s (quick: one release)".to_string() } else { format!("< 3 s: {}", verdict(total < 3.0)) },
            );
        }
        if let Some(throughput) = &self.throughput {
            for set in &throughput.sets {
                let (decode, encode) = (speedup(set, "decode"), speedup(set, "encode"));
                let target = if throughput.build == "release" {
                    format!(">= 1x: {}", verdict(decode >= 1.0 && encode >= 1.0))
                } else {
                    format!(">= 1x (only meaningful in release; this was {})", throughput.build)
                };
                row(
                    &format!("typed vs Value, {}", set["label"].as_str().unwrap_or_default()),
                    "",
                    format!("decode {decode:.2}x, encode {encode:.2}x ({} objects)", set["objects"]),
                    target,
                );
            }
        }
        let widths = rows.iter().fold((4, 8, 4), |w, r| (w.0.max(r.0.len()), w.1.max(r.1.len()), w.2.max(r.2.len())));
        println!("{:<a$} | {:<b$} | {:<c$} | target", "what", "obvious shape (issue)", "ours", a = widths.0, b = widths.1.max(21), c = widths.2);
        for (what, baseline, ours, target) in &rows {
            println!("{what:<a$} | {baseline:<b$} | {ours:<c$} | {target}", a = widths.0, b = widths.1.max(21), c = widths.2);
        }
        println!("(wall times are judged; rustc cpu is the compiler's own CPU time, a steadier figure when the machine is busy: load now {})", load());
        if quick {
            println!("(quick mode: small samples and debug builds; run `cargo xtask bench` for the figures)");
        }
        if let Some(pass) = self.passes.first() {
            println!("longest compiler pass of check --all-features: {} ({:.1} s)", pass.name, pass.seconds);
        }
    }
}
