//! Consecutive releases: one report per pair, with documentation gaps
//! (an item absent from some releases between two that have it) told
//! apart from removals.

use super::{compare, normalise_name, summarise, ChangeKind, ChangeReport, Class, Item};
use crate::ir::{release_key, Api};
use std::collections::HashMap;

/// Compares each release with the next, in [`release_key`] order (input in
/// any order). An item (resource, property, enum value, operation, schema,
/// field, endpoint, parameter) removed in one report and added back in a
/// later one was absent from the releases in between only: both changes
/// become documentation only, noting those releases. Counts are untouched.
pub fn compare_series(releases: &[Api]) -> Vec<ChangeReport> {
    let mut sorted: Vec<&Api> = releases.iter().collect();
    sorted.sort_by_key(|api| release_key(&api.release));
    let pairs: Vec<&[&Api]> = sorted.windows(2).collect();
    let mut reports: Vec<ChangeReport> = crate::parallel::map(&pairs, |pair| compare(pair[0], pair[1]));
    // Per report, where each item was first added (a lookup, not a scan
    // of every later report for every removal).
    let added: Vec<HashMap<GapKey, usize>> = reports
        .iter()
        .map(|report| {
            let mut first = HashMap::new();
            for (position, c) in report.changes.iter().enumerate() {
                if c.change == ChangeKind::Added {
                    first.entry(gap_key(c.item, &c.owner, &c.member, &c.new)).or_insert(position);
                }
            }
            first
        })
        .collect();
    for gone_at in 0..reports.len() {
        for index in 0..reports[gone_at].changes.len() {
            let removed = &reports[gone_at].changes[index];
            if removed.change != ChangeKind::Removed || removed.class == Class::DocumentationOnly {
                continue;
            }
            let key = gap_key(removed.item, &removed.owner, &removed.member, &removed.old);
            let back = (gone_at + 1..reports.len()).find_map(|back_at| added[back_at].get(&key).map(|position| (back_at, *position)));
            let Some((back_at, position)) = back else { continue };
            let missing: Vec<&str> = sorted[gone_at + 1..=back_at].iter().map(|api| api.release.as_str()).collect();
            let note = format!("documentation gap: absent from {} only", missing.join(", "));
            for (at, position) in [(back_at, position), (gone_at, index)] {
                let change = &mut reports[at].changes[position];
                change.class = Class::DocumentationOnly;
                change.note = Some(note.clone());
            }
        }
    }
    reports.iter_mut().for_each(summarise);
    reports
}

/// What identifies an item across reports: kind, owner, member, and for
/// enum values the value itself (other items carry a summary there).
type GapKey = (Item, String, Option<String>, Option<String>);

fn gap_key(item: Item, owner: &str, member: &Option<String>, value: &Option<String>) -> GapKey {
    let value = if item == Item::EnumValue { value.as_deref().map(|v| normalise_name(v).into_owned()) } else { None };
    (item, normalise_name(owner).into_owned(), member.as_deref().map(|m| normalise_name(m).into_owned()), value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Property, Resource};

    fn api(release: &str, names: &[&str]) -> Api {
        let mut api = Api { release: release.into(), ..Api::default() };
        for name in names {
            let mut resource = Resource { name: name.to_string(), ..Resource::default() };
            resource.properties.insert("p".into(), Property { name: "p".into(), ..Property::default() });
            api.resources.insert(name.to_string(), resource);
        }
        api
    }

    #[test]
    fn an_item_missing_from_one_release_is_a_documentation_gap() {
        let reports = compare_series(&[api("11.1", &["raid", "ns"]), api("10.5", &["raid", "ns", "old"]), api("11.0", &["ns"])]);
        assert_eq!(reports.len(), 2);
        assert_eq!((reports[0].old_release.as_str(), reports[1].new_release.as_str()), ("10.5", "11.1"));
        let raid_gone = reports[0].changes.iter().find(|c| c.owner == "raid").unwrap();
        let raid_back = reports[1].changes.iter().find(|c| c.owner == "raid").unwrap();
        for change in [raid_gone, raid_back] {
            assert_eq!(change.class, Class::DocumentationOnly);
            assert_eq!(change.note.as_deref(), Some("documentation gap: absent from 11.0 only"));
        }
        // A real removal stays breaking, and the summaries follow.
        assert_eq!(reports[0].changes.iter().find(|c| c.owner == "old").unwrap().class, Class::Breaking);
        assert_eq!((reports[0].summary.breaking, reports[0].summary.documentation_only), (1, 1));
        assert_eq!((reports[1].summary.compatible, reports[1].summary.documentation_only), (0, 1));
        // Counts are item counts and do not change.
        assert_eq!(reports[0].resources.removed, 2);
    }
}
