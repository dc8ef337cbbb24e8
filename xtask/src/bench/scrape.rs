//! Scrape time and peak memory per release, each in its own child process.

use super::measure::{child_json, load, mib, own_cpu_seconds, own_peak_kib};
use super::Args;
use anyhow::bail;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub(super) struct ScrapeFigures {
    pub(super) product: String,
    pub(super) release: String,
    pub(super) seconds: f64,
    pub(super) cpu_seconds: f64,
    pub(super) peak_kib: u64,
    pub(super) resources: u64,
    pub(super) pages: u64,
}

pub(super) struct Scrape {
    pub(super) build: &'static str,
    pub(super) releases: Vec<ScrapeFigures>,
    /// Every release read in one process, as `cargo xtask scrape --all`
    /// does (several at once); not in `--quick`.
    pub(super) all: Option<ScrapeAll>,
}

pub(super) struct ScrapeAll {
    pub(super) releases: u64,
    pub(super) seconds: f64,
    pub(super) cpu_seconds: f64,
    pub(super) peak_kib: u64,
}

/// Scrapes each release under `<shared>/nitro-docs/<product>/<release>/docs`
/// (the sources of the committed snapshots) in its own process.
pub(super) fn scrape_all(root: &Path, args: &Args, helper: &(PathBuf, &'static str)) -> anyhow::Result<Option<Scrape>> {
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

pub(super) fn child_scrape(job: &[String]) -> anyhow::Result<ExitCode> {
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
pub(super) fn child_scrape_all(shared: &Path) -> anyhow::Result<ExitCode> {
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
