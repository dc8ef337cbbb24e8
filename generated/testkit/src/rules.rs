//! The reference's rules, read once from `src/rules.txt` (written
//! by `cargo xtask codegen` from the IR of the targeted ADC release; its
//! format is described in `codegen/src/backend/testkit.rs`), and the checks
//! made with them.

use super::codes::{self, Refusal};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// The rules file, compiled in.
const RULES: &str = include_str!("rules.txt");

/// The rules of every resource of one release.
#[derive(Debug, Default)]
pub(crate) struct Rules {
    /// `(product, release)` the rules come from; empty without an ADC API.
    pub(crate) release: (String, String),
    /// Pairs of arguments an operation takes only one of.
    pub(crate) alternatives: Vec<[String; 2]>,
    /// Resource id (`name`, or `stat/<name>`) -> its rules.
    pub(crate) resources: BTreeMap<String, ResourceRule>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Config,
    Binding,
    Stat,
}

#[derive(Debug)]
pub(crate) struct ResourceRule {
    pub(crate) name: String,
    pub(crate) kind: Kind,
    /// Key properties, primary first.
    pub(crate) keys: Vec<String>,
    /// For a binding: the config resource it binds to.
    pub(crate) parent: Option<String>,
    /// For an aggregate binding: the bindings it gathers.
    pub(crate) members: Vec<String>,
    pub(crate) properties: BTreeMap<String, PropertyRule>,
    /// Operation name (`add`, `action:enable`, ...) -> its rules.
    pub(crate) operations: BTreeMap<String, OperationRule>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ValueKind {
    Text,
    Number,
    Boolean,
    TextList,
    NumberList,
    Any,
}

#[derive(Debug)]
pub(crate) struct PropertyRule {
    pub(crate) kind: ValueKind,
    pub(crate) min_length: Option<i64>,
    pub(crate) max_length: Option<i64>,
    pub(crate) min_value: Option<i64>,
    pub(crate) max_value: Option<i64>,
    /// Possible values, when the reference lists them.
    pub(crate) values: Option<Arc<[String]>>,
}

#[derive(Debug)]
pub(crate) struct OperationRule {
    pub(crate) method: String,
    /// Payload keys, `true` where mandatory.
    pub(crate) payload: Vec<(String, bool)>,
    /// `?args=` keys, `true` where mandatory.
    pub(crate) args: Vec<(String, bool)>,
}

impl OperationRule {
    /// Whether the payload takes key `name`. Compared without regard to
    /// case (our choice): the reference spells a few payload keys unlike
    /// their property (`Dnssuffix` for `dnssuffix`, `String` for `string`).
    pub(crate) fn takes(&self, name: &str) -> bool {
        self.payload.iter().any(|(key, _)| key.eq_ignore_ascii_case(name))
    }
}

/// The compiled-in rules, parsed on first use.
pub(crate) fn rules() -> Result<&'static Rules, String> {
    static PARSED: OnceLock<Result<Rules, String>> = OnceLock::new();
    PARSED.get_or_init(|| parse(RULES)).as_ref().map_err(Clone::clone)
}

/// Parses the rules format; a line that does not fit is an error naming
/// its number.
pub(crate) fn parse(text: &str) -> Result<Rules, String> {
    let mut rules = Rules::default();
    let mut enums: BTreeMap<&str, Arc<[String]>> = BTreeMap::new();
    let mut current: Option<ResourceRule> = None;
    for (index, line) in text.lines().enumerate() {
        let bad = |why: &str| format!("testkit rules, line {}: {why}", index + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let field = |at: usize| fields.get(at).copied().unwrap_or("");
        let list = |at: usize| -> Vec<String> { field(at).split(',').filter(|s| !s.is_empty()).map(str::to_string).collect() };
        let number = |at: usize| -> Result<Option<i64>, String> {
            let text = field(at);
            if text.is_empty() {
                return Ok(None);
            }
            text.parse().map(Some).map_err(|_| bad(&format!("`{text}` is not a whole number")))
        };
        match field(0) {
            "v" => rules.release = (field(1).to_string(), field(2).to_string()),
            "x" => match list(1).as_slice() {
                [first, second] => rules.alternatives.push([first.clone(), second.clone()]),
                _ => return Err(bad("an `x` line names two arguments")),
            },
            "e" => {
                enums.insert(field(1), field(2).split('|').map(str::to_string).collect());
            }
            "r" => {
                if let Some(done) = current.take() {
                    rules.resources.insert(id(&done), done);
                }
                let kind = match field(2) {
                    "c" => Kind::Config,
                    "b" => Kind::Binding,
                    "s" => Kind::Stat,
                    other => return Err(bad(&format!("unknown resource kind `{other}`"))),
                };
                current = Some(ResourceRule {
                    name: field(1).to_string(),
                    kind,
                    keys: list(3),
                    parent: Some(field(4).to_string()).filter(|parent| !parent.is_empty()),
                    members: list(5),
                    properties: BTreeMap::new(),
                    operations: BTreeMap::new(),
                });
            }
            "p" => {
                let resource = current.as_mut().ok_or_else(|| bad("a `p` line before any `r` line"))?;
                let kind = match field(2) {
                    "s" => ValueKind::Text,
                    "n" => ValueKind::Number,
                    "b" => ValueKind::Boolean,
                    "S" => ValueKind::TextList,
                    "N" => ValueKind::NumberList,
                    _ => ValueKind::Any,
                };
                let values = match field(7) {
                    "" => None,
                    enum_id => Some(enums.get(enum_id).cloned().ok_or_else(|| bad(&format!("no `e` line {enum_id}")))?),
                };
                let rule = PropertyRule {
                    kind,
                    min_length: number(3)?,
                    max_length: number(4)?,
                    min_value: number(5)?,
                    max_value: number(6)?,
                    values,
                };
                resource.properties.insert(field(1).to_string(), rule);
            }
            "o" => {
                let resource = current.as_mut().ok_or_else(|| bad("an `o` line before any `r` line"))?;
                let keys = |at: usize| -> Vec<(String, bool)> {
                    list(at)
                        .into_iter()
                        .map(|key| match key.strip_suffix('!') {
                            Some(name) => (name.to_string(), true),
                            None => (key, false),
                        })
                        .collect()
                };
                let rule = OperationRule { method: field(2).to_string(), payload: keys(3), args: keys(4) };
                resource.operations.insert(field(1).to_string(), rule);
            }
            other => return Err(bad(&format!("unknown line kind `{other}`"))),
        }
    }
    if let Some(done) = current.take() {
        rules.resources.insert(id(&done), done);
    }
    Ok(rules)
}

fn id(resource: &ResourceRule) -> String {
    match resource.kind {
        Kind::Stat => format!("stat/{}", resource.name),
        _ => resource.name.clone(),
    }
}

/// A value as filters, keys and comparisons read it.
pub(crate) fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

impl Rules {
    /// Refuses a key the operation does not take (278), both of two
    /// alternatives (1092) and a missing mandatory key (1095), then checks
    /// each value against its property ([`check_value`]). An operation the
    /// reference lists without payload keys takes what it is given (the
    /// listing is absent, not empty). `unset` sends `true` flags, whose
    /// values are not checked.
    pub(crate) fn check_payload(&self, resource: &ResourceRule, operation: &str, object: &Map<String, Value>) -> Result<(), Refusal> {
        let Some(rule) = resource.operations.get(operation) else { return Ok(()) };
        if !rule.payload.is_empty() {
            if let Some(name) = object.keys().find(|name| !rule.takes(name)) {
                return Err(codes::invalid_argument(name));
            }
        }
        self.check_alternatives(object.keys().map(String::as_str))?;
        for (name, mandatory) in &rule.payload {
            let sent = object.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value);
            if *mandatory && sent.map_or(true, |value| value.is_null() || *value == Value::String(String::new())) {
                return Err(codes::missing_argument(name));
            }
        }
        if operation == "unset" {
            return Ok(());
        }
        for (name, value) in object {
            if let Some(property) = resource.properties.get(name) {
                check_value(name, property, value)?;
            }
        }
        Ok(())
    }

    /// `?args=` of an operation: only the listed ones (when the reference
    /// lists any), one of two alternatives, each value checked.
    pub(crate) fn check_args(&self, resource: &ResourceRule, operation: &str, args: &[(String, String)]) -> Result<(), Refusal> {
        let Some(rule) = resource.operations.get(operation) else { return Ok(()) };
        if !rule.args.is_empty() {
            if let Some((name, _)) = args.iter().find(|(name, _)| !rule.args.iter().any(|(taken, _)| taken == name)) {
                return Err(codes::invalid_argument(name));
            }
        }
        self.check_alternatives(args.iter().map(|(name, _)| name.as_str()))?;
        for (name, value) in args {
            if let Some(property) = resource.properties.get(name) {
                check_value(name, property, &Value::String(value.clone()))?;
            }
        }
        Ok(())
    }

    fn check_alternatives<'a>(&self, names: impl Iterator<Item = &'a str> + Clone) -> Result<(), Refusal> {
        for [first, second] in &self.alternatives {
            if names.clone().any(|name| name == first) && names.clone().any(|name| name == second) {
                return Err(codes::both_specified(first, second));
            }
        }
        Ok(())
    }
}

/// One value against its property: its type (a number may come as text,
/// as the appliance sends them; a list may come as one value), its length
/// and range, and its possible values (compared without regard to case,
/// as the appliance reads them).
pub(crate) fn check_value(name: &str, property: &PropertyRule, value: &Value) -> Result<(), Refusal> {
    if value.is_null() {
        return Ok(());
    }
    match (property.kind, value) {
        (ValueKind::TextList | ValueKind::NumberList, Value::Array(items)) => {
            let single = if property.kind == ValueKind::TextList { ValueKind::Text } else { ValueKind::Number };
            let item_rule = PropertyRule { kind: single, values: property.values.clone(), ..*property };
            items.iter().try_for_each(|item| check_value(name, &item_rule, item))
        }
        (ValueKind::TextList, single) => check_value(name, &PropertyRule { kind: ValueKind::Text, values: property.values.clone(), ..*property }, single),
        (ValueKind::NumberList, single) => check_value(name, &PropertyRule { kind: ValueKind::Number, values: property.values.clone(), ..*property }, single),
        (ValueKind::Any, _) => Ok(()),
        (_, Value::Array(_) | Value::Object(_)) => Err(codes::bad_value(name, "not a single value")),
        (ValueKind::Boolean, value) => match value {
            Value::Bool(_) => Ok(()),
            Value::String(text) if text == "true" || text == "false" => Ok(()),
            _ => Err(codes::bad_value(name, "not a boolean")),
        },
        (ValueKind::Number, value) => {
            let number = match value {
                Value::Number(number) => number.as_f64(),
                Value::String(text) => text.trim().parse::<f64>().ok(),
                _ => None,
            };
            let Some(number) = number else {
                return Err(codes::bad_value(name, "not a number"));
            };
            if property.min_value.is_some_and(|min| number < min as f64) {
                return Err(codes::below_minimum(name, property.min_value.unwrap_or_default()));
            }
            if property.max_value.is_some_and(|max| number > max as f64) {
                return Err(codes::above_maximum(name, property.max_value.unwrap_or_default()));
            }
            check_possible(name, property, &text(value))
        }
        (ValueKind::Text, value) => {
            let text = text(value);
            let length = text.chars().count() as i64;
            if property.min_length.is_some_and(|min| length < min) {
                return Err(codes::too_short(name, property.min_length.unwrap_or_default()));
            }
            if property.max_length.is_some_and(|max| length > max) {
                return Err(codes::too_long(name, property.max_length.unwrap_or_default()));
            }
            check_possible(name, property, &text)
        }
    }
}

fn check_possible(name: &str, property: &PropertyRule, text: &str) -> Result<(), Refusal> {
    match &property.values {
        Some(values) if !values.iter().any(|value| value.eq_ignore_ascii_case(text)) => {
            Err(codes::bad_value(name, "value differs from acceptable values"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_in_rules_parse() {
        let rules = rules().unwrap();
        assert!(rules.resources.values().all(|resource| !resource.name.is_empty()));
        // Facts of the reference, read back (the crate's ADC input has them).
        if let Some(lbvserver) = rules.resources.get("lbvserver") {
            assert_eq!(lbvserver.keys, ["name"]);
            let add = &lbvserver.operations["add"];
            assert!(add.payload.contains(&("name".to_string(), true)) && add.payload.contains(&("servicetype".to_string(), true)));
            let port = &lbvserver.properties["port"];
            assert_eq!((port.kind, port.min_value, port.max_value), (ValueKind::Number, Some(1), Some(65535)));
            assert!(port.values.is_none() && lbvserver.properties["servicetype"].values.as_ref().is_some_and(|v| v.iter().any(|v| v == "HTTP")));
        }
    }

    #[test]
    fn a_bad_line_is_named() {
        let error = parse("r\tx\tc\tname\t\t\np\tname\ts\tone\t\t\t\t\n").unwrap_err();
        assert!(error.contains("line 2") && error.contains("one"), "{error}");
        assert!(parse("q\tx\n").unwrap_err().contains("line 1"));
    }
}
