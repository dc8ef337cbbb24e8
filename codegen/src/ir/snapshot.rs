//! The committed form of an IR snapshot (`specs/nitro/<product>/<release>.json`).
//!
//! `serde_json::to_string_pretty` puts every value on its own line: 5.5 MB
//! for ADC 12.1, most of it indentation. This printer keeps the outer
//! levels pretty (two-space indent, fields in struct order) and writes
//! every value from depth [`ONE_LINE_DEPTH`] on (one property, one
//! operation, one error code) and every shorter container that fits in
//! [`WIDTH`] columns as compact JSON on one line: about 3.5 MB for ADC
//! 12.1, one fact per line in a diff. Deterministic; any JSON reader
//! parses it, and [`parse_snapshot`] reads it back.
//!
//! The IR owns this format, so the frontends that write snapshots (`scrape`,
//! `scrape-bundle`, `facts`) and the stages that read them (`inputs`,
//! the tests) depend only on the IR.

use super::Api;

/// Widest line a collapsed object or array may make, indentation included.
const WIDTH: usize = 100;

/// Depth from which every value is written on one line: root (0) ->
/// `resources` (1) -> a resource (2) -> `properties` (3) -> a property (4).
const ONE_LINE_DEPTH: usize = 4;

/// The snapshot text of an API: compact-pretty JSON plus a final newline.
pub fn snapshot_json(api: &Api) -> String {
    let compact = serde_json::to_string(api).unwrap_or_else(|error| format!("{{\"error\":\"{error}\"}}"));
    let mut out = reflow(&compact);
    out.push('\n');
    out
}

/// An [`Api`] from snapshot text (this printer's form or any other JSON
/// form of the IR).
pub fn parse_snapshot(text: &str) -> Result<Api, serde_json::Error> {
    serde_json::from_str(text)
}

/// Re-indents compact JSON (as serde_json writes it: no whitespace
/// outside strings). Input that is not such JSON is returned unchanged.
pub fn reflow(compact: &str) -> String {
    let mut parser = Parser { text: compact.as_bytes(), at: 0 };
    match parser.value() {
        Some(node) if parser.at == compact.len() => {
            let mut out = String::with_capacity(compact.len() + compact.len() / 4);
            write(compact, &node, 0, 0, &mut out);
            out
        }
        _ => compact.to_string(),
    }
}

/// A value as a span of the compact text; containers keep their children.
enum Node {
    Scalar(usize, usize),
    Array(usize, usize, Vec<Node>),
    /// Members: the key's span (quotes included) and the value.
    Object(usize, usize, Vec<((usize, usize), Node)>),
}

impl Node {
    fn span(&self) -> (usize, usize) {
        match self {
            Node::Scalar(s, e) | Node::Array(s, e, _) | Node::Object(s, e, _) => (*s, *e),
        }
    }
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn value(&mut self) -> Option<Node> {
        let start = self.at;
        match *self.text.get(self.at)? {
            b'{' => {
                self.at += 1;
                let mut members = Vec::new();
                if self.text.get(self.at) == Some(&b'}') {
                    self.at += 1;
                    return Some(Node::Object(start, self.at, members));
                }
                loop {
                    let key_start = self.at;
                    self.string()?;
                    let key = (key_start, self.at);
                    self.expect(b':')?;
                    members.push((key, self.value()?));
                    match *self.text.get(self.at)? {
                        b',' => self.at += 1,
                        b'}' => {
                            self.at += 1;
                            return Some(Node::Object(start, self.at, members));
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.text.get(self.at) == Some(&b']') {
                    self.at += 1;
                    return Some(Node::Array(start, self.at, items));
                }
                loop {
                    items.push(self.value()?);
                    match *self.text.get(self.at)? {
                        b',' => self.at += 1,
                        b']' => {
                            self.at += 1;
                            return Some(Node::Array(start, self.at, items));
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => {
                self.string()?;
                Some(Node::Scalar(start, self.at))
            }
            _ => {
                // Number, true, false, null: up to the next delimiter.
                while self.text.get(self.at).is_some_and(|b| !matches!(b, b',' | b']' | b'}')) {
                    self.at += 1;
                }
                (self.at > start).then_some(Node::Scalar(start, self.at))
            }
        }
    }

    fn string(&mut self) -> Option<()> {
        if self.text.get(self.at) != Some(&b'"') {
            return None;
        }
        self.at += 1;
        loop {
            match *self.text.get(self.at)? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.text.get(self.at) == Some(&byte)).then(|| self.at += 1)
    }
}

/// Writes `node`; `indent` is its depth, `column` where it starts.
fn write(text: &str, node: &Node, indent: usize, column: usize, out: &mut String) {
    let (start, end) = node.span();
    if indent >= ONE_LINE_DEPTH || column + end - start <= WIDTH {
        out.push_str(&text[start..end]);
        return;
    }
    let pad = "  ".repeat(indent + 1);
    match node {
        Node::Scalar(..) => out.push_str(&text[start..end]),
        Node::Array(_, _, items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                out.push_str(if index == 0 { "\n" } else { ",\n" });
                out.push_str(&pad);
                write(text, item, indent + 1, pad.len(), out);
            }
            out.push('\n');
            out.push_str(&"  ".repeat(indent));
            out.push(']');
        }
        Node::Object(_, _, members) => {
            out.push('{');
            for (index, ((key_start, key_end), value)) in members.iter().enumerate() {
                out.push_str(if index == 0 { "\n" } else { ",\n" });
                out.push_str(&pad);
                out.push_str(&text[*key_start..*key_end]);
                out.push_str(": ");
                write(text, value, indent + 1, pad.len() + key_end - key_start + 2, out);
            }
            out.push('\n');
            out.push_str(&"  ".repeat(indent));
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::reflow;

    #[test]
    fn short_containers_stay_on_one_line_and_long_ones_break() {
        let compact = r#"{"a":{"name":"x","row":1},"b":["p\"q,]","r"],"long":["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"],"e":{},"n":[]}"#;
        let expected = "{\n  \"a\": {\"name\":\"x\",\"row\":1},\n  \"b\": [\"p\\\"q,]\",\"r\"],\n  \"long\": [\n    \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\n    \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"\n  ],\n  \"e\": {},\n  \"n\": []\n}";
        let out = reflow(compact);
        assert_eq!(out, expected);
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, serde_json::from_str::<serde_json::Value>(compact).unwrap());
    }

    #[test]
    fn deep_values_are_one_line_whatever_their_length() {
        let long = "x".repeat(200);
        let compact = format!(r#"{{"a":{{"b":{{"c":{{"d":{{"e":"{long}","f":[1,2]}}}}}}}}}}"#);
        let out = reflow(&compact);
        assert!(out.contains(&format!(r#""d": {{"e":"{long}","f":[1,2]}}"#)), "{out}");
    }

    #[test]
    fn not_json_is_returned_unchanged() {
        assert_eq!(reflow("{\"a\":"), "{\"a\":");
    }
}
