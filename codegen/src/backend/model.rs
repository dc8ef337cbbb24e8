//! Models: prints the items of one NITRO resource (struct, enums, trait
//! impls, builder, endpoint functions) as its [`shape`] decided them. No
//! name or signature is chosen here; docs are.
//!
//! The printed form is chosen for compile time: no serde derives; the
//! struct maps field indexes to field references (`Model`) and one
//! table-driven codec in the runtime does the encoding; `Debug` and
//! `PartialEq` are one-line impls calling the runtime's table-driven
//! `debug_model`/`eq_models` (the derives cost ~20% of the crate's check
//! time); every endpoint function is one line that builds a runtime
//! `Request`.

use super::docs;
use super::index::{self, ProductIndex};
use super::shape::{self, Endpoint, FieldIndex, FieldType, FunctionKind, ResourceShape, UNKNOWN_FIELDS};
use super::EmitSettings;
use crate::ir::{Access, DataType, Item, Method, Operation, Product, Property, Resource, ResourceKind};
use crate::since::Gone;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Gone enum values of one property listed one by one up to this many;
/// more are counted.
const GONE_VALUES_LISTED: usize = 12;

/// All items of one resource, in order: struct, enums, impls.
pub fn emit_resource(index: &ProductIndex, resource: &Resource, shape: &ResourceShape, settings: &EmitSettings) -> TokenStream {
    let struct_ident = ident(&shape.ident);
    let mut fields = TokenStream::new();
    for at in &shape.declared {
        let field = shape.field(*at);
        let property = &resource.properties[&field.wire];
        let field_ident = ident(&field.ident);
        let field_type = field_type(&field.ty);
        let doc = docs::attrs(&field_doc(index, resource, property, &field.ident, settings));
        fields.extend(quote! { #doc pub #field_ident: Option<#field_type>, });
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

    let enums = emit_enums(resource, shape);
    let model_impl = emit_model_impl(resource, shape, &struct_ident);
    let resource_impl = emit_resource_impl(index, resource, &struct_ident);
    let builder = emit_builder(resource, shape, &struct_ident);
    let endpoints = emit_endpoints(index, resource, shape, &struct_ident);

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

/// A field's type inside its `Option`.
fn field_type(ty: &FieldType) -> TokenStream {
    match ty {
        FieldType::Enum(name) => {
            let e = ident(name);
            quote!(rt::Open<#e>)
        }
        FieldType::EnumList(name) => {
            let e = ident(name);
            quote!(Vec<rt::Open<#e>>)
        }
        FieldType::Text => quote!(String),
        FieldType::TextList => quote!(Vec<String>),
        FieldType::Number => quote!(rt::Number),
        FieldType::Integer => quote!(i64),
        FieldType::Boolean => quote!(bool),
        FieldType::NumberList => quote!(Vec<rt::Number>),
        FieldType::IntegerList => quote!(Vec<i64>),
        FieldType::StructList(path) => {
            let path = path_tokens(path);
            quote!(Vec<#path>)
        }
        FieldType::Struct(path) => {
            let path = path_tokens(path);
            quote!(Box<#path>)
        }
        FieldType::Json => quote!(serde_json::Value),
    }
}

fn emit_enums(resource: &Resource, shape: &ResourceShape) -> TokenStream {
    let mut tokens = TokenStream::new();
    for defined in &shape.enums {
        let enum_ident = ident(&defined.ident);
        let mut variants = TokenStream::new();
        let mut table = TokenStream::new();
        for variant in &defined.variants {
            let variant_ident = ident(&variant.ident);
            let value = &variant.wire;
            let mut lines = vec![docs::code(value)];
            if let Some(since) = &variant.since {
                lines.push(String::new());
                lines.push(format!("Since {}.", docs::code(since)));
            }
            let doc = docs::attrs(&lines);
            variants.extend(quote! { #doc #variant_ident, });
            table.extend(quote! { (Self::#variant_ident, #value), });
        }
        let lines = if defined.users.len() > 1 {
            vec![format!("Values of {}.", docs::code_list(defined.users.iter().map(String::as_str)))]
        } else {
            vec![format!("Values of {}.{} ([`{}`]).", docs::code(&resource.name), docs::code(&defined.property), shape.ident)]
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

fn emit_model_impl(resource: &Resource, shape: &ResourceShape, struct_ident: &Ident) -> TokenStream {
    let wires: Vec<&str> = shape.fields.iter().map(|field| field.wire.as_str()).collect();
    let mut arms = TokenStream::new();
    let mut arms_mut = TokenStream::new();
    for (position, field) in shape.fields.iter().enumerate() {
        let field = ident(&field.ident);
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
    let secrets: Vec<proc_macro2::Literal> =
        resource.properties.values().enumerate().filter(|(_, p)| p.secret).map(|(i, _)| field_position(FieldIndex(i))).collect();
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
        Product::Adm if index.is_adm_v2() => quote!(rt::Api::AdmV2),
        Product::Adm => quote!(rt::Api::AdmV1),
        _ => quote!(rt::Api::AdcV1),
    }
}

/// `new` and the chained setters the shape decided.
///
/// Compile cost decided the set (`shape::builder`): a setter on every
/// writable field (21,900 functions) took the all-features check from
/// 1.85 to 2.25 GB, over the 2 GB target; fields no write sends (most of
/// ADM's, which documents few operations' keys) could be set but never
/// reach the appliance, so they get none (9,555 setters). Every setter is
/// a generic one-liner (`impl Into<..>`): a plain parameter type saved
/// only ~100 MB of the 400.
fn emit_builder(resource: &Resource, shape: &ResourceShape, struct_ident: &Ident) -> TokenStream {
    let mut functions = TokenStream::new();
    if !shape.constructor.is_empty() {
        let mut params = TokenStream::new();
        let mut inits = TokenStream::new();
        for at in &shape.constructor {
            let field = shape.field(*at);
            let field_ident = ident(&field.ident);
            let (param_type, value) = setter_input(&field.ty, &field_ident);
            params.extend(quote! { #field_ident: #param_type, });
            inits.extend(quote! { #field_ident: Some(#value), });
        }
        let keys: Vec<&str> = shape.constructor.iter().map(|at| shape.field(*at).wire.as_str()).collect();
        let doc = docs::attrs(&[format!(
            "A {} named by its {}, every other field unset.",
            docs::code(&resource.name),
            if keys.len() == 1 { "key".to_string() } else { format!("keys ({})", docs::code_list(keys.iter().copied())) }
        )]);
        functions.extend(quote! {
            #doc
            pub fn new(#params) -> Self { Self { #inits ..Self::default() } }
        });
    }
    for setter in &shape.setters {
        let field = shape.field(setter.field);
        let field_ident = ident(&field.ident);
        let setter_ident = ident(&setter.name);
        let (param_type, value) = setter_input(&field.ty, &field_ident);
        let doc = docs::attrs(&[format!("Sets [`{0}`](Self::{0}).", field.ident)]);
        functions.extend(quote! {
            #doc
            pub fn #setter_ident(mut self, #field_ident: #param_type) -> Self { self.#field_ident = Some(#value); self }
        });
    }
    if functions.is_empty() {
        return TokenStream::new();
    }
    quote! { impl #struct_ident { #functions } }
}

/// A setter's parameter type and the expression that turns the parameter
/// (`field`) into the field's value inside `Some(..)`: `impl Into<T>` for
/// one value, `impl IntoIterator` of `impl Into<T>` for a list.
fn setter_input(ty: &FieldType, field: &Ident) -> (TokenStream, TokenStream) {
    let one = |t: TokenStream| (quote!(impl Into<#t>), quote!(#field.into()));
    let list = |t: TokenStream| (quote!(impl IntoIterator<Item = impl Into<#t>>), quote!(#field.into_iter().map(Into::into).collect()));
    match ty {
        FieldType::Enum(name) => {
            let e = ident(name);
            (quote!(#e), quote!(rt::Open::Known(#field)))
        }
        FieldType::EnumList(name) => {
            let e = ident(name);
            (quote!(impl IntoIterator<Item = #e>), quote!(#field.into_iter().map(rt::Open::Known).collect()))
        }
        FieldType::Text => one(quote!(String)),
        FieldType::TextList => list(quote!(String)),
        FieldType::Number => one(quote!(rt::Number)),
        FieldType::Integer => (quote!(i64), quote!(#field)),
        FieldType::Boolean => (quote!(bool), quote!(#field)),
        FieldType::NumberList => list(quote!(rt::Number)),
        FieldType::IntegerList => list(quote!(i64)),
        FieldType::StructList(path) => {
            let path = path_tokens(path);
            (quote!(impl IntoIterator<Item = #path>), quote!(#field.into_iter().collect()))
        }
        FieldType::Struct(path) => {
            let path = path_tokens(path);
            (quote!(#path), quote!(Box::new(#field)))
        }
        FieldType::Json => one(quote!(serde_json::Value)),
    }
}

/// A field's index in `Model::FIELDS`, written as an unsuffixed literal
/// of the runtime's `u16` (the widest resource has a few hundred
/// properties; the shape reports one with more than `u16::MAX`).
fn field_position(index: FieldIndex) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(index.0)
}

/// The endpoint functions, each one line building a runtime `Request`,
/// with its method and URL as its doc.
fn emit_endpoints(index: &ProductIndex, resource: &Resource, shape: &ResourceShape, struct_ident: &Ident) -> TokenStream {
    let base = index.api.base_path.trim_end_matches('/');
    let mut functions = TokenStream::new();
    for function in &shape.functions {
        let name = ident(&function.name);
        let operation = &resource.operations[&function.operation];
        let url = |suffix: &str| format!("{} {base}{}{suffix}", operation.method.as_str(), operation.path);
        let line = |suffix: &str| endpoint_line(&url(suffix), operation);
        let bulk_line = |what: &str| docs::attrs(&[format!("{} with a list of objects (bulk {what}).", docs::code(&url("")))]);
        let positions = |fields: &[FieldIndex]| fields.iter().map(|at| field_position(*at)).collect::<Vec<_>>();
        functions.extend(match &function.kind {
            FunctionKind::Add { method, fields } => {
                let doc = doc_lines(vec![line("")], mandatory_line(operation));
                let (method, fields) = (runtime_method(*method), positions(fields));
                quote! { #doc pub fn #name(&self) -> rt::Request<rt::Outcome> { rt::Request::add_only(self, #method, &[#(#fields),*]) } }
            }
            FunctionKind::AddBulk { method, fields } => {
                let doc = bulk_line("add");
                let (method, fields) = (runtime_method(*method), positions(fields));
                quote! { #doc pub fn #name(items: &[Self]) -> rt::Request<rt::Outcome> { rt::Request::add_bulk_only(items, #method, &[#(#fields),*]) } }
            }
            FunctionKind::Update { fields } => {
                let doc = docs::attrs(&[line("")]);
                let fields = positions(fields);
                quote! { #doc pub fn #name(&self) -> rt::Request<rt::Outcome> { rt::Request::update_only(self, &[#(#fields),*]) } }
            }
            FunctionKind::UpdateBulk { fields } => {
                let doc = bulk_line("update");
                let fields = positions(fields);
                quote! { #doc pub fn #name(items: &[Self]) -> rt::Request<rt::Outcome> { rt::Request::update_bulk_only(items, &[#(#fields),*]) } }
            }
            FunctionKind::Unset => {
                let doc = docs::attrs(&[line("?action=unset")]);
                quote! { #doc pub fn #name(&self, properties: &[&str]) -> rt::Request<rt::Outcome> { rt::Request::unset(self, properties) } }
            }
            FunctionKind::DeleteArgs { args } => {
                let what = if args.is_empty() {
                    format!("Keys: {}.", docs::code_list(resource.keys.iter().map(String::as_str)))
                } else {
                    format!("Arguments: {}.", docs::code_list(args.iter().map(String::as_str)))
                };
                let doc = docs::attrs(&[line(""), String::new(), what]);
                quote! { #doc pub fn #name(&self) -> rt::Request<rt::Outcome> { rt::Request::delete(self, &[#(#args),*]) } }
            }
            FunctionKind::DeleteByKey { param } => {
                let doc = docs::attrs(&[line("")]);
                let key = ident(param);
                quote! { #doc pub fn #name(#key: &str) -> rt::Request<rt::Outcome> { rt::Request::delete_by_key::<Self>(Some(#key)) } }
            }
            FunctionKind::DeleteSingleton => {
                let doc = docs::attrs(&[line("")]);
                quote! { #doc pub fn #name() -> rt::Request<rt::Outcome> { rt::Request::delete_by_key::<Self>(None) } }
            }
            FunctionKind::DeleteBulk { verb, args } => {
                let path = operation.path.split("/{").next().unwrap_or_default();
                let doc = docs::attrs(&[format!("{} with a list of objects (bulk delete).", docs::code(&format!("POST {base}{path}?action={verb}")))]);
                quote! { #doc pub fn #name(items: &[Self]) -> rt::Request<rt::Outcome> { rt::Request::delete_bulk_args(items, &[#(#args),*]) } }
            }
            FunctionKind::Get { param } => {
                let doc = docs::attrs(&[line("")]);
                let key = ident(param);
                quote! { #doc pub fn #name(#key: &str) -> rt::Request<Vec<Self>> { rt::Request::get(#key) } }
            }
            FunctionKind::GetAll => {
                let doc = docs::attrs(&[line("")]);
                quote! { #doc pub fn #name() -> rt::Request<Vec<Self>> { rt::Request::get_all() } }
            }
            FunctionKind::Count { param: Some(param) } => {
                let doc = docs::attrs(&[line("?count=yes")]);
                let key = ident(param);
                quote! { #doc pub fn #name(#key: &str) -> rt::Request<u64> { rt::Request::count_by_key::<Self>(#key) } }
            }
            FunctionKind::Count { param: None } => {
                let doc = docs::attrs(&[line("?count=yes")]);
                quote! { #doc pub fn #name() -> rt::Request<u64> { rt::Request::count::<Self>() } }
            }
            FunctionKind::Action { value, fields } => {
                let doc = doc_lines(vec![endpoint_line(&format!("{}?action={value}", url("")), operation)], mandatory_line(operation));
                let fields = positions(fields);
                quote! { #doc pub fn #name(&self) -> rt::Request<rt::Outcome> { rt::Request::action_only(self, #value, &[#(#fields),*]) } }
            }
        });
    }
    if functions.is_empty() {
        return TokenStream::new();
    }
    quote! { impl #struct_ident { #functions } }
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

/// The runtime's method of an `add` (the shape allows POST and PUT).
fn runtime_method(method: Method) -> TokenStream {
    match method {
        Method::Put => quote!(rt::Method::Put),
        _ => quote!(rt::Method::Post),
    }
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
                .find(|operation| matches!(shape::classify(operation), Some(Endpoint::Delete)))
                .map(|operation| shape::delete_args(resource, operation))
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
        let shape = shape::resource_shape(&index, &resource, &mut diagnostics);
        emit_resource(&index, &resource, &shape, &EmitSettings::default()).to_string().split_whitespace().collect::<Vec<_>>().join(" ")
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
