//! `cargo xtask update --from https://<nsip>`: regenerate for the firmware
//! an appliance runs, in one command.
//!
//! 1. Reads the running release from NITRO, the authority (not file
//!    names): ADC `GET /nitro/v1/config/nsversion` (`NetScaler NS14.1:
//!    Build 60.54.nc, ...` -> `14.1-60.54`); ADM (`--product adm`)
//!    `GET /nitro/v1/config/mps` (`product_version` and `build_number`).
//! 2. Downloads the documentation bundle the appliance serves at
//!    `/nitro-rest.tgz` (size limited by `--max-bundle-mib`).
//! 3. Scrapes it for that release (`frontend::bundle::read_bundle`); any
//!    error stops here with nothing written.
//! 4. Writes `specs/nitro/<product>/<release>.json` and regenerates with
//!    that release as target (`codegen --target`); when regeneration fails,
//!    the snapshot is put back as it was.
//! 5. Prints the diff against the release specs/ targeted before.
//!
//! Credentials come from `--user`/`--password` or `NS_USER`/`NS_PASSWORD`
//! and travel only as NITRO headers to the host given: redirects are not
//! followed, and the password is in no message. TLS: the system's roots
//! plus `--ca-file <pem>`, or `--insecure` (the appliance's default
//! self-signed certificate).
//!
//! It talks HTTP itself (reqwest) rather than through the generated crate,
//! so a broken generated/ never stops regeneration.

use anyhow::{bail, Context};
use codegen::inputs::{read_targets, release_major_minor};
use codegen::frontend::bundle::{read_bundle, BundleSettings};
use codegen::ir::{release_key, Api, Product};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// The appliance: `https://<nsip>` (scheme, host and port only)
    #[arg(long, value_name = "URL")]
    from: String,
    /// `adc`, or `adm` for a Console (ADM)
    #[arg(long, value_parser = parse_product, default_value = "adc")]
    product: Product,
    /// NITRO user
    #[arg(long, env = "NS_USER")]
    user: String,
    /// NITRO password (prefer the environment: a flag is visible to `ps`)
    #[arg(long, env = "NS_PASSWORD", hide_env_values = true)]
    password: String,
    /// Also trust the certificates of this PEM file (the appliance's own CA)
    #[arg(long, value_name = "FILE")]
    ca_file: Option<PathBuf>,
    /// Accept any certificate (the appliance's default self-signed one);
    /// the password is then sent to whoever answers
    #[arg(long)]
    insecure: bool,
    /// Specs folder to add the snapshot to (default: the workspace's specs/)
    #[arg(long, value_name = "DIR")]
    specs: Option<PathBuf>,
    /// Crate folder to regenerate (default: the workspace's generated/)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Largest bundle accepted, in MiB
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    max_bundle_mib: u64,
    /// Seconds allowed for each request
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    timeout: u64,
}

fn parse_product(text: &str) -> Result<Product, String> {
    match text {
        "adc" => Ok(Product::Adc),
        "adm" => Ok(Product::Adm),
        other => Err(format!("unknown product `{other}` (adc or adm)")),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let base = appliance_url(&args.from)?;
    let root = crate::workspace_root();
    let specs = args.specs.clone().unwrap_or_else(|| root.join("specs"));
    if !specs.join("nitro").is_dir() {
        bail!("{} has no nitro/ folder (point --specs at a specs folder)", specs.display());
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")?;
    let client = http_client(&args)?;

    crate::progress(&format!("asking {base} for its release ..."));
    let release = runtime.block_on(running_release(&client, &base, &args))?;
    println!("{} at {base} runs {release}", args.product.as_str());

    crate::progress(&format!("downloading {base}nitro-rest.tgz ..."));
    let download = std::env::temp_dir().join(format!("netscaler-update-{}", std::process::id()));
    std::fs::create_dir_all(&download).with_context(|| format!("cannot create {}", download.display()))?;
    let result = (|| -> anyhow::Result<ExitCode> {
        let bundle = download.join("nitro-rest.tgz");
        let bytes = runtime.block_on(fetch_bundle(&client, &base, &args))?;
        std::fs::write(&bundle, &bytes).with_context(|| format!("cannot write {}", bundle.display()))?;
        crate::progress("scraping the bundle ...");
        update_from_bundle(&bundle, args.product, &release, &specs, args.out.clone())
    })();
    let _ = std::fs::remove_dir_all(&download);
    result
}

/// Steps 3 to 5 (see the module docs), from a downloaded bundle.
fn update_from_bundle(bundle: &Path, product: Product, release: &str, specs: &Path, out: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let lowered = read_bundle(bundle, &BundleSettings { product: Some(product), release: Some(release.to_string()), descriptions: false, limits: Default::default() });
    let counts = crate::report::report(&lowered.diagnostics);
    if counts.failed() || lowered.api.resources.is_empty() {
        let message = format!("the bundle was not fully read ({} error(s), {} resources); nothing written", counts.errors, lowered.api.resources.len());
        return Ok(crate::report::failure(message));
    }
    let new = lowered.api;
    let before = previous_target(specs, product)?;
    let snapshot = specs.join("nitro").join(product.as_str()).join(format!("{release}.json"));
    let old_bytes = std::fs::read(&snapshot).ok();
    crate::facts::write_snapshot(&snapshot, &new)?;
    println!("wrote {}", snapshot.display());

    let regenerated = crate::codegen_cmd::run(crate::codegen_cmd::Args::regenerate(specs.to_path_buf(), out, (product, release.to_string())));
    if !matches!(regenerated, Ok(code) if code == ExitCode::SUCCESS) {
        // Regeneration changed nothing; neither does this command.
        match &old_bytes {
            Some(bytes) => crate::write::write_file(&snapshot, bytes.clone())?,
            None => std::fs::remove_file(&snapshot).with_context(|| format!("cannot remove {}", snapshot.display()))?,
        }
        eprintln!("error: regeneration failed; {} put back as it was", snapshot.display());
        return regenerated.map(|_| ExitCode::FAILURE);
    }
    match before {
        Some(old) => print!("{}", codegen::diff::markdown(&codegen::diff::compare(&old, &new))),
        None => println!("no earlier {} snapshot to compare with", product.as_str()),
    }
    Ok(ExitCode::SUCCESS)
}

/// The snapshot specs/ targeted for `product` before this run: its
/// target, else its newest release.
fn previous_target(specs: &Path, product: Product) -> anyhow::Result<Option<Api>> {
    let folder = specs.join("nitro").join(product.as_str());
    let target = read_targets(specs).map_err(anyhow::Error::msg)?.remove(&product);
    let release = match target {
        Some(release) => release,
        None => {
            let Ok(entries) = std::fs::read_dir(&folder) else { return Ok(None) };
            let newest = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .map(|p| p.file_stem().unwrap_or_default().to_string_lossy().into_owned())
                .max_by_key(|r| release_key(r));
            let Some(newest) = newest else { return Ok(None) };
            newest
        }
    };
    let path = folder.join(format!("{release}.json"));
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Some(codegen::ir::parse_snapshot(&text).with_context(|| format!("{} is not IR JSON", path.display()))?))
}

/// `https://<host>[:port]` with nothing else: credentials in the URL,
/// paths and queries are refused, so requests go exactly where we say.
fn appliance_url(from: &str) -> anyhow::Result<reqwest::Url> {
    let url = reqwest::Url::parse(from).with_context(|| format!("--from `{from}` is not a URL (e.g. https://10.0.0.1)"))?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
        bail!("--from `{from}`: an http(s) URL of the appliance is needed (e.g. https://10.0.0.1)");
    }
    if !url.username().is_empty() || url.password().is_some() {
        bail!("--from: put credentials in --user/--password or NS_USER/NS_PASSWORD, not in the URL");
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        bail!("--from `{}`: scheme, host and port only (the paths are fixed: /nitro/v1/..., /nitro-rest.tgz)", url.as_str());
    }
    Ok(url)
}

fn http_client(args: &Args) -> anyhow::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        // Credentials go to the host given and nowhere else.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(30))
        .timeout(Duration::from_secs(args.timeout));
    if let Some(path) = &args.ca_file {
        let pem = std::fs::read(path).with_context(|| format!("cannot read --ca-file {}", path.display()))?;
        let certificates = reqwest::Certificate::from_pem_bundle(&pem).with_context(|| format!("--ca-file {} holds no PEM certificate", path.display()))?;
        if certificates.is_empty() {
            bail!("--ca-file {} holds no PEM certificate", path.display());
        }
        for certificate in certificates {
            builder = builder.add_root_certificate(certificate);
        }
    }
    if args.insecure {
        builder = builder.danger_accept_invalid_certs(true);
    }
    builder.build().context("cannot build the HTTP client")
}

/// A GET with the NITRO credential headers; a 2xx answer's body, at most
/// `limit` bytes, else an error naming the URL and status.
/// `limit_name` says how to raise the limit.
async fn get(client: &reqwest::Client, url: &reqwest::Url, args: &Args, limit: u64, limit_name: &str) -> anyhow::Result<Vec<u8>> {
    let mut response = client
        .get(url.clone())
        .header("X-NITRO-USER", &args.user)
        .header("X-NITRO-PASS", &args.password)
        .send()
        .await
        .map_err(|error| request_error(url, error))?;
    let status = response.status();
    if !status.is_success() {
        let hint = match status.as_u16() {
            401 | 403 => " (check --user/--password or NS_USER/NS_PASSWORD)",
            300..=399 => " (redirects are not followed: give the address the appliance answers on)",
            404 => " (is --product right for this appliance?)",
            _ => "",
        };
        bail!("GET {url}: HTTP {status}{hint}");
    }
    if response.content_length().is_some_and(|length| length > limit) {
        bail!("GET {url}: the answer is larger than {} MiB ({limit_name})", limit >> 20);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|error| request_error(url, error))? {
        body.extend_from_slice(&chunk);
        if body.len() as u64 > limit {
            bail!("GET {url}: the answer is larger than {} MiB ({limit_name})", limit >> 20);
        }
    }
    Ok(body)
}

fn request_error(url: &reqwest::Url, error: reqwest::Error) -> anyhow::Error {
    use std::error::Error;
    let mut cause = String::new();
    let mut source = error.source();
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    let hint = if cause.contains("certificate") || cause.contains("UnknownIssuer") {
        " (the appliance's default certificate is self-signed: pass --ca-file <its CA as PEM>, or --insecure)"
    } else {
        ""
    };
    let what = if error.is_timeout() { "timed out (raise --timeout)".to_string() } else { error.without_url().to_string() };
    let cause = if cause.is_empty() { String::new() } else { format!(": {cause}") };
    anyhow::anyhow!("GET {url}: {what}{cause}{hint}")
}

async fn fetch_bundle(client: &reqwest::Client, base: &reqwest::Url, args: &Args) -> anyhow::Result<Vec<u8>> {
    let url = base.join("/nitro-rest.tgz")?;
    get(client, &url, args, args.max_bundle_mib.saturating_mul(1 << 20), "raise --max-bundle-mib").await
}

/// The running release, `<major.minor>-<build>`, from NITRO.
async fn running_release(client: &reqwest::Client, base: &reqwest::Url, args: &Args) -> anyhow::Result<String> {
    let (path, key) = match args.product {
        Product::Adm => ("/nitro/v1/config/mps", "mps"),
        _ => ("/nitro/v1/config/nsversion", "nsversion"),
    };
    let url = base.join(path)?;
    // A version answer is a few hundred bytes: 1 MiB is generous, and an
    // answer that large is not NITRO's.
    let body = get(client, &url, args, 1 << 20, "a version answer is at most 1 MiB").await?;
    let json: serde_json::Value = serde_json::from_slice(&body).with_context(|| format!("GET {url}: the answer is not JSON"))?;
    // NITRO answers one object or an array of one.
    let object = match &json[key] {
        serde_json::Value::Array(items) => items.first().cloned().unwrap_or_default(),
        other => other.clone(),
    };
    let release = match args.product {
        Product::Adm => {
            let text = |name: &str| object[name].as_str().unwrap_or_default().to_string();
            release_of_mps(&text("product_version"), &text("build_number"))
        }
        _ => object["version"].as_str().and_then(release_of_nsversion),
    };
    release.with_context(|| format!("GET {url}: no release in the answer ({})", truncate(&String::from_utf8_lossy(&body), 200)))
}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((index, _)) => &text[..index],
        None => text,
    }
}

/// `NetScaler NS14.1: Build 60.54.nc, Date: ...` -> `14.1-60.54`.
fn release_of_nsversion(version: &str) -> Option<String> {
    let after_ns = &version[version.find("NS")? + 2..];
    let (major_minor, rest) = after_ns.split_once(':')?;
    release_major_minor(major_minor)?;
    let build: String = rest.trim_start().strip_prefix("Build")?.trim_start().chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let build = build.trim_end_matches('.');
    let valid_build = build.split('.').count() == 2 && build.split('.').all(|part| !part.is_empty());
    Some(if valid_build { format!("{major_minor}-{build}") } else { major_minor.to_string() })
}

/// ADM `mps`: `product_version` `14.1` (or `14.1-60.54`) and
/// `build_number` `60.54` (or `14.1-60.54`) -> `14.1-60.54`.
fn release_of_mps(product_version: &str, build_number: &str) -> Option<String> {
    let (major, minor) = release_major_minor(product_version).or_else(|| release_major_minor(build_number))?;
    let build = build_number.rsplit('-').next().unwrap_or_default();
    let is_build = build.split('.').count() == 2 && build.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    Some(if is_build && build != format!("{major}.{minor}") { format!("{major}.{minor}-{build}") } else { format!("{major}.{minor}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_from_nitro_answers() {
        assert_eq!(release_of_nsversion("NetScaler NS14.1: Build 60.54.nc, Date: Feb 10 2025, 08:47:55   (64-bit)").as_deref(), Some("14.1-60.54"));
        assert_eq!(release_of_nsversion("NetScaler NS12.1: Build 55.13.nc").as_deref(), Some("12.1-55.13"));
        assert_eq!(release_of_nsversion("NetScaler NS48.10: Build 1.1"), None);
        assert_eq!(release_of_nsversion("garbage"), None);
        assert_eq!(release_of_nsversion("NS\u{e9}: Build"), None);
        assert_eq!(release_of_mps("14.1", "60.54").as_deref(), Some("14.1-60.54"));
        assert_eq!(release_of_mps("", "14.1-60.54").as_deref(), Some("14.1-60.54"));
        assert_eq!(release_of_mps("14.1", "").as_deref(), Some("14.1"));
        assert_eq!(release_of_mps("", "60.54"), None);
    }

    #[test]
    fn only_a_bare_appliance_address_is_taken() {
        assert!(appliance_url("https://10.0.0.1").is_ok());
        assert!(appliance_url("http://127.0.0.1:8080/").is_ok());
        assert!(appliance_url("https://nsroot:secret@10.0.0.1").unwrap_err().to_string().contains("--user"));
        assert!(appliance_url("https://10.0.0.1/nitro").is_err());
        assert!(appliance_url("https://10.0.0.1/?x=1").is_err());
        assert!(appliance_url("ftp://10.0.0.1").is_err());
        assert!(appliance_url("10.0.0.1").is_err());
    }
}
