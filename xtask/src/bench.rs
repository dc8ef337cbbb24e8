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

use anyhow::{bail, Context};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

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

/// The 1-minute load average: other builds on the machine skew timings.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").ok().and_then(|t| t.split_whitespace().next().map(str::to_string)).unwrap_or_else(|| "?".into())
}

// ---------------------------------------------------------------- size

#[derive(Default)]
struct Size {
    files: usize,
    lines: usize,
    bytes: usize,
    runtime_lines: usize,
    runtime_bytes: usize,
    structs: usize,
    enums: usize,
    functions: usize,
    features: usize,
}

impl Size {
    fn line(&self) -> String {
        format!(
            "generated (outside runtime/): {} files, {} lines, {} bytes; {} pub structs, {} pub enums, {} pub fns; {} features\nruntime (hand-written): {} lines, {} bytes",
            self.files,
            self.lines,
            self.bytes,
            self.structs,
            self.enums,
            self.functions,
            self.features,
            self.runtime_lines,
            self.runtime_bytes
        )
    }
}

fn generated_size(generated: &Path) -> Option<Size> {
    let mut size = Size::default();
    let mut files = Vec::new();
    collect_files(&generated.join("src"), &mut files);
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        if file.starts_with(generated.join("src/runtime")) {
            size.runtime_lines += text.lines().count();
            size.runtime_bytes += text.len();
            continue;
        }
        size.files += 1;
        size.lines += text.lines().count();
        size.bytes += text.len();
        for line in text.lines() {
            let line = line.trim_start();
            size.structs += usize::from(line.starts_with("pub struct "));
            size.enums += usize::from(line.starts_with("pub enum "));
            size.functions += usize::from(line.starts_with("pub fn "));
        }
    }
    size.features = declared_features(generated).len();
    Some(size)
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Feature names declared in `generated/Cargo.toml` (`default` and `full`
/// left out), read line by line: the manifest is ours and flat.
fn declared_features(generated: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(generated.join("Cargo.toml")).unwrap_or_default();
    let mut in_features = false;
    let mut features = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_features = line == "[features]";
        } else if in_features {
            if let Some((name, _)) = line.split_once('=') {
                let name = name.trim().trim_matches('"');
                if !name.is_empty() && name != "default" && name != "full" {
                    features.insert(name.to_string());
                }
            }
        }
    }
    features
}

// ---------------------------------------------------------------- scrape and regenerate

/// The xtask binary that runs the scrape and regeneration children: this
/// one when it is a release build or in quick mode, else a fresh release
/// build (timings of a debug scraper mean little).
fn helper_exe(quick: bool) -> anyhow::Result<(PathBuf, &'static str)> {
    let this = std::env::current_exe().context("locating the xtask binary")?;
    if !cfg!(debug_assertions) {
        return Ok((this, "release"));
    }
    if quick {
        return Ok((this, "debug"));
    }
    println!("building xtask in release for the scrape/regenerate timings ...");
    // This workspace's xtask, also when measuring another one (`--root`).
    let root = crate::workspace_root();
    let status = Command::new(cargo()).current_dir(&root).args(["build", "--quiet", "--release", "-p", "xtask"]).status()?;
    if !status.success() {
        bail!("cargo build --release -p xtask failed");
    }
    Ok((root.join("target/release/xtask"), "release"))
}

struct ScrapeFigures {
    product: String,
    release: String,
    seconds: f64,
    cpu_seconds: f64,
    peak_kib: u64,
    resources: u64,
    pages: u64,
}

struct Scrape {
    build: &'static str,
    releases: Vec<ScrapeFigures>,
    /// Every release read in one process, as `cargo xtask scrape --all`
    /// does (several at once); not in `--quick`.
    all: Option<ScrapeAll>,
}

struct ScrapeAll {
    releases: u64,
    seconds: f64,
    cpu_seconds: f64,
    peak_kib: u64,
}

/// Scrapes each release under `<shared>/nitro-docs/<product>/<release>/docs`
/// (the sources of the committed snapshots) in its own process.
fn scrape_all(root: &Path, args: &Args, helper: &(PathBuf, &'static str)) -> anyhow::Result<Option<Scrape>> {
    let shared = args.shared.clone().unwrap_or_else(|| root.parent().unwrap_or(root).join("shared"));
    let docs_root = shared.join("nitro-docs");
    if !docs_root.is_dir() {
        println!("skipped: {} is absent (the shared data folder); scrape times need the NITRO pages", docs_root.display());
        return Ok(None);
    }
    let mut jobs = Vec::new();
    for product in ["adc", "adm"] {
        let Ok(entries) = std::fs::read_dir(docs_root.join(product)) else { continue };
        let mut releases: Vec<String> =
            entries.flatten().filter(|e| e.path().join("docs").is_dir()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        releases.sort_by_key(|r| codegen::ir::release_key(r));
        for release in releases {
            let docs = docs_root.join(product).join(&release).join("docs");
            jobs.push((product.to_string(), release, docs));
        }
    }
    if args.quick {
        // One release proves the path; the newest ADC one is the largest.
        jobs.retain(|(product, _, _)| product == "adc");
        jobs.drain(..jobs.len().saturating_sub(1));
    }
    let mut releases = Vec::new();
    println!("{:<5} {:<10} {:>7} {:>9} {:>9} {:>6} {:>10}", "", "release", "pages", "resources", "wall s", "cpu s", "peak MiB");
    for (product, release, docs) in jobs {
        let out = child_json(&helper.0, &["bench", "--child-scrape", &product, &release, &docs.to_string_lossy()])?;
        let figures = ScrapeFigures {
            product,
            release,
            seconds: out["seconds"].as_f64().unwrap_or_default(),
            cpu_seconds: out["cpu_seconds"].as_f64().unwrap_or_default(),
            peak_kib: out["peak_kib"].as_u64().unwrap_or_default(),
            resources: out["resources"].as_u64().unwrap_or_default(),
            pages: out["pages"].as_u64().unwrap_or_default(),
        };
        println!(
            "{:<5} {:<10} {:>7} {:>9} {:>9.3} {:>6.2} {:>10.1}",
            figures.product,
            figures.release,
            figures.pages,
            figures.resources,
            figures.seconds,
            figures.cpu_seconds,
            mib(figures.peak_kib)
        );
        releases.push(figures);
    }
    let all = if args.quick {
        None
    } else {
        let out = child_json(&helper.0, &["bench", "--child-scrape-all", &shared.to_string_lossy()])?;
        let all = ScrapeAll {
            releases: out["releases"].as_u64().unwrap_or_default(),
            seconds: out["seconds"].as_f64().unwrap_or_default(),
            cpu_seconds: out["cpu_seconds"].as_f64().unwrap_or_default(),
            peak_kib: out["peak_kib"].as_u64().unwrap_or_default(),
        };
        println!(
            "all {} releases in one process, as `cargo xtask scrape --all` reads them (several at once): {:.3} s wall, {:.2} s cpu, peak {:.1} MiB",
            all.releases,
            all.seconds,
            all.cpu_seconds,
            mib(all.peak_kib)
        );
        Some(all)
    };
    println!("({} build of the scraper; load {})", helper.1, load());
    Ok(Some(Scrape { build: helper.1, releases, all }))
}

struct Regen {
    build: &'static str,
    seconds: f64,
    cpu_seconds: f64,
    peak_kib: u64,
    files: u64,
    lines: u64,
}

fn regenerate(root: &Path, helper: &(PathBuf, &'static str)) -> anyhow::Result<Regen> {
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

/// Runs this binary as a child and parses the last line of its stdout.
fn child_json(exe: &Path, args: &[&str]) -> anyhow::Result<Value> {
    let output = Command::new(exe).args(args).stderr(Stdio::inherit()).output().with_context(|| format!("running {}", exe.display()))?;
    if !output.status.success() {
        bail!("{} {} failed ({})", exe.display(), args.join(" "), output.status);
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().last().unwrap_or_default();
    serde_json::from_str(line).with_context(|| format!("reading the figures of `{}`", args.join(" ")))
}

fn child_scrape(job: &[String]) -> anyhow::Result<ExitCode> {
    let [product, release, docs] = job else { bail!("--child-scrape takes PRODUCT RELEASE DOCS") };
    let product = match product.as_str() {
        "adc" => codegen::ir::Product::Adc,
        "adm" => codegen::ir::Product::Adm,
        other => bail!("unknown product `{other}`"),
    };
    let settings = codegen::frontend::nitro::NitroSettings { product, release: release.clone(), descriptions: false, ..Default::default() };
    let started = Instant::now();
    let lowered = codegen::frontend::nitro::read_nitro(Path::new(docs), &settings);
    let seconds = started.elapsed().as_secs_f64();
    let pages = count_pages(Path::new(docs));
    println!(
        "{}",
        json!({
            "seconds": seconds,
            "cpu_seconds": own_cpu_seconds(),
            "peak_kib": own_peak_kib(),
            "resources": lowered.api.resources.len(),
            "pages": pages,
        })
    );
    Ok(ExitCode::SUCCESS)
}

/// What `cargo xtask scrape --all` reads, timed (nothing written).
fn child_scrape_all(shared: &Path) -> anyhow::Result<ExitCode> {
    let jobs = crate::scrape::all_jobs(Some(shared))?;
    let started = Instant::now();
    let read = crate::scrape::read_jobs(&jobs, false, Default::default());
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({
            "releases": read.len(),
            "seconds": seconds,
            "cpu_seconds": own_cpu_seconds(),
            "peak_kib": own_peak_kib(),
        })
    );
    Ok(ExitCode::SUCCESS)
}

fn count_pages(docs: &Path) -> usize {
    fn walk(dir: &Path, count: &mut usize) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, count);
            } else if path.extension().is_some_and(|e| e == "md") {
                *count += 1;
            }
        }
    }
    let mut count = 0;
    walk(&docs.join("configuration"), &mut count);
    walk(&docs.join("statistics"), &mut count);
    count
}

/// What `cargo xtask codegen --check` does, without printing: the same
/// library calls as `codegen_cmd`.
fn child_regen(root: &Path) -> anyhow::Result<ExitCode> {
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

/// This process's peak resident set (`VmHWM`), KiB.
fn own_peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status").ok().and_then(|text| hwm_kib(&text)).unwrap_or(0)
}

fn hwm_kib(status: &str) -> Option<u64> {
    status.lines().find_map(|line| line.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// User + system CPU time of this process (all threads), from
/// `/proc/self/stat` in clock ticks of 1/100 s (USER_HZ on Linux).
fn own_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat").ok().and_then(|s| cpu_seconds(&s)).unwrap_or(0.0)
}

/// utime + stime of a `/proc/<pid>/stat` line, seconds.
fn cpu_seconds(stat: &str) -> Option<f64> {
    // Fields after the command name (which may hold spaces) start at `state`.
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    // utime and stime are fields 14 and 15 of stat; `state` is field 3.
    Some((ticks(14 - 3)? + ticks(15 - 3)?) as f64 / 100.0)
}

fn gb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1e9
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

// ---------------------------------------------------------------- throughput

struct Throughput {
    build: String,
    sets: Vec<Value>,
}

/// Runs the `bench` crate (release; debug with `--quick`) and reads one
/// JSON object per data set from its stdout.
fn throughput(root: &Path, args: &Args) -> anyhow::Result<Option<Throughput>> {
    if !root.join("bench/Cargo.toml").is_file() {
        println!("skipped: no bench/ crate in the workspace");
        return Ok(None);
    }
    let objects = args.objects.unwrap_or(if args.quick { 500 } else { 10_000 });
    let rounds = if args.quick { 2 } else { 15 };
    let mut command = Command::new(cargo());
    command.current_dir(root).args(["run", "--quiet", "-p", "bench"]);
    if !args.quick {
        command.arg("--release");
    }
    println!("cargo run{} -p bench -- {objects} objects, best of {rounds} rounds ...", if args.quick { "" } else { " --release" });
    command.args(["--", "--objects", &objects.to_string(), "--rounds", &rounds.to_string()]);
    let output = command.stderr(Stdio::inherit()).output().context("running the bench crate")?;
    if !output.status.success() {
        bail!("the throughput binary failed ({})", output.status);
    }
    let mut sets = Vec::new();
    let mut build = String::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(set) = serde_json::from_str::<Value>(line) else {
            println!("{line}");
            continue;
        };
        build = set["build"].as_str().unwrap_or_default().to_string();
        let mb = |key: &str| set["bytes"].as_f64().unwrap_or_default() / 1e6 / set[key].as_f64().unwrap_or(f64::NAN);
        println!(
            "{}: {} objects, {:.1} MB; decode typed {:.0} MB/s, Value {:.0} MB/s: typed {:.2}x; encode typed {:.0} MB/s, Value {:.0} MB/s: typed {:.2}x",
            set["label"].as_str().unwrap_or_default(),
            set["objects"],
            set["bytes"].as_f64().unwrap_or_default() / 1e6,
            mb("typed_decode_s"),
            mb("value_decode_s"),
            speedup(&set, "decode"),
            mb("typed_encode_s"),
            mb("value_encode_s"),
            speedup(&set, "encode"),
        );
        if set["bulk_request_s"].is_number() {
            println!(
                "  the client's bulk add of the same objects (request built, body written): {:.0} MB/s, {:.2}x Value's encode",
                mb("bulk_request_s"),
                set["value_encode_s"].as_f64().unwrap_or(f64::NAN) / set["bulk_request_s"].as_f64().unwrap_or(f64::NAN),
            );
        }
        sets.push(set);
    }
    println!("({build} build; typed Nx = typed speed / Value speed, above 1 typed is faster; load {})", load());
    Ok(Some(Throughput { build, sets }))
}

/// Value time over typed time: how many times faster typed is.
fn speedup(set: &Value, what: &str) -> f64 {
    let time = |key: String| set[key].as_f64().unwrap_or(f64::NAN);
    time(format!("value_{what}_s")) / time(format!("typed_{what}_s"))
}

// ---------------------------------------------------------------- compile

/// One timed cargo run.
struct Timed {
    label: String,
    seconds: f64,
    /// Peak RSS of the rustc compiling netscaler, KiB (0 if not seen).
    rustc_peak_kib: u64,
    /// How long that rustc was seen running (poll resolution).
    rustc_seconds: f64,
    /// Its user + system CPU time (last poll): less sensitive than wall
    /// time to other work on the machine.
    rustc_cpu_seconds: f64,
    load: String,
}

struct Compile {
    runs: Vec<Timed>,
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

fn compile(root: &Path, quick: bool) -> anyhow::Result<Option<Compile>> {
    let generated = root.join("generated");
    let features = declared_features(&generated);
    let target = root.join("target").join("bench");
    let target_arg = target.to_string_lossy().to_string();

    // Every ADC group: the scope of the "obvious shape" figures
    // (ADM groups are `adm-*`; the ADC has a group named `adm` too).
    let adc: Vec<&str> = features.iter().map(String::as_str).filter(|f| !f.starts_with("adm-") && *f != "nextgen").collect();
    let adc = adc.join(",");
    // (label, cargo subcommand, feature arguments, the features it needs)
    let all: Vec<(&str, &str, Vec<&str>, Vec<&str>)> = vec![
        ("check --no-default-features", "check", vec!["--no-default-features"], vec![]),
        ("check (default features)", "check", vec![], vec![]),
        ("check --no-default-features --features lb", "check", vec!["--no-default-features", "--features", "lb"], vec!["lb"]),
        ("check, every ADC group", "check", vec!["--no-default-features", "--features", &adc], vec!["lb"]),
        ("check --all-features", "check", vec!["--all-features"], vec![]),
        ("build, every ADC group (debug)", "build", vec!["--no-default-features", "--features", &adc], vec!["lb"]),
        ("build --all-features (debug)", "build", vec!["--all-features"], vec![]),
    ];
    let plan: Vec<_> = all
        .into_iter()
        .filter(|(label, ..)| !quick || label.contains("features lb"))
        .filter(|(label, _, _, needs)| {
            let missing: Vec<&&str> = needs.iter().filter(|f| !features.contains(**f)).collect();
            if !missing.is_empty() {
                println!("skipped `{label}`: generated/Cargo.toml declares no feature {missing:?}");
            }
            missing.is_empty()
        })
        .collect();
    if plan.is_empty() {
        return Ok(None);
    }

    // Dependencies once, for check and (full mode) build, untimed.
    let logs = target.join("logs");
    std::fs::create_dir_all(&logs)?;
    // Feature sets change only netscaler, never its dependencies.
    let mut modes = vec!["check"];
    if plan.iter().any(|(_, sub, ..)| *sub == "build") {
        modes.push("build");
    }
    for sub in modes {
        println!("building the dependencies for `cargo {sub}` into target/bench (untimed) ...");
        let mut warm = cargo_command(root, &target_arg, sub);
        warm.args(["--no-default-features"]);
        let status = warm.stdout(Stdio::null()).stderr(log_file(&logs, &format!("warm-{sub}"))?).status()?;
        if !status.success() {
            bail!("warming target/bench failed; see {}", logs.join(format!("warm-{sub}.log")).display());
        }
    }

    let mut runs = Vec::new();
    let mut timings = None;
    println!("{:<45} {:>8} {:>9} {:>12} {:>14} {:>6}", "command (crate only, cold)", "wall s", "rustc s", "rustc cpu s", "rustc peak MiB", "load");
    for (label, sub, feature_args, _) in plan {
        // Each cold compile takes up to a minute: say which one runs (on a
        // terminal only; the table row follows when it ends).
        crate::progress(&format!("  compiling: {label} ..."));
        clean_netscaler(root, &target_arg)?;
        let mut command = cargo_command(root, &target_arg, sub);
        command.args(&feature_args);
        let with_timings = sub == "build";
        if with_timings {
            command.arg("--timings");
        }
        let log = logs.join(format!("{}.log", label.replace([' ', '(', ')'], "_")));
        command.stdout(Stdio::null()).stderr(std::fs::File::create(&log)?);
        let timed = run_timed(command, label, &target_arg)?;
        println!(
            "{:<45} {:>8.2} {:>9.2} {:>12.2} {:>14.0} {:>6}",
            timed.label,
            timed.seconds,
            timed.rustc_seconds,
            timed.rustc_cpu_seconds,
            mib(timed.rustc_peak_kib),
            timed.load
        );
        if with_timings {
            timings = netscaler_timing(&target);
        }
        runs.push(timed);
    }
    if let Some((total, rmeta)) = timings {
        println!(
            "cargo build --timings (target/bench/cargo-timings/cargo-timing.html): netscaler {total:.1} s, of which front end {rmeta:.1} s (what check does) and code generation {:.1} s",
            total - rmeta
        );
    }
    Ok(Some(Compile { runs }))
}

fn cargo_command(root: &Path, target: &str, sub: &str) -> Command {
    let mut command = Command::new(cargo());
    command
        .current_dir(root)
        .args([sub, "-p", "netscaler", "--lib", "--target-dir", target])
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TERM_COLOR", "never");
    command
}

fn log_file(logs: &Path, name: &str) -> anyhow::Result<std::fs::File> {
    Ok(std::fs::File::create(logs.join(format!("{name}.log")))?)
}

fn clean_netscaler(root: &Path, target: &str) -> anyhow::Result<()> {
    let status = Command::new(cargo())
        .current_dir(root)
        .args(["clean", "--quiet", "-p", "netscaler", "--target-dir", target])
        .status()
        .context("cargo clean -p netscaler")?;
    if !status.success() {
        bail!("cargo clean -p netscaler failed");
    }
    Ok(())
}

/// Runs a cargo command to completion, polling for the rustc that compiles
/// `netscaler` into `target` and its peak RSS.
fn run_timed(mut command: Command, label: &str, target: &str) -> anyhow::Result<Timed> {
    let load = load();
    let started = Instant::now();
    let mut child = command.spawn().with_context(|| format!("running `cargo {label}`"))?;
    let mut seen: BTreeMap<u32, Sample> = BTreeMap::new();
    let mut tracked: Option<u32> = None;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        match tracked {
            Some(pid) => match std::fs::read_to_string(format!("/proc/{pid}/status")).ok().and_then(|s| hwm_kib(&s)) {
                Some(kib) => {
                    let sample = seen.get_mut(&pid).expect("tracked pids are seen");
                    sample.last = Instant::now();
                    sample.peak_kib = sample.peak_kib.max(kib);
                    if let Some(cpu) = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok().and_then(|s| cpu_seconds(&s)) {
                        sample.cpu_seconds = sample.cpu_seconds.max(cpu);
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                None => tracked = None,
            },
            None => {
                tracked = find_rustc(target, &seen);
                if let Some(pid) = tracked {
                    let now = Instant::now();
                    seen.insert(pid, Sample { first: now, last: now, peak_kib: 0, cpu_seconds: 0.0 });
                } else {
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    if !status.success() {
        bail!("`cargo {label}` failed ({status}); see target/bench/logs/");
    }
    let rustc_peak_kib = seen.values().map(|s| s.peak_kib).max().unwrap_or(0);
    let rustc_seconds = seen.values().map(|s| s.last.duration_since(s.first).as_secs_f64()).sum();
    let rustc_cpu_seconds = seen.values().map(|s| s.cpu_seconds).sum();
    Ok(Timed { label: label.to_string(), seconds, rustc_peak_kib, rustc_seconds, rustc_cpu_seconds, load })
}

/// What polling saw of one rustc process.
struct Sample {
    first: Instant,
    last: Instant,
    peak_kib: u64,
    cpu_seconds: f64,
}

/// A running rustc with `--crate-name netscaler` writing into `target`
/// (others may compile their own copy elsewhere), not seen before.
fn find_rustc(target: &str, seen: &BTreeMap<u32, Sample>) -> Option<u32> {
    let entries = std::fs::read_dir("/proc").ok()?;
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        if seen.contains_key(&pid) {
            continue;
        }
        let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else { continue };
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        let is_rustc = args.first().is_some_and(|a| a.ends_with(b"rustc"));
        let names_us = args.windows(2).any(|w| w[0] == b"--crate-name" && w[1] == b"netscaler");
        let in_target = args.iter().any(|a| a.starts_with(target.as_bytes()));
        if is_rustc && names_us && in_target {
            return Some(pid);
        }
    }
    None
}

/// netscaler's (total, to-metadata) seconds from the newest
/// `cargo-timing.html`, whose `UNIT_DATA` is a JSON array.
fn netscaler_timing(target: &Path) -> Option<(f64, f64)> {
    let html = std::fs::read_to_string(target.join("cargo-timings/cargo-timing.html")).ok()?;
    let start = html.find("const UNIT_DATA = ")? + "const UNIT_DATA = ".len();
    let end = start + html[start..].find(";\n")?;
    let units: Value = serde_json::from_str(&html[start..end]).ok()?;
    let unit = units.as_array()?.iter().find(|u| u["name"] == "netscaler")?;
    // Newer cargo splits a unit into named sections; older ones give the
    // time to metadata.
    let frontend = unit["sections"].as_array().and_then(|sections| {
        let section = sections.iter().find(|s| s[0] == "frontend")?;
        Some(section[1]["end"].as_f64()? - section[1]["start"].as_f64()?)
    });
    Some((unit["duration"].as_f64()?, frontend.or(unit["rmeta_time"].as_f64()).unwrap_or(0.0)))
}

// ---------------------------------------------------------------- time passes

struct Pass {
    name: String,
    seconds: f64,
    rss_mb: u64,
}

/// `RUSTC_BOOTSTRAP=1 cargo rustc -p netscaler --all-features --profile
/// check -- -Ztime-passes`: the passes that take the time of a check.
fn time_passes(root: &Path) -> anyhow::Result<Vec<Pass>> {
    let target = root.join("target").join("bench");
    let mut command = Command::new(cargo());
    command
        .current_dir(root)
        .args(["rustc", "-p", "netscaler", "--lib", "--all-features", "--profile", "check", "--target-dir"])
        .arg(&target)
        .args(["--", "-Ztime-passes"])
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TERM_COLOR", "never");
    let output = command.output().context("cargo rustc -Ztime-passes")?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    std::fs::write(target.join("logs/time-passes.log"), &text)?;
    if !output.status.success() {
        println!("skipped: -Ztime-passes failed ({}); see target/bench/logs/time-passes.log", output.status);
        return Ok(Vec::new());
    }
    let mut passes: Vec<Pass> = text.lines().filter_map(parse_pass).collect();
    let total = passes.iter().find(|p| p.name == "total").map(|p| p.seconds);
    passes.retain(|p| p.name != "total");
    passes.sort_by(|a, b| b.seconds.total_cmp(&a.seconds));
    passes.truncate(12);
    println!("-Ztime-passes, check --all-features (total {:.2} s); the 12 longest passes (nested passes are inside their parents):", total.unwrap_or(f64::NAN));
    for pass in &passes {
        println!("  {:>7.2} s  rss {:>5} MB  {}", pass.seconds, pass.rss_mb, pass.name);
    }
    Ok(passes)
}

/// `time:   1.234; rss:  100MB ->  200MB ( +100MB)\ttypeck`
fn parse_pass(line: &str) -> Option<Pass> {
    let rest = line.strip_prefix("time:")?;
    let (seconds, rest) = rest.split_once(';')?;
    let seconds = seconds.trim().parse().ok()?;
    let name = rest.rsplit(['\t', ')']).next()?.trim().to_string();
    let rss_mb = rest
        .split("->")
        .nth(1)
        .and_then(|after| after.trim_start().split("MB").next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    Some(Pass { name, seconds, rss_mb })
}

// ---------------------------------------------------------------- summary

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_time_passes_line() {
        let pass = parse_pass("time:   1.234; rss:  100MB ->  250MB ( +150MB)\ttype_check_crate").expect("a pass");
        assert_eq!(pass.name, "type_check_crate");
        assert!((pass.seconds - 1.234).abs() < 1e-9);
        assert_eq!(pass.rss_mb, 250);
        assert!(parse_pass("warning: unused").is_none());
    }

    #[test]
    fn reads_the_high_water_mark() {
        assert_eq!(hwm_kib("Name:\trustc\nVmPeak:\t 999 kB\nVmHWM:\t  123456 kB\n"), Some(123456));
        assert_eq!(hwm_kib("Name:\trustc\n"), None);
    }

    #[test]
    fn reads_cpu_time_past_a_name_with_spaces() {
        let stat = "42 (my prog) R 1 42 42 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 1 0";
        assert_eq!(cpu_seconds(stat), Some(3.0));
    }
}
