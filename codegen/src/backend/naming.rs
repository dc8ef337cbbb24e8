//! Naming: Rust identifiers from vendor wire names.
//!
//! Every Rust spelling in the generated crate comes from here. Wire names
//! are turned into snake case (fields, functions, modules) or upper camel
//! case (types, enum variants) with heck; keywords get a trailing
//! underscore (`type_`), names starting with a digit get a prefix, and
//! symbol-only enum values get readable names (`=` -> `Eq`).
//!
//! Names that collide after casing within one scope (`I` and `i`, `UNKNOWN`
//! and `Unknown`) are resolved by [`Scope`]: the wire name that already
//! equals its Rust spelling keeps it, the others get a readable suffix, and
//! each rename is reported to the caller so it can become a note.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

/// Strict and reserved keywords of Rust 2021 that are valid as raw text
/// but not as plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names a generated module must not define, because its own code
/// names them unqualified (prelude types, `Self`).
const RESERVED_TYPES: &[&str] = &["Box", "Option", "Result", "Self", "Some", "None", "Ok", "Err", "String", "Vec"];

pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// `lbmethod` -> `lbmethod`, `routerId` -> `router_id`, `type` -> `type_`,
/// `3des` -> `_3des`. Used for fields, function and module names.
pub fn snake(wire: &str) -> String {
    let words = words_of(wire);
    let mut name = words.to_snake_case();
    if name.is_empty() {
        name = "value".to_string();
    }
    fix_ident(name, "_")
}

/// `lbvserver_service_binding` -> `LbvserverServiceBinding`,
/// `OUT OF SERVICE` -> `OutOfService`, `1000BaseTFD` -> `V1000baseTfd`,
/// `!=` -> `Ne`. Used for type names and enum variants.
pub fn camel(wire: &str) -> String {
    if let Some(symbolic) = symbol_name(wire) {
        return symbolic;
    }
    let mut name = words_of(wire).to_upper_camel_case();
    if name.is_empty() {
        name = "Value".to_string();
    }
    fix_ident(name, "V")
}

/// Upper camel case of a wire name as a part of a longer name (no digit
/// prefix, no keyword fix: `LbvserverLbmethod` from `lbmethod`).
pub fn camel_part(wire: &str) -> String {
    words_of(wire).to_upper_camel_case()
}

/// Keeps letters and digits (ASCII only: identifiers stay ASCII), turns
/// `+` into a word so `GMT+01` and `GMT-01` stay apart, and every other
/// character into a word break.
fn words_of(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '+' {
            out.push_str(" Plus ");
        } else {
            out.push(' ');
        }
    }
    out
}

fn fix_ident(name: String, digit_prefix: &str) -> String {
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) { format!("{digit_prefix}{name}") } else { name };
    if is_keyword(&name) {
        format!("{name}_")
    } else {
        name
    }
}

/// Readable names of values made only of symbols (`=`, `!=`, `<=`, `*`).
fn symbol_name(wire: &str) -> Option<String> {
    if wire.is_empty() {
        return Some("Empty".to_string());
    }
    if wire.chars().any(|c| c.is_alphanumeric()) {
        return None;
    }
    let whole = match wire {
        "==" => Some("EqEq"),
        "!=" => Some("Ne"),
        "<=" => Some("Le"),
        ">=" => Some("Ge"),
        "<>" => Some("LtGt"),
        "&&" => Some("AndAnd"),
        "||" => Some("OrOr"),
        _ => None,
    };
    if let Some(name) = whole {
        return Some(name.to_string());
    }
    let mut name = String::new();
    for c in wire.chars() {
        name.push_str(match c {
            '=' => "Eq",
            '!' => "Not",
            '<' => "Lt",
            '>' => "Gt",
            '+' => "Plus",
            '-' => "Minus",
            '*' => "Star",
            '/' => "Slash",
            '\\' => "Backslash",
            '%' => "Percent",
            '&' => "Amp",
            '|' => "Pipe",
            '^' => "Caret",
            '~' => "Tilde",
            '?' => "Question",
            '.' => "Dot",
            ',' => "Comma",
            ':' => "Colon",
            ';' => "Semicolon",
            '#' => "Hash",
            '@' => "At",
            '$' => "Dollar",
            '_' => "Underscore",
            '(' => "LParen",
            ')' => "RParen",
            '[' => "LBracket",
            ']' => "RBracket",
            '{' => "LBrace",
            '}' => "RBrace",
            '"' => "Quote",
            '\'' => "Apostrophe",
            '`' => "Backtick",
            ' ' => "Space",
            _ => "Symbol",
        });
    }
    Some(name)
}

/// Identifier case of a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Snake,
    Camel,
}

impl Case {
    pub fn apply(self, wire: &str) -> String {
        match self {
            Case::Snake => snake(wire),
            Case::Camel => camel(wire),
        }
    }
}

/// A wire name whose Rust spelling had to change to stay unique.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rename {
    pub wire: String,
    /// The spelling it would have had.
    pub plain: String,
    /// The spelling it got.
    pub chosen: String,
    /// The other wire names that wanted `plain`.
    pub collides_with: Vec<String>,
}

/// Resolves the names of one scope (the fields of a struct, the variants of
/// an enum, the types of a module, the functions of an impl).
///
/// Deterministic: the result depends only on the set of wire names and the
/// names reserved beforehand, not on insertion order.
pub struct Scope {
    case: Case,
    reserved: BTreeSet<String>,
}

impl Scope {
    pub fn new(case: Case) -> Self {
        Scope { case, reserved: BTreeSet::new() }
    }

    /// A name the scope already holds (say the `unknown_fields` field, or a
    /// fixed endpoint function) that wire names must not take.
    pub fn reserve(mut self, name: &str) -> Self {
        self.reserved.insert(name.to_string());
        self
    }

    pub fn reserve_all<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> Self {
        self.reserved.extend(names.into_iter().map(str::to_string));
        self
    }

    /// Names every wire name: returns wire name -> identifier, and the
    /// renames made (sorted by wire name).
    pub fn resolve<'a>(&self, wires: impl IntoIterator<Item = &'a str>) -> (BTreeMap<String, String>, Vec<Rename>) {
        self.resolve_with(wires, |wire| self.case.apply(wire))
    }

    /// Like [`Scope::resolve`], with the plain spelling of each wire name
    /// given by `plain` (for names built from more than the wire name).
    pub fn resolve_with<'a>(
        &self,
        wires: impl IntoIterator<Item = &'a str>,
        plain: impl Fn(&str) -> String,
    ) -> (BTreeMap<String, String>, Vec<Rename>) {
        let (names, renames) = self.resolve_keys(wires, |wire| plain(wire), |wire| wire.to_string());
        let names = names.into_iter().map(|(wire, name)| (wire.to_string(), name)).collect();
        (names, renames.into_iter().map(|(_, rename)| rename).collect())
    }

    /// Names every key of a scope whose members are not wire names (the
    /// value sets of a group, by index): `plain` gives a key's plain
    /// spelling, `text` the wire text it stands for (which decides the
    /// exact-spelling winner and the rename suffix, and is reported).
    /// Ties go to the first key in key order. Returns key -> identifier,
    /// and the renames with their keys (sorted by text).
    pub fn resolve_keys<K: Ord + Clone>(
        &self,
        keys: impl IntoIterator<Item = K>,
        plain: impl Fn(&K) -> String,
        text: impl Fn(&K) -> String,
    ) -> (BTreeMap<K, String>, Vec<(K, Rename)>) {
        let keys: BTreeSet<K> = keys.into_iter().collect();
        let mut wanted: BTreeMap<String, Vec<&K>> = BTreeMap::new();
        for key in &keys {
            wanted.entry(plain(key)).or_default().push(key);
        }
        let mut taken: BTreeSet<String> = self.reserved.clone();
        let mut names = BTreeMap::new();
        let mut losers: Vec<(&K, String, Vec<String>)> = Vec::new();
        // First pass: each plain spelling goes to one key: the one whose
        // text already is that spelling, else the first in key order. A
        // spelling reserved by the scope goes to nobody.
        for (spelling, claimants) in &wanted {
            let winner = if self.reserved.contains(spelling) {
                None
            } else {
                // `async` keeps `async_` over `Async`: the keyword fix is
                // not a difference in spelling.
                let exact = |key: &&&K| {
                    let wire = text(key);
                    wire == *spelling || spelling.strip_suffix('_') == Some(wire.as_str())
                };
                Some(*claimants.iter().find(exact).unwrap_or(&claimants[0]))
            };
            for key in claimants {
                if Some(*key) == winner {
                    names.insert((*key).clone(), spelling.clone());
                    taken.insert(spelling.clone());
                } else {
                    let mut others: Vec<String> = claimants.iter().filter(|other| *other != key).map(|other| text(other)).collect();
                    if self.reserved.contains(spelling) {
                        others.push(format!("(reserved `{spelling}`)"));
                    }
                    losers.push((key, spelling.clone(), others));
                }
            }
        }
        // Second pass: the others get a suffix that says how they differ,
        // and a number only if that is still taken.
        let mut renames = Vec::new();
        for (key, spelling, collides_with) in losers {
            let wire = text(key);
            // `match_` (a keyword kept apart) + `_alt` must not give `match__alt`.
            let base = format!("{}{}", spelling.trim_end_matches('_'), self.suffix(&wire));
            let mut chosen = base.clone();
            let mut counter = 2;
            while taken.contains(&chosen) || wanted.contains_key(&chosen) {
                chosen = match self.case {
                    Case::Snake => format!("{base}_{counter}"),
                    Case::Camel => format!("{base}{counter}"),
                };
                counter += 1;
            }
            taken.insert(chosen.clone());
            names.insert(key.clone(), chosen.clone());
            renames.push((key.clone(), Rename { wire, plain: spelling, chosen, collides_with }));
        }
        renames.sort_by(|(_, a), (_, b)| a.wire.cmp(&b.wire));
        (names, renames)
    }

    /// `_upper` for all-capitals names (`I` next to `i`), `_mixed` for other
    /// case variants, `_sym` for names with punctuation, `_alt` otherwise.
    fn suffix(&self, wire: &str) -> &'static str {
        let letters: Vec<char> = wire.chars().filter(|c| c.is_alphabetic()).collect();
        let punctuated = wire.chars().any(|c| !c.is_ascii_alphanumeric() && c != '_');
        let word = if letters.is_empty() || punctuated {
            "sym"
        } else if letters.iter().all(|c| c.is_uppercase()) {
            "upper"
        } else if letters.iter().any(|c| c.is_uppercase()) {
            "mixed"
        } else {
            "alt"
        };
        match (self.case, word) {
            (Case::Snake, "sym") => "_sym",
            (Case::Snake, "upper") => "_upper",
            (Case::Snake, "mixed") => "_mixed",
            (Case::Snake, _) => "_alt",
            (Case::Camel, "sym") => "Sym",
            (Case::Camel, "upper") => "Upper",
            (Case::Camel, "mixed") => "Mixed",
            (Case::Camel, _) => "Alt",
        }
    }
}

/// Type names a module scope must not hand out.
pub fn reserved_types() -> impl Iterator<Item = &'static str> {
    RESERVED_TYPES.iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("lbmethod"), "lbmethod");
        assert_eq!(snake("routerId"), "router_id");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("Static"), "static_");
        assert_eq!(snake("__count"), "count");
        assert_eq!(snake("3des"), "_3des");
        assert_eq!(snake("Import"), "import");
    }

    #[test]
    fn camel_names() {
        assert_eq!(camel("lbvserver_service_binding"), "LbvserverServiceBinding");
        assert_eq!(camel("ROUNDROBIN"), "Roundrobin");
        assert_eq!(camel("OUT OF SERVICE"), "OutOfService");
        assert_eq!(camel("1000BaseTFD"), "V1000baseTfd");
        assert_eq!(camel("="), "Eq");
        assert_eq!(camel("!="), "Ne");
        assert_eq!(camel("GMT+02:00-CEST-Europe/Andorra"), "GmtPlus0200CestEuropeAndorra");
        assert_eq!(camel(""), "Empty");
        assert_eq!(camel("Self"), "Self_");
    }

    #[test]
    fn collisions_keep_the_plain_name_for_the_exact_spelling() {
        let (names, renames) = Scope::new(Case::Snake).resolve(["I", "i", "S", "s"]);
        assert_eq!(names["i"], "i");
        assert_eq!(names["I"], "i_upper");
        assert_eq!(names["s"], "s");
        assert_eq!(names["S"], "s_upper");
        assert_eq!(renames.len(), 2);
        let (names, _) = Scope::new(Case::Camel).resolve(["UNKNOWN", "Unknown"]);
        assert_eq!(names["Unknown"], "Unknown");
        assert_eq!(names["UNKNOWN"], "UnknownUpper");
    }

    #[test]
    fn keyword_spelling_counts_as_exact() {
        let (names, _) = Scope::new(Case::Snake).resolve(["Async", "async"]);
        assert_eq!(names["async"], "async_");
        assert_eq!(names["Async"], "async_mixed");
    }

    #[test]
    fn reserved_names_are_never_handed_out() {
        let (names, renames) = Scope::new(Case::Snake).reserve("unknown_fields").resolve(["unknown_fields", "name"]);
        assert_eq!(names["unknown_fields"], "unknown_fields_alt");
        assert_eq!(names["name"], "name");
        assert_eq!(renames[0].collides_with, ["(reserved `unknown_fields`)"]);
    }

    #[test]
    fn suffixed_names_do_not_take_another_plain_name() {
        // `I` -> `i_upper` would clash with a real `i_upper` property, so
        // it gets a number as well.
        let (names, _) = Scope::new(Case::Snake).resolve(["I", "i", "i_upper"]);
        assert_eq!(names["i_upper"], "i_upper");
        assert_eq!(names["I"], "i_upper_2");
    }
}
