//! Resources and requests: what a generated resource declares about itself
//! ([`Resource`]) and the request values its endpoint functions return
//! ([`Request`]), which a [`crate::Client`] sends.

use crate::runtime::model::Model;
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

/// HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

/// What a NITRO write operation answered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// HTTP status (200, 201, 207, 209).
    pub status: u16,
    pub errorcode: i64,
    pub message: String,
    /// `NONE`, `WARNING`, `ERROR`; empty when the appliance left it out.
    pub severity: String,
    /// Per-item results of a bulk request answered with 207.
    pub items: Vec<ItemOutcome>,
}

impl Outcome {
    /// The appliance reported a warning (HTTP 209 or severity `WARNING`).
    pub fn is_warning(&self) -> bool {
        self.status == 209 || self.severity.eq_ignore_ascii_case("WARNING")
    }
}

/// One item of a bulk (207 Multi-Status) answer.
#[derive(Clone, Debug, Default, PartialEq)]
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
    pub(crate) method: Method,
    /// Full path below the host, already percent-encoded:
    /// `/nitro/v1/config/lbvserver/vs%201`.
    pub(crate) path: String,
    /// Query pairs, values not yet encoded; encoded by `send`.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Option<serde_json::Value>,
    pub(crate) resource: &'static str,
    pub(crate) problem: Option<String>,
    pub(crate) output: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("resource", &self.resource)
            .finish_non_exhaustive()
    }
}

// Constructors called by generated endpoint functions. Each generated
// function is one line delegating here, so the crate holds thousands of
// endpoints without thousands of async bodies.
impl Request<Outcome> {
    /// `add`: POST (config) or PUT (binding) of `{"<name>": obj}`.
    pub fn add<R: Resource>(obj: &R, method: Method) -> Self {
        let _ = (obj, method);
        todo!("runtime")
    }
    /// Bulk `add`: `{"<name>": [objs]}`; answers 207 with per-item results.
    pub fn add_bulk<R: Resource>(objs: &[R], method: Method) -> Self {
        let _ = (objs, method);
        todo!("runtime")
    }
    /// `update`: PUT of `{"<name>": obj}`.
    pub fn update<R: Resource>(obj: &R) -> Self {
        let _ = obj;
        todo!("runtime")
    }
    /// `unset`: POST `?action=unset` of the key properties of `obj` plus
    /// each named property set to `true`.
    pub fn unset<R: Resource>(obj: &R, properties: &[&str]) -> Self {
        let _ = (obj, properties);
        todo!("runtime")
    }
    /// `delete` of the resource whose key values are taken from `obj`,
    /// with `?args=` made of those `arg_names` whose fields are set.
    pub fn delete<R: Resource>(obj: &R, arg_names: &[&str]) -> Self {
        let _ = (obj, arg_names);
        todo!("runtime")
    }
    /// `delete` by the value of the primary key (or of no key: singletons).
    pub fn delete_by_key<R: Resource>(key: Option<&str>) -> Self {
        let _ = key;
        todo!("runtime")
    }
    /// `POST ?action=<verb>` with `{"<name>": obj}`.
    pub fn action<R: Resource>(obj: &R, verb: &str) -> Self {
        let _ = (obj, verb);
        todo!("runtime")
    }
}

impl<R: Resource> Request<Vec<R>> {
    /// `get` by the value of the primary key.
    pub fn get(key: &str) -> Self {
        let _ = key;
        todo!("runtime")
    }
    /// `get (all)`; also the get of singletons and stat resources.
    pub fn get_all() -> Self {
        todo!("runtime")
    }
}

impl Request<u64> {
    /// `count=yes`.
    pub fn count<R: Resource>() -> Self {
        todo!("runtime")
    }
}

// Options every request can carry.
impl<T> Request<T> {
    /// `filter=name:value,...` (values percent-encoded by `send`).
    pub fn filter(mut self, property: &str, value: &str) -> Self {
        let _ = (&mut self, property, value);
        todo!("runtime")
    }
    /// `attrs=a,b,c`.
    pub fn attrs(mut self, properties: &[&str]) -> Self {
        let _ = (&mut self, properties);
        todo!("runtime")
    }
    /// `args=name:value,...`.
    pub fn arg(mut self, name: &str, value: &str) -> Self {
        let _ = (&mut self, name, value);
        todo!("runtime")
    }
    /// `view=summary`.
    pub fn summary(self) -> Self {
        todo!("runtime")
    }
    /// `pagesize=N&pageno=P` (pages counted from 1).
    pub fn page(self, page_size: u32, page_number: u32) -> Self {
        let _ = (page_size, page_number);
        todo!("runtime")
    }
    /// `warning=yes`: warnings come back as HTTP 209 / severity WARNING.
    pub fn warning(self) -> Self {
        todo!("runtime")
    }
    /// `onerror=EXIT|CONTINUE|ROLLBACK` for bulk requests.
    pub fn on_error(self, mode: OnError) -> Self {
        let _ = mode;
        todo!("runtime")
    }
}

/// What a bulk request does after an item fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OnError {
    Exit,
    Continue,
    Rollback,
}
