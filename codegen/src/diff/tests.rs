//! Classification rules, one small inline pair of releases each.

use super::*;
use crate::ir::{Access, DataType, Method, Operation, Property, Resource, ResourceKind, Source};

fn property(name: &str) -> Property {
    Property { name: name.into(), ..Property::default() }
}

fn resource(name: &str, properties: Vec<Property>) -> Resource {
    Resource {
        name: name.into(),
        group: "lb".into(),
        properties: properties.into_iter().map(|p| (p.name.clone(), p)).collect(),
        ..Resource::default()
    }
}

fn api(release: &str, resources: Vec<Resource>) -> Api {
    Api {
        release: release.into(),
        base_path: "/nitro/v1".into(),
        resources: resources.into_iter().map(|r| (r.id(), r)).collect(),
        ..Api::default()
    }
}

/// Compares one property before and after; returns (class, aspect) of
/// each change.
fn property_change(old: Property, new: Property) -> Vec<(Class, Option<Aspect>)> {
    let report = compare(&api("1.0", vec![resource("r", vec![old])]), &api("2.0", vec![resource("r", vec![new])]));
    report.changes.iter().map(|c| (c.class, c.aspect)).collect()
}

#[test]
fn identical_releases_have_no_changes() {
    let one = api("1.0", vec![resource("lbvserver", vec![property("name")])]);
    let report = compare(&one, &one);
    assert!(report.changes.is_empty());
    assert_eq!(report.resources, Tally { old: 1, new: 1, kept: 1, added: 0, removed: 0 });
}

#[test]
fn removed_is_breaking_and_added_is_compatible() {
    let old = api("1.0", vec![resource("a", vec![property("x"), property("y")]), resource("gone", vec![property("z")])]);
    let new = api("2.0", vec![resource("a", vec![property("x"), property("w")]), resource("new", vec![])]);
    let report = compare(&old, &new);
    let classes: Vec<(Item, ChangeKind, Class)> = report.changes.iter().map(|c| (c.item, c.change, c.class)).collect();
    assert!(classes.contains(&(Item::Resource, ChangeKind::Removed, Class::Breaking)));
    assert!(classes.contains(&(Item::Resource, ChangeKind::Added, Class::Compatible)));
    assert!(classes.contains(&(Item::Property, ChangeKind::Removed, Class::Breaking)));
    assert!(classes.contains(&(Item::Property, ChangeKind::Added, Class::Compatible)));
    // Properties of the removed resource count as removed properties.
    assert_eq!(report.properties, Tally { old: 3, new: 2, kept: 1, added: 1, removed: 2 });
    assert_eq!(report.resources, Tally { old: 2, new: 2, kept: 1, added: 1, removed: 1 });
}

#[test]
fn type_changes_are_breaking_including_integer_to_double() {
    let typed = |t: DataType| Property { data_type: t, ..property("p") };
    assert_eq!(property_change(typed(DataType::String), typed(DataType::StringList)), [(Class::Breaking, Some(Aspect::Type))]);
    assert_eq!(property_change(typed(DataType::Integer), typed(DataType::Double)), [(Class::Breaking, Some(Aspect::Type))]);
}

#[test]
fn read_write_to_read_only_is_breaking_and_the_reverse_compatible() {
    let with = |access: Access| Property { access, ..property("p") };
    assert_eq!(property_change(with(Access::ReadWrite), with(Access::ReadOnly)), [(Class::Breaking, Some(Aspect::Access))]);
    assert_eq!(property_change(with(Access::ReadOnly), with(Access::ReadWrite)), [(Class::Compatible, Some(Aspect::Access))]);
}

#[test]
fn enum_values_added_compatible_removed_breaking_new_enum_breaking() {
    let with = |values: &[&str]| Property { enum_values: values.iter().map(|v| v.to_string()).collect(), ..property("p") };
    let report = compare(
        &api("1.0", vec![resource("r", vec![with(&["A", "B"])])]),
        &api("2.0", vec![resource("r", vec![with(&["A", "C"])])]),
    );
    let values: Vec<(ChangeKind, Class, Option<&str>, Option<&str>)> =
        report.changes.iter().map(|c| (c.change, c.class, c.old.as_deref(), c.new.as_deref())).collect();
    assert_eq!(values, [(ChangeKind::Added, Class::Compatible, None, Some("C")), (ChangeKind::Removed, Class::Breaking, Some("B"), None)]);
    assert_eq!(property_change(with(&[]), with(&["A"])), [(Class::Breaking, Some(Aspect::Enum))]);
}

#[test]
fn narrowed_ranges_break_and_widened_ones_do_not() {
    let range = |min: Option<i64>, max: Option<i64>| Property { min_value: min, max_value: max, ..property("p") };
    assert_eq!(property_change(range(Some(1), Some(100)), range(Some(2), Some(100))), [(Class::Breaking, Some(Aspect::MinValue))]);
    assert_eq!(property_change(range(Some(1), Some(100)), range(Some(0), Some(200))), [
        (Class::Compatible, Some(Aspect::MinValue)),
        (Class::Compatible, Some(Aspect::MaxValue))
    ]);
    assert_eq!(property_change(range(None, None), range(None, Some(5))), [(Class::Breaking, Some(Aspect::MaxValue))]);
    assert_eq!(property_change(range(None, Some(5)), range(None, None)), [(Class::Compatible, Some(Aspect::MaxValue))]);
    let length = |max: Option<i64>| Property { max_length: max, ..property("p") };
    assert_eq!(property_change(length(Some(127)), length(Some(63))), [(Class::Breaking, Some(Aspect::MaxLength))]);
}

#[test]
fn default_changes_are_compatible() {
    let with = |default: Option<&str>| Property { default: default.map(str::to_string), ..property("p") };
    assert_eq!(property_change(with(Some("ON")), with(Some("OFF"))), [(Class::Compatible, Some(Aspect::Default))]);
}

#[test]
fn mandatory_flags() {
    let with = |mandatory: Option<bool>| Property { mandatory, ..property("p") };
    assert_eq!(property_change(with(Some(false)), with(Some(true))), [(Class::Breaking, Some(Aspect::Mandatory))]);
    assert_eq!(property_change(with(Some(true)), with(Some(false))), [(Class::Compatible, Some(Aspect::Mandatory))]);
    // Markers exist only from 12.0-FR4 on: unknown -> mandatory is documentation.
    assert_eq!(property_change(with(None), with(Some(true))), [(Class::DocumentationOnly, Some(Aspect::Mandatory))]);
    assert_eq!(property_change(with(None), with(Some(false))), []);
}

#[test]
fn a_new_mandatory_property_breaks_add_calls() {
    let old = api("1.0", vec![resource("r", vec![property("a")])]);
    let new = api("2.0", vec![resource("r", vec![property("a"), Property { mandatory: Some(true), ..property("b") }])]);
    assert_eq!(compare(&old, &new).changes[0].class, Class::Breaking);
}

#[test]
fn stub_page_is_documentation_only_not_a_mass_removal() {
    let mut full = resource("lbvserver_service_binding", vec![property("name"), property("servicename")]);
    full.keys = vec!["name".into()];
    full.operations.insert("add".into(), Operation { name: "add".into(), method: Method::Put, ..Operation::default() });
    // A stub has no table, no operations, hence no keys either.
    let stub = Resource { no_table: true, properties: Default::default(), operations: Default::default(), keys: vec![], ..full.clone() };
    let report = compare(&api("10.5", vec![full.clone()]), &api("11.0", vec![stub.clone()]));
    assert_eq!(report.summary.breaking, 0, "{:#?}", report.changes);
    // Table, keys, two properties, one operation.
    assert_eq!(report.summary.documentation_only, 5);
    assert_eq!(report.properties, Tally { old: 2, new: 0, kept: 0, added: 0, removed: 2 });
    let back = compare(&api("11.0", vec![stub]), &api("11.1", vec![full]));
    assert_eq!(back.summary.compatible + back.summary.breaking, 0, "{:#?}", back.changes);
    assert_eq!(back.summary.documentation_only, 5);
}

#[test]
fn derived_snapshot_absence_is_not_confirmed_not_removed() {
    let old = api("12.1", vec![resource("a", vec![property("x"), property("y")]), resource("b", vec![])]);
    let mut new = api("13.1", vec![resource("a", vec![Property { provenance: Some("overlay".into()), ..property("x") }])]);
    new.source = Source { derived: true, ..Source::default() };
    let report = compare(&old, &new);
    assert_eq!(report.summary.breaking, 0, "{:#?}", report.changes);
    assert!(report.changes.iter().all(|c| c.note.as_deref() == Some(NOT_CONFIRMED_NEW)));
    // The carried property is kept, not re-added.
    assert_eq!(report.properties.kept, 1);
    // Against a derived old snapshot, an addition is compatible but may be older.
    let back = compare(&new, &old);
    assert!(back.changes.iter().all(|c| c.class == Class::Compatible && c.note.as_deref() == Some(MAYBE_OLDER)), "{:#?}", back.changes);
    // An unknown type in derived data is not a type change.
    let typed = |t: DataType| Property { data_type: t, ..property("p") };
    let mut unknown = api("13.1", vec![resource("r", vec![typed(DataType::Unknown)])]);
    unknown.source.derived = true;
    let report = compare(&api("12.1", vec![resource("r", vec![typed(DataType::Double)])]), &unknown);
    assert_eq!(report.changes[0].class, Class::DocumentationOnly);
}

#[test]
fn ligature_spelling_is_not_a_removal() {
    let old = api("12.0", vec![resource("nsicappro\u{FB01}le", vec![property("name")])]);
    let new = api("12.1", vec![resource("nsicapprofile", vec![property("name")])]);
    let report = compare(&old, &new);
    assert_eq!(report.resources.kept, 1);
    assert_eq!(report.changes.len(), 1);
    assert_eq!((report.changes[0].class, report.changes[0].aspect), (Class::DocumentationOnly, Some(Aspect::Spelling)));
}

#[test]
fn keys_base_path_and_operations() {
    let op = |name: &str, method: Method| Operation { name: name.into(), method, path: "/config/r".into(), ..Operation::default() };
    let mut old_r = resource("r", vec![]);
    old_r.keys = vec!["name".into()];
    old_r.operations = [op("add", Method::Post), op("action:enable", Method::Post)].into_iter().map(|o| (o.name.clone(), o)).collect();
    let mut new_r = resource("r", vec![]);
    new_r.keys = vec!["name".into(), "port".into()];
    new_r.operations = [op("add", Method::Put), op("action:disable", Method::Post)].into_iter().map(|o| (o.name.clone(), o)).collect();
    let old = api("1.0", vec![old_r]);
    let mut new = api("2.0", vec![new_r]);
    new.base_path = "/nitro/v2".into();
    let report = compare(&old, &new);
    let got: Vec<(Item, ChangeKind, Option<Aspect>, Class)> = report.changes.iter().map(|c| (c.item, c.change, c.aspect, c.class)).collect();
    assert_eq!(got, [
        (Item::Api, ChangeKind::Changed, Some(Aspect::BasePath), Class::Breaking),
        (Item::Resource, ChangeKind::Changed, Some(Aspect::Keys), Class::Breaking),
        (Item::Operation, ChangeKind::Added, None, Class::Compatible),
        (Item::Operation, ChangeKind::Removed, None, Class::Breaking),
        (Item::Operation, ChangeKind::Changed, Some(Aspect::Method), Class::Breaking),
    ]);
}

#[test]
fn counts_per_kind_add_up() {
    let stat = Resource { kind: ResourceKind::Stat, ..resource("lbvserver", vec![property("hits")]) };
    let old = api("1.0", vec![resource("lbvserver", vec![property("name")]), stat.clone()]);
    let new = api("2.0", vec![resource("lbvserver", vec![property("name")])]);
    let report = compare(&old, &new);
    assert_eq!(report.resources_by_kind["stat"], Tally { old: 1, new: 0, kept: 0, added: 0, removed: 1 });
    assert_eq!(report.resources_by_kind["config"], Tally { old: 1, new: 1, kept: 1, added: 0, removed: 0 });
    assert_eq!(report.changes[0].owner, "stat/lbvserver");
}

#[test]
fn an_action_left_out_of_a_url_is_documentation_only() {
    let op = |action: Option<&str>| Operation {
        name: "action:Install".into(),
        method: Method::Post,
        path: "/config/wfpackage".into(),
        action: action.map(str::to_string),
        ..Operation::default()
    };
    let with = |operation: Operation| {
        let mut r = resource("wfpackage", vec![]);
        r.operations.insert(operation.name.clone(), operation);
        r
    };
    let report = compare(&api("11.0", vec![with(op(Some("Install")))]), &api("11.1", vec![with(op(None))]));
    assert_eq!((report.changes[0].aspect, report.changes[0].class), (Some(Aspect::Path), Class::DocumentationOnly));
    let mut moved = op(Some("Install"));
    moved.path = "/config/wfpackage2".into();
    let report = compare(&api("11.0", vec![with(op(Some("Install")))]), &api("11.1", vec![with(moved)]));
    assert_eq!(report.changes[0].class, Class::Breaking);
}
