//! Doc comments: fact lines for generated items, escaped for rustdoc.
//!
//! Doc text here is ours (names, types, ranges, URLs); values from the IR
//! only ever appear inside code spans, so rustdoc never sees a bare URL,
//! a bracket or an angle bracket from the input. Vendor prose is emitted
//! only when the user opted in, through [`prose`].

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = " line"]` attributes, one per line, which prettyplease prints
/// as `/// line`.
pub fn attrs(lines: &[String]) -> TokenStream {
    let mut tokens = TokenStream::new();
    for line in lines {
        let text = if line.is_empty() { String::new() } else { format!(" {line}") };
        tokens.extend(quote!(#[doc = #text]));
    }
    tokens
}

/// `#![doc = " line"]` attributes (module docs), printed as `//! line`.
pub fn inner_attrs(lines: &[String]) -> TokenStream {
    let mut tokens = TokenStream::new();
    for line in lines {
        let text = if line.is_empty() { String::new() } else { format!(" {line}") };
        tokens.extend(quote!(#![doc = #text]));
    }
    tokens
}

/// `text` as an inline code span, whatever it contains: control
/// characters become spaces and the fence is longer than any run of
/// backticks inside.
pub fn code(text: &str) -> String {
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.is_empty() {
        return "(empty string)".to_string();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // CommonMark strips one space at each end when both ends have one, and
    // a backtick at an end would merge with the fence: pad in both cases.
    let pad = text.starts_with('`') || text.ends_with('`') || (text.starts_with(' ') && text.ends_with(' '));
    if pad {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// A comma-separated list of code spans.
pub fn code_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().map(code).collect::<Vec<_>>().join(", ")
}

/// Vendor prose (only with `EmitSettings::descriptions`), made inert for
/// rustdoc: Markdown and HTML punctuation is escaped and URLs are put in
/// code spans so `rustdoc::bare_urls` and broken links cannot fire.
pub fn prose(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for raw in text.lines() {
        let mut line = String::new();
        for word in raw.split_whitespace() {
            if !line.is_empty() {
                line.push(' ');
            }
            if word.starts_with("http://") || word.starts_with("https://") {
                line.push_str(&code(word));
                continue;
            }
            for c in word.chars() {
                match c {
                    '[' | ']' | '<' | '>' | '`' | '*' | '_' | '#' | '|' | '\\' | '&' => {
                        line.push('\\');
                        line.push(c);
                    }
                    c if c.is_control() => line.push(' '),
                    c => line.push(c),
                }
            }
        }
        lines.push(line);
    }
    // No trailing blank lines: they would print as empty `///`.
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks_and_spaces() {
        assert_eq!(code("ROUNDROBIN"), "`ROUNDROBIN`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code(" x "), "`  x  `");
        assert_eq!(code(""), "(empty string)");
        assert_eq!(code("a\nb"), "`a b`");
    }

    #[test]
    fn prose_is_escaped() {
        assert_eq!(prose("see <b>[x]</b> at https://e.x/y"), ["see \\<b\\>\\[x\\]\\</b\\> at `https://e.x/y`"]);
    }
}
