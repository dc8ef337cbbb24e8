//! Index: every Rust name of a product's module tree, decided before any
//! code is emitted, so a field can name a type in another group and the
//! manifest can list the features a group needs.
//!
//! Per product (`adc`, `adm`): one module and one Cargo feature per NITRO
//! group; per module one scope of type names (resource structs first, then
//! one enum per property with possible values).

use super::docs;
use super::naming::{self, Case, Rename, Scope};
use crate::diagnostics::Diagnostic;
use crate::ir::{Api, DataType, Item, Origin, Product, Resource, ResourceKind};
use crate::since::{Gone, GoneReason};
use std::collections::{BTreeMap, BTreeSet};

/// The names of one product's generated modules.
pub struct ProductIndex<'a> {
    pub api: &'a Api,
    /// `adc` or `adm`: the module under `src/`.
    pub module: &'static str,
    /// The IR snapshot this product was emitted from, relative to the
    /// workspace root (for headers).
    pub spec_path: String,
    /// Group wire name -> its module and feature.
    pub groups: BTreeMap<String, GroupInfo>,
    /// Resource id -> its Rust names.
    pub types: BTreeMap<String, TypeInfo>,
    /// The oldest `since` release in the API: the oldest release read.
    /// Docs leave out a `since` equal to it, which says only "this old or
    /// older".
    pub oldest_since: Option<String>,
    /// What older releases had and this one lacks (empty unless the
    /// emission was given the series), sorted by resource, property,
    /// value.
    pub removed: &'a [Gone],
}

/// `` `name` (`10.5`–`12.1`) ``: a gone item and the releases that had it.
pub fn gone_entry(name: &str, gone: &Gone) -> String {
    let releases = if gone.since == gone.last {
        docs::code(&gone.last)
    } else {
        format!("{}–{}", docs::code(&gone.since), docs::code(&gone.last))
    };
    format!("{} ({releases})", docs::code(name))
}

/// Why an item is absent from the newest release, in a few words.
pub fn gone_reason(reason: GoneReason) -> &'static str {
    match reason {
        GoneReason::Removed => "removed",
        GoneReason::NotConfirmed => "not confirmed by the derived facts",
        GoneReason::Undocumented => "not documented (no properties table)",
    }
}

impl ProductIndex<'_> {
    /// Items of `removed` of one kind and resource.
    pub fn gone<'g>(&'g self, item: Item, resource: &'g str) -> impl Iterator<Item = &'g Gone> + 'g {
        self.removed.iter().filter(move |gone| gone.item == item && gone.resource == resource)
    }

    /// `` `a` (`10.5`–`12.1`), `b` (`12.0`) (removed) `` for the gone
    /// items, grouped by reason: the text of a removal note.
    pub fn gone_note<'g>(&self, items: impl IntoIterator<Item = (&'g str, &'g Gone)>) -> Option<String> {
        let mut by_reason: BTreeMap<GoneReason, Vec<String>> = BTreeMap::new();
        for (name, gone) in items {
            by_reason.entry(gone.reason).or_default().push(gone_entry(name, gone));
        }
        let parts: Vec<String> =
            by_reason.into_iter().map(|(reason, entries)| format!("{} ({})", entries.join(", "), gone_reason(reason))).collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

impl ProductIndex<'_> {
    /// ADM on `/nitro/v2` (the runtime's `Api::AdmV2`).
    pub fn is_adm_v2(&self) -> bool {
        self.api.product == Product::Adm && self.api.base_path.trim_end_matches('/').ends_with("/v2")
    }

    /// A `since` worth stating: newer than the oldest release read.
    pub fn since_note<'s>(&self, since: Option<&'s String>) -> Option<&'s str> {
        since.filter(|since| Some(*since) != self.oldest_since.as_ref()).map(String::as_str)
    }
}

pub struct GroupInfo {
    /// Module name under the product module (`lb`).
    pub module: String,
    /// Cargo feature that gates the module (`lb`, `adm-device`).
    pub feature: String,
    /// Resource ids of the group, sorted.
    pub resources: Vec<String>,
    /// Other groups whose types this group's types refer to.
    pub needs: BTreeSet<String>,
}

pub struct TypeInfo {
    pub group: String,
    /// Struct name (`Lbvserver`, `LbvserverStats`).
    pub ident: String,
    /// Property wire name -> the enum of its values, for properties with
    /// possible values. One enum per distinct list of values in a group.
    pub enums: BTreeMap<String, String>,
    /// Properties whose enum an earlier property of the group defines
    /// (its first user, in resource and property order).
    pub enum_defined_elsewhere: BTreeSet<String>,
    /// Property wire name -> every property (`resource.property`) whose
    /// values its enum holds, for the properties that define an enum.
    pub enum_users: BTreeMap<String, Vec<String>>,
}

/// The group the derived facts give a resource they do not place.
const UNGROUPED_IN_FACTS: &str = "unknown";

/// A distinct list of possible values in a group and the properties
/// (resource id, property) that take it.
struct ValueSet<'a> {
    values: &'a Vec<String>,
    users: Vec<(String, String)>,
}

/// Most values a set may have to be named after its values (`OnOff`,
/// `EnabledDisabled`, `YesNoAuto`).
const NAMED_BY_VALUES: usize = 3;

/// The name of a value set's enum: `{Struct}{Property}` when one property
/// uses it (`LbvserverLbmethod`); when several do, a name that belongs to
/// none of them: its values when it has few (`OnOff`, `EnabledDisabled`),
/// else the property name most of its users share (`Servicetype`).
fn enum_plain_name(set: &ValueSet, struct_names: &BTreeMap<String, String>) -> String {
    if let [(id, property)] = set.users.as_slice() {
        return format!("{}{}", struct_names[id], naming::camel_part(property));
    }
    let mut distinct: Vec<&String> = Vec::new();
    for value in set.values {
        if !distinct.contains(&value) {
            distinct.push(value);
        }
    }
    let parts: Vec<String> = distinct.iter().map(|value| naming::camel_part(value)).collect();
    if parts.len() <= NAMED_BY_VALUES && parts.iter().all(|part| part.starts_with(|c: char| c.is_ascii_alphabetic())) {
        return parts.concat();
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, property) in &set.users {
        *counts.entry(property.as_str()).or_default() += 1;
    }
    let most = counts.iter().max_by_key(|(name, count)| (**count, std::cmp::Reverse(**name))).map(|(name, _)| *name).unwrap_or("value");
    naming::camel_part(most)
}

impl ProductIndex<'_> {
    /// The path of a resource's struct as written inside `from_group`'s
    /// module: a bare name in its own module, a `crate::` path otherwise.
    pub fn type_path(&self, resource_id: &str, from_group: &str) -> Option<String> {
        let info = self.types.get(resource_id)?;
        if info.group == from_group {
            Some(info.ident.clone())
        } else {
            Some(format!("crate::{}::{}::{}", self.module, self.groups[&info.group].module, info.ident))
        }
    }
}

/// Whether a property's values become an enum: strings and string lists
/// with possible values.
pub fn has_enum(data_type: &DataType, values: &[String]) -> bool {
    !values.is_empty() && matches!(data_type, DataType::String | DataType::StringList)
}

/// The resource a property refers to (`BindingList`, `Object`,
/// `ObjectList`), as a resource id.
pub fn referenced_resource(data_type: &DataType) -> Option<&str> {
    match data_type {
        DataType::BindingList(name) | DataType::Object(name) | DataType::ObjectList(name) => Some(name),
        _ => None,
    }
}

pub fn build<'a>(api: &'a Api, diagnostics: &mut Vec<Diagnostic>) -> ProductIndex<'a> {
    // Only NITRO products have resources; `emit` calls this for ADC and ADM.
    let module: &'static str = match api.product {
        Product::Adm => "adm",
        _ => "adc",
    };
    let spec_path = format!("specs/nitro/{}/{}.json", api.product.as_str(), api.release);

    // Groups -> module names (one scope per product) and features.
    let mut by_group: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, resource) in &api.resources {
        by_group.entry(group_name(resource)).or_default().push(id.clone());
    }
    let (modules, renames) = Scope::new(Case::Snake).resolve(by_group.keys().map(String::as_str));
    for rename in renames {
        diagnostics.push(rename_note(&Origin { file: spec_path.clone(), ..Origin::default() }, None, "group", &rename));
    }
    let mut groups = BTreeMap::new();
    for (group, resources) in by_group {
        let module_name = modules[&group].clone();
        let feature = feature_name(api.product, &module_name);
        groups.insert(group, GroupInfo { module: module_name, feature, resources, needs: BTreeSet::new() });
    }

    // Type names: one scope per group module. Structs first, so an enum
    // never takes a struct's name.
    let mut types = BTreeMap::new();
    for (group, info) in &groups {
        let resources: Vec<&Resource> = info.resources.iter().map(|id| &api.resources[id]).collect();
        let structs = Scope::new(Case::Camel).reserve_all(naming::reserved_types());
        let (struct_names, renames) =
            structs.resolve_with(info.resources.iter().map(String::as_str), |id| struct_plain_name(&api.resources[id]));
        for rename in renames {
            let resource = &api.resources[&rename.wire];
            diagnostics.push(rename_note(&resource.origin, Some(&resource.name), "type", &rename));
        }
        // One enum per distinct list of values (and value `since`s) in a
        // group, whichever properties use it: hundreds of properties share
        // `ENABLED`/`DISABLED`, and each enum costs a dozen trait impls to
        // compile. Its users, in resource and property order.
        let mut value_sets: Vec<ValueSet> = Vec::new();
        let mut set_of: BTreeMap<(&Vec<String>, &BTreeMap<String, String>), usize> = BTreeMap::new();
        for resource in &resources {
            for property in resource.properties.values() {
                if !has_enum(&property.data_type, &property.enum_values) {
                    continue;
                }
                let next = value_sets.len();
                let at = *set_of.entry((&property.enum_values, &property.enum_since)).or_insert(next);
                if at == next {
                    value_sets.push(ValueSet { values: &property.enum_values, users: Vec::new() });
                }
                value_sets[at].users.push((resource.id(), property.name.clone()));
            }
        }
        let enums_scope = Scope::new(Case::Camel)
            .reserve_all(naming::reserved_types())
            .reserve_all(struct_names.values().map(String::as_str));
        // A name two shared sets would take (`Servicetype` for two lists
        // of service types) goes to the one with the most users (then the
        // first); the others are named after their first user
        // (`GslbserviceServicetype`).
        let mut plain_names: Vec<String> = value_sets.iter().map(|set| enum_plain_name(set, &struct_names)).collect();
        let mut by_users: Vec<usize> = (0..value_sets.len()).filter(|&i| value_sets[i].users.len() > 1).collect();
        by_users.sort_by_key(|&i| (std::cmp::Reverse(value_sets[i].users.len()), i));
        let mut claimed: BTreeSet<String> = BTreeSet::new();
        for i in by_users {
            if !claimed.insert(plain_names[i].clone()) {
                let (id, property) = &value_sets[i].users[0];
                plain_names[i] = format!("{}{}", struct_names[id], naming::camel_part(property));
            }
        }
        // Keyed by the set's index; a set stands for its first user's
        // property name.
        let (enum_names, renames) =
            enums_scope.resolve_keys(0..value_sets.len(), |&set| plain_names[set].clone(), |&set| value_sets[set].users[0].1.clone());
        for (set, rename) in renames {
            let (id, property) = &value_sets[set].users[0];
            let resource = &api.resources[id];
            let origin = Origin { row: resource.properties[property].row, ..resource.origin.clone() };
            diagnostics.push(rename_note(&origin, Some(&resource.name), "enum of property", &rename));
        }
        let mut enum_of: BTreeMap<(String, String), (String, bool)> = BTreeMap::new();
        let mut users_of: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for (at, set) in value_sets.iter().enumerate() {
            let name = &enum_names[&at];
            for (position, user) in set.users.iter().enumerate() {
                enum_of.insert(user.clone(), (name.clone(), position == 0));
            }
            let users = set.users.iter().map(|(id, property)| format!("{}.{property}", api.resources[id].name)).collect();
            users_of.insert(set.users[0].clone(), users);
        }
        for resource in &resources {
            let id = resource.id();
            let mut info = TypeInfo {
                group: group.clone(),
                ident: struct_names[&id].clone(),
                enums: BTreeMap::new(),
                enum_defined_elsewhere: BTreeSet::new(),
                enum_users: BTreeMap::new(),
            };
            for property in resource.properties.values().filter(|p| has_enum(&p.data_type, &p.enum_values)) {
                let key = (id.clone(), property.name.clone());
                let (name, defines) = &enum_of[&key];
                info.enums.insert(property.name.clone(), name.clone());
                if !defines {
                    info.enum_defined_elsewhere.insert(property.name.clone());
                }
                if let Some(users) = users_of.get(&key) {
                    info.enum_users.insert(property.name.clone(), users.clone());
                }
            }
            types.insert(id.clone(), info);
        }
    }

    // Feature dependencies: a group needs every group whose structs its
    // fields name.
    let mut needs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for resource in api.resources.values() {
        let group = group_name(resource);
        for property in resource.properties.values() {
            let Some(target) = referenced_resource(&property.data_type) else { continue };
            if let Some(info) = types.get(target) {
                if info.group != group {
                    needs.entry(group.clone()).or_default().insert(info.group.clone());
                }
            }
        }
    }
    for (group, set) in needs {
        if let Some(info) = groups.get_mut(&group) {
            info.needs = set;
        }
    }

    let oldest_since = api
        .resources
        .values()
        .flat_map(|resource| resource.since.iter().chain(resource.properties.values().filter_map(|p| p.since.as_ref())))
        .min_by_key(|since| crate::ir::release_key(since))
        .cloned();

    ProductIndex { api, module, spec_path, groups, types, oldest_since, removed: &[] }
}

/// Group name, with resources no source places in a group kept apart as
/// `ungrouped`: an empty group (bad input) and the derived facts' `unknown`
/// (resources only the facts list, such as `login`, `ospfrouter`, `routemap`,
/// with no reference page to give their group).
pub fn group_name(resource: &Resource) -> String {
    if resource.group.trim().is_empty() || resource.group == UNGROUPED_IN_FACTS {
        "ungrouped".to_string()
    } else {
        resource.group.clone()
    }
}

fn struct_plain_name(resource: &Resource) -> String {
    let base = naming::camel(&resource.name);
    match resource.kind {
        ResourceKind::Stat => format!("{base}Stats"),
        _ => base,
    }
}

/// Feature of a group module: the module name for ADC (`lb`), `adm-` plus
/// the module name in kebab case for ADM.
fn feature_name(product: Product, module: &str) -> String {
    let plain = module.trim_end_matches('_').replace('_', "-");
    match product {
        Product::Adc if !matches!(plain.as_str(), "default" | "full" | "nextgen") => plain,
        other => format!("{}-{plain}", other.as_str()),
    }
}

/// A note for a rename; `what` names the kind of name (`property`,
/// `type`), and `{}` in it stands for the wire name.
pub fn rename_note(origin: &Origin, resource: Option<&str>, what: &str, rename: &Rename) -> Diagnostic {
    let subject = if what.contains("{}") {
        what.replace("{}", &format!("`{}`", rename.wire))
    } else {
        format!("{what} `{}`", rename.wire)
    };
    let message = format!(
        "{subject} is named `{}` rather than `{}`, which {} also maps to",
        rename.chosen,
        rename.plain,
        naming_list(&rename.collides_with)
    );
    let diagnostic = Diagnostic::note(origin.clone(), message);
    match resource {
        Some(name) => diagnostic.resource(name),
        None => diagnostic,
    }
}

fn naming_list(names: &[String]) -> String {
    names.iter().map(|n| if n.starts_with('(') { n.clone() } else { format!("`{n}`") }).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Property;

    fn property(name: &str, values: &[&str]) -> Property {
        Property { name: name.into(), enum_values: values.iter().map(|v| v.to_string()).collect(), ..Property::default() }
    }

    fn resource(name: &str, properties: Vec<Property>) -> Resource {
        Resource {
            name: name.into(),
            group: "lb".into(),
            properties: properties.into_iter().map(|p| (p.name.clone(), p)).collect(),
            ..Resource::default()
        }
    }

    fn enums_of(api: &Api, id: &str) -> BTreeMap<String, String> {
        let mut diagnostics = Vec::new();
        build(api, &mut diagnostics).types[id].enums.clone()
    }

    /// Shared lists get a name of their own (values, or the shared property
    /// name), a list one property uses keeps `{Struct}{Property}`, and no
    /// enum is named after another resource.
    #[test]
    fn shared_value_lists_get_neutral_names() {
        let types = ["HTTP", "SSL", "TCP", "UDP"];
        let other_types = ["HTTP", "FTP", "DNS", "ANY"];
        let mut api = Api::default();
        for resource in [
            resource("lbvserver", vec![property("authentication", &["ON", "OFF"]), property("servicetype", &types), property("lbmethod", &["ROUNDROBIN", "LEASTCONNECTION"])]),
            resource("lbparameter", vec![property("retainservicestate", &["ON", "OFF"])]),
            resource("service", vec![property("servicetype", &types), property("state", &["ENABLED", "DISABLED"])]),
            resource("servicegroup", vec![property("servicetype", &types), property("state", &["ENABLED", "DISABLED"])]),
            resource("gslbservice", vec![property("servicetype", &other_types)]),
            resource("gslbvserver", vec![property("servicetype", &other_types)]),
        ] {
            api.resources.insert(resource.id(), resource);
        }
        let lbvserver = enums_of(&api, "lbvserver");
        assert_eq!(lbvserver["authentication"], "OnOff");
        assert_eq!(lbvserver["servicetype"], "Servicetype");
        assert_eq!(lbvserver["lbmethod"], "LbvserverLbmethod");
        assert_eq!(enums_of(&api, "lbparameter")["retainservicestate"], "OnOff");
        assert_eq!(enums_of(&api, "servicegroup")["servicetype"], "Servicetype");
        assert_eq!(enums_of(&api, "servicegroup")["state"], "EnabledDisabled");
        // A second shared list wanting `Servicetype`: named after its first user.
        assert_eq!(enums_of(&api, "gslbvserver")["servicetype"], "GslbserviceServicetype");

        let mut diagnostics = Vec::new();
        let index = build(&api, &mut diagnostics);
        let defined: Vec<(&str, &str)> = index
            .types
            .iter()
            .flat_map(|(id, info)| info.enums.keys().filter(|p| !info.enum_defined_elsewhere.contains(*p)).map(move |p| (id.as_str(), p.as_str())))
            .collect();
        // One definition per list: OnOff, Servicetype, LbvserverLbmethod,
        // EnabledDisabled, GslbserviceServicetype.
        assert_eq!(defined.len(), 5, "{defined:?}");
        // The first user (resource order) defines it; its docs list all.
        assert!(index.types["lbvserver"].enum_defined_elsewhere.contains("authentication"));
        assert_eq!(index.types["lbparameter"].enum_users["retainservicestate"], ["lbparameter.retainservicestate", "lbvserver.authentication"]);
    }

    /// Two value sets wanting one name: the second is renamed by what its
    /// property's wire name looks like (`Alt`: lower case), and the note names the
    /// property, not the set's place in the list.
    #[test]
    fn colliding_value_set_names_say_which_property() {
        let mut api = Api::default();
        let lbvserver = resource("lbvserver", vec![property("lbmethod", &["ROUNDROBIN", "URLHASH"]), property("LBMETHOD", &["A1", "B2"])]);
        api.resources.insert(lbvserver.id(), lbvserver);
        let mut diagnostics = Vec::new();
        let index = build(&api, &mut diagnostics);
        let enums = &index.types["lbvserver"].enums;
        // Neither is spelled as the name: the first set (of `LBMETHOD`, in
        // property byte order) keeps it.
        assert_eq!(enums["LBMETHOD"], "LbvserverLbmethod");
        assert_eq!(enums["lbmethod"], "LbvserverLbmethodAlt");
        let notes: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert!(notes.iter().any(|n| n.contains("enum of property `lbmethod` is named `LbvserverLbmethodAlt`")), "{notes:#?}");
    }

    #[test]
    fn facts_unknown_group_is_ungrouped() {
        let mut api = Api::default();
        let mut login = resource("login", vec![]);
        login.group = "unknown".into();
        api.resources.insert(login.id(), login);
        let mut diagnostics = Vec::new();
        let index = build(&api, &mut diagnostics);
        assert_eq!(index.groups.keys().collect::<Vec<_>>(), ["ungrouped"]);
        assert_eq!(index.groups["ungrouped"].feature, "ungrouped");
    }
}
