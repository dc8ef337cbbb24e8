//! Inputs of the pipeline: the IR snapshots under `specs/`, one `Api` per
//! product from its target release (`specs/targets.json`, else the newest).

use crate::diagnostics::Diagnostic;
use crate::ir::{release_key, Api, Origin, Product};
use crate::since::Gone;
use std::collections::BTreeMap;
use std::path::Path;

/// The APIs to emit, and what was wrong with the snapshots.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// One per product, its target release, sorted by product.
    pub apis: Vec<Api>,
    /// Every release read, per product, oldest first, up to the target
    /// (for reports and the changelog).
    pub releases: BTreeMap<Product, Vec<String>>,
    /// Per product, the releases on disk newer than its target: left out.
    pub newer: BTreeMap<Product, Vec<String>>,
    /// The target of each product that has one (from `targets.json` or
    /// the caller); the others get their newest release.
    pub targets: BTreeMap<Product, String>,
    /// Every NITRO snapshot read, per product, oldest first (for the
    /// changelog).
    pub series: BTreeMap<Product, Vec<Api>>,
    /// Per product, what older releases had and the newest lacks (for
    /// the removal notes in the generated docs).
    pub removed: BTreeMap<Product, Vec<Gone>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The file under `specs/` that names the release emitted for each
/// product: `{"adc": "14.1", "adm": "14.1"}`. Committed, so that
/// `cargo xtask codegen`, `--check`, the freshness test and CI agree.
pub const TARGETS_FILE: &str = "targets.json";

/// `major.minor` at the start of a release label (`14.1`, `12.0-FR4`,
/// `11.1-48.10`), or `None` when the label does not start with one. Every
/// NetScaler release with NITRO so far has a major of 9 to 14 and a
/// one-digit minor, while builds look like `48.10` or `60.54`: a major of 9
/// to 39 and a one-digit minor tell a release from a build number, so a
/// build taken for a release is refused rather than sorted above every real
/// release.
pub fn release_major_minor(release: &str) -> Option<(u32, u32)> {
    let (major, rest) = release.split_once('.')?;
    let minor_len = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let (minor, after) = rest.split_at(minor_len);
    let digits = (1..=2).contains(&major.len()) && major.chars().all(|c| c.is_ascii_digit()) && !major.starts_with('0');
    let major: u32 = major.parse().ok().filter(|m| digits && (9..=39).contains(m))?;
    let minor: u32 = minor.parse().ok().filter(|_| minor.len() == 1)?;
    (after.is_empty() || after.starts_with('-')).then_some((major, minor))
}

/// Reads `specs/targets.json` (absent: no targets). Products are `adc` and
/// `adm`; any other key or a value that is not a release label is an error
/// naming the file.
pub fn read_targets(specs: &Path) -> Result<BTreeMap<Product, String>, String> {
    let path = specs.join(TARGETS_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(error) => return Err(format!("cannot read {}: {error}", path.display())),
    };
    let raw: BTreeMap<String, String> =
        serde_json::from_str(&text).map_err(|error| format!("{} is not an object of product -> release: {error}", path.display()))?;
    let mut targets = BTreeMap::new();
    for (product, release) in raw {
        targets.insert(parse_target(&format!("{product}@{release}")).map_err(|error| format!("{}: {error}", path.display()))?.0, release);
    }
    Ok(targets)
}

/// The text of `targets.json` for these targets (sorted, one per line).
pub fn targets_json(targets: &BTreeMap<Product, String>) -> String {
    let lines: Vec<String> = targets.iter().map(|(product, release)| format!("  \"{}\": {}", product.as_str(), serde_json::Value::from(release.as_str()))).collect();
    format!("{{\n{}\n}}\n", lines.join(",\n"))
}

/// `adc@12.1` -> (ADC, `12.1`); only NITRO products have releases to choose.
pub fn parse_target(text: &str) -> Result<(Product, String), String> {
    let Some((product, release)) = text.split_once('@') else {
        return Err(format!("`{text}` is not <product>@<release> (e.g. adc@12.1)"));
    };
    let product = match product {
        "adc" => Product::Adc,
        "adm" => Product::Adm,
        other => return Err(format!("`{text}`: unknown product `{other}` (adc or adm)")),
    };
    if release_major_minor(release).is_none() {
        return Err(format!("`{text}`: `{release}` is not a release (major.minor first, e.g. 12.1 or 14.1-60.54)"));
    }
    Ok((product, release.to_string()))
}

/// [`load_specs_for`] with the targets of `specs/targets.json`.
pub fn load_specs(specs: &Path) -> Inputs {
    load_specs_for(specs, &BTreeMap::new())
}

/// Reads every `specs/nitro/<product>/<release>.json` under `specs`,
/// orders releases with [`release_key`] and keeps, for each product, the
/// target release (`targets` given here, else `specs/targets.json`, else
/// the newest), with `since` facts filled across the releases up to it by
/// [`crate::since::annotate`] (and what it lacks in [`Inputs::removed`]);
/// then the Next-Gen description (`specs/nextgen/openapi.yaml`) through
/// its frontend, when present. A snapshot that does not parse or whose
/// release is not a release label, a target without its snapshot, and a
/// broken `targets.json` are error diagnostics.
pub fn load_specs_for(specs: &Path, targets: &BTreeMap<Product, String>) -> Inputs {
    let mut inputs = Inputs::default();
    let targets_origin = Origin { file: format!("specs/{TARGETS_FILE}"), ..Origin::default() };
    match read_targets(specs) {
        Ok(committed) => inputs.targets = committed,
        Err(error) => inputs.diagnostics.push(Diagnostic::error(targets_origin.clone(), error)),
    }
    inputs.targets.extend(targets.iter().map(|(product, release)| (*product, release.clone())));
    let nitro = specs.join("nitro");
    let mut files = Vec::new();
    for product in [Product::Adc, Product::Adm] {
        let folder = nitro.join(product.as_str());
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        paths.sort();
        files.extend(paths.into_iter().map(|path| (product, path)));
    }
    // Ten snapshots of 1-4 MB: parsed on all cores, in file order after.
    let read = crate::parallel::map(&files, |(product, path)| read_snapshot(*product, path));
    let mut by_product: BTreeMap<Product, Vec<Api>> = BTreeMap::new();
    for ((product, _), (api, diagnostics)) in files.iter().zip(read) {
        inputs.diagnostics.extend(diagnostics);
        if let Some(api) = api {
            by_product.entry(*product).or_default().push(api);
        }
    }
    let mut series: Vec<(Product, Vec<Api>)> = by_product.into_iter().collect();
    for (product, releases) in &mut series {
        releases.sort_by_key(|api| release_key(&api.release));
        let Some(target) = inputs.targets.get(product) else { continue };
        let Some(position) = releases.iter().position(|api| api.release == *target) else {
            let known: Vec<&str> = releases.iter().map(|api| api.release.as_str()).collect();
            inputs.diagnostics.push(
                Diagnostic::error(
                    targets_origin.clone(),
                    format!("target {}@{target} has no snapshot specs/nitro/{}/{target}.json", product.as_str(), product.as_str()),
                )
                .hint(format!("choose one of {}", known.join(", "))),
            );
            continue;
        };
        let newer = releases.split_off(position + 1);
        inputs.newer.insert(*product, newer.into_iter().map(|api| api.release).collect());
    }
    for (product, target) in &inputs.targets {
        if !series.iter().any(|(p, _)| p == product) {
            inputs.diagnostics.push(Diagnostic::error(
                targets_origin.clone(),
                format!("target {}@{target}: no snapshot of {} under specs/nitro/{}/", product.as_str(), product.as_str(), product.as_str()),
            ));
        }
    }
    let annotated = crate::parallel::map(&series, |(_, releases)| crate::since::annotate(releases));
    for ((product, releases), annotated) in series.into_iter().zip(annotated) {
        inputs.releases.insert(product, releases.iter().map(|api| api.release.clone()).collect());
        inputs.apis.push(annotated.api);
        inputs.removed.insert(product, annotated.removed);
        inputs.series.insert(product, releases);
    }
    if let Some(nextgen) = crate::frontend::openapi::read_nextgen(specs) {
        inputs.releases.insert(Product::Nextgen, vec![nextgen.api.release.clone()]);
        inputs.diagnostics.extend(nextgen.diagnostics);
        inputs.apis.push(nextgen.api);
    }
    inputs
}

/// One snapshot file: its `Api`, or what was wrong with it.
fn read_snapshot(product: Product, path: &Path) -> (Option<Api>, Vec<Diagnostic>) {
    let shown = format!("specs/nitro/{}/{}", product.as_str(), path.file_name().unwrap_or_default().to_string_lossy());
    let origin = Origin { file: shown, ..Origin::default() };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => return (None, vec![Diagnostic::error(origin, format!("cannot read snapshot: {error}"))]),
    };
    match crate::ir::parse_snapshot(&text) {
        Ok(api) => {
            let stem = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
            let mut diagnostics = Vec::new();
            if release_major_minor(&api.release).is_none() {
                let message = format!("release `{}` does not start with a major.minor (a build number taken for a release?)", api.release);
                let hint = "scrape it again with --release <major.minor-build>, or fix `release` in the file";
                return (None, vec![Diagnostic::error(origin, message).hint(hint)]);
            }
            if api.release != stem || api.product != product {
                diagnostics.push(
                    Diagnostic::warning(
                        origin,
                        format!("snapshot says {} {}, file name says {} {stem}", api.product.as_str(), api.release, product.as_str()),
                    )
                    .hint("rename the file after the release it holds"),
                );
            }
            (Some(api), diagnostics)
        }
        Err(error) => (None, vec![Diagnostic::error(origin, format!("snapshot is not IR JSON: {error}"))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_and_builds_are_told_apart() {
        for release in ["9.3", "10.5", "11.0", "12.0-FR4", "13.1", "14.1-60.54", "11.1-48.10"] {
            assert!(release_major_minor(release).is_some(), "{release}");
        }
        assert_eq!(release_major_minor("14.1-60.54"), Some((14, 1)));
        for build in ["48.10", "60.54", "8.50", "unknown", "", "14", "14.1.2", "1.0", "14.10", "x14.1", "+9.3", "09.3", "40.1", "\u{e9}14.1"] {
            assert_eq!(release_major_minor(build), None, "{build}");
        }
    }

    #[test]
    fn targets_round_trip_and_refuse_nonsense() {
        assert_eq!(parse_target("adc@12.1"), Ok((Product::Adc, "12.1".to_string())));
        assert!(parse_target("adc12.1").unwrap_err().contains("<product>@<release>"));
        assert!(parse_target("nextgen@1.0").unwrap_err().contains("unknown product"));
        assert!(parse_target("adc@48.10").unwrap_err().contains("not a release"));
        let targets = BTreeMap::from([(Product::Adc, "12.1".to_string()), (Product::Adm, "14.1".to_string())]);
        assert_eq!(targets_json(&targets), "{\n  \"adc\": \"12.1\",\n  \"adm\": \"14.1\"\n}\n");
    }
}
