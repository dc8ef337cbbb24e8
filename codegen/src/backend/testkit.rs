//! `testkit/src/rules.txt`: the facts the NITRO simulator (the crate
//! `netscaler-testkit` in `generated/testkit/`, behind the `netscaler`
//! crate's feature `testkit`) holds requests to,
//! as data read once at start, never as Rust code per resource (compile
//! cost: the kit's code does not grow with the number of resources).
//!
//! One line per fact, fields separated by tabs, lists by `,` (enumeration
//! values by `|`); an empty field is an absent fact. In file order:
//!
//! - `v <product> <release>`: the release the rules come from.
//! - `x <name>,<name>`: two arguments an operation takes only one of
//!   ([`ALTERNATIVE_ARGS`]).
//! - `e <id> <value>|<value>...`: one list of possible values, shared by
//!   every property that has it.
//! - `r <name> <c|b|s> <keys> <parent> <members>`: a config, binding or
//!   statistics resource; its key properties (primary first); for a
//!   binding, the config resource it binds to (the longest `_`-separated
//!   prefix of its name that names one); for an aggregate binding
//!   (`<parent>_binding`), the bindings it gathers.
//! - `p <name> <type> <min length> <max length> <min value> <max value> <enum id>`:
//!   a property of the resource above that some operation sends; type `s`
//!   text, `n` number, `b` boolean, `S`/`N` lists of those, `o` anything.
//! - `o <operation> <method> <payload keys> <args>`: an operation of the
//!   resource above; a key ending in `!` is mandatory.
//!
//! Emitted for the ADC API only (the kit speaks NITRO v1); an emission
//! without one writes the header alone. Deterministic: resources,
//! properties and operations in the IR's sorted order, enumeration lists
//! numbered in order of first use.

use super::header;
use crate::diagnostics::Diagnostic;
use crate::ir::{Api, DataType, Product, Resource, ResourceKind, ALTERNATIVE_ARGS};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Where the rules go, relative to `generated/` (the kit's `src/rules.rs`
/// includes it). The only file the backend writes in the kit's folder
/// ([`super::TESTKIT_DIR`]).
pub const RULES_PATH: &str = "testkit/src/rules.txt";

/// The rules file from the emitted products (`(api, spec path)`).
pub fn rules(products: &[(&Api, &str)], inputs: &[String], diagnostics: &mut Vec<Diagnostic>) -> String {
    const ABOUT: &str = "# NITRO test kit rules (feature `testkit`); format in codegen/src/backend/testkit.rs.\n";
    let Some((api, spec_path)) = products.iter().find(|(api, _)| api.product == Product::Adc) else {
        return format!("{}{ABOUT}", header(inputs, "#"));
    };
    let mut text = format!("{}{ABOUT}", header(&[spec_path.to_string()], "#"));
    let _ = writeln!(text, "v\tadc\t{}", api.release);
    for pair in ALTERNATIVE_ARGS {
        let _ = writeln!(text, "x\t{}", pair.join(","));
    }
    let mut enums: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    let mut enum_lines = String::new();
    let mut body = String::new();
    for resource in api.resources.values() {
        let kind = match resource.kind {
            ResourceKind::Config => "c",
            ResourceKind::Binding => "b",
            ResourceKind::Stat => "s",
        };
        if !clean(&resource.name) || resource.keys.iter().any(|key| !clean(key)) {
            diagnostics.push(note(spec_path, resource, "its name or a key holds a tab, comma or line break; left out of the test kit's rules"));
            continue;
        }
        let parent = match resource.kind {
            ResourceKind::Binding => api.binding_parent(&resource.name).map_or("", |parent| parent.name.as_str()),
            _ => "",
        };
        let members: Vec<&str> = resource
            .properties
            .values()
            .filter_map(|property| match &property.data_type {
                DataType::BindingList(member) if clean(member) => Some(member.as_str()),
                _ => None,
            })
            .collect();
        let _ = writeln!(body, "r\t{}\t{kind}\t{}\t{parent}\t{}", resource.name, resource.keys.join(","), members.join(","));
        if resource.kind == ResourceKind::Stat {
            continue;
        }
        let sent: BTreeSet<&str> = resource
            .operations
            .values()
            .flat_map(|operation| operation.payload.iter().chain(&operation.args))
            .map(|key| key.name.as_str())
            .collect();
        for name in sent {
            let Some(property) = resource.properties.get(name) else { continue };
            if !clean(name) {
                diagnostics.push(note(spec_path, resource, &format!("property `{}` is not a plain name; left out of the test kit's rules", name.escape_debug())));
                continue;
            }
            let kind = match property.data_type {
                DataType::String => "s",
                DataType::Double | DataType::Integer => "n",
                DataType::Boolean => "b",
                DataType::StringList => "S",
                DataType::DoubleList | DataType::IntegerList => "N",
                _ => "o",
            };
            let values = &property.enum_values;
            let enum_id = if values.is_empty() {
                String::new()
            } else if values.iter().any(|value| value.contains(['|', '\t', '\n', '\r'])) {
                diagnostics.push(note(spec_path, resource, &format!("a possible value of `{name}` holds `|`, a tab or a line break; the kit does not check that property's values")));
                String::new()
            } else {
                let next = enums.len();
                let id = *enums.entry(values.clone()).or_insert_with(|| {
                    let _ = writeln!(enum_lines, "e\t{next}\t{}", values.join("|"));
                    next
                });
                id.to_string()
            };
            let number = |value: Option<i64>| value.map(|v| v.to_string()).unwrap_or_default();
            let _ = writeln!(
                body,
                "p\t{name}\t{kind}\t{}\t{}\t{}\t{}\t{enum_id}",
                number(property.min_length),
                number(property.max_length),
                number(property.min_value),
                number(property.max_value)
            );
        }
        for operation in resource.operations.values() {
            let keys = |list: &[crate::ir::PayloadKey]| {
                let names: Vec<String> = list
                    .iter()
                    .filter(|key| clean(&key.name))
                    .map(|key| format!("{}{}", key.name, if key.mandatory { "!" } else { "" }))
                    .collect();
                names.join(",")
            };
            if !clean(&operation.name) {
                continue;
            }
            let _ = writeln!(body, "o\t{}\t{}\t{}\t{}", operation.name, operation.method.as_str(), keys(&operation.payload), keys(&operation.args));
        }
    }
    text.push_str(&enum_lines);
    text.push_str(&body);
    text
}

/// Whether a name can stand in the line format as it is.
fn clean(name: &str) -> bool {
    !name.is_empty() && !name.contains(['\t', '\n', '\r', ',', '!', '|'])
}

fn note(spec_path: &str, resource: &Resource, message: &str) -> Diagnostic {
    Diagnostic::note(crate::ir::Origin { file: spec_path.to_string(), ..Default::default() }, message.to_string()).resource(&resource.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Method, Operation, PayloadKey, Property};

    fn key(name: &str, mandatory: bool) -> PayloadKey {
        PayloadKey { name: name.into(), mandatory }
    }

    #[test]
    fn rules_hold_keys_parents_operations_and_constraints() {
        let mut api = Api { product: Product::Adc, release: "14.1".into(), ..Api::default() };
        let mut vserver = Resource { name: "csvserver".into(), kind: ResourceKind::Config, keys: vec!["name".into()], ..Resource::default() };
        vserver.properties.insert("name".into(), Property { name: "name".into(), min_length: Some(1), max_length: Some(127), ..Property::default() });
        vserver.properties.insert(
            "state".into(),
            Property { name: "state".into(), enum_values: vec!["ENABLED".into(), "DISABLED".into()], ..Property::default() },
        );
        vserver.properties.insert(
            "port".into(),
            Property { name: "port".into(), data_type: DataType::Integer, min_value: Some(1), ..Property::default() },
        );
        vserver.properties.insert("curstate".into(), Property { name: "curstate".into(), ..Property::default() });
        vserver.operations.insert(
            "add".into(),
            Operation { name: "add".into(), method: Method::Post, payload: vec![key("name", true), key("state", false), key("port", false)], ..Operation::default() },
        );
        let binding = Resource {
            name: "csvserver_responderpolicy_binding".into(),
            kind: ResourceKind::Binding,
            keys: vec!["name".into()],
            operations: BTreeMap::from([(
                "delete".into(),
                Operation { name: "delete".into(), method: Method::Delete, args: vec![key("policyname", false)], ..Operation::default() },
            )]),
            ..Resource::default()
        };
        api.resources.insert(vserver.name.clone(), vserver);
        api.resources.insert(binding.name.clone(), binding);
        let mut diagnostics = Vec::new();
        let text = rules(&[(&api, "specs/nitro/adc/14.1.json")], &["specs/nitro/adc/14.1.json".into()], &mut diagnostics);
        let lines: Vec<&str> = text.lines().skip(2).collect();
        assert_eq!(
            lines,
            [
                "v\tadc\t14.1",
                "x\tservername,ip",
                "x\tservicename,servicegroupname",
                "e\t0\tENABLED|DISABLED",
                "r\tcsvserver\tc\tname\t\t",
                "p\tname\ts\t1\t127\t\t\t",
                "p\tport\tn\t\t\t1\t\t",
                "p\tstate\ts\t\t\t\t\t0",
                "o\tadd\tPOST\tname!,state,port\t",
                "r\tcsvserver_responderpolicy_binding\tb\tname\tcsvserver\t",
                "o\tdelete\tDELETE\t\tpolicyname",
            ]
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }
}
