//! Shape: every Rust name, type and signature of a NITRO resource's items,
//! decided as data before anything is printed.
//!
//! The backend runs in two phases. This one decides; [`super::model`]
//! prints what it decided and decides nothing itself. Names that cross
//! resources (modules, features, structs, enums) come from the
//! [`index`](super::index); the names inside one type are decided here,
//! each in its own scope: fields, enum variants, endpoint functions,
//! setters. Every rename is reported as a note.
//!
//! [`outline`] writes a product's shape as text, one line per name, so a
//! change of naming rules shows as a small snapshot diff rather than as a
//! regenerated crate.

use super::index::{self, GroupInfo, ProductIndex};
use super::naming::{self, Case, Scope};
use crate::diagnostics::Diagnostic;
use crate::ir::{Access, DataType, Method, Operation, Origin, Product, Property, Resource, ResourceKind};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Field name every model has for keys it does not document.
pub const UNKNOWN_FIELDS: &str = "unknown_fields";

/// The constructor of a config or binding model that has key properties.
pub const CONSTRUCTOR: &str = "new";

/// Prefix of a setter whose field name is already an endpoint function
/// of the same type (`with_count` when the type has `count()`), or the
/// method of a standard trait (`with_sub`: clippy's
/// `should_implement_trait` reads `sub(self, ..) -> Self` as `Sub::sub`).
const SETTER_PREFIX: &str = "with_";

/// Method names of standard traits (clippy's `should_implement_trait`
/// list) that a setter does not take.
const TRAIT_METHODS: &[&str] = &[
    "add", "as_mut", "as_ref", "bitand", "bitor", "bitxor", "borrow", "borrow_mut", "clone", "cmp", "default", "deref",
    "deref_mut", "div", "drop", "eq", "from_iter", "from_str", "hash", "index", "index_mut", "into_iter", "mul", "neg",
    "next", "not", "rem", "shl", "shr", "sub",
];

/// A field's place in `Model::FIELDS` (byte order of wire names), the
/// index the runtime's codec, the write operations' field lists and the
/// resource facts use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldIndex(pub usize);

/// Everything the printer needs to name and type one resource's items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceShape {
    /// Struct name (`Lbvserver`, `LbvserverStats`).
    pub ident: String,
    /// Fields in `Model::FIELDS` order: `fields[i]` is `FieldIndex(i)`.
    pub fields: Vec<Field>,
    /// The order fields are declared in: key properties as the resource
    /// lists them, then the others by wire name (a reader can guess where
    /// a field is; the reference's row order put properties only older
    /// releases document first).
    pub declared: Vec<FieldIndex>,
    /// The enums this resource defines (another property of the group may
    /// define the enum of a field: then it is only named in the field).
    pub enums: Vec<EnumShape>,
    /// The keys `new` takes, in order; empty when there is no `new`.
    pub constructor: Vec<FieldIndex>,
    /// Chained setters, in `Model::FIELDS` order.
    pub setters: Vec<Setter>,
    /// Endpoint functions, in the order they are printed.
    pub functions: Vec<Function>,
}

impl ResourceShape {
    pub fn field(&self, index: FieldIndex) -> &Field {
        &self.fields[index.0]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Property name on the wire.
    pub wire: String,
    /// Rust field name.
    pub ident: String,
    pub ty: FieldType,
}

/// What a field holds, inside its `Option`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldType {
    Text,
    TextList,
    /// An enum of the module's, by name: `Open<E>`.
    Enum(String),
    EnumList(String),
    Number,
    NumberList,
    Integer,
    IntegerList,
    Boolean,
    /// Another resource's struct, as the path written in this module
    /// (`Box<T>`).
    Struct(String),
    StructList(String),
    /// Anything the codec has no typed slot for: `serde_json::Value`.
    Json,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumShape {
    pub ident: String,
    /// The defining property's wire name.
    pub property: String,
    /// Variants in the order their values appeared across releases (a
    /// value a newer release adds comes last, so the variants already
    /// there keep their discriminants); a value listed twice is one.
    pub variants: Vec<Variant>,
    /// Every property (`resource.property`) that takes these values.
    pub users: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    pub wire: String,
    pub ident: String,
    pub since: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setter {
    /// The field's name, or `with_<field>` where that is taken.
    pub name: String,
    pub field: FieldIndex,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    /// The IR operation it sends (the key of `Resource::operations`).
    pub operation: String,
    pub kind: FunctionKind,
}

/// The endpoint functions a model has, with what each one's signature and
/// body need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FunctionKind {
    /// `add(&self)`, POST for config resources and PUT for bindings, with
    /// the fields the body carries.
    Add { method: Method, fields: Vec<FieldIndex> },
    AddBulk { method: Method, fields: Vec<FieldIndex> },
    Update { fields: Vec<FieldIndex> },
    UpdateBulk { fields: Vec<FieldIndex> },
    Unset,
    /// `delete(&self)` sending the `?args=` entries (alternatives joined
    /// by `|`); with no args, every key of the object.
    DeleteArgs { args: Vec<String> },
    /// `delete(<key>: &str)`, the parameter named after the one key.
    DeleteByKey { param: String },
    /// `delete()` of a singleton.
    DeleteSingleton,
    /// `POST ?action=<verb>` with a list of objects.
    DeleteBulk { verb: &'static str, args: Vec<String> },
    Get { param: String },
    GetAll,
    /// `count(<key>: &str)` per parent, or `count()`.
    Count { param: Option<String> },
    Action { value: String, fields: Vec<FieldIndex> },
}

/// The endpoint an IR operation becomes.
pub enum Endpoint<'a> {
    Add,
    Update,
    Unset,
    Delete,
    Get,
    GetAll,
    Count,
    Action(&'a str),
}

pub fn classify(operation: &Operation) -> Option<Endpoint<'_>> {
    Some(match operation.name.as_str() {
        "add" => Endpoint::Add,
        "update" => Endpoint::Update,
        "unset" => Endpoint::Unset,
        "delete" => Endpoint::Delete,
        "get" => Endpoint::Get,
        "get_all" => Endpoint::GetAll,
        "count" => Endpoint::Count,
        name => Endpoint::Action(name.strip_prefix("action:").filter(|verb| !verb.is_empty())?),
    })
}

/// The shape of every resource of a product, by resource id.
pub fn product(index: &ProductIndex, diagnostics: &mut Vec<Diagnostic>) -> BTreeMap<String, ResourceShape> {
    index.api.resources.iter().map(|(id, resource)| (id.clone(), resource_shape(index, resource, diagnostics))).collect()
}

/// The shape of every resource of one group, by resource id.
pub fn group(index: &ProductIndex, info: &GroupInfo, diagnostics: &mut Vec<Diagnostic>) -> BTreeMap<String, ResourceShape> {
    info.resources.iter().map(|id| (id.clone(), resource_shape(index, &index.api.resources[id], diagnostics))).collect()
}

/// Decides the names, types and signatures of one resource's items.
pub fn resource_shape(index: &ProductIndex, resource: &Resource, diagnostics: &mut Vec<Diagnostic>) -> ResourceShape {
    let info = &index.types[&resource.id()];
    if resource.properties.len() > usize::from(u16::MAX) {
        diagnostics.push(
            Diagnostic::error(resource.origin.clone(), "more than 65,535 properties: field indexes do not fit the runtime's u16")
                .resource(&resource.name),
        );
    }

    // Field names: one scope per struct.
    let (field_names, renames) =
        Scope::new(Case::Snake).reserve(UNKNOWN_FIELDS).resolve(resource.properties.keys().map(String::as_str));
    for rename in renames {
        let origin = Origin { row: resource.properties[&rename.wire].row, ..resource.origin.clone() };
        diagnostics.push(index::rename_note(&origin, Some(&resource.name), "property", &rename));
    }
    let fields: Vec<Field> = resource
        .properties
        .values()
        .map(|property| Field {
            wire: property.name.clone(),
            ident: field_names[&property.name].clone(),
            ty: field_type(index, resource, property, diagnostics),
        })
        .collect();
    let keys = resource.keys.iter().filter_map(|key| field_index(resource, key));
    let others = resource.properties.keys().enumerate().filter(|(_, wire)| !resource.keys.contains(wire)).map(|(at, _)| FieldIndex(at));
    let declared = keys.chain(others).collect();

    let enums = enum_shapes(index, resource, diagnostics);
    let functions = functions(index, resource, &field_names, diagnostics);
    let (constructor, setters) = if resource.kind == ResourceKind::Stat || index.api.product != Product::Adc {
        (Vec::new(), Vec::new())
    } else {
        builder(resource, &fields, &functions)
    };
    ResourceShape { ident: info.ident.clone(), fields, declared, enums, constructor, setters, functions }
}

fn field_type(index: &ProductIndex, resource: &Resource, property: &Property, diagnostics: &mut Vec<Diagnostic>) -> FieldType {
    let info = &index.types[&resource.id()];
    let enum_name = info.enums.get(&property.name).cloned();
    let mut struct_path = |target: &str| {
        let path = index.type_path(target, &info.group);
        if path.is_none() {
            unresolved(resource, property, target, diagnostics);
        }
        path
    };
    match (&property.data_type, enum_name) {
        (DataType::String, Some(e)) => FieldType::Enum(e),
        (DataType::StringList, Some(e)) => FieldType::EnumList(e),
        (DataType::String, None) => FieldType::Text,
        (DataType::StringList, None) => FieldType::TextList,
        (DataType::Double, _) => FieldType::Number,
        (DataType::Integer, _) => FieldType::Integer,
        (DataType::Boolean, _) => FieldType::Boolean,
        (DataType::DoubleList, _) => FieldType::NumberList,
        (DataType::IntegerList, _) => FieldType::IntegerList,
        (DataType::BindingList(target) | DataType::ObjectList(target), _) => {
            struct_path(target).map_or(FieldType::Json, FieldType::StructList)
        }
        (DataType::Object(target), _) => struct_path(target).map_or(FieldType::Json, FieldType::Struct),
        (DataType::Unknown, _) => FieldType::Json,
    }
}

/// A binding list whose binding resource is missing loses its type; an
/// object type with no page of its own is expected (ADM), so only a note.
fn unresolved(resource: &Resource, property: &Property, target: &str, diagnostics: &mut Vec<Diagnostic>) {
    let origin = Origin { row: property.row, ..resource.origin.clone() };
    let diagnostic = match property.data_type {
        DataType::BindingList(_) => Diagnostic::warning(
            origin,
            format!("property `{}` lists `{target}`, which is not a resource of this release; typed as JSON", property.name),
        )
        .hint("check the binding's page name, or add the binding resource to the snapshot"),
        _ => Diagnostic::note(
            origin,
            format!("property `{}` has object type `{target}`, which has no resource of its own; typed as JSON", property.name),
        ),
    };
    diagnostics.push(diagnostic.resource(&resource.name));
}

/// The enums a resource defines: one per property with possible values
/// whose value set no earlier property of the group defined.
fn enum_shapes(index: &ProductIndex, resource: &Resource, diagnostics: &mut Vec<Diagnostic>) -> Vec<EnumShape> {
    let info = &index.types[&resource.id()];
    let mut enums = Vec::new();
    for (property_name, enum_name) in &info.enums {
        if info.enum_defined_elsewhere.contains(property_name) {
            continue;
        }
        let property = &resource.properties[property_name];
        // Variant names: one scope per enum.
        let (variant_names, renames) = Scope::new(Case::Camel).resolve(property.enum_values.iter().map(String::as_str));
        for rename in renames {
            let origin = Origin { row: property.row, ..resource.origin.clone() };
            let what = format!("value {{}} of property `{}`", property.name);
            diagnostics.push(index::rename_note(&origin, Some(&resource.name), &what, &rename));
        }
        // The order values appeared in across releases, the reference's
        // order within one release (`as isize` casts; cargo semver-checks
        // calls a moved variant a breaking change, see docs/semver.md).
        let mut values: Vec<&String> = property.enum_values.iter().collect();
        values.sort_by_cached_key(|value| property.enum_since.get(*value).map(|since| crate::ir::release_key(since)));
        let mut seen = BTreeSet::new();
        let variants = values
            .into_iter()
            .filter(|value| seen.insert(*value))
            .map(|value| Variant {
                wire: value.clone(),
                ident: variant_names[value].clone(),
                since: property.enum_since.get(value).cloned(),
            })
            .collect();
        let users = info.enum_users.get(property_name).cloned().unwrap_or_default();
        enums.push(EnumShape { ident: enum_name.clone(), property: property_name.clone(), variants, users });
    }
    enums
}

/// The endpoint functions: the fixed ones in operation order, then one
/// per action, named in the scope the fixed ones and `new` leave.
fn functions(
    index: &ProductIndex,
    resource: &Resource,
    field_names: &BTreeMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Function> {
    let mut fixed = Vec::new();
    let mut actions = Vec::new();
    for operation in resource.operations.values() {
        match classify(operation) {
            Some(Endpoint::Action(verb)) => actions.push((verb, operation)),
            Some(endpoint) => fixed.push((endpoint, operation)),
            None => diagnostics.push(
                Diagnostic::warning(
                    resource.origin.clone(),
                    format!("operation `{}` is not one the backend knows; no function emitted", operation.name),
                )
                .resource(&resource.name),
            ),
        }
    }
    // A keyless `get` is a `get_all`; emit it once.
    let has_get_all = fixed.iter().any(|(e, _)| matches!(e, Endpoint::GetAll));
    if resource.keys.is_empty() {
        fixed.retain(|(e, _)| !(has_get_all && matches!(e, Endpoint::Get)));
    }
    let key_param = resource.keys.first().map(|key| field_names.get(key).cloned().unwrap_or_else(|| naming::snake(key)));
    let keyed = !resource.keys.is_empty();

    let mut functions = Vec::new();
    for (endpoint, operation) in &fixed {
        let mut push = |name: &str, kind: FunctionKind| {
            functions.push(Function { name: name.to_string(), operation: operation.name.clone(), kind });
        };
        match endpoint {
            Endpoint::Add => {
                let method = add_method(resource, operation, diagnostics);
                let fields = sent_fields(resource, operation);
                push("add", FunctionKind::Add { method, fields: fields.clone() });
                push("add_bulk", FunctionKind::AddBulk { method, fields });
            }
            Endpoint::Update => {
                let fields = sent_fields(resource, operation);
                push("update", FunctionKind::Update { fields: fields.clone() });
                // A singleton (no key) has nothing to update in bulk.
                if keyed {
                    push("update_bulk", FunctionKind::UpdateBulk { fields });
                }
            }
            Endpoint::Unset => push("unset", FunctionKind::Unset),
            Endpoint::Delete => {
                let args = delete_args(resource, operation);
                let one = if !args.is_empty() || resource.keys.len() > 1 {
                    FunctionKind::DeleteArgs { args: args.clone() }
                } else if let Some(param) = &key_param {
                    FunctionKind::DeleteByKey { param: param.clone() }
                } else {
                    FunctionKind::DeleteSingleton
                };
                push("delete", one);
                // Bulk delete is the vendor SDKs' `POST ?action=rm` (see
                // `Request::delete_bulk`, the same choice of verb); a
                // singleton has nothing to list.
                if keyed {
                    let verb = match resource.kind {
                        _ if index.is_adm_v2() => "delete",
                        ResourceKind::Binding => "unbind",
                        _ => "rm",
                    };
                    push("delete_bulk", FunctionKind::DeleteBulk { verb, args });
                }
            }
            Endpoint::Get => match &key_param {
                Some(param) => push("get", FunctionKind::Get { param: param.clone() }),
                None => push("get_all", FunctionKind::GetAll),
            },
            Endpoint::GetAll => push("get_all", FunctionKind::GetAll),
            // Bindings count per parent: `/config/<binding>/{name}?count=yes`.
            Endpoint::Count => {
                let param = key_param.clone().filter(|_| operation.path.contains('{'));
                push("count", FunctionKind::Count { param });
            }
            Endpoint::Action(_) => unreachable!("actions are listed apart"),
        }
    }
    let (action_names, renames) = Scope::new(Case::Snake)
        .reserve_all(functions.iter().map(|f| f.name.as_str()).chain([CONSTRUCTOR]))
        .resolve(actions.iter().map(|(verb, _)| *verb));
    for rename in renames {
        diagnostics.push(index::rename_note(&resource.origin, Some(&resource.name), "action", &rename));
    }
    for (verb, operation) in actions {
        let value = operation.action.clone().unwrap_or_else(|| verb.to_string());
        functions.push(Function {
            name: action_names[verb].clone(),
            operation: operation.name.clone(),
            kind: FunctionKind::Action { value, fields: sent_fields(resource, operation) },
        });
    }
    functions
}

/// The method of an `add`: POST for config resources, PUT for bindings,
/// as the IR says; anything else is reported and sent as POST.
fn add_method(resource: &Resource, operation: &Operation, diagnostics: &mut Vec<Diagnostic>) -> Method {
    match operation.method {
        Method::Post | Method::Put => operation.method,
        other => {
            diagnostics.push(
                Diagnostic::warning(
                    resource.origin.clone(),
                    format!("operation `{}` uses {}, which the runtime cannot send for an add; sent as POST", operation.name, other.as_str()),
                )
                .resource(&resource.name),
            );
            Method::Post
        }
    }
}

/// One expression per object: `new` taking the key properties, and a
/// chained setter per property that `add` sends (`is_written`), named
/// after its field (`Lbvserver::new("web-vs").ipv46("10.0.0.100").port(80)`).
/// A field whose name is one of the type's endpoint functions (`count`,
/// `get`, an action), `new` or a standard trait's method (`sub`) gets its
/// setter as `with_<field>`. The keys `new` takes have no setter; a model
/// without `new` starts from `Default`. (Only ADC config and binding
/// models: see `model::print_builder` for what the set cost.)
fn builder(resource: &Resource, fields: &[Field], functions: &[Function]) -> (Vec<FieldIndex>, Vec<Setter>) {
    let constructor: Vec<FieldIndex> = constructor_keys(resource).iter().filter_map(|key| field_index(resource, &key.name)).collect();
    let taken: BTreeSet<&str> = functions.iter().map(|f| f.name.as_str()).chain([CONSTRUCTOR]).chain(TRAIT_METHODS.iter().copied()).collect();
    let setters = resource
        .properties
        .values()
        .zip(fields)
        .enumerate()
        .filter(|(at, (property, _))| !constructor.contains(&FieldIndex(*at)) && is_written(resource, property))
        .map(|(at, (_, field))| {
            let name = if taken.contains(field.ident.as_str()) {
                format!("{SETTER_PREFIX}{}", field.ident.trim_start_matches('_'))
            } else {
                field.ident.clone()
            };
            Setter { name, field: FieldIndex(at) }
        })
        .collect();
    (constructor, setters)
}

/// The keys `new` takes: the one key of a resource with one; of a
/// composite key, those `add` marks mandatory (`Route::new(network,
/// gateway, netmask)`: `td`, `vlan`, `ownergroup` are optional parts of its
/// identity and get setters). A composite key with none marked (alternatives
/// such as `ntpserver`'s `serverip` or `servername`) gets no `new`: a
/// constructor must not make a caller invent a value that is then sent.
fn constructor_keys(resource: &Resource) -> Vec<&Property> {
    let keys: Vec<&Property> = resource.keys.iter().filter_map(|key| resource.properties.get(key)).collect();
    if keys.len() <= 1 {
        return keys;
    }
    let mandatory: BTreeSet<&str> = resource
        .operations
        .values()
        .filter(|operation| matches!(classify(operation), Some(Endpoint::Add)))
        .flat_map(|operation| operation.payload.iter().filter(|key| key.mandatory).map(|key| key.name.as_str()))
        .collect();
    keys.into_iter().filter(|key| mandatory.contains(key.name.as_str())).collect()
}

/// The fields an operation's body carries (ascending) of the keys the
/// reference lists for it, plus the key properties (they name the
/// object). An operation listed with no keys (derived facts, some
/// actions) sends every property that is not read-only: never a read-only
/// field, never an unknown one.
fn sent_fields(resource: &Resource, operation: &Operation) -> Vec<FieldIndex> {
    resource
        .properties
        .values()
        .enumerate()
        .filter(|(_, property)| resource.keys.contains(&property.name) || is_sent(operation, property))
        .map(|(at, _)| FieldIndex(at))
        .collect()
}

/// Whether a write operation's body carries a property that is not a key
/// (`sent_fields`): the reference lists it for the operation, or the
/// operation is listed without keys and the property is not read-only.
fn is_sent(operation: &Operation, property: &Property) -> bool {
    if operation.payload.is_empty() {
        property.access != Access::ReadOnly
    } else {
        operation.payload.iter().any(|key| key.name == property.name)
    }
}

/// Whether `add` of a resource sends a property: the fields that get a
/// setter.
fn is_written(resource: &Resource, property: &Property) -> bool {
    resource.operations.values().filter(|operation| matches!(classify(operation), Some(Endpoint::Add))).any(|operation| is_sent(operation, property))
}

/// A property's place in `Model::FIELDS` (the IR map's order).
fn field_index(resource: &Resource, wire: &str) -> Option<FieldIndex> {
    resource.properties.keys().position(|key| key == wire).map(FieldIndex)
}

/// The `?args=` entries of a delete: one per argument, or alternatives
/// the appliance takes only one of (`ir::ALTERNATIVE_ARGS`) joined by `|`
/// in order of preference, the runtime sending the first that is set. The
/// one named after what a binding binds comes first (`servicegroupname` on
/// `lbvserver_servicegroup_binding`).
pub fn delete_args(resource: &Resource, operation: &Operation) -> Vec<String> {
    let names: Vec<&str> = operation.args.iter().map(|arg| arg.name.as_str()).collect();
    let mut entries = Vec::new();
    let mut done = BTreeSet::new();
    for name in &names {
        if done.contains(name) {
            continue;
        }
        let group = crate::ir::ALTERNATIVE_ARGS
            .iter()
            .find(|group| group.contains(name) && group.iter().filter(|member| names.contains(member)).count() > 1);
        match group {
            Some(group) => {
                let mut members: Vec<&str> = group.iter().copied().filter(|member| names.contains(member)).collect();
                let bound = |member: &str| resource.name.contains(&format!("_{}_", member.trim_end_matches("name")));
                members.sort_by_key(|member| !bound(member));
                done.extend(members.iter().copied());
                entries.push(members.join("|"));
            }
            None => {
                done.insert(name);
                entries.push(name.to_string());
            }
        }
    }
    entries
}

impl FieldType {
    /// The type as a reader writes it (for [`outline`]).
    fn words(&self) -> String {
        match self {
            FieldType::Text => "String".into(),
            FieldType::TextList => "Vec<String>".into(),
            FieldType::Enum(name) => format!("Open<{name}>"),
            FieldType::EnumList(name) => format!("Vec<Open<{name}>>"),
            FieldType::Number => "Number".into(),
            FieldType::NumberList => "Vec<Number>".into(),
            FieldType::Integer => "i64".into(),
            FieldType::IntegerList => "Vec<i64>".into(),
            FieldType::Boolean => "bool".into(),
            FieldType::Struct(path) => format!("Box<{path}>"),
            FieldType::StructList(path) => format!("Vec<{path}>"),
            FieldType::Json => "Value".into(),
        }
    }
}

/// A product's shape as text: per group module, per resource its struct,
/// fields (declared order; the wire name where it differs), the enums it
/// defines and their variants, `new`, the setters whose name is not the
/// field's, and the endpoint functions with their parameters. Resources
/// in id order, so adding one adds a block.
pub fn outline(index: &ProductIndex, shapes: &BTreeMap<String, ResourceShape>) -> String {
    let mut text = String::new();
    for (id, shape) in shapes {
        let info = &index.types[id];
        let module = &index.groups[&info.group].module;
        let _ = writeln!(text, "{}::{module}::{} ({id})", index.module, shape.ident);
        for at in &shape.declared {
            let field = shape.field(*at);
            let wire = if field.ident == field.wire { String::new() } else { format!(" (wire `{}`)", field.wire) };
            let _ = writeln!(text, "  {}: {}{wire}", field.ident, field.ty.words());
        }
        for defined in &shape.enums {
            let variants: Vec<String> = defined
                .variants
                .iter()
                .map(|v| if naming::camel(&v.wire) == v.ident { v.ident.clone() } else { format!("{} (`{}`)", v.ident, v.wire) })
                .collect();
            let _ = writeln!(text, "  enum {}: {}", defined.ident, variants.join(", "));
        }
        if !shape.constructor.is_empty() {
            let params: Vec<&str> = shape.constructor.iter().map(|at| shape.field(*at).ident.as_str()).collect();
            let _ = writeln!(text, "  fn new({})", params.join(", "));
        }
        let renamed: Vec<&str> = shape.setters.iter().filter(|s| s.name != shape.field(s.field).ident).map(|s| s.name.as_str()).collect();
        if !shape.setters.is_empty() {
            let _ = writeln!(text, "  setters: {}{}", shape.setters.len(), if renamed.is_empty() { String::new() } else { format!(" ({})", renamed.join(", ")) });
        }
        for function in &shape.functions {
            let _ = writeln!(text, "  fn {}", function.signature_words());
        }
    }
    text
}

impl Function {
    /// `get(name)`, `add(&self)`, `add_bulk([Self])`.
    fn signature_words(&self) -> String {
        let params = match &self.kind {
            FunctionKind::Add { .. }
            | FunctionKind::Update { .. }
            | FunctionKind::Unset
            | FunctionKind::DeleteArgs { .. }
            | FunctionKind::Action { .. } => "&self".to_string(),
            FunctionKind::AddBulk { .. } | FunctionKind::UpdateBulk { .. } | FunctionKind::DeleteBulk { .. } => "[Self]".to_string(),
            FunctionKind::DeleteByKey { param } | FunctionKind::Get { param } => param.clone(),
            FunctionKind::Count { param } => param.clone().unwrap_or_default(),
            FunctionKind::DeleteSingleton | FunctionKind::GetAll => String::new(),
        };
        format!("{}({params})", self.name)
    }
}
