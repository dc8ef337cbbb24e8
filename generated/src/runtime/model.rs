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
//! - JSON `null` leaves the field `None`; for the fields a model lists
//!   in [`Model::NULLABLE`] (OpenAPI `nullable: true`) the `null` is also
//!   kept in the unknown fields, so it encodes back as `null`;
//! - a list field also accepts a single value (a one-element list);
//! - nested objects (`Option<Box<M>>`, `Option<Vec<M>>`) decode
//!   recursively by the same rules; enum values the reference does not list
//!   are kept as [`Open::Unknown`].
//!
//! Encoding writes the documented fields that are `Some`, in `FIELDS`
//! order, then the unknown fields. Numbers are written as JSON numbers, so
//! a numeric string decodes and encodes to the same value, not the same
//! spelling.
//!
//! Speed: keys are looked up while still borrowed from the input (binary
//! search over `FIELDS`), and documented values are decoded by visitors
//! straight into their fields, never through a `serde_json::Value`.

use crate::runtime::number::Number;
use crate::runtime::open_enum::{Open, WireEnum};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::ControlFlow;

/// Keys a model does not document, with their values as received.
pub type UnknownFields = BTreeMap<String, serde_json::Value>;

/// A generated struct: its documented wire fields and access to them.
pub trait Model: Default + 'static {
    /// Wire names of the documented fields, sorted by byte order (so the
    /// codec can binary-search a key). Index `i` here is index `i` of
    /// [`Model::field`] and [`Model::field_mut`].
    const FIELDS: &'static [&'static str];

    /// Wire names of the fields the description marks nullable, sorted
    /// by byte order. A JSON `null` for one of them is kept (in the
    /// unknown fields, as `null`) so that it encodes back as `null`,
    /// told apart from an absent key. Empty for NITRO models, whose nulls
    /// mean "unset".
    const NULLABLE: &'static [&'static str] = &[];

    /// Indexes into [`Model::FIELDS`] of the fields that hold secrets
    /// (passwords, keys, tokens), ascending: `Debug` prints them as
    /// `<redacted>`.
    const SECRETS: &'static [u16] = &[];

    /// The field at `index` of [`Model::FIELDS`]; index `FIELDS.len()` is
    /// the unknown fields ([`FieldRef::Unknown`]).
    fn field(&self, index: usize) -> FieldRef<'_>;
    /// Like [`Model::field`], mutable.
    fn field_mut(&mut self, index: usize) -> FieldMut<'_>;

    /// Keys the description does not name, kept as received. Provided
    /// through `field(FIELDS.len())`, so a generated model spends no
    /// function on it (5,000 one-line functions cost ~90 MB of the
    /// all-features check); a hand-written model may override it.
    fn unknown_fields(&self) -> &UnknownFields {
        match self.field(Self::FIELDS.len()) {
            FieldRef::Unknown(unknown) => unknown,
            _ => unreachable!("Model::field(FIELDS.len()) is the unknown fields"),
        }
    }
    /// Like [`Model::unknown_fields`], mutable.
    fn unknown_fields_mut(&mut self) -> &mut UnknownFields {
        match self.field_mut(Self::FIELDS.len()) {
            FieldMut::Unknown(unknown) => unknown,
            _ => unreachable!("Model::field_mut(FIELDS.len()) is the unknown fields"),
        }
    }
}

/// Object-safe view of a [`Model`], so the codec is compiled once rather
/// than once per model.
pub trait DynModel {
    fn wire_fields(&self) -> &'static [&'static str];
    fn nullable_fields(&self) -> &'static [&'static str];
    fn secret_fields(&self) -> &'static [u16];
    fn dyn_field(&self, index: usize) -> FieldRef<'_>;
    fn dyn_field_mut(&mut self, index: usize) -> FieldMut<'_>;
    fn dyn_unknown_fields(&self) -> &UnknownFields;
    fn dyn_unknown_fields_mut(&mut self) -> &mut UnknownFields;
    /// The Rust type's name without its path, for `Debug`.
    fn type_name(&self) -> &'static str;
    /// Calls `visit` with the index and reference of each documented
    /// field that is set, in `FIELDS` order, until it answers `Break`.
    /// Why: most fields of a big model are unset, and this loop runs in
    /// the model's own (monomorphised) code, so an unset field costs a
    /// check rather than a virtual call and a `FieldRef` dispatch (the
    /// encoder's main cost in profiles).
    fn for_each_set(&self, visit: &mut dyn FnMut(usize, FieldRef<'_>) -> ControlFlow<()>);
}

impl<M: Model> DynModel for M {
    fn wire_fields(&self) -> &'static [&'static str] {
        M::FIELDS
    }
    fn nullable_fields(&self) -> &'static [&'static str] {
        M::NULLABLE
    }
    fn secret_fields(&self) -> &'static [u16] {
        M::SECRETS
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
    fn type_name(&self) -> &'static str {
        let path = std::any::type_name::<M>();
        path.rsplit("::").next().unwrap_or(path)
    }
    fn for_each_set(&self, visit: &mut dyn FnMut(usize, FieldRef<'_>) -> ControlFlow<()>) {
        for index in 0..M::FIELDS.len() {
            let field = self.field(index);
            if field_is_set(field) && visit(index, field).is_break() {
                return;
            }
        }
    }
}

/// A shared reference to one field, by wire shape.
#[derive(Clone, Copy)]
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
    /// The model's unknown fields (index `FIELDS.len()`): never a
    /// documented field, never visited by the codec's field loops.
    Unknown(&'a UnknownFields),
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
    /// The model's unknown fields (index `FIELDS.len()`).
    Unknown(&'a mut UnknownFields),
}

/// An `Option<Open<E>>` field, without naming `E`.
pub trait EnumSlot {
    fn get(&self) -> Option<&str>;
    fn is_set(&self) -> bool;
    fn set(&mut self, wire: &str);
    fn clear(&mut self);
}

impl<E: WireEnum> EnumSlot for Option<Open<E>> {
    fn get(&self) -> Option<&str> {
        self.as_ref().map(Open::as_str)
    }
    fn is_set(&self) -> bool {
        self.is_some()
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
    fn is_set(&self) -> bool;
    /// Sets the field to an empty list (from `None`) and keeps it otherwise.
    fn start(&mut self);
    fn push(&mut self, wire: &str);
    /// Sets the field to `None`.
    fn clear(&mut self);
}

impl<E: WireEnum> EnumListSlot for Option<Vec<Open<E>>> {
    fn values(&self) -> Option<Vec<&str>> {
        self.as_ref().map(|values| values.iter().map(Open::as_str).collect())
    }
    fn is_set(&self) -> bool {
        self.is_some()
    }
    fn start(&mut self) {
        self.get_or_insert_with(Vec::new);
    }
    fn push(&mut self, wire: &str) {
        self.get_or_insert_with(Vec::new).push(Open::from_wire(wire));
    }
    fn clear(&mut self) {
        *self = None;
    }
}

/// An `Option<Box<M>>` field, without naming `M`.
pub trait ModelSlot {
    fn get(&self) -> Option<&dyn DynModel>;
    /// Sets the field to `M::default()` and returns it for decoding.
    fn fresh(&mut self) -> &mut dyn DynModel;
    /// Sets the field to `None`.
    fn clear(&mut self);
}

impl<M: Model> ModelSlot for Option<Box<M>> {
    fn get(&self) -> Option<&dyn DynModel> {
        self.as_deref().map(|model| model as &dyn DynModel)
    }
    fn fresh(&mut self) -> &mut dyn DynModel {
        &mut **self.insert(Box::default())
    }
    fn clear(&mut self) {
        *self = None;
    }
}

/// An `Option<Vec<M>>` field, without naming `M`.
pub trait ModelListSlot {
    fn len(&self) -> Option<usize>;
    /// True when the field is `None` or an empty list.
    fn is_empty(&self) -> bool {
        self.len().unwrap_or(0) == 0
    }
    fn item(&self, index: usize) -> &dyn DynModel;
    /// Sets the field to an empty list (from `None`) and keeps it otherwise.
    fn start(&mut self);
    /// Appends `M::default()` and returns it for decoding.
    fn push_default(&mut self) -> &mut dyn DynModel;
    /// Sets the field to `None`.
    fn clear(&mut self);
    /// The memory one item takes (`size_of::<M>()`), for the list budget.
    fn item_size(&self) -> usize;
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
    fn clear(&mut self) {
        *self = None;
    }
    fn item_size(&self) -> usize {
        std::mem::size_of::<M>()
    }
}

/// The budget of list items while an answer is decoded: `[{},{},...]`
/// would otherwise allocate a whole model per 3 bytes of input. (Standalone
/// OpenAPI crates copy this file without the NITRO answers that set it.)
#[derive(Clone, Copy)]
#[allow(dead_code)]
struct ListBudget {
    /// Bytes of models the lists may still allocate.
    left: usize,
    exceeded: bool,
}

thread_local! {
    static LIST_BUDGET: std::cell::Cell<Option<ListBudget>> = const { std::cell::Cell::new(None) };
}

/// Runs `decode` with lists limited to `bytes` of models in all (items
/// times the model's size, nested lists included); answers the result and
/// whether the budget ran out (then the result is a decode error).
#[allow(dead_code)]
pub(crate) fn with_list_budget<T>(bytes: usize, decode: impl FnOnce() -> T) -> (T, bool) {
    /// Puts the outer budget back, also on unwinding.
    struct Restore(Option<ListBudget>);
    impl Drop for Restore {
        fn drop(&mut self) {
            LIST_BUDGET.with(|budget| budget.set(self.0));
        }
    }
    let restore = Restore(LIST_BUDGET.with(|budget| budget.replace(Some(ListBudget { left: bytes, exceeded: false }))));
    let value = decode();
    let exceeded = LIST_BUDGET.with(|budget| budget.get()).is_some_and(|budget| budget.exceeded);
    drop(restore);
    (value, exceeded)
}

/// Takes one list item of `size` bytes from the budget, if one is set.
fn charge_list_item<E: de::Error>(size: usize) -> Result<(), E> {
    LIST_BUDGET.with(|cell| match cell.get() {
        None => Ok(()),
        Some(budget) if budget.left >= size => {
            cell.set(Some(ListBudget { left: budget.left - size, exceeded: false }));
            Ok(())
        }
        Some(_) => {
            cell.set(Some(ListBudget { left: 0, exceeded: true }));
            Err(E::custom("the list items need more memory than the decoding limit allows"))
        }
    })
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
pub fn serialize_dyn<S: Serializer>(model: &dyn DynModel, serializer: S) -> Result<S::Ok, S::Error> {
    let fields = model.wire_fields();
    let unknown = model.dyn_unknown_fields();
    let mut map = serializer.serialize_map(None)?;
    // A documented field set since decoding wins over the raw value kept
    // for the same key in the unknown fields, so no key is written twice.
    // Set fields come in `FIELDS` order and unknown keys in byte order,
    // the same order, so one merge while encoding marks those keys (in a
    // bitmask: the first 64 unknown keys; any further ones are looked up).
    let mut shadowed: u64 = 0;
    let mut pending = unknown.keys().take(64).enumerate().peekable();
    let mut failed = None;
    model.for_each_set(&mut |index, field| {
        let name = fields[index];
        while let Some((position, key)) = pending.peek() {
            match compare_names(key.as_bytes(), name.as_bytes()) {
                Ordering::Less => {
                    pending.next();
                }
                Ordering::Equal => {
                    shadowed |= 1 << position;
                    pending.next();
                }
                Ordering::Greater => break,
            }
        }
        match encode_field(&mut map, name, field) {
            Ok(()) => ControlFlow::Continue(()),
            Err(error) => {
                failed = Some(error);
                ControlFlow::Break(())
            }
        }
    });
    if let Some(error) = failed {
        return Err(error);
    }
    for (position, (key, value)) in unknown.iter().enumerate() {
        let skip = if position < 64 {
            shadowed & (1 << position) != 0
        } else {
            field_index(fields, key).is_some_and(|index| field_is_set(model.dyn_field(index)))
        };
        if !skip {
            map.serialize_entry(key, value)?;
        }
    }
    map.end()
}

/// Binary search of a sorted `FIELDS` table (`Ok(index)` or the insertion
/// point), comparing bytes in a loop: wire names are short and mostly
/// differ early, where a call to `memcmp` per probe costs more than the
/// comparison (it showed in encode and decode profiles).
fn search_fields(fields: &[&str], key: &str) -> Result<usize, usize> {
    fields.binary_search_by(|probe| compare_names(probe.as_bytes(), key.as_bytes()))
}

#[inline]
fn compare_names(a: &[u8], b: &[u8]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

fn encode_field<M: SerializeMap>(map: &mut M, name: &str, field: FieldRef<'_>) -> Result<(), M::Error> {
    match field {
        FieldRef::Str(Some(value)) => map.serialize_entry(name, value),
        FieldRef::Int(Some(value)) => map.serialize_entry(name, value),
        FieldRef::Num(Some(value)) => map.serialize_entry(name, value),
        FieldRef::Bool(Some(value)) => map.serialize_entry(name, value),
        FieldRef::StrList(Some(values)) => map.serialize_entry(name, values),
        FieldRef::IntList(Some(values)) => map.serialize_entry(name, values),
        FieldRef::NumList(Some(values)) => map.serialize_entry(name, values),
        FieldRef::Json(Some(value)) => map.serialize_entry(name, value),
        FieldRef::Enum(slot) => match slot.get() {
            Some(wire) => map.serialize_entry(name, wire),
            None => Ok(()),
        },
        FieldRef::EnumList(slot) => match slot.values() {
            Some(values) => map.serialize_entry(name, &values),
            None => Ok(()),
        },
        FieldRef::Model(slot) => match slot.get() {
            Some(model) => map.serialize_entry(name, &DynRef(model)),
            None => Ok(()),
        },
        FieldRef::ModelList(slot) => match slot.len() {
            Some(_) => map.serialize_entry(name, &ListRef(slot)),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Encodes only the documented fields of `model` whose indexes are listed
/// in `only` (indexes into `FIELDS`, ascending), and no unknown field: the
/// body of an operation that takes just those keys.
pub fn serialize_only<S: Serializer>(model: &dyn DynModel, only: &[u16], serializer: S) -> Result<S::Ok, S::Error> {
    let fields = model.wire_fields();
    let mut map = serializer.serialize_map(None)?;
    for &index in only {
        let index = usize::from(index);
        if let Some(name) = fields.get(index) {
            let field = model.dyn_field(index);
            if field_is_set(field) {
                encode_field(&mut map, name, field)?;
            }
        }
    }
    map.end()
}

/// Serialises a `&dyn DynModel` with [`serialize_only`].
pub struct OnlyRef<'a>(pub &'a dyn DynModel, pub &'a [u16]);

impl serde::Serialize for OnlyRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_only(self.0, self.1, serializer)
    }
}

/// Whether a field holds a value (`Some`).
#[inline]
pub fn field_is_set(field: FieldRef<'_>) -> bool {
    match field {
        FieldRef::Str(value) => value.is_some(),
        FieldRef::Int(value) => value.is_some(),
        FieldRef::Num(value) => value.is_some(),
        FieldRef::Bool(value) => value.is_some(),
        FieldRef::StrList(value) => value.is_some(),
        FieldRef::IntList(value) => value.is_some(),
        FieldRef::NumList(value) => value.is_some(),
        FieldRef::Json(value) => value.is_some(),
        FieldRef::Enum(slot) => slot.is_set(),
        FieldRef::EnumList(slot) => slot.is_set(),
        FieldRef::Model(slot) => slot.get().is_some(),
        FieldRef::ModelList(slot) => slot.len().is_some(),
        FieldRef::Unknown(unknown) => !unknown.is_empty(),
    }
}

/// Index of a wire name in a sorted `FIELDS` table.
pub fn field_index(fields: &[&str], key: &str) -> Option<usize> {
    search_fields(fields, key).ok()
}

/// True when a `FIELDS` table is strictly sorted by byte order, as the
/// codec's binary search needs (for the generated crate's own tests).
pub fn fields_are_sorted(fields: &[&str]) -> bool {
    fields.windows(2).all(|pair| pair[0] < pair[1])
}

/// The value of a scalar field as URL text (key values, `args=`), or
/// `None` when the field is unset, a list or an object.
pub fn field_text(model: &dyn DynModel, name: &str) -> Option<String> {
    let Some(index) = field_index(model.wire_fields(), name) else {
        return match model.dyn_unknown_fields().get(name) {
            Some(serde_json::Value::String(text)) => Some(text.clone()),
            Some(serde_json::Value::Number(number)) => Some(number.to_string()),
            Some(serde_json::Value::Bool(flag)) => Some(flag.to_string()),
            _ => None,
        };
    };
    match model.dyn_field(index) {
        FieldRef::Str(value) => value.clone(),
        FieldRef::Int(value) => value.map(|v| v.to_string()),
        FieldRef::Num(value) => value.map(|v| v.to_string()),
        FieldRef::Bool(value) => value.map(|v| v.to_string()),
        FieldRef::Enum(slot) => slot.get().map(str::to_string),
        _ => None,
    }
}

/// Encodes a model to a `serde_json::Value` without naming its type.
pub fn to_value_dyn(model: &dyn DynModel) -> serde_json::Value {
    // Encoding into a Value cannot fail: keys are strings and numbers finite.
    serde_json::to_value(DynRef(model)).unwrap_or(serde_json::Value::Null)
}

/// Serialises a `&dyn DynModel` (nested objects).
pub struct DynRef<'a>(pub &'a dyn DynModel);

impl serde::Serialize for DynRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_dyn(self.0, serializer)
    }
}

struct ListRef<'a>(&'a dyn ModelListSlot);

impl serde::Serialize for ListRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = self.0.len().unwrap_or(0);
        let mut seq = serializer.serialize_seq(Some(len))?;
        for index in 0..len {
            seq.serialize_element(&DynRef(self.0.item(index)))?;
        }
        seq.end()
    }
}

/// `Debug` for any model; generated `Debug` impls call this (one shared
/// function instead of a derive per struct, which cost ~20% of the
/// crate's check time). Prints the type name, the documented fields that
/// are set (by wire name, in `FIELDS` order), the unknown fields when
/// there are any, and `..` when some fields are unset. Enum values print
/// as their wire spelling; the fields of [`Model::SECRETS`] print as
/// `<redacted>`.
pub fn debug_model(model: &dyn DynModel, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let fields = model.wire_fields();
    let secrets = model.secret_fields();
    let mut out = f.debug_struct(model.type_name());
    let mut set = 0;
    model.for_each_set(&mut |index, field| {
        if u16::try_from(index).is_ok_and(|index| secrets.contains(&index)) {
            out.field(fields[index], &Redacted);
        } else {
            out.field(fields[index], &FieldDebug(field));
        }
        set += 1;
        ControlFlow::Continue(())
    });
    let unset = set < fields.len();
    let unknown = model.dyn_unknown_fields();
    if !unknown.is_empty() {
        out.field("unknown_fields", unknown);
    }
    if unset {
        out.finish_non_exhaustive()
    } else {
        out.finish()
    }
}

/// A secret field's value in `Debug`.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The value of a set field, for [`debug_model`].
struct FieldDebug<'a>(FieldRef<'a>);

impl fmt::Debug for FieldDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn some<T: fmt::Debug>(value: &Option<T>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match value {
                Some(value) => value.fmt(f),
                None => f.write_str("None"),
            }
        }
        match &self.0 {
            FieldRef::Str(v) => some(v, f),
            FieldRef::Int(v) => some(v, f),
            FieldRef::Num(v) => some(v, f),
            FieldRef::Bool(v) => some(v, f),
            FieldRef::StrList(v) => some(v, f),
            FieldRef::IntList(v) => some(v, f),
            FieldRef::NumList(v) => some(v, f),
            FieldRef::Json(v) => some(v, f),
            FieldRef::Enum(slot) => some(&slot.get(), f),
            FieldRef::EnumList(slot) => some(&slot.values(), f),
            FieldRef::Model(slot) => match slot.get() {
                Some(model) => debug_model(model, f),
                None => f.write_str("None"),
            },
            FieldRef::ModelList(slot) => {
                let len = slot.len().unwrap_or(0);
                f.debug_list().entries((0..len).map(|index| DebugDyn(slot.item(index)))).finish()
            }
            FieldRef::Unknown(unknown) => unknown.fmt(f),
        }
    }
}

struct DebugDyn<'a>(&'a dyn DynModel);

impl fmt::Debug for DebugDyn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_model(self.0, f)
    }
}

/// `PartialEq` for two models of one type; generated `PartialEq` impls
/// call this. Equal when every documented field and the unknown fields
/// are equal; enum values compare by wire spelling, so `Open::Unknown`
/// holding a documented spelling equals the documented value.
pub fn eq_models(a: &dyn DynModel, b: &dyn DynModel) -> bool {
    let fields = a.wire_fields();
    fields.len() == b.wire_fields().len()
        && (0..fields.len()).all(|index| fields_equal(a.dyn_field(index), b.dyn_field(index)))
        && a.dyn_unknown_fields() == b.dyn_unknown_fields()
}

fn fields_equal(a: FieldRef<'_>, b: FieldRef<'_>) -> bool {
    match (a, b) {
        (FieldRef::Str(a), FieldRef::Str(b)) => a == b,
        (FieldRef::Int(a), FieldRef::Int(b)) => a == b,
        (FieldRef::Num(a), FieldRef::Num(b)) => a == b,
        (FieldRef::Bool(a), FieldRef::Bool(b)) => a == b,
        (FieldRef::StrList(a), FieldRef::StrList(b)) => a == b,
        (FieldRef::IntList(a), FieldRef::IntList(b)) => a == b,
        (FieldRef::NumList(a), FieldRef::NumList(b)) => a == b,
        (FieldRef::Json(a), FieldRef::Json(b)) => a == b,
        (FieldRef::Enum(a), FieldRef::Enum(b)) => a.get() == b.get(),
        (FieldRef::EnumList(a), FieldRef::EnumList(b)) => a.values() == b.values(),
        (FieldRef::Model(a), FieldRef::Model(b)) => match (a.get(), b.get()) {
            (Some(a), Some(b)) => eq_models(a, b),
            (a, b) => a.is_none() && b.is_none(),
        },
        (FieldRef::ModelList(a), FieldRef::ModelList(b)) => match (a.len(), b.len()) {
            (Some(len), Some(other)) => len == other && (0..len).all(|index| eq_models(a.item(index), b.item(index))),
            (a, b) => a.is_none() && b.is_none(),
        },
        // Same index of one type: same shape; different shapes never match.
        _ => false,
    }
}

/// Non-generic-in-the-model decoder (generic only in the deserializer).
pub fn deserialize_dyn<'de, D: Deserializer<'de>>(deserializer: D, model: &mut dyn DynModel) -> Result<(), D::Error> {
    deserializer.deserialize_map(ObjectVisitor { model })
}

struct ObjectVisitor<'m> {
    model: &'m mut dyn DynModel,
}

impl<'de> Visitor<'de> for ObjectVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a NITRO object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        decode_entries(self.model, &mut map, &mut KeyOrder::default())
    }
}

/// Decodes the entries of one JSON object into `model`.
fn decode_entries<'de, A: MapAccess<'de>>(
    model: &mut dyn DynModel,
    map: &mut A,
    order: &mut KeyOrder,
) -> Result<(), A::Error> {
    let fields = model.wire_fields();
    // Read once per object: the check below runs per key.
    let nullable = model.nullable_fields();
    let mut position = 0;
    while let Some(key) = map.next_key_seed(KeySeed { fields, guess: order.guess(position) })? {
        order.record(position, &key);
        position += 1;
        match key {
            Key::Known(index) => {
                let raw = map.next_value_seed(FieldSeed { field: model.dyn_field_mut(index) })?;
                if let Some(raw) = raw {
                    model.dyn_unknown_fields_mut().insert(fields[index].to_string(), raw);
                } else if !nullable.is_empty()
                    && field_index(nullable, fields[index]).is_some()
                    && !field_is_set(model.dyn_field(index))
                {
                    // Only `null` leaves a field unset without a raw value:
                    // keep it for a nullable field (see `Model::NULLABLE`).
                    model.dyn_unknown_fields_mut().insert(fields[index].to_string(), Value::Null);
                }
            }
            Key::Unknown(name) => {
                let value: Value = map.next_value()?;
                model.dyn_unknown_fields_mut().insert(name, value);
            }
        }
    }
    Ok(())
}

/// The field indexes of the keys of the previous object of a list, in
/// the order they came: the objects of one answer list their keys in the
/// same order, so the key at position `k` is first compared with the
/// field the previous object had there (one comparison instead of a
/// binary search).
#[derive(Default)]
struct KeyOrder {
    indexes: Vec<usize>,
}

impl KeyOrder {
    fn guess(&self, position: usize) -> Option<usize> {
        self.indexes.get(position).copied().filter(|index| *index != usize::MAX)
    }

    fn record(&mut self, position: usize, key: &Key) {
        let index = match key {
            Key::Known(index) => *index,
            Key::Unknown(_) => usize::MAX,
        };
        match self.indexes.get_mut(position) {
            Some(slot) => *slot = index,
            None => self.indexes.push(index),
        }
    }
}

/// A key is looked up while it is still borrowed from the input, so
/// documented keys cost no allocation.
struct KeySeed {
    fields: &'static [&'static str],
    /// The likely field index (see [`KeyOrder`]).
    guess: Option<usize>,
}

impl KeySeed {
    fn lookup(&self, key: &str) -> Option<usize> {
        match self.guess {
            Some(index) if self.fields.get(index) == Some(&key) => Some(index),
            _ => field_index(self.fields, key),
        }
    }
}

enum Key {
    Known(usize),
    Unknown(String),
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match self.lookup(key) {
            Some(index) => Key::Known(index),
            None => Key::Unknown(key.to_string()),
        })
    }
    fn visit_string<E: de::Error>(self, key: String) -> Result<Key, E> {
        Ok(match self.lookup(&key) {
            Some(index) => Key::Known(index),
            None => Key::Unknown(key),
        })
    }
}

/// Decodes one documented value into its field. Answers `Some(raw)` when
/// the value does not fit the field: the caller keeps it verbatim.
struct FieldSeed<'a> {
    field: FieldMut<'a>,
}

type Raw = Option<Value>;

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = Raw;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Raw, D::Error> {
        match self.field {
            FieldMut::Str(slot) => deserializer.deserialize_any(ScalarVisitor(Scalar::Str(slot))),
            FieldMut::Int(slot) => deserializer.deserialize_any(ScalarVisitor(Scalar::Int(slot))),
            FieldMut::Num(slot) => deserializer.deserialize_any(ScalarVisitor(Scalar::Num(slot))),
            FieldMut::Bool(slot) => deserializer.deserialize_any(ScalarVisitor(Scalar::Bool(slot))),
            FieldMut::Enum(slot) => deserializer.deserialize_any(ScalarVisitor(Scalar::Enum(slot))),
            FieldMut::StrList(slot) => deserializer.deserialize_any(TextListVisitor(TextList::Str(slot))),
            FieldMut::EnumList(slot) => deserializer.deserialize_any(TextListVisitor(TextList::Enum(slot))),
            // Numeric lists are rare and short: decoding them through a
            // Value keeps the exact input for the mismatch case.
            FieldMut::IntList(slot) => Ok(list_from_value(Value::deserialize(deserializer)?, slot, int_of)),
            FieldMut::NumList(slot) => Ok(list_from_value(Value::deserialize(deserializer)?, slot, number_of)),
            FieldMut::Json(slot) => {
                *slot = Option::<Value>::deserialize(deserializer)?;
                Ok(None)
            }
            FieldMut::Model(slot) => deserializer.deserialize_any(NestedVisitor(slot)),
            FieldMut::ModelList(slot) => deserializer.deserialize_any(NestedListVisitor(slot)),
            // Not a documented field (the codec never seeds it): the value
            // is kept as received, in the unknown fields.
            FieldMut::Unknown(_) => Value::deserialize(deserializer).map(Some),
        }
    }
}

fn raw_map<'de, A: MapAccess<'de>>(map: A) -> Result<Raw, A::Error> {
    Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
}

fn raw_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Raw, A::Error> {
    Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Some)
}

enum Scalar<'a> {
    Str(&'a mut Option<String>),
    Int(&'a mut Option<i64>),
    Num(&'a mut Option<Number>),
    Bool(&'a mut Option<bool>),
    Enum(&'a mut dyn EnumSlot),
}

struct ScalarVisitor<'a>(Scalar<'a>);

impl ScalarVisitor<'_> {
    fn text(self, text: Cow<'_, str>) -> Raw {
        match self.0 {
            Scalar::Str(slot) => *slot = Some(text.into_owned()),
            Scalar::Enum(slot) => slot.set(&text),
            Scalar::Int(slot) => match text.parse::<i64>() {
                Ok(value) => *slot = Some(value),
                Err(_) => return Some(Value::String(text.into_owned())),
            },
            Scalar::Num(slot) => match Number::parse(&text) {
                Some(value) => *slot = Some(value),
                None => return Some(Value::String(text.into_owned())),
            },
            Scalar::Bool(slot) => match &*text {
                "true" => *slot = Some(true),
                "false" => *slot = Some(false),
                _ => return Some(Value::String(text.into_owned())),
            },
        }
        None
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<'_> {
    type Value = Raw;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Raw, E> {
        match self.0 {
            Scalar::Bool(slot) => *slot = Some(value),
            _ => return Ok(Some(Value::Bool(value))),
        }
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Raw, E> {
        match self.0 {
            Scalar::Int(slot) => *slot = Some(value),
            Scalar::Num(slot) => *slot = Some(Number::Int(value)),
            _ => return Ok(Some(Value::from(value))),
        }
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Raw, E> {
        match self.0 {
            Scalar::Int(slot) if i64::try_from(value).is_ok() => *slot = Some(value as i64),
            Scalar::Num(slot) => *slot = Some(Number::from(value)),
            _ => return Ok(Some(Value::from(value))),
        }
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Raw, E> {
        match self.0 {
            Scalar::Num(slot) if value.is_finite() => *slot = Some(Number::Float(value)),
            _ => return Ok(Some(Value::from(value))),
        }
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Raw, E> {
        Ok(self.text(Cow::Borrowed(value)))
    }
    fn visit_string<E: de::Error>(self, value: String) -> Result<Raw, E> {
        Ok(self.text(Cow::Owned(value)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        match self.0 {
            Scalar::Str(slot) => *slot = None,
            Scalar::Int(slot) => *slot = None,
            Scalar::Num(slot) => *slot = None,
            Scalar::Bool(slot) => *slot = None,
            Scalar::Enum(slot) => slot.clear(),
        }
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Raw, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Raw, A::Error> {
        raw_map(map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Raw, A::Error> {
        raw_seq(seq)
    }
}

enum TextList<'a> {
    Str(&'a mut Option<Vec<String>>),
    Enum(&'a mut dyn EnumListSlot),
}

impl TextList<'_> {
    fn clear(&mut self) {
        match self {
            TextList::Str(slot) => **slot = None,
            TextList::Enum(slot) => slot.clear(),
        }
    }
    fn push(&mut self, text: Cow<'_, str>) {
        match self {
            TextList::Str(slot) => slot.get_or_insert_with(Vec::new).push(text.into_owned()),
            TextList::Enum(slot) => slot.push(&text),
        }
    }
    fn start(&mut self) {
        match self {
            TextList::Str(slot) => {
                slot.get_or_insert_with(Vec::new);
            }
            TextList::Enum(slot) => slot.start(),
        }
    }
    /// The values decoded so far, as JSON strings.
    fn as_values(&self) -> Vec<Value> {
        let texts: Vec<&str> = match self {
            TextList::Str(slot) => slot.iter().flatten().map(String::as_str).collect(),
            TextList::Enum(slot) => slot.values().unwrap_or_default(),
        };
        texts.into_iter().map(|text| Value::String(text.to_string())).collect()
    }
}

/// `String[]` and enum-list fields: a list of strings or a single string.
struct TextListVisitor<'a>(TextList<'a>);

impl<'de> Visitor<'de> for TextListVisitor<'_> {
    type Value = Raw;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of strings")
    }
    fn visit_str<E: de::Error>(mut self, value: &str) -> Result<Raw, E> {
        self.0.clear();
        self.0.push(Cow::Borrowed(value));
        Ok(None)
    }
    fn visit_string<E: de::Error>(mut self, value: String) -> Result<Raw, E> {
        self.0.clear();
        self.0.push(Cow::Owned(value));
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Raw, A::Error> {
        self.0.clear();
        self.0.start();
        while let Some(item) = seq.next_element::<TextOrRaw>()? {
            match item {
                TextOrRaw::Text(text) => self.0.push(Cow::Owned(text)),
                TextOrRaw::Raw(raw) => {
                    // Not a list of strings after all: keep the whole list.
                    let mut items = self.0.as_values();
                    items.push(raw);
                    while let Some(rest) = seq.next_element::<Value>()? {
                        items.push(rest);
                    }
                    self.0.clear();
                    return Ok(Some(Value::Array(items)));
                }
            }
        }
        Ok(None)
    }
    fn visit_unit<E: de::Error>(mut self) -> Result<Raw, E> {
        self.0.clear();
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        self.visit_unit()
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Raw, E> {
        Ok(Some(Value::Bool(value)))
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Raw, E> {
        Ok(Some(Value::from(value)))
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Raw, E> {
        Ok(Some(Value::from(value)))
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Raw, E> {
        Ok(Some(Value::from(value)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Raw, A::Error> {
        raw_map(map)
    }
}

/// One element of a string list: the string, or any other value verbatim.
enum TextOrRaw {
    Text(String),
    Raw(Value),
}

impl<'de> Deserialize<'de> for TextOrRaw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextOrRawVisitor;
        impl<'de> Visitor<'de> for TextOrRawVisitor {
            type Value = TextOrRaw;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<TextOrRaw, E> {
                Ok(TextOrRaw::Text(value.to_string()))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<TextOrRaw, E> {
                Ok(TextOrRaw::Text(value))
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<TextOrRaw, E> {
                Ok(TextOrRaw::Raw(Value::Bool(value)))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<TextOrRaw, E> {
                Ok(TextOrRaw::Raw(Value::from(value)))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<TextOrRaw, E> {
                Ok(TextOrRaw::Raw(Value::from(value)))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<TextOrRaw, E> {
                Ok(TextOrRaw::Raw(Value::from(value)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<TextOrRaw, E> {
                Ok(TextOrRaw::Raw(Value::Null))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TextOrRaw, A::Error> {
                Ok(TextOrRaw::Raw(raw_map(map)?.unwrap_or(Value::Null)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<TextOrRaw, A::Error> {
                Ok(TextOrRaw::Raw(raw_seq(seq)?.unwrap_or(Value::Null)))
            }
        }
        deserializer.deserialize_any(TextOrRawVisitor)
    }
}

fn int_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.parse().ok(),
        _ => None,
    }
}

fn number_of(value: &Value) -> Option<Number> {
    match value {
        Value::Number(number) => Number::parse(&number.to_string()),
        Value::String(text) => Number::parse(text),
        _ => None,
    }
}

/// A numeric list from a decoded value: a list, or a single value; anything
/// else is answered back as raw.
fn list_from_value<T>(value: Value, slot: &mut Option<Vec<T>>, convert: fn(&Value) -> Option<T>) -> Raw {
    match value {
        Value::Null => {
            *slot = None;
            None
        }
        Value::Array(items) => match items.iter().map(convert).collect::<Option<Vec<T>>>() {
            Some(values) => {
                *slot = Some(values);
                None
            }
            None => Some(Value::Array(items)),
        },
        single => match convert(&single) {
            Some(value) => {
                *slot = Some(vec![value]);
                None
            }
            None => Some(single),
        },
    }
}

/// `Option<Box<M>>` fields: an object decodes recursively.
struct NestedVisitor<'a>(&'a mut dyn ModelSlot);

impl<'de> Visitor<'de> for NestedVisitor<'_> {
    type Value = Raw;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        decode_entries(self.0.fresh(), &mut map, &mut KeyOrder::default())?;
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        self.0.clear();
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        self.visit_unit()
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Raw, E> {
        Ok(Some(Value::Bool(value)))
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Raw, E> {
        Ok(Some(Value::from(value)))
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Raw, E> {
        Ok(Some(Value::from(value)))
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Raw, E> {
        Ok(Some(Value::from(value)))
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Raw, E> {
        Ok(Some(Value::String(value.to_string())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Raw, A::Error> {
        raw_seq(seq)
    }
}

/// `Option<Vec<M>>` fields (and response envelopes): a list of objects,
/// or a single object.
pub(crate) struct NestedListVisitor<'a>(pub(crate) &'a mut dyn ModelListSlot);

impl<'de> DeserializeSeed<'de> for NestedListVisitor<'_> {
    type Value = Raw;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Raw, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NestedListVisitor<'_> {
    type Value = Raw;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of objects")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        self.0.clear();
        charge_list_item(self.0.item_size())?;
        decode_entries(self.0.push_default(), &mut map, &mut KeyOrder::default())?;
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let slot = self.0;
        slot.clear();
        slot.start();
        let mut order = KeyOrder::default();
        while let Some(item) = seq.next_element_seed(ElementSeed(&mut *slot, &mut order))? {
            if let Some(raw) = item {
                // An element that is not an object: keep the whole list
                // verbatim, the objects decoded so far re-encoded.
                let len = slot.len().unwrap_or(0);
                let mut items: Vec<Value> = (0..len).map(|index| to_value_dyn(slot.item(index))).collect();
                items.push(raw);
                while let Some(rest) = seq.next_element::<Value>()? {
                    items.push(rest);
                }
                slot.clear();
                return Ok(Some(Value::Array(items)));
            }
        }
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        self.0.clear();
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        self.visit_unit()
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Raw, E> {
        Ok(Some(Value::Bool(value)))
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Raw, E> {
        Ok(Some(Value::from(value)))
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Raw, E> {
        Ok(Some(Value::from(value)))
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Raw, E> {
        Ok(Some(Value::from(value)))
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Raw, E> {
        Ok(Some(Value::String(value.to_string())))
    }
}

/// One element of a nested list: an object is appended and decoded in place;
/// anything else is answered back as raw.
struct ElementSeed<'a>(&'a mut dyn ModelListSlot, &'a mut KeyOrder);

impl<'de> DeserializeSeed<'de> for ElementSeed<'_> {
    type Value = Raw;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Raw, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ElementSeed<'_> {
    type Value = Raw;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        charge_list_item(self.0.item_size())?;
        decode_entries(self.0.push_default(), &mut map, self.1)?;
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Some(Value::Null))
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Raw, E> {
        Ok(Some(Value::Bool(value)))
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Raw, E> {
        Ok(Some(Value::from(value)))
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Raw, E> {
        Ok(Some(Value::from(value)))
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Raw, E> {
        Ok(Some(Value::from(value)))
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Raw, E> {
        Ok(Some(Value::String(value.to_string())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Raw, A::Error> {
        raw_seq(seq)
    }
}
