//! Schemas: `components/schemas` and every inline schema -> named
//! [`Schema`]s and [`TypeRef`]s.
//!
//! A schema that needs a Rust type of its own (an object with properties,
//! an enum, a union, an `allOf` of several parts) becomes a named schema;
//! primitives, arrays and maps stay inline [`TypeRef`]s.

use super::document::{child, last_token, ref_pointer, RefError};
use super::{is_inferred, Lowerer};
use crate::ir::{Discriminator, EnumLiteral, ErrorCode, Field, Schema, SchemaShape, TypeRef};
use heck::ToUpperCamelCase;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Deeper nesting than this is treated as broken input (it would only come
/// from a generated or hostile document) rather than risking the stack.
const MAX_DEPTH: usize = 64;

const COMPONENT_PREFIX: &str = "/components/schemas/";

/// `{owner}{Field}` part of an inline name.
pub(super) fn camel(wire: &str) -> String {
    let camel = wire.to_upper_camel_case();
    if camel.is_empty() {
        // Names made only of punctuation keep a readable stand-in.
        "Unnamed".to_string()
    } else {
        camel
    }
}

impl<'a> Lowerer<'a> {
    /// Lowers every schema of `components/schemas` under its own name.
    pub(super) fn lower_components(&mut self) {
        let Some(components) = self.doc.pointer("/components/schemas").and_then(Value::as_object) else { return };
        let entries: BTreeMap<&String, &Value> = components.iter().collect();
        self.component_names = entries.keys().map(|name| name.to_string()).collect();
        for (name, schema) in entries {
            let pointer = child("/components/schemas", name);
            self.subject = name.clone();
            self.read_error_codes(schema, &pointer);
            // A reader bug costs this schema (an error naming its
            // pointer), not the document.
            let shape = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.shape_of(name, schema, &pointer, 0))).unwrap_or_else(|_| {
                self.error(&pointer, name, "schema reader failed (a bug: please report it with this document)");
                SchemaShape::Alias(TypeRef::Any)
            });
            let schema = Schema {
                name: name.clone(),
                shape,
                nullable: is_nullable(schema),
                inferred: is_inferred(schema),
                origin: self.origin(&pointer),
                description: self.description(schema),
            };
            self.schemas.insert(name.clone(), schema);
        }
        self.note_inheritance_discriminators(components);
    }

    /// A `discriminator` on an object schema that others extend through
    /// `allOf` (inheritance rather than `oneOf`): the subtypes are not
    /// picked by it. Said in a note, since nothing is lost (the base
    /// object keeps every key a subtype adds in its unknown fields).
    fn note_inheritance_discriminators(&mut self, components: &'a serde_json::Map<String, Value>) {
        // Which schemas extend which, computed once (a document of n
        // schemas with discriminators must not cost n^2).
        let mut extenders: BTreeMap<&str, BTreeSet<&String>> = BTreeMap::new();
        for (other, schema) in components {
            for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
                if let Some(reference) = part.get("$ref").and_then(Value::as_str) {
                    extenders.entry(reference).or_default().insert(other);
                }
            }
        }
        for (name, schema) in components.iter().collect::<BTreeMap<_, _>>() {
            let Some(property) = schema.pointer("/discriminator/propertyName").and_then(Value::as_str) else { continue };
            if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
                continue;
            }
            let target = format!("#{}", child("/components/schemas", name));
            let subtypes: BTreeSet<String> = extenders.get(target.as_str()).into_iter().flatten().map(|other| format!("`{other}`")).collect();
            let subtypes: Vec<String> = subtypes.into_iter().collect();
            let subtypes = if subtypes.is_empty() { "none found".to_string() } else { subtypes.join(", ") };
            self.note(
                &format!("{}/discriminator", child("/components/schemas", name)),
                name,
                format!("discriminator `{property}` on an object schema does not pick a subtype ({subtypes}); values decode as `{name}` and keep the subtype's keys in its unknown fields"),
            );
        }
    }

    /// The shape of a schema that gets the name `name`.
    fn shape_of(&mut self, name: &str, schema: &'a Value, pointer: &str, depth: usize) -> SchemaShape {
        if depth > MAX_DEPTH {
            self.degrade(pointer, &self.subject(), format!("schema nesting is deeper than {MAX_DEPTH} levels; read as any JSON value"));
            return SchemaShape::Alias(TypeRef::Any);
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return SchemaShape::Alias(self.type_of_ref(reference, pointer, name, depth));
        }
        if let Some(part) = single_all_of(schema) {
            return SchemaShape::Alias(self.type_of(part, &format!("{pointer}/allOf/0"), name, depth + 1));
        }
        if schema.get("allOf").is_some() {
            return self.merge_all_of(name, schema, pointer, depth);
        }
        if let Some(shape) = self.union_shape(name, schema, pointer, depth) {
            return shape;
        }
        if schema.get("enum").is_some() {
            if let Some(values) = self.enum_literals(schema, pointer) {
                return SchemaShape::Enum { values };
            }
        }
        if is_object(schema) {
            let has_properties = schema.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
            let typed_map = schema.get("additionalProperties").is_some_and(|extra| extra.is_object() && !is_empty_schema(extra));
            if !has_properties && typed_map {
                let extra = &schema["additionalProperties"];
                let value = self.type_of(extra, &format!("{pointer}/additionalProperties"), &format!("{name}Value"), depth + 1);
                return SchemaShape::Alias(TypeRef::Map(Box::new(value)));
            }
            return self.object_shape(name, schema, pointer, depth);
        }
        SchemaShape::Alias(self.primitive_or_array(schema, pointer, name, depth))
    }

    /// The type of a schema used in place (a field, an item, a body):
    /// named when it needs a type of its own, inline otherwise.
    pub(super) fn type_of(&mut self, schema: &'a Value, pointer: &str, hint: &str, depth: usize) -> TypeRef {
        if depth > MAX_DEPTH {
            self.degrade(pointer, &self.subject(), format!("schema nesting is deeper than {MAX_DEPTH} levels; read as any JSON value"));
            return TypeRef::Any;
        }
        if !schema.is_object() {
            if schema.as_bool() != Some(true) {
                self.warn(pointer, &self.subject(), "schema is not an object; read as any JSON value");
            }
            return TypeRef::Any;
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return self.type_of_ref(reference, pointer, hint, depth);
        }
        if let Some(part) = single_all_of(schema) {
            return self.type_of(part, &format!("{pointer}/allOf/0"), hint, depth + 1);
        }
        if let Some(single) = non_null_single_variant(schema) {
            let (key, index, part) = single;
            return self.type_of(part, &format!("{pointer}/{key}/{index}"), hint, depth + 1);
        }
        if self.needs_name(schema) {
            return self.define_inline(hint, schema, pointer, depth);
        }
        self.primitive_or_array(schema, pointer, hint, depth)
    }

    fn needs_name(&self, schema: &'a Value) -> bool {
        if schema.get("allOf").is_some() || schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
            return true;
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values.iter().all(|v| v.is_string() || v.is_i64() || v.is_u64() || v.is_null()) && values.iter().any(|v| !v.is_null());
        }
        is_object(schema) && schema.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty())
    }

    /// Primitives, arrays and maps.
    fn primitive_or_array(&mut self, schema: &'a Value, pointer: &str, hint: &str, depth: usize) -> TypeRef {
        let format = schema.get("format").and_then(Value::as_str).map(str::to_string);
        let kind = match schema.get("type") {
            Some(Value::String(kind)) => kind.as_str(),
            Some(Value::Array(_)) => {
                self.warn(&format!("{pointer}/type"), &self.subject(), "a list of types is OpenAPI 3.1; read as any JSON value");
                return TypeRef::Any;
            }
            Some(_) => {
                self.warn(&format!("{pointer}/type"), &self.subject(), "`type` is not a string; read as any JSON value");
                return TypeRef::Any;
            }
            None if is_object(schema) => "object",
            None if schema.get("items").is_some() => "array",
            None => {
                if schema.get("not").is_some() {
                    self.warn(pointer, &self.subject(), "`not` is not supported; read as any JSON value");
                }
                return TypeRef::Any;
            }
        };
        match kind {
            "string" => TypeRef::String { format },
            "integer" => TypeRef::Integer { format },
            "number" => TypeRef::Number { format },
            "boolean" => TypeRef::Boolean,
            "array" => match schema.get("items") {
                Some(items) => {
                    let item = self.type_of(items, &format!("{pointer}/items"), &format!("{hint}Item"), depth + 1);
                    TypeRef::Array(Box::new(item))
                }
                None => TypeRef::Array(Box::new(TypeRef::Any)),
            },
            "object" => match schema.get("additionalProperties") {
                Some(extra) if extra.is_object() && !is_empty_schema(extra) => {
                    let value = self.type_of(extra, &format!("{pointer}/additionalProperties"), &format!("{hint}Value"), depth + 1);
                    TypeRef::Map(Box::new(value))
                }
                _ => TypeRef::Map(Box::new(TypeRef::Any)),
            },
            other => {
                self.warn(&format!("{pointer}/type"), &self.subject(), format!("unknown type `{other}`; read as any JSON value"));
                TypeRef::Any
            }
        }
    }

    /// A `$ref` at `pointer`: a component name, or a schema elsewhere in the
    /// document lowered once under a name taken from `hint`.
    pub(super) fn type_of_ref(&mut self, reference: &str, pointer: &str, hint: &str, depth: usize) -> TypeRef {
        let mut reference = reference.to_string();
        let mut seen = BTreeSet::new();
        loop {
            let target = match ref_pointer(&reference) {
                Ok(target) => target,
                Err(error) => return self.ref_failed(pointer, hint, error),
            };
            if !seen.insert(target.clone()) {
                return self.ref_failed(pointer, hint, RefError::Cycle(reference));
            }
            if seen.len() > super::document::MAX_REF_CHAIN {
                return self.ref_failed(pointer, hint, RefError::TooLong(reference));
            }
            if let Some(name) = component_name(&target) {
                if self.component_names.contains(&name) {
                    return TypeRef::Named(name);
                }
                return self.ref_failed(pointer, hint, RefError::Dangling(reference));
            }
            let Some(value) = self.doc.pointer(&target) else {
                return self.ref_failed(pointer, hint, RefError::Dangling(reference));
            };
            if let Some(next) = value.get("$ref").and_then(Value::as_str) {
                reference = next.to_string();
                continue;
            }
            if let Some(known) = self.by_pointer.get(&target) {
                return known.clone();
            }
            // Named before lowering so that a schema reaching itself again
            // through this pointer ends in a reference, not a loop.
            let name = self.unique_name(hint, &target);
            self.by_pointer.insert(target.clone(), TypeRef::Named(name.clone()));
            let shape = self.shape_of(&name, value, &target, depth + 1);
            self.insert_schema(&name, value, &target, shape);
            return TypeRef::Named(name);
        }
    }

    fn ref_failed(&mut self, pointer: &str, _hint: &str, error: RefError) -> TypeRef {
        match error {
            RefError::External(_) | RefError::Empty => self.warn(pointer, &self.subject(), format!("{}; read as any JSON value", error.message())),
            // Confined to this part: degraded, the rest is generated.
            _ => self.degrade(pointer, &self.subject(), format!("{}; read as any JSON value or skipped", error.message())),
        }
        TypeRef::Any
    }

    fn define_inline(&mut self, hint: &str, schema: &'a Value, pointer: &str, depth: usize) -> TypeRef {
        // A `$ref` elsewhere may already have named the schema at this
        // pointer (or will): one schema, one name.
        if let Some(known) = self.by_pointer.get(pointer) {
            return known.clone();
        }
        let name = self.unique_name(hint, pointer);
        self.by_pointer.insert(pointer.to_string(), TypeRef::Named(name.clone()));
        let shape = self.shape_of(&name, schema, pointer, depth + 1);
        self.insert_schema(&name, schema, pointer, shape);
        TypeRef::Named(name)
    }

    fn insert_schema(&mut self, name: &str, schema: &'a Value, pointer: &str, shape: SchemaShape) {
        let schema = Schema {
            name: name.to_string(),
            shape,
            nullable: is_nullable(schema),
            inferred: is_inferred(schema),
            origin: self.origin(pointer),
            description: self.description(schema),
        };
        self.schemas.insert(name.to_string(), schema);
    }

    /// `hint`, or `hint2`, `hint3`... when taken. The name is reserved at
    /// once with a placeholder.
    fn unique_name(&mut self, hint: &str, pointer: &str) -> String {
        let base = if hint.is_empty() { "Inline".to_string() } else { hint.to_string() };
        let taken = |lowerer: &Self, name: &str| lowerer.schemas.contains_key(name) || lowerer.component_names.contains(name);
        let mut name = base.clone();
        let mut suffix = 2;
        while taken(self, &name) {
            name = format!("{base}{suffix}");
            suffix += 1;
        }
        if name != base {
            self.note(pointer, &name, format!("inline schema named `{name}` because `{base}` is taken"));
        }
        self.schemas.insert(
            name.clone(),
            Schema { name: name.clone(), shape: SchemaShape::Alias(TypeRef::Any), nullable: false, inferred: false, origin: self.origin(pointer), description: None },
        );
        name
    }

    fn object_shape(&mut self, owner: &str, schema: &'a Value, pointer: &str, depth: usize) -> SchemaShape {
        let mut parts = ObjectParts::default();
        parts.add(schema, pointer);
        self.finish_object(owner, parts, depth)
    }

    /// `allOf` of several parts: one object holding the properties and
    /// `required` lists of every part (refs followed, nested `allOf`
    /// flattened); a property named by several parts takes the last.
    fn merge_all_of(&mut self, owner: &str, schema: &'a Value, pointer: &str, depth: usize) -> SchemaShape {
        let mut parts = ObjectParts::default();
        let mut walk = AllOfWalk { ancestors: vec![pointer.to_string()], gathered: BTreeSet::new() };
        self.gather_all_of(schema, pointer, &mut parts, &mut walk);
        self.finish_object(owner, parts, depth)
    }

    /// Gathers the parts of an `allOf`, each schema once: a part reached
    /// again through another path (`A: allOf [B, C]`, both extending `D`)
    /// adds nothing new, so `A: {allOf: [{$ref: A}, {$ref: A}, ...]}` and
    /// chains of such diamonds take linear, not exponential, time. A part
    /// that includes one of its own ancestors is a cycle: skipped with a
    /// warning naming both pointers.
    fn gather_all_of(&mut self, schema: &'a Value, pointer: &str, parts: &mut ObjectParts<'a>, walk: &mut AllOfWalk) {
        if walk.ancestors.len() > MAX_DEPTH {
            self.degrade(pointer, &self.subject(), format!("allOf nesting is deeper than {MAX_DEPTH} levels; the deeper parts are left out"));
            return;
        }
        parts.add(schema, pointer);
        let Some(all_of) = schema.get("allOf").and_then(Value::as_array) else { return };
        for (index, part) in all_of.iter().enumerate() {
            let part_pointer = format!("{pointer}/allOf/{index}");
            let (resolved, resolved_pointer) = match self.follow(part, &part_pointer) {
                Some(found) => found,
                None => continue,
            };
            if walk.ancestors.contains(&resolved_pointer) {
                self.warn(&part_pointer, &self.subject(), format!("allOf part `{resolved_pointer}` includes this schema itself (a cycle); the part is skipped"));
                continue;
            }
            if !walk.gathered.insert(resolved_pointer.clone()) {
                continue;
            }
            if resolved.get("allOf").is_some() {
                walk.ancestors.push(resolved_pointer.clone());
                self.gather_all_of(resolved, &resolved_pointer, parts, walk);
                walk.ancestors.pop();
            } else if is_object(resolved) || resolved.get("required").is_some() || resolved.as_object().is_some_and(|o| o.keys().all(|k| is_annotation(k))) {
                parts.add(resolved, &resolved_pointer);
            } else {
                self.warn(&part_pointer, &self.subject(), "allOf part is not an object schema; its constraints are ignored");
            }
        }
    }

    fn finish_object(&mut self, owner: &str, parts: ObjectParts<'a>, depth: usize) -> SchemaShape {
        let mut fields = BTreeMap::new();
        for (wire, (property, property_pointer)) in &parts.properties {
            let required = parts.required.contains(wire.as_str());
            let field = self.field(owner, wire, property, property_pointer, required, depth);
            fields.insert(wire.clone(), field);
        }
        let additional = match parts.additional {
            Some((Value::Bool(true), _)) => Some(TypeRef::Any),
            Some((extra, extra_pointer)) if extra.is_object() => {
                Some(if is_empty_schema(extra) { TypeRef::Any } else { self.type_of(extra, &extra_pointer, &format!("{owner}Value"), depth + 1) })
            }
            _ => None,
        };
        SchemaShape::Object { fields, additional }
    }

    fn field(&mut self, owner: &str, wire: &str, property: &'a Value, pointer: &str, required: bool, depth: usize) -> Field {
        let hint = format!("{owner}{}", camel(wire));
        // Diagnostics about the field's type name the field.
        let outer = std::mem::take(&mut self.subject);
        self.subject = if outer.is_empty() { wire.to_string() } else { format!("{outer}.{wire}") };
        let type_ref = self.type_of(property, pointer, &hint, depth + 1);
        self.subject = outer;
        // Constraints and flags written beside a `$ref` (or in a one-part
        // `allOf` wrapper) belong to the field; those of the target apply
        // where the field does not say otherwise.
        let target = self.peek(property, pointer);
        let get = |key: &str| property.get(key).or_else(|| target.and_then(|t| t.get(key)));
        Field {
            name: wire.to_string(),
            type_ref,
            required,
            // `nullable` of the target counts too (3.0 ignores it beside a `$ref`).
            nullable: is_nullable(property) || target.is_some_and(is_nullable),
            read_only: get("readOnly").and_then(Value::as_bool).unwrap_or(false),
            default: property.get("default").cloned(),
            min_value: get("minimum").and_then(Value::as_f64),
            max_value: get("maximum").and_then(Value::as_f64),
            min_length: get("minLength").and_then(Value::as_u64),
            max_length: get("maxLength").and_then(Value::as_u64),
            pattern: get("pattern").and_then(Value::as_str).map(str::to_string),
            inferred: is_inferred(property),
            description: self.description(property),
        }
    }

    /// The schema a property stands for, through `$ref`s and one-part
    /// `allOf` wrappers; `None` when it cannot be followed (reported
    /// elsewhere).
    fn peek(&self, property: &'a Value, pointer: &str) -> Option<&'a Value> {
        let mut current = property;
        for _ in 0..MAX_DEPTH {
            if let Some(part) = single_all_of(current) {
                current = part;
                continue;
            }
            if current.get("$ref").is_some() {
                current = super::document::resolve(self.doc, current, pointer).ok()?.0;
                continue;
            }
            return (!std::ptr::eq(current, property)).then_some(current);
        }
        None
    }

    /// Follows `$ref`s (of a schema, parameter, response...), reporting
    /// failures.
    pub(super) fn follow(&mut self, schema: &'a Value, pointer: &str) -> Option<(&'a Value, String)> {
        match super::document::resolve(self.doc, schema, pointer) {
            Ok(found) => Some(found),
            Err(error) => {
                self.ref_failed(pointer, "", error);
                None
            }
        }
    }

    /// `oneOf`/`anyOf` with two or more non-null variants.
    fn union_shape(&mut self, name: &str, schema: &'a Value, pointer: &str, depth: usize) -> Option<SchemaShape> {
        let (key, any_of) = if schema.get("oneOf").is_some() { ("oneOf", false) } else if schema.get("anyOf").is_some() { ("anyOf", true) } else { return None };
        let variants = schema.get(key)?.as_array()?;
        if let Some((key, index, part)) = non_null_single_variant(schema) {
            return Some(SchemaShape::Alias(self.type_of(part, &format!("{pointer}/{key}/{index}"), name, depth + 1)));
        }
        if schema.get("properties").is_some() {
            self.warn(pointer, &self.subject(), format!("properties beside `{key}` are ignored"));
        }
        let mut types = Vec::new();
        for (index, variant) in variants.iter().enumerate() {
            if is_null_schema(variant) {
                continue;
            }
            let hint = match variant.get("title").and_then(Value::as_str) {
                Some(title) => format!("{name}{}", camel(title)),
                None => format!("{name}Variant{}", index + 1),
            };
            types.push(self.type_of(variant, &format!("{pointer}/{key}/{index}"), &hint, depth + 1));
        }
        let discriminator = schema.get("discriminator").and_then(|d| self.discriminator(d, &format!("{pointer}/discriminator"), name));
        Some(SchemaShape::Union { variants: types, discriminator, any_of })
    }

    fn discriminator(&mut self, value: &'a Value, pointer: &str, name: &str) -> Option<Discriminator> {
        let Some(property) = value.get("propertyName").and_then(Value::as_str) else {
            self.warn(pointer, &self.subject(), "discriminator without propertyName is ignored");
            return None;
        };
        let mut mapping = BTreeMap::new();
        if let Some(entries) = value.get("mapping").and_then(Value::as_object) {
            for (tag, target) in entries {
                let Some(target) = target.as_str() else { continue };
                let schema = if target.starts_with('#') {
                    match self.type_of_ref(target, &super::document::child(&format!("{pointer}/mapping"), tag), name, 0) {
                        TypeRef::Named(schema) => schema,
                        _ => continue,
                    }
                } else if self.component_names.contains(target) {
                    target.to_string()
                } else {
                    self.degrade(&super::document::child(&format!("{pointer}/mapping"), tag), &self.subject(), format!("discriminator mapping names `{target}`, which is not a schema; the tag is left out of the mapping"));
                    continue;
                };
                mapping.insert(tag.clone(), schema);
            }
        }
        Some(Discriminator { property: property.to_string(), mapping })
    }

    /// String and integer enums (with `null`); `None` for other literal
    /// kinds, which are then read by their `type` alone.
    fn enum_literals(&mut self, schema: &'a Value, pointer: &str) -> Option<Vec<EnumLiteral>> {
        let values = schema.get("enum")?.as_array()?;
        let mut literals = Vec::new();
        for value in values {
            literals.push(match value {
                Value::String(text) => EnumLiteral::String(text.clone()),
                Value::Null => EnumLiteral::Null,
                Value::Number(number) if number.as_i64().is_some() => EnumLiteral::Integer(number.as_i64()?),
                Value::Bool(_) => return None,
                other => {
                    self.warn(&format!("{pointer}/enum"), &self.subject(), format!("enum value {other} is neither a string nor an integer; the list is not kept"));
                    return None;
                }
            });
        }
        literals.iter().any(|l| *l != EnumLiteral::Null).then_some(literals)
    }

    /// Our `x-error-codes` extension: the product's error-code table.
    fn read_error_codes(&mut self, schema: &'a Value, pointer: &str) {
        let Some(rows) = schema.get("x-error-codes") else { return };
        let Some(rows) = rows.as_array() else {
            self.warn(&format!("{pointer}/x-error-codes"), "", "x-error-codes is not a list; ignored");
            return;
        };
        for (index, row) in rows.iter().enumerate() {
            let name = row.get("name").and_then(Value::as_str);
            let code = row.get("code").and_then(Value::as_i64);
            match name {
                Some(name) => {
                    let section = row.get("http").map(|http| http.as_i64().map(|h| h.to_string()).unwrap_or_default()).unwrap_or_default();
                    self.errors.insert(name.to_string(), ErrorCode { name: name.to_string(), code, section, message: None });
                }
                None => self.warn(&format!("{pointer}/x-error-codes/{index}"), "", "error code row without a name; ignored"),
            }
        }
    }
}

/// Where an `allOf` walk is: the schemas being gathered (to spot cycles)
/// and those already gathered (each is read once).
struct AllOfWalk {
    ancestors: Vec<String>,
    gathered: BTreeSet<String>,
}

/// Properties, `required` names and `additionalProperties` gathered from
/// one object schema or from the parts of an `allOf`.
#[derive(Default)]
struct ObjectParts<'a> {
    properties: BTreeMap<String, (&'a Value, String)>,
    required: BTreeSet<String>,
    additional: Option<(&'a Value, String)>,
}

impl<'a> ObjectParts<'a> {
    fn add(&mut self, schema: &'a Value, pointer: &str) {
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (wire, property) in properties {
                self.properties.insert(wire.clone(), (property, child(&format!("{pointer}/properties"), wire)));
            }
        }
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            self.required.extend(required.iter().filter_map(Value::as_str).map(str::to_string));
        }
        if let Some(extra) = schema.get("additionalProperties") {
            if extra != &Value::Bool(false) {
                self.additional = Some((extra, format!("{pointer}/additionalProperties")));
            }
        }
    }
}

fn component_name(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix(COMPONENT_PREFIX)?;
    (!rest.contains('/')).then(|| last_token(pointer))
}

/// `allOf: [x]` with nothing else that shapes the value (annotations such
/// as `description`, `default` or `x-inferred` may stand beside it).
fn single_all_of(schema: &Value) -> Option<&Value> {
    let parts = schema.get("allOf")?.as_array()?;
    if parts.len() != 1 {
        return None;
    }
    let object = schema.as_object()?;
    object.keys().all(|key| key == "allOf" || is_annotation(key)).then(|| &parts[0])
}

/// Keywords that describe a value without changing its shape.
fn is_annotation(key: &str) -> bool {
    key.starts_with("x-")
        || matches!(
            key,
            "description" | "title" | "default" | "example" | "nullable" | "readOnly" | "writeOnly" | "deprecated" | "externalDocs" | "xml"
                | "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "minLength" | "maxLength" | "pattern" | "format"
                | "minItems" | "maxItems" | "uniqueItems" | "multipleOf"
        )
}

/// `oneOf`/`anyOf` whose variants are one schema and `null`s.
fn non_null_single_variant(schema: &Value) -> Option<(&'static str, usize, &Value)> {
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = schema.get(key).and_then(Value::as_array) {
            let mut rest = variants.iter().enumerate().filter(|(_, v)| !is_null_schema(v));
            let first = rest.next()?;
            if rest.next().is_none() && schema.get("properties").is_none() {
                return Some((key, first.0, first.1));
            }
            return None;
        }
    }
    None
}

/// `{type: "null"}` (seen in 3.0 documents converted from 3.1), `{enum: [null]}`,
/// or `{nullable: true}` alone.
fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
        || schema.get("enum").and_then(Value::as_array).is_some_and(|values| values.len() == 1 && values[0].is_null())
        || schema.as_object().is_some_and(|object| object.len() == 1 && object.get("nullable") == Some(&Value::Bool(true)))
}

fn is_nullable(schema: &Value) -> bool {
    schema.get("nullable").and_then(Value::as_bool).unwrap_or(false)
        || ["oneOf", "anyOf"].iter().any(|key| schema.get(*key).and_then(Value::as_array).is_some_and(|v| v.iter().any(is_null_schema)))
        || schema.get("enum").and_then(Value::as_array).is_some_and(|values| values.iter().any(Value::is_null))
}

fn is_object(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(kind)) => kind == "object",
        Some(_) => false,
        None => schema.get("properties").is_some() || schema.get("additionalProperties").is_some(),
    }
}

fn is_empty_schema(schema: &Value) -> bool {
    schema.as_object().is_some_and(|object| object.keys().all(|key| is_annotation(key)))
}
