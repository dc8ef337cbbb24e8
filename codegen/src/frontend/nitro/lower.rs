//! Raw pages -> IR: names, kinds, groups, typed properties with their
//! constraints, operations with paths, query options, `?args=` and payload
//! keys, resource keys and mandatory marks. Every repair or disagreement
//! becomes a diagnostic naming the page (and the table row).

use super::constraints::parse_description;
use super::groups::{adc_group, adm_group};
use super::markup::{find_object, parse_args, parse_url, unmark, Key, Url};
// The raw page form is part of the lowering's interface (the bundle
// reader builds it from XHTML pages).
pub(crate) use super::page::{RawOp, RawPage, TableState};
use super::NitroSettings;
use crate::diagnostics::{Diagnostic, Lowered};
use crate::ir::{
    Access, Api, DataType, Method, Operation, Origin, PayloadKey, Product, Property, Resource, ResourceKind, Source,
    SourceFormat,
};
use crate::Severity;
use std::collections::{BTreeMap, BTreeSet};

/// Query options an operation usually documents, in the IR's spelling.
/// Others (10.5's `override`) are kept with a warning.
const KNOWN_QUERY: &[&str] = &["args", "attrs", "filter", "view", "pagination", "count", "bulkbindings", "onerror", "warning"];

/// `?args=` options of every statistics `get`, documented once per page
/// rather than as properties.
const STAT_ARGS: &[&str] = &["detail", "fullvalues", "ntimes", "logfile", "clearstats"];

/// One resource page, parsed, with where it was found.
pub(crate) struct PageInput {
    /// Path relative to the docs folder, `/`-separated.
    pub file: String,
    /// The page sits under `statistics/`.
    pub statistics: bool,
    /// First folder under `configuration/` or `statistics/`.
    pub folder: String,
    pub raw: RawPage,
}

/// Lowers every page (in the given order, which must be sorted by path).
pub(crate) fn lower(pages: &[PageInput], settings: &NitroSettings, mut diagnostics: Vec<Diagnostic>) -> Lowered {
    let version = base_version(pages);
    let mut api = Api {
        product: settings.product,
        release: settings.release.clone(),
        source: Source { format: SourceFormat::NitroMarkdown, pages: pages.len() as u32, ..Source::default() },
        base_path: format!("/nitro/v{version}"),
        ..Api::default()
    };
    for page in pages {
        let mut lowering = PageLowering { page, settings, version, diagnostics: Vec::new() };
        let resource = lowering.resource();
        diagnostics.append(&mut lowering.diagnostics);
        if let Some(resource) = resource {
            insert_resource(&mut api.resources, resource, &mut diagnostics);
        }
    }
    diagnostics.sort();
    diagnostics.dedup();
    Lowered { api, diagnostics }
}

/// The `/nitro/vN` most operation URLs use (ties: the lower version; no
/// URLs at all: v1).
fn base_version(pages: &[PageInput]) -> u32 {
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    for op in pages.iter().flat_map(|p| &p.raw.ops) {
        if let Some(version) = op.url.as_deref().and_then(parse_url).and_then(|u| u.version) {
            *counts.entry(version).or_default() += 1;
        }
    }
    counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map_or(1, |(v, _)| *v)
}

/// Two pages give one resource id (ADM `tenant.md` in two folders): keep
/// the one with more properties and operations, then the first by path.
fn insert_resource(resources: &mut BTreeMap<String, Resource>, resource: Resource, diagnostics: &mut Vec<Diagnostic>) {
    let id = resource.id();
    let Some(existing) = resources.get(&id) else {
        resources.insert(id, resource);
        return;
    };
    let size = |r: &Resource| r.properties.len() + r.operations.len();
    let same = {
        let mut a = existing.clone();
        let mut b = resource.clone();
        a.origin = Origin::default();
        b.origin = Origin::default();
        a.group.clear();
        b.group.clear();
        a == b
    };
    let origin = Origin { file: resource.origin.file.clone(), ..Origin::default() };
    if same {
        diagnostics.push(
            Diagnostic::note(origin, format!("same resource as `{}`; that page is kept", existing.origin.file)).resource(id),
        );
    } else if size(&resource) > size(existing) {
        let dropped = existing.origin.file.clone();
        diagnostics.push(
            Diagnostic::warning(origin, format!("resource also defined by `{dropped}` with fewer properties and operations; this page is kept"))
                .resource(id.clone()),
        );
        resources.insert(id, resource);
    } else {
        diagnostics.push(
            Diagnostic::warning(origin, format!("resource also defined by `{}`; that page is kept and this one dropped", existing.origin.file))
                .resource(id),
        );
    }
}

struct PageLowering<'a> {
    page: &'a PageInput,
    settings: &'a NitroSettings,
    version: u32,
    diagnostics: Vec<Diagnostic>,
}

/// One operation block after its URLs were read.
struct OpInput<'a> {
    raw: &'a RawOp,
    name: String,
    url: Option<Url>,
    examples: Vec<Url>,
}

impl<'a> PageLowering<'a> {
    fn origin(&self, row: Option<u32>) -> Origin {
        Origin { file: self.page.file.clone(), row, pointer: None }
    }

    fn push(&mut self, severity: Severity, row: Option<u32>, resource: &str, message: String) {
        let mut diagnostic = Diagnostic::new(severity, self.origin(row), message);
        if !resource.is_empty() {
            diagnostic = diagnostic.resource(resource);
        }
        self.diagnostics.push(diagnostic);
    }

    fn resource(&mut self) -> Option<Resource> {
        let page: &'a PageInput = self.page;
        let raw = &page.raw;
        let ops = self.operation_inputs();
        let name = self.name(&ops)?;
        let kind = if self.page.statistics {
            ResourceKind::Stat
        } else if name.ends_with("_binding") {
            ResourceKind::Binding
        } else {
            ResourceKind::Config
        };
        let id = crate::ir::resource_id(kind, &name);
        let mut resource = Resource {
            name: name.clone(),
            kind,
            group: self.group(&id),
            origin: self.origin(None),
            description: (self.settings.descriptions && !raw.intro.is_empty()).then(|| raw.intro.join("\n")),
            ..Resource::default()
        };

        match &raw.table {
            TableState::Found(table) => {
                self.properties(&id, table, &mut resource);
                if table.rows.is_empty() {
                    self.push(Severity::Warning, None, &id, "properties table has no rows".into());
                }
            }
            TableState::Missing => {
                resource.no_table = true;
                if raw.ops.is_empty() {
                    self.push(Severity::Warning, None, &id, "documentation stub: no properties table and no operations".into());
                } else {
                    self.push(Severity::Note, None, &id, "no properties table (operations only)".into());
                }
            }
            TableState::Unreadable(reason) => {
                resource.no_table = true;
                self.push(Severity::Error, None, &id, format!("properties table not read: {reason}"));
            }
        }

        let mut inferred = Vec::new();
        for op in &ops {
            let Some(operation) = self.operation(&id, &resource, op) else { continue };
            if operation.method_inferred {
                inferred.push(operation.name.clone());
            }
            if resource.operations.contains_key(&operation.name) {
                self.push(Severity::Warning, None, &id, format!("operation `{}` appears twice; the first is kept", operation.name));
                continue;
            }
            resource.operations.insert(operation.name.clone(), operation);
        }
        if !inferred.is_empty() {
            self.push(
                Severity::Note,
                None,
                &id,
                format!("http method not given; inferred from the operation name for `{}`", inferred.join(", ")),
            );
        }

        resource.keys = self.keys(&id, &resource, &ops);
        self.mandatory(&mut resource);
        self.check_against_table(&id, &resource);
        Some(resource)
    }

    fn operation_inputs(&self) -> Vec<OpInput<'a>> {
        let page: &'a PageInput = self.page;
        let has_update = page.raw.ops.iter().any(|op| operation_name(&op.heading) == "update");
        page.raw
            .ops
            .iter()
            .map(|raw| {
                let mut name = operation_name(&raw.heading);
                // ADM spells update `modify` (never both on one page).
                if name == "action:modify" && !has_update {
                    name = "update".into();
                }
                OpInput {
                    raw,
                    name,
                    url: raw.url.as_deref().and_then(parse_url),
                    examples: raw.example_urls.iter().filter_map(|line| parse_url(line)).collect(),
                }
            })
            .collect()
    }

    /// The wire name: the resource segment most URLs use (it keeps the
    /// case the server expects, e.g. `Interface`), else the title.
    fn name(&mut self, ops: &[OpInput<'_>]) -> Option<String> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for url in ops.iter().flat_map(|op| op.url.iter().chain(&op.examples)) {
            if let Some(resource) = url.resource.as_deref().filter(|r| !r.is_empty()) {
                *counts.entry(resource).or_default() += 1;
            }
        }
        let url_name = counts.iter().max_by_key(|(_, n)| **n).map(|(name, _)| name.to_string());
        let title = self.page.raw.title.clone().filter(|t| !t.is_empty());
        let name = match (url_name, title) {
            (Some(url), Some(title)) if url != title => {
                self.push(
                    Severity::Warning,
                    None,
                    &url,
                    format!("title `{title}` differs from the name in the urls; the url name is used"),
                );
                url
            }
            (Some(url), _) => url,
            (None, Some(title)) => title,
            (None, None) => {
                let stem = self.page.file.rsplit('/').next().unwrap_or_default().trim_end_matches(".md").to_string();
                self.push(Severity::Warning, None, &stem, "page has no title and no urls; the file name is used".into());
                stem
            }
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            self.push(Severity::Error, None, "", format!("no usable resource name (title `{name}`); page skipped"));
            return None;
        }
        Some(name)
    }

    fn group(&mut self, id: &str) -> String {
        match self.settings.product {
            Product::Adm => adm_group(&self.page.folder),
            _ => match adc_group(&self.page.folder) {
                Ok(group) => group.to_string(),
                Err(fallback) => {
                    self.push(
                        Severity::Warning,
                        None,
                        id,
                        format!("folder `{}` has no known short group; `{fallback}` is used", self.page.folder),
                    );
                    fallback
                }
            },
        }
    }

    fn properties(&mut self, id: &str, table: &crate::frontend::html::Table, resource: &mut Resource) {
        let mut first_row: BTreeMap<String, u32> = BTreeMap::new();
        for (index, cells) in table.rows.iter().enumerate() {
            let row = index as u32 + 1;
            let cell = |i: usize| cells.get(i).map(|c| c.text()).unwrap_or_default();
            if cells.len() != 4 {
                self.push(Severity::Warning, Some(row), id, format!("row has {} cells, expected 4", cells.len()));
            }
            let name = cell(0).trim().to_string();
            if name.is_empty() {
                self.push(Severity::Error, Some(row), id, "row has no property name; row skipped".into());
                continue;
            }
            if let Some(first) = first_row.get(&name) {
                self.push(Severity::Warning, Some(row), id, format!("property `{name}` repeats row {first}; this row is skipped"));
                continue;
            }
            first_row.insert(name.clone(), row);

            let type_text = cell(1);
            let data_type = match data_type(&type_text) {
                Some(data_type) => data_type,
                None => {
                    self.push(Severity::Warning, Some(row), id, format!("property `{name}` has unreadable type `{type_text}`"));
                    DataType::Unknown
                }
            };
            if self.settings.product == Product::Adc
                && matches!(&data_type, DataType::Object(_) | DataType::ObjectList(_))
            {
                self.push(Severity::Warning, Some(row), id, format!("property `{name}` has object type `{type_text}`"));
            }
            let access = match cell(2).trim() {
                "Read-write" => Access::ReadWrite,
                "Read-only" => Access::ReadOnly,
                other => {
                    self.push(Severity::Warning, Some(row), id, format!("property `{name}` has unknown permission `{other}`"));
                    Access::Unknown
                }
            };
            let description = cells.get(3).map(|c| c.lines.clone()).unwrap_or_default();
            let constraints = parse_description(&description);
            for problem in &constraints.problems {
                self.push(Severity::Warning, Some(row), id, format!("property `{name}`: {problem}"));
            }
            let property = Property {
                name: name.clone(),
                data_type,
                access,
                min_length: constraints.min_length,
                max_length: constraints.max_length,
                min_value: constraints.min_value,
                max_value: constraints.max_value,
                default: constraints.default,
                enum_values: constraints.enum_values,
                row: Some(row),
                description: (self.settings.descriptions && !constraints.prose.is_empty()).then(|| constraints.prose.join("\n")),
                ..Property::default()
            };
            resource.properties.insert(name, property);
        }
    }

    fn operation(&mut self, id: &str, resource: &Resource, op: &OpInput<'_>) -> Option<Operation> {
        let name = op.name.clone();
        let default_area = if resource.kind == ResourceKind::Stat { "stat" } else { "config" };
        let mut operation = Operation { name: name.clone(), ..Operation::default() };

        // Path: area, resource segment (generation A leaves it out), keys.
        let (area, segment, keys) = match &op.url {
            Some(url) => {
                if url.version.is_some_and(|v| v != self.version) {
                    self.push(
                        Severity::Warning,
                        None,
                        id,
                        format!(
                            "`{name}` uses /nitro/v{}, not the base path /nitro/v{}; its path is kept relative",
                            url.version.unwrap_or_default(),
                            self.version
                        ),
                    );
                }
                if !url.extra.is_empty() {
                    self.push(Severity::Warning, None, id, format!("`{name}` url has unexpected segments `{}`", url.extra.join("/")));
                }
                let segment = match url.resource.as_deref().filter(|r| !r.is_empty()) {
                    Some(segment) => {
                        if segment != resource.name {
                            self.push(Severity::Warning, None, id, format!("`{name}` url names `{segment}`; its path keeps that name"));
                        }
                        segment.to_string()
                    }
                    None => resource.name.clone(),
                };
                let area = if url.area.is_empty() { default_area.to_string() } else { url.area.clone() };
                (area, segment, url.keys.clone())
            }
            None => {
                self.push(Severity::Warning, None, id, format!("`{name}` has no url; path `/{default_area}/{}` assumed", resource.name));
                (default_area.to_string(), resource.name.clone(), Vec::new())
            }
        };
        operation.path = format!("/{area}/{segment}");
        for key in &keys {
            operation.path.push_str(&format!("/{{{key}}}"));
        }

        // Query options, `?action=` and `?args=` from the URL and the
        // Query-parameters examples.
        let mut args: Option<Vec<Key>> = None;
        let urls = op.url.iter().chain(&op.examples);
        for (index, url) in urls.enumerate() {
            for (key, value) in &url.query {
                let option = match key.as_str() {
                    "action" => {
                        if index == 0 {
                            operation.action = Some(unmark(value).trim().to_string());
                        }
                        continue;
                    }
                    "pagesize" | "pageno" => "pagination",
                    other => other,
                };
                if !KNOWN_QUERY.contains(&option) {
                    self.push(Severity::Warning, None, id, format!("`{name}` documents unusual query option `{option}`; kept"));
                }
                if option == "args" && args.is_none() {
                    args = Some(parse_args(value));
                }
                push_unique(&mut operation.query, option);
            }
        }

        // The request payload: the resource's object, and the form-encoded
        // `params` object of generation A (options and the action verb).
        if let Some(payload) = op.raw.payload.as_deref() {
            if let Some((params, _)) = find_object(payload, "params") {
                for key in params {
                    match key.name.as_str() {
                        "action" => {
                            let verb = key.value.trim().trim_matches('"').to_string();
                            if operation.action.is_none() && !verb.is_empty() {
                                operation.action = Some(verb);
                            }
                        }
                        option => {
                            if !KNOWN_QUERY.contains(&option) {
                                self.push(Severity::Warning, None, id, format!("`{name}` documents unusual query option `{option}`; kept"));
                            }
                            push_unique(&mut operation.query, option);
                        }
                    }
                }
            }
            let object = find_object(payload, &resource.name).or_else(|| find_object(payload, &segment));
            match object {
                Some((keys, closed)) => {
                    if !closed {
                        self.push(Severity::Warning, None, id, format!("`{name}` request payload ends before its object closes"));
                    }
                    operation.payload = self.unique_keys(id, &name, "payload", keys, |key| {
                        // Generation A repeats the verb as an `action` key.
                        key == "action" && !resource.properties.contains_key("action")
                    });
                }
                None if has_content(payload) => {
                    self.push(Severity::Warning, None, id, format!("`{name}` request payload has no `{}` object", resource.name));
                }
                None => {}
            }
        }
        if let Some(args) = args {
            operation.args = self.unique_keys(id, &name, "`?args=`", args, |_| false);
        }

        // The method; ADM writes `null` everywhere.
        let written = op.raw.method.as_deref().map(str::trim).unwrap_or_default();
        operation.method = match parse_method(written) {
            Some(method) => method,
            None => {
                if !written.eq_ignore_ascii_case("null") {
                    let shown = if written.is_empty() { "no http method".to_string() } else { format!("http method `{written}`") };
                    self.push(Severity::Warning, None, id, format!("`{name}` has {shown}; it is inferred from the name"));
                }
                operation.method_inferred = true;
                infer_method(&name)
            }
        };
        Some(operation)
    }

    /// Keys in order, without repeats (reported) and without the dropped ones.
    fn unique_keys(&mut self, id: &str, op: &str, what: &str, keys: Vec<Key>, drop: impl Fn(&str) -> bool) -> Vec<PayloadKey> {
        let mut out: Vec<PayloadKey> = Vec::new();
        for key in keys {
            if drop(&key.name) {
                continue;
            }
            if out.iter().any(|k| k.name == key.name) {
                self.push(Severity::Warning, None, id, format!("`{op}` {what} repeats key `{}`; the first is kept", key.name));
                continue;
            }
            out.push(PayloadKey { name: key.name, mandatory: key.bold });
        }
        out
    }

    /// Key attributes from the URL templates of get, delete and update.
    fn keys(&mut self, id: &str, resource: &Resource, ops: &[OpInput<'_>]) -> Vec<String> {
        let mut chosen: Option<(String, Vec<String>)> = None;
        for op_name in ["get", "delete", "update"] {
            let Some(op) = ops.iter().find(|op| op.name == op_name) else { continue };
            let Some(url) = &op.url else { continue };
            if url.keys.is_empty() {
                continue;
            }
            match &chosen {
                None => chosen = Some((op_name.to_string(), url.keys.clone())),
                Some((from, keys)) if *keys != url.keys => {
                    self.push(
                        Severity::Warning,
                        None,
                        id,
                        format!("`{op_name}` url keys `{}` differ from `{from}` url keys `{}`", url.keys.join(", "), keys.join(", ")),
                    );
                }
                Some(_) => {}
            }
        }
        let keys = chosen.map(|(_, keys)| keys).unwrap_or_default();
        if !resource.no_table {
            for key in &keys {
                if !resource.properties.contains_key(key) {
                    self.push(Severity::Warning, None, id, format!("url key `{key}` is not in the properties table"));
                }
            }
        }
        keys
    }

    /// Mandatory marks: only where the add payload marks at least one key.
    fn mandatory(&mut self, resource: &mut Resource) {
        let Some(add) = resource.operations.get("add") else { return };
        if !add.payload.iter().any(|k| k.mandatory) {
            return;
        }
        for key in &add.payload {
            if let Some(property) = resource.properties.get_mut(&key.name) {
                property.mandatory = Some(key.mandatory);
            }
        }
    }

    /// Payload and `?args=` keys the table does not list (the options every
    /// statistics page takes, [`STAT_ARGS`], are not properties).
    fn check_against_table(&mut self, id: &str, resource: &Resource) {
        if resource.no_table {
            return;
        }
        let generic = |key: &str| resource.kind == ResourceKind::Stat && STAT_ARGS.contains(&key);
        let mut missing: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for op in resource.operations.values() {
            for key in op.payload.iter().chain(&op.args) {
                if !resource.properties.contains_key(&key.name) && !generic(&key.name) {
                    missing.entry(key.name.as_str()).or_default().insert(op.name.as_str());
                }
            }
        }
        for (key, ops) in missing {
            let ops: Vec<&str> = ops.into_iter().collect();
            self.push(
                Severity::Warning,
                None,
                id,
                format!("key `{key}` of `{}` is not in the properties table", ops.join("`, `")),
            );
        }
    }
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

/// `add:` -> `add`, `get (all)` -> `get_all`, `Import` -> `action:Import`,
/// `download_certs (all)` -> `action:download_certs_all`.
pub(super) fn operation_name(heading: &str) -> String {
    let heading = heading.trim().trim_end_matches(':').trim();
    let heading = heading.split_whitespace().collect::<Vec<_>>().join(" ");
    match heading.to_ascii_lowercase().as_str() {
        "add" => "add".into(),
        "update" => "update".into(),
        "unset" => "unset".into(),
        "delete" => "delete".into(),
        "get" => "get".into(),
        "get (all)" => "get_all".into(),
        "count" => "count".into(),
        _ => {
            let verb = match heading.strip_suffix(" (all)") {
                Some(base) => format!("{base}_all"),
                None => heading.replace(' ', "_"),
            };
            format!("action:{verb}")
        }
    }
}

fn parse_method(text: &str) -> Option<Method> {
    Some(match text.to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        "PATCH" => Method::Patch,
        "HEAD" => Method::Head,
        "OPTIONS" => Method::Options,
        _ => return None,
    })
}

/// The method an operation of this name uses when the page does not say.
pub(super) fn infer_method(name: &str) -> Method {
    match name {
        "add" => Method::Post,
        "update" => Method::Put,
        "delete" => Method::Delete,
        "get" | "get_all" | "count" => Method::Get,
        // ADM `/nitro/v1/download/<res>/<file>` and `download_certs (all)` read.
        other if other.starts_with("action:download") || other.ends_with("_all") => Method::Get,
        _ => Method::Post,
    }
}

/// `<String>` -> String, `<lbvserver_service_binding[]>` -> BindingList,
/// ADM `<groupmember>` -> Object, `<criteria[]>` -> ObjectList.
pub(super) fn data_type(text: &str) -> Option<DataType> {
    let inner = text.trim().trim_start_matches('<').trim_end_matches('>').trim();
    Some(match inner {
        "String" => DataType::String,
        "Double" => DataType::Double,
        "Integer" => DataType::Integer,
        "Boolean" => DataType::Boolean,
        "String[]" => DataType::StringList,
        "Double[]" => DataType::DoubleList,
        "Integer[]" => DataType::IntegerList,
        _ => {
            let is_name = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            match inner.strip_suffix("[]") {
                Some(base) if is_name(base) && base.ends_with("_binding") => DataType::BindingList(base.into()),
                Some(base) if is_name(base) => DataType::ObjectList(base.into()),
                None if is_name(inner) => DataType::Object(inner.into()),
                _ => return None,
            }
        }
    })
}

/// Whether a payload has anything besides code fences and whitespace.
fn has_content(payload: &str) -> bool {
    unmark(payload).lines().any(|l| {
        let l = l.trim();
        !l.is_empty() && l != "```"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names() {
        assert_eq!(operation_name("add:"), "add");
        assert_eq!(operation_name("get (all)"), "get_all");
        assert_eq!(operation_name(" Import "), "action:Import");
        assert_eq!(operation_name("download_certs (all)"), "action:download_certs_all");
        assert_eq!(operation_name("rename"), "action:rename");
    }

    #[test]
    fn types() {
        assert_eq!(data_type("<String[]>"), Some(DataType::StringList));
        assert_eq!(data_type("<lbvserver_service_binding[]>"), Some(DataType::BindingList("lbvserver_service_binding".into())));
        assert_eq!(data_type("<groupmember>"), Some(DataType::Object("groupmember".into())));
        assert_eq!(data_type("<eventHistory[]>"), Some(DataType::ObjectList("eventHistory".into())));
        assert_eq!(data_type("<two words>"), None);
        assert_eq!(data_type(""), None);
    }

    fn page(file: &str, title: &str, urls: &[&str]) -> PageInput {
        let ops = urls
            .iter()
            .enumerate()
            .map(|(i, url)| RawOp { heading: if i == 0 { "get (all)".into() } else { "get".into() }, url: Some(url.to_string()), ..RawOp::default() })
            .collect();
        PageInput { file: file.into(), statistics: false, folder: "system".into(), raw: RawPage { title: Some(title.into()), is_resource_page: true, ops, ..RawPage::default() } }
    }

    #[test]
    fn base_path_follows_the_majority_and_minority_ops_are_reported() {
        let pages = [
            page("a.md", "a", &["https://x/nitro/v2/config/a", "https://x/nitro/v2/config/a/id_value<String>"]),
            page("b.md", "b", &["https://x/nitro/v1/config/b"]),
        ];
        let settings = NitroSettings { product: Product::Adm, release: "t".into(), descriptions: false, ..NitroSettings::default() };
        let lowered = lower(&pages, &settings, Vec::new());
        assert_eq!(lowered.api.base_path, "/nitro/v2");
        assert_eq!(lowered.api.resources["b"].operations["get_all"].path, "/config/b");
        assert_eq!(lowered.api.resources["a"].keys, ["id"]);
        let messages: Vec<String> = lowered.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(messages.iter().any(|m| m.starts_with("b.md: warning: b: `get_all` uses /nitro/v1")), "{messages:?}");
    }

    #[test]
    fn inferred_methods() {
        assert_eq!(infer_method("add"), Method::Post);
        assert_eq!(infer_method("update"), Method::Put);
        assert_eq!(infer_method("get_all"), Method::Get);
        assert_eq!(infer_method("action:download"), Method::Get);
        assert_eq!(infer_method("action:poll"), Method::Post);
    }
}
