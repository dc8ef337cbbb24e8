//! Bridge from the appliance bundle's XHTML pages to the Markdown reader's
//! raw pages, so both formats share one lowering
//! ([`crate::frontend::nitro::lower`]): names,
//! kinds, types, constraints, operation names, paths, keys, `?args=`,
//! payload keys and mandatory marks are decided in one place.
//!
//! [`super::page`] selects the parts of an XHTML page by class and
//! heading; this file rewrites them as a Markdown page would have given
//! them (the lowering never sees a bundle type, so the Markdown reader does
//! not depend on the bundle reader):
//! - the properties become a Name | Data Type | Permissions | Description
//!   table, the permission taken from the section heading the property sat
//!   under (`Read-write` / `Read-only`);
//! - operation URLs, example URLs and payloads are already "marked" text
//!   (red mandatory runs as the bold sentinels), as the lowering's markup
//!   reader expects.

use super::page as bundle;
use crate::diagnostics::{Diagnostic, Lowered};
use crate::frontend::nitro::lower::{lower, PageInput, RawOp, RawPage, TableState};
use crate::frontend::nitro::NitroSettings;
use crate::frontend::html::{Cell, Table};

/// One bundle resource page with where it was found.
pub(crate) struct BundlePage {
    /// Path relative to the bundle root, `/`-separated.
    pub file: String,
    /// Under a `stat/` folder.
    pub statistics: bool,
    /// Group folder as the Markdown reader expects it (ADC: short group;
    /// ADM: the category folder as a `-` slug).
    pub folder: String,
    pub raw: bundle::RawPage,
    /// Keep the summary as the resource description.
    pub summary: Vec<String>,
}

impl BundlePage {
    /// A page that could not be read (no parts).
    pub(crate) fn empty(file: &str) -> Self {
        BundlePage { file: file.to_string(), statistics: false, folder: String::new(), raw: bundle::RawPage::default(), summary: Vec::new() }
    }
}

/// Lowers bundle pages (sorted by path) through the shared lowering.
pub(crate) fn lower_bundle(pages: Vec<BundlePage>, settings: &NitroSettings, diagnostics: Vec<Diagnostic>) -> Lowered {
    let inputs: Vec<PageInput> = pages
        .into_iter()
        .map(|page| PageInput { file: page.file, statistics: page.statistics, folder: page.folder, raw: raw_page(page.raw, page.summary) })
        .collect();
    lower(&inputs, settings, diagnostics)
}

fn raw_page(page: bundle::RawPage, summary: Vec<String>) -> RawPage {
    let table = if page.properties.is_empty() {
        TableState::Missing
    } else {
        let rows = page
            .properties
            .into_iter()
            .map(|p| {
                let permission = match p.section {
                    bundle::Section::ReadWrite => "Read-write",
                    bundle::Section::ReadOnly => "Read-only",
                };
                vec![
                    Cell { lines: vec![p.name] },
                    Cell { lines: vec![format!("<{}>", p.type_text)] },
                    Cell { lines: vec![permission.to_string()] },
                    Cell { lines: p.lines },
                ]
            })
            .collect();
        let headers = ["Name", "Data Type", "Permissions", "Description"].map(str::to_string).to_vec();
        TableState::Found(Table { headers, rows })
    };
    RawPage {
        title: page.header.or(page.title),
        intro: summary,
        is_resource_page: page.is_resource_page,
        table,
        ops: page
            .ops
            .into_iter()
            .map(|op| RawOp { heading: op.heading, url: op.url, method: op.method, example_urls: op.example_urls, payload: op.payload })
            .collect(),
    }
}
