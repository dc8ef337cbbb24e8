//! `cargo xtask scrape-bundle`: an appliance documentation bundle
//! (`nitro-rest.tgz`, a nested tar, or an extracted folder; ADC or ADM) ->
//! IR snapshot, error table included.
//!
//! `cargo xtask scrape-bundle --docs ../shared/nitro-docs/appliance/adm/14.1-60.54
//!   --release 14.1 --out specs/nitro/adm/14.1.json`
//!
//! Nothing is written when the bundle has errors, when its release is not
//! a release (no major.minor found and no `--release`; a build number
//! alone) or when the `--out` file name names another release
//! ([`crate::release::check_release`]). The snapshot is written atomically.

use codegen::frontend::bundle::{read_bundle, BundleSettings};
use codegen::ir::Product;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The bundle: `nitro-rest.tgz`, a `.tar`, or an extracted folder
    #[arg(long)]
    docs: PathBuf,
    /// Product (`adc` or `adm`); detected from the layout when absent
    #[arg(long)]
    product: Option<String>,
    /// Release label (e.g. `13.1-49.13`); detected from names and build.js when absent
    #[arg(long)]
    release: Option<String>,
    /// Keep vendor descriptions and error messages (never for committed snapshots)
    #[arg(long)]
    descriptions: bool,
    /// Output snapshot (default: print a summary only)
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    limits: crate::limits::LimitArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let product = match args.product.as_deref() {
        None => None,
        Some("adc") => Some(Product::Adc),
        Some("adm") => Some(Product::Adm),
        Some(other) => anyhow::bail!("unknown product `{other}` (adc or adm)"),
    };
    crate::progress(&format!("reading {} ...", args.docs.display()));
    let settings = BundleSettings { product, release: args.release.clone(), descriptions: args.descriptions, limits: args.limits.limits() };
    let lowered = read_bundle(&args.docs, &settings);
    let counts = crate::report::report(&lowered.diagnostics);
    let api = &lowered.api;
    let properties: usize = api.resources.values().map(|r| r.properties.len()).sum();
    eprintln!(
        "{} {}: {} pages, {} resources, {} properties, {} error codes",
        api.product.as_str(),
        api.release,
        api.source.pages,
        api.resources.len(),
        properties,
        api.errors.len(),
    );
    if counts.failed() {
        return Ok(crate::report::failure("the bundle was not fully read (errors above); not written"));
    }
    if let Err(error) = crate::release::check_release(&api.release, args.release.is_some(), args.out.as_deref()) {
        return Ok(crate::report::failure(format!("{error}; not written")));
    }
    if let Some(out) = &args.out {
        crate::facts::write_snapshot(out, api)?;
        eprintln!("wrote {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}
