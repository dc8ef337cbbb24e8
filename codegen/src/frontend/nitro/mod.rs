//! NITRO reference pages (Markdown with embedded HTML tables) -> IR.
//!
//! Entry point: [`read_nitro`], which also fills [`crate::ir::Api::errors`]
//! from the folder's `error-messages/` pages (via
//! [`crate::frontend::errors::read_error_pages`]). Two stages: [`page`] splits each page into
//! raw parts (title, Properties table cells, operation blocks) and
//! [`lower`] turns those into [`crate::ir::Resource`]s. [`markup`] reads
//! the inline markup of operation blocks (bold marks, URLs, payloads) and
//! [`constraints`] the constraint lines of a Description cell.
//!
//! Input layout (`docs_dir` is the folder holding `configuration/`):
//! - ADC: `configuration/<group>/<res>/<res>.md` and
//!   `statistics/<group>/<res>/<res>.md`; `<group>` is a long folder name
//!   mapped to the short NITRO group (see [`groups`]).
//! - ADM: `configuration/<group>[/<sub>]/<res>.md`; the group is the first
//!   folder with `-` as `_`.
//!
//! A page is a resource page when it has a `##Properties` or
//! `##Operations` heading; group index pages (neither) are skipped
//! silently and not counted in [`crate::ir::Source::pages`].
//!
//! Decisions (the pages are not always consistent):
//! - Name: the resource segment most operation URLs use (it keeps the
//!   server's case: `Interface`), else the `#` title.
//! - Kind: `stat` under `statistics/`, `binding` for names ending in
//!   `_binding`, else `config`.
//! - Base path: `/nitro/vN` for the version most URLs use. An operation on
//!   another version keeps its path relative to that base and gets a
//!   warning (no release read so far has one: ADM 12.1 is all v1).
//! - Paths: `/<area>/<resource>` plus `/{key}` per `<key>_value<Type>`
//!   segment; `area` is `config`, `stat`, or ADM's `upload`/`download`.
//!   Generation A (10.5, 11.0) writes `POST /nitro/v1/config/` with the
//!   verb inside a form-encoded `params` object: the path then gets the
//!   resource name and the verb becomes [`crate::ir::Operation::action`].
//! - Operation names: `add`, `update`, `unset`, `delete`, `get`, `get_all`,
//!   `count`; ADM's `modify` (its spelling of update; never beside one) is
//!   `update`; every other heading is `action:<verb>` in the heading's
//!   spelling with a trailing `:` removed and ` (all)` written `_all`.
//! - Methods: as written; ADM writes `null`, and then the method is
//!   inferred (add POST, update PUT, delete DELETE, get/get_all/count GET,
//!   `download*` and `*_all` GET, others POST) and marked
//!   `method_inferred`, with one note per page.
//! - Mandatory: a property is `Some(true)`/`Some(false)` only when the
//!   page's add payload marks at least one key bold (12.0-FR4, 12.1, ADM);
//!   pages without marks (all of 10.5-12.0, and global bindings whose
//!   add payload the vendor left unmarked) give `None`.
//! - Query options: those in the operation's URL and Query-parameters
//!   examples, plus generation A's `params` keys; `pagesize`/`pageno` read
//!   as `pagination`.
//!
//! Diagnostics: an Error means the output lacks something the page has
//! (a table that could not be read, a page that could not be read or
//! named); a Warning means a repair, a guess or a disagreement between
//! the page's parts (payload keys absent from the table, empty bounds,
//! unknown groups, duplicate keys, documentation stubs); a Note records a
//! decision (no table on an operations-only page, inferred methods).

mod constraints;
mod groups;
// The shared lowering: the appliance bundle's XHTML pages are rewritten as
// these raw pages and lowered here too (`crate::frontend::bundle::xhtml`).
pub(crate) mod lower;
mod markup;
mod page;

use crate::diagnostics::{Diagnostic, Lowered};
use crate::frontend::limits::{self, Limits};
use crate::ir::{Origin, Product};
use lower::PageInput;
use std::collections::BTreeMap;
use std::path::Path;

/// What [`read_nitro`] reads and how.
#[derive(Clone, Debug, Default)]
pub struct NitroSettings {
    pub product: Product,
    /// Release label as given (`12.0-FR4`); copied into the IR.
    pub release: String,
    /// Keep vendor prose (resource and property descriptions). Off for
    /// committed snapshots.
    pub descriptions: bool,
    /// Size limit of one page ([`Limits::max_input_bytes`]).
    pub limits: Limits,
}

/// Reads every resource page under `docs_dir` (`configuration/` and
/// `statistics/`) into one [`crate::ir::Api`]. Never panics on page
/// content; every page not fully read gives a diagnostic.
pub fn read_nitro(docs_dir: &Path, settings: &NitroSettings) -> Lowered {
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    for area in ["configuration", "statistics"] {
        let dir = docs_dir.join(area);
        if dir.is_dir() {
            collect_pages(&dir, &mut files, &mut diagnostics, docs_dir);
        }
    }
    if files.is_empty() {
        diagnostics.push(Diagnostic::error(
            Origin::default(),
            "no `.md` pages under `configuration/` or `statistics/` of the docs folder",
        ));
    }
    files.sort();

    let parsed = parse_all(docs_dir, &files, settings.limits.max_input_bytes);
    let mut pages = Vec::new();
    let mut responses = BTreeMap::new();
    for (relative, result) in files.iter().zip(parsed) {
        let origin = Origin { file: relative.clone(), ..Origin::default() };
        match result {
            Err(message) => diagnostics.push(Diagnostic::error(origin, message)),
            Ok((raw, page_responses, lossy)) => {
                if !raw.is_resource_page {
                    continue;
                }
                responses.insert(relative.clone(), page_responses);
                if lossy {
                    diagnostics.push(Diagnostic::warning(origin, "page is not valid utf-8; invalid bytes were replaced"));
                }
                let mut parts = relative.split('/');
                let statistics = parts.next() == Some("statistics");
                let folder = parts.next().unwrap_or_default().to_string();
                pages.push(PageInput { file: relative.clone(), statistics, folder, raw });
            }
        }
    }
    let mut lowered = lower::lower(&pages, settings, diagnostics);
    check_responses(&lowered.api, &responses, &mut lowered.diagnostics);
    // The same docs folder holds the error pages (`error-messages/**`);
    // their reader is shared with the appliance bundle. Releases without
    // those pages get an empty table.
    let errors = crate::frontend::errors::read_error_pages(docs_dir, settings.descriptions);
    lowered.api.errors = errors.errors;
    lowered.diagnostics.extend(errors.diagnostics);
    lowered.diagnostics.sort();
    lowered
}

/// Response payload keys the properties table does not list (pitfall:
/// `serviceconftpye` [sic], `timesincelaststatechange`): one note per page,
/// since the IR keeps only the table's properties.
fn check_responses(api: &crate::ir::Api, responses: &BTreeMap<String, Vec<page::RawResponse>>, diagnostics: &mut Vec<Diagnostic>) {
    for resource in api.resources.values() {
        if resource.no_table {
            continue;
        }
        let Some(page_responses) = responses.get(&resource.origin.file) else { continue };
        let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for response in page_responses {
            let Some((keys, _)) = markup::find_record(&response.text, &resource.name) else { continue };
            let op = lower::operation_name(&response.heading);
            for key in keys {
                if key.name != "__count" && !resource.properties.contains_key(&key.name) {
                    let ops = missing.entry(key.name).or_default();
                    if !ops.contains(&op) {
                        ops.push(op.clone());
                    }
                }
            }
        }
        if !missing.is_empty() {
            let keys: Vec<String> = missing.iter().map(|(key, ops)| format!("{key} ({})", ops.join(", "))).collect();
            diagnostics.push(
                Diagnostic::note(
                    Origin { file: resource.origin.file.clone(), ..Origin::default() },
                    format!("response payload keys not in the properties table: `{}`", keys.join(", ")),
                )
                .resource(resource.id()),
            );
        }
    }
}

/// Every `.md` file below `dir`, as `/`-separated paths relative to `root`.
fn collect_pages(dir: &Path, files: &mut Vec<String>, diagnostics: &mut Vec<Diagnostic>, root: &Path) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            diagnostics.push(Diagnostic::error(Origin { file: relative(root, dir), ..Origin::default() }, format!("cannot read folder: {error}")));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Symlinks are not followed (`a -> .` would never end) and special
        // files never read (`x.md -> /dev/zero`).
        match limits::entry_kind(&entry) {
            limits::Kind::Folder => collect_pages(&path, files, diagnostics, root),
            limits::Kind::File if path.extension().is_some_and(|e| e == "md") => files.push(relative(root, &path)),
            limits::Kind::File => {}
            limits::Kind::Skipped(what) => diagnostics.push(Diagnostic::warning(
                Origin { file: relative(root, &path), ..Origin::default() },
                format!("{what} not followed; only regular files and folders are read"),
            )),
        }
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

type Parsed = Result<(page::RawPage, Vec<page::RawResponse>, bool), String>;

/// Reads and splits the pages on all cores; results in input order.
fn parse_all(root: &Path, files: &[String], max_bytes: u64) -> Vec<Parsed> {
    crate::parallel::map(files, |file| {
        // A reader bug costs its page (an error naming it), not the run.
        std::panic::catch_unwind(|| parse_file(&root.join(file), max_bytes)).unwrap_or_else(|_| Err("page reader failed".to_string()))
    })
}

fn parse_file(path: &Path, max_bytes: u64) -> Parsed {
    let bytes = limits::read_regular_file(path, max_bytes).map_err(|error| format!("cannot read page: {error}"))?;
    let (text, lossy) = match String::from_utf8(bytes) {
        Ok(text) => (text, false),
        Err(error) => (String::from_utf8_lossy(error.as_bytes()).into_owned(), true),
    };
    let (page, responses) = page::parse_page_with_responses(&text);
    Ok((page, responses, lossy))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every prefix of every fixture page (cut at many points, also inside
    /// tags, entities and payloads) is read without a panic.
    #[test]
    fn truncated_pages_never_panic() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/nitro");
        let mut files = Vec::new();
        let mut diagnostics = Vec::new();
        collect_pages(&fixtures, &mut files, &mut diagnostics, &fixtures);
        assert!(files.len() >= 10, "fixtures not found under {}", fixtures.display());
        let settings = NitroSettings { product: Product::Adc, release: "t".into(), descriptions: true, ..NitroSettings::default() };
        for file in files {
            let text = std::fs::read_to_string(fixtures.join(&file)).unwrap();
            let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(13).chain([text.len()]).collect();
            let pages: Vec<PageInput> = cuts
                .into_iter()
                .map(|cut| PageInput {
                    file: file.clone(),
                    statistics: false,
                    folder: "ns".into(),
                    raw: page::parse_page(&text[..cut]),
                })
                .collect();
            let lowered = lower::lower(&pages, &settings, Vec::new());
            // Cut titles give other names; at most one resource per page.
            assert!(lowered.api.resources.len() <= pages.len());
        }
    }
}
