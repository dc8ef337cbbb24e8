//! Derived facts (13.1/14.1) overlaid on a documented release: on our own
//! facts file (`tests/fixtures/facts/`) and a base built here, then on the
//! real files against the 12.1 reference when `../shared` is present.
//! Absence in the facts never removes anything: such items stay, marked
//! with their provenance.

use codegen::frontend::facts::{overlay_errors, read_facts, read_facts_errors};
use codegen::ir::{Access, Api, DataType, ErrorCode, Method, Operation, PayloadKey, Product, Property, Resource, ResourceKind};
use codegen::Severity;
use std::collections::BTreeMap;

fn prop(name: &str, data_type: DataType, access: Access) -> Property {
    Property { name: name.into(), data_type, access, ..Property::default() }
}

/// A small documented "9.8" release.
fn base() -> Api {
    let mut gizmo = Resource { name: "gizmo".into(), kind: ResourceKind::Config, group: "demo".into(), keys: vec!["name".into()], ..Resource::default() };
    let mut name = prop("name", DataType::String, Access::ReadWrite);
    name.min_length = Some(1);
    let mut mode = prop("mode", DataType::String, Access::ReadWrite);
    mode.enum_values = vec!["SLOW".into(), "FAST".into(), "OLDMODE".into()];
    let mut state = prop("state", DataType::String, Access::ReadOnly);
    state.enum_values = vec!["UP".into(), "DOWN".into()];
    for p in [name, mode, prop("ratio", DataType::Double, Access::ReadWrite), state, prop("legacy", DataType::Boolean, Access::ReadWrite)] {
        gizmo.properties.insert(p.name.clone(), p);
    }
    let add = Operation {
        name: "add".into(),
        method: Method::Post,
        path: "/config/gizmo".into(),
        payload: vec![PayloadKey { name: "name".into(), mandatory: true }, PayloadKey { name: "mode".into(), mandatory: false }],
        ..Operation::default()
    };
    let get_all = Operation { name: "get_all".into(), method: Method::Get, path: "/config/gizmo".into(), query: vec!["filter".into()], ..Operation::default() };
    gizmo.operations.insert("add".into(), add);
    gizmo.operations.insert("get_all".into(), get_all);
    let oldthing = Resource {
        name: "oldthing".into(),
        group: "demo".into(),
        properties: [("x".to_string(), prop("x", DataType::String, Access::ReadWrite))].into(),
        ..Resource::default()
    };
    let pageimport = Resource { name: "pageimport".into(), group: "appfw".into(), ..Resource::default() };
    let mut api = Api { product: Product::Adc, release: "9.8".into(), base_path: "/nitro/v1".into(), ..Api::default() };
    for r in [gizmo, oldthing, pageimport] {
        api.resources.insert(r.id(), r);
    }
    for (name, code) in [("DEMOERR_FIRST", 256), ("DEMOERR_OLD", 999)] {
        api.errors.insert(name.into(), ErrorCode { name: name.into(), code: Some(code), section: "alpha".into(), message: None });
    }
    api
}

#[test]
fn overlay_on_a_small_base() {
    let dir = netscaler_tests::fixtures().join("facts");
    let mut lowered = read_facts(&dir.join("adc-9.9.json"), Some(&base()));
    let (errors, error_diagnostics) = read_facts_errors(&dir.join("errors-9.9.json"));
    assert!(error_diagnostics.is_empty());
    overlay_errors(&mut lowered.api, errors);
    let api = &lowered.api;

    assert_eq!(api.release, "9.9");
    assert!(api.source.derived);
    assert_eq!(api.source.overlay_on.as_deref(), Some("9.8"));
    assert_eq!(api.source.provenance.keys().collect::<Vec<_>>(), ["lib-a", "nitro-docs-9.8"]);
    let ids: Vec<&str> = api.resources.keys().map(String::as_str).collect();
    assert_eq!(ids, ["gizmo", "gizmo_part_binding", "oldthing", "pageimport", "stat/gizmo"], "`odd` has an unknown kind");

    // Kept, not removed: a resource and a property the facts do not list.
    let unconfirmed = Some("nitro-docs-9.8 (not confirmed for 9.9)");
    assert_eq!(api.resources["oldthing"].provenance.as_deref(), unconfirmed);
    assert!(api.resources["oldthing"].properties.contains_key("x"));
    let gizmo = &api.resources["gizmo"];
    assert_eq!(gizmo.provenance.as_deref(), Some("lib-a"));
    assert_eq!(gizmo.properties["legacy"].provenance.as_deref(), unconfirmed);
    assert_eq!(gizmo.properties["legacy"].data_type, DataType::Boolean);

    // Corrected, added, merged.
    let p = &gizmo.properties;
    assert_eq!(p["ratio"].data_type, DataType::Integer, "the facts correct a type");
    assert_eq!((p["ratio"].min_value, p["ratio"].max_value, p["ratio"].default.as_deref()), (Some(0), Some(10), Some("3")));
    assert_eq!(p["mode"].enum_values, ["FAST", "SLOW", "TURBO", "OLDMODE"], "facts order, new value added, old value kept last");
    assert_eq!((p["state"].data_type.clone(), p["state"].access), (DataType::String, Access::ReadOnly), "unknown type and permission keep the base's");
    assert_eq!((p["fresh"].data_type.clone(), p["fresh"].access), (DataType::Unknown, Access::ReadOnly), "a new attribute of unknown type");
    assert_eq!(p["name"].mandatory, Some(true));
    assert_eq!(p["name"].provenance.as_deref(), Some("lib-a"));

    // Documented operations win; the others are inferred from conventions.
    let ops = &gizmo.operations;
    assert_eq!(ops["add"].payload.len(), 2, "documented add kept with its payload");
    assert!(!ops["add"].method_inferred);
    assert_eq!(ops["get_all"].query, ["filter"]);
    let inferred: Vec<(&str, Method, &str, Option<&str>)> = ops
        .values()
        .filter(|o| o.method_inferred)
        .map(|o| (o.name.as_str(), o.method, o.path.as_str(), o.action.as_deref()))
        .collect();
    assert_eq!(
        inferred,
        [
            ("action:rename", Method::Post, "/config/gizmo", Some("rename")),
            ("count", Method::Get, "/config/gizmo", None),
            ("delete", Method::Delete, "/config/gizmo/{name}", None),
            ("get", Method::Get, "/config/gizmo/{name}", None),
            ("unset", Method::Post, "/config/gizmo", Some("unset")),
            ("update", Method::Put, "/config/gizmo", None),
        ]
    );
    let binding = &api.resources["gizmo_part_binding"];
    assert_eq!(binding.kind, ResourceKind::Binding);
    assert_eq!(binding.operations["delete"].path, "/config/gizmo_part_binding/{name}");
    assert_eq!(binding.operations["delete"].args, [PayloadKey { name: "part".into(), mandatory: false }], "later keys go in ?args=");
    assert_eq!(binding.operations["add"].method, Method::Put, "bindings are added with PUT");
    assert_eq!(binding.operations["count"].path, "/config/gizmo_part_binding/{name}", "bindings count per parent");
    assert_eq!(binding.operations["get_all"].query, ["bulkbindings"]);
    assert_eq!(ops["get"].query, ["attrs", "view"], "conventional options of a config get");
    let import = &api.resources["pageimport"];
    assert_eq!(import.group, "appfw", "facts group `unknown` keeps the base's");
    assert_eq!(import.operations["action:change"].action.as_deref(), Some("update"), "import resources send change as update");
    assert_eq!(api.resources["stat/gizmo"].operations["get"].path, "/stat/gizmo/{name}");

    // Errors: the facts' rows win, the base's others stay.
    let errors: Vec<(&str, Option<i64>)> = api.errors.values().map(|e| (e.name.as_str(), e.code)).collect();
    assert_eq!(errors, [("DEMOERR_FIRST", Some(256)), ("DEMOERR_NEW", Some(300)), ("DEMOERR_OLD", Some(999)), ("DEMOWARN_SOFT", None)]);

    let messages: Vec<String> = lowered.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(messages.iter().any(|m| m.contains("4 resources from the facts (2 new), 1 kept unconfirmed")), "{messages:#?}");
    insta::assert_debug_snapshot!("facts_overlay_diagnostics", messages);
    insta::assert_json_snapshot!("facts_overlay_api", api);
}

#[test]
fn facts_alone_and_bad_files() {
    let dir = netscaler_tests::fixtures().join("facts");
    let alone = read_facts(&dir.join("adc-9.9.json"), None);
    assert_eq!(alone.api.source.overlay_on, None);
    assert_eq!(alone.api.resources["gizmo"].properties["ratio"].data_type, DataType::Integer);
    assert!(!alone.api.resources.contains_key("oldthing"));
    let missing = read_facts(&dir.join("absent.json"), None);
    assert!(missing.has_errors());
    let not_facts = read_facts(&dir.join("errors-9.9.json"), None);
    assert!(not_facts.diagnostics.iter().any(|d| d.severity == Severity::Error));
}

/// Counts over the real files, against the 12.1 reference (the committed
/// snapshot when present, else the pages read now).
#[test]
fn real_facts_on_12_1() {
    // Absent data fails the test, unless NETSCALER_SKIP_CORPUS=1.
    let Some(shared) = netscaler_tests::shared_root() else { return };
    let snapshot = netscaler_tests::workspace_root().join("specs/nitro/adc/12.1.json");
    let base: Api = match std::fs::read_to_string(&snapshot) {
        Ok(text) => serde_json::from_str(&text).expect("12.1 snapshot"),
        Err(_) => {
            let settings = codegen::frontend::nitro::NitroSettings { product: Product::Adc, release: "12.1".into(), descriptions: false, ..Default::default() };
            codegen::frontend::nitro::read_nitro(&shared.join("nitro-docs/adc/12.1/docs"), &settings).api
        }
    };
    let mut report = BTreeMap::new();
    for release in ["13.1", "14.1"] {
        let facts = read_facts(&shared.join(format!("nitro-facts/adc-{release}.json")), Some(&base));
        assert!(!facts.has_errors(), "{:?}", facts.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect::<Vec<_>>());
        let api = &facts.api;
        let from_facts = |r: &&Resource| r.provenance.as_deref().is_some_and(|p| !p.contains("not confirmed"));
        let new: Vec<&Resource> = api.resources.values().filter(from_facts).filter(|r| !base.resources.contains_key(&r.id())).collect();
        let new_stat = new.iter().filter(|r| r.kind == ResourceKind::Stat).count();
        let kept = api.resources.values().filter(|r| !from_facts(r)).count();
        let properties: usize = api.resources.values().map(|r| r.properties.len()).sum();
        let new_properties: usize = api
            .resources
            .values()
            .filter(from_facts)
            .map(|r| r.properties.keys().filter(|p| !base.resources.get(&r.id()).is_some_and(|b| b.properties.contains_key(*p))).count())
            .sum();
        eprintln!(
            "{release}: {} resources ({} from the facts, {} new: {} config/binding + {new_stat} stat; {kept} kept unconfirmed), {properties} properties ({new_properties} new)",
            api.resources.len(),
            api.resources.values().filter(from_facts).count(),
            new.len(),
            new.len() - new_stat,
        );
        report.insert(release, (new.len() - new_stat, new_stat, api.resources.values().filter(from_facts).count()));
        // Nothing of 12.1 is lost.
        for (id, resource) in &base.resources {
            let kept = &api.resources[id];
            for name in resource.properties.keys() {
                assert!(kept.properties.contains_key(name), "{release}: {id}.{name} lost");
            }
        }
    }
    // As measured by the facts' own cross-check (README): new relative to 12.1.
    assert_eq!(report["14.1"], (156, 14, 1090));
    assert_eq!(report["13.1"], (78, 7, 1448));
}
