//! The raw document: text -> `serde_json::Value`, JSON pointers, and
//! `$ref` resolution. Everything later works on this tree so that every
//! diagnostic can name the JSON pointer it is about.

use serde_json::Value;
use std::collections::BTreeSet;

/// Parses YAML or JSON text into a JSON tree of at most `max_nodes`
/// values. YAML mapping keys that are numbers or booleans (`200:` unquoted
/// in `responses`) become strings, as OpenAPI means them.
///
/// Values are counted while they are built, aliases expanded: a YAML
/// alias repeats its anchor's whole subtree, so a document under 1 MB can
/// stand for 10^9 values (the "billion laughs"); it ends at the limit
/// instead of never answering.
pub fn parse(text: &str, is_json: bool, max_nodes: u64) -> Result<Value, String> {
    // YAML keys must be unique (serde_norway's own rule); JSON keeps the last.
    let budget = Budget { left: std::cell::Cell::new(max_nodes), max: max_nodes, exceeded: std::cell::Cell::new(false), unique_keys: !is_json };
    let result = if is_json {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        serde::de::DeserializeSeed::deserialize(Node(&budget), &mut deserializer).and_then(|value| deserializer.end().map(|()| value)).map_err(|error| format!("invalid JSON: {error}"))
    } else {
        serde::de::DeserializeSeed::deserialize(Node(&budget), serde_norway::Deserializer::from_str(text)).map_err(|error| format!("invalid YAML: {error}"))
    };
    if budget.exceeded.get() {
        return Err(budget.message());
    }
    result
}

/// Values still allowed in the tree being built.
struct Budget {
    left: std::cell::Cell<u64>,
    max: u64,
    exceeded: std::cell::Cell<bool>,
    unique_keys: bool,
}

impl Budget {
    fn take<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.left.get().checked_sub(1) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => {
                self.exceeded.set(true);
                Err(E::custom(self.message()))
            }
        }
    }

    fn message(&self) -> String {
        format!("the document has more than {} values (YAML aliases expanded); raise the limit with --max-nodes", self.max)
    }
}

/// A JSON value built from any self-describing format, counted against the
/// budget.
#[derive(Clone, Copy)]
struct Node<'b>(&'b Budget);

impl<'de> serde::de::DeserializeSeed<'de> for Node<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("any YAML or JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::Bool(value))
    }
    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::from(value))
    }
    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::from(value))
    }
    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Value, E> {
        self.0.take()?;
        // NaN and infinities have no JSON form; keep them as text.
        Ok(serde_json::Number::from_f64(value).map(Value::Number).unwrap_or_else(|| Value::String(value.to_string())))
    }
    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::String(value.to_string()))
    }
    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::String(value))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, deserializer)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.0.take()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.0.take()?;
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key_seed(Key)? {
            let value = map.next_value_seed(self)?;
            if self.0.unique_keys && object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("duplicate entry with key {key:?}")));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
    /// A YAML tag (`!foo value`): tags carry no meaning in OpenAPI, the
    /// value is kept.
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, contents): (String, _) = data.variant()?;
        contents.newtype_variant_seed(self)
    }
}

/// A mapping key: strings as they are, numbers, booleans and null as text.
struct Key;

impl<'de> serde::de::DeserializeSeed<'de> for Key {
    type Value = String;
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Key {
    type Value = String;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a scalar mapping key")
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<String, E> {
        Ok(value.to_string())
    }
    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }
    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<String, E> {
        Ok(value.to_string())
    }
    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_string())
    }
    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<String, E> {
        Ok(value)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(serde::de::Error::custom("mapping key is a sequence, not a scalar"))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(serde::de::Error::custom("mapping key is a mapping, not a scalar"))
    }
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
    /// More than [`MAX_REF_CHAIN`] `$ref`s in a row.
    TooLong(String),
}

/// `$ref`s followed in a row at most: real documents use one or two; a
/// limit keeps every lookup cheap however the document is built.
pub const MAX_REF_CHAIN: usize = 64;

impl RefError {
    pub fn message(&self) -> String {
        match self {
            RefError::Empty => "empty $ref".to_string(),
            RefError::External(reference) => format!("external $ref `{reference}` is not supported"),
            RefError::Dangling(reference) => format!("$ref `{reference}` points to nothing in the document"),
            RefError::Cycle(reference) => format!("$ref `{reference}` refers to itself through a chain of $refs"),
            RefError::TooLong(reference) => format!("$ref `{reference}` starts a chain of more than {MAX_REF_CHAIN} $refs"),
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
        if seen.len() > MAX_REF_CHAIN {
            return Err(RefError::TooLong(reference.to_string()));
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
        let value = parse("responses:\n  200: {description: ok}\n  4XX: {description: no}\n", false, 100).unwrap();
        assert!(value.pointer("/responses/200").is_some());
        assert!(value.pointer("/responses/4XX").is_some());
    }

    #[test]
    fn yaml_aliases_count_against_the_budget_and_duplicate_keys_are_errors() {
        let text = "a: &x [1, 2, 3]\nb: [*x, *x, *x]\n";
        // The root, `a` (1 + 3), `b` (1 + 3 copies of 1 + 3): 18 values.
        assert!(parse(text, false, 18).is_ok());
        let error = parse(text, false, 17).unwrap_err();
        assert_eq!(error, "the document has more than 17 values (YAML aliases expanded); raise the limit with --max-nodes");
        assert!(parse("a: 1\na: 2\n", false, 100).unwrap_err().contains("duplicate entry with key \"a\""));
        assert_eq!(parse("{\"a\": 1, \"a\": 2}", true, 100).unwrap(), json!({"a": 2}));
        // Tags are dropped, their values kept.
        assert_eq!(parse("a: !tag {b: 1}\n", false, 100).unwrap(), json!({"a": {"b": 1}}));
    }
}
