//! Paths -> [`Endpoint`]s (parameters, request body, responses, security),
//! and `components/securitySchemes` -> [`SecurityScheme`]s.

use super::document::child;
use super::schemas::camel;
use super::{is_inferred, Lowerer};
use crate::ir::{Body, Endpoint, Method, ParamLocation, Parameter, Response, SecurityScheme, StatusSpec, TypeRef};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const METHODS: [(&str, Option<Method>); 8] = [
    ("get", Some(Method::Get)),
    ("put", Some(Method::Put)),
    ("post", Some(Method::Post)),
    ("delete", Some(Method::Delete)),
    ("options", Some(Method::Options)),
    ("head", Some(Method::Head)),
    ("patch", Some(Method::Patch)),
    ("trace", None),
];

impl<'a> Lowerer<'a> {
    pub(super) fn lower_paths(&mut self) {
        let Some(paths) = self.doc.get("paths").and_then(Value::as_object) else {
            self.warn("", "", "the document has no `paths`");
            return;
        };
        let paths: BTreeMap<&String, &'a Value> = paths.iter().collect();
        let mut operation_ids = BTreeMap::<String, String>::new();
        for (path, item) in paths {
            let item_pointer = child("/paths", path);
            self.subject = path.clone();
            let Some((item, item_pointer)) = self.follow(item, &item_pointer) else { continue };
            let shared = self.parameter_list(item, &item_pointer);
            for (key, method) in METHODS {
                let Some(operation) = item.get(key) else { continue };
                let pointer = format!("{item_pointer}/{key}");
                let Some(method) = method else {
                    self.warn(&pointer, path, format!("{} operations are not supported; skipped", key.to_uppercase()));
                    continue;
                };
                // A reader bug costs this operation (an error naming its
                // pointer), not the document.
                let endpoint = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.endpoint(path, method, operation, &pointer, &shared)));
                let Ok(endpoint) = endpoint else {
                    self.error(&pointer, path, "operation reader failed (a bug: please report it with this document)");
                    continue;
                };
                if let Some(previous) = operation_ids.insert(endpoint.operation_id.clone(), pointer.clone()) {
                    self.warn(&pointer, &endpoint.operation_id, format!("operationId is also used at {previous}"));
                }
                self.endpoints.insert(format!("{} {path}", method.as_str()), endpoint);
            }
        }
    }

    fn endpoint(&mut self, path: &str, method: Method, operation: &'a Value, pointer: &str, shared: &[(&'a Value, String)]) -> Endpoint {
        let operation_id = match operation.get("operationId").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => camel(&format!("{} {path}", method.as_str().to_lowercase())),
        };
        let hint = camel(&operation_id);
        self.subject = operation_id.clone();
        // Operation parameters override path-item ones of the same name
        // and location.
        let mut by_key = BTreeMap::new();
        let own = self.parameter_list(operation, pointer);
        for (parameter, parameter_pointer) in shared.iter().chain(own.iter()) {
            if let Some(lowered) = self.parameter(parameter, parameter_pointer, &hint, &operation_id) {
                by_key.insert((lowered.location, lowered.name.clone()), lowered);
            }
        }
        let mut parameters: Vec<Parameter> = by_key.into_values().collect();
        // Path parameters in path order first, then the rest by location.
        let position = |p: &Parameter| if p.location == ParamLocation::Path { path.find(&format!("{{{}}}", p.name)).unwrap_or(usize::MAX) } else { usize::MAX };
        parameters.sort_by(|a, b| (a.location, position(a)).cmp(&(b.location, position(b))).then_with(|| a.name.cmp(&b.name)));
        for name in path_placeholders(path) {
            if !parameters.iter().any(|p| p.location == ParamLocation::Path && p.name == name) {
                self.warn(pointer, &operation_id, format!("path parameter `{name}` is not declared; read as a string"));
                parameters.push(Parameter { name, location: ParamLocation::Path, type_ref: TypeRef::String { format: None }, required: true, description: None });
            }
        }
        let request = operation.get("requestBody").and_then(|body| self.request_body(body, &format!("{pointer}/requestBody"), &hint));
        let responses = self.responses(operation, pointer, &hint, &operation_id);
        let security = self.security(operation);
        // Constructs with no place in a generated client: said, not dropped silently.
        if operation.get("callbacks").is_some() {
            self.warn(&format!("{pointer}/callbacks"), &operation_id, "callbacks are not supported; the operation is generated without them");
        }
        if operation.get("servers").is_some() {
            self.warn(&format!("{pointer}/servers"), &operation_id, "servers of an operation are not supported; the document's first server applies");
        }
        Endpoint {
            operation_id,
            method,
            path: path.to_string(),
            tags: operation.get("tags").and_then(Value::as_array).map(|tags| tags.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default(),
            parameters,
            request,
            responses,
            security,
            inferred: is_inferred(operation),
            origin: self.origin(pointer),
            description: self.description(operation),
        }
    }

    fn parameter_list(&mut self, owner: &'a Value, pointer: &str) -> Vec<(&'a Value, String)> {
        let Some(list) = owner.get("parameters").and_then(Value::as_array) else { return Vec::new() };
        let mut out = Vec::new();
        for (index, parameter) in list.iter().enumerate() {
            if let Some(found) = self.follow(parameter, &format!("{pointer}/parameters/{index}")) {
                out.push(found);
            }
        }
        out
    }

    fn parameter(&mut self, parameter: &'a Value, pointer: &str, hint: &str, operation_id: &str) -> Option<Parameter> {
        let Some(name) = parameter.get("name").and_then(Value::as_str) else {
            self.degrade(pointer, operation_id, "parameter has no name; skipped");
            return None;
        };
        let location = match parameter.get("in").and_then(Value::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("cookie") => ParamLocation::Cookie,
            other => {
                self.degrade(pointer, operation_id, format!("parameter `{name}` has unknown location {other:?}; skipped"));
                return None;
            }
        };
        let type_hint = format!("{hint}{}", camel(name));
        let type_ref = if let Some(schema) = parameter.get("schema") {
            self.type_of(schema, &format!("{pointer}/schema"), &type_hint, 0)
        } else if let Some(content) = parameter.get("content").and_then(Value::as_object) {
            match content.iter().next() {
                Some((media, media_object)) => match media_object.get("schema") {
                    Some(schema) => self.type_of(schema, &format!("{}/schema", child(&format!("{pointer}/content"), media)), &type_hint, 0),
                    None => TypeRef::String { format: None },
                },
                None => TypeRef::String { format: None },
            }
        } else {
            self.warn(pointer, operation_id, format!("parameter `{name}` has no schema; read as a string"));
            TypeRef::String { format: None }
        };
        let required = location == ParamLocation::Path || parameter.get("required").and_then(Value::as_bool).unwrap_or(false);
        Some(Parameter { name: name.to_string(), location, type_ref, required, description: self.description(parameter) })
    }

    fn request_body(&mut self, body: &'a Value, pointer: &str, hint: &str) -> Option<Body> {
        let (body, pointer) = self.follow(body, pointer)?;
        let required = body.get("required").and_then(Value::as_bool).unwrap_or(false);
        self.body(body.get("content"), &format!("{pointer}/content"), &format!("{hint}Request"), required)
    }

    /// The JSON media type of a `content` map, or raw bytes (with a
    /// warning) when there is none.
    fn body(&mut self, content: Option<&'a Value>, pointer: &str, hint: &str, required: bool) -> Option<Body> {
        let content: BTreeMap<&String, &'a Value> = content?.as_object()?.iter().collect();
        let json = content
            .iter()
            .find(|(media, _)| media.as_str() == "application/json")
            .or_else(|| content.iter().find(|(media, _)| is_json_media_type(media)));
        if let Some((media, media_object)) = json {
            let others: Vec<&str> = content.keys().filter(|other| *other != media).map(|other| other.as_str()).collect();
            if !others.is_empty() {
                let list = others.iter().map(|other| format!("`{other}`")).collect::<Vec<_>>().join(", ");
                self.note(pointer, &self.subject(), format!("the body is typed from `{media}`; other media types ({list}) are not generated"));
            }
            let type_ref = match media_object.get("schema") {
                Some(schema) => self.type_of(schema, &format!("{}/schema", child(pointer, media)), hint, 0),
                None => TypeRef::Any,
            };
            return Some(Body { media_type: media.to_string(), type_ref, required });
        }
        let (media, _) = content.iter().next()?;
        self.warn(&child(pointer, media), &self.subject(), format!("media type `{media}` is not JSON; the body is read as raw bytes"));
        Some(Body { media_type: media.to_string(), type_ref: TypeRef::Bytes, required })
    }

    fn responses(&mut self, operation: &'a Value, pointer: &str, hint: &str, operation_id: &str) -> Vec<Response> {
        let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
            self.warn(pointer, operation_id, "operation has no responses");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (status, response) in responses {
            let response_pointer = child(&format!("{pointer}/responses"), status);
            if status.starts_with("x-") {
                continue;
            }
            let Some(spec) = status_spec(status) else {
                self.warn(&response_pointer, operation_id, format!("response key `{status}` is not a status code, range or `default`; skipped"));
                continue;
            };
            let Some((response, response_pointer)) = self.follow(response, &response_pointer) else { continue };
            let suffix = match spec {
                StatusSpec::Code(code) => code.to_string(),
                StatusSpec::Range(digit) => format!("{digit}XX"),
                StatusSpec::Default => "Default".to_string(),
            };
            let body = self.body(response.get("content"), &format!("{response_pointer}/content"), &format!("{hint}Response{suffix}"), false);
            if response.get("links").is_some() {
                self.warn(&format!("{response_pointer}/links"), operation_id, "links are not supported; the response is generated without them");
            }
            let headers = response.get("headers").and_then(Value::as_object).map(|h| h.keys().cloned().collect::<BTreeSet<_>>().into_iter().collect()).unwrap_or_default();
            out.push(Response { status: spec, body, headers });
        }
        out.sort_by(|a, b| a.status.cmp(&b.status));
        out
    }

    /// Scheme names that apply: the operation's `security` or the
    /// document's, every alternative flattened.
    fn security(&mut self, operation: &'a Value) -> Vec<String> {
        let requirements = operation.get("security").or_else(|| self.doc.get("security"));
        let mut names = BTreeSet::new();
        for requirement in requirements.and_then(Value::as_array).into_iter().flatten() {
            if let Some(requirement) = requirement.as_object() {
                names.extend(requirement.keys().cloned());
            }
        }
        names.into_iter().collect()
    }

    pub(super) fn lower_security_schemes(&mut self) {
        self.subject.clear();
        let Some(schemes) = self.doc.pointer("/components/securitySchemes").and_then(Value::as_object) else { return };
        let schemes: BTreeMap<&String, &'a Value> = schemes.iter().collect();
        for (name, scheme) in schemes {
            let pointer = child("/components/securitySchemes", name);
            let Some((scheme, pointer)) = self.follow(scheme, &pointer) else { continue };
            let kind = scheme.get("type").and_then(Value::as_str).unwrap_or_default();
            let lowered = match kind {
                "apiKey" => {
                    let location = match scheme.get("in").and_then(Value::as_str) {
                        Some("query") => Some(ParamLocation::Query),
                        Some("header") => Some(ParamLocation::Header),
                        Some("cookie") => Some(ParamLocation::Cookie),
                        _ => None,
                    };
                    match (location, scheme.get("name").and_then(Value::as_str)) {
                        (Some(location), Some(key)) => SecurityScheme::ApiKey { location, name: key.to_string() },
                        _ => {
                            self.error(&pointer, name, "apiKey scheme needs `in` (query, header or cookie) and `name`");
                            continue;
                        }
                    }
                }
                "http" => match scheme.get("scheme").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
                    Some("basic") => SecurityScheme::HttpBasic,
                    Some("bearer") => SecurityScheme::HttpBearer,
                    other => {
                        self.warn(&pointer, name, format!("http scheme {other:?} is not supported; the client gets no helper for it"));
                        SecurityScheme::Unsupported { scheme_type: format!("http:{}", other.unwrap_or_default()) }
                    }
                },
                other => {
                    self.warn(&pointer, name, format!("security scheme type `{other}` is not supported; the client gets no helper for it"));
                    SecurityScheme::Unsupported { scheme_type: other.to_string() }
                }
            };
            self.security_schemes.insert(name.clone(), lowered);
        }
    }
}

fn is_json_media_type(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence.ends_with("/json") || essence.ends_with("+json")
}

fn status_spec(status: &str) -> Option<StatusSpec> {
    if status == "default" {
        return Some(StatusSpec::Default);
    }
    let bytes = status.as_bytes();
    if bytes.len() == 3 && (b'1'..=b'5').contains(&bytes[0]) {
        if bytes[1..].eq_ignore_ascii_case(b"XX") {
            return Some(StatusSpec::Range(bytes[0] - b'0'));
        }
        return status.parse().ok().map(StatusSpec::Code);
    }
    None
}

fn path_placeholders(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        names.push(rest[open + 1..open + close].to_string());
        rest = &rest[open + close + 1..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys() {
        assert_eq!(status_spec("201"), Some(StatusSpec::Code(201)));
        assert_eq!(status_spec("4XX"), Some(StatusSpec::Range(4)));
        assert_eq!(status_spec("5xx"), Some(StatusSpec::Range(5)));
        assert_eq!(status_spec("default"), Some(StatusSpec::Default));
        assert_eq!(status_spec("ok"), None);
        assert_eq!(status_spec("600"), None);
    }

    #[test]
    fn placeholders_in_order() {
        assert_eq!(path_placeholders("/a/{x}/b/{y-z}"), ["x", "y-z"]);
    }
}
