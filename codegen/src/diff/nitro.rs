//! NITRO resources: resources, properties, enum values and operations of
//! two releases, matched by normalised name.

use super::{normalise_name, pair, value_set, Aspect, Change, ChangeKind, ChangeReport, Class, Context, Item, Pair};
use crate::ir::{Access, Api, DataType, Operation, Property, Resource};
use std::fmt::Display;

pub(super) fn compare_resources(ctx: &Context, old: &Api, new: &Api, report: &mut ChangeReport) {
    for entry in pair(&old.resources, &new.resources) {
        match entry {
            Pair::Old(id, resource) => {
                report.resources.remove(1);
                report.resources_by_kind.entry(resource.kind.as_str().into()).or_default().remove(1);
                report.properties.remove(resource.properties.len());
                report.changes.push(
                    At::resource(resource, id)
                        .change(Item::Resource, ChangeKind::Removed)
                        .class(ctx.removal())
                        .was(resource_summary(resource)),
                );
            }
            Pair::New(id, resource) => {
                report.resources.add(1);
                report.resources_by_kind.entry(resource.kind.as_str().into()).or_default().add(1);
                report.properties.add(resource.properties.len());
                report.changes.push(
                    At::resource(resource, id)
                        .change(Item::Resource, ChangeKind::Added)
                        .class(ctx.addition())
                        .now(resource_summary(resource)),
                );
            }
            Pair::Both { old_name, old: old_resource, new_name, new: new_resource } => {
                report.resources.keep();
                if old_resource.kind == new_resource.kind {
                    report.resources_by_kind.entry(new_resource.kind.as_str().into()).or_default().keep();
                } else {
                    // Per kind, a resource that changed kind left one kind and joined another.
                    report.resources_by_kind.entry(old_resource.kind.as_str().into()).or_default().remove(1);
                    report.resources_by_kind.entry(new_resource.kind.as_str().into()).or_default().add(1);
                }
                let at = At::resource(new_resource, new_name);
                if old_name != new_name {
                    report.changes.push(
                        at.change(Item::Resource, ChangeKind::Changed)
                            .aspect(Aspect::Spelling)
                            .class((Class::DocumentationOnly, None))
                            .was(old_name)
                            .now(new_name),
                    );
                }
                compare_resource(ctx, &at, old_resource, new_resource, report);
            }
        }
    }
}

fn compare_resource(ctx: &Context, at: &At, old: &Resource, new: &Resource, report: &mut ChangeReport) {
    let changed = |aspect: Aspect| at.change(Item::Resource, ChangeKind::Changed).aspect(aspect);
    if old.kind != new.kind {
        report.changes.push(changed(Aspect::Kind).class((Class::Breaking, None)).was(old.kind.as_str()).now(new.kind.as_str()));
    }
    if old.group != new.group {
        report.changes.push(changed(Aspect::Group).class((Class::DocumentationOnly, None)).was(&old.group).now(&new.group));
    }
    if old.keys != new.keys {
        // Keys are read from operation URLs; a stub page has none to read.
        let class = match (old.keys.is_empty(), new.keys.is_empty()) {
            (true, false) if is_stub(old) => ctx.stub(&ctx.old_release),
            (false, true) if is_stub(new) => ctx.stub(&ctx.new_release),
            (true, false) => ctx.one_sided(true, Class::Breaking),
            (false, true) => ctx.one_sided(false, Class::Breaking),
            _ => (Class::Breaking, None),
        };
        report.changes.push(changed(Aspect::Keys).class(class).was(list(&old.keys)).now(list(&new.keys)));
    }
    if old.no_table != new.no_table {
        let presence = |stub: bool| if stub { "absent" } else { "present" };
        report.changes.push(
            changed(Aspect::PropertiesTable)
                .class((Class::DocumentationOnly, Some("the page is a stub in one release".into())))
                .was(presence(old.no_table))
                .now(presence(new.no_table)),
        );
    }

    for entry in pair(&old.properties, &new.properties) {
        match entry {
            Pair::Old(name, property) => {
                report.properties.remove(1);
                let class = if new.no_table { ctx.stub(&ctx.new_release) } else { ctx.removal() };
                report.changes.push(
                    at.change(Item::Property, ChangeKind::Removed).member(name).class(class).was(property_summary(property)),
                );
            }
            Pair::New(name, property) => {
                report.properties.add(1);
                let class = if old.no_table {
                    ctx.stub(&ctx.old_release)
                } else {
                    match ctx.addition() {
                        // A new mandatory property breaks every existing add call.
                        (Class::Compatible, note) if property.mandatory == Some(true) => (Class::Breaking, note),
                        other => other,
                    }
                };
                report.changes.push(
                    at.change(Item::Property, ChangeKind::Added).member(name).class(class).now(property_summary(property)),
                );
            }
            Pair::Both { old_name, old: old_property, new_name, new: new_property } => {
                report.properties.keep();
                if old_name != new_name {
                    report.changes.push(
                        at.change(Item::Property, ChangeKind::Changed)
                            .member(new_name)
                            .aspect(Aspect::Spelling)
                            .class((Class::DocumentationOnly, None))
                            .was(old_name)
                            .now(new_name),
                    );
                }
                compare_property(ctx, at, new_name, old_property, new_property, report);
            }
        }
    }

    for entry in pair(&old.operations, &new.operations) {
        match entry {
            Pair::Old(name, operation) => {
                // A stub page documents no operation at all: absence there is no removal.
                let class = if is_stub(new) {
                    ctx.stub(&ctx.new_release)
                } else {
                    ctx.removal()
                };
                report.changes.push(
                    at.change(Item::Operation, ChangeKind::Removed).member(name).class(class).was(operation_summary(operation)),
                );
            }
            Pair::New(name, operation) => {
                let class = if is_stub(old) {
                    ctx.stub(&ctx.old_release)
                } else {
                    ctx.addition()
                };
                report.changes.push(
                    at.change(Item::Operation, ChangeKind::Added).member(name).class(class).now(operation_summary(operation)),
                );
            }
            Pair::Both { new_name, old: old_operation, new: new_operation, .. } => {
                compare_operation(at, new_name, old_operation, new_operation, report);
            }
        }
    }
}

/// A stub page: no properties table and no operation documented (the
/// 10.5/11.0 binding stubs), as opposed to an action-only page.
fn is_stub(resource: &Resource) -> bool {
    resource.no_table && resource.operations.is_empty()
}

fn compare_operation(at: &At, name: &str, old: &Operation, new: &Operation, report: &mut ChangeReport) {
    let changed = |aspect: Aspect| at.change(Item::Operation, ChangeKind::Changed).member(name).aspect(aspect);
    if old.method != new.method {
        // A method the frontend had to guess is not a documented fact.
        let class = if old.method_inferred || new.method_inferred {
            (Class::DocumentationOnly, Some("method inferred, not documented".into()))
        } else {
            (Class::Breaking, None)
        };
        report.changes.push(changed(Aspect::Method).class(class).was(old.method.as_str()).now(new.method.as_str()));
    }
    // Paths hold the resource name, so they compare normalised too: a
    // ligature in one page's URL is no API change.
    let path = |op: &Operation| (normalise_name(&op.path).into_owned(), op.action.clone());
    if path(old) != path(new) {
        // An `action:<verb>` operation whose page leaves `?action=` out of
        // its URL (11.1 `wfpackage` Install) still is that action.
        let action_omitted = old.path == new.path && old.name.starts_with("action:") && (old.action.is_none() || new.action.is_none());
        let class = if action_omitted {
            (Class::DocumentationOnly, Some("the page's URL leaves out the action".into()))
        } else {
            (Class::Breaking, None)
        };
        report.changes.push(
            changed(Aspect::Path)
                .class(class)
                .was(operation_summary(old))
                .now(operation_summary(new)),
        );
    }
}

fn compare_property(ctx: &Context, at: &At, name: &str, old: &Property, new: &Property, report: &mut ChangeReport) {
    let changed = |aspect: Aspect| at.change(Item::Property, ChangeKind::Changed).member(name).aspect(aspect);

    if old.data_type != new.data_type {
        let class = if old.data_type == DataType::Unknown || new.data_type == DataType::Unknown {
            ctx.one_sided(new.data_type != DataType::Unknown, Class::Breaking)
        } else {
            (Class::Breaking, None)
        };
        report.changes.push(
            changed(Aspect::Type)
                .class(class)
                .was(old.data_type.reference_spelling())
                .now(new.data_type.reference_spelling()),
        );
    }

    if old.access != new.access {
        let class = match (old.access, new.access) {
            (Access::ReadWrite, Access::ReadOnly) => (Class::Breaking, None),
            (Access::ReadOnly, Access::ReadWrite) => (Class::Compatible, None),
            (Access::Unknown, _) => ctx.one_sided(true, Class::Compatible),
            _ => ctx.one_sided(false, Class::Compatible),
        };
        report.changes.push(changed(Aspect::Access).class(class).was(access(old.access)).now(access(new.access)));
    }

    compare_enum(ctx, at, name, old, new, report);

    if old.default != new.default {
        let class = match (&old.default, &new.default) {
            (None, Some(_)) => ctx.one_sided(true, Class::Compatible),
            (Some(_), None) => ctx.one_sided(false, Class::Compatible),
            _ => (Class::Compatible, None),
        };
        report.changes.push(changed(Aspect::Default).class(class).was_opt(old.default.as_deref()).now_opt(new.default.as_deref()));
    }

    let bounds = [
        (Aspect::MinValue, old.min_value, new.min_value, true),
        (Aspect::MaxValue, old.max_value, new.max_value, false),
        (Aspect::MinLength, old.min_length, new.min_length, true),
        (Aspect::MaxLength, old.max_length, new.max_length, false),
    ];
    for (aspect, old_bound, new_bound, lower) in bounds {
        if let Some(class) = bound_class(ctx, old_bound, new_bound, lower) {
            report.changes.push(changed(aspect).class(class).was_opt(old_bound).now_opt(new_bound));
        }
    }

    if let Some(class) = mandatory_class(ctx, old.mandatory, new.mandatory) {
        report.changes.push(
            changed(Aspect::Mandatory).class(class).was(yes_no(old.mandatory)).now(yes_no(new.mandatory)),
        );
    }
}

fn compare_enum(ctx: &Context, at: &At, name: &str, old: &Property, new: &Property, report: &mut ChangeReport) {
    let old_values = value_set(&old.enum_values);
    let new_values = value_set(&new.enum_values);
    match (old_values.is_empty(), new_values.is_empty()) {
        (true, true) => {}
        // A free value became a closed list or the other way round: the
        // generated type changes.
        (true, false) | (false, true) => {
            let class = ctx.one_sided(old_values.is_empty(), Class::Breaking);
            report.changes.push(
                at.change(Item::Property, ChangeKind::Changed)
                    .member(name)
                    .aspect(Aspect::Enum)
                    .class(class)
                    .was(values_text(&old.enum_values))
                    .now(values_text(&new.enum_values)),
            );
        }
        (false, false) => {
            for (key, value) in &old_values {
                match new_values.get(key) {
                    None => report.changes.push(
                        at.change(Item::EnumValue, ChangeKind::Removed).member(name).class(ctx.removal()).was(*value),
                    ),
                    Some(new_value) if new_value != value => report.changes.push(
                        at.change(Item::EnumValue, ChangeKind::Changed)
                            .member(name)
                            .aspect(Aspect::Spelling)
                            .class((Class::DocumentationOnly, None))
                            .was(*value)
                            .now(*new_value),
                    ),
                    Some(_) => {}
                }
            }
            for (key, value) in &new_values {
                if !old_values.contains_key(key) {
                    report.changes.push(
                        at.change(Item::EnumValue, ChangeKind::Added).member(name).class(ctx.addition()).now(*value),
                    );
                }
            }
        }
    }
}

/// Class of a changed bound, `None` when unchanged. A lower bound that
/// rises or an upper bound that falls rejects values that were valid.
pub(super) fn bound_class<T: PartialOrd>(ctx: &Context, old: Option<T>, new: Option<T>, lower: bool) -> Option<(Class, Option<String>)> {
    match (old, new) {
        (Some(old), Some(new)) if old == new => None,
        (Some(old), Some(new)) => {
            let narrowed = if lower { new > old } else { new < old };
            Some((if narrowed { Class::Breaking } else { Class::Compatible }, None))
        }
        (None, Some(_)) => Some(ctx.one_sided(true, Class::Breaking)),
        (Some(_), None) => Some(ctx.one_sided(false, Class::Compatible)),
        (None, None) => None,
    }
}

/// Class of a changed mandatory flag, `None` when there is nothing to
/// report. `None` means the release does not document the flag (markers
/// exist from 12.0-FR4 on), so moving between unknown and documented is a
/// documentation change; unknown <-> not mandatory says nothing and is not
/// reported.
fn mandatory_class(ctx: &Context, old: Option<bool>, new: Option<bool>) -> Option<(Class, Option<String>)> {
    match (old, new) {
        (Some(false), Some(true)) => Some((Class::Breaking, None)),
        (Some(true), Some(false)) => Some((Class::Compatible, None)),
        (None, Some(true)) => {
            Some((Class::DocumentationOnly, Some(format!("mandatory markers not documented in {}", ctx.old_release))))
        }
        (Some(true), None) => {
            Some((Class::DocumentationOnly, Some(format!("mandatory markers not documented in {}", ctx.new_release))))
        }
        _ => None,
    }
}

/// Where a change is: scope, group and owner of a resource.
pub(super) struct At {
    scope: String,
    group: String,
    owner: String,
}

impl At {
    fn resource(resource: &Resource, id: &str) -> At {
        At { scope: resource.kind.as_str().into(), group: resource.group.clone(), owner: id.into() }
    }

    pub(super) fn new(scope: &str, group: &str, owner: &str) -> At {
        At { scope: scope.into(), group: group.into(), owner: owner.into() }
    }

    pub(super) fn change(&self, item: Item, change: ChangeKind) -> Change {
        Change {
            class: Class::Compatible,
            item,
            change,
            aspect: None,
            scope: self.scope.clone(),
            group: self.group.clone(),
            owner: self.owner.clone(),
            member: None,
            old: None,
            new: None,
            note: None,
        }
    }
}

/// Builder steps, so each change reads as one expression.
impl Change {
    pub(super) fn class(mut self, (class, note): (Class, Option<String>)) -> Change {
        self.class = class;
        self.note = note;
        self
    }
    pub(super) fn aspect(mut self, aspect: Aspect) -> Change {
        self.aspect = Some(aspect);
        self
    }
    pub(super) fn member(mut self, member: &str) -> Change {
        self.member = Some(member.into());
        self
    }
    pub(super) fn was(mut self, old: impl Display) -> Change {
        self.old = Some(old.to_string());
        self
    }
    pub(super) fn now(mut self, new: impl Display) -> Change {
        self.new = Some(new.to_string());
        self
    }
    pub(super) fn was_opt(mut self, old: Option<impl Display>) -> Change {
        self.old = old.map(|value| value.to_string());
        self
    }
    pub(super) fn now_opt(mut self, new: Option<impl Display>) -> Change {
        self.new = new.map(|value| value.to_string());
        self
    }
}

/// A short list of possible values; long lists (time zones) as a count.
fn values_text(values: &[String]) -> String {
    match values.len() {
        0 => "none".into(),
        1..=10 => values.join(", "),
        n => format!("{n} values"),
    }
}

pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn resource_summary(resource: &Resource) -> String {
    let mut summary = format!(
        "{}, {}, {}",
        resource.kind.as_str(),
        count(resource.properties.len(), "property", "properties"),
        count(resource.operations.len(), "operation", "operations")
    );
    if resource.no_table {
        summary.push_str(", no properties table");
    }
    summary
}

fn property_summary(property: &Property) -> String {
    let mut summary = format!("{}, {}", property.data_type.reference_spelling(), access(property.access));
    if property.mandatory == Some(true) {
        summary.push_str(", mandatory");
    }
    summary
}

fn operation_summary(operation: &Operation) -> String {
    match &operation.action {
        Some(action) => format!("{} {}?action={action}", operation.method.as_str(), operation.path),
        None => format!("{} {}", operation.method.as_str(), operation.path),
    }
}

fn access(access: Access) -> &'static str {
    match access {
        Access::ReadWrite => "read-write",
        Access::ReadOnly => "read-only",
        Access::Unknown => "unknown",
    }
}

fn yes_no(flag: Option<bool>) -> &'static str {
    match flag {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not documented",
    }
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}
