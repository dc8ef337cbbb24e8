//! Tolerant HTML helpers shared by the readers of vendor reference pages
//! (the NITRO Markdown pages now, the appliance XHTML bundle later).
//!
//! Owns the generic, product-neutral chores: line-ending normalisation,
//! entity decoding, removal of inline formatting tags, and reading the
//! cells of an HTML table into plain text lines. Nothing here knows what a
//! NITRO property is; page-specific rules live in the readers.
//!
//! Every function accepts any input and never panics: malformed markup is
//! read as far as it goes (html5ever repairs `<tr><tr>` rows, missing
//! `</tr>`/`</td>` and tables written on one line).

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};
use std::borrow::Cow;

/// `\r\n` and lone `\r` become `\n` (the NITRO pages mix `\r\r\n` and bare
/// `\r` inside one logical line).
pub fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\r') {
        out.push_str(&rest[..at]);
        out.push('\n');
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decodes character references: the common named ones and numeric ones
/// (`&#39;`, `&#x27;`). Unknown or unterminated references are kept as
/// written, so decoding is lossless on text that only looks like one.
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match decode_one(rest) {
            Some((decoded, used)) => {
                out.push(decoded);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decodes the reference at the start of `text` (which starts with `&`):
/// the character and the number of bytes used.
fn decode_one(text: &str) -> Option<(char, usize)> {
    // References are short; a `;` further away is not ours.
    let end = text[1..].char_indices().take(10).find(|(_, c)| *c == ';').map(|(i, _)| i + 1)?;
    let body = &text[1..end];
    let decoded = match body {
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "amp" | "AMP" => '&',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let number = body.strip_prefix('#')?;
            let value = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(value)?
        }
    };
    Some((decoded, end + 1))
}

/// Inline formatting tags that carry no content of their own. Anything else
/// that starts with `<` is kept as text: NITRO payloads write placeholders
/// as raw `<String_value>`.
const FORMATTING_TAGS: &[&str] = &["b", "strong", "i", "em", "span", "p", "a", "code", "u", "font", "br"];

/// If `text` starts with an inline formatting tag (`<b>`, `</span>`,
/// `<span style=...>`, `<br/>`), its name (lower case, without `/`), whether
/// it closes, and its length in bytes.
pub fn formatting_tag_at(text: &str) -> Option<(&'static str, bool, usize)> {
    let inner = text.strip_prefix('<')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_len = inner.bytes().take_while(u8::is_ascii_alphabetic).count();
    let name = &inner[..name_len];
    let tag = FORMATTING_TAGS.iter().find(|tag| tag.eq_ignore_ascii_case(name))?;
    let after = &inner[name_len..];
    let close = after.find('>')?;
    // `<b>`, `<b >`, `<span style="...">`, `<br/>`; not `<bogus` running into the next tag.
    let attrs = &after[..close];
    if !(attrs.is_empty() || attrs.starts_with([' ', '/', '\t'])) || attrs.contains('<') {
        return None;
    }
    let len = 1 + usize::from(closing) + name_len + close + 1;
    Some((tag, closing, len))
}

/// Removes inline formatting tags (see [`formatting_tag_at`]); `<br>`
/// becomes a newline. Other `<...>` text is kept.
pub fn strip_formatting(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match formatting_tag_at(rest) {
            Some((tag, _, len)) => {
                if tag == "br" {
                    out.push('\n');
                }
                rest = &rest[len..];
            }
            None => {
                out.push('<');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// One HTML table as text: header cells and body rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Header cell texts, trimmed (`" Data Type"` reads `Data Type`).
    pub headers: Vec<String>,
    /// Rows that have at least one `<td>`, in document order. Empty rows
    /// (the `<tr><tr>` artefact) are left out.
    pub rows: Vec<Vec<Cell>>,
}

/// The text of one table cell, split into lines at `<br>` elements and at
/// escaped `&lt;br>` text; each line has its whitespace collapsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    pub lines: Vec<String>,
}

impl Cell {
    /// All lines joined with single spaces.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }
}

/// Parses the first `<table>` of an HTML fragment. `None` when the
/// fragment has no table element.
pub fn parse_table(fragment: &str) -> Option<Table> {
    let html = Html::parse_fragment(fragment);
    let table_selector = Selector::parse("table").expect("static selector");
    let table = html.select(&table_selector).next()?;
    let mut result = Table::default();
    for row in table.descendent_elements().filter(|e| e.value().name() == "tr") {
        // Cells of this row only: a nested table's rows are rows of their own.
        let cells: Vec<ElementRef<'_>> = row.child_elements().collect();
        let has_td = cells.iter().any(|c| c.value().name() == "td");
        if has_td {
            let row_cells =
                cells.iter().filter(|c| matches!(c.value().name(), "td" | "th")).map(|c| cell_text(*c)).collect();
            result.rows.push(row_cells);
        } else if result.headers.is_empty() && cells.iter().any(|c| c.value().name() == "th") {
            result.headers = cells.iter().map(|c| cell_text(*c).text().trim().to_string()).collect();
        }
    }
    Some(result)
}

/// The text of a cell: text nodes, `<br>` and block ends as line breaks,
/// and escaped `<br>` (text that reads `<br>` after entity decoding) too.
pub fn cell_text(element: ElementRef<'_>) -> Cell {
    let mut raw = String::new();
    for edge in element.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(text) => raw.push_str(text),
                Node::Element(e) if e.name() == "br" => raw.push('\n'),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if matches!(e.name(), "p" | "li" | "div" | "tr") {
                        raw.push('\n');
                    }
                }
            }
        }
    }
    Cell { lines: split_lines(&raw) }
}

/// Splits text at newlines and at literal `<br>` / `<br/>` / `<br />`
/// (any case), collapses whitespace in each line and drops empty lines.
pub fn split_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut rest = text;
    loop {
        let next_break = rest.find(['\n', '<']);
        let Some(at) = next_break else {
            current.push_str(rest);
            break;
        };
        current.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('\n') {
            lines.push(std::mem::take(&mut current));
            rest = &rest[1..];
        } else if let Some(len) = literal_br_len(rest) {
            lines.push(std::mem::take(&mut current));
            rest = &rest[len..];
        } else {
            current.push('<');
            rest = &rest[1..];
        }
    }
    lines.push(current);
    lines.into_iter().map(|line| collapse_whitespace(&line)).filter(|line| !line.is_empty()).collect()
}

/// Length of a `<br>`-like text at the start of `text`.
fn literal_br_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.len() < 4 || !bytes[1..3].eq_ignore_ascii_case(b"br") {
        return None;
    }
    let close = text.find('>')?;
    let between = text[3..close].trim();
    (between.is_empty() || between == "/").then_some(close + 1)
}

/// Runs of whitespace become one space; leading and trailing whitespace go.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Elements nested deeper than this make a page unreadable: the HTML
/// parser's work grows with the square of the nesting (4,000 nested lists
/// take seconds, a few MB of them hours), and real pages nest under 20.
pub const MAX_NESTING: usize = 256;

/// The first nesting depth over [`MAX_NESTING`], or `None`: a quick scan of
/// the tags before the page is given to the HTML parser. Void elements
/// (`<br>`) and elements that close their open siblings themselves (`<li>`,
/// `<tr>`, `<td>`, `<p>`: pages often leave them open) do not count.
pub fn too_deep(text: &str) -> Option<usize> {
    const NOT_COUNTED: [&str; 24] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "li", "tr", "td", "th", "p", "option", "dt", "dd",
        "thead", "tbody", "tfoot",
    ];
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(found) = bytes[at..].iter().position(|b| *b == b'<') {
        let start = at + found + 1;
        at = start;
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = if closing { start + 1 } else { start };
        let name_len = bytes[name_start.min(bytes.len())..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if name_len == 0 {
            continue;
        }
        let name = text[name_start..name_start + name_len].to_ascii_lowercase();
        if NOT_COUNTED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        let end = bytes[start..].iter().position(|b| *b == b'>').map_or(bytes.len(), |p| start + p);
        if end > start && bytes[end - 1] == b'/' {
            continue;
        }
        depth += 1;
        if depth > MAX_NESTING {
            return Some(depth);
        }
    }
    None
}

/// The message for a page [`too_deep`] refuses.
pub fn too_deep_message() -> String {
    format!("markup nested deeper than {MAX_NESTING} elements; the page is not read (real pages nest under 20: the page is damaged)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_are_normalised() {
        assert_eq!(normalize_newlines("a\r\r\nb\rc\r\nd\n"), "a\n\nb\nc\nd\n");
    }

    #[test]
    fn entities_decode_and_unknown_ones_stay() {
        assert_eq!(decode_entities("&lt;String&gt; &amp; &#39;x&#x27; &bogus; & alone"), "<String> & 'x' &bogus; & alone");
    }

    #[test]
    fn formatting_tags_are_removed_and_placeholders_kept() {
        assert_eq!(strip_formatting("<b>URL:</b>x<String_value><span style=\"a\">y</span>a<br/>b"), "URL:x<String_value>ya\nb");
        assert_eq!(strip_formatting("a < b <bold"), "a < b <bold");
    }

    #[test]
    fn one_line_table_with_open_rows_and_escaped_breaks() {
        let html = "<table><thead><tr><th>Name</th><th> Data Type</th></tr></thead><tbody>\
            <tr><td>a</td><td>x&lt;br>Minimum value = 1</td><tr><tr><td>b</td><td>y<br>z</td></tr></tbody></table>";
        let table = parse_table(html).expect("a table");
        assert_eq!(table.headers, ["Name", "Data Type"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0][1].lines, ["x", "Minimum value = 1"]);
        assert_eq!(table.rows[1][1].lines, ["y", "z"]);
    }

    #[test]
    fn no_table_is_none() {
        assert!(parse_table("<p>nothing</p>").is_none());
    }

    #[test]
    fn deep_nesting_is_found_before_parsing() {
        assert_eq!(super::too_deep(&"<ul><li>".repeat(300)), Some(super::MAX_NESTING + 1));
        assert_eq!(super::too_deep(&"<div>x</div>".repeat(10_000)), None);
        // Rows and cells left open, void and self-closed elements: flat.
        assert_eq!(super::too_deep(&format!("<table>{}</table>", "<tr><td>a<br><img/>".repeat(5_000))), None);
        assert_eq!(super::too_deep("<"), None);
        assert_eq!(super::too_deep("<é<//<>"), None);
    }
}
