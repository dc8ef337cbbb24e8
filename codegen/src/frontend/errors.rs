//! Error listings -> [`ErrorCode`] tables (`Api.errors`).
//!
//! Two renderings of one listing, read by one table walker:
//! - the appliance bundle's `errorlisting.html`: one layout table holding,
//!   per section, a `<div><b>  NAME ERRORS</b></div>` row and a data table.
//!   ADC columns are name | decimal | hex | message; ADM (Console) columns
//!   are name | code | message under a single `ERRORS` section. Warning rows
//!   have an empty decimal and a hex cell like `NS_WARNING|0x001`: their
//!   code stays `None` (the listing gives none).
//! - the Markdown pages `docs/error-messages/<x>-errors/<x>-errors.md`: a
//!   `#NAME ERRORS` heading and the same 4-column table (rows sometimes
//!   written `<tr><tr>` without `</tr>`).
//!
//! Sections are slugs of the heading: `  INTERNAL NAMESERVER ERRORS` ->
//! `internal-nameserver`, `WARNING ERRORS` -> `warning`, ADM `ERRORS` -> ``,
//! the spelling the derived 14.1 listing uses. Names are trimmed (the
//! listing pads them with tabs). Messages are vendor prose: kept only when
//! the caller opts in (`messages`). Hex codes are cross-checked against the
//! decimal (`0x`/`0X`, any case).

use crate::diagnostics::Diagnostic;
use crate::frontend::text::{clean_text, decode_lenient};
use crate::ir::{ErrorCode, Origin};
use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeMap;
use std::path::Path;

/// What an error-listing reader returns: the table and what it noticed.
#[derive(Clone, Debug, Default)]
pub struct ErrorTable {
    pub errors: BTreeMap<String, ErrorCode>,
    pub diagnostics: Vec<Diagnostic>,
    /// Files read.
    pub pages: u32,
}

/// Reads a bundle's `errorlisting.html` (ADC or ADM layout). `file` names
/// it in diagnostics (a path relative to the bundle root).
pub fn read_error_listing(bytes: &[u8], file: &str, messages: bool) -> ErrorTable {
    let mut table = ErrorTable { pages: 1, ..ErrorTable::default() };
    guarded_read_tables(&decode_lenient(bytes), file, None, messages, &mut table);
    if table.errors.is_empty() {
        table.diagnostics.push(Diagnostic::warning(origin(file, None), "error listing has no error rows"));
    }
    table
}

/// Reads every `error-messages/**.md` page under a Markdown docs folder
/// (`<release>/docs` or its parent). Missing folder: an empty table.
pub fn read_error_pages(docs: &Path, messages: bool) -> ErrorTable {
    let mut table = ErrorTable::default();
    let root = if docs.join("docs").is_dir() { docs.join("docs") } else { docs.to_path_buf() };
    let folder = root.join("error-messages");
    let mut files = Vec::new();
    collect_markdown(&folder, &mut files);
    files.sort();
    for path in files {
        let file = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let bytes = match crate::frontend::limits::read_regular_file(&path, crate::frontend::limits::DEFAULT_MAX_INPUT_BYTES) {
            Ok(bytes) => bytes,
            Err(e) => {
                table.diagnostics.push(Diagnostic::error(origin(&file, None), format!("cannot read error page: {e}")));
                continue;
            }
        };
        let text = decode_lenient(&bytes);
        // The page heading `#ACL ERRORS` names the section of its one table.
        let section = text.lines().find_map(|line| {
            let title = line.trim().strip_prefix('#')?.trim_start_matches('#');
            section_slug(title)
        });
        table.pages += 1;
        let before = table.errors.len();
        guarded_read_tables(&text, &file, section.as_deref(), messages, &mut table);
        if table.errors.len() == before {
            table.diagnostics.push(Diagnostic::note(origin(&file, None), "error page lists no error"));
        }
    }
    table
}

/// [`read_tables`], a reader bug costing its page (an error naming it),
/// not the run.
fn guarded_read_tables(text: &str, file: &str, section: Option<&str>, messages: bool, table: &mut ErrorTable) {
    // Rows read before a panic are complete rows: keeping them is safe.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_tables(text, file, section, messages, table)));
    if read.is_err() {
        table.diagnostics.push(Diagnostic::error(origin(file, None), "error page reader failed (a bug: please report it with this page)"));
    }
}

fn collect_markdown(folder: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        // Never a symlink (loops) or a special file (`/dev/zero`).
        match crate::frontend::limits::entry_kind(&entry) {
            crate::frontend::limits::Kind::Folder => collect_markdown(&path, out),
            crate::frontend::limits::Kind::File if path.extension().is_some_and(|e| e == "md") => out.push(path),
            _ => {}
        }
    }
}

/// `  LB ERRORS` -> `lb`; `ERRORS` -> ``; `WARNING` (no `ERRORS`) -> `warning`.
/// `None` when the text is not a section title at all.
pub fn section_slug(title: &str) -> Option<String> {
    let title = title.trim();
    if title.is_empty() || title.len() > 60 {
        return None;
    }
    let stem = match title.strip_suffix("ERRORS") {
        Some(stem) if stem.is_empty() || stem.ends_with(char::is_whitespace) => stem.trim(),
        _ if title.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == ' ' || c == '_') => title,
        _ => return None,
    };
    Some(stem.split_whitespace().collect::<Vec<_>>().join("-").to_lowercase())
}

#[derive(Clone, Copy, PartialEq)]
enum Column {
    Name,
    Decimal,
    Hex,
    Message,
    Other,
}

/// Walks section titles and data tables in document order. The bundle's
/// titles are `div > b` inside the layout table; Markdown pages pass their
/// one section in `fixed_section`.
fn read_tables(text: &str, file: &str, fixed_section: Option<&str>, messages: bool, out: &mut ErrorTable) {
    if crate::frontend::html::too_deep(text).is_some() {
        out.diagnostics.push(Diagnostic::error(origin(file, None), crate::frontend::html::too_deep_message()));
        return;
    }
    let document = Html::parse_document(text);
    let walk = Selector::parse("div > b, table").expect("static selector");
    let header = Selector::parse("th").expect("static selector");
    let rows = Selector::parse("tr").expect("static selector");
    let cells = Selector::parse("td").expect("static selector");
    let mut section = fixed_section.map(str::to_string);
    let mut row_number = 0u32;
    for element in document.select(&walk) {
        if element.value().name() == "b" {
            if let Some(slug) = section_slug(&clean_text(element)) {
                section = Some(slug);
            }
            continue;
        }
        // Only data tables have header cells; the layout table has none of
        // its own (its nested tables' cells are theirs).
        let headers: Vec<String> = element.select(&header).filter(|th| owner_table(*th) == Some(element)).map(clean_text).collect();
        if headers.is_empty() {
            continue;
        }
        let columns = columns_of(&headers);
        for row in element.select(&rows).filter(|tr| owner_table(*tr) == Some(element)) {
            let values: Vec<String> = row.select(&cells).map(clean_text).collect();
            if values.is_empty() {
                continue;
            }
            row_number += 1;
            let at = origin(file, Some(row_number));
            read_row(&values, &columns, section.as_deref().unwrap_or(""), messages, at, out);
        }
    }
}

/// The nearest `table` ancestor of a cell or row.
fn owner_table(element: ElementRef) -> Option<ElementRef> {
    element.ancestors().filter_map(ElementRef::wrap).find(|a| a.value().name() == "table")
}

/// Column roles from the header texts: `Error Code(Decimal)`, `Error
/// Code(Hex)`, `Error Message`; a second plain `Error Code` (ADM) is the
/// decimal code.
fn columns_of(headers: &[String]) -> Vec<Column> {
    let mut seen_name = false;
    headers
        .iter()
        .map(|h| {
            let h = h.to_ascii_lowercase();
            if h.contains("hex") {
                Column::Hex
            } else if h.contains("decimal") {
                Column::Decimal
            } else if h.contains("message") {
                Column::Message
            } else if h.contains("code") || h.contains("name") {
                if seen_name {
                    Column::Decimal
                } else {
                    seen_name = true;
                    Column::Name
                }
            } else {
                Column::Other
            }
        })
        .collect()
}

fn read_row(values: &[String], columns: &[Column], section: &str, messages: bool, at: Origin, out: &mut ErrorTable) {
    let cell = |role: Column| columns.iter().position(|c| *c == role).and_then(|i| values.get(i)).map(String::as_str);
    let name = cell(Column::Name).unwrap_or("").trim();
    if name.is_empty() {
        out.diagnostics.push(Diagnostic::warning(at, "error row without a name left out"));
        return;
    }
    if values.len() != columns.len() {
        out.diagnostics.push(Diagnostic::warning(
            at.clone(),
            format!("error {name}: {} cells for {} columns", values.len(), columns.len()),
        ));
    }
    let decimal = cell(Column::Decimal).unwrap_or("").trim();
    let hex = cell(Column::Hex).unwrap_or("").trim();
    let code = if decimal.is_empty() {
        // Warning rows (`NS_WARNING|0x001`) carry no decimal code.
        if !hex.starts_with("NS_WARNING") {
            out.diagnostics.push(Diagnostic::warning(at.clone(), format!("error {name}: no decimal code")));
        }
        None
    } else {
        match decimal.parse::<i64>() {
            Ok(code) => Some(code),
            Err(_) => {
                out.diagnostics.push(Diagnostic::warning(at.clone(), format!("error {name}: code {decimal:?} is not a number")));
                None
            }
        }
    };
    if let (Some(code), Some(digits)) = (code, hex.strip_prefix("0x").or_else(|| hex.strip_prefix("0X"))) {
        if i64::from_str_radix(digits, 16).ok() != Some(code) {
            out.diagnostics.push(Diagnostic::warning(at.clone(), format!("error {name}: hex {hex} differs from decimal {code}")));
        }
    }
    let message = cell(Column::Message).map(str::trim).filter(|m| messages && !m.is_empty()).map(str::to_string);
    if let Some(previous) = out.errors.get(name) {
        if previous.code != code {
            out.diagnostics.push(Diagnostic::warning(at, format!("error {name} listed again with another code; the first is kept")));
        }
        return;
    }
    out.errors.insert(name.to_string(), ErrorCode { name: name.to_string(), code, section: section.to_string(), message });
}

fn origin(file: &str, row: Option<u32>) -> Origin {
    Origin { file: file.to_string(), row, pointer: None }
}
