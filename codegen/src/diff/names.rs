//! Matching the entries of two releases by name, through the IR's
//! [`normalise_name`].

use crate::ir::normalise_name;
use std::collections::BTreeMap;

/// Entries of a map keyed by normalised name. Names already in normal form
/// claim their key first; a name whose normal form is taken by another
/// entry of the same release keeps its raw spelling as key, so no entry is
/// ever lost (counts stay exact).
pub(crate) fn by_normal_name<V>(map: &BTreeMap<String, V>) -> BTreeMap<String, (&str, &V)> {
    let mut keyed = BTreeMap::new();
    for (name, value) in map.iter().filter(|(name, _)| normalise_name(name) == name.as_str()) {
        keyed.insert(name.clone(), (name.as_str(), value));
    }
    for (name, value) in map.iter().filter(|(name, _)| normalise_name(name) != name.as_str()) {
        let normal = normalise_name(name).into_owned();
        let key = if keyed.contains_key(&normal) { name.clone() } else { normal };
        keyed.insert(key, (name.as_str(), value));
    }
    keyed
}

/// One entry of two maps matched by normalised name.
pub(crate) enum Pair<'a, V> {
    Old(&'a str, &'a V),
    New(&'a str, &'a V),
    Both { old_name: &'a str, old: &'a V, new_name: &'a str, new: &'a V },
}

/// Matches the entries of two maps by normalised name, in key order.
pub(crate) fn pair<'a, V>(old: &'a BTreeMap<String, V>, new: &'a BTreeMap<String, V>) -> Vec<Pair<'a, V>> {
    let old = by_normal_name(old);
    let mut new = by_normal_name(new);
    let mut pairs = Vec::new();
    for (key, (old_name, old_value)) in old {
        match new.remove(&key) {
            Some((new_name, new_value)) => {
                pairs.push((key, Pair::Both { old_name, old: old_value, new_name, new: new_value }))
            }
            None => pairs.push((key, Pair::Old(old_name, old_value))),
        }
    }
    for (key, (new_name, new_value)) in new {
        pairs.push((key, Pair::New(new_name, new_value)));
    }
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs.into_iter().map(|(_, pair)| pair).collect()
}

/// Values of a list (enum values) by normalised spelling, first spelling
/// wins.
pub(crate) fn value_set(values: &[String]) -> BTreeMap<String, &str> {
    let mut set = BTreeMap::new();
    for value in values {
        set.entry(normalise_name(value).into_owned()).or_insert(value.as_str());
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligature_folds_to_plain_letters() {
        assert_eq!(normalise_name("nsicappro\u{FB01}le"), "nsicapprofile");
        assert_eq!(normalise_name("Interface"), "Interface");
    }

    #[test]
    fn colliding_spellings_keep_both_entries() {
        let map: BTreeMap<String, u8> =
            [("nsicapprofile".to_string(), 1), ("nsicappro\u{FB01}le".to_string(), 2)].into_iter().collect();
        let keyed = by_normal_name(&map);
        assert_eq!(keyed.len(), 2);
        assert_eq!(keyed["nsicapprofile"].1, &1);
    }

    #[test]
    fn case_is_kept_apart() {
        let old: BTreeMap<String, u8> = [("I".to_string(), 1), ("i".to_string(), 2)].into_iter().collect();
        let pairs = pair(&old, &old);
        assert_eq!(pairs.iter().filter(|p| matches!(p, Pair::Both { .. })).count(), 2);
    }
}
