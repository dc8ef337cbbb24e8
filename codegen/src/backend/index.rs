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
use crate::diff::Item;
use crate::ir::{Api, DataType, Origin, Product, Resource, ResourceKind};
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
    /// Property wire name -> enum name, for properties with possible values.
    pub enums: BTreeMap<String, String>,
    /// Property wire name -> the enum its enum name is an alias of, for
    /// properties whose values (and value `since`s) an earlier property of
    /// the same group already has.
    pub enum_alias_of: BTreeMap<String, String>,
    /// Property wire name -> the other properties (`resource.property`)
    /// whose enum names are aliases of this property's enum.
    pub enum_shared_with: BTreeMap<String, Vec<String>>,
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
        let mut enum_keys = Vec::new();
        for resource in &resources {
            for property in resource.properties.values() {
                if has_enum(&property.data_type, &property.enum_values) {
                    enum_keys.push(format!("{}\u{0}{}", resource.id(), property.name));
                }
            }
        }
        let enums_scope = Scope::new(Case::Camel)
            .reserve_all(naming::reserved_types())
            .reserve_all(struct_names.values().map(String::as_str));
        let (enum_names, renames) = enums_scope.resolve_with(enum_keys.iter().map(String::as_str), |key| {
            let (id, property) = key.split_once('\u{0}').expect("enum keys hold a separator");
            format!("{}{}", struct_names[id], naming::camel_part(property))
        });
        for rename in renames {
            let (id, property) = rename.wire.split_once('\u{0}').expect("enum keys hold a separator");
            let resource = &api.resources[id];
            let origin = Origin { row: resource.properties[property].row, ..resource.origin.clone() };
            let rename = Rename { wire: property.to_string(), ..rename };
            diagnostics.push(rename_note(&origin, Some(&resource.name), "enum of property", &rename));
        }
        // One enum per distinct list of values in a group; the other
        // properties with that list get a type alias of the first one's
        // enum. Hundreds of properties share `ENABLED`/`DISABLED`, and each
        // enum costs a dozen trait impls to compile.
        let mut first_with_values: BTreeMap<(&Vec<String>, &BTreeMap<String, String>), &str> = BTreeMap::new();
        let mut alias_of: BTreeMap<&str, &str> = BTreeMap::new();
        let mut shared_with: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for key in &enum_keys {
            let (id, property) = key.split_once('\u{0}').expect("enum keys hold a separator");
            let property = &api.resources[id].properties[property];
            let canonical = *first_with_values.entry((&property.enum_values, &property.enum_since)).or_insert(key);
            if canonical != key {
                alias_of.insert(key, canonical);
                let user = format!("{}.{}", api.resources[id].name, property.name);
                shared_with.entry(canonical).or_default().push(user);
            }
        }
        for resource in &resources {
            let id = resource.id();
            let mut info = TypeInfo {
                group: group.clone(),
                ident: struct_names[&id].clone(),
                enums: BTreeMap::new(),
                enum_alias_of: BTreeMap::new(),
                enum_shared_with: BTreeMap::new(),
            };
            for property in resource.properties.values().filter(|p| has_enum(&p.data_type, &p.enum_values)) {
                let key = format!("{id}\u{0}{}", property.name);
                info.enums.insert(property.name.clone(), enum_names[&key].clone());
                if let Some(canonical) = alias_of.get(key.as_str()) {
                    info.enum_alias_of.insert(property.name.clone(), enum_names[*canonical].clone());
                }
                if let Some(users) = shared_with.get(key.as_str()) {
                    info.enum_shared_with.insert(property.name.clone(), users.clone());
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

/// Group name, with an empty group (bad input) kept apart as `ungrouped`.
pub fn group_name(resource: &Resource) -> String {
    if resource.group.trim().is_empty() {
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
