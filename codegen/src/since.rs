//! Since-annotations: all releases of one product -> the newest release with
//! `since` filled on every resource and property, and `enum_since` on the
//! enum values that are newer than their property. Entry: [`annotate`].
//!
//! Rules:
//! - `since` is the first release (in [`release_key`] order) in which the
//!   item appears. An item that appears, vanishes (a stub page, a derived
//!   snapshot that does not confirm it, or a real removal) and comes back
//!   keeps its first release. Derived snapshots count like any other.
//! - A property first seen on a page that was a stub (no properties table)
//!   in earlier releases gets the release of its first table: we cannot
//!   tell whether it existed before, and claiming too late is harmless
//!   where claiming too early is not.
//! - Names are matched after NFKC normalisation, as in [`crate::diff`].
//! - Items seen in an older release but absent from the newest are not
//!   generated (the crate targets the newest release); they are returned
//!   in [`Annotated::removed`], with the reason they are absent, so the
//!   backend can write a removal note.

use crate::ir::{normalise_name, Item};
use crate::ir::{release_key, Api};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The newest release, annotated, and what older releases had that it
/// lacks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Annotated {
    pub api: Api,
    /// Sorted by resource, property, value.
    pub removed: Vec<Gone>,
}

/// An item of an older release that the newest release lacks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gone {
    /// [`Item::Resource`], [`Item::Property`] or [`Item::EnumValue`]. A
    /// property is listed only when its resource is still there, a value
    /// only when its property is.
    pub item: Item,
    /// Resource id (`lbvserver`, `stat/lbvserver`) as last spelled.
    pub resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// First release that had it.
    pub since: String,
    /// Last release that had it.
    pub last: String,
    pub reason: GoneReason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GoneReason {
    /// The newest release's documentation no longer has it.
    Removed,
    /// Only derived snapshots came after its last release, and they do
    /// not confirm it (a documented release that lacks it makes it
    /// `Removed`).
    NotConfirmed,
    /// The newest release's page has no properties table.
    Undocumented,
}

/// First and last appearance (indices into the sorted releases) and the
/// spelling of the last appearance.
struct Seen {
    first: usize,
    last: usize,
    spelling: String,
}

type ResourceKey = String;
type PropertyKey = (String, String);
type ValueKey = (String, String, String);

/// Annotates the newest of `releases` (any order). Returns an empty
/// [`Annotated`] when `releases` is empty.
pub fn annotate(releases: &[Api]) -> Annotated {
    let mut sorted: Vec<&Api> = releases.iter().collect();
    sorted.sort_by_key(|api| release_key(&api.release));
    let Some(newest) = sorted.last() else {
        return Annotated::default();
    };

    let mut resources: BTreeMap<ResourceKey, Seen> = BTreeMap::new();
    let mut properties: BTreeMap<PropertyKey, Seen> = BTreeMap::new();
    let mut values: BTreeMap<ValueKey, Seen> = BTreeMap::new();
    for (index, api) in sorted.iter().enumerate() {
        for (id, resource) in &api.resources {
            let rid = normal(id);
            see(&mut resources, rid.clone(), index, id);
            for (name, property) in &resource.properties {
                let pid = normal(name);
                see(&mut properties, (rid.clone(), pid.clone()), index, name);
                for value in &property.enum_values {
                    see(&mut values, (rid.clone(), pid.clone(), normal(value)), index, value);
                }
            }
        }
    }

    let label = |index: usize| sorted[index].release.clone();
    let mut api = (*newest).clone();
    for (id, resource) in api.resources.iter_mut() {
        let rid = normal(id);
        resource.since = resources.get(&rid).map(|seen| label(seen.first));
        for (name, property) in resource.properties.iter_mut() {
            let key = (rid.clone(), normal(name));
            let Some(property_first) = properties.get(&key).map(|seen| seen.first) else { continue };
            property.since = Some(label(property_first));
            property.enum_since.clear();
            for value in &property.enum_values {
                let value_key = (key.0.clone(), key.1.clone(), normal(value));
                if let Some(seen) = values.get(&value_key) {
                    if seen.first > property_first {
                        property.enum_since.insert(value.clone(), label(seen.first));
                    }
                }
            }
        }
    }

    let newest_index = sorted.len() - 1;
    // Gone from documentation that came after it, or only from derived
    // snapshots (which leave out what they cannot confirm)?
    let absent = |seen: &Seen| {
        if sorted[seen.last + 1..].iter().all(|api| api.source.derived) {
            GoneReason::NotConfirmed
        } else {
            GoneReason::Removed
        }
    };
    let gone = |item: Item, resource: &str, property: Option<&str>, value: Option<&str>, seen: &Seen, reason| Gone {
        item,
        resource: resource.to_string(),
        property: property.map(str::to_string),
        value: value.map(str::to_string),
        since: label(seen.first),
        last: label(seen.last),
        reason,
    };
    // The newest release's items by normalised name, to find what it lacks.
    let current: BTreeMap<ResourceKey, &crate::ir::Resource> =
        newest.resources.iter().map(|(id, resource)| (normal(id), resource)).collect();
    let mut removed = Vec::new();
    for seen in resources.values().filter(|seen| seen.last != newest_index) {
        removed.push(gone(Item::Resource, &seen.spelling, None, None, seen, absent(seen)));
    }
    for ((rid, _), seen) in &properties {
        let (Some(resource), true) = (current.get(rid), seen.last != newest_index) else { continue };
        let reason = if resource.no_table { GoneReason::Undocumented } else { absent(seen) };
        removed.push(gone(Item::Property, &resource_spelling(&resources, rid), Some(&seen.spelling), None, seen, reason));
    }
    for ((rid, pid, _), seen) in &values {
        let property_now = properties.get(&(rid.clone(), pid.clone())).is_some_and(|p| p.last == newest_index);
        if seen.last == newest_index || !property_now {
            continue;
        }
        let property = &properties[&(rid.clone(), pid.clone())].spelling;
        removed.push(gone(Item::EnumValue, &resource_spelling(&resources, rid), Some(property), Some(&seen.spelling), seen, absent(seen)));
    }
    removed.sort_by(|a, b| (&a.resource, &a.property, &a.value).cmp(&(&b.resource, &b.property, &b.value)));
    Annotated { api, removed }
}

fn normal(name: &str) -> String {
    normalise_name(name).into_owned()
}

fn see<K: Ord>(seen: &mut BTreeMap<K, Seen>, key: K, index: usize, spelling: &str) {
    let entry = seen.entry(key).or_insert(Seen { first: index, last: index, spelling: spelling.to_string() });
    entry.last = index;
    entry.spelling = spelling.to_string();
}

fn resource_spelling(resources: &BTreeMap<ResourceKey, Seen>, rid: &str) -> String {
    resources.get(rid).map_or_else(|| rid.to_string(), |seen| seen.spelling.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Product, Property, Resource, Source};

    /// (resource, [(property, enum values)], no_table)
    type Page<'a> = (&'a str, &'a [(&'a str, &'a [&'a str])], bool);

    fn api(release: &str, resources: &[Page]) -> Api {
        let mut api = Api { product: Product::Adc, release: release.into(), ..Api::default() };
        for (name, props, no_table) in resources {
            let mut resource = Resource { name: name.to_string(), no_table: *no_table, ..Resource::default() };
            for (prop, values) in props.iter() {
                let property = Property {
                    name: prop.to_string(),
                    enum_values: values.iter().map(|v| v.to_string()).collect(),
                    ..Property::default()
                };
                resource.properties.insert(prop.to_string(), property);
            }
            api.resources.insert(resource.id(), resource);
        }
        api
    }

    #[test]
    fn first_appearance_wins_across_stub_gaps_and_any_input_order() {
        let r1 = api("10.5", &[("lbvserver", &[("name", &[]), ("lbmethod", &["ROUNDROBIN"])], false), ("raid", &[("x", &[])], false)]);
        let r2 = api("11.0", &[("lbvserver", &[], true), ("raid", &[], true)]);
        let r3 = api("11.1", &[
            ("lbvserver", &[("name", &[]), ("lbmethod", &["ROUNDROBIN", "LEASTCONNECTION"]), ("newprop", &[])], false),
            ("raid", &[("x", &[])], false),
        ]);
        let annotated = annotate(&[r3, r1, r2]);
        assert_eq!(annotated.api.release, "11.1");
        let lb = &annotated.api.resources["lbvserver"];
        assert_eq!(lb.since.as_deref(), Some("10.5"));
        assert_eq!(lb.properties["name"].since.as_deref(), Some("10.5"));
        assert_eq!(lb.properties["newprop"].since.as_deref(), Some("11.1"));
        let lbmethod = &lb.properties["lbmethod"];
        // Only the value newer than its property is annotated.
        assert_eq!(lbmethod.enum_since.len(), 1);
        assert_eq!(lbmethod.enum_since["LEASTCONNECTION"], "11.1");
        assert_eq!(annotated.api.resources["raid"].properties["x"].since.as_deref(), Some("10.5"));
        assert!(annotated.removed.is_empty());
    }

    #[test]
    fn items_missing_from_the_newest_release_are_listed_with_a_reason() {
        let r1 = api("12.0", &[
            ("gone", &[("a", &[])], false),
            ("kept", &[("dropped", &[]), ("mode", &["A", "B"])], false),
            ("stub", &[("hidden", &[])], false),
        ]);
        let r2 = api("12.1", &[("kept", &[("mode", &["A"])], false), ("stub", &[], true)]);
        let annotated = annotate(&[r1, r2]);
        type Listed<'a> = (Item, &'a str, Option<&'a str>, Option<&'a str>, GoneReason);
        let listed: Vec<Listed> = annotated
            .removed
            .iter()
            .map(|g| (g.item, g.resource.as_str(), g.property.as_deref(), g.value.as_deref(), g.reason))
            .collect();
        assert_eq!(
            listed,
            [
                (Item::Resource, "gone", None, None, GoneReason::Removed),
                (Item::Property, "kept", Some("dropped"), None, GoneReason::Removed),
                (Item::EnumValue, "kept", Some("mode"), Some("B"), GoneReason::Removed),
                (Item::Property, "stub", Some("hidden"), None, GoneReason::Undocumented),
            ]
        );
        assert!(annotated.removed.iter().all(|g| g.since == "12.0" && g.last == "12.0"));
    }

    #[test]
    fn derived_newest_release_does_not_remove() {
        let r1 = api("12.1", &[("a", &[], false), ("b", &[], false)]);
        let mut r2 = api("13.1", &[("a", &[], false), ("c", &[], false)]);
        r2.source = Source { derived: true, ..Source::default() };
        let annotated = annotate(&[r1, r2]);
        assert_eq!(annotated.api.resources["c"].since.as_deref(), Some("13.1"));
        assert_eq!(annotated.removed.len(), 1);
        assert_eq!(annotated.removed[0].reason, GoneReason::NotConfirmed);
    }

    #[test]
    fn gone_before_the_derived_release_is_removed() {
        // `old` left the documentation in 12.1; the derived 13.1 cannot be
        // what dropped it.
        let r1 = api("12.0", &[("a", &[], false), ("old", &[], false)]);
        let r2 = api("12.1", &[("a", &[], false)]);
        let mut r3 = api("13.1", &[("a", &[], false)]);
        r3.source = Source { derived: true, ..Source::default() };
        let annotated = annotate(&[r1, r2, r3]);
        assert_eq!(annotated.removed.len(), 1);
        assert_eq!((annotated.removed[0].resource.as_str(), annotated.removed[0].reason), ("old", GoneReason::Removed));
    }

    #[test]
    fn ligature_spelling_matches_plain_spelling() {
        let r1 = api("12.0", &[("nsicappro\u{FB01}le", &[], false)]);
        let r2 = api("12.1", &[("nsicapprofile", &[], false)]);
        let annotated = annotate(&[r1, r2]);
        assert_eq!(annotated.api.resources["nsicapprofile"].since.as_deref(), Some("12.0"));
        assert!(annotated.removed.is_empty());
    }

    #[test]
    fn no_releases_gives_an_empty_result() {
        assert_eq!(annotate(&[]), Annotated::default());
    }
}
