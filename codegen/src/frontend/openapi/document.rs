//! The raw document: text -> `serde_json::Value`, JSON pointers, and
//! `$ref` resolution. Everything later works on this tree so that every
//! diagnostic can name the JSON pointer it is about.

use serde_json::Value;
use std::collections::BTreeSet;

/// Parses YAML or JSON text into a JSON tree. YAML mapping keys that are
/// numbers or booleans (`200:` unquoted in `responses`) become strings,
/// as OpenAPI means them.
pub fn parse(text: &str, is_json: bool) -> Result<Value, String> {
    if is_json {
        return serde_json::from_str(text).map_err(|error| format!("invalid JSON: {error}"));
    }
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|error| format!("invalid YAML: {error}"))?;
    yaml_to_json(yaml)
}

fn yaml_to_json(yaml: serde_norway::Value) -> Result<Value, String> {
    use serde_norway::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(value) => Value::Bool(value),
        Y::Number(number) => {
            if let Some(int) = number.as_i64() {
                Value::from(int)
            } else if let Some(int) = number.as_u64() {
                Value::from(int)
            } else {
                // NaN and infinities have no JSON form; keep them as text.
                number.as_f64().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or_else(|| Value::String(number.to_string()))
            }
        }
        Y::String(text) => Value::String(text),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect::<Result<_, _>>()?),
        Y::Mapping(mapping) => {
            let mut object = serde_json::Map::new();
            for (key, value) in mapping {
                let key = match key {
                    Y::String(text) => text,
                    Y::Number(number) => number.to_string(),
                    Y::Bool(value) => value.to_string(),
                    Y::Null => "null".to_string(),
                    other => return Err(format!("invalid YAML: mapping key {other:?} is not a scalar")),
                };
                object.insert(key, yaml_to_json(value)?);
            }
            Value::Object(object)
        }
        // Tags (`!foo`) carry no meaning in OpenAPI: keep the value.
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `pointer` + `/` + the escaped token.
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// Undoes URI percent-encoding of a `$ref` fragment (`%7B` -> `{`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() && text.is_char_boundary(index + 3) {
            if let Ok(byte) = u8::from_str_radix(&text[index + 1..index + 3], 16) {
                out.push(byte);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Why a `$ref` could not be followed.
#[derive(Debug, PartialEq, Eq)]
pub enum RefError {
    /// `$ref: ""`: names the document itself, never a schema.
    Empty,
    /// `other.yaml#/...` or a URL: only refs inside the document are read.
    External(String),
    /// The pointer names nothing in the document.
    Dangling(String),
    /// `a -> b -> a`.
    Cycle(String),
}

impl RefError {
    pub fn message(&self) -> String {
        match self {
            RefError::Empty => "empty $ref".to_string(),
            RefError::External(reference) => format!("external $ref `{reference}` is not supported"),
            RefError::Dangling(reference) => format!("$ref `{reference}` points to nothing in the document"),
            RefError::Cycle(reference) => format!("$ref `{reference}` refers to itself through a chain of $refs"),
        }
    }
}

/// The JSON pointer a local `$ref` names (`#/components/schemas/Pet` ->
/// `/components/schemas/Pet`), percent-decoding undone.
pub fn ref_pointer(reference: &str) -> Result<String, RefError> {
    if reference.trim().is_empty() {
        return Err(RefError::Empty);
    }
    match reference.strip_prefix('#') {
        Some(fragment) if fragment.is_empty() || fragment.starts_with('/') => Ok(percent_decode(fragment)),
        _ => Err(RefError::External(reference.to_string())),
    }
}

/// Follows `$ref` chains from `value` (at `pointer`) to a value that is not
/// a `$ref`. Returns it with its own pointer.
pub fn resolve<'a>(doc: &'a Value, value: &'a Value, pointer: &str) -> Result<(&'a Value, String), RefError> {
    let mut current = value;
    let mut current_pointer = pointer.to_string();
    let mut seen = BTreeSet::new();
    while let Some(reference) = current.get("$ref").and_then(Value::as_str) {
        let target = ref_pointer(reference)?;
        if !seen.insert(target.clone()) {
            return Err(RefError::Cycle(reference.to_string()));
        }
        current = doc.pointer(&target).ok_or_else(|| RefError::Dangling(reference.to_string()))?;
        current_pointer = target;
    }
    Ok((current, current_pointer))
}

/// The last token of a pointer, unescaped (`/components/schemas/a~1b` -> `a/b`).
pub fn last_token(pointer: &str) -> String {
    let token = pointer.rsplit('/').next().unwrap_or_default();
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_into_paths_with_escapes_resolve() {
        let doc = json!({"paths": {"/a/{b}": {"get": {"x": 1}}}, "components": {"schemas": {"A": {"$ref": "#/paths/~1a~1%7Bb%7D/get"}}}});
        let start = doc.pointer("/components/schemas/A").unwrap();
        let (value, pointer) = resolve(&doc, start, "/components/schemas/A").unwrap();
        assert_eq!(value, &json!({"x": 1}));
        assert_eq!(pointer, "/paths/~1a~1{b}/get");
    }

    #[test]
    fn cycles_dangling_and_external_refs_are_errors() {
        let doc = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}, "c": {"$ref": "#/nope"}, "d": {"$ref": "x.yaml#/a"}});
        assert!(matches!(resolve(&doc, &doc["a"], "/a"), Err(RefError::Cycle(_))));
        assert!(matches!(resolve(&doc, &doc["c"], "/c"), Err(RefError::Dangling(_))));
        assert!(matches!(resolve(&doc, &doc["d"], "/d"), Err(RefError::External(_))));
    }

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let value = parse("responses:\n  200: {description: ok}\n  4XX: {description: no}\n", false).unwrap();
        assert!(value.pointer("/responses/200").is_some());
        assert!(value.pointer("/responses/4XX").is_some());
    }
}
