//! Hostile inputs to the frontends end quickly with a clear error naming
//! the limit (and the flag that raises it), or are read around with a
//! warning: never a panic, a hang or unbounded memory. Every input is
//! built here (no large committed files); limits are set small where the
//! default would make a test slow, which proves the same mechanism.

use codegen::frontend::bundle::{read_bundle, BundleSettings};
use codegen::frontend::limits::Limits;
use codegen::frontend::nitro::{read_nitro, NitroSettings};
use codegen::frontend::openapi::{lower_text, read_openapi, OpenApiSettings};
use codegen::ir::{Product, SchemaShape, TypeRef};
use codegen::{Lowered, Severity};
use std::io::Write;
use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("netscaler-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn openapi(text: &str, limits: Limits) -> Lowered {
    lower_text(text, false, "hostile.yaml", &OpenApiSettings { origin_file: "hostile.yaml".into(), limits, ..OpenApiSettings::default() })
}

fn messages(lowered: &Lowered, severity: Severity) -> Vec<String> {
    lowered.diagnostics.iter().filter(|d| d.severity == severity).map(ToString::to_string).collect()
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: hostile, version: '1'}\npaths: {}\n";

/// `A: {allOf: [{$ref: A}, ...]}` and 60 levels of diamonds (each schema
/// extends the previous one twice: 2^60 paths) end at once; the cycle is
/// named by its pointer.
#[test]
fn self_including_all_of_and_diamond_chains_end_with_a_cycle_warning() {
    let mut text = format!("{HEAD}components:\n  schemas:\n    A: {{allOf: [{}{{type: object, properties: {{a: {{type: string}}}}}}]}}\n", "{$ref: '#/components/schemas/A'}, ".repeat(40));
    text.push_str("    D0: {type: object, properties: {base: {type: string}}}\n");
    for level in 1..=60 {
        let previous = level - 1;
        text.push_str(&format!("    D{level}: {{allOf: [{{$ref: '#/components/schemas/D{previous}'}}, {{$ref: '#/components/schemas/D{previous}'}}, {{properties: {{f{level}: {{type: integer}}}}}}]}}\n"));
    }
    let lowered = openapi(&text, Limits::default());
    assert!(!lowered.has_errors(), "{:#?}", lowered.diagnostics);
    let warnings = messages(&lowered, Severity::Warning);
    assert!(
        warnings.iter().any(|w| w.starts_with("hostile.yaml:/components/schemas/A/allOf/0: warning: A: allOf part `/components/schemas/A` includes this schema itself (a cycle)")),
        "{warnings:#?}"
    );
    // The diamond at the top holds every level's field once.
    let SchemaShape::Object { fields, .. } = &lowered.api.schemas["D60"].shape else { panic!("D60 is an object") };
    assert_eq!(fields.len(), 61, "{:?}", fields.keys().collect::<Vec<_>>());
    assert!(fields.contains_key("base") && fields.contains_key("f1") && fields.contains_key("f60"));
}

/// The issue's document: a 10,000-item anchor and 100,000 aliases (under
/// 1 MB of text, 10^9 values expanded) is refused at the node budget with
/// an error naming it and its flag. The budget is set to 200,000 here so
/// the test stays fast; the default (4,000,000) ends the same way.
#[test]
fn yaml_alias_bomb_ends_at_the_node_budget() {
    let anchor = vec!["x"; 10_000].join(", ");
    let aliases = vec!["*items"; 100_000].join(", ");
    let text = format!("{HEAD}x-anchor: &items [{anchor}]\nx-aliases: [{aliases}]\n");
    assert!(text.len() < 1 << 20, "the bomb is {} bytes", text.len());
    let lowered = openapi(&text, Limits { max_nodes: 200_000, ..Limits::default() });
    let errors = messages(&lowered, Severity::Error);
    assert_eq!(errors, ["hostile.yaml: error: the document has more than 200000 values (YAML aliases expanded); raise the limit with --max-nodes"]);

    // The same shape, small: read when the budget allows it, refused
    // when it does not.
    let small = format!("{HEAD}x-anchor: &items [{}]\nx-aliases: [{}]\n", vec!["x"; 100].join(", "), vec!["*items"; 100].join(", "));
    assert!(!openapi(&small, Limits { max_nodes: 20_000, ..Limits::default() }).has_errors());
    assert!(openapi(&small, Limits { max_nodes: 5_000, ..Limits::default() }).has_errors());
    assert_eq!(Limits::default().max_nodes, 4_000_000);
}

/// A document over the file-size limit is not read; the error names the
/// limit and `--max-input-bytes`. JSON is counted against the node budget
/// too.
#[test]
fn documents_over_the_size_limit_are_not_read() {
    let dir = scratch("size");
    let path = dir.join("big.yaml");
    std::fs::write(&path, format!("{HEAD}x-padding: '{}'\n", "p".repeat(4096))).unwrap();
    let settings = OpenApiSettings { limits: Limits { max_input_bytes: 1024, ..Limits::default() }, ..OpenApiSettings::default() };
    let lowered = read_openapi(&path, &settings);
    assert_eq!(messages(&lowered, Severity::Error), ["big.yaml: error: cannot read the document: the file is larger than the 1 KiB limit; raise it with --max-input-bytes"]);
    let json = format!("{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"x\": [{}]}}", vec!["1"; 1000].join(","));
    let settings = OpenApiSettings { limits: Limits { max_nodes: 500, ..Limits::default() }, ..OpenApiSettings::default() };
    assert!(lower_text(&json, true, "t.json", &settings).diagnostics[0].message.contains("--max-nodes"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A `.tgz` whose page is far larger decompressed than compressed (zeros)
/// is read as a stream and stops at the per-member limit; many members
/// stop at the total limit. Each error names its limit and flag. (The
/// issue's 2 GiB page is the same case at the default 64 MiB limit.)
#[test]
fn zip_bomb_pages_stop_at_the_member_and_total_limits() {
    let dir = scratch("bomb");
    let build_js: &[u8] = b"var version = \"11.1\";\nvar build = \"1.1\";\n";
    let page = std::fs::read(netscaler_tests::fixtures().join("bundle/adc/html/config/demo/widget.html")).expect("fixture page");
    let path = dir.join("bomb.tgz");
    write_tgz(&path, &[("w/html/build.js", Source::Bytes(build_js)), ("w/html/config/demo/widget.html", Source::Bytes(&page)), ("w/html/config/lb/zero.html", Source::Zeros(8 << 20))]);
    assert!(std::fs::metadata(&path).unwrap().len() < 64 << 10, "compressed zeros are small");
    let limits = Limits { max_member_bytes: 1 << 20, ..Limits::default() };
    let lowered = read_bundle(&path, &BundleSettings { limits, ..BundleSettings::default() });
    let errors = messages(&lowered, Severity::Error);
    assert_eq!(errors, ["bomb.tgz: error: member `w/html/config/lb/zero.html` (decompressed) is larger than the 1 MiB limit; raise it with --max-member-bytes; left unread"]);
    // The rest of the bundle is still read.
    assert!(lowered.api.resources.contains_key("widget"));

    let path = dir.join("many.tgz");
    let members: Vec<(String, Source)> = (0..8).map(|i| (format!("w/html/config/lb/zero{i}.html"), Source::Zeros(600 << 10))).collect();
    write_tgz(&path, &members.iter().map(|(n, s)| (n.as_str(), s.clone())).collect::<Vec<_>>());
    let limits = Limits { max_bundle_bytes: 2 << 20, ..Limits::default() };
    let lowered = read_bundle(&path, &BundleSettings { limits, ..BundleSettings::default() });
    let errors = messages(&lowered, Severity::Error);
    assert!(
        errors.contains(&"many.tgz: error: the decompressed bundle is larger than the 2 MiB limit; raise it with --max-bundle-bytes; the rest of `bundle` is left unread".to_string()),
        "{errors:#?}"
    );
    assert_eq!(Limits::default().max_member_bytes, 64 << 20);
    assert_eq!(Limits::default().max_bundle_bytes, 1 << 30);
    let _ = std::fs::remove_dir_all(&dir);
}

#[derive(Clone)]
enum Source<'a> {
    Bytes(&'a [u8]),
    Zeros(u64),
}

/// A gzip'd tar written as a stream (zeros are never held in memory).
fn write_tgz(path: &Path, members: &[(&str, Source)]) {
    let file = std::fs::File::create(path).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    for (name, source) in members {
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o644);
        match source {
            Source::Bytes(bytes) => {
                header.set_size(bytes.len() as u64);
                header.set_cksum();
                builder.append_data(&mut header, name, *bytes).unwrap();
            }
            Source::Zeros(size) => {
                header.set_size(*size);
                header.set_cksum();
                builder.append_data(&mut header, name, std::io::repeat(0).take_bytes(*size)).unwrap();
            }
        }
    }
    builder.into_inner().unwrap().finish().unwrap().flush().unwrap();
}

trait TakeBytes: std::io::Read + Sized {
    fn take_bytes(self, n: u64) -> std::io::Take<Self> {
        std::io::Read::take(self, n)
    }
}
impl<R: std::io::Read> TakeBytes for R {}

/// Symlinks `a -> .` and `b -> .` and a page linked to `/dev/zero`: the
/// walk does not follow links (a warning names each) and never reads a
/// special file, in the Markdown and the bundle readers alike; a document
/// path naming a device is refused.
#[cfg(unix)]
#[test]
fn symlink_loops_and_device_files_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = scratch("links");
    let docs = dir.join("docs");
    let group = docs.join("configuration/basic");
    std::fs::create_dir_all(group.join("interface")).unwrap();
    std::fs::copy(netscaler_tests::fixtures().join("nitro/adc/docs/configuration/network/interface/interface.md"), group.join("interface/interface.md")).expect("fixture page");
    symlink(".", docs.join("configuration/a")).unwrap();
    symlink(".", docs.join("configuration/b")).unwrap();
    std::fs::create_dir_all(group.join("zero")).unwrap();
    symlink("/dev/zero", group.join("zero/zero.md")).unwrap();
    let lowered = read_nitro(&docs, &NitroSettings { product: Product::Adc, release: "9.9".into(), ..NitroSettings::default() });
    assert!(lowered.api.resources.contains_key("Interface"));
    let warnings = messages(&lowered, Severity::Warning);
    for link in ["configuration/a", "configuration/b", "configuration/basic/zero/zero.md"] {
        assert!(warnings.contains(&format!("{link}: warning: symlink not followed; only regular files and folders are read")), "{link}: {warnings:#?}");
    }

    let bundle = dir.join("bundle");
    std::fs::create_dir_all(bundle.join("html/config/demo")).unwrap();
    std::fs::copy(netscaler_tests::fixtures().join("bundle/adc/html/config/demo/widget.html"), bundle.join("html/config/demo/widget.html")).unwrap();
    symlink(".", bundle.join("html/a")).unwrap();
    symlink("/dev/zero", bundle.join("html/config/demo/zero.html")).unwrap();
    let lowered = read_bundle(&bundle, &BundleSettings { release: Some("9.9-1.1".into()), ..BundleSettings::default() });
    assert!(lowered.api.resources.contains_key("widget"));
    let warnings = messages(&lowered, Severity::Warning);
    assert!(warnings.iter().any(|w| w.contains("html/config/demo/zero.html: symlink not followed")), "{warnings:#?}");

    let lowered = read_openapi(Path::new("/dev/zero"), &OpenApiSettings::default());
    assert_eq!(messages(&lowered, Severity::Error), ["zero: error: cannot read the document: not a regular file (a device, FIFO or socket is never read)"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Folder, archive and `build.js` names with a multi-byte character right
/// before the digits: the release is still read, nothing panics.
#[test]
fn non_ascii_before_release_digits_is_read() {
    let dir = scratch("names");
    let page = std::fs::read(netscaler_tests::fixtures().join("bundle/adc/html/config/demo/widget.html")).expect("fixture page");
    let path = dir.join("ns_é11.1_nitro-rest.tgz");
    let build_js = "var version = \"版12.1\";\nvar build = \"48.10\";\n";
    write_tgz(&path, &[("ns_ß11.1/html/build.js", Source::Bytes(build_js.as_bytes())), ("ns_ß11.1/html/config/demo/widget.html", Source::Bytes(&page))]);
    let lowered = read_bundle(&path, &BundleSettings::default());
    assert_eq!(lowered.api.release, "12.1-48.10");
    assert!(lowered.api.resources.contains_key("widget"));

    // No version in build.js: the archive name's release, after `é`.
    write_tgz(&path, &[("ns_ß/html/build.js", Source::Bytes(b"var build = \"48.10\";\n")), ("ns_ß/html/config/demo/widget.html", Source::Bytes(&page))]);
    assert_eq!(read_bundle(&path, &BundleSettings::default()).api.release, "11.1-48.10");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Markup nested thousands deep (the HTML parser's time grows with the
/// square of the depth) is refused before parsing, naming the limit.
#[test]
fn deeply_nested_markup_is_refused_before_parsing() {
    let dir = scratch("deep");
    let page_dir = dir.join("docs/configuration/basic/deep");
    std::fs::create_dir_all(&page_dir).unwrap();
    let deep = "<ul><li>".repeat(50_000);
    let page = format!("#deep\n\n##Properties\n\n<table><thead><tr><th>Name</th><th>Data Type</th><th>Permissions</th><th>Description</th></tr></thead><tbody><tr><td>a</td><td>&lt;String></td><td>Read-write</td><td>{deep}</td></tr></tbody></table>\n\n##Operations\n");
    std::fs::write(page_dir.join("deep.md"), page).unwrap();
    let lowered = read_nitro(&dir.join("docs"), &NitroSettings { product: Product::Adc, release: "9.9".into(), ..NitroSettings::default() });
    let errors = messages(&lowered, Severity::Error);
    assert!(errors.iter().any(|e| e.contains("markup nested deeper than 256 elements")), "{errors:#?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An error confined to one operation or schema (a dangling `$ref` in one
/// body, a discriminator mapping naming a missing schema) degrades that
/// part with a warning naming its pointer; the rest is generated, a
/// summary lists what was degraded, and the backend emits a crate.
#[test]
fn a_partly_broken_document_still_yields_a_crate() {
    let text = r##"openapi: 3.0.3
info: {title: partly broken, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    post:
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Missing'}
      responses:
        '204': {description: done}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Shape:
      oneOf: [{$ref: '#/components/schemas/Pet'}, {type: string}]
      discriminator:
        propertyName: kind
        mapping: {pet: '#/components/schemas/Pet', ghost: '#/components/schemas/Ghost', other: Nowhere}
"##;
    let lowered = openapi(text, Limits::default());
    assert!(!lowered.has_errors(), "{:#?}", lowered.diagnostics);
    let warnings = messages(&lowered, Severity::Warning);
    let expected = [
        "hostile.yaml: warning: 3 part(s) degraded, the rest generated: /components/schemas/Shape/discriminator/mapping/ghost, /components/schemas/Shape/discriminator/mapping/other, /paths/~1pets/post/requestBody/content/application~1json/schema (hint: fix the document at these pointers for complete bindings)",
        "hostile.yaml:/components/schemas/Shape/discriminator/mapping/ghost: warning: Shape: $ref `#/components/schemas/Ghost` points to nothing in the document; read as any JSON value or skipped",
        "hostile.yaml:/components/schemas/Shape/discriminator/mapping/other: warning: Shape: discriminator mapping names `Nowhere`, which is not a schema; the tag is left out of the mapping",
        "hostile.yaml:/paths/~1pets/post/requestBody/content/application~1json/schema: warning: addPet: $ref `#/components/schemas/Missing` points to nothing in the document; read as any JSON value or skipped",
    ];
    assert_eq!(warnings, expected);
    let api = &lowered.api;
    let add = api.endpoints.values().find(|e| e.operation_id == "addPet").expect("addPet kept");
    assert_eq!(add.request.as_ref().map(|b| &b.type_ref), Some(&TypeRef::Any));
    assert!(api.endpoints.values().any(|e| e.operation_id == "listPets"));
    let SchemaShape::Union { discriminator: Some(discriminator), .. } = &api.schemas["Shape"].shape else { panic!("Shape is a union") };
    assert_eq!(discriminator.mapping.keys().collect::<Vec<_>>(), ["pet"]);

    let standalone = codegen::backend::standalone::Standalone {
        name: "partly".into(),
        version: "0.1.0".into(),
        license: "Apache-2.0".into(),
        repository: None,
        document: "hostile.yaml".into(),
    };
    let emitted = codegen::backend::emit(std::slice::from_ref(api), &codegen::backend::EmitSettings { standalone: Some(standalone), ..Default::default() });
    assert!(!emitted.diagnostics.iter().any(|d| d.severity == Severity::Error), "{:#?}", emitted.diagnostics);
    assert!(emitted.files.values().any(|text| text.contains("add_pet")), "{:?}", emitted.files.keys().collect::<Vec<_>>());
}
