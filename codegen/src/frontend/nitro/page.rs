//! One NITRO reference page (text) -> its raw parts: title, intro prose,
//! the Properties table as text cells, and the operation blocks with their
//! URL lines, method and request payload still as (marked) text.
//!
//! The page is Markdown with embedded HTML:
//! `#name`, intro, `##Properties` + one `<table>` (often on one line),
//! `##Operations`, then one `###<verb>` block per operation. No
//! interpretation happens here beyond finding those parts; see
//! [`super::lower`] for what they mean.

use super::markup::{mark, unmark};
use crate::frontend::html::{self, normalize_newlines, Table};

/// The parts of one page.
#[derive(Clone, Debug, Default)]
pub(crate) struct RawPage {
    /// Text of the `#` heading, trimmed.
    pub title: Option<String>,
    /// Prose lines between the title and the first `##` heading.
    pub intro: Vec<String>,
    /// The page has a `##Properties` or `##Operations` heading (group index
    /// pages have neither).
    pub is_resource_page: bool,
    pub table: TableState,
    /// The `###` operation blocks in page order.
    pub ops: Vec<RawOp>,
}

#[derive(Clone, Debug, Default)]
pub(crate) enum TableState {
    /// No `<table>` before the operations: a stub or an action-only page.
    #[default]
    Missing,
    Found(Table),
    /// A table is there but could not be read as a Properties table.
    Unreadable(String),
}

/// One `###` block.
#[derive(Clone, Debug, Default)]
pub(crate) struct RawOp {
    /// Heading text, trimmed (`add:`, `get (all)`, `Import`).
    pub heading: String,
    /// The `URL:` line, marked.
    pub url: Option<String>,
    /// The `HTTP Method:` value as written (`POST`, `null`).
    pub method: Option<String>,
    /// Other lines with a `/nitro/` URL before the payloads (the
    /// Query-parameters examples), marked.
    pub example_urls: Vec<String>,
    /// The request payload text (code fence included), marked.
    pub payload: Option<String>,
}

/// The response payload of one operation block (marked text), kept apart
/// from [`RawOp`] because only the Markdown pages are checked with it.
#[derive(Clone, Debug, Default)]
pub(super) struct RawResponse {
    /// The operation's heading, as in [`RawOp::heading`].
    pub heading: String,
    pub text: String,
}

/// Splits a page into its raw parts. Never fails: missing parts are absent.
#[cfg(test)]
pub(super) fn parse_page(source: &str) -> RawPage {
    parse_page_with_responses(source).0
}

/// [`parse_page`] plus the response payloads of the operation blocks.
pub(super) fn parse_page_with_responses(source: &str) -> (RawPage, Vec<RawResponse>) {
    let text = normalize_newlines(source);
    let mut page = RawPage::default();

    let lines: Vec<&str> = text.lines().collect();
    let heading_at = |prefix: &str| lines.iter().position(|l| l.trim_start().starts_with(prefix));
    let properties_at = heading_at("##Properties");
    let operations_at = lines.iter().position(|l| {
        let l = l.trim_start();
        l.starts_with("##Operations") || (l.starts_with("##") && !l.starts_with("###") && l[2..].trim_start().starts_with("Operations"))
    });
    page.is_resource_page = properties_at.is_some() || operations_at.is_some();

    // Title and intro: up to the first `##` line.
    let first_section = lines.iter().position(|l| l.trim_start().starts_with("##")).unwrap_or(lines.len());
    for line in &lines[..first_section] {
        let trimmed = line.trim();
        if page.title.is_none() {
            if let Some(title) = trimmed.strip_prefix('#') {
                page.title = Some(title.trim_start_matches('#').trim().to_string());
                continue;
            }
        }
        if !trimmed.is_empty() && !trimmed.starts_with("<span>(click") {
            page.intro.extend(html::split_lines(&html::decode_entities(&html::strip_formatting(trimmed))));
        }
    }

    // The Properties table: the first <table> before the operations.
    let table_region_end = operations_at.unwrap_or(lines.len());
    let table_region = lines[..table_region_end].join("\n");
    page.table = read_table(&table_region);

    let mut responses = Vec::new();
    if let Some(start) = operations_at {
        for (op, response) in split_operations(&lines[start + 1..]) {
            if let Some(text) = response {
                responses.push(RawResponse { heading: op.heading.clone(), text });
            }
            page.ops.push(op);
        }
    }
    (page, responses)
}

fn read_table(region: &str) -> TableState {
    let lower = region.to_ascii_lowercase();
    let Some(start) = lower.find("<table") else {
        return TableState::Missing;
    };
    let end = lower[start..].find("</table>").map_or(region.len(), |e| start + e + "</table>".len());
    if html::too_deep(&region[start..end]).is_some() {
        return TableState::Unreadable(html::too_deep_message());
    }
    match html::parse_table(&region[start..end]) {
        Some(table) => {
            let expected = ["Name", "Data Type", "Permissions", "Description"];
            if table.headers.iter().map(String::as_str).ne(expected) {
                return TableState::Unreadable(format!("table columns are `{}`, expected `{}`", table.headers.join(" | "), expected.join(" | ")));
            }
            TableState::Found(table)
        }
        None => TableState::Unreadable("`<table` text is not a readable table".into()),
    }
}

fn split_operations(lines: &[&str]) -> Vec<(RawOp, Option<String>)> {
    let mut ops = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in lines {
        if let Some(heading) = line.trim_start().strip_prefix("###") {
            if let Some((heading, body)) = current.take() {
                ops.push(read_operation(heading, &body));
            }
            current = Some((heading.trim_start_matches('#').trim().to_string(), Vec::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push(line);
        }
    }
    if let Some((heading, body)) = current {
        ops.push(read_operation(heading, &body));
    }
    ops
}

/// One block: the operation and its response payload text.
fn read_operation(heading: String, body: &[&str]) -> (RawOp, Option<String>) {
    let mut op = RawOp { heading, ..RawOp::default() };
    let mut payload: Option<String> = None;
    let mut response: Option<String> = None;
    let mut after_payloads = false;
    for raw in body {
        // Only lines that name a part or carry a URL matter outside payloads.
        if payload.is_none()
            && response.is_none()
            && !["URL", "Method", "Payload", "Response", "/nitro/"].iter().any(|word| raw.contains(word))
        {
            continue;
        }
        let line = mark(raw);
        let plain = unmark(&line);
        let plain = plain.trim();
        if let Some(text) = response.as_mut() {
            text.push_str(&line);
            text.push('\n');
            continue;
        }
        if plain.starts_with("Response Payload:") {
            op.payload = op.payload.take().or(payload.take());
            response = Some(format!("{}\n", line_after(&line, "Payload:").unwrap_or_default()));
            after_payloads = true;
            continue;
        }
        if let Some(text) = payload.as_mut() {
            if plain.starts_with("Response") {
                op.payload = payload.take();
                after_payloads = true;
            } else {
                text.push_str(&line);
                text.push('\n');
            }
            continue;
        }
        if let Some(rest) = plain.strip_prefix("Request Payload:") {
            payload = Some(format!("{}\n", line_after(&line, "Payload:").unwrap_or(rest)));
            after_payloads = true;
            continue;
        }
        if plain.starts_with("Response") {
            after_payloads = true;
            continue;
        }
        if after_payloads {
            continue;
        }
        if op.url.is_none() && plain.starts_with("URL:") {
            op.url = Some(line.clone());
        } else if let Some(method) = plain.strip_prefix("HTTP Method:") {
            op.method.get_or_insert_with(|| method.trim().to_string());
        } else if plain.contains("/nitro/") {
            op.example_urls.push(line.clone());
        }
    }
    if op.payload.is_none() {
        op.payload = payload;
    }
    (op, response)
}

/// The marked text after `marker` in a marked line.
fn line_after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    line.find(marker).map(|at| &line[at + marker.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_a_small_page() {
        let page = "#thing\r\n\r\nA thing.\r\n##Properties \r\n<table><thead><tr><th>Name</th><th>Data Type</th><th>Permissions</th><th>Description</th></tr></thead><tbody><tr><td>a</td><td>&lt;String></td><td>Read-write</td><td>x</td></tr></tbody></table>\r\n##Operations \r\n###add\r\n<b>URL:</b>http://&lt;h&gt;/nitro/v1/config/thing\r\n<b>HTTP Method:</b>POST\r\n<b>Request Payload: </b>\r```\r{\"thing\":{\r<b>\"a\":<String_value>\r</b>}}\r```\r\n<b>Response:</b>\r\n###get (all)\r\nURL: http://x/nitro/v1/config/thing\r\nQuery-parameters:\r\nhttp://x/nitro/v1/config/thing?view=summary\r\nHTTP Method: GET\r\n";
        let raw = parse_page(page);
        assert_eq!(raw.title.as_deref(), Some("thing"));
        assert_eq!(raw.intro, ["A thing."]);
        assert!(raw.is_resource_page);
        let TableState::Found(table) = &raw.table else { panic!("no table: {:?}", raw.table) };
        assert_eq!(table.rows.len(), 1);
        assert_eq!(raw.ops.len(), 2);
        assert_eq!(raw.ops[0].heading, "add");
        assert_eq!(raw.ops[0].method.as_deref(), Some("POST"));
        assert!(raw.ops[0].payload.as_deref().unwrap_or_default().contains("\"a\""));
        assert_eq!(raw.ops[1].heading, "get (all)");
        assert_eq!(raw.ops[1].example_urls.len(), 1);
    }

    #[test]
    fn index_page_is_not_a_resource_page() {
        let raw = parse_page("#Basic\n\nSome group.\n<table><thead><tr><th>Name</th><th>Description</th></tr></thead></table>\n");
        assert!(!raw.is_resource_page);
    }
}
