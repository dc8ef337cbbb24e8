//! The NITRO Markdown reader on the real reference pages in
//! ../shared/nitro-docs (every ADC release and ADM 12.1): no panic, every
//! table row becomes a property (counted here by a separate, naive count
//! of `<td>` cells), output is deterministic, and the committed snapshots
//! under specs/nitro/ equal a fresh scrape. Skipped, with a message, when
//! the shared folder is absent.

use codegen::frontend::nitro::{read_nitro, NitroSettings};
use codegen::ir::{snapshot_json, Product};
use codegen::Lowered;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

struct Release {
    product: Product,
    folder: &'static str,
    release: String,
    docs: PathBuf,
}

/// Every `<product>/<release>/docs` under the shared folder, or `None`
/// (with a printed reason) when there is no shared folder.
fn releases() -> Option<Vec<Release>> {
    // Absent data fails the test, unless NETSCALER_SKIP_CORPUS=1.
    let shared = netscaler_tests::shared_root()?;
    let mut found = Vec::new();
    for (folder, product) in [("adc", Product::Adc), ("adm", Product::Adm)] {
        let Ok(entries) = std::fs::read_dir(shared.join("nitro-docs").join(folder)) else { continue };
        for entry in entries.flatten() {
            let docs = entry.path().join("docs");
            if docs.join("configuration").is_dir() {
                found.push(Release { product, folder, release: entry.file_name().to_string_lossy().into_owned(), docs });
            }
        }
    }
    found.sort_by(|a, b| (a.folder, codegen::ir::release_key(&a.release)).cmp(&(b.folder, codegen::ir::release_key(&b.release))));
    assert!(!found.is_empty(), "the shared folder has no nitro-docs releases");
    Some(found)
}

fn scrape(release: &Release) -> Lowered {
    read_nitro(&release.docs, &NitroSettings { product: release.product, release: release.release.clone(), descriptions: false, ..Default::default() })
}

/// One scrape of every release, shared by the tests of this file (a debug
/// build takes seconds per release). Releases are read side by side, as
/// `cargo xtask scrape --all` does: a release's lowering is serial, so
/// another release's pages fill the other cores.
fn scraped() -> Option<&'static [(Release, Lowered)]> {
    static SCRAPED: OnceLock<Option<Vec<(Release, Lowered)>>> = OnceLock::new();
    SCRAPED
        .get_or_init(|| {
            releases().map(|releases| {
                let lowered = codegen::parallel::map(&releases, scrape);
                releases.into_iter().zip(lowered).collect()
            })
        })
        .as_deref()
}

/// Pages under `dir`, relative to `root` with `/`.
fn markdown_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            let relative = path.strip_prefix(root).unwrap();
            out.push(relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
        }
    }
}

/// The naive count: `<td>` cells between the `<tbody>` of the first table
/// that has a "Data Type" header and its `</tbody>` (or `</table>`),
/// divided by the four columns. `None` for pages without such a table.
fn naive_row_count(text: &str) -> Option<usize> {
    let table = text.find("<table")?;
    let body = table + text[table..].find("<tbody>")?;
    if !text[table..body].contains("Data Type") {
        return None;
    }
    let rest = &text[body..];
    let end = rest.find("</tbody>").or_else(|| rest.find("</table>")).unwrap_or(rest.len());
    let cells = rest[..end].matches("<td>").count();
    assert_eq!(cells % 4, 0, "a row without four cells");
    Some(cells / 4)
}

#[test]
fn every_table_row_becomes_a_property() {
    let Some(scraped) = scraped() else { return };
    for (release, lowered) in scraped {
        let api = &lowered.api;
        let mut files = Vec::new();
        for area in ["configuration", "statistics"] {
            markdown_files(&release.docs, &release.docs.join(area), &mut files);
        }
        // Resource pages by a line-based look for the section headings.
        let mut resource_pages = 0;
        let mut expected: BTreeMap<String, usize> = BTreeMap::new();
        for file in &files {
            let text = String::from_utf8_lossy(&std::fs::read(release.docs.join(file)).unwrap()).into_owned();
            if text.lines().any(|l| l.starts_with("##Properties") || l.starts_with("##Operations")) {
                resource_pages += 1;
                expected.insert(file.clone(), naive_row_count(&text).unwrap_or(0));
            }
        }
        assert_eq!(api.source.pages as usize, resource_pages, "{} {}: page count", release.folder, release.release);

        let mut mismatches = Vec::new();
        let mut properties = 0;
        for resource in api.resources.values() {
            let rows = expected.get(&resource.origin.file).copied();
            properties += resource.properties.len();
            if rows != Some(resource.properties.len()) {
                mismatches.push(format!("{}: {} properties, {:?} rows", resource.origin.file, resource.properties.len(), rows));
            }
        }
        let errors: Vec<String> = lowered.diagnostics.iter().filter(|d| d.severity == codegen::Severity::Error).map(|d| d.to_string()).collect();
        println!(
            "{} {}: {} pages, {} resources, {} properties, {} diagnostics ({} errors)",
            release.folder,
            release.release,
            resource_pages,
            api.resources.len(),
            properties,
            lowered.diagnostics.len(),
            errors.len()
        );
        assert!(mismatches.is_empty(), "{} {}: property counts differ from table rows:\n{}", release.folder, release.release, mismatches.join("\n"));
        assert!(errors.is_empty(), "{} {}: errors:\n{}", release.folder, release.release, errors.join("\n"));
        // Pages that are not resources here are only dropped duplicates.
        let dropped = resource_pages - api.resources.len();
        assert!(dropped <= 1, "{} {}: {dropped} resource pages gave no resource", release.folder, release.release);
    }
}

/// A second scrape in the same process gives the same bytes. One release
/// (the newest ADC one, the most pages) is scraped again: every release's
/// fresh scrape already equals a snapshot written by another process
/// (`committed_snapshots_equal_a_fresh_scrape`), which an order that
/// depends on hashing or threads would not.
#[test]
fn scraping_twice_gives_the_same_bytes() {
    let Some(scraped) = scraped() else { return };
    let newest = scraped
        .iter()
        .filter(|(release, _)| release.product == Product::Adc)
        .max_by_key(|(release, _)| codegen::ir::release_key(&release.release));
    let Some((release, lowered)) = newest else { return };
    assert!(snapshot_json(&lowered.api) == snapshot_json(&scrape(release).api), "{} {}: two scrapes differ", release.folder, release.release);
}

#[test]
fn committed_snapshots_equal_a_fresh_scrape() {
    let Some(scraped) = scraped() else { return };
    let specs = netscaler_tests::workspace_root().join("specs").join("nitro");
    let mut stale = Vec::new();
    for (release, lowered) in scraped {
        let path = specs.join(release.folder).join(format!("{}.json", release.release));
        let fresh = snapshot_json(&lowered.api);
        match std::fs::read_to_string(&path) {
            Ok(committed) if committed == fresh => {}
            Ok(_) => stale.push(format!("{} is stale", path.display())),
            Err(_) => stale.push(format!("{} is missing", path.display())),
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nregenerate with: cargo xtask scrape --all --quiet (or one release: cargo xtask scrape --docs ../shared/nitro-docs/<adc|adm>/<release>/docs --product <adc|adm> --release <release> --out specs/nitro/<adc|adm>/<release>.json)",
        stale.join("\n")
    );
}
