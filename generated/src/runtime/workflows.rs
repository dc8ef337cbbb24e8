//! The jobs operators automate, one call each: create or update
//! ([`Request::upsert`], [`Client::upsert`]), desired state for one object
//! ([`Client::ensure`]) and for one binding kind ([`Client::sync_bindings`],
//! [`Client::plan_bindings`]), the running firmware ([`Client::firmware`])
//! and the check of requests against it ([`Client::newer_than_firmware`]),
//! files on the appliance ([`Client::upload_file`],
//! [`Client::download_file`], [`Client::delete_file`]) and statistics
//! polling for exporters ([`Client::poll`]), with the bound entities'
//! rows typed ([`Request::with_bindings`], [`WithBindings`]).
//!
//! Model-agnostic: generic over [`Resource`] or built on raw requests, so
//! they need no resource feature.

use crate::runtime::answer::FromNitro;
use crate::runtime::client::Client;
use crate::runtime::error::{Error, Result};
use crate::runtime::model::{self, DynModel};
use crate::runtime::resource::{delete_args, encode_path_key, Method, Outcome, Parts, Request, Resource, ResourceKind};
use serde_json::{json, Map, Value};
use std::time::Duration;

// --- Create or update ---------------------------------------------------------

impl Request<Outcome> {
    /// Create or update: this `add` with `idempotent=yes`, so an object
    /// that exists is updated with the sent properties instead of failing
    /// with "already exists" (the form the vendor's Go SDK sends for every
    /// add of a config resource; NITRO takes it since 11.1). The request
    /// is also safe to send again after a lost answer (see
    /// [`Request::idempotent`]).
    ///
    /// Only for the add of a config resource (`POST` without `action`):
    /// on any other request (a binding add, an update, an action) `send`
    /// refuses it with [`Error::InvalidRequest`].
    ///
    /// ```no_run
    /// # #[cfg(feature = "lb")]
    /// # async fn run(client: &netscaler::Client, vserver: &netscaler::adc::lb::Lbvserver) -> netscaler::Result<()> {
    /// client.send(vserver.add().upsert()).await?;
    /// # Ok(()) }
    /// ```
    pub fn upsert(mut self) -> Self {
        let parts = &self.parts;
        let is_add = parts.method == Method::Post && parts.query.action().is_none() && parts.body.is_some() && !parts.resource.is_empty();
        if !is_add {
            let problem = format!(
                "upsert applies to the add of a config resource (POST without action), not to {} {}{}",
                parts.method.as_str(),
                parts.path,
                parts.query.action().map(|action| format!("?action={action}")).unwrap_or_default()
            );
            self.parts.problem.get_or_insert(problem);
            return self;
        }
        self.idempotent()
    }
}

impl Client {
    /// Creates `obj` or updates it when it exists: the raw add of every
    /// property set on `obj` with `idempotent=yes`. Prefer
    /// `obj.add().upsert()` for a model read back from the appliance: the
    /// generated `add` sends only the properties the add takes.
    pub async fn upsert<R: Resource>(&self, obj: &R) -> Result<Outcome> {
        if R::KIND != ResourceKind::Config {
            return Err(Error::InvalidRequest(format!("upsert of {}: only config resources have a create-or-update add", R::NAME)));
        }
        self.send(Request::add(obj, Method::Post).upsert()).await
    }
}

// --- Desired state --------------------------------------------------------------

/// What [`Client::ensure`] changed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ensured {
    /// The object did not exist and was added.
    Created,
    /// The object existed; these properties (wire names) differed and
    /// were updated.
    Updated { fields: Vec<String> },
    /// The object existed with every property as wanted: nothing sent.
    Unchanged,
}

impl Ensured {
    /// Something was written.
    pub fn is_changed(&self) -> bool {
        !matches!(self, Ensured::Unchanged)
    }
}

impl Client {
    /// Desired state for one object: reads the object `desired` names (by
    /// its primary key; singletons by a plain get), compares each property
    /// set on `desired` with the appliance's value, and writes only what
    /// differs: an add (`idempotent=yes`, so a concurrent creation does not
    /// fail it) when the object is missing, else one update of the key
    /// and the differing properties. Strings compare without regard to
    /// ASCII case (NITRO's enumerations are case-insensitive), numbers by
    /// value; secret properties (passwords, keys) are never compared, as
    /// the appliance does not return them. Properties left unset on
    /// `desired` are not touched.
    ///
    /// Config resources only; a property the update does not take (a
    /// create-only one that differs) makes the appliance refuse the
    /// update, and that error is returned.
    pub async fn ensure<R: Resource>(&self, desired: &R) -> Result<Ensured> {
        if R::KIND != ResourceKind::Config {
            return Err(Error::InvalidRequest(format!("ensure of {}: only config resources (use bindings' add and delete)", R::NAME)));
        }
        let current = match R::KEYS.first() {
            Some(primary) => {
                let key = model::field_text(desired, primary)
                    .filter(|key| !key.is_empty())
                    .ok_or_else(|| Error::InvalidRequest(format!("ensure of {}: key property {primary} is not set", R::NAME)))?;
                match self.send(Request::<Vec<R>>::get(&key)).await {
                    Ok(mut found) if !found.is_empty() => Some(found.swap_remove(0)),
                    Ok(_) => None,
                    Err(error) if error.is_not_found() => None,
                    Err(error) => return Err(error),
                }
            }
            None => self.send(Request::<Vec<R>>::get_all()).await?.into_iter().next(),
        };
        let Some(current) = current else {
            if R::KEYS.is_empty() {
                return Err(Error::Decode { resource: R::NAME.into(), status: 200, message: "the singleton's get answered nothing".into() });
            }
            self.send(Request::add(desired, Method::Post).upsert()).await?;
            return Ok(Ensured::Created);
        };
        let fields = differing(desired, &current, R::KEYS);
        if fields.is_empty() {
            return Ok(Ensured::Unchanged);
        }
        let wanted = as_map(desired);
        let mut body = Map::new();
        for name in R::KEYS.iter().copied().chain(fields.iter().map(String::as_str)) {
            if let Some(value) = wanted.get(name) {
                body.insert(name.to_string(), value.clone());
            }
        }
        let parts = Parts {
            method: Method::Put,
            path: format!("{}/{}/{}", R::API.base_path(), R::KIND.segment(), R::NAME),
            body: Some(serde_json::to_vec(&json!({ R::NAME: body })).map_err(|error| Error::InvalidRequest(error.to_string()))?),
            resource: R::NAME,
            ..Parts::default()
        };
        self.send(Request::<Outcome>::from_parts(parts)).await?;
        Ok(Ensured::Updated { fields })
    }
}

fn as_map(obj: &dyn DynModel) -> Map<String, Value> {
    match model::to_value_dyn(obj) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Wire names of the properties set on `desired` (not keys, not secrets)
/// whose value differs from `current`'s, in `desired`'s order.
fn differing(desired: &dyn DynModel, current: &dyn DynModel, keys: &[&str]) -> Vec<String> {
    let secrets: Vec<&str> =
        desired.secret_fields().iter().filter_map(|index| desired.wire_fields().get(usize::from(*index)).copied()).collect();
    let current = as_map(current);
    as_map(desired)
        .into_iter()
        .filter(|(name, value)| !value.is_null() && !keys.contains(&name.as_str()) && !secrets.contains(&name.as_str()))
        .filter(|(name, value)| !current.get(name).is_some_and(|now| same(value, now)))
        .map(|(name, _)| name)
        .collect()
}

/// Equal as NITRO compares: strings without ASCII case, numbers (or
/// numbers sent as strings) by value, lists item by item.
fn same(wanted: &Value, now: &Value) -> bool {
    let number = |value: &Value| match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse::<f64>().ok(),
        _ => None,
    };
    match (wanted, now) {
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b)),
        (Value::Number(_), _) | (_, Value::Number(_)) => number(wanted).is_some() && number(wanted) == number(now),
        (Value::Object(a), Value::Object(b)) => a.len() == b.len() && a.iter().all(|(name, value)| b.get(name).is_some_and(|other| same(value, other))),
        _ => wanted == now,
    }
}

// --- Desired state of one binding kind ----------------------------------------------

/// What [`Client::sync_bindings`] changed, or what [`Client::plan_bindings`]
/// would change.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct BindingSync<B> {
    /// Wanted rows the parent lacked: added (planned: to add).
    pub added: Vec<B>,
    /// Rows the parent had that no wanted row names, as the appliance
    /// answered them: deleted (planned: to delete).
    pub removed: Vec<B>,
    /// Rows the parent had that a wanted row names, as the appliance
    /// answered them: left alone.
    pub kept: Vec<B>,
    /// Only planned: nothing was written.
    pub dry_run: bool,
}

impl<B> BindingSync<B> {
    /// Something was (or, planned, would be) added or deleted.
    pub fn is_changed(&self) -> bool {
        !self.added.is_empty() || !self.removed.is_empty()
    }
}

impl Client {
    /// Desired state for one binding kind of one parent: makes the rows
    /// of binding resource `B` under `parent` (the binding's key value,
    /// such as a virtual server's name; `""` for global bindings, which
    /// have no key) exactly `wanted`.
    ///
    /// Rows are compared by what identifies one: the binding's key and
    /// its delete arguments ([`delete_args`]: on
    /// `lbvserver_service_binding`, `servicename` or `servicegroupname`).
    /// Names compare exactly, enumeration values without ASCII case,
    /// numbers by value; a delete argument a wanted row leaves unset
    /// matches any value (the appliance fills defaults such as
    /// `bindpoint`). Other properties (a `weight`) are not compared: a
    /// row that is bound stays as it is.
    ///
    /// It reads the parent's rows (`GET /config/<binding>/<parent>`),
    /// adds each wanted row it lacks (`PUT`, every property set on the
    /// row) and then deletes each row no wanted row names (`DELETE` with
    /// exactly the generated delete's arguments, one of each pair of
    /// alternatives), in that order, so traffic has somewhere to go
    /// throughout. A wanted row's key may be left unset (it is set to
    /// `parent`); one naming another parent, two wanted rows naming the
    /// same row, or a row setting none of the delete arguments is refused
    /// before anything is sent. On an error the writes before it stay
    /// done and the error is returned; calling again finishes the job
    /// (it reads the rows anew).
    ///
    /// ```no_run
    /// # #[cfg(feature = "lb")]
    /// # async fn run(client: &netscaler::Client) -> netscaler::Result<()> {
    /// use netscaler::adc::lb::LbvserverServiceBinding;
    /// let wanted = [LbvserverServiceBinding::default().servicename("web-1"), LbvserverServiceBinding::default().servicename("web-2")];
    /// let sync = client.sync_bindings("vs-web", &wanted).await?;
    /// println!("added {}, removed {}, kept {}", sync.added.len(), sync.removed.len(), sync.kept.len());
    /// # Ok(()) }
    /// ```
    pub async fn sync_bindings<B: Resource + Clone>(&self, parent: &str, wanted: &[B]) -> Result<BindingSync<B>> {
        let mut plan = self.plan_bindings(parent, wanted).await?;
        let args = delete_args::<B>();
        for row in &plan.added {
            self.send(Request::add(row, Method::Put)).await?;
        }
        for row in &plan.removed {
            self.send(Request::delete(row, &args)).await?;
        }
        plan.dry_run = false;
        Ok(plan)
    }

    /// The dry run of [`Client::sync_bindings`]: reads the parent's rows
    /// and answers what a sync would add, delete and keep; sends no write.
    pub async fn plan_bindings<B: Resource + Clone>(&self, parent: &str, wanted: &[B]) -> Result<BindingSync<B>> {
        let args = delete_args::<B>();
        let wanted = wanted_rows(parent, wanted, &args)?;
        let current = match B::KEYS.first() {
            Some(_) => self.send(Request::<Vec<B>>::get(parent)).await?,
            None => self.send(Request::<Vec<B>>::get_all()).await?,
        };
        let mut plan = BindingSync { added: Vec::new(), removed: Vec::new(), kept: Vec::new(), dry_run: true };
        for mut row in current {
            // The delete names the row by its key: keep it even where an
            // answer left it out.
            if let Some(primary) = B::KEYS.first() {
                if model::field_text(&row, primary).is_none() {
                    set_text(&mut row, primary, parent).map_err(|why| Error::InvalidRequest(format!("sync_bindings of {}: {why}", B::NAME)))?;
                }
            }
            if wanted.iter().any(|want| same_row(want, &row, B::KEYS, &args)) {
                plan.kept.push(row);
            } else {
                plan.removed.push(row);
            }
        }
        let added: Vec<B> = wanted
            .into_iter()
            .filter(|want| !plan.kept.iter().any(|row| same_row(want, row, B::KEYS, &args)))
            .collect();
        plan.added = added;
        Ok(plan)
    }
}

/// The wanted rows with their key set to `parent`, or why they cannot be
/// synced.
fn wanted_rows<B: Resource + Clone>(parent: &str, wanted: &[B], args: &[&str]) -> Result<Vec<B>> {
    let refuse = |why: String| Err(Error::InvalidRequest(format!("sync_bindings of {}: {why}", B::NAME)));
    if B::KIND != ResourceKind::Binding {
        return refuse("not a binding resource".into());
    }
    if args.is_empty() {
        return refuse("the reference names no delete argument, so nothing tells one row from another".into());
    }
    match B::KEYS.first() {
        Some(_) if parent.is_empty() => return refuse("the parent (key value) is empty".into()),
        None if !parent.is_empty() => return refuse(format!("a global binding has no parent; pass \"\", not {parent:?}")),
        _ => {}
    }
    let mut rows = Vec::with_capacity(wanted.len());
    for (position, row) in wanted.iter().enumerate() {
        let mut row = row.clone();
        if let Some(primary) = B::KEYS.first() {
            match model::field_text(&row, primary) {
                Some(key) if key != parent => return refuse(format!("wanted row {position} names {primary} {key:?}, not the parent {parent:?}")),
                Some(_) => {}
                None => set_text(&mut row, primary, parent).map_err(|why| Error::InvalidRequest(format!("sync_bindings of {}: {why}", B::NAME)))?,
            }
        }
        if !args.iter().flat_map(|slot| slot.split('|')).any(|name| model::field_text(&row, name).is_some()) {
            return refuse(format!("wanted row {position} sets none of {} (what it binds)", args.join(", ")));
        }
        if let Some(earlier) = rows.iter().position(|other: &B| same_row(other, &row, B::KEYS, args) && same_row(&row, other, B::KEYS, args)) {
            return refuse(format!("wanted rows {earlier} and {position} name the same row"));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Sets text field `name` of `obj` (a key property).
fn set_text(obj: &mut dyn DynModel, name: &str, value: &str) -> std::result::Result<(), String> {
    let index = model::field_index(obj.wire_fields(), name).ok_or_else(|| format!("the model has no field {name}"))?;
    match obj.dyn_field_mut(index) {
        model::FieldMut::Str(slot) => *slot = Some(value.to_string()),
        _ => return Err(format!("key field {name} is not text")),
    }
    Ok(())
}

/// `current` is the row `wanted` names: the same key values and, for each
/// delete argument `wanted` sets (the first set of each alternative), the
/// same value on `current`.
fn same_row(wanted: &dyn DynModel, current: &dyn DynModel, keys: &[&str], delete_args: &[&str]) -> bool {
    let keys_match = keys.iter().all(|key| match field_value(wanted, key) {
        Some(value) => field_value(current, key).is_some_and(|other| value.matches(&other)),
        None => true,
    });
    keys_match
        && delete_args.iter().all(|slot| {
            let chosen = slot.split('|').find_map(|name| field_value(wanted, name).map(|value| (name, value)));
            match chosen {
                Some((name, value)) => field_value(current, name).is_some_and(|other| value.matches(&other)),
                None => true,
            }
        })
}

/// One identifying value, with how NITRO compares it.
struct IdValue {
    text: String,
    /// An enumeration value: compared without ASCII case.
    enumerated: bool,
}

impl IdValue {
    fn matches(&self, other: &IdValue) -> bool {
        let number = |text: &str| text.trim().parse::<f64>().ok();
        if let (Some(a), Some(b)) = (number(&self.text), number(&other.text)) {
            return a == b;
        }
        if self.enumerated || other.enumerated {
            return self.text.eq_ignore_ascii_case(&other.text);
        }
        self.text == other.text
    }
}

fn field_value(obj: &dyn DynModel, name: &str) -> Option<IdValue> {
    let text = model::field_text(obj, name)?;
    let enumerated = model::field_index(obj.wire_fields(), name).is_some_and(|index| matches!(obj.dyn_field(index), model::FieldRef::Enum(_)));
    Some(IdValue { text, enumerated })
}

// --- Firmware -------------------------------------------------------------------

/// The release an appliance runs, from `nsversion`'s `version` text
/// (`NetScaler NS14.1: Build 60.54.nc, Date: ...`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Firmware {
    /// `14.1`.
    pub release: String,
    /// `60.54` (without suffixes such as `.nc`).
    pub build: String,
    /// The text as the appliance wrote it.
    pub text: String,
}

impl Firmware {
    /// Reads `NS<release>: Build <build>` out of a version text.
    pub fn parse(text: &str) -> Option<Firmware> {
        let after_ns = text.match_indices("NS").find_map(|(at, _)| {
            let rest = &text[at + 2..];
            rest.starts_with(|c: char| c.is_ascii_digit()).then_some(rest)
        })?;
        let release: String = after_ns.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        let after_build = &text[text.find("Build ")? + "Build ".len()..];
        let build: String = after_build.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        let trim = |value: String| value.trim_end_matches('.').to_string();
        let (release, build) = (trim(release), trim(build));
        (!release.is_empty() && !build.is_empty()).then(|| Firmware { release, build, text: text.to_string() })
    }

    /// The release as numbers: `14.1` is `[14, 1]`.
    pub fn release_numbers(&self) -> Vec<u32> {
        numbers(&self.release)
    }

    /// The appliance runs `release` (such as `13.1`, a property's `since`)
    /// or newer. Only the numbers count: a feature release such as
    /// `12.0-FR4` reads as `12.0` (a 12.0 build is not warned about).
    pub fn is_at_least(&self, release: &str) -> bool {
        self.release_numbers() >= numbers(release)
    }

    /// What `request` relies on that this release predates: its resource
    /// or properties it sends (see [`Request::since`]), in that order.
    pub fn newer_than<T>(&self, request: &Request<T>) -> Vec<NewerThanFirmware> {
        request
            .since()
            .iter()
            .filter(|since| !self.is_at_least(since.release))
            .map(|since| NewerThanFirmware {
                resource: since.resource,
                property: since.property,
                since: since.release,
                firmware: self.release.clone(),
            })
            .collect()
    }
}

/// A resource or property a request uses that a later release than the
/// appliance's introduced: the appliance may refuse the request or ignore
/// the property.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewerThanFirmware {
    /// Wire name of the resource.
    pub resource: &'static str,
    /// Wire name of the property; `None` when the resource itself is newer.
    pub property: Option<&'static str>,
    /// The release that introduced it.
    pub since: &'static str,
    /// The release the appliance runs.
    pub firmware: String,
}

impl std::fmt::Display for NewerThanFirmware {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.property {
            Some(property) => write!(f, "property {}.{property} is since {}; the appliance runs {}", self.resource, self.since, self.firmware),
            None => write!(f, "resource {} is since {}; the appliance runs {}", self.resource, self.since, self.firmware),
        }
    }
}

fn numbers(text: &str) -> Vec<u32> {
    text.split(['.', '-']).map_while(|part| part.parse().ok()).collect()
}

impl Client {
    /// The release the appliance runs (`GET /nitro/v1/config/nsversion`).
    ///
    /// The client keeps it ([`Client::known_firmware`]): from then on
    /// [`Client::send`] warns (feature `tracing`) of each resource or
    /// property of a request that is newer than it, and
    /// [`Client::newer_than_firmware`] lists them. Call it again after
    /// an upgrade.
    pub async fn firmware(&self) -> Result<Firmware> {
        let answer = self.send(Request::raw(Method::Get, "/nitro/v1/config/nsversion")).await?;
        let version = match answer.get("nsversion") {
            Some(Value::Array(items)) => items.first().and_then(|item| item.get("version")),
            Some(item) => item.get("version"),
            None => None,
        };
        let text = version.and_then(Value::as_str).unwrap_or_default();
        let firmware = Firmware::parse(text).ok_or_else(|| Error::Decode {
            resource: "nsversion".into(),
            status: 200,
            message: format!("cannot read a release and build out of the version {text:?}"),
        })?;
        self.remember_firmware(firmware.clone());
        Ok(firmware)
    }

    /// What `request` uses that is newer than the appliance's release
    /// ([`Firmware::newer_than`] of [`Client::known_firmware`]); `None`
    /// while the release is not known ([`Client::firmware`] not called).
    ///
    /// ```no_run
    /// # #[cfg(feature = "lb")]
    /// # async fn run(client: &netscaler::Client, vserver: &netscaler::adc::lb::Lbvserver) -> netscaler::Result<()> {
    /// client.firmware().await?;
    /// let request = vserver.add();
    /// for newer in client.newer_than_firmware(&request).unwrap_or_default() {
    ///     eprintln!("{newer}"); // property lbvserver.<name> is since 14.1; the appliance runs 13.1
    /// }
    /// client.send(request).await?;
    /// # Ok(()) }
    /// ```
    pub fn newer_than_firmware<T>(&self, request: &Request<T>) -> Option<Vec<NewerThanFirmware>> {
        self.known_firmware().map(|firmware| firmware.newer_than(request))
    }
}

// --- Files ------------------------------------------------------------------------

/// Longest `filename` the appliance takes (`systemfile`).
pub const MAX_FILE_NAME: usize = 63;
/// Longest `filelocation` the appliance takes (`systemfile`).
pub const MAX_FILE_LOCATION: usize = 127;

/// Refuses a location or name the appliance would read as another file.
fn check_file(location: &str, name: &str) -> Result<()> {
    let refuse = |why: String| Err(Error::InvalidRequest(format!("systemfile {location:?}/{name:?}: {why}")));
    if name.is_empty() || name.len() > MAX_FILE_NAME || name.contains('/') || name == "." || name == ".." {
        return refuse(format!("the file name must be 1 to {MAX_FILE_NAME} bytes without `/`, not `.` or `..`"));
    }
    if !location.starts_with('/') || location.len() > MAX_FILE_LOCATION || location.split('/').any(|part| part == "." || part == "..") {
        return refuse(format!("the location must be an absolute directory (such as /nsconfig/ssl) of at most {MAX_FILE_LOCATION} bytes without `.` or `..`"));
    }
    if location.chars().chain(name.chars()).any(char::is_control) {
        return refuse("control characters are not allowed".into());
    }
    Ok(())
}

impl Client {
    /// Uploads `bytes` as file `name` in directory `location` (such as
    /// `/nsconfig/ssl`): `POST /nitro/v1/config/systemfile` with the
    /// content base64-encoded (`fileencoding: BASE64`). The appliance
    /// refuses a file that exists: [`Client::delete_file`] it first to
    /// replace it. The answer size limits do not bound uploads; the
    /// appliance's own request limit does.
    pub async fn upload_file(&self, location: &str, name: &str, bytes: &[u8]) -> Result<Outcome> {
        check_file(location, name)?;
        let body = json!({"systemfile": {
            "filename": name,
            "filelocation": location,
            "filecontent": base64_encode(bytes),
            "fileencoding": "BASE64",
        }});
        self.send(Request::<Outcome>::from_parts(Parts {
            method: Method::Post,
            path: "/nitro/v1/config/systemfile".into(),
            body: Some(serde_json::to_vec(&body).map_err(|error| Error::InvalidRequest(error.to_string()))?),
            resource: "systemfile",
            ..Parts::default()
        }))
        .await
    }

    /// Downloads file `name` of directory `location`: `GET
    /// /nitro/v1/config/systemfile?args=filename:<name>,filelocation:<location>`
    /// (each value percent-encoded), the base64 `filecontent` decoded.
    /// Bounded by [`crate::ClientBuilder::max_response_bytes`].
    pub async fn download_file(&self, location: &str, name: &str) -> Result<Vec<u8>> {
        check_file(location, name)?;
        let request = Request::raw(Method::Get, "/nitro/v1/config/systemfile").arg("filename", name).arg("filelocation", location);
        let answer = self.send(request).await?;
        let decode_error = |message: String| Error::Decode { resource: "systemfile".into(), status: 200, message };
        let file = match answer.get("systemfile") {
            Some(Value::Array(items)) => items.first(),
            other => other,
        }
        .ok_or_else(|| decode_error(format!("the answer holds no file {name:?}")))?;
        if let Some(encoding) = file.get("fileencoding").and_then(Value::as_str) {
            if !encoding.eq_ignore_ascii_case("BASE64") {
                return Err(decode_error(format!("file encoding {encoding:?}, expected BASE64")));
            }
        }
        let content = file.get("filecontent").and_then(Value::as_str).ok_or_else(|| decode_error("the file has no filecontent".into()))?;
        base64_decode(content).map_err(decode_error)
    }

    /// Deletes file `name` of directory `location`: `DELETE
    /// /nitro/v1/config/systemfile/<name>?args=filelocation:<location>`.
    pub async fn delete_file(&self, location: &str, name: &str) -> Result<Outcome> {
        check_file(location, name)?;
        let segment = encode_path_key(name).map_err(Error::InvalidRequest)?;
        let parts = Parts {
            method: Method::Delete,
            path: format!("/nitro/v1/config/systemfile/{segment}"),
            resource: "systemfile",
            ..Parts::default()
        };
        self.send(Request::<Outcome>::from_parts(parts).arg("filelocation", location)).await
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let triple = chunk.iter().enumerate().fold(0u32, |acc, (index, byte)| acc | (u32::from(*byte) << (16 - 8 * index)));
        for position in 0..4 {
            if position <= chunk.len() {
                text.push(char::from(BASE64[(triple >> (18 - 6 * position)) as usize & 63]));
            } else {
                text.push('=');
            }
        }
    }
    text
}

/// Standard base64, padding optional, ASCII whitespace (line breaks)
/// ignored; anything else is an error naming its offset.
pub fn base64_decode(text: &str) -> std::result::Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
    let (mut buffer, mut bits) = (0u32, 0u32);
    let mut padding = false;
    for (offset, character) in text.bytes().enumerate() {
        let value = match character {
            b'A'..=b'Z' => character - b'A',
            b'a'..=b'z' => character - b'a' + 26,
            b'0'..=b'9' => character - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding = true;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return Err(format!("filecontent is not base64 (byte {character:#04x} at offset {offset})")),
        };
        if padding {
            return Err(format!("filecontent is not base64 (data after padding at offset {offset})"));
        }
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return Err("filecontent is not base64 (truncated)".into());
    }
    Ok(bytes)
}

// --- Statistics polling -------------------------------------------------------

impl Client {
    /// Sends `request` every `interval` for an exporter: `next().await`
    /// answers the first result at once and each later one an interval
    /// after the previous request started (after it ended, when it took
    /// longer: requests never overlap and never bunch up). One request is
    /// in flight at most; nothing is read ahead. An error is returned like
    /// a result and the polling goes on.
    ///
    /// For reads only (`GET`): a write request, or a zero interval, makes
    /// each `next()` answer [`Error::InvalidRequest`].
    ///
    /// ```no_run
    /// # #[cfg(feature = "lb")]
    /// # async fn run(client: &netscaler::Client) {
    /// use netscaler::adc::lb::LbvserverStats;
    /// let mut stats = client.poll(LbvserverStats::get_all(), std::time::Duration::from_secs(15));
    /// loop {
    ///     match stats.next().await {
    ///         Ok(vservers) => println!("{} virtual servers", vservers.len()),
    ///         Err(error) => eprintln!("poll failed: {error}"),
    ///     }
    /// }
    /// # }
    /// ```
    pub fn poll<T: FromNitro>(&self, request: Request<T>, interval: Duration) -> Poll<T> {
        let problem = if request.method() != Method::Get {
            Some(format!("poll sends reads only, not {} {}", request.method().as_str(), request.path()))
        } else if interval.is_zero() {
            Some("poll needs an interval above zero".to_string())
        } else {
            None
        };
        Poll { client: self.clone(), request, interval, next_at: None, problem, polls: 0 }
    }
}

/// The results of [`Client::poll`], one per `next().await`.
pub struct Poll<T> {
    client: Client,
    request: Request<T>,
    interval: Duration,
    next_at: Option<tokio::time::Instant>,
    problem: Option<String>,
    polls: u64,
}

impl<T: FromNitro> Poll<T> {
    /// Waits for the next time and sends the request.
    pub async fn next(&mut self) -> Result<T> {
        if let Some(problem) = &self.problem {
            return Err(Error::InvalidRequest(problem.clone()));
        }
        if let Some(at) = self.next_at {
            tokio::time::sleep_until(at).await;
        }
        let started = tokio::time::Instant::now();
        self.next_at = Some(started + self.interval);
        self.polls += 1;
        self.client.send(self.request.clone()).await
    }

    /// Requests sent so far.
    pub fn polls(&self) -> u64 {
        self.polls
    }
}

// --- Statistics with the bound entities' rows ----------------------------------------

/// One stat record with the stat records of what is bound to it, as
/// `statbindings=yes` answers (`GET /nitro/v1/stat/lbvserver/vs1?statbindings=yes`
/// nests a `service` array of service stat records in the virtual
/// server's record). Ask for it with [`Request::with_bindings`].
#[derive(Clone, Debug, PartialEq)]
pub struct WithBindings<P, B> {
    /// The record itself, without the nested rows.
    pub stats: P,
    /// The nested records under `B`'s wire name (`B::NAME`), in the
    /// answer's order; empty when the answer holds none.
    pub bound: Vec<B>,
}

impl<P: Resource> Request<Vec<P>> {
    /// This stat read with `statbindings=yes`: each record comes with the
    /// stat records of the bound entities of kind `B` (such as
    /// `ServiceStats` under `LbvserverStats`), typed. Other nested arrays
    /// stay in the record's unknown fields. Works with [`Client::poll`].
    ///
    /// Both `P` and `B` must be stat resources; otherwise `send` refuses
    /// the request with [`Error::InvalidRequest`].
    ///
    /// ```no_run
    /// # #[cfg(all(feature = "lb", feature = "basic"))]
    /// # async fn run(client: &netscaler::Client) -> netscaler::Result<()> {
    /// use netscaler::adc::{basic::ServiceStats, lb::LbvserverStats};
    /// for vserver in client.send(LbvserverStats::get("vs-web").with_bindings::<ServiceStats>()).await? {
    ///     for service in &vserver.bound {
    ///         println!("{:?}: {:?} requests", service.name, service.totalrequests);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn with_bindings<B: Resource>(self) -> Request<Vec<WithBindings<P, B>>> {
        let mut request = self.option("statbindings", "yes");
        if P::KIND != ResourceKind::Stat || B::KIND != ResourceKind::Stat {
            request.parts.problem.get_or_insert_with(|| format!("statbindings: {} and {} must both be stat resources", P::NAME, B::NAME));
        }
        Request::from_parts(request.parts)
    }
}

impl<P: Resource, B: Resource> FromNitro for Vec<WithBindings<P, B>> {
    fn from_nitro(answer: &crate::runtime::answer::Answer) -> Result<Self> {
        let decode_error = |message: String| Error::Decode { resource: P::NAME.into(), status: answer.status(), message };
        // The resource's key, found as for plain reads (case aside).
        let records = match answer.payload()? {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(records)) => records,
            Some(record) => vec![record],
        };
        let mut decoded = Vec::with_capacity(records.len());
        for (position, record) in records.into_iter().enumerate() {
            let Value::Object(mut record) = record else {
                return Err(decode_error(format!("record {position} is not an object")));
            };
            let nested = record.keys().find(|key| key.eq_ignore_ascii_case(B::NAME)).cloned();
            let bound = match nested.and_then(|key| record.remove(&key)) {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(rows)) => rows,
                Some(row) => vec![row],
            };
            let bound = bound
                .into_iter()
                .enumerate()
                .map(|(index, row)| serde_json::from_value::<B>(row).map_err(|error| decode_error(format!("record {position}, {} row {index}: {error}", B::NAME))))
                .collect::<Result<Vec<B>>>()?;
            let stats = serde_json::from_value::<P>(Value::Object(record)).map_err(|error| decode_error(format!("record {position}: {error}")))?;
            decoded.push(WithBindings { stats, bound });
        }
        Ok(decoded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firmware_versions_parse() {
        let firmware = Firmware::parse("NetScaler NS14.1: Build 60.54.nc, Date: Oct  1 2025, 10:00:00   (64-bit)").unwrap();
        assert_eq!((firmware.release.as_str(), firmware.build.as_str()), ("14.1", "60.54"));
        assert!(firmware.is_at_least("13.1") && firmware.is_at_least("14.1") && !firmware.is_at_least("14.2"));
        let old = Firmware::parse("NetScaler NS12.0: Build 53.13.nc, Date: Jun 1 2017").unwrap();
        assert_eq!((old.release.as_str(), old.build.as_str()), ("12.0", "53.13"));
        assert!(!old.is_at_least("12.1") && old.is_at_least("11.1"));
        assert!(Firmware::parse("no version here").is_none());
        assert!(Firmware::parse("NetScaler NSX: Build 1").is_none());
    }

    #[test]
    fn base64_round_trips_and_refuses_garbage() {
        for bytes in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", &[0, 255, 128, 7, 1]] {
            assert_eq!(base64_decode(&base64_encode(bytes)).unwrap(), bytes);
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_decode("Zm9v\nYmFy\n").unwrap(), b"foobar");
        assert!(base64_decode("Zm9v*").is_err());
        assert!(base64_decode("Zm8=Zm8=").is_err());
        assert!(base64_decode("Z").is_err());
    }

    #[test]
    fn values_compare_as_nitro_does() {
        assert!(same(&json!("ROUNDROBIN"), &json!("roundrobin")));
        assert!(same(&json!(80), &json!("80")) && same(&json!("80"), &json!(80)));
        assert!(!same(&json!(80), &json!(81)) && !same(&json!("a"), &json!("b")));
        assert!(same(&json!(["A", 1]), &json!(["a", "1"])) && !same(&json!(["a"]), &json!(["a", "b"])));
        assert!(same(&json!(true), &json!(true)) && !same(&json!(true), &json!(false)));
    }

    #[test]
    fn binding_identities_compare_names_exactly_enumerations_without_case_numbers_by_value() {
        let id = |text: &str, enumerated: bool| IdValue { text: text.into(), enumerated };
        assert!(id("web-1", false).matches(&id("web-1", false)));
        assert!(!id("web-1", false).matches(&id("WEB-1", false)));
        assert!(id("REQUEST", true).matches(&id("request", false)));
        assert!(id("100", false).matches(&id("100.0", false)) && !id("100", false).matches(&id("101", false)));
    }

    #[test]
    fn file_names_that_leave_the_directory_are_refused() {
        assert!(check_file("/nsconfig/ssl", "cert.pem").is_ok());
        for (location, name) in [("/nsconfig/ssl", "../x"), ("/nsconfig/ssl", ".."), ("nsconfig", "x"), ("/nsconfig/../etc", "x"), ("/a", ""), ("/a", "a\nb")] {
            assert!(check_file(location, name).is_err(), "{location} {name}");
        }
    }

    #[test]
    fn upsert_is_only_for_config_adds() {
        let raw = Request::<Outcome>::from_parts(Parts { method: Method::Put, path: "/nitro/v1/config/x".into(), resource: "x", body: Some(b"{}".to_vec()), ..Parts::default() });
        assert!(raw.upsert().problem().unwrap().contains("upsert applies"));
        let add = Request::<Outcome>::from_parts(Parts { method: Method::Post, path: "/nitro/v1/config/x".into(), resource: "x", body: Some(b"{}".to_vec()), ..Parts::default() });
        let add = add.upsert();
        assert_eq!(add.problem(), None);
        assert_eq!(add.query_string(), "idempotent=yes");
    }
}
