//! Models: the items of one NITRO resource (struct, enums, trait impls,
//! endpoint functions).
//!
//! The shape is chosen for compile time: no serde derives; the struct maps
//! field indexes to field references (`Model`) and one table-driven codec
//! in the runtime does the encoding; `Debug` and `PartialEq` are one-line
//! impls calling the runtime's table-driven `debug_model`/`eq_models`
//! (the derives cost ~20% of the crate's check time); every endpoint
//! function is one line that builds a runtime `Request`.

use super::docs;
use super::index::{self, ProductIndex};
use super::naming::{self, Case, Scope};
use super::EmitSettings;
use crate::diagnostics::Diagnostic;
use crate::ir::{Access, DataType, Item, Method, Operation, Origin, Product, Property, Resource, ResourceKind};
use crate::since::Gone;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Gone enum values of one property listed one by one up to this many;
/// more are counted.
const GONE_VALUES_LISTED: usize = 12;

/// Field name every model has for keys it does not document.
const UNKNOWN_FIELDS: &str = "unknown_fields";

/// The constructor of a config or binding model that has key properties.
const CONSTRUCTOR: &str = "new";

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

/// All items of one resource, in order: struct, enums, impls.
pub fn emit_resource(
    index: &ProductIndex,
    resource: &Resource,
    settings: &EmitSettings,
    diagnostics: &mut Vec<Diagnostic>,
) -> TokenStream {
    let id = resource.id();
    let info = &index.types[&id];
    let struct_ident = ident(&info.ident);
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

    // Struct fields: the key properties in the order the resource lists
    // them, then the others by wire name (a reader can guess where a field
    // is; the reference's row order put properties only older releases
    // document first). The `Model` table is in byte order of wire names
    // (the order of the IR map).
    let keys = resource.keys.iter().filter_map(|key| resource.properties.get(key));
    let others = resource.properties.values().filter(|p| !resource.keys.contains(&p.name));
    let mut fields = TokenStream::new();
    for property in keys.chain(others) {
        let field_ident = ident(&field_names[&property.name]);
        let field_type = field_type(index, resource, property, diagnostics);
        let doc = docs::attrs(&field_doc(index, resource, property, &field_names[&property.name], settings));
        fields.extend(quote! { #doc pub #field_ident: #field_type, });
    }

    let struct_doc = docs::attrs(&struct_doc(index, resource, settings));
    let unknown_doc = docs::attrs(&["Keys the reference does not document, kept as received.".to_string()]);
    let unknown_ident = ident(UNKNOWN_FIELDS);
    let struct_item = quote! {
        #struct_doc
        #[derive(Clone, Default)]
        #[non_exhaustive]
        pub struct #struct_ident {
            #fields
            #unknown_doc
            pub #unknown_ident: rt::UnknownFields,
        }
    };

    let enums = emit_enums(index, resource, &info.enums, diagnostics);
    let model_impl = emit_model_impl(resource, &struct_ident, &field_names);
    let resource_impl = emit_resource_impl(index, resource, &struct_ident);
    let (endpoints, function_names) = emit_endpoints(index, resource, &struct_ident, &field_names, diagnostics);
    let builder = emit_builder(index, resource, &struct_ident, &field_names, &function_names);

    quote! {
        #struct_item
        #enums
        #model_impl
        #resource_impl
        #builder
        #endpoints
    }
}

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

fn path_tokens(path: &str) -> TokenStream {
    path.parse().expect("type paths built by the index are valid Rust")
}

fn field_type(
    index: &ProductIndex,
    resource: &Resource,
    property: &Property,
    diagnostics: &mut Vec<Diagnostic>,
) -> TokenStream {
    let info = &index.types[&resource.id()];
    let enum_ident = info.enums.get(&property.name).map(|name| ident(name));
    match (&property.data_type, enum_ident) {
        (DataType::String, Some(e)) => quote!(Option<rt::Open<#e>>),
        (DataType::StringList, Some(e)) => quote!(Option<Vec<rt::Open<#e>>>),
        (DataType::String, None) => quote!(Option<String>),
        (DataType::StringList, None) => quote!(Option<Vec<String>>),
        (DataType::Double, _) => quote!(Option<rt::Number>),
        (DataType::Integer, _) => quote!(Option<i64>),
        (DataType::Boolean, _) => quote!(Option<bool>),
        (DataType::DoubleList, _) => quote!(Option<Vec<rt::Number>>),
        (DataType::IntegerList, _) => quote!(Option<Vec<i64>>),
        (DataType::BindingList(target), _) | (DataType::ObjectList(target), _) => {
            match index.type_path(target, &info.group) {
                Some(path) => {
                    let path = path_tokens(&path);
                    quote!(Option<Vec<#path>>)
                }
                None => {
                    unresolved(resource, property, target, diagnostics);
                    quote!(Option<serde_json::Value>)
                }
            }
        }
        (DataType::Object(target), _) => match index.type_path(target, &info.group) {
            Some(path) => {
                let path = path_tokens(&path);
                quote!(Option<Box<#path>>)
            }
            None => {
                unresolved(resource, property, target, diagnostics);
                quote!(Option<serde_json::Value>)
            }
        },
        (DataType::Unknown, _) => quote!(Option<serde_json::Value>),
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

fn emit_enums(
    index: &ProductIndex,
    resource: &Resource,
    enums: &BTreeMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> TokenStream {
    let info = &index.types[&resource.id()];
    let mut tokens = TokenStream::new();
    for (property_name, enum_name) in enums {
        let property = &resource.properties[property_name];
        let enum_ident = ident(enum_name);
        // Another property of the group defines the enum of these values.
        if info.enum_defined_elsewhere.contains(property_name) {
            continue;
        }
        let users = info.enum_users.get(property_name).map(Vec::as_slice).unwrap_or_default();

        // Variant names: one scope per enum.
        let (variant_names, renames) = Scope::new(Case::Camel).resolve(property.enum_values.iter().map(String::as_str));
        for rename in renames {
            let origin = Origin { row: property.row, ..resource.origin.clone() };
            let what = format!("value {{}} of property `{}`", property.name);
            diagnostics.push(index::rename_note(&origin, Some(&resource.name), &what, &rename));
        }
        let mut variants = TokenStream::new();
        let mut table = TokenStream::new();
        let mut seen = std::collections::BTreeSet::new();
        // Variants in the order their values appeared across releases,
        // the reference's order within one release: a value a newer
        // release adds comes last, so the variants already there keep
        // their discriminants (`as isize` casts; cargo semver-checks
        // calls a moved variant a breaking change, see docs/semver.md).
        let mut values: Vec<&String> = property.enum_values.iter().collect();
        values.sort_by_cached_key(|value| property.enum_since.get(*value).map(|since| crate::ir::release_key(since)));
        for value in values {
            if !seen.insert(value) {
                continue; // a value listed twice is one variant
            }
            let variant = ident(&variant_names[value]);
            let mut lines = vec![docs::code(value)];
            if let Some(since) = property.enum_since.get(value) {
                lines.push(String::new());
                lines.push(format!("Since {}.", docs::code(since)));
            }
            let doc = docs::attrs(&lines);
            variants.extend(quote! { #doc #variant, });
            table.extend(quote! { (Self::#variant, #value), });
        }
        let lines = if users.len() > 1 {
            vec![format!("Values of {}.", docs::code_list(users.iter().map(String::as_str)))]
        } else {
            vec![format!("Values of {}.{} ([`{}`]).", docs::code(&resource.name), docs::code(&property.name), info.ident)]
        };
        let doc = docs::attrs(&lines);
        // No `PartialOrd`/`Ord`: the order of a reference's values means
        // nothing on the wire, and the two derives on ~1,000 enums cost
        // ~2 s and ~55 MB of the all-features check.
        tokens.extend(quote! {
            #doc
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #enum_ident { #variants }

            impl rt::WireEnum for #enum_ident {
                const VALUES: &'static [(Self, &'static str)] = &[#table];
            }
        });
    }
    tokens
}

fn emit_model_impl(resource: &Resource, struct_ident: &Ident, field_names: &BTreeMap<String, String>) -> TokenStream {
    // `resource.properties` iterates in byte order of wire names: the
    // order `Model::FIELDS` promises.
    let wires: Vec<&str> = resource.properties.keys().map(String::as_str).collect();
    let mut arms = TokenStream::new();
    let mut arms_mut = TokenStream::new();
    for (position, wire) in wires.iter().enumerate() {
        let field = ident(&field_names[*wire]);
        let position = proc_macro2::Literal::usize_unsuffixed(position);
        arms.extend(quote!(#position => self.#field.as_field(),));
        arms_mut.extend(quote!(#position => self.#field.as_field_mut(),));
    }
    // Indexes come only from the runtime codec walking `FIELDS`; index
    // `FIELDS.len()` is the unknown fields (`Model::unknown_fields`, so no
    // function of its own: 5,082 of them cost ~90 MB of the all-features
    // check); any other index is a bug in the runtime, not bad input.
    let unknown_at = proc_macro2::Literal::usize_unsuffixed(wires.len());
    let body = quote! { match index { #arms #unknown_at => rt::FieldRef::Unknown(&self.unknown_fields), _ => unreachable!() } };
    let body_mut = quote! { match index { #arms_mut #unknown_at => rt::FieldMut::Unknown(&mut self.unknown_fields), _ => unreachable!() } };
    // Secrets are redacted by `Debug` (`rt::model::debug_model`).
    let secrets: Vec<proc_macro2::Literal> = resource.properties.values().enumerate().filter(|(_, p)| p.secret).map(|(i, _)| field_position(i)).collect();
    let secrets = (!secrets.is_empty()).then(|| quote! { const SECRETS: &'static [u16] = &[#(#secrets),*]; });
    quote! {
        impl rt::Model for #struct_ident {
            const FIELDS: &'static [&'static str] = &[#(#wires),*];
            #secrets
            // Inlined into the runtime's `for_each_set` loop, where it lets
            // the compiler drop the per-field `FieldRef` dispatch.
            #[inline(always)]
            fn field(&self, index: usize) -> rt::FieldRef<'_> { #body }
            fn field_mut(&mut self, index: usize) -> rt::FieldMut<'_> { #body_mut }
        }

        impl ::serde::Serialize for #struct_ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                rt::model::serialize(self, serializer)
            }
        }

        impl ::std::fmt::Debug for #struct_ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { rt::model::debug_model(self, f) }
        }

        impl PartialEq for #struct_ident {
            fn eq(&self, other: &Self) -> bool { rt::model::eq_models(self, other) }
        }

        impl<'de> ::serde::Deserialize<'de> for #struct_ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                rt::model::deserialize(deserializer)
            }
        }
    }
}

/// One expression per object: `new` taking the key properties, and a
/// chained setter per property that a write operation of the type sends
/// (`add`, `update`, an action: `is_written`), named after its field
/// (`Lbvserver::new("web-vs").ipv46("10.0.0.100").port(80)`). A field
/// whose name is one of the type's endpoint functions (`count`, `get`,
/// an action), `new` or a standard trait's method (`sub`) gets its setter
/// as `with_<field>`. Statistics are read-only: neither. The keys `new`
/// takes (`constructor_keys`) have no setter; a model without `new` starts
/// from `Default`.
///
/// Compile cost decides the set: a setter on every writable field (21,900
/// functions) took the all-features check from 1.85 to 2.25 GB, over the
/// 2 GB target; fields no write sends (most of ADM's, which documents few
/// operations' keys) could be set but never reach the appliance, so they
/// get none (9,555 setters). Every setter is a generic one-liner
/// (`impl Into<..>`): a plain parameter type saved only ~100 MB of the 400.
fn emit_builder(
    index: &ProductIndex,
    resource: &Resource,
    struct_ident: &Ident,
    field_names: &BTreeMap<String, String>,
    function_names: &BTreeSet<String>,
) -> TokenStream {
    if resource.kind == ResourceKind::Stat || index.api.product != Product::Adc {
        return TokenStream::new();
    }
    let mut functions = TokenStream::new();
    let keys = constructor_keys(resource);
    if !keys.is_empty() {
        let mut params = TokenStream::new();
        let mut inits = TokenStream::new();
        for key in &keys {
            let field = ident(&field_names[&key.name]);
            let (param_type, value) = setter_input(index, resource, key, &field);
            params.extend(quote! { #field: #param_type, });
            inits.extend(quote! { #field: Some(#value), });
        }
        let doc = docs::attrs(&[format!(
            "A {} named by its {}, every other field unset.",
            docs::code(&resource.name),
            if keys.len() == 1 { "key".to_string() } else { format!("keys ({})", docs::code_list(keys.iter().map(|k| k.name.as_str()))) }
        )]);
        functions.extend(quote! {
            #doc
            pub fn new(#params) -> Self { Self { #inits ..Self::default() } }
        });
    }
    for property in resource.properties.values() {
        if keys.iter().any(|key| key.name == property.name) || !is_written(resource, property) {
            continue;
        }
        let field_name = &field_names[&property.name];
        let field = ident(field_name);
        let setter = if function_names.contains(field_name) || field_name == CONSTRUCTOR || TRAIT_METHODS.contains(&field_name.as_str()) {
            ident(&format!("{SETTER_PREFIX}{}", field_name.trim_start_matches('_')))
        } else {
            field.clone()
        };
        let (param_type, value) = setter_input(index, resource, property, &field);
        let doc = docs::attrs(&[format!("Sets [`{field_name}`](Self::{field_name}).")]);
        functions.extend(quote! {
            #doc
            pub fn #setter(mut self, #field: #param_type) -> Self { self.#field = Some(#value); self }
        });
    }
    if functions.is_empty() {
        return TokenStream::new();
    }
    quote! { impl #struct_ident { #functions } }
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

/// A setter's parameter type and the expression that turns the parameter
/// (`field`) into the field's value inside `Some(..)`: `impl Into<T>` for
/// one value, `impl IntoIterator` of `impl Into<T>` for a list.
fn setter_input(
    index: &ProductIndex,
    resource: &Resource,
    property: &Property,
    field: &Ident,
) -> (TokenStream, TokenStream) {
    let info = &index.types[&resource.id()];
    let enum_ident = info.enums.get(&property.name).map(|name| ident(name));
    let one = |t: TokenStream| (quote!(impl Into<#t>), quote!(#field.into()));
    let list = |t: TokenStream| (quote!(impl IntoIterator<Item = impl Into<#t>>), quote!(#field.into_iter().map(Into::into).collect()));
    match (&property.data_type, enum_ident) {
        (DataType::String, Some(e)) => (quote!(#e), quote!(rt::Open::Known(#field))),
        (DataType::StringList, Some(e)) => {
            (quote!(impl IntoIterator<Item = #e>), quote!(#field.into_iter().map(rt::Open::Known).collect()))
        }
        (DataType::String, None) => one(quote!(String)),
        (DataType::StringList, None) => list(quote!(String)),
        (DataType::Double, _) => one(quote!(rt::Number)),
        (DataType::Integer, _) => (quote!(i64), quote!(#field)),
        (DataType::Boolean, _) => (quote!(bool), quote!(#field)),
        (DataType::DoubleList, _) => list(quote!(rt::Number)),
        (DataType::IntegerList, _) => list(quote!(i64)),
        (DataType::BindingList(target), _) | (DataType::ObjectList(target), _) => match index.type_path(target, &info.group) {
            Some(path) => {
                let path = path_tokens(&path);
                (quote!(impl IntoIterator<Item = #path>), quote!(#field.into_iter().collect()))
            }
            None => one(quote!(serde_json::Value)),
        },
        (DataType::Object(target), _) => match index.type_path(target, &info.group) {
            Some(path) => {
                let path = path_tokens(&path);
                (quote!(#path), quote!(Box::new(#field)))
            }
            None => one(quote!(serde_json::Value)),
        },
        (DataType::Unknown, _) => one(quote!(serde_json::Value)),
    }
}

/// A field's index in `Model::FIELDS`, written as an unsuffixed literal
/// of the runtime's `u16` (the widest resource has a few hundred
/// properties; `emit_resource` reports one with more than `u16::MAX`).
fn field_position(index: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(index)
}

/// The fields an operation's body carries: indexes into `Model::FIELDS`
/// (ascending) of the keys the reference lists for it, plus the key
/// properties (they name the object). An operation listed with no keys
/// (derived facts, some actions) sends every property that is not
/// read-only: never a read-only field, never an unknown one.
fn sent_fields(resource: &Resource, operation: &Operation) -> Vec<proc_macro2::Literal> {
    resource
        .properties
        .values()
        .enumerate()
        .filter(|(_, property)| resource.keys.contains(&property.name) || is_sent(operation, property))
        .map(|(index, _)| field_position(index))
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

/// The `?args=` entries of a delete: one per argument, or alternatives
/// the appliance takes only one of (`ir::ALTERNATIVE_ARGS`) joined by `|`
/// in order of preference, the runtime sending the first that is set. The
/// one named after what a binding binds comes first (`servicegroupname` on
/// `lbvserver_servicegroup_binding`).
fn delete_args(resource: &Resource, operation: &Operation) -> Vec<String> {
    let names: Vec<&str> = operation.args.iter().map(|arg| arg.name.as_str()).collect();
    let mut entries = Vec::new();
    let mut done = std::collections::BTreeSet::new();
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

/// The product's resource facts the runtime looks up by name, as the text
/// of `<product>::RESOURCE_FACTS` (read by the runtime's `resource.rs`):
/// one line per resource that has any, in resource id order,
/// `<id> <since> <fields> <delete args>`, `-` for none, where `<id>` is
/// the wire name (`stat/` before stat resources), `<since>` the release
/// that introduced the resource, `<fields>` `index:release` pairs
/// (indexes into `Model::FIELDS`) joined by `,`, and `<delete args>` a
/// binding's delete arguments joined by `,` (alternatives by `|`: what
/// names one row, for `sync_bindings`). Releases only when newer than the
/// oldest documented one, only for fields a write can send, and not for
/// a field as new as its resource. One text per product rather than
/// constants per model: ~2,200 constants cost ~24 MB of the all-features
/// check, this text almost nothing.
pub fn resource_facts(index: &ProductIndex) -> String {
    let mut text = String::new();
    for (id, resource) in &index.api.resources {
        let since = index.since_note(resource.since.as_ref());
        let fields: Vec<String> = if resource.kind == ResourceKind::Stat {
            Vec::new()
        } else {
            resource
                .properties
                .values()
                .enumerate()
                .filter(|(_, property)| property.access != Access::ReadOnly && property.since != resource.since)
                .filter_map(|(position, property)| index.since_note(property.since.as_ref()).map(|since| format!("{position}:{since}")))
                .collect()
        };
        let delete_args: Vec<String> = match resource.kind {
            ResourceKind::Binding => resource
                .operations
                .values()
                .find(|operation| matches!(classify(operation), Some(Endpoint::Delete)))
                .map(|operation| delete_args(resource, operation))
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        if since.is_some() || !fields.is_empty() || !delete_args.is_empty() {
            let or_none = |text: String| if text.is_empty() { "-".to_string() } else { text };
            text.push_str(&format!("{id} {} {} {}\n", since.unwrap_or("-"), or_none(fields.join(",")), or_none(delete_args.join(","))));
        }
    }
    text
}

fn emit_resource_impl(index: &ProductIndex, resource: &Resource, struct_ident: &Ident) -> TokenStream {
    let name = &resource.name;
    let kind = match resource.kind {
        ResourceKind::Config => quote!(rt::ResourceKind::Config),
        ResourceKind::Binding => quote!(rt::ResourceKind::Binding),
        ResourceKind::Stat => quote!(rt::ResourceKind::Stat),
    };
    let api = runtime_api(index);
    let keys = &resource.keys;
    quote! {
        impl rt::Resource for #struct_ident {
            const NAME: &'static str = #name;
            const KIND: rt::ResourceKind = #kind;
            const API: rt::Api = #api;
            const KEYS: &'static [&'static str] = &[#(#keys),*];
        }
    }
}

/// The runtime's `Api` value: ADC is v1; ADM follows its base path.
fn runtime_api(index: &ProductIndex) -> TokenStream {
    match index.api.product {
        Product::Adm if is_adm_v2(index) => quote!(rt::Api::AdmV2),
        Product::Adm => quote!(rt::Api::AdmV1),
        _ => quote!(rt::Api::AdcV1),
    }
}

/// ADM on `/nitro/v2` (the runtime's `Api::AdmV2`).
fn is_adm_v2(index: &ProductIndex) -> bool {
    index.api.product == Product::Adm && index.api.base_path.trim_end_matches('/').ends_with("/v2")
}

/// The endpoint function an operation becomes.
enum Endpoint<'a> {
    Add,
    Update,
    Unset,
    Delete,
    Get,
    GetAll,
    Count,
    Action(&'a str),
}

fn classify(operation: &Operation) -> Option<Endpoint<'_>> {
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

fn emit_endpoints(
    index: &ProductIndex,
    resource: &Resource,
    struct_ident: &Ident,
    field_names: &BTreeMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (TokenStream, BTreeSet<String>) {
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

    let base = index.api.base_path.trim_end_matches('/');
    let primary_key = resource.keys.first().map(|key| {
        let name = field_names.get(key).cloned().unwrap_or_else(|| naming::snake(key));
        (key.as_str(), ident(&name))
    });
    let mut functions = TokenStream::new();
    for (endpoint, operation) in &fixed {
        let url = |suffix: &str| format!("{} {base}{}{suffix}", operation.method.as_str(), operation.path);
        let line = |suffix: &str| endpoint_line(&url(suffix), operation);
        let function = match endpoint {
            Endpoint::Add => {
                let method = runtime_method(resource, operation, diagnostics);
                let one = doc_lines(vec![line("")], mandatory_line(operation));
                let many = docs::attrs(&[
                    format!("{} with a list of objects (bulk add).", docs::code(&url(""))),
                ]);
                let fields = sent_fields(resource, operation);
                quote! {
                    #one
                    pub fn add(&self) -> rt::Request<rt::Outcome> { rt::Request::add_only(self, #method, &[#(#fields),*]) }
                    #many
                    pub fn add_bulk(items: &[Self]) -> rt::Request<rt::Outcome> { rt::Request::add_bulk_only(items, #method, &[#(#fields),*]) }
                }
            }
            Endpoint::Update => {
                let doc = docs::attrs(&[line("")]);
                let fields = sent_fields(resource, operation);
                let one = quote! { #doc pub fn update(&self) -> rt::Request<rt::Outcome> { rt::Request::update_only(self, &[#(#fields),*]) } };
                // A singleton (no key) has nothing to update in bulk.
                if resource.keys.is_empty() {
                    one
                } else {
                    let many = docs::attrs(&[format!("{} with a list of objects (bulk update).", docs::code(&url("")))]);
                    quote! {
                        #one
                        #many
                        pub fn update_bulk(items: &[Self]) -> rt::Request<rt::Outcome> { rt::Request::update_bulk_only(items, &[#(#fields),*]) }
                    }
                }
            }
            Endpoint::Unset => {
                let doc = docs::attrs(&[line("?action=unset")]);
                quote! {
                    #doc
                    pub fn unset(&self, properties: &[&str]) -> rt::Request<rt::Outcome> { rt::Request::unset(self, properties) }
                }
            }
            Endpoint::Delete => {
                let args = delete_args(resource, operation);
                // Bulk delete is the vendor SDKs' `POST ?action=rm` (see
                // `Request::delete_bulk`); a singleton has nothing to list.
                let bulk = (!resource.keys.is_empty()).then(|| {
                    // The same choice as the runtime's `Request::delete_bulk`.
                    let verb = match resource.kind {
                        _ if is_adm_v2(index) => "delete",
                        ResourceKind::Binding => "unbind",
                        _ => "rm",
                    };
                    let doc = docs::attrs(&[format!(
                        "{} with a list of objects (bulk delete).",
                        docs::code(&format!("POST {base}{}?action={verb}", operation.path.split("/{").next().unwrap_or_default()))
                    )]);
                    quote! { #doc pub fn delete_bulk(items: &[Self]) -> rt::Request<rt::Outcome> { rt::Request::delete_bulk_args(items, &[#(#args),*]) } }
                });
                let one = if !args.is_empty() {
                    let doc = docs::attrs(&[
                        line(""),
                        String::new(),
                        format!("Arguments: {}.", docs::code_list(args.iter().map(String::as_str))),
                    ]);
                    quote! { #doc pub fn delete(&self) -> rt::Request<rt::Outcome> { rt::Request::delete(self, &[#(#args),*]) } }
                } else if resource.keys.len() == 1 {
                    let (_, key) = primary_key.clone().expect("one key");
                    let doc = docs::attrs(&[line("")]);
                    quote! {
                        #doc
                        pub fn delete(#key: &str) -> rt::Request<rt::Outcome> { rt::Request::delete_by_key::<Self>(Some(#key)) }
                    }
                } else if resource.keys.is_empty() {
                    let doc = docs::attrs(&[line("")]);
                    quote! { #doc pub fn delete() -> rt::Request<rt::Outcome> { rt::Request::delete_by_key::<Self>(None) } }
                } else {
                    let doc = docs::attrs(&[
                        line(""),
                        String::new(),
                        format!("Keys: {}.", docs::code_list(resource.keys.iter().map(String::as_str))),
                    ]);
                    quote! { #doc pub fn delete(&self) -> rt::Request<rt::Outcome> { rt::Request::delete(self, &[]) } }
                };
                quote! { #one #bulk }
            }
            Endpoint::Get => match &primary_key {
                Some((_, key)) => {
                    let doc = docs::attrs(&[line("")]);
                    quote! { #doc pub fn get(#key: &str) -> rt::Request<Vec<Self>> { rt::Request::get(#key) } }
                }
                None => {
                    let doc = docs::attrs(&[line("")]);
                    quote! { #doc pub fn get_all() -> rt::Request<Vec<Self>> { rt::Request::get_all() } }
                }
            },
            Endpoint::GetAll => {
                let doc = docs::attrs(&[line("")]);
                quote! { #doc pub fn get_all() -> rt::Request<Vec<Self>> { rt::Request::get_all() } }
            }
            // Bindings count per parent: `/config/<binding>/{name}?count=yes`.
            Endpoint::Count => match &primary_key {
                Some((_, key)) if operation.path.contains('{') => {
                    let doc = docs::attrs(&[line("?count=yes")]);
                    quote! { #doc pub fn count(#key: &str) -> rt::Request<u64> { rt::Request::count_by_key::<Self>(#key) } }
                }
                _ => {
                    let doc = docs::attrs(&[line("?count=yes")]);
                    quote! { #doc pub fn count() -> rt::Request<u64> { rt::Request::count::<Self>() } }
                }
            },
            Endpoint::Action(_) => unreachable!("actions are listed apart"),
        };
        functions.extend(function);
    }
    // The names the fixed functions took (read from what was emitted, so
    // there is no second list to keep in step); `new` is the constructor
    // (`emit_builder`). Actions get the rest.
    let fixed_names = function_names(&functions);
    let (action_names, renames) = Scope::new(Case::Snake)
        .reserve_all(fixed_names.iter().map(String::as_str).chain([CONSTRUCTOR]))
        .resolve(actions.iter().map(|(v, _)| *v));
    for rename in renames {
        diagnostics.push(index::rename_note(&resource.origin, Some(&resource.name), "action", &rename));
    }
    for (verb, operation) in &actions {
        let function = ident(&action_names[*verb]);
        let value = operation.action.clone().unwrap_or_else(|| verb.to_string());
        let url = format!("{} {base}{}?action={value}", operation.method.as_str(), operation.path);
        let doc = doc_lines(vec![endpoint_line(&url, operation)], mandatory_line(operation));
        let fields = sent_fields(resource, operation);
        functions.extend(quote! {
            #doc
            pub fn #function(&self) -> rt::Request<rt::Outcome> { rt::Request::action_only(self, #value, &[#(#fields),*]) }
        });
    }
    let names: BTreeSet<String> = fixed_names.into_iter().chain(action_names.into_values()).collect();
    if functions.is_empty() {
        return (TokenStream::new(), names);
    }
    (quote! { impl #struct_ident { #functions } }, names)
}

/// Names of the functions in `tokens` (each `fn <name>`), in order.
fn function_names(tokens: &TokenStream) -> Vec<String> {
    let mut names = Vec::new();
    let mut after_fn = false;
    for token in tokens.clone() {
        if let proc_macro2::TokenTree::Ident(ident) = &token {
            if after_fn {
                names.push(ident.to_string());
            }
            after_fn = ident == "fn";
        } else {
            after_fn = false;
        }
    }
    names
}

/// The method and URL of an operation as a code span, marked when the
/// reference gave no method and the frontend inferred it.
fn endpoint_line(url: &str, operation: &Operation) -> String {
    if operation.method_inferred {
        format!("{} (method inferred: the reference gives none)", docs::code(url))
    } else {
        docs::code(url)
    }
}

fn doc_lines(mut lines: Vec<String>, extra: Option<String>) -> TokenStream {
    if let Some(extra) = extra {
        lines.push(String::new());
        lines.push(extra);
    }
    docs::attrs(&lines)
}

fn mandatory_line(operation: &Operation) -> Option<String> {
    let mandatory: Vec<&str> = operation.payload.iter().filter(|k| k.mandatory).map(|k| k.name.as_str()).collect();
    (!mandatory.is_empty()).then(|| format!("Mandatory: {}.", docs::code_list(mandatory)))
}

/// The runtime method of an `add`: POST for config resources, PUT for
/// bindings, as the IR says; anything else is reported and sent as POST.
fn runtime_method(resource: &Resource, operation: &Operation, diagnostics: &mut Vec<Diagnostic>) -> TokenStream {
    match operation.method {
        Method::Post => quote!(rt::Method::Post),
        Method::Put => quote!(rt::Method::Put),
        other => {
            diagnostics.push(
                Diagnostic::warning(
                    resource.origin.clone(),
                    format!("operation `{}` uses {}, which the runtime cannot send for an add; sent as POST", operation.name, other.as_str()),
                )
                .resource(&resource.name),
            );
            quote!(rt::Method::Post)
        }
    }
}

fn struct_doc(index: &ProductIndex, resource: &Resource, settings: &EmitSettings) -> Vec<String> {
    let product = match index.api.product {
        Product::Adm => "ADM",
        _ => "ADC",
    };
    let mut lines = vec![format!(
        "NITRO {} resource {} of {product} group {}.",
        resource.kind.as_str(),
        docs::code(&resource.name),
        docs::code(&index::group_name(resource))
    )];
    if settings.descriptions {
        if let Some(description) = &resource.description {
            lines.push(String::new());
            lines.extend(docs::prose(description));
        }
    }
    lines.push(String::new());
    let url = format!("{}/{}/{}", index.api.base_path.trim_end_matches('/'), kind_segment(resource), resource.name);
    lines.push(format!("- URL: {}", docs::code(&url)));
    if resource.keys.is_empty() {
        lines.push("- Key: none".to_string());
    } else {
        lines.push(format!("- Key: {}", docs::code_list(resource.keys.iter().map(String::as_str))));
    }
    if !resource.operations.is_empty() {
        lines.push(format!("- Operations: {}", docs::code_list(resource.operations.keys().map(String::as_str))));
    }
    if let Some(since) = index.since_note(resource.since.as_ref()) {
        lines.push(format!("- Since: {}", docs::code(since)));
    }
    if resource.origin.file.ends_with(".md") {
        lines.push(format!("- Reference page: {}", docs::code(&resource.origin.file)));
    }
    // Its statistics and bindings, where they are in the same module
    // (a link into another group's module breaks without its feature).
    let info = &index.types[&resource.id()];
    let related = |id: String| index.types.get(&id).filter(|other| other.group == info.group).map(|other| format!("[`{}`]", other.ident));
    if resource.kind != ResourceKind::Stat {
        if let Some(stats) = related(format!("stat/{}", resource.name)) {
            lines.push(format!("- Statistics: {stats}"));
        }
    }
    if resource.kind == ResourceKind::Config {
        let prefix = format!("{}_", resource.name);
        let bindings: Vec<String> = index
            .api
            .resources
            .values()
            .filter(|other| other.kind == ResourceKind::Binding && other.name.starts_with(&prefix) && other.name.ends_with("_binding"))
            .filter(|other| index.api.binding_parent(&other.name).is_some_and(|parent| parent.name == resource.name))
            .filter_map(|other| related(other.id()))
            .collect();
        if !bindings.is_empty() {
            lines.push(format!("- Bindings: {}", bindings.join(", ")));
        }
    }
    if resource.no_table {
        lines.push("- The reference page has no properties table".to_string());
    }
    let id = resource.id();
    let properties = index.gone(Item::Property, &id).filter_map(|g| g.property.as_deref().map(|name| (name, g)));
    if let Some(note) = index.gone_note(properties) {
        lines.push(format!("- Properties of older releases that {} lacks: {note}.", docs::code(&index.api.release)));
    }
    lines
}

fn field_doc(
    index: &ProductIndex,
    resource: &Resource,
    property: &Property,
    field_name: &str,
    settings: &EmitSettings,
) -> Vec<String> {
    // What the signature does not say: the wire name when the field's
    // differs, read-only, the facts below; not the type again.
    let mut first = Vec::new();
    if field_name != property.name {
        first.push(format!("Wire name {}.", docs::code(&property.name)));
    }
    match property.access {
        Access::ReadOnly => first.push("Read-only: never sent.".to_string()),
        Access::Unknown => first.push("Access not documented.".to_string()),
        Access::ReadWrite => {}
    }
    if matches!(property.data_type, DataType::Double | DataType::DoubleList) {
        first.push(format!("Reference type {}.", docs::code(&property.data_type.reference_spelling())));
    }
    let mut lines = Vec::new();
    if !first.is_empty() {
        lines.push(first.join(" "));
    }
    if let Some(unconfirmed) = property.provenance.as_deref().filter(|p| p.contains("not confirmed")) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("Unconfirmed: from {} (the derived facts of {} do not list it).", docs::code(unconfirmed.split(' ').next().unwrap_or(unconfirmed)), docs::code(&index.api.release)));
    }
    if settings.descriptions {
        if let Some(description) = &property.description {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(docs::prose(description));
        }
    }
    let mut facts = Vec::new();
    if let Some(range) = range_text(property.min_length, property.max_length) {
        facts.push(format!("Length: {range}."));
    }
    if let Some(range) = range_text(property.min_value, property.max_value) {
        facts.push(format!("Range: {range}."));
    }
    if let Some(default) = &property.default {
        facts.push(format!("Default: {}.", docs::code(default)));
    }
    if !property.enum_values.is_empty() {
        let link = index.types[&resource.id()]
            .enums
            .get(&property.name)
            .map(|name| format!(" (see [`{name}`])"))
            .unwrap_or_default();
        facts.push(format!("Possible values{link}: {}.", docs::code_list(property.enum_values.iter().map(String::as_str))));
    }
    if property.mandatory == Some(true) {
        facts.push("Mandatory for add.".to_string());
    }
    if let Some(since) = index.since_note(property.since.as_ref()) {
        facts.push(format!("Since {}.", docs::code(since)));
    }
    let id = resource.id();
    let values: Vec<(&str, &Gone)> = index
        .gone(Item::EnumValue, &id)
        .filter(|g| g.property.as_ref() == Some(&property.name))
        .filter_map(|g| g.value.as_deref().map(|value| (value, g)))
        .collect();
    let release = docs::code(&index.api.release);
    if values.len() > GONE_VALUES_LISTED {
        // A whole list dropped (422 time zones once): counted, not listed.
        let last = values.iter().map(|(_, g)| g.last.as_str()).max_by_key(|last| crate::ir::release_key(last)).unwrap_or_default();
        let examples = docs::code_list(values.iter().take(3).map(|(value, _)| *value));
        facts.push(format!(
            "{} values of older releases that {release} lacks, the last listed in {} (for example {examples}).",
            values.len(),
            docs::code(last)
        ));
    } else if let Some(note) = index.gone_note(values) {
        facts.push(format!("Values of older releases that {release} lacks: {note}."));
    }
    for fact in facts {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(fact);
    }
    lines
}

fn range_text(min: Option<i64>, max: Option<i64>) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{min} to {max}")),
        (Some(min), None) => Some(format!("at least {min}")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (None, None) => None,
    }
}

/// URL segment of a resource's family: `config` (bindings too) or `stat`.
fn kind_segment(resource: &Resource) -> &'static str {
    match resource.kind {
        ResourceKind::Stat => "stat",
        _ => "config",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Api, Operation};

    fn emitted(resource: Resource) -> String {
        let mut api = Api::default();
        api.resources.insert(resource.id(), resource.clone());
        let mut diagnostics = Vec::new();
        let index = index::build(&api, &mut diagnostics);
        emit_resource(&index, &resource, &EmitSettings::default(), &mut diagnostics).to_string().split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn property(name: &str, data_type: DataType, access: Access) -> Property {
        Property { name: name.into(), data_type, access, ..Property::default() }
    }

    /// `new` takes the key; each property `add` sends gets a setter named
    /// after its field, `with_<field>` where that is a function of the type
    /// or a standard trait's method; read-only properties and properties
    /// only `update` sends get none.
    #[test]
    fn constructor_and_setters() {
        let mut resource = Resource { name: "widget".into(), group: "lb".into(), keys: vec!["name".into()], ..Resource::default() };
        for p in [
            property("name", DataType::String, Access::ReadWrite),
            property("port", DataType::Integer, Access::ReadWrite),
            property("count", DataType::Integer, Access::ReadWrite),
            property("sub", DataType::String, Access::ReadWrite),
            property("state", DataType::String, Access::ReadOnly),
            property("later", DataType::String, Access::ReadWrite),
        ] {
            resource.properties.insert(p.name.clone(), p);
        }
        let key = |name: &str| crate::ir::PayloadKey { name: name.into(), ..Default::default() };
        resource.operations.insert(
            "add".into(),
            Operation { name: "add".into(), method: Method::Post, payload: vec![key("name"), key("port"), key("count"), key("sub")], ..Operation::default() },
        );
        resource.operations.insert("update".into(), Operation { name: "update".into(), method: Method::Put, payload: vec![key("name"), key("later")], ..Operation::default() });
        resource.operations.insert("count".into(), Operation { name: "count".into(), method: Method::Get, ..Operation::default() });
        let code = emitted(resource);
        assert!(code.contains("pub fn new (name : impl Into < String > ,) -> Self { Self { name : Some (name . into ()) , .. Self :: default () } }"), "{code}");
        assert!(code.contains("pub fn port (mut self , port : i64) -> Self"), "{code}");
        assert!(code.contains("pub fn with_count (mut self , count : i64) -> Self"), "{code}");
        assert!(code.contains("pub fn with_sub (mut self , sub : impl Into < String >) -> Self"), "{code}");
        assert!(!code.contains("fn state ("), "read-only: no setter");
        assert!(!code.contains("fn later ("), "only update sends it: no setter");
        assert!(!code.contains("fn name ("), "the key is set by new");
        // Fields: the key first, then by wire name.
        let fields: Vec<&str> = code.split("pub ").filter_map(|s| s.split_once(" : Option")).map(|(name, _)| name).collect();
        assert_eq!(fields, ["name", "count", "later", "port", "state", "sub"]);
    }

    /// A composite key: `new` takes the parts `add` marks mandatory, the
    /// optional parts get setters; with none marked (alternatives), no `new`.
    #[test]
    fn composite_keys() {
        let key = |name: &str, mandatory: bool| crate::ir::PayloadKey { name: name.into(), mandatory };
        let with_keys = |name: &str, keys: &[(&str, bool)]| {
            let mut resource =
                Resource { name: name.into(), group: "network".into(), keys: keys.iter().map(|(k, _)| k.to_string()).collect(), ..Resource::default() };
            for (k, _) in keys {
                let p = property(k, DataType::String, Access::ReadWrite);
                resource.properties.insert(p.name.clone(), p);
            }
            let payload = keys.iter().map(|(k, m)| key(k, *m)).collect();
            resource.operations.insert("add".into(), Operation { name: "add".into(), method: Method::Post, payload, ..Operation::default() });
            emitted(resource)
        };
        let route = with_keys("route", &[("network", true), ("gateway", true), ("td", false)]);
        assert!(route.contains("pub fn new (network : impl Into < String > , gateway : impl Into < String > ,) -> Self"), "{route}");
        assert!(route.contains("pub fn td (mut self , td : impl Into < String >) -> Self"), "{route}");
        let ntp = with_keys("ntpserver", &[("serverip", false), ("servername", false)]);
        assert!(!ntp.contains("fn new"), "{ntp}");
        assert!(ntp.contains("pub fn serverip (mut self") && ntp.contains("pub fn servername (mut self"), "{ntp}");
    }
}
