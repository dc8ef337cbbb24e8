//! Inputs of the backend: the IR snapshots under `specs/`, one `Api` per
//! product from its newest release.

use crate::diagnostics::Diagnostic;
use crate::ir::{release_key, Api, Origin, Product};
use crate::since::Gone;
use std::collections::BTreeMap;
use std::path::Path;

/// The APIs to emit, and what was wrong with the snapshots.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// One per product, newest release, sorted by product.
    pub apis: Vec<Api>,
    /// Every release read, per product, oldest first (for reports).
    pub releases: BTreeMap<Product, Vec<String>>,
    /// Every NITRO snapshot read, per product, oldest first (for the
    /// changelog).
    pub series: BTreeMap<Product, Vec<Api>>,
    /// Per product, what older releases had and the newest lacks (for
    /// the removal notes in the generated docs).
    pub removed: BTreeMap<Product, Vec<Gone>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every `specs/nitro/<product>/<release>.json` under `specs`,
/// orders releases with [`release_key`] and keeps the newest of each
/// product, with `since` facts filled across releases by
/// [`crate::since::annotate`] (and what the newest lacks in
/// [`Inputs::removed`]); then the Next-Gen description
/// (`specs/nextgen/openapi.yaml`) through its frontend, when present. A
/// snapshot that does not parse is an error diagnostic and is left out.
pub fn load_specs(specs: &Path) -> Inputs {
    let mut inputs = Inputs::default();
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
    for (_, releases) in &mut series {
        releases.sort_by_key(|api| release_key(&api.release));
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
    match serde_json::from_str::<Api>(&text) {
        Ok(api) => {
            let stem = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
            let mut diagnostics = Vec::new();
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
