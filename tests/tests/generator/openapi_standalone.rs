//! The backend's standalone mode (`cargo xtask openapi`): a client crate
//! of its own from one OpenAPI document. Byte-identical output across
//! runs; the crate made from `openapi/roundtrip.yaml` compiles on its own
//! (no dependency on this workspace) and packages with `cargo package`;
//! its module, compiled into this test, decodes open enums, unknown keys
//! and nullable fields and encodes them back to the same JSON, and types
//! success and error answers by status (with their headers) from a local
//! server.

use codegen::backend::standalone::Standalone;
use codegen::backend::{emit, EmitSettings, Emitted};
use codegen::frontend::openapi::{read_openapi, OpenApiSettings};
use codegen::ir::Product;
use codegen::Severity;
use netscaler_tests::{fixtures, workspace_root};
use std::path::Path;

// The OpenAPI fixtures that lower without errors (one list for this
// module and `openapi_codegen`).
use super::openapi_codegen::FIXTURES;

fn standalone(path: &Path, product: Product, document: &str, name: &str) -> Emitted {
    let lowered = read_openapi(path, &OpenApiSettings { product, origin_file: document.into(), descriptions: false, ..Default::default() });
    assert!(!lowered.has_errors(), "{document}: {:#?}", lowered.diagnostics);
    let options = Standalone { name: name.into(), document: document.into(), ..Standalone::default() };
    let emitted = emit(std::slice::from_ref(&lowered.api), &EmitSettings { standalone: Some(options), ..Default::default() });
    assert!(emitted.diagnostics.iter().all(|d| d.severity != Severity::Error), "{document}: {:#?}", emitted.diagnostics);
    emitted
}

fn fixture_crate(name: &str) -> Emitted {
    standalone(&fixtures().join(format!("openapi/{name}.yaml")), Product::Openapi, &format!("{name}.yaml"), &format!("{}-client", name.replace('_', "-")))
}

#[test]
fn standalone_output_is_byte_identical_across_runs() {
    for name in FIXTURES {
        let first = fixture_crate(name);
        let second = fixture_crate(name);
        assert_eq!(first.files, second.files, "{name}");
    }
    let nextgen = workspace_root().join("specs/nextgen/openapi.yaml");
    let first = standalone(&nextgen, Product::Nextgen, "openapi.yaml", "nextgen-client");
    let second = standalone(&nextgen, Product::Nextgen, "openapi.yaml", "nextgen-client");
    assert_eq!(first.files, second.files);
}

#[test]
fn standalone_crate_has_its_own_manifest_and_only_the_runtime_it_needs() {
    let emitted = fixture_crate("roundtrip");
    let paths: Vec<String> = emitted.files.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "Cargo.toml",
            "README.md",
            "src/api.rs",
            "src/lib.rs",
            "src/runtime/mod.rs",
            "src/runtime/model.rs",
            "src/runtime/nextgen.rs",
            "src/runtime/number.rs",
            "src/runtime/open_enum.rs",
            "src/runtime/secret.rs",
            "src/runtime/transport.rs",
        ]
    );
    let manifest = &emitted.files[Path::new("Cargo.toml")];
    for key in ["name = \"roundtrip-client\"", "license = ", "description = ", "readme = ", "keywords = ", "categories = ", "[workspace]"] {
        assert!(manifest.contains(key), "manifest lacks {key}:\n{manifest}");
    }
    // No path into this workspace, no `publish = false`.
    assert!(!manifest.contains("path =") && !manifest.contains("publish"), "{manifest}");
    for text in emitted.files.values() {
        assert!(!text.contains("netscaler::"), "a file refers to the netscaler crate");
    }
}

/// The files around `src/api.rs` (whose text the `openapi_codegen`
/// snapshots hold): manifest, README, `lib.rs`, `runtime/mod.rs`.
#[test]
fn standalone_crate_files_snapshot() {
    let emitted = fixture_crate("roundtrip");
    let mut text = String::new();
    for path in ["Cargo.toml", "README.md", "src/lib.rs", "src/runtime/mod.rs"] {
        text.push_str(&format!("==> {path}\n{}\n", emitted.files[Path::new(path)]));
    }
    insta::assert_snapshot!("standalone_roundtrip_crate_files", text);
}

/// Writes the `roundtrip.yaml` crate under `target/openapi-standalone/`,
/// checks it with warnings denied (on its own: no path into this
/// workspace) and packages it as a user would publish it.
#[test]
fn standalone_crate_compiles_and_packages() {
    let krate = workspace_root().join("target").join("openapi-standalone").join("roundtrip-client");
    for (relative, text) in &fixture_crate("roundtrip").files {
        let path = krate.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        write_if_changed(&path, text);
    }
    // The workspace's lock keeps dependency versions (and the build cache) stable.
    if !krate.join("Cargo.lock").exists() {
        std::fs::copy(workspace_root().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    }
    let output = netscaler_tests::nested::cargo(&krate.join("Cargo.toml"), &["check", "--quiet"]);
    assert!(output.status.success(), "the standalone crate does not compile:\n{}", netscaler_tests::nested::text(&output));

    // `cargo package` of the generated crate as a user would publish it.
    // (The file of an earlier run must not pass for this one's.)
    let packaged_file = netscaler_tests::nested::target_dir().join("package").join("roundtrip-client-0.1.0.crate");
    let _ = std::fs::remove_file(&packaged_file);
    let package = |offline: bool| {
        let args = ["package", "--no-verify", "--allow-dirty", "--quiet", "--offline"];
        netscaler_tests::nested::cargo(&krate.join("Cargo.toml"), &args[..if offline { 5 } else { 4 }])
    };
    let mut packaged = package(true);
    if !packaged.status.success() {
        packaged = package(false);
    }
    assert!(packaged.status.success(), "cargo package fails:\n{}", String::from_utf8_lossy(&packaged.stderr));
    assert!(packaged_file.is_file());
}

// The round trip at run time: the module the backend emits for
// `roundtrip.yaml` (its `src/api.rs`, with the runtime path pointing at the
// `netscaler` crate, whose runtime files the standalone crate copies byte
// for byte), compiled into this test binary, so no second build of the
// HTTP stack is needed. `openapi_codegen` keeps the file equal to the
// emission; the test above compiles the standalone crate around it.
#[allow(dead_code, unused_imports, clippy::all)]
#[path = "snapshots/openapi_code_roundtrip.rs"]
mod api;

use api::{GetRecordError, GetRecordSuccess, Record, RecordState, Shape};
use netscaler::runtime::nextgen::{NextgenClientBuilder, Nullable, RetryPolicy};
use netscaler::Open;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};

/// The standalone crate's `client`: a builder with the document's base path.
fn client(base_url: impl Into<String>) -> NextgenClientBuilder {
    NextgenClientBuilder::new(base_url).base_path(api::BASE_PATH)
}

fn round_trip(input: Value) -> (Record, Value) {
    let record: Record = serde_json::from_value(input).unwrap();
    let output = serde_json::to_value(&record).unwrap();
    (record, output)
}

#[test]
fn open_enum_unknown_keys_and_nulls_encode_back_identically() {
    let input = json!({
        "id": "r1",
        "state": "archived",
        "note": null,
        "shape": {"kind": "circle", "radius": 1.5, "border": "dashed"},
        "tags": {"a": "b"},
        "parent": {"id": "r0", "state": "draft", "count": null, "later": [1, 2]},
        "added_later": {"x": [true, null]}
    });
    let (record, output) = round_trip(input.clone());
    assert_eq!(output, input);
    assert_eq!(serde_json::to_string(&record).unwrap(), serde_json::to_string(&serde_json::from_value::<Record>(output).unwrap()).unwrap());
    assert_eq!(record.state, Some(Open::Unknown("archived".into())));
    assert_eq!(record.note_nullable(), Nullable::Null);
    assert_eq!(record.count_nullable(), Nullable::Absent);
    assert_eq!(record.unknown_fields["added_later"], json!({"x": [true, null]}));
    let parent = record.parent.as_deref().unwrap();
    assert_eq!(parent.state, Some(Open::Known(RecordState::Draft)));
    assert_eq!(parent.count_nullable(), Nullable::Null);
    match record.shape_typed().unwrap() {
        Some(Shape::Circle(circle)) => assert_eq!(circle.unknown_fields["border"], json!("dashed")),
        other => panic!("not a circle: {other:?}"),
    }
}

#[test]
fn null_and_absent_stay_apart_when_set() {
    let mut record = Record::default();
    record.set_note_nullable(Nullable::Null);
    assert_eq!(serde_json::to_value(&record).unwrap(), json!({"note": null}));
    record.set_note_nullable(Nullable::Value("x".into()));
    record.set_count_nullable(Nullable::Value(3));
    assert_eq!(serde_json::to_value(&record).unwrap(), json!({"note": "x", "count": 3}));
    record.set_note_nullable(Nullable::Absent);
    assert_eq!(serde_json::to_value(&record).unwrap(), json!({"count": 3}));
    // A field the description does not mark nullable drops a null, as before.
    let (_, output) = round_trip(json!({"id": null}));
    assert_eq!(output, json!({}));
}

/// Answers each connection with the next canned answer; returns the port
/// and a channel of the requests' head lines.
fn serve(answers: Vec<(u16, &'static str)>) -> (u16, std::sync::mpsc::Receiver<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for (status, body) in answers {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            let mut head = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.to_ascii_lowercase().starts_with("content-length:") {
                    length = line[15..].trim().parse().unwrap();
                }
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                head.push_str(&line);
            }
            let mut request_body = vec![0; length];
            reader.read_exact(&mut request_body).unwrap();
            sender.send(head).unwrap();
            let mut stream = reader.into_inner();
            let answer = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-request-id: 7\r\nconnection: close\r\n\r\n{body}", body.len());
            stream.write_all(answer.as_bytes()).unwrap();
        }
    });
    (port, receiver)
}

#[tokio::test]
async fn answers_are_typed_by_status_and_the_api_key_is_sent() {
    let (port, heads) = serve(vec![
        (200, r#"{"id":"r1","state":"final"}"#),
        (202, r#"{"eta":5}"#),
        (404, r#"{"id":"r9"}"#),
        (503, r#"{"message":"down"}"#),
    ]);
    // Without retries: the canned 503 is the answer to check (a read would be tried again).
    let builder = client(format!("http://127.0.0.1:{port}")).allow_insecure_http(true).retry(RetryPolicy::none());
    let client = api::auth::key(builder, "k3y").build().unwrap();
    let ok = client.send(api::get_record("r1")).await.unwrap();
    assert!(matches!(&ok.value, GetRecordSuccess::Status200(record) if record.id.as_deref() == Some("r1")), "{ok:?}");
    assert_eq!(ok.header("X-Request-Id"), Some("7"));
    let head = heads.recv().unwrap();
    assert!(head.starts_with("GET /v2/records/r1 "), "{head}");
    assert!(head.to_ascii_lowercase().contains("x-key: k3y"), "{head}");
    let pending = client.send(api::get_record("r1")).await.unwrap();
    assert!(matches!(&pending.value, GetRecordSuccess::Status202(p) if p.eta == Some(5)), "{pending:?}");
    let missing = client.send(api::get_record("r9")).await.unwrap_err();
    assert_eq!(missing.status(), Some(404));
    assert!(matches!(missing.typed::<GetRecordError>(), Some(GetRecordError::Status404(m)) if m.id.as_deref() == Some("r9")), "{missing:?}");
    let down = client.send(api::get_record("r1")).await.unwrap_err();
    assert!(matches!(down.typed::<GetRecordError>(), Some(GetRecordError::Default(503, p)) if p.message.as_deref() == Some("down")), "{down:?}");
}

#[test]
fn the_client_debug_output_hides_the_key() {
    let client = api::auth::key(client("http://127.0.0.1:9").allow_insecure_http(true), "s3cr3t").build().unwrap();
    assert!(!format!("{client:?}").contains("s3cr3t"));
}

/// A user's own descriptions (schema, field, operation) become doc comments
/// when read (`cargo xtask openapi`'s default), and nothing of them when not
/// (`--no-descriptions`, and the committed Next-Gen module).
#[test]
fn descriptions_are_kept_when_read() {
    let path = fixtures().join("openapi/descriptions.yaml");
    let emit_with = |descriptions: bool| {
        let lowered = read_openapi(&path, &OpenApiSettings { product: Product::Openapi, origin_file: "descriptions.yaml".into(), descriptions, ..Default::default() });
        assert!(!lowered.has_errors(), "{:#?}", lowered.diagnostics);
        let options = Standalone { name: "descriptions-client".into(), document: "descriptions.yaml".into(), ..Standalone::default() };
        let emitted = emit(std::slice::from_ref(&lowered.api), &EmitSettings { standalone: Some(options), ..Default::default() });
        emitted.files.values().cloned().collect::<Vec<_>>().join("\n")
    };
    let kept = emit_with(true);
    for text in ["/// A widget of our own.", "/// The widget's label.", "/// Lists our widgets."] {
        assert!(kept.contains(text), "{text} missing");
    }
    let dropped = emit_with(false);
    for text in ["A widget of our own", "The widget's label", "Lists our widgets"] {
        assert!(!dropped.contains(text), "{text} kept");
    }
}

/// Every file of a standalone crate names the command that wrote it (the
/// header is chosen, not patched into text emitted for `codegen`).
#[test]
fn standalone_files_name_cargo_xtask_openapi() {
    let emitted = fixture_crate("roundtrip");
    for (path, text) in &emitted.files {
        let first = text.lines().next().unwrap_or_default();
        if first.contains("@generated") {
            assert!(first.contains("@generated by `cargo xtask openapi`"), "{}: {first}", path.display());
        }
    }
    assert!(emitted.files[std::path::Path::new("src/api.rs")].starts_with("// @generated by `cargo xtask openapi` from roundtrip.yaml."));
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap();
    }
}
