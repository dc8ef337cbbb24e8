//! The NITRO Markdown reader on fixtures we wrote in the real page format
//! (tests/fixtures/nitro/): the IR and the diagnostics as insta snapshots,
//! plus targeted checks of the facts each fixture was written to carry.

use codegen::frontend::nitro::{read_nitro, NitroSettings};
use codegen::ir::{snapshot_json, Access, DataType, Method, Product, ResourceKind};
use codegen::{Diagnostic, Lowered};

fn read(product: Product, descriptions: bool) -> Lowered {
    let folder = match product {
        Product::Adm => "adm",
        _ => "adc",
    };
    let docs = netscaler_tests::fixtures().join("nitro").join(folder).join("docs");
    read_nitro(&docs, &NitroSettings { product, release: "fixture".into(), descriptions, ..Default::default() })
}

fn rendered(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("{d}\n")).collect()
}

#[test]
fn adc_fixtures_ir_and_diagnostics() {
    let lowered = read(Product::Adc, false);
    insta::assert_snapshot!("adc_ir", snapshot_json(&lowered.api));
    insta::assert_snapshot!("adc_diagnostics", rendered(&lowered.diagnostics));
}

#[test]
fn adm_fixtures_ir_and_diagnostics() {
    let lowered = read(Product::Adm, false);
    insta::assert_snapshot!("adm_ir", snapshot_json(&lowered.api));
    insta::assert_snapshot!("adm_diagnostics", rendered(&lowered.diagnostics));
}

#[test]
fn generation_c_config_resource() {
    let lowered = read(Product::Adc, false);
    // The get (all) response names a key the table lacks: a note, not silence.
    assert!(rendered(&lowered.diagnostics)
        .contains("widgetserver.md: note: widgetserver: response payload keys not in the properties table: `notintable (get_all)`"));
    let api = lowered.api;
    assert_eq!(api.base_path, "/nitro/v1");
    // 9 resource pages; the group index page basic.md is not one.
    assert_eq!(api.source.pages, 9);
    let widget = &api.resources["widgetserver"];
    assert_eq!((widget.kind, widget.group.as_str()), (ResourceKind::Config, "lb"));
    assert_eq!(widget.keys, ["name"]);
    let mode = &widget.properties["mode"];
    assert_eq!(mode.enum_values, ["FAST", "SLOW", "OUT OF SERVICE"]);
    assert_eq!(mode.default.as_deref(), Some("FAST"));
    assert_eq!(mode.mandatory, Some(true));
    let port = &widget.properties["port"];
    assert_eq!((port.min_value, port.max_value, port.mandatory), (Some(1), Some(65535), Some(false)));
    assert_eq!(widget.properties["offset"].min_value, Some(-180));
    assert_eq!(widget.properties["tags"].data_type, DataType::StringList);
    // Not in the add payload: no mandatory fact either way.
    assert_eq!(widget.properties["curstate"].mandatory, None);
    assert_eq!(widget.properties["curstate"].access, Access::ReadOnly);
    assert_eq!(widget.properties["__count"].data_type, DataType::Double);
    assert_eq!(widget.properties["weight"].row, Some(4));

    let ops = &widget.operations;
    let names: Vec<&str> = ops.keys().map(String::as_str).collect();
    assert_eq!(names, ["action:enable", "add", "count", "delete", "get", "get_all", "unset", "update"]);
    assert_eq!(ops["delete"].path, "/config/widgetserver/{name}");
    assert_eq!(ops["unset"].action.as_deref(), Some("unset"));
    assert_eq!(ops["get_all"].query, ["attrs", "filter", "view", "pagination"]);
    assert_eq!(ops["count"].query, ["count"]);
    assert_eq!(ops["update"].method, Method::Put);
}

#[test]
fn binding_with_delete_args_and_aggregate() {
    let api = read(Product::Adc, false).api;
    let binding = &api.resources["widgetserver_gadget_binding"];
    assert_eq!(binding.kind, ResourceKind::Binding);
    let delete = &binding.operations["delete"];
    let args: Vec<(&str, bool)> = delete.args.iter().map(|a| (a.name.as_str(), a.mandatory)).collect();
    assert_eq!(args, [("gadget", true), ("priority", false)]);
    // The add URL lacks its `&gt;`; the path is still read.
    assert_eq!(binding.operations["add"].path, "/config/widgetserver_gadget_binding");
    assert_eq!(binding.operations["add"].method, Method::Put);
    assert_eq!(binding.operations["get_all"].query, ["bulkbindings"]);
    let aggregate = &api.resources["widgetserver_binding"];
    assert_eq!(
        aggregate.properties["widgetserver_gadget_binding"].data_type,
        DataType::BindingList("widgetserver_gadget_binding".into())
    );
}

#[test]
fn statistics_and_capitalised_resource() {
    let api = read(Product::Adc, false).api;
    let stat = &api.resources["stat/widgetserver"];
    assert_eq!((stat.kind, stat.keys.clone()), (ResourceKind::Stat, vec!["name".to_string()]));
    assert_eq!(stat.operations["get"].path, "/stat/widgetserver/{name}");
    let args: Vec<&str> = stat.operations["get_all"].args.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(args, ["name", "detail", "fullvalues", "ntimes", "logfile", "clearstats", "sortby", "sortorder"]);

    let interface = &api.resources["Interface"];
    assert_eq!((interface.name.as_str(), interface.group.as_str()), ("Interface", "network"));
    assert_eq!(interface.operations["get"].path, "/config/Interface/{id}");
    assert!(interface.properties.contains_key("Interface"));
}

#[test]
fn oddities_page() {
    let lowered = read(Product::Adc, false);
    let odd = &lowered.api.resources["oddthing"];
    // Ten rows, one repeating `i`: nine properties, `I` and `i` both kept.
    assert_eq!(odd.properties.len(), 9);
    assert_eq!(odd.properties["I"].data_type, DataType::Boolean);
    assert_eq!(odd.properties["i"].max_value, Some(4294967294));
    let kind = &odd.properties["type"];
    assert_eq!(kind.default.as_deref(), Some("none"));
    assert_eq!(
        kind.enum_values,
        ["none", "OUT OF SERVICE", "=", "!=", "SSL card(s) of the node have failed", "GMT+02:00-CEST-Europe/Andorra"]
    );
    assert_eq!(odd.properties["mode"].default.as_deref(), Some("ipfix"));
    assert!(odd.properties["mode"].enum_values.is_empty());
    assert_eq!((odd.properties["limit"].min_value, odd.properties["limit"].max_value), (Some(0), None));
    assert_eq!((odd.properties["range"].min_value, odd.properties["range"].max_value), (None, None));
    assert_eq!(odd.properties["note"].max_length, Some(9));
    // No bold marks anywhere on the page: no mandatory facts.
    assert!(odd.properties.values().all(|p| p.mandatory.is_none()));
    // `Clear:` heading, `?action=reset` URL.
    assert_eq!(odd.operations["action:Clear"].action.as_deref(), Some("reset"));
    let payload: Vec<&str> = odd.operations["add"].payload.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(payload, ["name", "I", "i", "type", "ghost"]);
    let messages = rendered(&lowered.diagnostics);
    for expected in [
        "oddthing.md:row 10: warning: oddthing: property `i` repeats row 3",
        "oddthing.md:row 5: warning: oddthing: property `mode`: empty `Possible values =`",
        "oddthing.md:row 6: warning: oddthing: property `limit`: empty `maximum value` bound",
        "oddthing.md: warning: oddthing: key `ghost` of `add` is not in the properties table",
        "oddthing.md: warning: oddthing: `add` payload repeats key `type`",
        "oddthing.md: warning: oddthing: `get_all` `?args=` repeats key `type`",
    ] {
        assert!(messages.contains(expected), "missing `{expected}` in:\n{messages}");
    }
}

#[test]
fn generation_a_stub_and_operations_only_pages() {
    let lowered = read(Product::Adc, false);
    let api = &lowered.api;
    let old = &api.resources["oldthing"];
    assert_eq!(old.group, "basic");
    let add = &old.operations["add"];
    assert_eq!(add.path, "/config/oldthing");
    // Only the resource's keys; `params` gives the query options.
    let payload: Vec<&str> = add.payload.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(payload, ["name", "size"]);
    assert_eq!(add.query, ["warning", "onerror"]);
    let rename = &old.operations["action:rename"];
    assert_eq!((rename.path.as_str(), rename.action.as_deref()), ("/config/oldthing", Some("rename")));
    let payload: Vec<&str> = rename.payload.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(payload, ["name", "newname"]);
    assert_eq!(old.operations["get_all"].query, ["filter", "view", "pagination"]);

    let stub = &api.resources["oldthing_gadget_binding"];
    assert!(stub.no_table && stub.properties.is_empty() && stub.operations.is_empty());
    assert_eq!(stub.group, "mysteryarea");
    let nap = &api.resources["nsnap"];
    assert!(nap.no_table);
    assert_eq!(nap.operations["action:Doze"].payload.len(), 1);
    let messages = rendered(&lowered.diagnostics);
    assert!(messages.contains("oldthing_gadget_binding.md: warning: oldthing_gadget_binding: documentation stub"));
    assert!(messages.contains("folder `mystery-area` has no known short group; `mysteryarea` is used"));
    assert!(messages.contains("nsnap.md: note: nsnap: no properties table (operations only)"));
}

#[test]
fn adm_object_types_null_methods_and_duplicates() {
    let lowered = read(Product::Adm, false);
    let api = &lowered.api;
    assert_eq!(api.source.pages, 3);
    let bundle = &api.resources["certbundle"];
    assert_eq!(bundle.group, "device_ssl_certificates");
    assert_eq!(bundle.properties["owner"].data_type, DataType::Object("cert_owner".into()));
    assert_eq!(bundle.properties["entries"].data_type, DataType::ObjectList("cert_entry".into()));
    assert_eq!(bundle.properties["retries"].max_value, None);
    assert_eq!(bundle.properties["file_name"].mandatory, Some(true));
    assert_eq!(bundle.properties["lowCPU"].mandatory, Some(false));
    assert_eq!(bundle.keys, ["id"]);
    let ops = &bundle.operations;
    assert!(ops.values().all(|op| op.method_inferred));
    assert_eq!((ops["add"].method, ops["add"].query.clone()), (Method::Post, vec!["onerror".to_string()]));
    assert_eq!((ops["update"].method, ops["update"].path.as_str()), (Method::Put, "/config/certbundle/{id}"));
    assert_eq!((ops["action:poll"].method, ops["action:poll"].action.as_deref()), (Method::Post, Some("poll")));
    assert_eq!((ops["action:download"].method, ops["action:download"].path.as_str()), (Method::Get, "/download/certbundle/{file_name}"));
    // The fuller of the two tenant pages is kept, the other reported.
    assert_eq!(api.resources["tenant"].origin.file, "configuration/system/tenant.md");
    assert!(rendered(&lowered.diagnostics).contains("resource also defined by `configuration/orchestration/openstack/tenant.md`"));
}

#[test]
fn descriptions_are_opt_in() {
    let without = snapshot_json(&read(Product::Adc, false).api);
    assert!(!without.contains("\"description\""));
    assert!(!without.contains("made-up"));
    let api = read(Product::Adc, true).api;
    let widget = &api.resources["widgetserver"];
    assert_eq!(widget.description.as_deref(), Some("A made-up virtual widget server used only by these tests."));
    // The prose only: constraint lines are facts of their own.
    assert_eq!(widget.properties["mode"].description.as_deref(), Some("How the widget spins."));
    assert_eq!(
        widget.properties["port"].description.as_deref(),
        Some("Port it listens on.\n* in CLI is represented as 65535 in NITRO API")
    );
    let odd = &api.resources["oddthing"];
    assert_eq!(odd.properties["note"].description.as_deref(), Some("Escaped markup such as <string of 9 characters> stays text."));
}

#[test]
fn missing_docs_folder_is_an_error_not_a_panic() {
    let lowered = read_nitro(
        &netscaler_tests::fixtures().join("nitro").join("no-such-folder"),
        &NitroSettings { product: Product::Adc, release: "x".into(), descriptions: false, ..Default::default() },
    );
    assert!(lowered.has_errors());
    assert!(lowered.api.resources.is_empty());
}
