//! OpenAPI-described APIs: schemas (object fields, enum literals, unions,
//! aliases) and endpoints (parameters, bodies, responses), reported in the
//! same [`Change`](super::Change) shape as NITRO resources.

use super::nitro::{bound_class, count, At};
use super::{pair, Aspect, ChangeKind, ChangeReport, Class, Context, Item, Pair};
use crate::ir::{Api, Body, EnumLiteral, Endpoint, Field, Parameter, Response, Schema, SchemaShape, StatusSpec, TypeRef};
use std::collections::BTreeMap;

pub(super) fn compare_schemas(ctx: &Context, old: &Api, new: &Api, report: &mut ChangeReport) {
    for entry in pair(&old.schemas, &new.schemas) {
        match entry {
            Pair::Old(name, schema) => {
                report.schemas.remove(1);
                report.fields.remove(fields(schema).len());
                report.changes.push(
                    At::new("schema", "", name).change(Item::Schema, ChangeKind::Removed).class(ctx.removal()).was(shape_text(schema)),
                );
            }
            Pair::New(name, schema) => {
                report.schemas.add(1);
                report.fields.add(fields(schema).len());
                report.changes.push(
                    At::new("schema", "", name).change(Item::Schema, ChangeKind::Added).class(ctx.addition()).now(shape_text(schema)),
                );
            }
            Pair::Both { new_name, old: old_schema, new: new_schema, .. } => {
                report.schemas.keep();
                compare_schema(ctx, &At::new("schema", "", new_name), old_schema, new_schema, report);
            }
        }
    }
}

fn compare_schema(ctx: &Context, at: &At, old: &Schema, new: &Schema, report: &mut ChangeReport) {
    let changed = |aspect: Aspect| at.change(Item::Schema, ChangeKind::Changed).aspect(aspect).class((Class::Breaking, None));
    if old.nullable != new.nullable {
        report.changes.push(changed(Aspect::Nullable).was(old.nullable).now(new.nullable));
    }
    match (&old.shape, &new.shape) {
        (SchemaShape::Object { fields: old_fields, additional: old_extra }, SchemaShape::Object { fields: new_fields, additional: new_extra }) => {
            if old_extra != new_extra {
                let text = |extra: &Option<TypeRef>| extra.as_ref().map_or("none".to_string(), type_text);
                report.changes.push(changed(Aspect::Shape).was(format!("extra keys: {}", text(old_extra))).now(format!("extra keys: {}", text(new_extra))));
            }
            compare_fields(ctx, at, old_fields, new_fields, report);
        }
        (SchemaShape::Enum { values: old_values }, SchemaShape::Enum { values: new_values }) => {
            let old_set: BTreeMap<String, ()> = old_values.iter().map(|v| (literal_text(v), ())).collect();
            let new_set: BTreeMap<String, ()> = new_values.iter().map(|v| (literal_text(v), ())).collect();
            for value in old_set.keys().filter(|value| !new_set.contains_key(*value)) {
                report.changes.push(at.change(Item::EnumValue, ChangeKind::Removed).class(ctx.removal()).was(value));
            }
            for value in new_set.keys().filter(|value| !old_set.contains_key(*value)) {
                report.changes.push(at.change(Item::EnumValue, ChangeKind::Added).class(ctx.addition()).now(value));
            }
        }
        (old_shape, new_shape) if old_shape != new_shape => {
            // Objects that became something else lose their fields, and the
            // other way round: keep the field counts exact.
            report.fields.remove(fields(old).len());
            report.fields.add(fields(new).len());
            report.changes.push(changed(Aspect::Shape).was(shape_text(old)).now(shape_text(new)));
        }
        _ => {}
    }
}

fn compare_fields(ctx: &Context, at: &At, old: &BTreeMap<String, Field>, new: &BTreeMap<String, Field>, report: &mut ChangeReport) {
    for entry in pair(old, new) {
        match entry {
            Pair::Old(name, field) => {
                report.fields.remove(1);
                report.changes.push(
                    at.change(Item::Field, ChangeKind::Removed).member(name).class(ctx.removal()).was(field_text(field)),
                );
            }
            Pair::New(name, field) => {
                report.fields.add(1);
                let class = if field.required { (Class::Breaking, None) } else { ctx.addition() };
                report.changes.push(at.change(Item::Field, ChangeKind::Added).member(name).class(class).now(field_text(field)));
            }
            Pair::Both { new_name, old: old_field, new: new_field, .. } => {
                report.fields.keep();
                compare_field(ctx, at, new_name, old_field, new_field, report);
            }
        }
    }
}

fn compare_field(ctx: &Context, at: &At, name: &str, old: &Field, new: &Field, report: &mut ChangeReport) {
    let changed = |aspect: Aspect| at.change(Item::Field, ChangeKind::Changed).member(name).aspect(aspect);
    if old.type_ref != new.type_ref {
        report.changes.push(changed(Aspect::Type).class((Class::Breaking, None)).was(type_text(&old.type_ref)).now(type_text(&new.type_ref)));
    }
    // Required and nullable decide whether the generated field is an
    // `Option`: either direction changes the type.
    if old.required != new.required {
        report.changes.push(changed(Aspect::Required).class((Class::Breaking, None)).was(old.required).now(new.required));
    }
    if old.nullable != new.nullable {
        report.changes.push(changed(Aspect::Nullable).class((Class::Breaking, None)).was(old.nullable).now(new.nullable));
    }
    if old.read_only != new.read_only {
        let class = if new.read_only { Class::Breaking } else { Class::Compatible };
        report.changes.push(changed(Aspect::ReadOnly).class((class, None)).was(old.read_only).now(new.read_only));
    }
    if old.default != new.default {
        let text = |value: &Option<serde_json::Value>| value.as_ref().map(|v| v.to_string());
        report.changes.push(changed(Aspect::Default).class((Class::Compatible, None)).was_opt(text(&old.default)).now_opt(text(&new.default)));
    }
    let float_bounds = [(Aspect::MinValue, old.min_value, new.min_value, true), (Aspect::MaxValue, old.max_value, new.max_value, false)];
    for (aspect, old_bound, new_bound, lower) in float_bounds {
        if let Some(class) = bound_class(ctx, old_bound, new_bound, lower) {
            report.changes.push(changed(aspect).class(class).was_opt(old_bound).now_opt(new_bound));
        }
    }
    let length_bounds = [(Aspect::MinLength, old.min_length, new.min_length, true), (Aspect::MaxLength, old.max_length, new.max_length, false)];
    for (aspect, old_bound, new_bound, lower) in length_bounds {
        if let Some(class) = bound_class(ctx, old_bound, new_bound, lower) {
            report.changes.push(changed(aspect).class(class).was_opt(old_bound).now_opt(new_bound));
        }
    }
    if old.pattern != new.pattern {
        let class = if new.pattern.is_none() { Class::Compatible } else { Class::Breaking };
        report.changes.push(changed(Aspect::Pattern).class((class, None)).was_opt(old.pattern.as_deref()).now_opt(new.pattern.as_deref()));
    }
}

pub(super) fn compare_endpoints(ctx: &Context, old: &Api, new: &Api, report: &mut ChangeReport) {
    for entry in pair(&old.endpoints, &new.endpoints) {
        match entry {
            Pair::Old(key, endpoint) => {
                report.endpoints.remove(1);
                report.changes.push(
                    endpoint_at(key, endpoint).change(Item::Endpoint, ChangeKind::Removed).class(ctx.removal()).was(&endpoint.operation_id),
                );
            }
            Pair::New(key, endpoint) => {
                report.endpoints.add(1);
                report.changes.push(
                    endpoint_at(key, endpoint).change(Item::Endpoint, ChangeKind::Added).class(ctx.addition()).now(&endpoint.operation_id),
                );
            }
            Pair::Both { new_name, old: old_endpoint, new: new_endpoint, .. } => {
                report.endpoints.keep();
                compare_endpoint(ctx, &endpoint_at(new_name, new_endpoint), old_endpoint, new_endpoint, report);
            }
        }
    }
}

fn endpoint_at(key: &str, endpoint: &Endpoint) -> At {
    At::new("endpoint", endpoint.tags.first().map_or("", String::as_str), key)
}

fn compare_endpoint(ctx: &Context, at: &At, old: &Endpoint, new: &Endpoint, report: &mut ChangeReport) {
    let changed = |aspect: Aspect| at.change(Item::Endpoint, ChangeKind::Changed).aspect(aspect);
    if old.operation_id != new.operation_id {
        // The generated method is named after the operation id.
        report.changes.push(changed(Aspect::OperationId).class((Class::Breaking, None)).was(&old.operation_id).now(&new.operation_id));
    }
    if old.tags != new.tags {
        report.changes.push(changed(Aspect::Tags).class((Class::DocumentationOnly, None)).was(old.tags.join(", ")).now(new.tags.join(", ")));
    }
    if old.request != new.request {
        report.changes.push(changed(Aspect::Request).class((Class::Breaking, None)).was(body_text(&old.request)).now(body_text(&new.request)));
    }
    if old.responses != new.responses {
        report.changes.push(
            changed(Aspect::Responses).class((Class::Breaking, None)).was(responses_text(&old.responses)).now(responses_text(&new.responses)),
        );
    }
    if old.security != new.security {
        report.changes.push(changed(Aspect::Security).class((Class::Breaking, None)).was(old.security.join(", ")).now(new.security.join(", ")));
    }

    let by_key = |parameters: &[Parameter]| -> BTreeMap<String, Parameter> {
        parameters.iter().map(|p| (format!("{}:{}", location(p), p.name), p.clone())).collect()
    };
    let (old_parameters, new_parameters) = (by_key(&old.parameters), by_key(&new.parameters));
    for entry in pair(&old_parameters, &new_parameters) {
        match entry {
            Pair::Old(key, parameter) => report.changes.push(
                at.change(Item::Parameter, ChangeKind::Removed).member(key).class(ctx.removal()).was(type_text(&parameter.type_ref)),
            ),
            Pair::New(key, parameter) => {
                let class = if parameter.required { (Class::Breaking, None) } else { ctx.addition() };
                report.changes.push(at.change(Item::Parameter, ChangeKind::Added).member(key).class(class).now(type_text(&parameter.type_ref)));
            }
            Pair::Both { new_name, old: old_parameter, new: new_parameter, .. } => {
                let changed = |aspect: Aspect| at.change(Item::Parameter, ChangeKind::Changed).member(new_name).aspect(aspect);
                if old_parameter.type_ref != new_parameter.type_ref {
                    report.changes.push(
                        changed(Aspect::Type)
                            .class((Class::Breaking, None))
                            .was(type_text(&old_parameter.type_ref))
                            .now(type_text(&new_parameter.type_ref)),
                    );
                }
                if old_parameter.required != new_parameter.required {
                    let class = if new_parameter.required { Class::Breaking } else { Class::Compatible };
                    report.changes.push(changed(Aspect::Required).class((class, None)).was(old_parameter.required).now(new_parameter.required));
                }
            }
        }
    }
}

fn fields(schema: &Schema) -> BTreeMap<String, Field> {
    match &schema.shape {
        SchemaShape::Object { fields, .. } => fields.clone(),
        _ => BTreeMap::new(),
    }
}

fn location(parameter: &Parameter) -> &'static str {
    match parameter.location {
        crate::ir::ParamLocation::Path => "path",
        crate::ir::ParamLocation::Query => "query",
        crate::ir::ParamLocation::Header => "header",
        crate::ir::ParamLocation::Cookie => "cookie",
    }
}

/// A type as short text: `string(date-time)`, `[Named]`, `map<integer>`.
pub(crate) fn type_text(type_ref: &TypeRef) -> String {
    let with_format = |name: &str, format: &Option<String>| match format {
        Some(format) => format!("{name}({format})"),
        None => name.to_string(),
    };
    match type_ref {
        TypeRef::String { format } => with_format("string", format),
        TypeRef::Integer { format } => with_format("integer", format),
        TypeRef::Number { format } => with_format("number", format),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Array(item) => format!("[{}]", type_text(item)),
        TypeRef::Map(value) => format!("map<{}>", type_text(value)),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Any => "any".into(),
        TypeRef::Bytes => "bytes".into(),
    }
}

fn literal_text(literal: &EnumLiteral) -> String {
    match literal {
        EnumLiteral::String(value) => value.clone(),
        EnumLiteral::Integer(value) => value.to_string(),
        EnumLiteral::Null => "null".into(),
    }
}

fn shape_text(schema: &Schema) -> String {
    match &schema.shape {
        SchemaShape::Object { fields, .. } => format!("object, {}", count(fields.len(), "field", "fields")),
        SchemaShape::Enum { values } => format!("enum, {}", count(values.len(), "value", "values")),
        SchemaShape::Union { variants, any_of, .. } => {
            let names: Vec<String> = variants.iter().map(type_text).collect();
            format!("{} of {}", if *any_of { "any" } else { "one" }, names.join(" | "))
        }
        SchemaShape::Alias(type_ref) => format!("alias of {}", type_text(type_ref)),
    }
}

fn field_text(field: &Field) -> String {
    let mut text = type_text(&field.type_ref);
    if field.required {
        text.push_str(", required");
    }
    if field.read_only {
        text.push_str(", read-only");
    }
    text
}

fn body_text(body: &Option<Body>) -> String {
    match body {
        Some(body) => format!("{} {}{}", body.media_type, type_text(&body.type_ref), if body.required { ", required" } else { "" }),
        None => "none".into(),
    }
}

fn responses_text(responses: &[Response]) -> String {
    let texts: Vec<String> = responses
        .iter()
        .map(|response| {
            let status = match response.status {
                StatusSpec::Code(code) => code.to_string(),
                StatusSpec::Range(digit) => format!("{digit}XX"),
                StatusSpec::Default => "default".into(),
            };
            format!("{status}: {}", body_text(&response.body))
        })
        .collect();
    if texts.is_empty() {
        "none".into()
    } else {
        texts.join("; ")
    }
}
