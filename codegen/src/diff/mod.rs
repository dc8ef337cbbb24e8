//! Diff engine: two IRs of one product -> a [`ChangeReport`] (plain data)
//! that says what a client of the generated crate gains or loses when it
//! moves from the old release to the new one. Entry: [`compare`];
//! renderers: [`markdown`] and [`json`] (plain text, no colour; colour is
//! the command line's business).
//!
//! # What is compared
//!
//! - API: base path.
//! - NITRO resources (keyed by [`Resource::id`](crate::ir::Resource::id)):
//!   presence, kind, group, keys, properties table presence; properties:
//!   presence, type, permission, enum values, default, value range, length
//!   range, mandatory flag; operations (including `action:<verb>`):
//!   presence, HTTP method, path.
//! - OpenAPI schemas: presence, shape, object fields (presence, type,
//!   required, nullable, read-only, bounds, pattern, default), enum
//!   literals; endpoints: presence, operation id, parameters, request and
//!   response bodies, security.
//!
//! Descriptions, origins, table rows, `since` and `provenance` fields are
//! never compared: they are not API facts. Names (resource ids, property
//! names, enum values) are compared after NFKC normalisation (ligatures such
//! as U+FB01 `ﬁ` fold to `fi`); a name that differs only in that way is
//! reported as a documentation-only spelling change.
//!
//! # Classification rules
//!
//! Each change is classified for a client of the generated crate, whose
//! types follow the documented facts exactly:
//!
//! | change | class |
//! |---|---|
//! | resource, property, operation, enum value, schema, field, endpoint removed | breaking |
//! | the same added | compatible (an added required field or parameter: breaking) |
//! | property type changed, including `Integer` -> `Double` | breaking |
//! | read-write -> read-only | breaking; read-only -> read-write: compatible |
//! | property becomes an enum, or stops being one | breaking |
//! | range or length narrowed (bound raised/lowered or newly set) | breaking; widened or dropped: compatible |
//! | default changed, added or dropped | compatible (behaviour when the field is omitted) |
//! | optional -> mandatory | breaking; mandatory -> optional: compatible |
//! | keys, base path, operation method or path, kind changed | breaking |
//! | group changed, spelling changed only by normalisation | documentation only |
//!
//! `Integer` -> `Double` is wire-compatible (every integer is a double) but
//! the generated field changes from an integer to a float type, so code
//! that sets or reads it stops compiling: breaking.
//!
//! Documentation artefacts are never reported as API changes; they are
//! classified **documentation only**:
//! - A page with no properties table (`no_table`) in one release: its
//!   properties missing there are not removed (or added) properties.
//!   Likewise its operations and keys (read from operation URLs), when the
//!   stub documents no operation at all (the 10.5/11.0 binding stubs;
//!   action-only pages without a table keep their operations).
//! - A derived snapshot (`source.derived`) assembles facts from secondary
//!   sources: absence of an item, or of a fact (`None`, `unknown` type or
//!   permission, no enum list), means "not confirmed", never "removed".
//!   Items a derived snapshot carries with a `provenance` are present and
//!   are compared like any other. An item added against a derived old
//!   snapshot stays compatible (it is there now), with a note that it may
//!   be older.
//! - A mandatory flag that one release does not document (`None`; the
//!   markers exist only from 12.0-FR4 on): unknown <-> mandatory is
//!   documentation only, unknown <-> not mandatory is not reported.
//! - An operation method the frontend inferred (ADM pages say `null`), and
//!   an `action:<verb>` operation whose URL leaves out `?action=` on one
//!   side (the 11.1 `wfpackage` Install page).
//!
//! Across more than two releases ([`compare_series`]), an item that
//! vanishes from some releases and comes back (ADC `utility/raid` is absent
//! from 11.0 only) is a documentation gap: its removal and its return are
//! both documentation only. A single pair cannot tell; [`compare`] alone
//! reports such a removal as breaking.
//!
//! # Counts
//!
//! [`Tally`] counts items, not changes: `added + kept = new` and
//! `removed + kept = old`, for resources (also per kind) and properties
//! (all properties of the API, including those of added and removed
//! resources), schemas, fields and endpoints. Removals that are
//! documentation artefacts are counted in `removed` too (the change list
//! says which they are), so the equations always hold.

mod names;
mod nitro;
mod openapi;
mod render;
mod series;

// The shared vocabulary lives in the IR; re-exported for the diff's users.
pub use crate::ir::{normalise_name, Item};
pub(crate) use names::{pair, value_set, Pair};
pub use render::{json, markdown};
pub use series::compare_series;

use crate::ir::{Api, Product};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What changed between two releases of one product.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeReport {
    pub product: Product,
    pub old_release: String,
    pub new_release: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub old_derived: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub new_derived: bool,
    pub resources: Tally,
    /// Resources per kind (`config`, `binding`, `stat`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resources_by_kind: BTreeMap<String, Tally>,
    pub properties: Tally,
    #[serde(default, skip_serializing_if = "Tally::is_empty")]
    pub schemas: Tally,
    #[serde(default, skip_serializing_if = "Tally::is_empty")]
    pub fields: Tally,
    #[serde(default, skip_serializing_if = "Tally::is_empty")]
    pub endpoints: Tally,
    /// Number of changes per class.
    pub summary: Summary,
    /// Sorted by scope, group, owner, item, member.
    pub changes: Vec<Change>,
}

/// Item counts across the two releases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub old: usize,
    pub new: usize,
    pub kept: usize,
    pub added: usize,
    pub removed: usize,
}

impl Tally {
    pub fn is_empty(&self) -> bool {
        *self == Tally::default()
    }
    fn keep(&mut self) {
        self.old += 1;
        self.new += 1;
        self.kept += 1;
    }
    fn add(&mut self, count: usize) {
        self.new += count;
        self.added += count;
    }
    fn remove(&mut self, count: usize) {
        self.old += count;
        self.removed += count;
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub breaking: usize,
    pub compatible: usize,
    pub documentation_only: usize,
}

/// How a change affects a client of the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Code written against the old release may stop compiling or working.
    Breaking,
    /// Something new; old code keeps working.
    Compatible,
    /// The documentation changed, not the API (stub pages, derived data,
    /// spelling).
    DocumentationOnly,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Compatible => "compatible",
            Class::DocumentationOnly => "doc-only",
        }
    }
}


#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// Which fact of a kept item changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    BasePath,
    Kind,
    Group,
    Keys,
    /// The page has (or lacks) a properties table.
    PropertiesTable,
    /// The name differs only by Unicode normalisation.
    Spelling,
    Type,
    Access,
    /// The property gained or lost its list of possible values.
    Enum,
    Default,
    MinValue,
    MaxValue,
    MinLength,
    MaxLength,
    Mandatory,
    Method,
    Path,
    // OpenAPI
    Shape,
    Required,
    Nullable,
    ReadOnly,
    Pattern,
    OperationId,
    Request,
    Responses,
    Security,
    Tags,
}

impl Aspect {
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::BasePath => "base path",
            Aspect::Kind => "kind",
            Aspect::Group => "group",
            Aspect::Keys => "keys",
            Aspect::PropertiesTable => "properties table",
            Aspect::Spelling => "spelling",
            Aspect::Type => "type",
            Aspect::Access => "permission",
            Aspect::Enum => "possible values",
            Aspect::Default => "default",
            Aspect::MinValue => "minimum value",
            Aspect::MaxValue => "maximum value",
            Aspect::MinLength => "minimum length",
            Aspect::MaxLength => "maximum length",
            Aspect::Mandatory => "mandatory",
            Aspect::Method => "method",
            Aspect::Path => "path",
            Aspect::Shape => "shape",
            Aspect::Required => "required",
            Aspect::Nullable => "nullable",
            Aspect::ReadOnly => "read-only",
            Aspect::Pattern => "pattern",
            Aspect::OperationId => "operation id",
            Aspect::Request => "request body",
            Aspect::Responses => "responses",
            Aspect::Security => "security",
            Aspect::Tags => "tags",
        }
    }
}

/// One change. `old`/`new` hold the fact before and after, as text: for
/// an added item `new` summarises it, for a removed one `old` does; for an
/// enum value they hold the value itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub class: Class,
    pub item: Item,
    pub change: ChangeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect: Option<Aspect>,
    /// Grouping: `api`, the resource kind (`config`, `binding`, `stat`),
    /// `schema` or `endpoint`.
    pub scope: String,
    /// NITRO group (`lb`, `ssl`), or the first tag of an endpoint.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Resource id, schema name or endpoint key (`GET /path`); empty for
    /// API-level changes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// Property, operation, field or parameter name within the owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// Why a change is documentation only (our words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Change {
    fn sort_key(&self) -> impl Ord + '_ {
        let scope_rank = match self.scope.as_str() {
            "api" => 0,
            "config" => 1,
            "binding" => 2,
            "stat" => 3,
            "schema" => 4,
            "endpoint" => 5,
            _ => 6,
        };
        (scope_rank, &self.scope, &self.group, &self.owner, self.item, &self.member, self.change, self.aspect, &self.old, &self.new)
    }
}

/// Compares two releases of one product.
pub fn compare(old: &Api, new: &Api) -> ChangeReport {
    let ctx = Context {
        old_derived: old.source.derived,
        new_derived: new.source.derived,
        old_release: old.release.clone(),
        new_release: new.release.clone(),
    };
    let mut report = ChangeReport {
        product: new.product,
        old_release: old.release.clone(),
        new_release: new.release.clone(),
        old_derived: old.source.derived,
        new_derived: new.source.derived,
        ..ChangeReport::default()
    };
    if old.base_path != new.base_path {
        report.changes.push(Change {
            class: Class::Breaking,
            item: Item::Api,
            change: ChangeKind::Changed,
            aspect: Some(Aspect::BasePath),
            scope: "api".into(),
            group: String::new(),
            owner: String::new(),
            member: None,
            old: Some(old.base_path.clone()),
            new: Some(new.base_path.clone()),
            note: None,
        });
    }
    nitro::compare_resources(&ctx, old, new, &mut report);
    openapi::compare_schemas(&ctx, old, new, &mut report);
    openapi::compare_endpoints(&ctx, old, new, &mut report);
    report.changes.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    summarise(&mut report);
    report
}

/// Recounts [`ChangeReport::summary`] from the change list.
fn summarise(report: &mut ChangeReport) {
    report.summary = Summary::default();
    for change in &report.changes {
        match change.class {
            Class::Breaking => report.summary.breaking += 1,
            Class::Compatible => report.summary.compatible += 1,
            Class::DocumentationOnly => report.summary.documentation_only += 1,
        }
    }
}

/// Keeps only the resources with one of these wire names (all kinds: a
/// name selects its config, binding and statistics resources). Used to
/// narrow a comparison to a few resources before [`compare`].
pub fn retain_resources(api: &mut Api, names: &[String]) {
    let wanted: Vec<String> = names.iter().map(|name| normalise_name(name).into_owned()).collect();
    api.resources.retain(|_, resource| wanted.iter().any(|name| *name == normalise_name(&resource.name)));
}

/// What the classification needs to know about the two releases.
pub(crate) struct Context {
    pub old_derived: bool,
    pub new_derived: bool,
    pub old_release: String,
    pub new_release: String,
}

pub(crate) const NOT_CONFIRMED_NEW: &str = "not confirmed by the derived snapshot";
pub(crate) const NOT_CONFIRMED_OLD: &str = "not confirmed by the derived old snapshot";
pub(crate) const MAYBE_OLDER: &str = "may be older: the derived old snapshot does not confirm its absence";

impl Context {
    /// Class of an item missing because `release` has a stub page.
    fn stub(&self, release: &str) -> (Class, Option<String>) {
        (Class::DocumentationOnly, Some(format!("page has no properties table in {release}")))
    }

    /// Class of an item present only in the old release.
    fn removal(&self) -> (Class, Option<String>) {
        if self.new_derived {
            (Class::DocumentationOnly, Some(NOT_CONFIRMED_NEW.into()))
        } else {
            (Class::Breaking, None)
        }
    }

    /// Class of an item present only in the new release. Against a derived
    /// old snapshot the item may be older than the new release, but it is
    /// there now and breaks nobody: compatible, with a note.
    fn addition(&self) -> (Class, Option<String>) {
        if self.old_derived {
            (Class::Compatible, Some(MAYBE_OLDER.into()))
        } else {
            (Class::Compatible, None)
        }
    }

    /// Class of a fact known on one side only (`None` on the other), where
    /// `known_new` says which side knows it, and `api_class` is the class if
    /// the documentation really dropped or gained it.
    fn one_sided(&self, known_new: bool, api_class: Class) -> (Class, Option<String>) {
        if known_new && self.old_derived {
            (Class::DocumentationOnly, Some(NOT_CONFIRMED_OLD.into()))
        } else if !known_new && self.new_derived {
            (Class::DocumentationOnly, Some(NOT_CONFIRMED_NEW.into()))
        } else {
            (api_class, None)
        }
    }
}

pub(crate) fn is_false(value: &bool) -> bool {
    !*value
}

#[cfg(test)]
mod tests;
