//! HTTP APIs described by OpenAPI (the Next-Gen API): the named schemas
//! and endpoints of an [`Api`] -> one Rust module.
//!
//! Same shape as the NITRO models, for the same compile-time reasons: no
//! serde derives on objects (the runtime's table-driven codec encodes them
//! through `Model`), open enums through `WireEnum`/`Open`, unknown keys
//! kept. Fields whose type the codec has no slot for (unions, maps, lists
//! of lists...) are `serde_json::Value`s with a typed accessor pair
//! (`<field>_typed`, `set_<field>`). Unions become enums with a
//! hand-written (generated) serde impl that tries the discriminator, then
//! each variant in order, and keeps anything else as `Other`.
//!
//! Every operation is one plain function returning a
//! `runtime::nextgen::Request<T>`, which `NextgenClient::send` sends; `T`
//! is the 2xx body type (`()` when no 2xx answer has a body, `Option<T>`
//! when some have none), or a generated `<Op>Success` enum with one
//! variant per status when the 2xx answers have different bodies. Error
//! answers (other codes, ranges such as `4XX`, `default`) with bodies are
//! typed too: `.error_body::<T>(statuses)` when they share one body type,
//! else a generated `<Op>Error` enum; the decoded value is reachable with
//! `Error::typed`. No operation is left out for the shape of its answers.
//!
//! Nullable fields keep `null` apart from absent: the model lists them in
//! `Model::NULLABLE` (the codec then keeps a received `null`) and offers
//! `<field>_nullable()` / `set_<field>_nullable()` with the tri-state
//! `Nullable`.
//!
//! Security schemes become client configuration: a function per scheme in
//! the module's `auth` submodule that adds the credential to a
//! `NextgenClientBuilder`, tied to its scheme; each operation names the
//! schemes it accepts (`.schemes(..)`), so a credential goes only where
//! the document says it applies.

use super::docs;
use super::naming::{self, Case, Scope};
use crate::diagnostics::Diagnostic;
use crate::ir::{Api, Endpoint, EnumLiteral, Field, ParamLocation, Response, Schema, SchemaShape, StatusSpec, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Options of one HTTP module.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    /// Rust path of the runtime module: `crate::runtime` inside the
    /// `netscaler` crate, `netscaler::runtime` for a standalone module.
    pub runtime: String,
    /// Input files named in the `@generated` header.
    pub inputs: Vec<String>,
    /// Product title for the module docs (`NetScaler Next-Gen API`).
    pub title: String,
    /// The command the `@generated` header names (`` `cargo xtask openapi` ``
    /// for a standalone crate).
    pub generator: &'static str,
}

/// Field name every model has for keys it does not document.
const UNKNOWN_FIELDS: &str = "unknown_fields";

/// Emits the module for `api` (its schemas and endpoints).
pub fn emit_http_module(api: &Api, settings: &HttpSettings, diagnostics: &mut Vec<Diagnostic>) -> String {
    let names = Names::new(api, diagnostics);
    let mut items = TokenStream::new();
    for schema in api.schemas.values() {
        items.extend(emit_schema(&names, schema, diagnostics));
    }
    for endpoint in api.endpoints.values() {
        items.extend(emit_endpoint(&names, api, endpoint, diagnostics));
    }

    let runtime: TokenStream = settings.runtime.parse().expect("the runtime path is a Rust path");
    let module_doc = docs::inner_attrs(&[
        format!("{} {}: {} schemas, {} operations.", settings.title, docs::code(&api.release), api.schemas.len(), api.endpoints.len()),
        String::new(),
        "Send the request values the operation functions return with `NextgenClient::send`.".to_string(),
    ]);
    let base_path = api.base_path.as_str();
    let base_doc = docs::attrs(&["URL prefix of every operation.".to_string()]);
    let errors = emit_error_table(api);
    let auth = emit_auth(api);
    let tokens = quote! {
        #module_doc
        #[allow(unused_imports)]
        use #runtime as rt;
        #[allow(unused_imports)]
        use #runtime::nextgen as ng;
        #[allow(unused_imports)]
        use #runtime::AsField as _;

        #base_doc
        pub const BASE_PATH: &str = #base_path;
        #errors
        #auth
        #items
    };
    super::print_rust_by(settings.generator, &settings.inputs, tokens)
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Rust names of the module: one type per schema, one function per
/// endpoint, decided before any item is written.
struct Names<'a> {
    api: &'a Api,
    types: BTreeMap<String, String>,
    /// `<Op>Success` / `<Op>Error` enums, keyed by their wire stand-in
    /// (`"<operationId> Success"`), in the same scope as the schemas.
    answers: BTreeMap<String, String>,
    functions: BTreeMap<String, String>,
}

impl<'a> Names<'a> {
    fn new(api: &'a Api, diagnostics: &mut Vec<Diagnostic>) -> Self {
        let answer_wires: BTreeMap<String, &Endpoint> = api
            .endpoints
            .values()
            .flat_map(|endpoint| {
                let answers = Answers::of(endpoint);
                let success = answers.success_enum().then(|| (answer_wire(endpoint, "Success"), endpoint));
                let errors = answers.error_enum().then(|| (answer_wire(endpoint, "Error"), endpoint));
                success.into_iter().chain(errors)
            })
            .collect();
        let (mut types, renames) = Scope::new(Case::Camel)
            .reserve_all(naming::reserved_types())
            .reserve_all(["Value", "BTreeMap"])
            .resolve(api.schemas.keys().map(String::as_str).chain(answer_wires.keys().map(String::as_str)));
        for rename in renames {
            let (origin, subject) = match (api.schemas.get(&rename.wire), answer_wires.get(&rename.wire)) {
                (Some(schema), _) => (schema.origin.clone(), rename.wire.clone()),
                (None, Some(endpoint)) => (endpoint.origin.clone(), endpoint.operation_id.clone()),
                (None, None) => continue,
            };
            let what = if api.schemas.contains_key(&rename.wire) { "schema" } else { "answer enum" };
            diagnostics.push(rename_note(origin, &subject, what, &rename));
        }
        let answers = answer_wires.keys().filter_map(|wire| types.remove_entry(wire)).collect();
        let (functions, renames) = Scope::new(Case::Snake).resolve(api.endpoints.values().map(|e| e.operation_id.as_str()));
        for rename in renames {
            if let Some(endpoint) = api.endpoints.values().find(|e| e.operation_id == rename.wire) {
                diagnostics.push(rename_note(endpoint.origin.clone(), &rename.wire, "operation", &rename));
            }
        }
        Names { api, types, answers, functions }
    }

    fn schema(&self, name: &str) -> Option<&'a Schema> {
        self.api.schemas.get(name)
    }

    fn type_ident(&self, name: &str) -> Ident {
        ident(self.types.get(name).map(String::as_str).unwrap_or("UnknownSchema"))
    }

    /// Follows aliases to the type they stand for.
    fn resolve<'t>(&'t self, type_ref: &'t TypeRef) -> &'t TypeRef {
        let mut current = type_ref;
        for _ in 0..32 {
            match current {
                TypeRef::Named(name) => match self.schema(name).map(|s| &s.shape) {
                    Some(SchemaShape::Alias(inner)) => current = inner,
                    _ => return current,
                },
                _ => return current,
            }
        }
        &TypeRef::Any
    }

    fn kind(&self, type_ref: &TypeRef) -> Kind {
        match self.resolve(type_ref) {
            TypeRef::Named(name) => match self.schema(name).map(|s| &s.shape) {
                Some(SchemaShape::Object { .. }) => Kind::Object(name.clone()),
                Some(SchemaShape::Enum { values }) => match enum_kind(values) {
                    EnumKind::Strings => Kind::StringEnum(name.clone()),
                    EnumKind::Integers => Kind::Integer,
                    EnumKind::Mixed => Kind::Other,
                },
                Some(SchemaShape::Union { .. }) => Kind::Other,
                _ => Kind::Other,
            },
            TypeRef::String { .. } => Kind::String,
            TypeRef::Integer { .. } => Kind::Integer,
            TypeRef::Number { .. } => Kind::Number,
            TypeRef::Boolean => Kind::Boolean,
            TypeRef::Any => Kind::Any,
            _ => Kind::Other,
        }
    }

    /// The Rust type of a value of `type_ref` (accessors, union variants,
    /// bodies).
    fn rust_type(&self, type_ref: &TypeRef) -> TokenStream {
        match type_ref {
            TypeRef::String { .. } => quote!(String),
            TypeRef::Integer { .. } => quote!(i64),
            TypeRef::Number { .. } => quote!(rt::Number),
            TypeRef::Boolean => quote!(bool),
            TypeRef::Array(item) => {
                let item = self.rust_type(item);
                quote!(Vec<#item>)
            }
            TypeRef::Map(value) => {
                let value = self.rust_type(value);
                quote!(std::collections::BTreeMap<String, #value>)
            }
            TypeRef::Any => quote!(serde_json::Value),
            TypeRef::Bytes => quote!(Vec<u8>),
            TypeRef::Named(name) => {
                let type_ident = self.type_ident(name);
                match self.schema(name).map(|s| &s.shape) {
                    Some(SchemaShape::Enum { values }) if enum_kind(values) == EnumKind::Strings => quote!(rt::Open<#type_ident>),
                    Some(_) => quote!(#type_ident),
                    None => quote!(serde_json::Value),
                }
            }
        }
    }
}

/// How a value is held, as far as the model codec is concerned.
#[derive(Debug, PartialEq)]
enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    StringEnum(String),
    Object(String),
    Any,
    /// Unions, maps, mixed enums: JSON with a typed accessor.
    Other,
}

#[derive(Debug, PartialEq, Eq)]
enum EnumKind {
    Strings,
    Integers,
    Mixed,
}

fn enum_kind(values: &[EnumLiteral]) -> EnumKind {
    let strings = values.iter().all(|v| matches!(v, EnumLiteral::String(_) | EnumLiteral::Null));
    let integers = values.iter().all(|v| matches!(v, EnumLiteral::Integer(_) | EnumLiteral::Null));
    match (strings, integers) {
        (true, _) => EnumKind::Strings,
        (_, true) => EnumKind::Integers,
        _ => EnumKind::Mixed,
    }
}

/// A note for a wire name that got another Rust name; `subject` is the
/// schema or operation it belongs to.
fn rename_note(origin: crate::ir::Origin, subject: &str, what: &str, rename: &naming::Rename) -> Diagnostic {
    Diagnostic::note(
        origin,
        format!("{what} `{}` is named `{}` because `{}` is taken by {}", rename.wire, rename.chosen, rename.plain, rename.collides_with.join(", ")),
    )
    .resource(subject)
}

/// `pub mod auth`: one function per security scheme that adds its
/// credential to a client builder. Schemes the client has no helper for
/// (`oauth2`, `openIdConnect`, other `http` schemes) are listed in the
/// docs only; the frontend warned about them.
fn emit_auth(api: &Api) -> TokenStream {
    use crate::ir::SecurityScheme;
    if api.security_schemes.is_empty() {
        return TokenStream::new();
    }
    let (functions, _) = Scope::new(Case::Snake).resolve(api.security_schemes.keys().map(String::as_str));
    let mut items = TokenStream::new();
    let mut unsupported = Vec::new();
    for (name, scheme) in &api.security_schemes {
        let function = ident(&functions[name]);
        let (doc, item) = match scheme {
            SecurityScheme::HttpBasic => (
                format!("Scheme {}: HTTP basic authentication.", docs::code(name)),
                quote! { (builder: ng::NextgenClientBuilder, username: &str, password: impl Into<rt::Secret>) -> ng::NextgenClientBuilder { builder.auth_basic(username, password).scheme(#name) } },
            ),
            SecurityScheme::HttpBearer => (
                format!("Scheme {}: HTTP bearer token.", docs::code(name)),
                quote! { (builder: ng::NextgenClientBuilder, token: impl Into<rt::Secret>) -> ng::NextgenClientBuilder { builder.auth_bearer(token).scheme(#name) } },
            ),
            SecurityScheme::ApiKey { location, name: key } => {
                let call = match location {
                    ParamLocation::Query => quote!(auth_query),
                    ParamLocation::Cookie => quote!(auth_cookie),
                    _ => quote!(auth_header),
                };
                (
                    format!("Scheme {}: API key in {} {}.", docs::code(name), location_word(*location), docs::code(key)),
                    quote! { (builder: ng::NextgenClientBuilder, key: impl Into<rt::Secret>) -> ng::NextgenClientBuilder { builder.#call(#key, key).scheme(#name) } },
                )
            }
            SecurityScheme::Unsupported { scheme_type } => {
                unsupported.push(format!("{} ({})", docs::code(name), docs::code(scheme_type)));
                continue;
            }
        };
        let doc = docs::attrs(&[doc]);
        items.extend(quote! { #doc pub fn #function #item });
    }
    let mut module_doc = vec!["Client configuration for the description's security schemes: each function adds its credential to every request of a `NextgenClientBuilder`.".to_string()];
    if !unsupported.is_empty() {
        module_doc.push(String::new());
        module_doc.push(format!("No helper for: {}; send their credentials with `auth_header`.", unsupported.join(", ")));
    }
    let module_doc = docs::inner_attrs(&module_doc);
    quote! {
        pub mod auth {
            #module_doc
            #[allow(unused_imports)]
            use super::{ng, rt};
            #items
        }
    }
}

fn emit_error_table(api: &Api) -> TokenStream {
    if api.errors.is_empty() {
        return TokenStream::new();
    }
    let mut rows = TokenStream::new();
    for error in api.errors.values() {
        let name = error.name.as_str();
        let code = error.code.unwrap_or(0);
        let http: u16 = error.section.parse().unwrap_or(0);
        rows.extend(quote!((#name, #code, #http),));
    }
    let doc = docs::attrs(&["The API's error codes: (name, `errorcode`, HTTP status).".to_string()]);
    quote! {
        #doc
        pub const ERROR_CODES: &[(&str, i64, u16)] = &[#rows];
    }
}

fn emit_schema(names: &Names, schema: &Schema, diagnostics: &mut Vec<Diagnostic>) -> TokenStream {
    let type_ident = names.type_ident(&schema.name);
    let mut doc = vec![format!("Schema {}.", docs::code(&schema.name))];
    with_description(&mut doc, schema.description.as_deref());
    if schema.inferred {
        doc.push(String::new());
        doc.push("Inferred: not confirmed by a primary source (`x-inferred`).".to_string());
    }
    if schema.nullable {
        doc.push(String::new());
        doc.push("May be `null` on the wire.".to_string());
    }
    match &schema.shape {
        SchemaShape::Object { fields, additional } => {
            if let Some(additional) = additional {
                doc.push(String::new());
                doc.push(format!("Keys beyond the fields ({}) are kept in `unknown_fields`.", type_words(names, additional)));
            }
            emit_object(names, schema, &type_ident, fields, &doc, diagnostics)
        }
        SchemaShape::Enum { values } => emit_enum(schema, &type_ident, values, doc, diagnostics),
        SchemaShape::Union { variants, discriminator, any_of } => {
            let doc_attrs = docs::attrs(&doc);
            emit_union(names, schema, &type_ident, variants, discriminator.as_ref(), *any_of, doc_attrs, diagnostics)
        }
        SchemaShape::Alias(target) => {
            let target_type = names.rust_type(target);
            doc.push(String::new());
            doc.push(format!("An alias of {}.", type_words(names, target)));
            let doc = docs::attrs(&doc);
            quote! { #doc pub type #type_ident = #target_type; }
        }
    }
}

/// A short description of a type for doc comments.
fn type_words(names: &Names, type_ref: &TypeRef) -> String {
    match type_ref {
        TypeRef::String { format: Some(format) } => format!("string ({})", docs::code(format)),
        TypeRef::String { format: None } => "string".into(),
        TypeRef::Integer { .. } => "integer".into(),
        TypeRef::Number { .. } => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Array(item) => format!("list of {}", type_words(names, item)),
        TypeRef::Map(value) => format!("map of {}", type_words(names, value)),
        TypeRef::Named(name) => format!("[`{}`]", names.type_ident(name)),
        TypeRef::Any => "any JSON value".into(),
        TypeRef::Bytes => "raw bytes".into(),
    }
}

fn emit_object(
    names: &Names,
    schema: &Schema,
    type_ident: &Ident,
    fields: &BTreeMap<String, Field>,
    doc: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> TokenStream {
    let (field_names, renames) = Scope::new(Case::Snake).reserve(UNKNOWN_FIELDS).resolve(fields.keys().map(String::as_str));
    for rename in renames {
        diagnostics.push(rename_note(schema.origin.clone(), &schema.name, "field", &rename));
    }
    let mut struct_fields = TokenStream::new();
    let mut accessors = TokenStream::new();
    let mut arms = TokenStream::new();
    let mut arms_mut = TokenStream::new();
    for (position, (wire, field)) in fields.iter().enumerate() {
        let field_ident = ident(&field_names[wire]);
        let (inner_type, typed) = field_type(names, &field.type_ref);
        let field_doc = docs::attrs(&field_doc(names, field));
        struct_fields.extend(quote! { #field_doc pub #field_ident: Option<#inner_type>, });
        let position = proc_macro2::Literal::usize_unsuffixed(position);
        arms.extend(quote!(#position => self.#field_ident.as_field(),));
        arms_mut.extend(quote!(#position => self.#field_ident.as_field_mut(),));
        let base = field_names[wire].trim_end_matches('_').to_string();
        if field.nullable {
            // Tri-state view of a nullable field: absent, `null` or a value
            // (the codec keeps a received `null`, see `NULLABLE` below).
            let getter = ident(&format!("{base}_nullable"));
            let setter = ident(&format!("set_{base}_nullable"));
            let get_doc = docs::attrs(&[format!("{}: absent, `null` or a value.", docs::code(wire))]);
            let set_doc = docs::attrs(&[format!("Sets {} to absent, `null` or a value.", docs::code(wire))]);
            accessors.extend(quote! {
                #get_doc
                pub fn #getter(&self) -> ng::Nullable<&#inner_type> { ng::Nullable::of(&self.#field_ident, &self.unknown_fields, #wire) }
                #set_doc
                pub fn #setter(&mut self, value: ng::Nullable<#inner_type>) { value.store(&mut self.#field_ident, &mut self.unknown_fields, #wire) }
            });
        }
        if let Some(typed) = typed {
            let getter = ident(&format!("{base}_typed"));
            let setter = ident(&format!("set_{base}"));
            let get_doc = docs::attrs(&[format!("{} as {}.", docs::code(wire), type_words(names, &field.type_ref))]);
            let set_doc = docs::attrs(&[format!("Sets {} from {}.", docs::code(wire), type_words(names, &field.type_ref))]);
            accessors.extend(quote! {
                #get_doc
                pub fn #getter(&self) -> Result<Option<#typed>, serde_json::Error> { ng::typed(&self.#field_ident) }
                #set_doc
                pub fn #setter(&mut self, value: Option<#typed>) { self.#field_ident = ng::untyped(value) }
            });
        }
    }
    let wires: Vec<&str> = fields.keys().map(String::as_str).collect();
    let nullable: Vec<&str> = fields.values().filter(|f| f.nullable).map(|f| f.name.as_str()).collect();
    let nullable_table = (!nullable.is_empty()).then(|| quote! { const NULLABLE: &'static [&'static str] = &[#(#nullable),*]; });
    // Indexes come only from the runtime codec walking `FIELDS`; index
    // `FIELDS.len()` is the unknown fields (`Model::unknown_fields`).
    let unknown_at = proc_macro2::Literal::usize_unsuffixed(wires.len());
    let body = quote! { match index { #arms #unknown_at => rt::FieldRef::Unknown(&self.unknown_fields), _ => unreachable!() } };
    let body_mut = quote! { match index { #arms_mut #unknown_at => rt::FieldMut::Unknown(&mut self.unknown_fields), _ => unreachable!() } };
    let doc = docs::attrs(doc);
    let unknown_doc = docs::attrs(&["Keys the description does not name, kept as received.".to_string()]);
    let accessor_impl = (!accessors.is_empty()).then(|| quote! { impl #type_ident { #accessors } });
    quote! {
        #doc
        #[derive(Clone, Default)]
        #[non_exhaustive]
        pub struct #type_ident {
            #struct_fields
            #unknown_doc
            pub unknown_fields: rt::UnknownFields,
        }

        impl rt::Model for #type_ident {
            const FIELDS: &'static [&'static str] = &[#(#wires),*];
            #nullable_table
            // Inlined into the runtime's `for_each_set` loop, where it lets
            // the compiler drop the per-field `FieldRef` dispatch.
            #[inline(always)]
            fn field(&self, index: usize) -> rt::FieldRef<'_> { #body }
            fn field_mut(&mut self, index: usize) -> rt::FieldMut<'_> { #body_mut }
        }

        impl ::serde::Serialize for #type_ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                rt::model::serialize(self, serializer)
            }
        }

        impl ::std::fmt::Debug for #type_ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { rt::model::debug_model(self, f) }
        }

        impl PartialEq for #type_ident {
            fn eq(&self, other: &Self) -> bool { rt::model::eq_models(self, other) }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                rt::model::deserialize(deserializer)
            }
        }

        #accessor_impl
    }
}

/// The struct field type without its `Option` (the field is
/// `Option<inner>`), and the typed accessor type for JSON fields.
fn field_type(names: &Names, type_ref: &TypeRef) -> (TokenStream, Option<TokenStream>) {
    let resolved = names.resolve(type_ref);
    let simple = match names.kind(resolved) {
        Kind::String => Some(quote!(String)),
        Kind::Integer => Some(quote!(i64)),
        Kind::Number => Some(quote!(rt::Number)),
        Kind::Boolean => Some(quote!(bool)),
        Kind::StringEnum(name) => {
            let e = names.type_ident(&name);
            Some(quote!(rt::Open<#e>))
        }
        Kind::Object(name) => {
            let m = names.type_ident(&name);
            Some(quote!(Box<#m>))
        }
        Kind::Any => return (quote!(serde_json::Value), None),
        Kind::Other => None,
    };
    if let Some(simple) = simple {
        return (simple, None);
    }
    if let TypeRef::Array(item) = resolved {
        let list = match names.kind(item) {
            Kind::String => Some(quote!(Vec<String>)),
            Kind::Integer => Some(quote!(Vec<i64>)),
            Kind::Number => Some(quote!(Vec<rt::Number>)),
            Kind::StringEnum(name) => {
                let e = names.type_ident(&name);
                Some(quote!(Vec<rt::Open<#e>>))
            }
            Kind::Object(name) => {
                let m = names.type_ident(&name);
                Some(quote!(Vec<#m>))
            }
            _ => None,
        };
        if let Some(list) = list {
            return (list, None);
        }
    }
    (quote!(serde_json::Value), Some(names.rust_type(type_ref)))
}

fn field_doc(names: &Names, field: &Field) -> Vec<String> {
    let mut facts = vec![docs::code(&field.name), type_words(names, &field.type_ref)];
    if field.required {
        facts.push("required".into());
    }
    if field.read_only {
        facts.push("read-only".into());
    }
    if field.nullable {
        facts.push("nullable".into());
    }
    if let Some(default) = &field.default {
        facts.push(format!("default {}", docs::code(&default.to_string())));
    }
    match (field.min_value, field.max_value) {
        (Some(min), Some(max)) => facts.push(format!("{min} to {max}")),
        (Some(min), None) => facts.push(format!("at least {min}")),
        (None, Some(max)) => facts.push(format!("at most {max}")),
        (None, None) => {}
    }
    if let Some(pattern) = &field.pattern {
        facts.push(format!("pattern {}", docs::code(pattern)));
    }
    if field.inferred {
        facts.push("inferred".into());
    }
    let mut lines = vec![format!("{}.", facts.join(", "))];
    with_description(&mut lines, field.description.as_deref());
    lines
}

/// The document's own description, when the frontend read it (a user's
/// document by default; never the vendor's Next-Gen description, read
/// with `descriptions: false`).
fn with_description(lines: &mut Vec<String>, description: Option<&str>) {
    if let Some(description) = description {
        lines.push(String::new());
        lines.extend(docs::prose(description));
    }
}

fn emit_enum(schema: &Schema, type_ident: &Ident, values: &[EnumLiteral], mut doc: Vec<String>, diagnostics: &mut Vec<Diagnostic>) -> TokenStream {
    match enum_kind(values) {
        EnumKind::Strings => {}
        kind => {
            let listed: Vec<String> = values
                .iter()
                .map(|v| match v {
                    EnumLiteral::String(text) => docs::code(text),
                    EnumLiteral::Integer(number) => docs::code(&number.to_string()),
                    EnumLiteral::Null => "`null`".into(),
                })
                .collect();
            doc.push(String::new());
            doc.push(format!("Values: {}.", listed.join(", ")));
            let doc = docs::attrs(&doc);
            return match kind {
                EnumKind::Integers => quote! { #doc pub type #type_ident = i64; },
                _ => quote! { #doc pub type #type_ident = serde_json::Value; },
            };
        }
    }
    let strings: Vec<&str> = values
        .iter()
        .filter_map(|v| match v {
            EnumLiteral::String(text) => Some(text.as_str()),
            _ => None,
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let (variant_names, renames) = Scope::new(Case::Camel).resolve(strings.iter().copied());
    for rename in renames {
        diagnostics.push(rename_note(schema.origin.clone(), &schema.name, "enum value", &rename));
    }
    let mut variants = TokenStream::new();
    let mut table = TokenStream::new();
    let mut seen = BTreeSet::new();
    for value in values {
        let EnumLiteral::String(text) = value else { continue };
        if !seen.insert(text) {
            continue;
        }
        let variant = ident(&variant_names[text.as_str()]);
        let variant_doc = docs::attrs(&[docs::code(text)]);
        variants.extend(quote! { #variant_doc #variant, });
        let text = text.as_str();
        table.extend(quote! { (Self::#variant, #text), });
    }
    let doc = docs::attrs(&doc);
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #type_ident { #variants }

        impl rt::WireEnum for #type_ident {
            const VALUES: &'static [(Self, &'static str)] = &[#table];
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn emit_union(
    names: &Names,
    schema: &Schema,
    type_ident: &Ident,
    variants: &[TypeRef],
    discriminator: Option<&crate::ir::Discriminator>,
    any_of: bool,
    doc: TokenStream,
    diagnostics: &mut Vec<Diagnostic>,
) -> TokenStream {
    // Variant names from the variant types: schema names, else the kind.
    let wires: Vec<String> = variants.iter().map(variant_wire).collect();
    let (variant_names, renames) = Scope::new(Case::Camel).reserve("Other").resolve(wires.iter().map(String::as_str));
    for rename in renames {
        diagnostics.push(rename_note(schema.origin.clone(), &schema.name, "union variant", &rename));
    }
    let mut enum_variants = TokenStream::new();
    let mut serialize_arms = TokenStream::new();
    let mut tries = TokenStream::new();
    let mut seen = BTreeSet::new();
    let mut by_schema = BTreeMap::new();
    for (variant, wire) in variants.iter().zip(&wires) {
        if !seen.insert(wire.clone()) {
            continue; // the same type listed twice is one variant
        }
        let variant_ident = ident(&variant_names[wire.as_str()]);
        let boxed = matches!(names.kind(variant), Kind::Object(_));
        let rust = names.rust_type(variant);
        let held = if boxed { quote!(Box<#rust>) } else { rust.clone() };
        let variant_doc = docs::attrs(&[format!("{}.", type_words(names, variant))]);
        enum_variants.extend(quote! { #variant_doc #variant_ident(#held), });
        serialize_arms.extend(quote! { Self::#variant_ident(value) => ::serde::Serialize::serialize(value, serializer), });
        let wrap = if boxed { quote!(Self::#variant_ident(Box::new(value))) } else { quote!(Self::#variant_ident(value)) };
        let attempt = quote! {
            if let Ok(value) = serde_json::from_value::<#rust>(value.clone()) { return #wrap; }
        };
        if let TypeRef::Named(name) = variant {
            by_schema.insert(name.clone(), attempt.clone());
        }
        tries.extend(attempt);
    }
    // A discriminator picks the variant its mapping (or the schema name)
    // names; a value whose tag names no variant is `Other` rather than
    // whichever object variant decodes first (object decoding is lenient).
    let discriminated = discriminator.map(|discriminator| {
        let property = discriminator.property.as_str();
        let mut arms = TokenStream::new();
        let mut tags: BTreeMap<String, String> = discriminator.mapping.clone();
        for name in by_schema.keys() {
            if !tags.values().any(|target| target == name) {
                tags.insert(name.clone(), name.clone());
            }
        }
        for (tag, target) in &tags {
            if let Some(attempt) = by_schema.get(target) {
                let tag = tag.as_str();
                arms.extend(quote! { Some(#tag) => { #attempt } });
            }
        }
        quote! {
            match value.get(#property).and_then(serde_json::Value::as_str) {
                #arms
                _ => {}
            }
        }
    });
    let tries = if discriminated.is_some() { TokenStream::new() } else { tries };
    let kind = if any_of { "anyOf" } else { "oneOf" };
    let other_doc = docs::attrs(&[format!("A value no variant of the `{kind}` accepts, kept as received.")]);
    let from_doc = docs::attrs(&[if discriminator.is_some() {
        format!("Reads a value by its {} tag.", docs::code(&discriminator.map(|d| d.property.clone()).unwrap_or_default()))
    } else {
        "Reads a value as the first variant that decodes, in the order of the description.".to_string()
    }]);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #type_ident {
            #enum_variants
            #other_doc
            Other(serde_json::Value),
        }

        impl #type_ident {
            #from_doc
            pub fn from_json(value: serde_json::Value) -> Self {
                #discriminated
                #tries
                Self::Other(value)
            }
        }

        impl ::serde::Serialize for #type_ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #serialize_arms
                    Self::Other(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from_json(value))
            }
        }
    }
}

fn variant_wire(type_ref: &TypeRef) -> String {
    match type_ref {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String { .. } => "String".into(),
        TypeRef::Integer { .. } => "Integer".into(),
        TypeRef::Number { .. } => "Number".into(),
        TypeRef::Boolean => "Boolean".into(),
        TypeRef::Array(item) => format!("{}List", variant_wire(item)),
        TypeRef::Map(value) => format!("{}Map", variant_wire(value)),
        TypeRef::Any => "Any".into(),
        TypeRef::Bytes => "Bytes".into(),
    }
}

fn emit_endpoint(names: &Names, api: &Api, endpoint: &Endpoint, diagnostics: &mut Vec<Diagnostic>) -> TokenStream {
    let function = ident(&names.functions[&endpoint.operation_id]);
    let method = match endpoint.method {
        crate::ir::Method::Get => quote!(ng::Method::Get),
        crate::ir::Method::Post => quote!(ng::Method::Post),
        crate::ir::Method::Put => quote!(ng::Method::Put),
        crate::ir::Method::Delete => quote!(ng::Method::Delete),
        crate::ir::Method::Patch => quote!(ng::Method::Patch),
        crate::ir::Method::Head => quote!(ng::Method::Head),
        crate::ir::Method::Options => quote!(ng::Method::Options),
    };
    let template = endpoint.path.as_str();

    // Parameter names: one scope per function; a wire name used in two
    // locations is told apart by its location.
    let mut counts = BTreeMap::<&str, usize>::new();
    for parameter in &endpoint.parameters {
        *counts.entry(parameter.name.as_str()).or_default() += 1;
    }
    let keys: Vec<String> = endpoint
        .parameters
        .iter()
        .map(|p| if counts[p.name.as_str()] > 1 && p.location != ParamLocation::Path { format!("{}_{}", location_word(p.location), p.name) } else { p.name.clone() })
        .collect();
    let (param_names, _) = Scope::new(Case::Snake).reserve("body").reserve("content_type").resolve(keys.iter().map(String::as_str));

    let mut arguments = Vec::new();
    let mut chain = TokenStream::new();
    let mut trailing = Vec::new();
    let mut trailing_chain = TokenStream::new();
    for (parameter, key) in endpoint.parameters.iter().zip(&keys) {
        let name = ident(&param_names[key.as_str()]);
        let value_type = param_type(names, &parameter.type_ref, parameter.required, endpoint, &parameter.name, diagnostics);
        let wire = parameter.name.as_str();
        let call = match parameter.location {
            ParamLocation::Path => quote!(.path(#wire, #name)),
            ParamLocation::Query => quote!(.query(#wire, #name)),
            ParamLocation::Header => quote!(.header(#wire, #name)),
            ParamLocation::Cookie => quote!(.cookie(#wire, #name)),
        };
        if parameter.location == ParamLocation::Path {
            arguments.push(quote!(#name: #value_type));
            chain.extend(call);
        } else {
            trailing.push(quote!(#name: #value_type));
            trailing_chain.extend(call);
        }
    }
    if let Some(body) = &endpoint.request {
        if body.type_ref == TypeRef::Bytes && body.media_type.to_ascii_lowercase().starts_with("multipart/") {
            // The media type carries a boundary only the caller knows.
            arguments.push(quote!(content_type: &str));
            arguments.push(quote!(body: Vec<u8>));
            chain.extend(quote!(.bytes(content_type, body)));
        } else if body.type_ref == TypeRef::Bytes {
            let media = body.media_type.as_str();
            arguments.push(quote!(body: Vec<u8>));
            chain.extend(quote!(.bytes(#media, body)));
        } else {
            let body_type = names.rust_type(&body.type_ref);
            if body.required {
                arguments.push(quote!(body: &#body_type));
                chain.extend(quote!(.json(body)));
            } else {
                arguments.push(quote!(body: Option<&#body_type>));
                chain.extend(quote!(.json_opt(body)));
            }
        }
    }
    arguments.extend(trailing);
    chain.extend(trailing_chain);

    // Where the document says which schemes apply, credentials of other
    // schemes stay off the request (an empty list: none at all).
    let says_security = !api.security_schemes.is_empty() && api.endpoints.values().any(|e| !e.security.is_empty());
    if says_security {
        let schemes = endpoint.security.iter().map(String::as_str);
        chain.extend(quote!(.schemes(&[#(#schemes),*])));
    }
    let answers = Answers::of(endpoint);
    let (output, constructor) = output_type(names, endpoint, &answers);
    chain.extend(error_call(names, endpoint, &answers));
    let success_enum = answers.success_enum().then(|| emit_answer_enum(names, endpoint, &answers.success, "Success"));
    let error_enum = answers.error_enum().then(|| emit_answer_enum(names, endpoint, &answers.errors, "Error"));
    let doc = docs::attrs(&endpoint_doc(names, api, endpoint));
    quote! {
        #success_enum
        #error_enum
        #doc
        pub fn #function(#(#arguments),*) -> ng::Request<#output> {
            ng::Request::#constructor(#method, #template) #chain
        }
    }
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The argument type of a parameter: text, number or flag (lists as
/// slices); objects are passed as text, with a warning.
fn param_type(names: &Names, type_ref: &TypeRef, required: bool, endpoint: &Endpoint, wire: &str, diagnostics: &mut Vec<Diagnostic>) -> TokenStream {
    let scalar = |type_ref: &TypeRef, diagnostics: &mut Vec<Diagnostic>| match names.kind(type_ref) {
        Kind::Integer => quote!(i64),
        Kind::Number => quote!(f64),
        Kind::Boolean => quote!(bool),
        Kind::String | Kind::StringEnum(_) | Kind::Any => quote!(&str),
        Kind::Object(_) | Kind::Other => {
            diagnostics.push(
                Diagnostic::warning(endpoint.origin.clone(), format!("parameter `{wire}` is an object; it is passed as text"))
                    .resource(&endpoint.operation_id),
            );
            quote!(&str)
        }
    };
    let value = match names.resolve(type_ref) {
        TypeRef::Array(item) => {
            let item = scalar(item, diagnostics);
            quote!(&[#item])
        }
        other => scalar(other, diagnostics),
    };
    if required {
        value
    } else {
        quote!(Option<#value>)
    }
}

/// The wire stand-in of an operation's answer enum.
fn answer_wire(endpoint: &Endpoint, kind: &str) -> String {
    format!("{} {kind}", endpoint.operation_id)
}

/// An operation's documented answers, split into the success side (2xx
/// codes and `2XX`; `default` when nothing else is a success) and the
/// error side (everything else; `default` then means any other status).
struct Answers<'e> {
    success: Vec<&'e Response>,
    errors: Vec<&'e Response>,
}

impl<'e> Answers<'e> {
    fn of(endpoint: &'e Endpoint) -> Self {
        let is_success = |status: &StatusSpec| matches!(status, StatusSpec::Code(200..=299) | StatusSpec::Range(2));
        let has_success = endpoint.responses.iter().any(|r| is_success(&r.status));
        let (success, errors) = endpoint
            .responses
            .iter()
            .partition(|r| is_success(&r.status) || (!has_success && r.status == StatusSpec::Default));
        Answers { success, errors }
    }

    fn success_bodies(&self) -> BTreeSet<&'e TypeRef> {
        self.success.iter().filter_map(|r| r.body.as_ref().map(|b| &b.type_ref)).collect()
    }

    /// Several success bodies of different types: one variant per status.
    fn success_enum(&self) -> bool {
        self.success_bodies().len() > 1
    }

    fn error_bodies(&self) -> BTreeSet<&'e TypeRef> {
        self.errors.iter().filter_map(|r| r.body.as_ref().map(|b| &b.type_ref)).collect()
    }

    /// Error answers with bodies that are not all of one JSON type (or
    /// some without a body among them): one variant per status.
    fn error_enum(&self) -> bool {
        let bodies = self.error_bodies();
        !bodies.is_empty() && (bodies.len() > 1 || bodies.contains(&TypeRef::Bytes) || self.errors.iter().any(|r| r.body.is_none()))
    }
}

/// The type a 2xx answer decodes into, and the runtime constructor.
fn output_type(names: &Names, endpoint: &Endpoint, answers: &Answers) -> (TokenStream, TokenStream) {
    if answers.success_enum() {
        let name = ident(&names.answers[&answer_wire(endpoint, "Success")]);
        return (quote!(#name), quote!(by_status));
    }
    let bodies = answers.success_bodies();
    let without_body = answers.success.iter().any(|r| r.body.is_none());
    match bodies.iter().next() {
        None => (quote!(()), quote!(empty)),
        Some(TypeRef::Bytes) => (quote!(Vec<u8>), quote!(raw)),
        Some(body) => {
            let body = names.rust_type(body);
            if without_body {
                (quote!(Option<#body>), quote!(maybe))
            } else {
                (body, quote!(new))
            }
        }
    }
}

/// The call that types error answers: `.error_body::<T>(statuses)` when
/// every error answer has a body of one type, `.errors::<OpError>()` when
/// they differ; nothing when no error answer has a body.
fn error_call(names: &Names, endpoint: &Endpoint, answers: &Answers) -> TokenStream {
    if answers.error_enum() {
        let name = ident(&names.answers[&answer_wire(endpoint, "Error")]);
        return quote!(.errors::<#name>());
    }
    let Some(body) = answers.error_bodies().into_iter().next() else { return TokenStream::new() };
    let body = names.rust_type(body);
    let ranges = answers.errors.iter().map(|r| {
        let (low, high) = match r.status {
            StatusSpec::Code(code) => (code, code),
            StatusSpec::Range(digit) => (u16::from(digit) * 100, u16::from(digit) * 100 + 99),
            StatusSpec::Default => (100, 599),
        };
        let (low, high) = (proc_macro2::Literal::u16_unsuffixed(low), proc_macro2::Literal::u16_unsuffixed(high));
        quote!((#low, #high))
    });
    quote!(.error_body::<#body>(&[#(#ranges),*]))
}

/// A status-keyed enum over `responses` with its `FromStatus` impl.
/// Variants: `Status404(T)` for a code, `Status4XX(u16, T)` for a range,
/// `Default(u16, T)`; no payload when the answer has no body. Success
/// enums without `default` get `Other(u16, Vec<u8>)` for undocumented 2xx
/// statuses, so nothing received is lost.
fn emit_answer_enum(names: &Names, endpoint: &Endpoint, responses: &[&Response], kind: &str) -> TokenStream {
    let type_ident = ident(&names.answers[&answer_wire(endpoint, kind)]);
    let mut variants = TokenStream::new();
    let (mut exact, mut ranges, mut fallback) = (TokenStream::new(), TokenStream::new(), None);
    let mut seen = BTreeSet::new();
    for response in responses {
        if !seen.insert(&response.status) {
            continue;
        }
        let (variant, status_words, with_status) = match response.status {
            StatusSpec::Code(code) => (format!("Status{code}"), code.to_string(), false),
            StatusSpec::Range(digit) => (format!("Status{digit}XX"), format!("{digit}XX (with the status)"), true),
            StatusSpec::Default => ("Default".to_string(), "any other status (with the status)".to_string(), true),
        };
        let variant = ident(&variant);
        let body = response.body.as_ref().map(|b| &b.type_ref);
        let doc = docs::attrs(&[match body {
            Some(type_ref) => format!("{status_words}: {}.", type_words(names, type_ref)),
            None => format!("{status_words}: no body."),
        }]);
        let (held, decoded) = match body {
            None => (None, quote!(Ok(()))),
            Some(TypeRef::Bytes) => (Some(quote!(Vec<u8>)), quote!(Ok::<_, String>(body.to_vec()))),
            Some(type_ref) => {
                let rust = names.rust_type(type_ref);
                (Some(quote!(#rust)), quote!(ng::from_body::<#rust>(body)))
            }
        };
        let (declared, built) = match (held, with_status) {
            (Some(held), true) => (quote!(#variant(u16, #held)), quote!(#decoded.map(|value| Self::#variant(status, value)))),
            (Some(held), false) => (quote!(#variant(#held)), quote!(#decoded.map(Self::#variant))),
            (None, true) => (quote!(#variant(u16)), quote!(Ok(Self::#variant(status)))),
            (None, false) => (quote!(#variant), quote!(Ok(Self::#variant))),
        };
        variants.extend(quote! { #doc #declared, });
        match response.status {
            StatusSpec::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                exact.extend(quote! { #code => #built, })
            }
            StatusSpec::Range(digit) => {
                let low = proc_macro2::Literal::u16_unsuffixed(u16::from(digit) * 100);
                let high = proc_macro2::Literal::u16_unsuffixed(u16::from(digit) * 100 + 99);
                ranges.extend(quote! { #low..=#high => #built, });
            }
            StatusSpec::Default => fallback = Some(built),
        }
    }
    let other = (kind == "Success" && fallback.is_none()).then(|| {
        let doc = docs::attrs(&["A 2xx status the description does not document: the status and the body as received.".to_string()]);
        fallback = Some(quote!(Ok(Self::Other(status, body.to_vec()))));
        quote! { #doc Other(u16, Vec<u8>), }
    });
    let fallback = fallback.map(|built| quote!(_ => #built,)).unwrap_or_else(|| quote!(_ => return None,));
    let doc = docs::attrs(&[format!(
        "{} answers of {}, by status.",
        if kind == "Success" { "Success" } else { "Error" },
        docs::code(&endpoint.operation_id)
    )]);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #type_ident {
            #variants
            #other
        }

        impl ng::FromStatus for #type_ident {
            #[allow(unused_variables)]
            fn from_status(status: u16, body: &[u8]) -> Option<Result<Self, String>> {
                Some(match status {
                    #exact
                    #ranges
                    #fallback
                })
            }
        }
    }
}

fn endpoint_doc(names: &Names, api: &Api, endpoint: &Endpoint) -> Vec<String> {
    let base = api.base_path.trim_end_matches('/');
    let mut lines = vec![format!("{} ({}).", docs::code(&format!("{} {base}{}", endpoint.method.as_str(), endpoint.path)), docs::code(&endpoint.operation_id))];
    with_description(&mut lines, endpoint.description.as_deref());
    let status_text = |status: &StatusSpec| match status {
        StatusSpec::Code(code) => code.to_string(),
        StatusSpec::Range(digit) => format!("{digit}XX"),
        StatusSpec::Default => "default".to_string(),
    };
    let answers: Vec<String> = endpoint
        .responses
        .iter()
        .map(|r| match &r.body {
            Some(body) => format!("{} {}", status_text(&r.status), type_words(names, &body.type_ref)),
            None => status_text(&r.status),
        })
        .collect();
    if !answers.is_empty() {
        lines.push(String::new());
        lines.push(format!("Answers: {}.", answers.join(", ")));
    }
    lines.push(String::new());
    if endpoint.security.is_empty() {
        lines.push("No authentication.".to_string());
    } else {
        lines.push(format!("Authentication: {}.", docs::code_list(endpoint.security.iter().map(String::as_str))));
    }
    if endpoint.inferred {
        lines.push(String::new());
        lines.push("Inferred: not confirmed by a primary source (`x-inferred`).".to_string());
    }
    lines
}
