//! One bundle XHTML resource page -> its raw parts, selected by structure
//! (class names and heading text), never by position:
//! - `p.ns_wp_header` (the resource name) and `<title>`;
//! - `p.heading` section headings: `Read/write properties`, `Read only
//!   properties`, `Operations` (read-write vs read-only is the section a
//!   property sits in, not a column);
//! - `p.property_name` + `span.property_type` + the next
//!   `p.property_description` (lines split at `<br>` in any spelling). The
//!   ADM `onerror` pseudo-property, written `class=\"property_type\"` with
//!   backslash-escaped quotes and listed under Operations, never matches;
//! - per operation, `p.heading > a[name]` (its TEXT names the operation: the
//!   anchor does not tell get from get-all) and the `p.key` label lines
//!   (`URL:`, `HTTP Method:` / ADM `HTTPS Method:`, `Request Payload:`), the
//!   example URLs of the query parameters, and the `p.payload` that follows
//!   `Request Payload:`.
//!
//! URLs and payloads are returned as "marked" text, the form the Markdown
//! reader produces too: entities decoded by the HTML parser, `<br>` as a
//! newline, and the bundle's mandatory marker (a red `<font>`, written
//! `color="#FF0000"`, `color=#FF0000` or `color="FF0000"`) as the
//! [`BOLD_ON`]/[`BOLD_OFF`] sentinels. Stray `</span>`, `</ul></li>`
//! misnesting and unclosed spans are repaired by html5ever.

use crate::frontend::html::cell_text;
use crate::frontend::text::collapse;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

/// Start of a mandatory (red or bold) run in marked text.
pub const BOLD_ON: char = '\u{1}';
/// End of a mandatory run in marked text.
pub const BOLD_OFF: char = '\u{2}';

/// Which section of the page a property sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    ReadWrite,
    ReadOnly,
}

/// One `property_name` / `property_type` / `property_description` triple.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawProperty {
    pub name: String,
    /// As written without angle brackets: `String`, `Double[]`,
    /// `lbvserver_service_binding[]`.
    pub type_text: String,
    pub section: Section,
    /// Description lines (prose, then constraints).
    pub lines: Vec<String>,
}

/// One operation block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawOp {
    /// Heading text, trimmed (`add:`, `get (all)`, `Import`).
    pub heading: String,
    /// The anchor name (`get-byname`, `get_all`), for diagnostics only.
    pub anchor: String,
    /// The URL line, marked.
    pub url: Option<String>,
    /// The method as written (`POST`).
    pub method: Option<String>,
    /// Query-parameter names as the page lists them (`args`, `filter`,
    /// `pagesize=#no&pageno=#no`, `count`).
    pub query_names: Vec<String>,
    /// Example URLs of the query parameters, marked.
    pub example_urls: Vec<String>,
    /// The request payload, marked.
    pub payload: Option<String>,
}

/// The parts of one page.
#[derive(Clone, Debug, Default)]
pub struct RawPage {
    /// `p.ns_wp_header` text.
    pub header: Option<String>,
    /// `<title>` text.
    pub title: Option<String>,
    /// Has a property type span or an `Operations` heading (index pages
    /// have neither).
    pub is_resource_page: bool,
    pub has_operations_heading: bool,
    pub properties: Vec<RawProperty>,
    pub ops: Vec<RawOp>,
    /// Things the reader could not place (lower case, for diagnostics).
    pub problems: Vec<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Place {
    Top,
    Props(Section),
    Operations,
}

/// Splits a decoded page into its raw parts. Never fails.
pub fn parse_page(text: &str) -> RawPage {
    let document = Html::parse_document(text);
    let select = |s: &str| Selector::parse(s).expect("static selector");
    let mut page = RawPage {
        header: document.select(&select("p.ns_wp_header")).next().map(|e| collapse(&e.text().collect::<String>())),
        title: document.select(&select("title")).next().map(|e| collapse(&e.text().collect::<String>())),
        ..RawPage::default()
    };
    let type_span = select("span.property_type");
    let anchor = select("a[name]");
    let mut place = Place::Top;
    // Index of the property waiting for its description.
    let mut pending: Option<usize> = None;
    let mut expect_payload = false;
    let mut in_query = false;

    for p in document.select(&select("p")) {
        let classes: Vec<&str> = p.value().classes().collect();
        let has = |c: &str| classes.contains(&c);
        if has("heading") {
            pending = None;
            expect_payload = false;
            in_query = false;
            let text = collapse(&p.text().collect::<String>());
            if let Some(a) = p.select(&anchor).next() {
                place = Place::Operations;
                page.ops.push(RawOp {
                    heading: text,
                    anchor: a.value().attr("name").unwrap_or_default().to_string(),
                    ..RawOp::default()
                });
                continue;
            }
            let lower = text.to_ascii_lowercase();
            if lower.starts_with("read/write") || lower.starts_with("read-write") {
                place = Place::Props(Section::ReadWrite);
            } else if lower.starts_with("read only") || lower.starts_with("read-only") {
                place = Place::Props(Section::ReadOnly);
            } else if lower.starts_with("operations") {
                place = Place::Operations;
                page.has_operations_heading = true;
            } else {
                page.problems.push(format!("unknown section heading {text:?}"));
            }
            continue;
        }
        match place {
            Place::Props(section) => {
                if has("property_name") {
                    let Some(span) = p.select(&type_span).next() else {
                        page.problems.push(format!("property {:?} has no type", collapse(&p.text().collect::<String>())));
                        continue;
                    };
                    let name = own_text(p, span);
                    let type_text = strip_angles(&collapse(&span.text().collect::<String>()));
                    page.properties.push(RawProperty { name, type_text, section, lines: Vec::new() });
                    pending = Some(page.properties.len() - 1);
                } else if has("property_description") {
                    match pending.take() {
                        Some(index) => page.properties[index].lines = cell_text(p).lines,
                        None => page.problems.push("description without a property".into()),
                    }
                }
            }
            Place::Operations => {
                let Some(op) = page.ops.last_mut() else { continue };
                read_op_line(p, &classes, op, &mut expect_payload, &mut in_query);
            }
            Place::Top => {}
        }
    }
    page.is_resource_page = page.has_operations_heading || document.select(&type_span).next().is_some();
    page
}

/// One `p` inside an operation block.
fn read_op_line(p: ElementRef, classes: &[&str], op: &mut RawOp, expect_payload: &mut bool, in_query: &mut bool) {
    let has = |c: &str| classes.contains(&c);
    let plain = collapse(&p.text().collect::<String>());
    if has("payload") {
        if std::mem::take(expect_payload) && op.payload.is_none() {
            op.payload = Some(marked_text(p));
        }
        return;
    }
    let label = plain.split_once(':').map(|(l, _)| l.trim().to_ascii_lowercase());
    if has("key") && label.is_some() {
        // Only the `p.payload` right after `Request Payload:` is the
        // request's (uploads have none, and the response's must not count).
        *expect_payload = false;
    }
    if has("key") {
        match label.as_deref() {
            Some("url") if op.url.is_none() => {
                op.url = Some(marked_text(p));
                return;
            }
            Some("http method") | Some("https method") => {
                op.method = plain.split_once(':').map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty());
                *in_query = false;
                return;
            }
            Some("query-parameters") | Some("query parameters") => {
                *in_query = true;
                return;
            }
            Some("request payload") => {
                *expect_payload = true;
                *in_query = false;
                return;
            }
            Some(l) if l.starts_with("response") || l.contains("headers") || l == "request header" => {
                *in_query = false;
                return;
            }
            _ => {}
        }
    }
    if !*in_query {
        return;
    }
    // Query parameters: a name in bold alone on its line (ADC
    // `p.property_description`, ADM `p.key`), then an example URL.
    if plain.contains("/nitro/") || plain.contains("://") {
        op.example_urls.push(marked_text(p));
    } else if let Some(name) = bold_only(p) {
        op.query_names.push(name);
    }
}

/// The text of a `p` that holds nothing but one bold run.
fn bold_only(p: ElementRef) -> Option<String> {
    let bold = Selector::parse("b").expect("static selector");
    let b = p.select(&bold).next()?;
    let all = collapse(&p.text().collect::<String>());
    let inner = collapse(&b.text().collect::<String>());
    (!inner.is_empty() && all == inner).then_some(inner)
}

/// The property name: the `p`'s text outside the type span.
fn own_text(p: ElementRef, span: ElementRef) -> String {
    let mut out = String::new();
    for node in p.descendants() {
        if let Node::Text(text) = node.value() {
            if !node.ancestors().any(|a| a.id() == span.id()) {
                out.push_str(text);
            }
        }
    }
    collapse(&out)
}

/// `<String>` -> `String`; tolerant of a missing bracket.
fn strip_angles(text: &str) -> String {
    text.trim().trim_start_matches('<').trim_end_matches('>').trim().to_string()
}

/// Marked text of an element (see the module docs).
pub fn marked_text(element: ElementRef) -> String {
    let mut out = String::new();
    for edge in element.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(text) => out.push_str(&text.replace('\u{a0}', " ")),
                Node::Element(e) if e.name() == "br" => out.push('\n'),
                Node::Element(e) if is_red(e) => out.push(BOLD_ON),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if is_red(e) {
                        out.push(BOLD_OFF);
                    }
                }
            }
        }
    }
    out
}

/// Marked text without its sentinels.
pub fn unmarked(text: &str) -> String {
    text.chars().filter(|c| *c != BOLD_ON && *c != BOLD_OFF).collect()
}

/// A `<font>` whose colour is red, however the attribute is quoted.
fn is_red(element: &scraper::node::Element) -> bool {
    element.name() == "font"
        && element.attr("color").is_some_and(|c| c.trim_start_matches('#').eq_ignore_ascii_case("ff0000"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_types_and_escaped_onerror() {
        let html = r##"<html><body><p class="ns_wp_header">thing</p>
<p class="heading">Read/write properties</p><p class="property_name">a<span class="property_type">&lt;String&gt;</span></p><p class="property_description">x<br/>Minimum length =  1</p>
<p class="heading">Read only properties</p><p class="property_name">n<span class="property_type">&lt;Double&gt;</span></p>
		<p class="property_description">count</p>
<p class="heading">Operations</p><p class="property_name">onerror<span class=\"property_type\">&lt;String_value&gt;</span></p>
<p class="heading"><a name="get">get (all)</a></p><p class="key">URL:<span class="url_value">http://<font color="#009933">&lt;h&gt;</font>/nitro/v1/config/thing</span></p><p class="key">HTTP Method:<span class="value">GET</span></p>
<p class="heading"><a name="add">add</a></p><p class="key">Request Payload:</p><p class="payload">{"thing":{<br/><font color="#FF0000"><b>&nbsp;"a":&lt;String_value&gt;<br/></b></font>}}</p></body></html>"##;
        let page = parse_page(html);
        assert!(page.is_resource_page);
        assert_eq!(page.header.as_deref(), Some("thing"));
        let props: Vec<_> = page.properties.iter().map(|p| (p.name.as_str(), p.type_text.as_str(), p.section)).collect();
        assert_eq!(props, [("a", "String", Section::ReadWrite), ("n", "Double", Section::ReadOnly)]);
        assert_eq!(page.properties[0].lines, ["x", "Minimum length = 1"]);
        assert_eq!(page.ops.len(), 2);
        assert_eq!(page.ops[0].heading, "get (all)");
        assert_eq!(page.ops[0].method.as_deref(), Some("GET"));
        assert_eq!(page.ops[0].url.as_deref(), Some("URL:http://<h>/nitro/v1/config/thing"));
        assert_eq!(page.ops[1].payload.as_deref(), Some("{\"thing\":{\n\u{1} \"a\":<String_value>\n\u{2}}}"));
    }
}
