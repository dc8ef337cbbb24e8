//! The inline markup of NITRO operation blocks: bold marks (which is how
//! the pages flag mandatory payload keys and `?args=`), URLs with key
//! templates and query strings, and the JSON-like request payloads.
//!
//! Operation text is first "marked" ([`mark`]): `<b>`/`</b>` become the
//! sentinels [`BOLD_ON`]/[`BOLD_OFF`], other formatting tags go, entities
//! are decoded and the ADM `;lt` typo is repaired. The scanners below read
//! marked text and never fail: they return what they could read.

use crate::frontend::html::{decode_entities, formatting_tag_at};

pub(super) const BOLD_ON: char = '\u{1}';
pub(super) const BOLD_OFF: char = '\u{2}';

/// Raw operation text -> marked text (see the module docs).
pub(super) fn mark(raw: &str) -> String {
    if !raw.contains(['<', '&', ';']) {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match formatting_tag_at(rest) {
            Some((tag, closing, len)) => {
                match (tag, closing) {
                    ("b" | "strong", false) => out.push(BOLD_ON),
                    ("b" | "strong", true) => out.push(BOLD_OFF),
                    ("br" | "p" | "li", _) => out.push('\n'),
                    _ => {}
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
    let decoded = decode_entities(&out).into_owned();
    repair_lt_typo(&decoded)
}

/// ADM writes `;ltString_value>` for `&lt;String_value>`.
fn repair_lt_typo(text: &str) -> String {
    if !text.contains(";lt") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(";lt") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 3..];
        if after.starts_with(|c: char| c.is_ascii_uppercase()) {
            out.push('<');
        } else {
            out.push_str(";lt");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Marked text without its bold sentinels.
pub(super) fn unmark(text: &str) -> String {
    if !text.contains([BOLD_ON, BOLD_OFF]) {
        return text.to_string();
    }
    text.chars().filter(|c| *c != BOLD_ON && *c != BOLD_OFF).collect()
}

/// A NITRO URL as the pages write it, e.g.
/// `http://<netscaler-ip-address>/nitro/v1/config/lbvserver/name_value<String>?action=enable`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Url {
    /// `N` of `/nitro/vN`.
    pub version: Option<u32>,
    /// `config`, `stat`, `upload`, `download`.
    pub area: String,
    /// The resource segment; `None` for the generation-A `/nitro/v1/config/`.
    pub resource: Option<String>,
    /// Key attributes named by `<attr>_value<Type>` segments, in order.
    pub keys: Vec<String>,
    /// Other segments after the resource (unexpected; reported).
    pub extra: Vec<String>,
    /// Query pairs in order; values are still marked (args carry bold).
    pub query: Vec<(String, String)>,
}

/// Reads the first `/nitro/v...` URL in a marked line.
pub(super) fn parse_url(line: &str) -> Option<Url> {
    let start = line.find("/nitro/")?;
    let token: &str = line[start..].split(char::is_whitespace).next().unwrap_or_default();
    let (path, query) = match token.find('?') {
        Some(at) => (&token[..at], Some(&token[at + 1..])),
        None => (token, None),
    };
    let path = unmark(path);
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    segments.next(); // "nitro"
    let mut url = Url::default();
    let version = segments.next().unwrap_or_default();
    url.version = version.strip_prefix('v').and_then(|v| v.parse().ok());
    url.area = segments.next().unwrap_or_default().to_string();
    url.resource = segments.next().map(str::to_string);
    for segment in segments {
        match key_of_segment(segment) {
            Some(key) => url.keys.push(key),
            None => url.extra.push(segment.to_string()),
        }
    }
    if let Some(query) = query {
        for part in query.split([';', '&']) {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            let key = unmark(key).trim().to_string();
            if !key.is_empty() {
                url.query.push((key, value.to_string()));
            }
        }
    }
    Some(url)
}

/// `name_value<String>`, `name_value><String>`, `name_value<>` -> `name`.
fn key_of_segment(segment: &str) -> Option<String> {
    let head = segment.split(['<', '>']).next().unwrap_or_default();
    let key = head.strip_suffix("_value")?;
    (!key.is_empty()).then(|| key.to_string())
}

/// One key of a payload object or of `?args=`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Key {
    pub name: String,
    pub bold: bool,
    /// The value as written, trimmed (placeholders such as `<String_value>`).
    pub value: String,
}

/// `?args=` value (marked) -> keys in order with their bold marks:
/// `<b>name:<String_value>,</b>detail:<Boolean_value>`.
pub(super) fn parse_args(value: &str) -> Vec<Key> {
    let mut keys = Vec::new();
    let mut bold = false;
    let mut name = String::new();
    let mut name_bold = None;
    let mut in_value = false;
    let mut value_text = String::new();
    let mut finish = |name: &mut String, name_bold: &mut Option<bool>, value_text: &mut String| {
        let trimmed = name.trim();
        if !trimmed.is_empty() {
            keys.push(Key {
                name: trimmed.to_string(),
                bold: name_bold.unwrap_or(false),
                value: value_text.trim().to_string(),
            });
        }
        name.clear();
        value_text.clear();
        *name_bold = None;
    };
    for c in value.chars() {
        match c {
            BOLD_ON => bold = true,
            BOLD_OFF => bold = false,
            ',' => {
                finish(&mut name, &mut name_bold, &mut value_text);
                in_value = false;
            }
            ':' if !in_value => in_value = true,
            c if in_value => value_text.push(c),
            c => {
                if name_bold.is_none() && !c.is_whitespace() {
                    name_bold = Some(bold);
                }
                name.push(c);
            }
        }
    }
    finish(&mut name, &mut name_bold, &mut value_text);
    keys
}

/// The keys of the object stored under `name` in a marked payload:
/// `{"lbvserver":{<b>"name":<String_value>,</b>"port":<Integer_value>}}`,
/// the ADM `{login: {...}}` and the generation-A
/// `object={"params":{...},"sessionid":"##sessionid","lbvserver":{...}}`.
/// `None` when no such object is found; `closed` is false when the text
/// ends before the object does.
pub(super) fn find_object(payload: &str, name: &str) -> Option<(Vec<Key>, bool)> {
    find_value(payload, name, false)
}

/// Like [`find_object`], also accepting an array of objects under `name`
/// (response payloads: `{ "lbvserver": [ {...} ] }`); the first object's keys.
pub(super) fn find_record(payload: &str, name: &str) -> Option<(Vec<Key>, bool)> {
    find_value(payload, name, true)
}

fn find_value(payload: &str, name: &str, array: bool) -> Option<(Vec<Key>, bool)> {
    let mut search_from = 0;
    while let Some(found) = payload[search_from..].find(name) {
        let at = search_from + found;
        search_from = at + name.len();
        let before = payload[..at].chars().next_back();
        if !matches!(before, None | Some('"' | '{' | ',' | ' ' | '\n' | '\t' | BOLD_ON | BOLD_OFF)) {
            continue;
        }
        let mut after = payload[at + name.len()..].chars();
        let mut offset = at + name.len();
        let mut seen_colon = false;
        let mut opened = false;
        for c in after.by_ref() {
            offset += c.len_utf8();
            match c {
                '"' if !seen_colon => {}
                ':' if !seen_colon => seen_colon = true,
                '{' if seen_colon => {
                    opened = true;
                    break;
                }
                '[' if seen_colon && array => {}
                c if c.is_whitespace() || c == BOLD_ON || c == BOLD_OFF => {}
                _ => break,
            }
        }
        if opened {
            return Some(scan_object(&payload[offset..]));
        }
    }
    None
}

/// Keys at depth 1 of an object whose `{` was just read.
fn scan_object(text: &str) -> (Vec<Key>, bool) {
    let chars: Vec<char> = text.chars().collect();
    let mut keys: Vec<Key> = Vec::new();
    let mut depth = 1usize;
    let mut bold = false;
    let mut i = 0;
    // The value text of the last key at depth 1, until `,` or the object's end.
    let mut value: Option<String> = None;
    let close_value = |keys: &mut Vec<Key>, value: &mut Option<String>| {
        if let (Some(text), Some(last)) = (value.take(), keys.last_mut()) {
            last.value = unmark(text.trim());
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            BOLD_ON => bold = true,
            BOLD_OFF => bold = false,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth -= 1;
                if depth == 0 {
                    close_value(&mut keys, &mut value);
                    return (keys, true);
                }
            }
            ',' if depth == 1 => close_value(&mut keys, &mut value),
            '<' => {
                // A placeholder such as `<String_value>`: skip it whole.
                let end = chars[i..].iter().position(|c| *c == '>' || *c == '\n').map_or(chars.len(), |p| i + p);
                if let Some(text) = value.as_mut() {
                    text.extend(&chars[i..=end.min(chars.len() - 1)]);
                }
                i = end + 1;
                continue;
            }
            '"' => {
                // A string ends at the next quote on its line; a quote with
                // none after it on the line is stray (broken quoting).
                let end = chars[i + 1..].iter().position(|c| *c == '"' || *c == '\n').map_or(chars.len(), |p| i + 1 + p);
                if chars.get(end) != Some(&'"') {
                    // A stray quote (`<String_value>",`): not a string.
                    i += 1;
                    continue;
                }
                let string: String = chars[i + 1..end.min(chars.len())].iter().collect();
                let is_key = depth == 1 && value.is_none() && next_is_colon(&chars, end + 1);
                if is_key {
                    keys.push(Key { name: unmark(&string), bold, value: String::new() });
                    value = Some(String::new());
                    i = skip_to_colon(&chars, end + 1);
                    continue;
                }
                if let Some(text) = value.as_mut() {
                    text.extend(&chars[i..=end.min(chars.len() - 1)]);
                }
                i = end + 1;
                continue;
            }
            c if depth == 1 && value.is_none() && (c.is_alphanumeric() || c == '_') => {
                // An unquoted key (ADM) or a stray word.
                let end = chars[i..].iter().position(|c| !(c.is_alphanumeric() || *c == '_')).map_or(chars.len(), |p| i + p);
                if next_is_colon(&chars, end) {
                    let word: String = chars[i..end].iter().collect();
                    keys.push(Key { name: word, bold, value: String::new() });
                    value = Some(String::new());
                    i = skip_to_colon(&chars, end);
                    continue;
                }
                i = end;
                continue;
            }
            _ => {}
        }
        if let Some(text) = value.as_mut() {
            if depth >= 1 {
                text.push(c);
            }
        }
        i += 1;
    }
    close_value(&mut keys, &mut value);
    (keys, false)
}

/// Whether the next character other than spaces and bold marks is `:`.
fn next_is_colon(chars: &[char], from: usize) -> bool {
    chars
        .get(from..)
        .unwrap_or_default()
        .iter()
        .find(|c| !(c.is_whitespace() || **c == BOLD_ON || **c == BOLD_OFF))
        .is_some_and(|c| *c == ':')
}

/// Index just after the next `:`.
fn skip_to_colon(chars: &[char], from: usize) -> usize {
    chars.get(from..).unwrap_or_default().iter().position(|c| *c == ':').map_or(chars.len(), |p| from + p + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(keys: &[Key]) -> Vec<(String, bool)> {
        keys.iter().map(|k| (k.name.clone(), k.bold)).collect()
    }

    #[test]
    fn url_with_key_template_and_bold_query() {
        let line = mark("<b>URL:</b>http://&lt;netscaler-ip-address/nitro/v1/config/lbvserver_service_binding/name_value&lt;String&gt;?<b>args=<b>servicename:&lt;String_value&gt;,</b>weight:&lt;Double_value&gt;</b>");
        let url = parse_url(&line).expect("a url");
        assert_eq!(url.version, Some(1));
        assert_eq!(url.area, "config");
        assert_eq!(url.resource.as_deref(), Some("lbvserver_service_binding"));
        assert_eq!(url.keys, ["name"]);
        assert_eq!(url.query.len(), 1);
        assert_eq!(url.query[0].0, "args");
        let args = parse_args(&url.query[0].1);
        assert_eq!(names(&args), [("servicename".to_string(), true), ("weight".to_string(), false)]);
    }

    #[test]
    fn stat_url_with_stray_gt_and_adm_semicolon_query() {
        let url = parse_url(&mark("http://x/nitro/v1/stat/lbvserver/name_value&gt;&lt;String&gt;")).unwrap();
        assert_eq!(url.keys, ["name"]);
        let url = parse_url(&mark("https://&lt;MGMT-IP&gt;/nitro/v1/config/ns_x?action=poll;onerror=&lt;String_value&gt;")).unwrap();
        let keys: Vec<&str> = url.query.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["action", "onerror"]);
        let url = parse_url(&mark("URL: http://&lt;NSIP&gt;/nitro/v1/config/")).unwrap();
        assert_eq!(url.resource, None);
    }

    #[test]
    fn payload_objects_in_every_shape() {
        let c = mark("{\"lbvserver\":{\n<b>\"name\":<String_value>,\n</b>\"port\":<Integer_value>,\n\"x\":true\n}}");
        let (keys, closed) = find_object(&c, "lbvserver").unwrap();
        assert!(closed);
        assert_eq!(names(&keys), [("name".into(), true), ("port".into(), false), ("x".into(), false)]);

        let adm = mark("{login: {\n<b>\"client_port\":<Integer_value></b>,\n\"list\":[{\"a\":1}],\n\"ID\":<String_value>}}");
        let (keys, _) = find_object(&adm, "login").unwrap();
        assert_eq!(names(&keys), [("client_port".into(), true), ("list".into(), false), ("ID".into(), false)]);

        let a = "object={\n\"params\":{\n \"warning\":<String_value>,\n \"onerror\":<String_value>\",\n \"action\":\"unset\"\n},\nsessionid\":\"##sessionid\",\"lbvserver\":{\n \"name\":<String_value>,\n}}";
        let (params, _) = find_object(a, "params").unwrap();
        assert_eq!(params.last().map(|k| k.value.as_str()), Some("\"unset\""));
        let (keys, closed) = find_object(a, "lbvserver").unwrap();
        assert!(closed);
        assert_eq!(names(&keys), [("name".into(), false)]);
    }

    #[test]
    fn response_records_are_arrays_of_objects() {
        let text = mark("{ \"errorcode\": 0, \"severity\": ;ltString_value>, \"login\":[{\n\"ID\":<String_value>,\n\"tenant_name\":<String_value>}]}");
        assert!(find_object(&text, "login").is_none());
        let (keys, closed) = find_record(&text, "login").unwrap();
        assert!(closed);
        assert_eq!(names(&keys), [("ID".into(), false), ("tenant_name".into(), false)]);
    }

    #[test]
    fn name_must_be_a_whole_key() {
        assert!(find_object("{\"xlbvserver\":{\"a\":1}}", "lbvserver").is_none());
    }

    #[test]
    fn lt_typo_is_repaired() {
        assert_eq!(mark("\"severity\": ;ltString_value>"), "\"severity\": <String_value>");
    }
}
