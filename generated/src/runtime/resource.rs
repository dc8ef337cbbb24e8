//! Resources and requests: what a generated resource declares about itself
//! ([`Resource`]) and the request values its endpoint functions return
//! ([`Request`]), which a [`crate::Client`] sends.

use crate::runtime::model::{self, DynModel, Model};
use crate::runtime::nextgen::is_dot_segment;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{Map, Value};
use std::marker::PhantomData;

/// Which NITRO URL family a resource lives under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// `/nitro/vN/config/<name>`
    Config,
    /// `/nitro/vN/config/<name>` (a `_binding` resource).
    Binding,
    /// `/nitro/vN/stat/<name>`
    Stat,
}

/// The API a resource belongs to: its URL prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Api {
    /// ADC, `/nitro/v1`.
    AdcV1,
    /// ADM, `/nitro/v1` (ADM resources documented on v1 URLs).
    AdmV1,
    /// ADM, `/nitro/v2`.
    AdmV2,
}

impl ResourceKind {
    /// The URL family segment: `config` or `stat`.
    pub fn segment(self) -> &'static str {
        match self {
            ResourceKind::Config | ResourceKind::Binding => "config",
            ResourceKind::Stat => "stat",
        }
    }
}

impl Api {
    pub fn base_path(self) -> &'static str {
        match self {
            Api::AdcV1 | Api::AdmV1 => "/nitro/v1",
            Api::AdmV2 => "/nitro/v2",
        }
    }
}

/// A generated NITRO resource model.
pub trait Resource: Model + serde::Serialize + serde::de::DeserializeOwned {
    /// Wire name: URL segment and payload key (`lbvserver`, `Interface`).
    const NAME: &'static str;
    const KIND: ResourceKind;
    const API: Api;
    /// Key properties (wire names), primary first; empty for singletons.
    const KEYS: &'static [&'static str];
}

/// A release a request relies on: the one that introduced its resource
/// (`property` is `None`) or a property it sends. [`Request::since`]
/// lists them; [`crate::runtime::Firmware::newer_than`] keeps those the appliance's
/// release predates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Since {
    /// Wire name of the resource.
    pub resource: &'static str,
    /// Wire name of the property; `None` for the resource itself.
    pub property: Option<&'static str>,
    /// The release (`14.1`, `12.0-FR4`).
    pub release: &'static str,
}

/// HTTP method of a request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Method {
    #[default]
    Get,
    Post,
    Put,
    Delete,
}

/// What a NITRO write operation answered.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Outcome {
    /// HTTP status (200, 201, 207, 209).
    pub status: u16,
    pub errorcode: i64,
    pub message: String,
    /// `NONE`, `WARNING`, `ERROR`; empty when the appliance left it out.
    pub severity: String,
    /// Per-item results of a bulk request answered with 207.
    pub items: Vec<ItemOutcome>,
    /// The resource's value in the answer, when it carried one (actions
    /// that return data, such as `nsconfig?action=diff`).
    pub payload: Option<Value>,
}

impl Outcome {
    /// The appliance reported a warning (HTTP 209 or severity `WARNING`).
    pub fn is_warning(&self) -> bool {
        self.status == 209 || self.severity.eq_ignore_ascii_case("WARNING")
    }

    /// Some items of a bulk request failed (HTTP 207 with item errors).
    pub fn has_failures(&self) -> bool {
        self.items.iter().any(|item| item.errorcode != 0)
    }

    /// The resource's value in the answer, when it carried one.
    pub fn payload(&self) -> Option<&Value> {
        self.payload.as_ref()
    }

    /// The items of a bulk answer that failed, with their index.
    pub fn failures(&self) -> impl Iterator<Item = (usize, &ItemOutcome)> {
        self.items.iter().enumerate().filter(|(_, item)| item.errorcode != 0)
    }
}

/// One item of a bulk (207 Multi-Status) answer.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct ItemOutcome {
    pub errorcode: i64,
    pub message: String,
    pub severity: String,
}

/// A request value returned by a generated endpoint function; `T` is what
/// [`crate::Client::send`] decodes the answer into ([`Outcome`], `Vec<R>`,
/// `u64` for counts).
///
/// Building a request never fails: a problem (say a missing key property)
/// is kept and reported by `send` as [`crate::Error::InvalidRequest`].
#[must_use = "a request does nothing until it is sent with Client::send"]
pub struct Request<T> {
    pub(crate) parts: Parts,
    output: PhantomData<fn() -> T>,
}

/// The request without its output type: what the client sends.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Parts {
    pub(crate) method: Method,
    /// Full path below the host, already percent-encoded:
    /// `/nitro/v1/config/lbvserver/vs%201`.
    pub(crate) path: String,
    pub(crate) query: Query,
    /// The JSON body as sent. Models are written straight to bytes
    /// through their `Serialize` impls, not through a `serde_json::Value`
    /// first (half the encoding time of a bulk request).
    pub(crate) body: Option<Vec<u8>>,
    /// Wire name of the resource: the payload and answer key.
    pub(crate) resource: &'static str,
    pub(crate) problem: Option<String>,
    /// Request headers besides the client's own (`X-NITRO-ONERROR`).
    pub(crate) headers: Vec<(String, String)>,
    /// This request's timeout instead of the client's.
    pub(crate) timeout: Option<std::time::Duration>,
    /// Safe to send again after a lost answer (see
    /// [`Request::idempotent`]); `GET` always is.
    pub(crate) repeatable: bool,
    /// The releases the resource and the sent properties need (generated
    /// requests only; see [`Request::since`]).
    pub(crate) since: Vec<Since>,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl<T> std::fmt::Debug for Request<T> {
    // The body is left out on purpose: it can hold passwords and keys.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.parts.method)
            .field("path", &self.parts.path)
            .field("query", &self.parts.query.encode())
            .field("resource", &self.parts.resource)
            .field("problem", &self.parts.problem)
            .finish_non_exhaustive()
    }
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request { parts: self.parts.clone(), output: PhantomData }
    }
}

/// Query options, kept apart until `send` encodes them: values are
/// percent-encoded one by one so the `:` and `,` that separate `args=`
/// and `filter=` pairs stay literal.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Query {
    action: Option<String>,
    /// Plain `name=value` options in the order first set.
    options: Vec<(String, String)>,
    args: Vec<(String, String)>,
    filter: Vec<(String, String)>,
    attrs: Vec<String>,
}

impl Query {
    /// The value of option `name`, if set.
    pub(crate) fn option_value(&self, name: &str) -> Option<&str> {
        self.options.iter().find(|(existing, _)| existing == name).map(|(_, value)| value.as_str())
    }

    /// The `action=` of the request, if any.
    pub(crate) fn action(&self) -> Option<&str> {
        self.action.as_deref()
    }

    pub(crate) fn set_action(&mut self, action: &str) {
        self.action = Some(action.to_string());
    }

    /// `idempotent=yes` is set: the appliance treats an `add` of an
    /// existing object as an update, so sending it twice is safe.
    pub(crate) fn is_idempotent(&self) -> bool {
        self.options.iter().any(|(name, value)| name == "idempotent" && value.eq_ignore_ascii_case("yes"))
    }

    fn set(&mut self, name: &str, value: String) {
        match self.options.iter_mut().find(|(existing, _)| existing == name) {
            Some(option) => option.1 = value,
            None => self.options.push((name.to_string(), value)),
        }
    }

    /// The encoded query string, without the leading `?`.
    pub(crate) fn encode(&self) -> String {
        let mut parts = Vec::new();
        if let Some(action) = &self.action {
            parts.push(format!("action={}", encode_component(action)));
        }
        for (name, value) in &self.options {
            parts.push(format!("{}={}", encode_component(name), encode_component(value)));
        }
        if !self.args.is_empty() {
            parts.push(format!("args={}", encode_pairs(&self.args)));
        }
        if !self.filter.is_empty() {
            parts.push(format!("filter={}", encode_pairs(&self.filter)));
        }
        if !self.attrs.is_empty() {
            let attrs: Vec<String> = self.attrs.iter().map(|name| encode_component(name)).collect();
            parts.push(format!("attrs={}", attrs.join(",")));
        }
        parts.join("&")
    }
}

fn encode_pairs(pairs: &[(String, String)]) -> String {
    let encoded: Vec<String> =
        pairs.iter().map(|(name, value)| format!("{}:{}", encode_component(name), encode_component(value))).collect();
    encoded.join(",")
}

/// Left as they are in a path segment or a query value: the unreserved
/// characters of RFC 3986 (letters, digits, `-`, `_`, `.`, `~`). Every
/// other byte, `/ # ? % : @ = , + &` and space included, is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes one query value (`args=`, `filter=` parts, options):
/// once, as the vendor's SDKs encode query arguments.
pub fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// Encodes a key value as the one path segment that names it, or says why
/// it cannot be sent.
///
/// The appliance decodes a NITRO path segment twice (its web server, then
/// NITRO), and the vendor's own clients encode names twice for it (see
/// `docs/name-encoding.md`): so does this, every byte but the unreserved
/// ones, space as `%20` (never `+`). A name made only of letters, digits
/// and `-_.~` is sent as it is.
///
/// Refused: the empty key, and every key that is `.` or `..` as written or
/// after one or two percent-decodings (`%2e`, `.%2E`, `%252e%252e`): URL
/// normalisation, on our side or on a proxy's or the appliance's, would
/// resolve such a segment away and the request would name the collection
/// or its parent instead of one object.
pub fn encode_path_key(key: &str) -> Result<String, String> {
    if key.is_empty() {
        return Err("the key value is empty".to_string());
    }
    if is_dot_segment(key) {
        return Err(format!("key value {key:?} would be read as a `.` or `..` path segment"));
    }
    let once = utf8_percent_encode(key, COMPONENT).to_string();
    Ok(utf8_percent_encode(&once, COMPONENT).to_string())
}

/// The resource constants, gathered so that the work of the constructors
/// is done by functions that are not generic in the resource.
#[derive(Clone, Copy)]
struct Target {
    name: &'static str,
    kind: ResourceKind,
    api: Api,
    keys: &'static [&'static str],
    fields: &'static [&'static str],
    /// What the product's `RESOURCE_FACTS` say of the resource, read once
    /// per product.
    facts: &'static Facts,
}

impl Target {
    fn of<R: Resource>() -> Target {
        let facts = facts(R::API, R::KIND, R::NAME);
        Target { name: R::NAME, kind: R::KIND, api: R::API, keys: R::KEYS, fields: R::FIELDS, facts }
    }

    /// Notes in `parts` the releases of the fields `objs` set and the
    /// request sends (`FIELDS_SINCE` entries).
    fn note_since(self, objs: &[&dyn DynModel], sent: Sent, parts: &mut Parts) {
        for &(position, release) in &self.facts.fields_since {
            if let Sent::Only(listed) = sent {
                if listed.binary_search(&position).is_err() {
                    continue;
                }
            }
            let index = usize::from(position);
            let Some(property) = self.fields.get(index) else { continue };
            if objs.iter().any(|obj| index < obj.wire_fields().len() && model::field_is_set(obj.dyn_field(index))) {
                parts.since.push(Since { resource: self.name, property: Some(property), release });
            }
        }
    }

    fn collection_path(self) -> String {
        format!("{}/{}/{}", self.api.base_path(), self.kind.segment(), self.name)
    }

    /// The path of the object named `key`; a key that cannot name one
    /// object makes the request's problem (the collection path is kept,
    /// never sent).
    fn item_path(self, key: &str, operation: &str, parts: &mut Parts) -> String {
        match encode_path_key(key) {
            Ok(segment) => format!("{}/{segment}", self.collection_path()),
            Err(why) => {
                parts.problem.get_or_insert_with(|| format!("{operation} of {}: {why}", self.name));
                self.collection_path()
            }
        }
    }

    fn parts(self, method: Method, path: String) -> Parts {
        let since = self.facts.since.map(|release| Since { resource: self.name, property: None, release }).into_iter().collect();
        Parts { method, path, resource: self.name, since, ..Parts::default() }
    }

    /// `{"<name>": value}` as JSON bytes; a value that cannot be encoded
    /// becomes the request's problem.
    fn payload<T: serde::Serialize + ?Sized>(self, value: &T, parts: &mut Parts) {
        match serde_json::to_vec(&Keyed { key: self.name, value }) {
            Ok(bytes) => parts.body = Some(bytes),
            Err(error) => parts.problem = Some(format!("{} payload: {error}", self.name)),
        }
    }

    /// The path of the object `obj` names: its primary key value, or the
    /// collection for resources without a key.
    fn path_of(self, obj: &dyn DynModel, operation: &str, parts: &mut Parts) -> String {
        let Some(primary) = self.keys.first() else {
            return self.collection_path();
        };
        match key_text(obj, primary) {
            Some(key) => self.item_path(&key, operation, parts),
            None => {
                parts.problem = Some(format!("{operation} of {}: key property {primary} is not set", self.name));
                self.collection_path()
            }
        }
    }
}

/// What the generated `<product>::RESOURCE_FACTS` text says of one
/// resource.
struct Facts {
    /// The release that introduced it, when newer than the oldest the
    /// crate documents.
    since: Option<&'static str>,
    /// Its writable fields introduced later: (index into
    /// [`Model::FIELDS`], release), in the text's order.
    fields_since: Vec<(u16, &'static str)>,
    /// A binding's delete arguments (alternatives joined by `|`).
    delete_args: Vec<&'static str>,
}

/// Resource `name`'s facts, from the product's generated `RESOURCE_FACTS`
/// text (one line per resource with any: `<id> <since> <fields> <delete
/// args>`, `-` for none), indexed once per product. One text per product
/// instead of constants per model: the constants cost ~24 MB of the
/// all-features check. Parsed once, so building a request only looks up.
fn facts(api: Api, kind: ResourceKind, name: &'static str) -> &'static Facts {
    static NONE: Facts = Facts { since: None, fields_since: Vec::new(), delete_args: Vec::new() };
    type Index = std::collections::BTreeMap<(bool, &'static str), Facts>;
    static ADC: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    static ADM: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    let cell = match api {
        Api::AdcV1 => &ADC,
        Api::AdmV1 | Api::AdmV2 => &ADM,
    };
    let index = cell.get_or_init(|| {
        let given = |text: &'static str| if text == "-" { "" } else { text };
        // `index:release` pairs joined by `,` (`"6:14.1,9:11.1"`).
        let fields_since = |text: &'static str| {
            text.split(',')
                .filter_map(|entry| {
                    let (position, release) = entry.split_once(':')?;
                    Some((position.parse::<u16>().ok()?, release))
                })
                .collect()
        };
        crate::resource_facts(api)
            .lines()
            .filter_map(|line| {
                let mut parts = line.split(' ');
                let (id, since, fields, delete_args) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
                let key = match id.strip_prefix("stat/") {
                    Some(stat) => (true, stat),
                    None => (false, id),
                };
                let since = Some(given(since)).filter(|since| !since.is_empty());
                let delete_args = given(delete_args).split(',').filter(|arg| !arg.is_empty()).collect();
                Some((key, Facts { since, fields_since: fields_since(given(fields)), delete_args }))
            })
            .collect()
    });
    index.get(&(kind == ResourceKind::Stat, name)).unwrap_or(&NONE)
}

/// A binding's delete arguments as the reference lists them (`?args=`
/// entries, alternatives joined by `|`, as the generated `delete` sends
/// them): with [`Resource::KEYS`], what names one row
/// ([`crate::Client::sync_bindings`]). Empty for other resources and for
/// bindings whose delete takes none.
pub fn delete_args<R: Resource>() -> Vec<&'static str> {
    if R::KIND != ResourceKind::Binding {
        return Vec::new();
    }
    facts(R::API, R::KIND, R::NAME).delete_args.clone()
}

/// The text of key property `name` of `obj`, when it is set and not empty.
fn key_text(obj: &dyn DynModel, name: &str) -> Option<String> {
    model::field_text(obj, name).filter(|key| !key.is_empty())
}

/// `{"<key>": value}` without building a map.
struct Keyed<'a, T: ?Sized> {
    key: &'static str,
    value: &'a T,
}

impl<T: serde::Serialize + ?Sized> serde::Serialize for Keyed<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.key, self.value)?;
        map.end()
    }
}

/// The objects of a bulk request, as a JSON array.
struct Models<'a>(&'a [&'a dyn DynModel]);

impl serde::Serialize for Models<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|model| model::DynRef(*model)))
    }
}

/// Which keys of a model a write sends.
#[derive(Clone, Copy)]
enum Sent {
    /// Every set field and every unknown field (raw requests).
    All,
    /// The listed fields (indexes into `FIELDS`, ascending) that are set.
    Only(&'static [u16]),
}

/// The objects of a bulk request, as a JSON array.
struct OnlyModels<'a>(&'a [&'a dyn DynModel], &'static [u16]);

impl serde::Serialize for OnlyModels<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|model| model::OnlyRef(*model, self.1)))
    }
}

fn with_body(target: Target, method: Method, obj: &dyn DynModel, sent: Sent) -> Parts {
    let mut parts = target.parts(method, target.collection_path());
    match sent {
        Sent::All => target.payload(&model::DynRef(obj), &mut parts),
        Sent::Only(fields) => target.payload(&model::OnlyRef(obj, fields), &mut parts),
    }
    target.note_since(&[obj], sent, &mut parts);
    parts
}

/// `update`: the object is named by its primary key, which must be set.
fn update_parts(target: Target, obj: &dyn DynModel, sent: Sent) -> Parts {
    let mut parts = with_body(target, Method::Put, obj, sent);
    if let Some(primary) = target.keys.first() {
        if key_text(obj, primary).is_none() {
            parts.problem = Some(format!("update of {}: key property {primary} is not set", target.name));
        }
    }
    parts
}

fn bulk(target: Target, method: Method, objs: Vec<&dyn DynModel>, sent: Sent) -> Parts {
    let mut parts = target.parts(method, target.collection_path());
    if objs.is_empty() {
        parts.problem = Some(format!("bulk request for {} with no items", target.name));
    }
    match sent {
        Sent::All => target.payload(&Models(&objs), &mut parts),
        Sent::Only(fields) => target.payload(&OnlyModels(&objs, fields), &mut parts),
    }
    target.note_since(&objs, sent, &mut parts);
    parts
}

fn unset_parts(target: Target, obj: &dyn DynModel, properties: &[&str]) -> Parts {
    let mut parts = target.parts(Method::Post, target.collection_path());
    parts.query.action = Some("unset".to_string());
    let encoded = model::to_value_dyn(obj);
    let mut payload = Map::new();
    for key in target.keys {
        match encoded.get(*key) {
            Some(value) => {
                payload.insert(key.to_string(), value.clone());
            }
            None if Some(key) == target.keys.first() => {
                parts.problem = Some(format!("unset of {}: key property {key} is not set", target.name));
            }
            None => {}
        }
    }
    if properties.is_empty() {
        parts.problem = Some(format!("unset of {} names no property", target.name));
    }
    for property in properties {
        payload.insert(property.to_string(), Value::Bool(true));
    }
    target.payload(&Value::Object(payload), &mut parts);
    parts
}

/// `delete` with `?args=`: each entry of `arg_names` is one argument, or
/// alternatives separated by `|` (`servername|ip`) of which the first
/// that is set is sent, alone: the appliance refuses both (1092).
fn delete_parts(target: Target, obj: &dyn DynModel, arg_names: &[&str]) -> Parts {
    let mut parts = target.parts(Method::Delete, String::new());
    parts.path = target.path_of(obj, "delete", &mut parts);
    for slot in arg_names {
        let chosen = slot.split('|').find_map(|name| model::field_text(obj, name).map(|value| (name, value)));
        if let Some((name, value)) = chosen {
            parts.query.args.push((name.to_string(), value));
        }
    }
    parts
}

fn delete_bulk_parts(target: Target, objs: Vec<&dyn DynModel>, arg_names: Option<&[&str]>) -> Parts {
    let mut parts = match arg_names {
        None => bulk(target, Method::Post, objs.clone(), Sent::All),
        Some(arg_names) => {
            let mut parts = target.parts(Method::Post, target.collection_path());
            if objs.is_empty() {
                parts.problem = Some(format!("bulk request for {} with no items", target.name));
            }
            let items: Vec<Value> = objs.iter().map(|obj| Value::Object(identifying(target, *obj, arg_names))).collect();
            target.payload(&items, &mut parts);
            parts
        }
    };
    let verb = match (target.api, target.kind) {
        (Api::AdmV2, _) => "delete",
        (_, ResourceKind::Binding) => "unbind",
        _ => "rm",
    };
    parts.query.action = Some(verb.to_string());
    if let Some(primary) = target.keys.first() {
        if let Some(position) = objs.iter().position(|obj| key_text(*obj, primary).is_none()) {
            parts.problem = Some(format!("bulk delete of {}: item {position} has no {primary}", target.name));
        }
    }
    parts
}

/// The key properties of `obj` and the delete arguments it has set (one of
/// each group of alternatives), as JSON.
fn identifying(target: Target, obj: &dyn DynModel, arg_names: &[&str]) -> Map<String, Value> {
    let encoded = model::to_value_dyn(obj);
    let mut item = Map::new();
    for key in target.keys {
        if let Some(value) = encoded.get(*key) {
            item.insert(key.to_string(), value.clone());
        }
    }
    for slot in arg_names {
        if let Some((name, value)) = slot.split('|').find_map(|name| encoded.get(name).map(|value| (name, value))) {
            item.insert(name.to_string(), value.clone());
        }
    }
    item
}

fn by_key(target: Target, method: Method, key: Option<&str>, operation: &str) -> Parts {
    let mut parts = target.parts(method, target.collection_path());
    match key {
        Some(key) if !key.is_empty() => parts.path = target.item_path(key, operation, &mut parts),
        _ if target.keys.is_empty() => {}
        _ => parts.problem = Some(format!("{operation} of {}: no key value given", target.name)),
    }
    parts
}

fn action_parts(target: Target, obj: &dyn DynModel, verb: &str, sent: Sent) -> Parts {
    let mut parts = with_body(target, Method::Post, obj, sent);
    parts.query.action = Some(verb.to_string());
    parts
}

impl<T> Request<T> {
    pub(crate) fn from_parts(parts: Parts) -> Self {
        Request { parts, output: PhantomData }
    }
}

// Constructors called by generated endpoint functions. Each generated
// function is one line delegating here, so the crate holds thousands of
// endpoints without thousands of async bodies; each of these is one line
// delegating to a function that is not generic in the resource.
//
// Writes come in two forms. The `*_only` constructors (what generated
// functions call) send the fields the reference lists for the operation:
// `fields` are indexes into `Model::FIELDS`, ascending; read-only fields,
// fields the operation does not take and unknown fields kept from an
// answer are left out, so a model read back by GET, changed and written
// back is accepted. The plain constructors (`add`, `update`, ...) are raw
// requests: every set field and every unknown field is sent as it is.
impl Request<Outcome> {
    /// `add`: POST (config) or PUT (binding) of `{"<name>": obj}` with the
    /// listed fields.
    pub fn add_only<R: Resource>(obj: &R, method: Method, fields: &'static [u16]) -> Self {
        Request::from_parts(with_body(Target::of::<R>(), method, obj, Sent::Only(fields)))
    }
    /// Bulk `add` with the listed fields of each object.
    pub fn add_bulk_only<R: Resource>(objs: &[R], method: Method, fields: &'static [u16]) -> Self {
        Request::from_parts(bulk(Target::of::<R>(), method, dyn_list(objs), Sent::Only(fields)))
    }
    /// `update`: PUT of `{"<name>": obj}` with the listed fields.
    pub fn update_only<R: Resource>(obj: &R, fields: &'static [u16]) -> Self {
        Request::from_parts(update_parts(Target::of::<R>(), obj, Sent::Only(fields)))
    }
    /// Bulk `update` with the listed fields of each object.
    pub fn update_bulk_only<R: Resource>(objs: &[R], fields: &'static [u16]) -> Self {
        Request::from_parts(bulk(Target::of::<R>(), Method::Put, dyn_list(objs), Sent::Only(fields)))
    }
    /// `POST ?action=<verb>` with the listed fields of `obj`.
    pub fn action_only<R: Resource>(obj: &R, verb: &str, fields: &'static [u16]) -> Self {
        Request::from_parts(action_parts(Target::of::<R>(), obj, verb, Sent::Only(fields)))
    }
    /// Raw `add`: POST (config) or PUT (binding) of `{"<name>": obj}`,
    /// every set and unknown field.
    pub fn add<R: Resource>(obj: &R, method: Method) -> Self {
        Request::from_parts(with_body(Target::of::<R>(), method, obj, Sent::All))
    }
    /// Raw bulk `add`: `{"<name>": [objs]}`; answers 207 with per-item results.
    pub fn add_bulk<R: Resource>(objs: &[R], method: Method) -> Self {
        Request::from_parts(bulk(Target::of::<R>(), method, dyn_list(objs), Sent::All))
    }
    /// Raw bulk `update`: PUT of `{"<name>": [objs]}`.
    pub fn update_bulk<R: Resource>(objs: &[R]) -> Self {
        Request::from_parts(bulk(Target::of::<R>(), Method::Put, dyn_list(objs), Sent::All))
    }
    /// Raw `update`: PUT of `{"<name>": obj}`.
    pub fn update<R: Resource>(obj: &R) -> Self {
        Request::from_parts(update_parts(Target::of::<R>(), obj, Sent::All))
    }
    /// `unset`: POST `?action=unset` of the key properties of `obj` plus
    /// each named property set to `true`.
    pub fn unset<R: Resource>(obj: &R, properties: &[&str]) -> Self {
        Request::from_parts(unset_parts(Target::of::<R>(), obj, properties))
    }
    /// `delete` of the resource whose key values are taken from `obj`,
    /// with `?args=` made of those `arg_names` whose fields are set.
    pub fn delete<R: Resource>(obj: &R, arg_names: &[&str]) -> Self {
        Request::from_parts(delete_parts(Target::of::<R>(), obj, arg_names))
    }
    /// Raw bulk `delete`: `POST ?action=rm` of `{"<name>": [objs]}`
    /// (`unbind` for bindings, `delete` on ADM `/nitro/v2`), the form the
    /// vendor's SDKs use; answers 207 with per-item results like the other
    /// bulk requests. Each object needs its key properties set (a binding
    /// also the entity it binds); every field that is set is sent.
    pub fn delete_bulk<R: Resource>(objs: &[R]) -> Self {
        Request::from_parts(delete_bulk_parts(Target::of::<R>(), dyn_list(objs), None))
    }
    /// Bulk `delete` sending of each object its key properties and the
    /// delete arguments `arg_names` (entries as for [`Request::delete`]:
    /// alternatives joined by `|`, the first set one sent alone).
    pub fn delete_bulk_args<R: Resource>(objs: &[R], arg_names: &[&str]) -> Self {
        Request::from_parts(delete_bulk_parts(Target::of::<R>(), dyn_list(objs), Some(arg_names)))
    }
    /// `delete` by the value of the primary key (or of no key: singletons).
    pub fn delete_by_key<R: Resource>(key: Option<&str>) -> Self {
        Request::from_parts(by_key(Target::of::<R>(), Method::Delete, key, "delete"))
    }
    /// Raw `POST ?action=<verb>` with `{"<name>": obj}`.
    pub fn action<R: Resource>(obj: &R, verb: &str) -> Self {
        Request::from_parts(action_parts(Target::of::<R>(), obj, verb, Sent::All))
    }
}

fn dyn_list<R: Resource>(objs: &[R]) -> Vec<&dyn DynModel> {
    objs.iter().map(|obj| obj as &dyn DynModel).collect()
}

impl Request<Value> {
    /// Any NITRO request the generated API does not express: `method` on
    /// `path` (below the host, e.g. `/nitro/v1/config/nsconfig`, percent-
    /// encoded as it should travel), with options from
    /// [`Request::option`], [`Request::arg`], [`Request::header`] and a
    /// body from [`Request::json`]. The answer is the whole JSON body
    /// (after the same status and `errorcode` checks as every request).
    /// A path that does not start with `/`, or that holds a `.` or `..`
    /// segment in any spelling, is refused when sent.
    pub fn raw(method: Method, path: &str) -> Self {
        let mut parts = Parts { method, path: path.to_string(), resource: "", ..Parts::default() };
        if !path.starts_with('/') {
            parts.problem = Some(format!("raw request path {path:?} does not start with `/`"));
        } else if path.contains(['?', '#']) {
            parts.problem = Some(format!("raw request path {path:?} holds a query or fragment: use Request::option"));
        } else if path.split('/').any(is_dot_segment) {
            parts.problem = Some(format!("raw request path {path:?} holds a `.` or `..` segment"));
        }
        Request::from_parts(parts)
    }

    /// The JSON body of a raw request (`{"<resource>": {...}}` as NITRO
    /// expects it; the client sends it as it is).
    pub fn json(mut self, body: &Value) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.parts.body = Some(bytes),
            Err(error) => self.parts.problem = Some(format!("raw request body: {error}")),
        }
        self
    }
}

impl<R: Resource> Request<Vec<R>> {
    /// `get` by the value of the primary key.
    pub fn get(key: &str) -> Self {
        Request::from_parts(by_key(Target::of::<R>(), Method::Get, Some(key), "get"))
    }
    /// `get (all)`; also the get of singletons and stat resources.
    pub fn get_all() -> Self {
        let target = Target::of::<R>();
        Request::from_parts(target.parts(Method::Get, target.collection_path()))
    }
}

impl Request<u64> {
    /// `count=yes`.
    pub fn count<R: Resource>() -> Self {
        let target = Target::of::<R>();
        let mut parts = target.parts(Method::Get, target.collection_path());
        parts.query.set("count", "yes".to_string());
        Request::from_parts(parts)
    }
    /// `count=yes` below one key value (bindings count per parent:
    /// `/config/<binding>/<parent>?count=yes`).
    pub fn count_by_key<R: Resource>(key: &str) -> Self {
        let mut parts = by_key(Target::of::<R>(), Method::Get, Some(key), "count");
        parts.query.set("count", "yes".to_string());
        Request::from_parts(parts)
    }
}

// Options every request can carry.
impl<T> Request<T> {
    /// `filter=name:value,...` (values percent-encoded by `send`).
    pub fn filter(mut self, property: &str, value: &str) -> Self {
        self.parts.query.filter.push((property.to_string(), value.to_string()));
        self
    }
    /// `attrs=a,b,c`.
    pub fn attrs(mut self, properties: &[&str]) -> Self {
        self.parts.query.attrs.extend(properties.iter().map(|name| name.to_string()));
        self
    }
    /// `args=name:value,...`.
    pub fn arg(mut self, name: &str, value: &str) -> Self {
        self.parts.query.args.push((name.to_string(), value.to_string()));
        self
    }
    /// `view=summary`.
    pub fn summary(self) -> Self {
        self.option("view", "summary")
    }
    /// `pagesize=N&pageno=P` (pages counted from 1).
    pub fn page(self, page_size: u32, page_number: u32) -> Self {
        self.option("pagesize", &page_size.to_string()).option("pageno", &page_number.to_string())
    }
    /// `warning=yes`: warnings come back as HTTP 209 / severity WARNING.
    pub fn warning(self) -> Self {
        self.option("warning", "yes")
    }
    /// What a bulk request does after an item fails: the
    /// `X-NITRO-ONERROR` header, where the reference puts it (a query
    /// option is not read as one).
    pub fn on_error(mut self, mode: OnError) -> Self {
        self.parts.headers.retain(|(name, _)| !name.eq_ignore_ascii_case(ONERROR_HEADER));
        self.parts.headers.push((ONERROR_HEADER.to_string(), mode.as_str().to_string()));
        self
    }
    /// Sends this header with this request only (besides the client's
    /// headers). The value is marked sensitive: never logged or shown. A
    /// `Cookie` header is refused when sent: the session cookie is the
    /// client's.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if name.trim().eq_ignore_ascii_case("cookie") {
            self.parts.problem.get_or_insert_with(|| "a request header cannot be named `Cookie`: the session cookie is the client's".into());
        }
        self.parts.headers.push((name.to_string(), value.to_string()));
        self
    }
    /// Extra request headers (name, value), as sent.
    pub fn headers(&self) -> &[(String, String)] {
        &self.parts.headers
    }
    /// This request's timeout instead of the client's (a `save`, an
    /// `install`, a large read).
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.parts.timeout = Some(timeout);
        self
    }
    /// `idempotent=yes`: an `add` of an object that exists updates it
    /// instead of failing, so the client may send the request again after
    /// a lost answer, a reset connection or a 502/503/504 (see
    /// [`crate::RetryPolicy`]). Plain writes are never sent twice.
    pub fn idempotent(mut self) -> Self {
        self.parts.query.set("idempotent", "yes".to_string());
        self.parts.repeatable = true;
        self
    }
    /// Any other `name=value` query option (replaces an earlier value).
    pub fn option(mut self, name: &str, value: &str) -> Self {
        self.parts.query.set(name, value.to_string());
        self
    }

    pub fn method(&self) -> Method {
        self.parts.method
    }
    /// The percent-encoded path below the host.
    pub fn path(&self) -> &str {
        &self.parts.path
    }
    /// The percent-encoded query string, without `?` (empty when none).
    pub fn query_string(&self) -> String {
        self.parts.query.encode()
    }
    /// Path and query, as sent.
    pub fn path_and_query(&self) -> String {
        let query = self.query_string();
        if query.is_empty() {
            self.parts.path.clone()
        } else {
            format!("{}?{}", self.parts.path, query)
        }
    }
    /// The JSON payload, if any, read back from the bytes that are sent
    /// (for inspection and tests).
    pub fn body(&self) -> Option<Value> {
        self.parts.body.as_deref().and_then(|bytes| serde_json::from_slice(bytes).ok())
    }
    /// The JSON payload as sent.
    pub fn body_bytes(&self) -> Option<&[u8]> {
        self.parts.body.as_deref()
    }
    /// Wire name of the resource (payload and answer key).
    pub fn resource(&self) -> &'static str {
        self.parts.resource
    }
    /// Why `send` will refuse this request, if it will.
    pub fn problem(&self) -> Option<&str> {
        self.parts.problem.as_deref()
    }
    /// The releases this request relies on: its resource's, when newer
    /// than the oldest documented release, and each property it sends
    /// (set on the model and taken by the operation) that a later
    /// release introduced. Empty for raw requests. See
    /// [`crate::runtime::Firmware::newer_than`] and [`crate::Client::newer_than_firmware`].
    pub fn since(&self) -> &[Since] {
        &self.parts.since
    }
}

/// Header of the bulk error mode.
pub const ONERROR_HEADER: &str = "X-NITRO-ONERROR";

/// What a bulk request does after an item fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OnError {
    Exit,
    Continue,
    Rollback,
}

impl OnError {
    /// The header value, in the reference's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            OnError::Exit => "exit",
            OnError::Continue => "continue",
            OnError::Rollback => "rollback",
        }
    }
}
