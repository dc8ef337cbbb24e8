//! The appliance's documentation bundle (`nitro-rest.tgz`, ADC or ADM /
//! Console) -> IR. Entry point: [`read_bundle`].
//!
//! Stages:
//! 1. [`archive`] opens a `.tgz`, a `.tar`, nested archives inside them, or
//!    an extracted folder, into an in-memory file list (any number of
//!    wrapper folders).
//! 2. Pages are found by content, not by fixed paths: every `.html` with a
//!    `property_type` span or an `Operations` heading is a resource page
//!    ([`page`] splits it by class names and heading text); group index
//!    pages have neither and are skipped. Bytes are decoded as UTF-8 with a
//!    per-byte Windows-1252 fallback (pages declare UTF-8 or ISO-8859-1 and
//!    some carry cp1252 smart quotes).
//! 3. [`xhtml`] rewrites them as the Markdown reader's raw pages, which go
//!    through the same lowering ([`crate::frontend::nitro::lower`]), so names, types, constraints, operation
//!    names (`get (all)` -> `get_all`, from the heading text, never the
//!    anchor), paths, keys and mandatory marks follow one set of rules.
//! 4. `errorlisting.html`, wherever it is, fills `Api.errors`
//!    ([`crate::frontend::errors`]).
//!
//! Layout facts used:
//! - ADC: `.../html/config/<group>/<res>.html`, `.../html/stat/<group>/<res>.html`;
//!   the folder is the short group (`lb`), the `stat` folder makes a
//!   statistics resource.
//! - ADM: `.../html/<Category>[/<Sub>]/<res>.html` (names with spaces):
//!   the group is the category folder, slugged like the ADM Markdown
//!   folders (`Device SSL Certificates` -> `device_ssl_certificates`); the
//!   older flat `config_v1/` and `config_v2/` folders give no group, and
//!   only the newest version folder is read (one base path per snapshot).
//! - Product: ADM when no page sits under a `config/` or `stat/` folder,
//!   else ADC; overridable.
//! - Release: `<major.minor>` from the input, nested-archive or wrapper
//!   folder names (`ns_11.1_nitro-rest_...`, `mas_nitro-rest_14.1-60.54`,
//!   `11.1-48.10`) and the build from `html/build.js`
//!   (`var build = "48.10"`), joined as `11.1-48.10`; overridable, and a
//!   warning asks for `--release` when no major.minor is found.
//!
//! Operations documented on other services (ADM `/macro/v1/...`,
//! `/stylebook/nitro/v1/...`) are
//! left out with a warning: the NITRO paths cannot express them.
//!
//! Every page not fully read gives a diagnostic; a page with property or
//! operation markup from which nothing was read is an error (the format
//! drifted).

pub mod archive;
pub mod page;
mod xhtml;

use crate::diagnostics::{Diagnostic, Lowered};
use crate::frontend::errors::read_error_listing;
use crate::frontend::nitro::NitroSettings;
use crate::frontend::text::{collapse, decode_lenient, needs_fallback};
use crate::ir::{Origin, Product, SourceFormat};
use std::collections::BTreeMap;
use std::path::Path;
use xhtml::{lower_bundle, BundlePage};

/// What [`read_bundle`] reads and how.
#[derive(Clone, Debug, Default)]
pub struct BundleSettings {
    /// Product; detected from the layout when `None`.
    pub product: Option<Product>,
    /// Release label; detected from names and `build.js` when `None`.
    pub release: Option<String>,
    /// Keep vendor prose (descriptions, error messages). Off for committed
    /// snapshots.
    pub descriptions: bool,
    /// Size limits of the bundle, its members and its pages.
    pub limits: crate::frontend::limits::Limits,
}

/// Reads a bundle (`.tgz`, `.tar` or folder) into one [`crate::ir::Api`].
pub fn read_bundle(path: &Path, settings: &BundleSettings) -> Lowered {
    let input = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let at = |file: &str| Origin { file: file.to_string(), ..Origin::default() };
    let mut diagnostics = Vec::new();
    let contents = match archive::open(path, &settings.limits) {
        Ok(contents) => contents,
        Err(message) => {
            diagnostics.push(Diagnostic::error(at(&input), message));
            return Lowered { diagnostics, ..Lowered::default() };
        }
    };
    for problem in &contents.problems {
        diagnostics.push(Diagnostic::warning(at(&input), problem.clone()));
    }
    // Content left unread is content missing from the snapshot.
    for over in &contents.over_limits {
        diagnostics.push(Diagnostic::error(at(&input), over.clone()));
    }

    let mut pages = Vec::new();
    let mut error_listings = Vec::new();
    let mut build_js = None;
    let mut adc_layout = false;
    let mut html_entries = Vec::new();
    for entry in &contents.entries {
        let name = entry.path.rsplit('/').next().unwrap_or_default();
        if name.eq_ignore_ascii_case("build.js") && build_js.is_none() {
            build_js = Some((entry.path.clone(), decode_lenient(&entry.bytes)));
        } else if name.eq_ignore_ascii_case("errorlisting.html") {
            error_listings.push(entry);
        } else if name.ends_with(".html") || name.ends_with(".htm") {
            html_entries.push(entry);
        }
    }
    let read: Vec<_> = read_pages(&html_entries, settings.descriptions).into_iter().flatten().collect();
    // Older ADM bundles document each API version in its own flat folder
    // (`config_v1/`, `config_v2/`): only the newest is read, since one
    // snapshot has one base path.
    let newest_version = read.iter().filter_map(|(place, _, _)| place.api_version).max();
    for (place, page, mut page_diagnostics) in read {
        if place.api_version.is_some() && place.api_version != newest_version {
            let newest = newest_version.unwrap_or_default();
            diagnostics.push(Diagnostic::note(at(&page.file), format!("page of an older api version; config_v{newest}/ is read instead")));
            continue;
        }
        adc_layout |= place.adc;
        diagnostics.append(&mut page_diagnostics);
        pages.push((place, page));
    }

    let product = settings.product.unwrap_or(if adc_layout || pages.is_empty() { Product::Adc } else { Product::Adm });
    let release = match &settings.release {
        Some(release) => release.clone(),
        None => detect_release(&contents, build_js.as_ref(), &mut diagnostics),
    };
    let mut short_groups = BTreeMap::new();
    let pages: Vec<BundlePage> = pages
        .into_iter()
        .map(|(place, mut page)| {
            page.statistics = place.statistics;
            page.folder = match product {
                // The short group is already the folder; the Markdown
                // mapping (long -> short) is bypassed below.
                Product::Adc => place.folder.clone(),
                _ => place.folder.to_lowercase().split_whitespace().collect::<Vec<_>>().join("-"),
            };
            short_groups.insert(page.file.clone(), place.folder);
            page
        })
        .collect();
    let page_count = pages.len() as u32;
    if pages.is_empty() {
        diagnostics.push(Diagnostic::error(at(&input), "no resource page found (no .html with a property type or an operations heading)"));
    }

    let nitro = NitroSettings { product, release, descriptions: settings.descriptions, limits: settings.limits };
    let mut lowered = lower_bundle(pages, &nitro, diagnostics);
    if product == Product::Adc {
        // Bundle folders are short groups already: keep them, and drop the
        // Markdown reader's "no known short group" warnings about them.
        for resource in lowered.api.resources.values_mut() {
            if let Some(group) = short_groups.get(&resource.origin.file) {
                resource.group = group.clone();
            }
        }
        lowered.diagnostics.retain(|d| !(d.message.starts_with("folder `") && d.message.contains("has no known short group")));
    }
    lowered.api.source.format = SourceFormat::ApplianceBundle;
    lowered.api.source.pages = page_count;

    match error_listings.first() {
        Some(entry) => {
            let table = read_error_listing(&entry.bytes, &entry.path, settings.descriptions);
            lowered.api.errors = table.errors;
            lowered.diagnostics.extend(table.diagnostics);
            for other in &error_listings[1..] {
                lowered.diagnostics.push(Diagnostic::warning(at(&other.path), format!("second error listing ignored; `{}` is read", entry.path)));
            }
        }
        None => lowered.diagnostics.push(Diagnostic::warning(at(&input), "no errorlisting.html in the bundle; no error codes read")),
    }
    lowered.diagnostics.sort();
    lowered
}

/// Reads the pages on all cores; results in input order (`None`: not a
/// resource page).
fn read_pages(entries: &[&archive::Entry], descriptions: bool) -> Vec<Option<(Place, BundlePage, Vec<Diagnostic>)>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 16);
    let chunk = entries.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = entries
            .chunks(chunk)
            .map(|chunk| (chunk, scope.spawn(move || chunk.iter().map(|e| guarded_read_page(e, descriptions)).collect::<Vec<_>>())))
            .collect();
        handles
            .into_iter()
            .flat_map(|(chunk, handle)| {
                // A reader bug must not misalign results with pages.
                handle.join().unwrap_or_else(|_| {
                    chunk
                        .iter()
                        .map(|e| {
                            let error = Diagnostic::error(Origin { file: e.path.clone(), ..Origin::default() }, "page reader failed");
                            Some((place_of(&e.path), BundlePage::empty(&e.path), vec![error]))
                        })
                        .collect()
                })
            })
            .collect()
    })
}

/// [`read_page`], a reader bug costing its page (an error naming it), not
/// the run.
fn guarded_read_page(entry: &archive::Entry, descriptions: bool) -> Option<(Place, BundlePage, Vec<Diagnostic>)> {
    std::panic::catch_unwind(|| read_page(entry, descriptions)).unwrap_or_else(|_| {
        let error = Diagnostic::error(Origin { file: entry.path.clone(), ..Origin::default() }, "page reader failed (a bug: please report it with this page)");
        Some((place_of(&entry.path), BundlePage::empty(&entry.path), vec![error]))
    })
}

/// One page: its place, raw parts and what was noticed.
fn read_page(entry: &archive::Entry, descriptions: bool) -> Option<(Place, BundlePage, Vec<Diagnostic>)> {
    let at = || Origin { file: entry.path.clone(), ..Origin::default() };
    let text = decode_lenient(&entry.bytes);
    // Cheap test before parsing: resource pages carry one of these.
    if !text.contains("property_type") && !text.contains("Operations") {
        return None;
    }
    if crate::frontend::html::too_deep(&text).is_some() {
        let error = Diagnostic::error(at(), crate::frontend::html::too_deep_message());
        return Some((place_of(&entry.path), BundlePage::empty(&entry.path), vec![error]));
    }
    let mut raw = page::parse_page(&text);
    if !raw.is_resource_page {
        return None;
    }
    let mut diagnostics = Vec::new();
    // ADM documents a few operations on other services (`/macro/v1/...`,
    // `/stylebook/nitro/v1/...`): the NITRO lowering would give them a
    // path under the base, so they are left out rather than sent to a
    // wrong URL.
    raw.ops.retain(|op| {
        let outside = op.url.as_deref().map(page::unmarked).filter(|u| !on_nitro(u));
        if let Some(url) = &outside {
            let shown = url.trim_start_matches("URL:").trim();
            diagnostics.push(Diagnostic::warning(at(), format!("operation `{}` is on `{shown}`, outside /nitro/; left out", op.heading)));
        }
        outside.is_none()
    });
    if needs_fallback(&entry.bytes) {
        diagnostics.push(Diagnostic::note(at(), "page is not valid utf-8; invalid bytes read as windows-1252"));
    }
    for problem in &raw.problems {
        diagnostics.push(Diagnostic::warning(at(), problem.clone()));
    }
    // Format drift: the page has property or operation markup that the
    // reader did not pick up. (A page with neither is a stub, which the
    // lowering reports.)
    let has_markup = text.contains("class=\"property_type\"") || text.contains("<a name=");
    if raw.properties.is_empty() && raw.ops.is_empty() && has_markup {
        diagnostics.push(Diagnostic::error(
            at(),
            "page has property or operation markup but no property and no operation was read (format drift?)",
        ));
    }
    let summary = if descriptions { summary_of(&text) } else { Vec::new() };
    let page = BundlePage { file: entry.path.clone(), statistics: false, folder: String::new(), raw, summary };
    Some((place_of(&entry.path), page, diagnostics))
}

/// Whether a URL line's path (after the host) starts with `/nitro/`
/// (`https://<MGMT-IP>/stylebook/nitro/v1/...` does not). Lines without a
/// scheme are left to the lowering.
fn on_nitro(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else { return true };
    rest.find('/').is_some_and(|at| rest[at..].starts_with("/nitro/"))
}

/// Where a page sits: its group folder and kind.
struct Place {
    folder: String,
    statistics: bool,
    /// Under an ADC `config/` or `stat/` folder.
    adc: bool,
    /// `N` of an older ADM `config_vN/` folder.
    api_version: Option<u32>,
}

fn place_of(path: &str) -> Place {
    let parts: Vec<&str> = path.split('/').collect();
    let dirs = &parts[..parts.len().saturating_sub(1)];
    // ADC: the last `config` / `stat` folder, the group just below it.
    if let Some(at) = dirs.iter().rposition(|d| *d == "config" || *d == "stat") {
        return Place {
            folder: dirs.get(at + 1).map(|s| s.to_string()).unwrap_or_default(),
            statistics: dirs[at] == "stat",
            adc: true,
            api_version: None,
        };
    }
    // ADM: the category folder just below the last `html`; flat
    // `config_v1` / `config_v2` folders carry no category.
    let folder = match dirs.iter().rposition(|d| *d == "html") {
        Some(at) => dirs.get(at + 1).copied().unwrap_or_default(),
        // The input is the `html/` folder itself.
        None => dirs.first().copied().unwrap_or_default(),
    };
    let api_version = folder.strip_prefix("config_v").and_then(|v| v.parse().ok());
    let folder = if api_version.is_some() { "" } else { folder };
    Place { folder: folder.to_string(), statistics: false, adc: false, api_version }
}

/// The one-line summary after the header (`<P>` without class), for
/// callers that keep descriptions.
fn summary_of(text: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(text);
    let selector = scraper::Selector::parse("p:not([class])").expect("static selector");
    document.select(&selector).next().map(|p| collapse(&p.text().collect::<String>())).filter(|s| !s.is_empty()).into_iter().collect()
}

/// `<major.minor>-<build>` from names and `build.js` (see the module docs).
fn detect_release(contents: &archive::Contents, build_js: Option<&(String, String)>, diagnostics: &mut Vec<Diagnostic>) -> String {
    let build = build_js.and_then(|(_, text)| js_string(text, "build")).filter(|b| !b.is_empty());
    let version = build_js.and_then(|(_, text)| js_string(text, "version")).filter(|v| !v.is_empty());
    // Names that may carry the release: the input, nested archives, and
    // the folders that wrap the pages.
    let mut names: Vec<&str> = contents.containers.iter().map(String::as_str).collect();
    for entry in &contents.entries {
        let parts: Vec<&str> = entry.path.split('/').collect();
        let html = parts.iter().position(|p| *p == "html").unwrap_or(0);
        names.extend(&parts[..html]);
    }
    let major_minor = version.as_deref().and_then(major_minor).or_else(|| names.iter().find_map(|n| major_minor(n)));
    let origin = Origin { file: build_js.map(|(p, _)| p.clone()).unwrap_or_default(), ..Origin::default() };
    match (major_minor, build) {
        (Some(mm), Some(build)) => format!("{mm}-{build}"),
        (Some(mm), None) => {
            diagnostics.push(Diagnostic::warning(origin, "no build number in build.js; release is the major.minor only"));
            mm
        }
        (None, Some(build)) => {
            diagnostics.push(
                Diagnostic::warning(origin, format!("release major.minor not found in any name; release is the build `{build}`"))
                    .hint("pass --release <major.minor-build>"),
            );
            build
        }
        (None, None) => {
            diagnostics.push(Diagnostic::warning(origin, "release not found").hint("pass --release <major.minor-build>"));
            "unknown".into()
        }
    }
}

/// The value of `var <name> = "<value>"` in a small script.
fn js_string(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("var")?.trim_start().strip_prefix(name)?.trim_start().strip_prefix('=')?;
        let rest = rest.trim().trim_end_matches(';').trim();
        Some(rest.trim_matches('"').trim_matches('\'').to_string())
    })
}

/// The first `N.N` token (one or two digits each side, not part of a longer
/// number): `ns_11.1_nitro-rest_kopis_48_10` -> `11.1`, `14.1-60.54` -> `14.1`.
fn major_minor(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    for (i, _) in name.match_indices('.') {
        // Digits are ASCII, so the run ends on a character boundary even
        // when a multi-byte character stands before or after it.
        let start = name[..i].rfind(|c: char| !c.is_ascii_digit()).map_or(0, |p| p + name[p..].chars().next().map_or(1, char::len_utf8));
        let end = name[i + 1..].find(|c: char| !c.is_ascii_digit()).map_or(name.len(), |p| i + 1 + p);
        let (major, minor) = (&name[start..i], &name[i + 1..end]);
        let before_ok = start == 0 || bytes[start - 1] != b'.';
        let after_ok = end == name.len() || bytes[end] != b'.';
        if (1..=2).contains(&major.len()) && (1..=2).contains(&minor.len()) && before_ok && after_ok {
            return Some(format!("{major}.{minor}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_parts() {
        assert_eq!(major_minor("ns_11.1_nitro-rest_kopis_48_10").as_deref(), Some("11.1"));
        assert_eq!(major_minor("mas_nitro-rest_14.1-60.54").as_deref(), Some("14.1"));
        assert_eq!(major_minor("nitro-rest.tgz"), None);
        assert_eq!(major_minor("1.2.3"), None);
        // A multi-byte character right before or after the digits.
        assert_eq!(major_minor("ns_é11.1_nitro").as_deref(), Some("11.1"));
        assert_eq!(major_minor("版本14.1-60.54").as_deref(), Some("14.1"));
        assert_eq!(major_minor("é.1"), None);
        assert_eq!(major_minor("1.é"), None);
        assert_eq!(js_string("var version = \"\"\nvar build = \"48.10\"", "build").as_deref(), Some("48.10"));
        assert_eq!(js_string("var version = \"\"\nvar build = \"48.10\"", "version").as_deref(), Some(""));
    }

    #[test]
    fn places() {
        let p = place_of("w/html/stat/lb/lbvserver.html");
        assert_eq!((p.folder.as_str(), p.statistics, p.adc), ("lb", true, true));
        let p = place_of("w/html/Network Functions/Load Balancing/x.html");
        assert_eq!((p.folder.as_str(), p.statistics, p.adc), ("Network Functions", false, false));
        let p = place_of("html/config_v2/x.html");
        assert_eq!(p.folder, "");
    }

    #[test]
    fn nitro_urls() {
        assert!(on_nitro("URL:https://<MGMT-IP>/nitro/v2/config/x"));
        assert!(on_nitro("URL:http://<netscaler-ip-address/nitro/v1/config/x"));
        assert!(!on_nitro("URL:https://<MGMT-IP>/macro/v1/app/x"));
        assert!(!on_nitro("URL:https://<MGMT-IP>/stylebook/nitro/v1/config/stylebooks"));
    }
}
