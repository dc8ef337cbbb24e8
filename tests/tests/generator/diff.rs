//! Release diff and since-annotations: fixture pairs written by us in
//! tests/fixtures/diff/ (one per kind of input: documented NITRO, derived
//! NITRO, OpenAPI), snapshotted in both output formats, and the committed
//! ADC snapshots in specs/nitro/adc/ checked for internal consistency.

use codegen::diff::{self, Aspect, ChangeKind, ChangeReport, Class, Item, Tally};
use codegen::ir::{release_key, Api};
use std::collections::BTreeSet;

fn fixture(name: &str) -> Api {
    let path = netscaler_tests::fixtures().join("diff").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// added + kept = new and removed + kept = old, for every tally.
fn assert_consistent(report: &ChangeReport, old: &Api, new: &Api) {
    let check = |what: &str, t: &Tally| {
        assert_eq!(t.added + t.kept, t.new, "{what}: added + kept != new ({t:?})");
        assert_eq!(t.removed + t.kept, t.old, "{what}: removed + kept != old ({t:?})");
    };
    check("resources", &report.resources);
    check("properties", &report.properties);
    check("schemas", &report.schemas);
    check("fields", &report.fields);
    check("endpoints", &report.endpoints);
    for (kind, tally) in &report.resources_by_kind {
        check(kind, tally);
    }
    let properties = |api: &Api| api.resources.values().map(|r| r.properties.len()).sum::<usize>();
    assert_eq!(report.resources.old, old.resources.len());
    assert_eq!(report.resources.new, new.resources.len());
    assert_eq!(report.properties.old, properties(old));
    assert_eq!(report.properties.new, properties(new));
    assert_eq!(report.endpoints.old, old.endpoints.len());
    assert_eq!(report.endpoints.new, new.endpoints.len());
    let summary = report.summary;
    assert_eq!(summary.breaking + summary.compatible + summary.documentation_only, report.changes.len());
}

fn kinds(report: &ChangeReport) -> BTreeSet<(Item, ChangeKind, Option<Aspect>)> {
    report.changes.iter().map(|c| (c.item, c.change, c.aspect)).collect()
}

fn classes_of(report: &ChangeReport, owner: &str) -> BTreeSet<Class> {
    report.changes.iter().filter(|c| c.owner == owner).map(|c| c.class).collect()
}

#[test]
fn nitro_fixture_covers_every_change_kind() {
    let (old, new) = (fixture("nitro-old.json"), fixture("nitro-new.json"));
    let report = diff::compare(&old, &new);
    assert_consistent(&report, &old, &new);
    let seen = kinds(&report);
    use {Aspect as A, ChangeKind as K, Item as I};
    for expected in [
        (I::Api, K::Changed, Some(A::BasePath)),
        (I::Resource, K::Added, None),
        (I::Resource, K::Removed, None),
        (I::Resource, K::Changed, Some(A::Keys)),
        (I::Resource, K::Changed, Some(A::Group)),
        (I::Resource, K::Changed, Some(A::Spelling)),
        (I::Resource, K::Changed, Some(A::PropertiesTable)),
        (I::Property, K::Added, None),
        (I::Property, K::Removed, None),
        (I::Property, K::Changed, Some(A::Type)),
        (I::Property, K::Changed, Some(A::Access)),
        (I::Property, K::Changed, Some(A::Enum)),
        (I::Property, K::Changed, Some(A::Default)),
        (I::Property, K::Changed, Some(A::MinValue)),
        (I::Property, K::Changed, Some(A::MaxValue)),
        (I::Property, K::Changed, Some(A::MaxLength)),
        (I::Property, K::Changed, Some(A::Mandatory)),
        (I::EnumValue, K::Added, None),
        (I::EnumValue, K::Removed, None),
        (I::Operation, K::Added, None),
        (I::Operation, K::Removed, None),
        (I::Operation, K::Changed, Some(A::Method)),
    ] {
        assert!(seen.contains(&expected), "fixture lacks {expected:?}");
    }
    // The stub page in the new release is a documentation artefact only.
    assert_eq!(classes_of(&report, "lbmonitor_sslcertkey_binding"), BTreeSet::from([Class::DocumentationOnly]));
    // The ligature spelling matches the plain one: one resource, kept.
    assert!(report.changes.iter().any(|c| c.owner == "nsicapprofile" && c.aspect == Some(Aspect::Spelling)));
    assert!(!report.changes.iter().any(|c| c.owner.contains('\u{FB01}')));
    // 3 config, 1 binding, 1 stat before; config and stat lose one each, and
    // each kind gains one.
    assert_eq!(report.resources, Tally { old: 8, new: 9, kept: 6, added: 3, removed: 2 });
    assert_eq!(report.resources_by_kind["stat"], Tally { old: 2, new: 2, kept: 1, added: 1, removed: 1 });
    insta::assert_snapshot!("nitro_md", diff::markdown(&report));
    insta::assert_snapshot!("nitro_json", diff::json(&report));
}

#[test]
fn derived_fixture_reports_absence_as_not_confirmed() {
    let (old, new) = (fixture("derived-old.json"), fixture("derived-new.json"));
    let report = diff::compare(&old, &new);
    assert_consistent(&report, &old, &new);
    assert_eq!(report.summary.breaking, 0, "absent from a derived snapshot is never breaking");
    let removed_resource = report.changes.iter().find(|c| c.item == Item::Resource && c.change == ChangeKind::Removed);
    assert_eq!(removed_resource.map(|c| c.class), Some(Class::DocumentationOnly));
    // Items carried over with provenance are kept, not removed and re-added.
    assert_eq!(report.properties.kept, 2);
    insta::assert_snapshot!("derived_md", diff::markdown(&report));
    insta::assert_snapshot!("derived_json", diff::json(&report));
}

#[test]
fn openapi_fixture_reports_schemas_fields_and_endpoints() {
    let (old, new) = (fixture("openapi-old.json"), fixture("openapi-new.json"));
    let report = diff::compare(&old, &new);
    assert_consistent(&report, &old, &new);
    assert_eq!(report.schemas, Tally { old: 4, new: 4, kept: 3, added: 1, removed: 1 });
    assert_eq!(report.endpoints, Tally { old: 3, new: 3, kept: 2, added: 1, removed: 1 });
    let seen = kinds(&report);
    use {Aspect as A, ChangeKind as K, Item as I};
    for expected in [
        (I::Schema, K::Added, None),
        (I::Schema, K::Removed, None),
        (I::Schema, K::Changed, Some(A::Shape)),
        (I::Field, K::Added, None),
        (I::Field, K::Removed, None),
        (I::Field, K::Changed, Some(A::Type)),
        (I::Field, K::Changed, Some(A::ReadOnly)),
        (I::EnumValue, K::Added, None),
        (I::EnumValue, K::Removed, None),
        (I::Endpoint, K::Added, None),
        (I::Endpoint, K::Removed, None),
        (I::Endpoint, K::Changed, Some(A::OperationId)),
        (I::Parameter, K::Added, None),
    ] {
        assert!(seen.contains(&expected), "fixture lacks {expected:?}");
    }
    // A new required field or parameter breaks callers; a new optional one does not.
    let class_of = |member: &str| report.changes.iter().find(|c| c.member.as_deref() == Some(member)).map(|c| c.class);
    assert_eq!(class_of("owner"), Some(Class::Breaking));
    assert_eq!(class_of("description"), Some(Class::Compatible));
    assert_eq!(class_of("query:filter"), Some(Class::Breaking));
    assert_eq!(class_of("query:offset"), Some(Class::Compatible));
    insta::assert_snapshot!("openapi_md", diff::markdown(&report));
    insta::assert_snapshot!("openapi_json", diff::json(&report));
}

#[test]
fn output_is_stable_and_json_round_trips() {
    let (old, new) = (fixture("nitro-old.json"), fixture("nitro-new.json"));
    let report = diff::compare(&old, &new);
    assert_eq!(diff::markdown(&report), diff::markdown(&diff::compare(&old, &new)));
    let back: ChangeReport = serde_json::from_str(&diff::json(&report)).expect("report JSON reads back");
    assert_eq!(back, report);
    // Comparing the other way round swaps added and removed.
    let reverse = diff::compare(&new, &old);
    assert_eq!((reverse.resources.added, reverse.resources.removed), (report.resources.removed, report.resources.added));
    assert_eq!((reverse.properties.added, reverse.properties.removed), (report.properties.removed, report.properties.added));
}

#[test]
fn resource_filter_narrows_the_report() {
    let (mut old, mut new) = (fixture("nitro-old.json"), fixture("nitro-new.json"));
    let names = ["lbvserver".to_string()];
    diff::retain_resources(&mut old, &names);
    diff::retain_resources(&mut new, &names);
    let report = diff::compare(&old, &new);
    // The config and the stat resource of that name.
    assert_eq!(report.resources.kept, 2);
    assert!(report.changes.iter().all(|c| c.owner == "lbvserver" || c.owner == "stat/lbvserver" || c.item == Item::Api));
}

/// The committed ADC snapshots (specs/nitro/adc/<release>.json).
fn adc_releases() -> Option<Vec<Api>> {
    let folder = netscaler_tests::workspace_root().join("specs/nitro/adc");
    let mut releases: Vec<Api> = std::fs::read_dir(&folder)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not IR JSON: {e}", path.display()))
        })
        .collect();
    releases.sort_by_key(|api| release_key(&api.release));
    (releases.len() >= 2).then_some(releases)
}

#[test]
fn committed_adc_snapshots_are_consistent_release_to_release() {
    let Some(releases) = adc_releases() else {
        println!("skipped: fewer than two ADC snapshots in specs/nitro/adc (committed separately)");
        return;
    };
    let reports = diff::compare_series(&releases);
    assert_eq!(reports.len(), releases.len() - 1);
    for (pair, report) in releases.windows(2).zip(&reports) {
        assert_consistent(report, &pair[0], &pair[1]);
        // The series only reclassifies: the pair alone has the same changes.
        assert_eq!(report.changes.len(), diff::compare(&pair[0], &pair[1]).changes.len());
        println!(
            "{} -> {}: resources +{} -{}, properties +{} -{}, {} breaking",
            pair[0].release,
            pair[1].release,
            report.resources.added,
            report.resources.removed,
            report.properties.added,
            report.properties.removed,
            report.summary.breaking
        );
    }
    // A resource that vanishes and comes back is never a breaking removal.
    for (at, report) in reports.iter().enumerate() {
        for gone in report.changes.iter().filter(|c| c.item == Item::Resource && c.change == ChangeKind::Removed) {
            let back = reports[at + 1..].iter().flat_map(|r| &r.changes).any(|c| {
                c.item == Item::Resource && c.change == ChangeKind::Added && c.owner == gone.owner
            });
            if back {
                assert_eq!(gone.class, Class::DocumentationOnly, "{} removed in {} and back later", gone.owner, report.new_release);
            }
        }
    }
}

#[test]
fn committed_adc_snapshots_annotate_since() {
    let Some(releases) = adc_releases() else {
        println!("skipped: fewer than two ADC snapshots in specs/nitro/adc (committed separately)");
        return;
    };
    // The documented releases alone (newest: 12.1), then with the derived ones.
    let documented: Vec<Api> = releases.iter().filter(|api| !api.source.derived).cloned().collect();
    check_since(&documented);
    if documented.len() < releases.len() {
        check_since(&releases);
    }
}

/// Every resource of the oldest release that the newest still has is
/// marked since the oldest; nothing else is; properties are never older
/// than their resource; nothing listed as gone is in the newest release.
fn check_since(releases: &[Api]) {
    let (oldest, newest) = (&releases[0], &releases[releases.len() - 1]);
    let annotated = codegen::since::annotate(releases);
    assert_eq!(annotated.api.release, newest.release);
    let mut checked = 0;
    for (id, resource) in &annotated.api.resources {
        let since = resource.since.as_deref().unwrap_or_else(|| panic!("{id} has no since"));
        if oldest.resources.contains_key(id) {
            assert_eq!(since, oldest.release, "{id} is in {} but says since {since}", oldest.release);
            checked += 1;
        } else {
            assert_ne!(since, oldest.release, "{id} is not in {} but says since {since}", oldest.release);
        }
        for (name, property) in &resource.properties {
            let since = property.since.as_deref().unwrap_or_else(|| panic!("{id}.{name} has no since"));
            let rank = |release: &str| release_key(release);
            assert!(rank(since) >= rank(resource.since.as_deref().unwrap_or_default()), "{id}.{name}: property older than its resource");
        }
    }
    assert!(checked > 0, "no resource of {} survives to {}", oldest.release, newest.release);
    for gone in &annotated.removed {
        assert_ne!(gone.last, newest.release, "{gone:?}");
    }
    println!(
        "{} -> {}: {checked} resources marked since {}; {} items gone",
        oldest.release,
        newest.release,
        oldest.release,
        annotated.removed.len()
    );
}
