//! Models: generated structs describe their fields with a table, and one
//! shared, table-driven codec here decodes and encodes all of them.
//!
//! Why: derived serde impls cost ~27 ms of type checking per type; with
//! ~4,000 types that dominated compile time (see the performance notes in
//! the workspace's BENCHMARKS.md). Here a model only maps a field index to a
//! reference to that field ([`FieldRef`]/[`FieldMut`]); everything else
//! (number-or-string, unknown fields, open enums, single-object-for-array)
//! is written once.
//!
//! Decoding rules (lossless):
//! - a documented key decodes into its field; numbers are accepted as JSON
//!   numbers or numeric strings; booleans as `true`/`false` or the strings
//!   `"true"`/`"false"`;
//! - a documented key whose value does not fit the field's type (and every
//!   undocumented key) is kept verbatim in the model's unknown fields, so
//!   encoding gives it back;
//! - JSON `null` leaves the field `None`;
//! - a list field also accepts a single value (a one-element list).

use crate::runtime::number::Number;
use crate::runtime::open_enum::{Open, WireEnum};
use std::collections::BTreeMap;

/// Keys a model does not document, with their values as received.
pub type UnknownFields = BTreeMap<String, serde_json::Value>;

/// A generated struct: its documented wire fields and access to them.
pub trait Model: Default + 'static {
    /// Wire names of the documented fields, sorted by byte order (so the
    /// codec can binary-search a key). Index `i` here is index `i` of
    /// [`Model::field`] and [`Model::field_mut`].
    const FIELDS: &'static [&'static str];

    fn field(&self, index: usize) -> FieldRef<'_>;
    fn field_mut(&mut self, index: usize) -> FieldMut<'_>;
    fn unknown_fields(&self) -> &UnknownFields;
    fn unknown_fields_mut(&mut self) -> &mut UnknownFields;
}

/// Object-safe view of a [`Model`], so the codec is compiled once rather
/// than once per model.
pub trait DynModel {
    fn wire_fields(&self) -> &'static [&'static str];
    fn dyn_field(&self, index: usize) -> FieldRef<'_>;
    fn dyn_field_mut(&mut self, index: usize) -> FieldMut<'_>;
    fn dyn_unknown_fields(&self) -> &UnknownFields;
    fn dyn_unknown_fields_mut(&mut self) -> &mut UnknownFields;
}

impl<M: Model> DynModel for M {
    fn wire_fields(&self) -> &'static [&'static str] {
        M::FIELDS
    }
    fn dyn_field(&self, index: usize) -> FieldRef<'_> {
        self.field(index)
    }
    fn dyn_field_mut(&mut self, index: usize) -> FieldMut<'_> {
        self.field_mut(index)
    }
    fn dyn_unknown_fields(&self) -> &UnknownFields {
        self.unknown_fields()
    }
    fn dyn_unknown_fields_mut(&mut self) -> &mut UnknownFields {
        self.unknown_fields_mut()
    }
}

/// A shared reference to one field, by wire shape.
pub enum FieldRef<'a> {
    Str(&'a Option<String>),
    Int(&'a Option<i64>),
    Num(&'a Option<Number>),
    Bool(&'a Option<bool>),
    StrList(&'a Option<Vec<String>>),
    IntList(&'a Option<Vec<i64>>),
    NumList(&'a Option<Vec<Number>>),
    /// `Option<Open<E>>`.
    Enum(&'a dyn EnumSlot),
    /// `Option<Vec<Open<E>>>`.
    EnumList(&'a dyn EnumListSlot),
    /// Any JSON value (types the reference does not give).
    Json(&'a Option<serde_json::Value>),
    /// `Option<Box<M>>`: a nested object.
    Model(&'a dyn ModelSlot),
    /// `Option<Vec<M>>`: nested objects (binding aggregates, ADM object lists).
    ModelList(&'a dyn ModelListSlot),
}

/// A mutable reference to one field, by wire shape.
pub enum FieldMut<'a> {
    Str(&'a mut Option<String>),
    Int(&'a mut Option<i64>),
    Num(&'a mut Option<Number>),
    Bool(&'a mut Option<bool>),
    StrList(&'a mut Option<Vec<String>>),
    IntList(&'a mut Option<Vec<i64>>),
    NumList(&'a mut Option<Vec<Number>>),
    Enum(&'a mut dyn EnumSlot),
    EnumList(&'a mut dyn EnumListSlot),
    Json(&'a mut Option<serde_json::Value>),
    Model(&'a mut dyn ModelSlot),
    ModelList(&'a mut dyn ModelListSlot),
}

/// An `Option<Open<E>>` field, without naming `E`.
pub trait EnumSlot {
    fn get(&self) -> Option<&str>;
    fn set(&mut self, wire: &str);
    fn clear(&mut self);
}

impl<E: WireEnum> EnumSlot for Option<Open<E>> {
    fn get(&self) -> Option<&str> {
        self.as_ref().map(Open::as_str)
    }
    fn set(&mut self, wire: &str) {
        *self = Some(Open::from_wire(wire));
    }
    fn clear(&mut self) {
        *self = None;
    }
}

/// An `Option<Vec<Open<E>>>` field, without naming `E`.
pub trait EnumListSlot {
    fn values(&self) -> Option<Vec<&str>>;
    /// Sets the field to an empty list (from `None`) and keeps it otherwise.
    fn start(&mut self);
    fn push(&mut self, wire: &str);
}

impl<E: WireEnum> EnumListSlot for Option<Vec<Open<E>>> {
    fn values(&self) -> Option<Vec<&str>> {
        self.as_ref().map(|values| values.iter().map(Open::as_str).collect())
    }
    fn start(&mut self) {
        self.get_or_insert_with(Vec::new);
    }
    fn push(&mut self, wire: &str) {
        self.get_or_insert_with(Vec::new).push(Open::from_wire(wire));
    }
}

/// An `Option<Box<M>>` field, without naming `M`.
pub trait ModelSlot {
    fn get(&self) -> Option<&dyn DynModel>;
    /// Sets the field to `M::default()` and returns it for decoding.
    fn fresh(&mut self) -> &mut dyn DynModel;
}

impl<M: Model> ModelSlot for Option<Box<M>> {
    fn get(&self) -> Option<&dyn DynModel> {
        self.as_deref().map(|model| model as &dyn DynModel)
    }
    fn fresh(&mut self) -> &mut dyn DynModel {
        &mut **self.insert(Box::default())
    }
}

/// An `Option<Vec<M>>` field, without naming `M`.
pub trait ModelListSlot {
    fn len(&self) -> Option<usize>;
    fn item(&self, index: usize) -> &dyn DynModel;
    /// Sets the field to an empty list (from `None`) and keeps it otherwise.
    fn start(&mut self);
    /// Appends `M::default()` and returns it for decoding.
    fn push_default(&mut self) -> &mut dyn DynModel;
}

impl<M: Model> ModelListSlot for Option<Vec<M>> {
    fn len(&self) -> Option<usize> {
        self.as_ref().map(Vec::len)
    }
    fn item(&self, index: usize) -> &dyn DynModel {
        &self.as_ref().expect("ModelListSlot::item on None")[index]
    }
    fn start(&mut self) {
        self.get_or_insert_with(Vec::new);
    }
    fn push_default(&mut self) -> &mut dyn DynModel {
        let list = self.get_or_insert_with(Vec::new);
        list.push(M::default());
        list.last_mut().expect("just pushed")
    }
}

/// Conversion of a field to its [`FieldRef`]/[`FieldMut`]; generated
/// `Model` impls call these in one `match` per model.
pub trait AsField {
    fn as_field(&self) -> FieldRef<'_>;
    fn as_field_mut(&mut self) -> FieldMut<'_>;
}

macro_rules! as_field {
    ($t:ty, $variant:ident) => {
        impl AsField for Option<$t> {
            fn as_field(&self) -> FieldRef<'_> {
                FieldRef::$variant(self)
            }
            fn as_field_mut(&mut self) -> FieldMut<'_> {
                FieldMut::$variant(self)
            }
        }
    };
}
as_field!(String, Str);
as_field!(i64, Int);
as_field!(Number, Num);
as_field!(bool, Bool);
as_field!(Vec<String>, StrList);
as_field!(Vec<i64>, IntList);
as_field!(Vec<Number>, NumList);
as_field!(serde_json::Value, Json);

impl<E: WireEnum> AsField for Option<Open<E>> {
    fn as_field(&self) -> FieldRef<'_> {
        FieldRef::Enum(self)
    }
    fn as_field_mut(&mut self) -> FieldMut<'_> {
        FieldMut::Enum(self)
    }
}

impl<E: WireEnum> AsField for Option<Vec<Open<E>>> {
    fn as_field(&self) -> FieldRef<'_> {
        FieldRef::EnumList(self)
    }
    fn as_field_mut(&mut self) -> FieldMut<'_> {
        FieldMut::EnumList(self)
    }
}

impl<M: Model> AsField for Option<Box<M>> {
    fn as_field(&self) -> FieldRef<'_> {
        FieldRef::Model(self)
    }
    fn as_field_mut(&mut self) -> FieldMut<'_> {
        FieldMut::Model(self)
    }
}

impl<M: Model> AsField for Option<Vec<M>> {
    fn as_field(&self) -> FieldRef<'_> {
        FieldRef::ModelList(self)
    }
    fn as_field_mut(&mut self) -> FieldMut<'_> {
        FieldMut::ModelList(self)
    }
}

/// Encodes any model as a JSON object: documented fields that are `Some`
/// in [`Model::FIELDS`] order, then unknown fields. Generated
/// `Serialize` impls call this.
pub fn serialize<M: Model, S: serde::Serializer>(model: &M, serializer: S) -> Result<S::Ok, S::Error> {
    serialize_dyn(model, serializer)
}

/// Decodes any model from a JSON object by the rules in the module docs.
/// Generated `Deserialize` impls call this.
pub fn deserialize<'de, M: Model, D: serde::Deserializer<'de>>(deserializer: D) -> Result<M, D::Error> {
    let mut model = M::default();
    deserialize_dyn(deserializer, &mut model)?;
    Ok(model)
}

/// Non-generic-in-the-model encoder (generic only in the serializer).
pub fn serialize_dyn<S: serde::Serializer>(model: &dyn DynModel, serializer: S) -> Result<S::Ok, S::Error> {
    let _ = (model, serializer);
    todo!("runtime: table-driven encoder")
}

/// Non-generic-in-the-model decoder (generic only in the deserializer).
pub fn deserialize_dyn<'de, D: serde::Deserializer<'de>>(deserializer: D, model: &mut dyn DynModel) -> Result<(), D::Error> {
    let _ = (deserializer, model);
    todo!("runtime: table-driven decoder")
}
