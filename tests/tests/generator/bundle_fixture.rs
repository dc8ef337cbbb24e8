//! The appliance-bundle reader on bundles built here from our own pages
//! (`tests/fixtures/bundle/`): an ADC `nitro-rest.tgz` holding a nested tar
//! with a wrapper folder, the same pages as a folder, an ADM variant as a
//! plain tar, and broken inputs. The pages carry every oddity of the real
//! bundles (see `../shared/reference/appliance-bundle-format.md` §5).

use codegen::frontend::bundle::{read_bundle, BundleSettings};
use codegen::ir::{Access, DataType, Method, Product, SourceFormat};
use codegen::{Lowered, Severity};
use std::path::{Path, PathBuf};

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("netscaler-bundle-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// A tar of every file under `root`, each under `wrapper/` (sorted, so the
/// archive is the same on every run).
fn tar_of(root: &Path, wrapper: &str) -> Vec<u8> {
    let mut files = Vec::new();
    collect(root, root, &mut files);
    files.sort();
    let members: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|rel| (format!("{wrapper}/{rel}"), std::fs::read(root.join(&rel)).expect("fixture file")))
        .collect();
    tar_members(&members.iter().map(|(n, d)| (n.as_str(), d.as_slice())).collect::<Vec<_>>())
}

fn tar_members(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in members {
        append(&mut builder, name, data);
    }
    builder.into_inner().expect("tar")
}

fn append(builder: &mut tar::Builder<Vec<u8>>, path: &str, data: &[u8]) {
    let mut header = tar::Header::new_ustar();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    builder.append_data(&mut header, path, data).expect("tar member");
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("fixture folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
        }
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("gzip");
    encoder.finish().expect("gzip")
}

/// `nitro-rest.tgz` > `ns_9.9_nitro-rest_demo_1_1.tar` > `ns_9.9_nitro-rest_demo_1_1/...`,
/// plus a PDF the reader must skip.
fn adc_tgz(dir: &Path) -> PathBuf {
    let root = netscaler_tests::fixtures().join("bundle/adc");
    let inner = tar_of(&root, "ns_9.9_nitro-rest_demo_1_1");
    let outer = tar_members(&[("ns_9.9_nitro-rest_demo_1_1.tar", &inner), ("doc/guide.pdf", b"%PDF-1.4 not a page")]);
    let path = dir.join("nitro-rest.tgz");
    std::fs::write(&path, gzip(&outer)).expect("write tgz");
    path
}

fn messages(lowered: &Lowered) -> Vec<String> {
    lowered.diagnostics.iter().map(ToString::to_string).collect()
}

#[test]
fn adc_bundle_from_nested_tgz() {
    let dir = scratch("adc");
    let lowered = read_bundle(&adc_tgz(&dir), &BundleSettings::default());
    assert!(!lowered.has_errors(), "{:#?}", messages(&lowered));
    let api = &lowered.api;

    assert_eq!(api.product, Product::Adc);
    assert_eq!(api.release, "9.9-1.1", "major.minor from the nested tar name, build from build.js");
    assert_eq!(api.source.format, SourceFormat::ApplianceBundle);
    assert_eq!(api.base_path, "/nitro/v1");
    assert_eq!(api.source.pages, 5, "index pages are not resource pages");
    let ids: Vec<&str> = api.resources.keys().map(String::as_str).collect();
    assert_eq!(ids, ["demo", "stat/widget", "widget", "widget_binding", "widget_gizmo_binding"]);

    let widget = &api.resources["widget"];
    assert_eq!(widget.group, "demo");
    assert_eq!(widget.keys, ["name"]);
    let typed: Vec<(&str, DataType, Access)> =
        widget.properties.values().map(|p| (p.name.as_str(), p.data_type.clone(), p.access)).collect();
    assert_eq!(
        typed,
        [
            ("__count", DataType::Double, Access::ReadOnly),
            ("count", DataType::Integer, Access::ReadWrite),
            ("enabled", DataType::Boolean, Access::ReadWrite),
            ("health", DataType::String, Access::ReadOnly),
            ("name", DataType::String, Access::ReadWrite),
            ("size", DataType::Double, Access::ReadWrite),
            ("slots", DataType::IntegerList, Access::ReadWrite),
            ("state", DataType::String, Access::ReadWrite),
            ("tags", DataType::StringList, Access::ReadWrite),
            ("weights", DataType::DoubleList, Access::ReadWrite),
        ]
    );
    let p = &widget.properties;
    assert_eq!((p["name"].min_length, p["name"].max_length), (Some(1), Some(31)), "two spaces after `=`");
    assert_eq!((p["size"].min_value, p["size"].max_value, p["size"].default.as_deref()), (Some(0), Some(100), Some("5")));
    assert_eq!((p["count"].min_value, p["count"].max_value), (Some(1), Some(65535)), "`Range a - b`");
    assert_eq!(p["state"].enum_values, ["ON", "OFF", "HALF WAY"]);
    assert_eq!(p["state"].default.as_deref(), Some("OFF"), "one pair of quotes removed");
    assert!(p["tags"].enum_values.is_empty(), "empty `Possible values =`");
    assert_eq!(p["health"].enum_values, ["UP", "DOWN", "OUT OF SERVICE"]);
    assert_eq!(p["name"].mandatory, Some(true), "red-bold wrapper in the add payload");
    assert_eq!(p["size"].mandatory, Some(false));
    assert!(p.values().all(|p| p.description.is_none()), "no prose without opting in");

    let ops = &widget.operations;
    let names: Vec<&str> = ops.keys().map(String::as_str).collect();
    assert_eq!(names, ["action:enable", "add", "count", "delete", "get", "get_all", "unset", "update"]);
    assert_eq!((ops["get"].method, ops["get"].path.as_str()), (Method::Get, "/config/widget/{name}"), "heading `get`, anchor get-byname");
    assert_eq!((ops["get_all"].method, ops["get_all"].path.as_str()), (Method::Get, "/config/widget"), "heading `get (all)`, anchor get");
    assert_eq!(ops["get_all"].query, ["attrs", "filter", "view", "pagination"]);
    assert_eq!(ops["action:enable"].action.as_deref(), Some("enable"));
    assert_eq!(ops["unset"].action.as_deref(), Some("unset"));
    let delete_args: Vec<(&str, bool)> = ops["delete"].args.iter().map(|k| (k.name.as_str(), k.mandatory)).collect();
    assert_eq!(delete_args, [("size", true), ("count", false)], "red args are mandatory");
    let add_payload: Vec<(&str, bool)> = ops["add"].payload.iter().map(|k| (k.name.as_str(), k.mandatory)).collect();
    assert_eq!(add_payload, [("name", true), ("size", false), ("state", false), ("tags", false)]);

    let binding = &api.resources["widget_gizmo_binding"];
    assert_eq!(binding.operations["add"].method, Method::Put, "`add:` heading, url missing its `>`");
    assert_eq!(binding.operations["get_all"].query, ["bulkbindings"], "red bulkbindings flag");
    assert_eq!(binding.properties["order"].min_value, Some(-10));
    let aggregate = &api.resources["widget_binding"];
    assert_eq!(aggregate.properties["widget_gizmo_binding"].data_type, DataType::BindingList("widget_gizmo_binding".into()));
    assert_eq!(aggregate.properties["widget_gizmo_binding"].access, Access::ReadOnly);
    let stat = &api.resources["stat/widget"];
    assert_eq!(stat.operations["get"].path, "/stat/widget/{name}", "stat key `name_value>&lt;String&gt;`");
    assert_eq!(api.resources["demo"].properties["level"].max_value, Some(4_294_967_294));

    let errors: Vec<(&str, Option<i64>, &str)> =
        api.errors.values().map(|e| (e.name.as_str(), e.code, e.section.as_str())).collect();
    assert_eq!(
        errors,
        [("DEMOERR_FIRST", Some(256), "alpha"), ("DEMOERR_UPPER_HEX", Some(2746), "alpha"), ("DEMOWARN_SOFT", None, "warning")]
    );
    assert!(api.errors.values().all(|e| e.message.is_none()));

    insta::assert_json_snapshot!("bundle_adc_api", api);
    insta::assert_debug_snapshot!("bundle_adc_diagnostics", messages(&lowered));
}

#[test]
fn folder_and_tgz_read_alike() {
    let dir = scratch("alike");
    let from_tgz = read_bundle(&adc_tgz(&dir), &BundleSettings::default());
    // The folder's own name carries no release: give the one the tgz found.
    let settings = BundleSettings { release: Some("9.9-1.1".into()), ..BundleSettings::default() };
    let from_folder = read_bundle(&netscaler_tests::fixtures().join("bundle/adc"), &settings);
    assert_eq!(from_tgz.api, from_folder.api);
}

#[test]
fn adm_bundle_from_plain_tar() {
    let dir = scratch("adm");
    let tar = tar_of(&netscaler_tests::fixtures().join("bundle/adm"), "mas_nitro-rest_9.8-2.3");
    let path = dir.join("mas_nitro-rest_9.8-2.3.tar");
    std::fs::write(&path, tar).expect("write tar");
    let lowered = read_bundle(&path, &BundleSettings::default());
    assert!(!lowered.has_errors(), "{:#?}", messages(&lowered));
    let api = &lowered.api;
    assert_eq!(api.product, Product::Adm, "no config/ or stat/ folder");
    assert_eq!(api.release, "9.8-2.3");
    assert_eq!(api.base_path, "/nitro/v2");
    let pool = &api.resources["gadget_pool"];
    assert_eq!(pool.group, "gadget_things", "category folder with a space");
    assert!(!pool.properties.contains_key("onerror"), "escaped-quote pseudo-property is not a property");
    assert_eq!(pool.properties["pool_name"].max_length, Some(64), "leading space before the constraint");
    assert_eq!(pool.properties["size"].max_value, None, "empty bound");
    assert_eq!(pool.properties["members"].data_type, DataType::ObjectList("gadget_member".into()));
    assert_eq!(pool.properties["owner"].data_type, DataType::Object("owner_info".into()));
    assert_eq!(pool.properties["pool_name"].mandatory, Some(true));
    let names: Vec<&str> = pool.operations.keys().map(String::as_str).collect();
    assert_eq!(names, ["action:poll", "action:upload", "add", "get", "get_all", "update"], "`modify` is ADM's update; anchor get_all");
    assert_eq!(pool.operations["action:upload"].path, "/upload/gadget_pool");
    assert!(pool.operations["action:upload"].payload.is_empty(), "the response payload is not the request's");
    let report = &api.resources["gadget_report"];
    assert_eq!(report.group, "gadget_things");
    assert!(report.operations.is_empty(), "`/macro/v1` operation left out, not given a /nitro path");
    assert_eq!(pool.operations["get_all"].query, ["filter", "pagination", "count"]);
    assert_eq!(pool.operations["update"].path, "/config/gadget_pool/{id}");
    assert_eq!(pool.operations["add"].method, Method::Post, "`HTTPS Method:` label");
    assert_eq!(api.errors["GADGET_POOL_FULL"].code, Some(400017));

    insta::assert_json_snapshot!("bundle_adm_api", api);
    insta::assert_debug_snapshot!("bundle_adm_diagnostics", messages(&lowered));
}

#[test]
fn overrides_and_opt_in_prose() {
    let settings = BundleSettings { product: Some(Product::Adc), release: Some("13.1-1.2".into()), descriptions: true, ..Default::default() };
    let lowered = read_bundle(&netscaler_tests::fixtures().join("bundle/adc"), &settings);
    let api = &lowered.api;
    assert_eq!(api.release, "13.1-1.2");
    let state = &api.resources["widget"].properties["state"];
    assert_eq!(state.description.as_deref(), Some("Mode with \u{201C}quoted\u{201D} words."), "cp1252 bytes in a UTF-8 page");
    let name = &api.resources["widget"].properties["name"];
    assert_eq!(name.description.as_deref(), Some("Label of the widget.\nSecond line of prose kept in one paragraph."));
    assert_eq!(api.resources["widget"].description.as_deref(), Some("A made-up object for reader tests."));
    assert_eq!(api.errors["DEMOERR_FIRST"].message.as_deref(), Some("The first thing went wrong"));
    assert_eq!(api.errors["DEMOERR_UPPER_HEX"].message, None, "empty message");
}

#[test]
fn broken_inputs_are_diagnosed_not_panicked() {
    let dir = scratch("broken");
    let junk = dir.join("junk.tgz");
    std::fs::write(&junk, b"this is not an archive").unwrap();
    let lowered = read_bundle(&junk, &BundleSettings::default());
    assert!(lowered.has_errors());
    assert!(lowered.api.resources.is_empty());

    // A download cut short: what was read is kept, and the cut is reported.
    let full = std::fs::read(adc_tgz(&dir)).unwrap();
    let cut = dir.join("cut.tgz");
    std::fs::write(&cut, &full[..full.len() / 2]).unwrap();
    let lowered = read_bundle(&cut, &BundleSettings::default());
    assert!(lowered.diagnostics.iter().any(|d| d.severity <= Severity::Warning && d.message.contains("damaged")), "{:#?}", messages(&lowered));

    let missing = read_bundle(&dir.join("absent.tgz"), &BundleSettings::default());
    assert!(missing.has_errors());
}

#[test]
fn older_adm_layout_reads_the_newest_version_folder() {
    let lowered = read_bundle(&netscaler_tests::fixtures().join("bundle/mas"), &BundleSettings::default());
    assert!(!lowered.has_errors(), "{:#?}", messages(&lowered));
    let api = &lowered.api;
    assert_eq!(api.product, Product::Adm, "flat config_v1/config_v2 folders");
    assert_eq!(api.base_path, "/nitro/v2");
    let ids: Vec<&str> = api.resources.keys().map(String::as_str).collect();
    assert_eq!(ids, ["tray"], "config_v1/ pages are not read when config_v2/ exists");
    assert_eq!(api.resources["tray"].properties.len(), 2, "the v2 page");
    assert_eq!(api.resources["tray"].group, "");
    insta::assert_debug_snapshot!("bundle_mas_diagnostics", messages(&lowered));
}

#[test]
fn adm_html_folder_alone_keeps_its_categories() {
    let settings = BundleSettings { release: Some("9.8-2.3".into()), ..BundleSettings::default() };
    let lowered = read_bundle(&netscaler_tests::fixtures().join("bundle/adm/html"), &settings);
    assert_eq!(lowered.api.product, Product::Adm);
    assert_eq!(lowered.api.resources["gadget_pool"].group, "gadget_things", "category, not the sub-folder `Pools`");
}
