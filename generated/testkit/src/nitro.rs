//! The simulated appliance: sessions, the objects and binding rows it
//! holds, and the answer to each request, held to [`Rules`].

use super::codes::{self, refuse, Refusal};
use super::rules::{text, Kind, ResourceRule, Rules};
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The most objects and binding rows the kit holds by default, all
/// resources together; an add past it answers `NSERR_MAXLIMIT`.
pub const MAX_OBJECTS: usize = 100_000;

/// What the kit holds.
#[derive(Default)]
pub(crate) struct Store {
    /// Resource -> objects (config) or rows (binding), in the order added.
    pub(crate) objects: BTreeMap<String, Vec<Map<String, Value>>>,
    /// Statistics resource -> rows, as seeded.
    pub(crate) stats: BTreeMap<String, Vec<Map<String, Value>>>,
}

impl Store {
    fn count(&self) -> usize {
        self.objects.values().map(Vec::len).sum()
    }
}

/// Sessions: token -> expired.
#[derive(Default)]
pub(crate) struct Sessions {
    pub(crate) tokens: BTreeMap<String, bool>,
    next: u64,
}

/// One request, as the server read it.
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    /// Header names in lower case.
    pub(crate) headers: &'a [(String, String)],
    pub(crate) body: &'a [u8],
}

impl Incoming<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

/// An answer: status, JSON body (`None`: empty), headers to add.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Option<Value>,
    pub(crate) set_cookie: Option<String>,
    pub(crate) warning: Option<String>,
}

impl Reply {
    fn new(status: u16, body: Value) -> Reply {
        Reply { status, body: Some(body), set_cookie: None, warning: None }
    }
}

impl From<Refusal> for Reply {
    fn from(refusal: Refusal) -> Reply {
        Reply::new(refusal.status, envelope(&refusal))
    }
}

fn envelope(refusal: &Refusal) -> Value {
    json!({"errorcode": refusal.errorcode, "message": refusal.message, "severity": "ERROR"})
}

fn done(status: u16) -> Reply {
    Reply::new(status, json!({"errorcode": 0, "message": "Done", "severity": "NONE"}))
}

/// Faults that change how writes answer (see `Fault`).
#[derive(Default)]
pub(crate) struct WriteFaults {
    /// The next successful write answers 209 with this warning.
    pub(crate) warning: Option<String>,
    /// In the next bulk write, these items fail with this code.
    pub(crate) bulk_items: Option<(Vec<usize>, i64)>,
}

/// Everything one answer may read or change.
pub(crate) struct Appliance<'a> {
    pub(crate) rules: &'a Rules,
    /// [`super::Limits::max_objects`].
    pub(crate) max_objects: usize,
    pub(crate) store: &'a mut Store,
    pub(crate) sessions: &'a mut Sessions,
    pub(crate) faults: &'a mut WriteFaults,
    pub(crate) user: &'a str,
    pub(crate) password: &'a str,
}

/// Query options, read as the appliance reads them: pairs split on `&`
/// and `=`, `args`/`filter` values on `,` and `:`, each part
/// percent-decoded.
#[derive(Default)]
struct Query {
    action: Option<String>,
    count: bool,
    args: Vec<(String, String)>,
    filter: Vec<(String, String)>,
    attrs: Vec<String>,
    page_size: Option<usize>,
    page_number: Option<usize>,
    idempotent: bool,
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

fn parse_query(raw: &str) -> Query {
    let mut query = Query::default();
    for pair in raw.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let pairs = || -> Vec<(String, String)> {
            value.split(',').filter_map(|item| item.split_once(':')).map(|(name, value)| (decode(name), decode(value))).collect()
        };
        match name {
            "action" => query.action = Some(decode(value)),
            "count" => query.count = value == "yes",
            "args" => query.args.extend(pairs()),
            "filter" => query.filter.extend(pairs()),
            "attrs" => query.attrs.extend(value.split(',').map(decode)),
            "pagesize" => query.page_size = value.parse().ok(),
            "pageno" => query.page_number = value.parse().ok(),
            "idempotent" => query.idempotent = value.eq_ignore_ascii_case("yes"),
            _ => {}
        }
    }
    query
}

/// A path segment as the appliance reads it: percent-decoded twice (its
/// web server, then NITRO; see docs/name-encoding.md).
pub(crate) fn decode_segment(segment: &str) -> String {
    decode(&decode(segment))
}

impl Appliance<'_> {
    /// The answer to one request.
    pub(crate) fn answer(&mut self, request: &Incoming) -> Reply {
        let segments: Vec<String> = request.path.split('/').filter(|s| !s.is_empty()).map(decode_segment).collect();
        let (family, resource, key) = match segments.as_slice() {
            [nitro, v1, family, resource] if nitro == "nitro" && v1 == "v1" => (family.as_str(), resource.as_str(), None),
            [nitro, v1, family, resource, key] if nitro == "nitro" && v1 == "v1" => (family.as_str(), resource.as_str(), Some(key.as_str())),
            _ => return codes::not_found(request.path).into(),
        };
        let body = if request.body.is_empty() {
            None
        } else {
            match serde_json::from_slice::<Value>(request.body) {
                Ok(body) => Some(body),
                Err(error) => return codes::invalid_json(&error.to_string()).into(),
            }
        };
        if family == "config" && resource == "login" && request.method == "POST" {
            return self.login(body.as_ref());
        }
        if let Err(refusal) = self.authenticate(request) {
            return refusal.into();
        }
        if family == "config" && resource == "logout" && request.method == "POST" {
            if let Some(token) = session_cookie(request) {
                self.sessions.tokens.remove(&token);
            }
            return done(200);
        }
        let query = parse_query(request.query);
        let result = match (family, request.method) {
            ("stat", "GET") => self.stat(resource, key),
            ("config", method) => match self.rules.resources.get(resource).filter(|rule| rule.kind != Kind::Stat) {
                None => Err(codes::invalid_object(resource)),
                Some(rule) => match method {
                    "GET" => self.get(rule, key, &query),
                    "DELETE" => self.delete(rule, key, &query.args).map(|()| done(200)),
                    "POST" | "PUT" => match check_content_type(request, &body) {
                        Ok(()) => self.write(rule, request, &query, body),
                        Err(refusal) => Err(refusal),
                    },
                    other => Err(codes::invalid_action(other)),
                },
            },
            _ => Err(codes::not_found(request.path)),
        };
        result.unwrap_or_else(Reply::from)
    }

    fn login(&mut self, body: Option<&Value>) -> Reply {
        let login = body.and_then(|body| body.get("login"));
        let field = |name: &str| login.and_then(|login| login.get(name)).and_then(Value::as_str);
        if field("username") != Some(self.user) || field("password") != Some(self.password) {
            return refuse(401, codes::NSERR_NOUSER, "Invalid username or password").into();
        }
        self.sessions.next += 1;
        let token = format!("##{:032X}", 0x7E57_0000_u64 + self.sessions.next);
        self.sessions.tokens.insert(token.clone(), false);
        let mut reply = Reply::new(201, json!({"errorcode": 0, "message": "Done", "severity": "NONE", "sessionid": token}));
        reply.set_cookie = Some(format!("NITRO_AUTH_TOKEN={token}; Path=/nitro/v1; HttpOnly"));
        reply
    }

    fn authenticate(&self, request: &Incoming) -> Result<(), Refusal> {
        if let (Some(user), Some(password)) = (request.header("x-nitro-user"), request.header("x-nitro-pass")) {
            return if user == self.user && password == self.password {
                Ok(())
            } else {
                Err(refuse(401, codes::NSERR_NOUSER, "Invalid username or password"))
            };
        }
        match session_cookie(request).map(|token| self.sessions.tokens.get(&token).copied()) {
            Some(Some(false)) => Ok(()),
            Some(_) => Err(refuse(401, codes::NSERR_SESSION_EXPIRED, "Session expired or killed. Please login again")),
            None => Err(refuse(401, codes::NSERR_LOGINREQD, "Not logged in")),
        }
    }

    fn stat(&self, resource: &str, key: Option<&str>) -> Result<Reply, Refusal> {
        let Some(rule) = self.rules.resources.get(&format!("stat/{resource}")) else {
            return Err(codes::invalid_object(resource));
        };
        let rows = self.store.stats.get(resource).map(Vec::as_slice).unwrap_or_default();
        let primary = rule.keys.first().map(String::as_str).unwrap_or("name");
        let rows: Vec<Value> = rows
            .iter()
            .filter(|row| key.map_or(true, |key| row.get(primary).map(text).as_deref() == Some(key)))
            .cloned()
            .map(Value::Object)
            .collect();
        if key.is_some() && rows.is_empty() {
            return Err(codes::not_found(resource));
        }
        Ok(listing(resource, rows))
    }

    // --- Reads ---------------------------------------------------------------

    fn get(&self, rule: &ResourceRule, key: Option<&str>, query: &Query) -> Result<Reply, Refusal> {
        if !rule.members.is_empty() {
            return self.aggregate(rule, key);
        }
        let operation = match (query.count, key) {
            (true, _) => "count",
            (false, Some(_)) => "get",
            (false, None) => "get_all",
        };
        if !["get", "get_all", "count"].iter().any(|name| rule.operations.contains_key(*name)) {
            return Err(codes::invalid_action(&format!("get of {}", rule.name)));
        }
        self.rules.check_args(rule, operation, &query.args)?;
        let all = self.store.objects.get(&rule.name).map(Vec::as_slice).unwrap_or_default();
        let primary = rule.keys.first();
        let mut items: Vec<Map<String, Value>> = all
            .iter()
            .filter(|object| match (key, primary) {
                (Some(key), Some(primary)) => object.get(primary).map(text).as_deref() == Some(key),
                _ => true,
            })
            .filter(|object| matches_all(object, &query.args) && matches_all(object, &query.filter))
            .cloned()
            .collect();
        // A key in the path, or a key property in `args` (`systemfile`
        // names its file so), names an object: none is an error, as on the
        // appliance; a filter that matches nothing is an empty list.
        let names_one = key.is_some() || query.args.iter().any(|(name, _)| rule.keys.contains(name));
        if names_one && items.is_empty() && rule.kind == Kind::Config {
            return Err(codes::not_found(&rule.name));
        }
        if query.count {
            return Ok(listing(&rule.name, vec![json!({"__count": items.len()})]));
        }
        if let Some(size) = query.page_size.filter(|size| *size > 0) {
            let page = query.page_number.unwrap_or(1).max(1);
            items = items.into_iter().skip((page - 1).saturating_mul(size)).take(size).collect();
        }
        if !query.attrs.is_empty() {
            for item in &mut items {
                item.retain(|name, _| query.attrs.contains(name) || rule.keys.contains(name));
            }
        }
        // A resource without keys is one object, answered as an object
        // (not a list), as the appliance answers it.
        if rule.kind == Kind::Config && rule.keys.is_empty() {
            let object = items.into_iter().next().unwrap_or_default();
            return Ok(Reply::new(200, json!({"errorcode": 0, "message": "Done", "severity": "NONE", rule.name.as_str(): object})));
        }
        Ok(listing(&rule.name, items.into_iter().map(Value::Object).collect()))
    }

    /// `<parent>_binding/<key>`: every binding row of one object, by kind.
    fn aggregate(&self, rule: &ResourceRule, key: Option<&str>) -> Result<Reply, Refusal> {
        let parent_key = rule.keys.first().map(String::as_str).unwrap_or("name");
        let Some(key) = key else {
            return Err(codes::missing_argument(parent_key));
        };
        if let Some(parent) = rule.parent.as_deref() {
            if !self.parent_exists(parent, key) {
                return Err(codes::not_found(parent));
            }
        }
        let mut aggregate = Map::new();
        aggregate.insert(parent_key.to_string(), json!(key));
        for member in &rule.members {
            let Some(member_rule) = self.rules.resources.get(member) else { continue };
            let Some(member_key) = member_rule.keys.first() else { continue };
            let rows: Vec<Value> = self
                .store
                .objects
                .get(member)
                .into_iter()
                .flatten()
                .filter(|row| row.get(member_key).map(text).as_deref() == Some(key))
                .cloned()
                .map(Value::Object)
                .collect();
            if !rows.is_empty() {
                aggregate.insert(member.clone(), Value::Array(rows));
            }
        }
        Ok(listing(&rule.name, vec![Value::Object(aggregate)]))
    }

    /// Whether the object a binding names exists; a parent the reference
    /// gives no `add` (an object the appliance makes by itself, such as
    /// `sslvserver`) always does.
    fn parent_exists(&self, parent: &str, key: &str) -> bool {
        let Some(parent_rule) = self.rules.resources.get(parent) else { return true };
        if !parent_rule.operations.contains_key("add") {
            return true;
        }
        let Some(primary) = parent_rule.keys.first() else { return true };
        self.store.objects.get(parent).into_iter().flatten().any(|object| object.get(primary).map(text).as_deref() == Some(key))
    }

    // --- Writes --------------------------------------------------------------

    fn write(&mut self, rule: &ResourceRule, request: &Incoming, query: &Query, body: Option<Value>) -> Result<Reply, Refusal> {
        let Some(payload) = body.as_ref().and_then(|body| body.get(&rule.name)) else {
            return Err(codes::invalid_json(&format!("no `{}` object in the body", rule.name)));
        };
        let operation = operation_of(rule, request.method, query.action.as_deref())?;
        let bulk = payload.is_array();
        let items: Vec<&Value> = match payload {
            Value::Array(items) => items.iter().collect(),
            single => vec![single],
        };
        // The bulk error mode, from the header the reference defines
        // (`exit` when absent).
        let onerror = request.header("x-nitro-onerror").unwrap_or("exit").to_ascii_lowercase();
        let snapshot = (bulk && onerror == "rollback").then(|| self.store.objects.clone());
        let failing = if bulk { self.faults.bulk_items.take() } else { None };
        let mut results: Vec<Result<(), Refusal>> = Vec::new();
        for (position, item) in items.into_iter().enumerate() {
            let result = match (&failing, item.as_object()) {
                (Some((positions, code)), _) if positions.contains(&position) => {
                    Err(refuse(400, *code, format!("Failed by the test kit (item {position})")))
                }
                (_, None) => Err(refuse(400, codes::NSERR_NITRO_INVALID_JSON_DATATYPE, "Invalid JSON data type [an item is not an object]")),
                (_, Some(object)) => self.apply(rule, &operation, object, query.idempotent),
            };
            let failed = result.is_err();
            results.push(result);
            if failed && bulk && onerror != "continue" {
                break;
            }
        }
        let success = if operation == "add" { 201 } else { 200 };
        if !bulk || results.iter().all(Result::is_ok) {
            if let Some(Err(refusal)) = results.pop() {
                return Err(refusal);
            }
            if let Some(warning) = self.faults.warning.take() {
                let mut reply = done(209);
                reply.body = Some(json!({"errorcode": 0, "message": "Done", "severity": "WARNING"}));
                reply.warning = Some(warning);
                return Ok(reply);
            }
            return Ok(done(success));
        }
        if let Some(objects) = snapshot {
            self.store.objects = objects;
        }
        let response: Vec<Value> = results
            .iter()
            .map(|result| match result {
                Ok(()) => json!({"errorcode": 0, "message": "Done", "severity": "NONE"}),
                Err(refusal) => envelope(refusal),
            })
            .collect();
        Ok(Reply::new(
            207,
            json!({"errorcode": codes::NSERR_NITRO_BULK_FAILED, "message": "Bulk operation failed", "severity": "ERROR", "response": response}),
        ))
    }

    fn apply(&mut self, rule: &ResourceRule, operation: &str, object: &Map<String, Value>, idempotent: bool) -> Result<(), Refusal> {
        match operation {
            "add" => self.add(rule, object, idempotent),
            "update" => {
                self.rules.check_payload(rule, "update", object)?;
                let index = self.find(rule, object)?;
                merge(&mut self.rows(rule)[index], object);
                Ok(())
            }
            "unset" => {
                self.rules.check_payload(rule, "unset", object)?;
                let index = self.find(rule, object)?;
                let stored = &mut self.rows(rule)[index];
                for (name, value) in object {
                    if *value == Value::Bool(true) && !rule.keys.contains(name) {
                        stored.remove(name);
                    }
                }
                Ok(())
            }
            "rm" => {
                let primary = rule.keys.first().ok_or_else(|| codes::invalid_action("rm"))?;
                let key = object.get(primary).map(text).ok_or_else(|| codes::missing_argument(primary))?;
                let args: Vec<(String, String)> =
                    object.iter().filter(|(name, _)| *name != primary).map(|(name, value)| (name.clone(), text(value))).collect();
                self.delete(rule, Some(&key), &args)
            }
            "unbind" => {
                let primary = rule.keys.first().ok_or_else(|| codes::invalid_action("unbind"))?;
                let key = object.get(primary).map(text).ok_or_else(|| codes::missing_argument(primary))?;
                let args: Vec<(String, String)> =
                    object.iter().filter(|(name, _)| *name != primary).map(|(name, value)| (name.clone(), text(value))).collect();
                self.delete(rule, Some(&key), &args)
            }
            action => {
                self.rules.check_payload(rule, action, object)?;
                let verb = action.trim_start_matches("action:");
                let names_one = rule.keys.first().is_some_and(|primary| object.contains_key(primary));
                if !names_one {
                    return Ok(());
                }
                let index = self.find(rule, object)?;
                match verb {
                    "enable" | "disable" => {
                        let state = if verb == "enable" { "ENABLED" } else { "DISABLED" };
                        self.rows(rule)[index].insert("state".into(), json!(state));
                    }
                    "rename" => self.rename(rule, index, object)?,
                    _ => {}
                }
                Ok(())
            }
        }
    }

    fn add(&mut self, rule: &ResourceRule, object: &Map<String, Value>, idempotent: bool) -> Result<(), Refusal> {
        self.rules.check_payload(rule, "add", object)?;
        if let (Some(primary), Kind::Config) = (rule.keys.first(), rule.kind) {
            if object.get(primary).map_or(true, |value| text(value).is_empty()) {
                return Err(codes::missing_argument(primary));
            }
        }
        if rule.kind == Kind::Binding {
            if let (Some(parent), Some(parent_key)) = (rule.parent.as_deref(), rule.keys.first()) {
                let key = object.get(parent_key).map(text).ok_or_else(|| codes::missing_argument(parent_key))?;
                if !self.parent_exists(parent, &key) {
                    return Err(codes::not_found(parent));
                }
            }
        }
        let identity = self.identity(rule);
        let existing = self.rows(rule).iter().position(|row| same(row, object, &identity));
        match existing {
            // A resource without keys is one object: add sets it.
            Some(index) if idempotent || identity.is_empty() => {
                merge(&mut self.rows(rule)[index], object);
                Ok(())
            }
            Some(_) => Err(codes::exists(&rule.name)),
            None => {
                if self.store.count() >= self.max_objects {
                    let limit = self.max_objects;
                    return Err(refuse(409, codes::NSERR_MAXLIMIT, format!("Maximum resource limit reached [the test kit holds at most {limit} objects: Limits::max_objects]")));
                }
                let stored: Map<String, Value> = object.iter().filter(|(_, value)| !value.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect();
                self.rows(rule).push(stored);
                Ok(())
            }
        }
    }

    fn rename(&mut self, rule: &ResourceRule, index: usize, object: &Map<String, Value>) -> Result<(), Refusal> {
        let Some(primary) = rule.keys.first() else { return Ok(()) };
        let new_name = object.get("newname").map(text).ok_or_else(|| codes::missing_argument("newname"))?;
        if self.rows(rule).iter().any(|row| row.get(primary).map(text).as_deref() == Some(new_name.as_str())) {
            return Err(codes::exists(&rule.name));
        }
        let old_name = self.rows(rule)[index].insert(primary.clone(), json!(new_name)).map(|value| text(&value)).unwrap_or_default();
        // The object's binding rows follow it.
        for binding in self.rules.resources.values().filter(|binding| binding.parent.as_deref() == Some(rule.name.as_str())) {
            let Some(binding_key) = binding.keys.first() else { continue };
            for row in self.store.objects.get_mut(&binding.name).into_iter().flatten() {
                if row.get(binding_key).map(text).as_deref() == Some(old_name.as_str()) {
                    row.insert(binding_key.clone(), json!(new_name));
                }
            }
        }
        Ok(())
    }

    /// `DELETE`: a config object by its primary key (and `args` for other
    /// keys), with its binding rows; binding rows of one parent picked by
    /// `args`, never all of them when the reference lists arguments.
    fn delete(&mut self, rule: &ResourceRule, key: Option<&str>, args: &[(String, String)]) -> Result<(), Refusal> {
        self.rules.check_args(rule, "delete", args)?;
        if !rule.operations.contains_key("delete") {
            return Err(codes::invalid_action(&format!("delete of {}", rule.name)));
        }
        let primary = rule.keys.first().cloned();
        let key = match (key, &primary) {
            (Some(key), _) => Some(key.to_string()),
            (None, Some(primary)) => return Err(codes::missing_argument(primary)),
            (None, None) => None,
        };
        if rule.kind == Kind::Binding {
            let listed = rule.operations.get("delete").is_some_and(|operation| !operation.args.is_empty());
            if listed && args.is_empty() {
                let names: Vec<&str> = rule.operations["delete"].args.iter().map(|(name, _)| name.as_str()).collect();
                return Err(codes::missing_argument(&names.join(" | ")));
            }
        }
        let rows = self.rows(rule);
        let before = rows.len();
        rows.retain(|row| {
            let named = match (&key, &primary) {
                (Some(key), Some(primary)) => row.get(primary).map(text).as_deref() == Some(key.as_str()),
                _ => true,
            };
            !(named && matches_all(row, args))
        });
        if rows.len() == before {
            return Err(codes::not_found(&rule.name));
        }
        if let (Kind::Config, Some(key)) = (rule.kind, &key) {
            for binding in self.rules.resources.values().filter(|binding| binding.parent.as_deref() == Some(rule.name.as_str())) {
                let Some(binding_key) = binding.keys.first() else { continue };
                if let Some(rows) = self.store.objects.get_mut(&binding.name) {
                    rows.retain(|row| row.get(binding_key).map(text).as_deref() != Some(key.as_str()));
                }
            }
        }
        Ok(())
    }

    fn rows(&mut self, rule: &ResourceRule) -> &mut Vec<Map<String, Value>> {
        self.store.objects.entry(rule.name.clone()).or_default()
    }

    /// The properties that tell two objects (or binding rows) apart: the
    /// resource's keys, and for a binding also the arguments of its delete
    /// (the row's other end). Our choice: the reference gives no identity
    /// for binding rows.
    fn identity(&self, rule: &ResourceRule) -> Vec<String> {
        let mut names = rule.keys.clone();
        if rule.kind == Kind::Binding {
            if let Some(delete) = rule.operations.get("delete") {
                for (name, _) in &delete.args {
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
            }
        }
        names
    }

    /// The stored object `object` names by its keys (those it sends).
    fn find(&mut self, rule: &ResourceRule, object: &Map<String, Value>) -> Result<usize, Refusal> {
        let identity = self.identity(rule);
        if let Some(primary) = rule.keys.first() {
            if !object.contains_key(primary) {
                return Err(codes::missing_argument(primary));
            }
        }
        let sent: Vec<String> = identity.into_iter().filter(|name| object.contains_key(name)).collect();
        if sent.is_empty() {
            // One object without keys: made on first write.
            let rows = self.rows(rule);
            if rows.is_empty() {
                rows.push(Map::new());
            }
            return Ok(0);
        }
        self.rows(rule).iter().position(|row| same(row, object, &sent)).ok_or_else(|| codes::not_found(&rule.name))
    }

    // --- Seeding -------------------------------------------------------------

    /// Stores `object` as it is (no rule checked): replaces the object
    /// with the same keys, or adds it.
    pub(crate) fn seed(&mut self, rule: &ResourceRule, object: Map<String, Value>) {
        let identity = self.identity(rule);
        let rows = self.rows(rule);
        match rows.iter().position(|row| same(row, &object, &identity)) {
            Some(index) => rows[index] = object,
            None => rows.push(object),
        }
    }
}

/// Which operation of `rule` a write is: `?action=` names it (`rm` and
/// `unbind` are the bulk deletes the vendor's SDKs send); else the method
/// the reference gives `add` and `update`.
fn operation_of(rule: &ResourceRule, method: &str, action: Option<&str>) -> Result<String, Refusal> {
    let name = match action {
        Some("unset") => "unset".to_string(),
        Some("rm") if rule.kind == Kind::Config => "rm".to_string(),
        Some("unbind") if rule.kind == Kind::Binding => "unbind".to_string(),
        Some(verb) => {
            let wanted = format!("action:{verb}");
            rule.operations.keys().find(|name| name.eq_ignore_ascii_case(&wanted)).cloned().unwrap_or(wanted)
        }
        None => {
            let by_method = |name: &str| rule.operations.get(name).is_some_and(|operation| operation.method == method);
            if by_method("add") {
                "add".to_string()
            } else if by_method("update") {
                "update".to_string()
            } else {
                return Err(codes::invalid_action(&format!("{method} of {}", rule.name)));
            }
        }
    };
    let needs = if name == "rm" || name == "unbind" { "delete" } else { name.as_str() };
    if !rule.operations.contains_key(needs) {
        return Err(codes::invalid_action(&format!("{name} of {}", rule.name)));
    }
    Ok(name)
}

/// Whether `row` has each `(name, value)`.
fn matches_all(row: &Map<String, Value>, pairs: &[(String, String)]) -> bool {
    pairs.iter().all(|(name, value)| row.get(name).map(text).as_deref() == Some(value.as_str()))
}

/// Whether two objects agree on every `names` (absent equals absent).
fn same(row: &Map<String, Value>, object: &Map<String, Value>, names: &[String]) -> bool {
    names.iter().all(|name| row.get(name).map(text) == object.get(name).map(text))
}

fn merge(stored: &mut Map<String, Value>, object: &Map<String, Value>) {
    for (name, value) in object.iter().filter(|(_, value)| !value.is_null()) {
        stored.insert(name.clone(), value.clone());
    }
}

fn listing(resource: &str, items: Vec<Value>) -> Reply {
    let mut body = json!({"errorcode": 0, "message": "Done", "severity": "NONE"});
    if !items.is_empty() {
        body[resource] = Value::Array(items);
    }
    Reply::new(200, body)
}

fn session_cookie(request: &Incoming) -> Option<String> {
    let cookies = request.headers.iter().filter(|(name, _)| name == "cookie");
    for (_, header) in cookies {
        for pair in header.split(';') {
            if let Some(("NITRO_AUTH_TOKEN", value)) = pair.trim().split_once('=') {
                return Some(value.to_string());
            }
        }
    }
    None
}

/// A body on a write must say it is JSON.
fn check_content_type(request: &Incoming, body: &Option<Value>) -> Result<(), Refusal> {
    if body.is_none() {
        return Ok(());
    }
    let content_type = request.header("content-type").unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let json = essence == "application/json" || (essence.starts_with("application/vnd.com.citrix.netscaler.") && essence.ends_with("+json"));
    if json {
        Ok(())
    } else {
        Err(codes::invalid_json("the body must be sent as application/json"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{self, PropertyRule, ValueKind};
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

    /// A key as one path segment: percent-encoded twice, as the appliance
    /// decodes path segments twice (and the `netscaler` client encodes).
    fn encode_path_key(key: &str) -> String {
        encode_component(&encode_component(key))
    }

    /// A query value, percent-encoded once.
    fn encode_component(text: &str) -> String {
        utf8_percent_encode(text, NON_ALPHANUMERIC).to_string()
    }

    /// A value its property accepts: the first possible value, the
    /// shortest allowed text, the smallest allowed number.
    fn valid(property: Option<&PropertyRule>) -> Value {
        let Some(property) = property else { return json!("x") };
        let single = |kind: ValueKind| match kind {
            _ if property.values.is_some() => json!(property.values.as_ref().map(|v| v[0].clone())),
            ValueKind::Number | ValueKind::NumberList => json!(property.min_value.unwrap_or(1).min(property.max_value.unwrap_or(i64::MAX))),
            ValueKind::Boolean => json!(true),
            _ => json!("a".repeat(property.min_length.unwrap_or(1).max(1) as usize)),
        };
        match property.kind {
            ValueKind::TextList | ValueKind::NumberList => json!([single(property.kind)]),
            kind => single(kind),
        }
    }

    /// An object for the add of `rule`: the primary key, the other keys the
    /// add takes and its mandatory keys, each with a value it accepts.
    fn object_for(rule: &ResourceRule) -> Map<String, Value> {
        let mut object = Map::new();
        let Some(add) = rule.operations.get("add") else { return object };
        let keys = rule.keys.iter().enumerate().filter(|(at, key)| *at == 0 || add.takes(key)).map(|(_, key)| key);
        let mandatory = add.payload.iter().filter(|(_, mandatory)| *mandatory).map(|(name, _)| name);
        for name in keys.chain(mandatory) {
            let property = rule.properties.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, property)| property);
            if !object.keys().any(|sent| sent.eq_ignore_ascii_case(name)) {
                object.insert(name.clone(), valid(property));
            }
        }
        object
    }

    /// Every binding of the release with an `add` whose parent has one: a
    /// row with its mandatory keys is added to a parent made first, found
    /// by the parent's key and, by the delete's arguments, removed.
    #[test]
    fn every_binding_binds_lists_and_unbinds() {
        let rules = rules::rules().unwrap();
        let (mut store, mut sessions, mut faults) = (Store::default(), Sessions::default(), WriteFaults::default());
        let mut appliance = Appliance { rules, max_objects: MAX_OBJECTS, store: &mut store, sessions: &mut sessions, faults: &mut faults, user: "u", password: "p" };
        let headers = [("x-nitro-user".to_string(), "u".to_string()), ("x-nitro-pass".to_string(), "p".to_string()), ("content-type".to_string(), "application/json".to_string())];
        let (mut tried, mut failed) = (0, Vec::new());
        for rule in rules.resources.values().filter(|rule| rule.kind == Kind::Binding && rule.members.is_empty()) {
            let Some(parent) = rule.parent.as_deref().and_then(|parent| rules.resources.get(parent)) else { continue };
            let (Some(add), Some(parent_add), Some(parent_key), Some(key)) =
                (rule.operations.get("add"), parent.operations.get("add"), parent.keys.first(), rule.keys.first())
            else {
                continue;
            };
            if parent_add.method != "POST" || add.method != "PUT" {
                continue;
            }
            let parent_object = object_for(parent);
            let name = text(&parent_object[parent_key]);
            let body = serde_json::to_vec(&json!({ parent.name.as_str(): parent_object })).unwrap();
            let path = format!("/nitro/v1/config/{}", parent.name);
            let made = appliance.answer(&Incoming { method: "POST", path: &path, query: "", headers: &headers, body: &body });
            if made.status != 201 && made.status != 409 {
                failed.push(format!("parent {} of {}: {:?}", parent.name, rule.name, made.body));
                continue;
            }
            let mut row = object_for(rule);
            row.insert(key.clone(), json!(name));
            let body = serde_json::to_vec(&json!({ rule.name.as_str(): row })).unwrap();
            let path = format!("/nitro/v1/config/{}", rule.name);
            let bound = appliance.answer(&Incoming { method: "PUT", path: &path, query: "", headers: &headers, body: &body });
            if bound.status != 201 {
                failed.push(format!("{}: {:?}", rule.name, bound.body));
                continue;
            }
            let item = format!("{path}/{}", encode_path_key(&name));
            let listed = appliance.answer(&Incoming { method: "GET", path: &item, query: "", headers: &headers, body: &[] });
            assert!(!rule.operations.contains_key("get") || listed.body.as_ref().is_some_and(|body| body[rule.name.as_str()].as_array().is_some_and(|rows| rows.len() == 1)), "get of {}: {:?}", rule.name, listed.body);
            let args: Vec<String> = rule.operations.get("delete").map(|delete| delete.args.iter().filter_map(|(arg, _)| row.get(arg).map(|value| format!("{arg}:{}", encode_component(&text(value))))).collect()).unwrap_or_default();
            let query = if args.is_empty() { String::new() } else { format!("args={}", args.join(",")) };
            let listed_args = rule.operations.get("delete").is_some_and(|delete| !delete.args.is_empty());
            let unbound = appliance.answer(&Incoming { method: "DELETE", path: &item, query: &query, headers: &headers, body: &[] });
            if rule.operations.contains_key("delete") && !(listed_args && args.is_empty()) {
                assert_eq!(unbound.status, 200, "delete of {} ({query}): {:?}", rule.name, unbound.body);
            }
            tried += 1;
        }
        assert!(failed.is_empty(), "{} of {} bindings failed:\n{}", failed.len(), tried + failed.len(), failed.join("\n"));
        assert!(tried > 0 || rules.resources.is_empty());
        println!("{tried} bindings bound, listed and unbound");
    }

    /// Every config resource of the release with an `add`: an object with
    /// its mandatory keys, each set to a value its property accepts, is
    /// added, found by its key and deleted, all through the answer to a
    /// request; a second add answers 273.
    #[test]
    fn every_config_resource_adds_gets_and_deletes() {
        let rules = rules::rules().unwrap();
        let (mut store, mut sessions, mut faults) = (Store::default(), Sessions::default(), WriteFaults::default());
        let mut appliance = Appliance {
            rules,
            max_objects: MAX_OBJECTS,
            store: &mut store,
            sessions: &mut sessions,
            faults: &mut faults,
            user: "u",
            password: "p",
        };
        let headers = [("x-nitro-user".to_string(), "u".to_string()), ("x-nitro-pass".to_string(), "p".to_string()), ("content-type".to_string(), "application/json".to_string())];
        let mut tried = 0;
        let mut failed = Vec::new();
        for rule in rules.resources.values().filter(|rule| rule.kind == Kind::Config && !rule.keys.is_empty()) {
            let (Some(add), Some(_)) = (rule.operations.get("add"), rule.operations.get("delete")) else { continue };
            if add.method != "POST" {
                continue;
            }
            let object = object_for(rule);
            let body = serde_json::to_vec(&json!({ rule.name.as_str(): object })).unwrap();
            let path = format!("/nitro/v1/config/{}", rule.name);
            let request = Incoming { method: "POST", path: &path, query: "", headers: &headers, body: &body };
            let reply = appliance.answer(&request);
            if reply.status != 201 {
                failed.push(format!("{}: {:?}", rule.name, reply.body));
                continue;
            }
            assert_eq!(appliance.answer(&request).status, 409, "second add of {}", rule.name);
            let key = text(&object[&rule.keys[0]]);
            let segment = encode_path_key(&key);
            let item = format!("{path}/{segment}");
            let get = Incoming { method: "GET", path: &item, query: "", headers: &headers, body: &[] };
            assert_eq!(appliance.answer(&get).status, 200, "get of {}", rule.name);
            let delete = Incoming { method: "DELETE", ..get };
            assert_eq!(appliance.answer(&delete).status, 200, "delete of {}", rule.name);
            tried += 1;
        }
        assert!(failed.is_empty(), "{} of {} adds failed:\n{}", failed.len(), tried + failed.len(), failed.join("\n"));
        assert!(tried > 0 || rules.resources.is_empty());
        println!("{tried} config resources added, read and deleted");
    }
}
