//! Conformance: the real ADC 11.1-48.10 bundle and our 11.1 Markdown pages
//! are two renderings of one release. On the resources both hold, the
//! facts read through both readers must agree (names, kinds, groups,
//! types, permissions, enums, ranges, lengths, defaults, keys, operations
//! with method, path, action, args and payload keys); every difference is
//! listed and the list is asserted (`snapshots/generator__bundle_conformance__*`),
//! so a new difference fails the test.

use codegen::frontend::bundle::{read_bundle, BundleSettings};
use codegen::frontend::nitro::{read_nitro, NitroSettings};
use codegen::ir::{Api, Product, Resource};
use std::collections::BTreeSet;

/// Why two readings of one resource differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    /// The Markdown is a later 11.1 build: it has what the bundle has, plus
    /// more (`nodeid`, `ownernode`, rate fields, attributes, operations).
    MarkdownAdds,
    /// The 11.1 Markdown delete blocks of bindings lost their `?args=`
    /// example; the bundle keeps it.
    MarkdownOmitsDeleteArgs,
    /// Anything else: listed one by one in the test.
    Other,
}

struct Difference {
    class: Class,
    text: String,
}

/// Every fact-level difference between two readings of one resource.
fn differences(id: &str, bundle: &Resource, markdown: &Resource, out: &mut Vec<Difference>) {
    let mut diff = |class: Class, what: String| out.push(Difference { class, text: format!("{id}: {what}") });
    if bundle.kind != markdown.kind {
        diff(Class::Other, format!("kind {:?} vs {:?}", bundle.kind, markdown.kind));
    }
    if bundle.group != markdown.group {
        diff(Class::Other, format!("group `{}` vs `{}`", bundle.group, markdown.group));
    }
    if bundle.keys != markdown.keys {
        diff(superset(&bundle.keys, &markdown.keys), format!("keys {:?} vs {:?}", bundle.keys, markdown.keys));
    }
    let names = |r: &Resource| r.properties.keys().cloned().collect::<BTreeSet<_>>();
    let (b, m) = (names(bundle), names(markdown));
    for name in b.difference(&m) {
        diff(Class::Other, format!("property `{name}` only in the bundle"));
    }
    for name in m.difference(&b) {
        diff(Class::MarkdownAdds, format!("property `{name}` only in the markdown"));
    }
    for name in b.intersection(&m) {
        let (p, q) = (&bundle.properties[name], &markdown.properties[name]);
        let mut field = |what: &str, x: String, y: String| {
            if x != y {
                diff(Class::Other, format!("property `{name}` {what} {x} vs {y}"));
            }
        };
        field("type", p.data_type.reference_spelling(), q.data_type.reference_spelling());
        field("access", format!("{:?}", p.access), format!("{:?}", q.access));
        field("enum", format!("{:?}", p.enum_values), format!("{:?}", q.enum_values));
        field("min_value", format!("{:?}", p.min_value), format!("{:?}", q.min_value));
        field("max_value", format!("{:?}", p.max_value), format!("{:?}", q.max_value));
        field("min_length", format!("{:?}", p.min_length), format!("{:?}", q.min_length));
        field("max_length", format!("{:?}", p.max_length), format!("{:?}", q.max_length));
        field("default", format!("{:?}", p.default), format!("{:?}", q.default));
    }
    let ops = |r: &Resource| r.operations.keys().cloned().collect::<BTreeSet<_>>();
    let (b, m) = (ops(bundle), ops(markdown));
    for name in b.difference(&m) {
        diff(Class::Other, format!("operation `{name}` only in the bundle"));
    }
    for name in m.difference(&b) {
        diff(Class::MarkdownAdds, format!("operation `{name}` only in the markdown"));
    }
    for name in b.intersection(&m) {
        let (o, q) = (&bundle.operations[name], &markdown.operations[name]);
        let keys = |k: &[codegen::ir::PayloadKey]| k.iter().map(|k| k.name.clone()).collect::<Vec<_>>();
        let single = |x: String, y: String, what: &str, diff: &mut dyn FnMut(Class, String)| {
            if x != y {
                diff(Class::Other, format!("operation `{name}` {what} {x} vs {y}"));
            }
        };
        single(o.method.as_str().into(), q.method.as_str().into(), "method", &mut diff);
        single(o.path.clone(), q.path.clone(), "path", &mut diff);
        single(format!("{:?}", o.action), format!("{:?}", q.action), "action", &mut diff);
        let lists = [("query", o.query.clone(), q.query.clone()), ("args", keys(&o.args), keys(&q.args)), ("payload", keys(&o.payload), keys(&q.payload))];
        for (what, x, y) in lists {
            if x == y {
                continue;
            }
            let class = if name == "delete" && (what == "args" || what == "query") && y.is_empty() {
                Class::MarkdownOmitsDeleteArgs
            } else {
                superset(&x, &y)
            };
            diff(class, format!("operation `{name}` {what} {x:?} vs {y:?}"));
        }
    }
}

/// `MarkdownAdds` when the Markdown list holds every bundle item.
fn superset(bundle: &[String], markdown: &[String]) -> Class {
    if bundle.iter().all(|b| markdown.contains(b)) {
        Class::MarkdownAdds
    } else {
        Class::Other
    }
}

fn compare(bundle: &Api, markdown: &Api) -> (Vec<String>, Vec<Difference>) {
    let mut only = Vec::new();
    for id in bundle.resources.keys().filter(|id| !markdown.resources.contains_key(*id)) {
        only.push(format!("{id}: only in the bundle"));
    }
    for id in markdown.resources.keys().filter(|id| !bundle.resources.contains_key(*id)) {
        only.push(format!("{id}: only in the markdown"));
    }
    let mut diffs = Vec::new();
    for (id, b) in &bundle.resources {
        if let Some(m) = markdown.resources.get(id) {
            differences(id, b, m, &mut diffs);
        }
    }
    (only, diffs)
}

#[test]
fn bundle_11_1_matches_markdown_11_1() {
    // Absent data fails the test, unless NETSCALER_SKIP_CORPUS=1.
    let Some(shared) = netscaler_tests::shared_root() else { return };
    let docs = shared.join("nitro-docs");
    let bundle = read_bundle(&docs.join("appliance/adc/11.1-48.10"), &BundleSettings::default());
    assert!(!bundle.has_errors(), "bundle: {:?}", bundle.diagnostics.iter().filter(|d| d.severity == codegen::Severity::Error).collect::<Vec<_>>());
    assert_eq!(bundle.api.release, "11.1-48.10");
    let settings = NitroSettings { product: Product::Adc, release: "11.1".into(), descriptions: false, ..Default::default() };
    let markdown = read_nitro(&docs.join("adc/11.1/docs"), &settings);

    let (only, diffs) = compare(&bundle.api, &markdown.api);
    let shared_count = bundle.api.resources.keys().filter(|id| markdown.api.resources.contains_key(*id)).count();
    let mut by_class: std::collections::BTreeMap<Class, usize> = Default::default();
    for d in &diffs {
        *by_class.entry(d.class).or_default() += 1;
    }
    eprintln!(
        "bundle {} resources, markdown {}, shared {shared_count}; differences by class {by_class:?}",
        bundle.api.resources.len(),
        markdown.api.resources.len()
    );

    // The Markdown is a later 11.1 build: 12 pages more (audit global
    // bindings, clusterpropstatus, icaparameter, ping/traceroute), none less.
    assert_eq!(shared_count, 1242);
    assert_eq!(
        only,
        [
            "auditnslogglobal_auditnslogpolicy_binding: only in the markdown",
            "auditnslogglobal_binding: only in the markdown",
            "auditnslogpolicy_auditnslogglobal_binding: only in the markdown",
            "auditsyslogglobal_auditsyslogpolicy_binding: only in the markdown",
            "auditsyslogglobal_binding: only in the markdown",
            "auditsyslogpolicy_auditsyslogglobal_binding: only in the markdown",
            "clusterpropstatus: only in the markdown",
            "icaparameter: only in the markdown",
            "ping: only in the markdown",
            "ping6: only in the markdown",
            "traceroute: only in the markdown",
            "traceroute6: only in the markdown",
        ]
    );
    // No type, permission, enum, bound, length, method, path or action
    // disagreement on the shared resources. What differs is explained by
    // its class (counts asserted) or listed here one by one.
    let others: Vec<&str> = diffs.iter().filter(|d| d.class == Class::Other).map(|d| d.text.as_str()).collect();
    assert_eq!(
        others,
        [
            // The Markdown source doubles the backslashes of a regular
            // expression default (the bundle writes two, the Markdown four).
            r#"smppparam: property `addrrange` default Some("\\\\d*") vs Some("\\\\\\\\d*")"#,
            // Media counters the later build renamed (`catotaudio`, ...).
            "stat/ca: property `caaudiorate` only in the bundle",
            "stat/ca: property `cagetobjreqrate` only in the bundle",
            "stat/ca: property `carequestsrate` only in the bundle",
            "stat/ca: property `catoherrate` only in the bundle",
            "stat/ca: property `catotlookuphit` only in the bundle",
            "stat/ca: property `cavideorate` only in the bundle",
            "stat/mediaclassification: property `mcaudiorate` only in the bundle",
            "stat/mediaclassification: property `mctoherrate` only in the bundle",
            "stat/mediaclassification: property `mcvideorate` only in the bundle",
        ]
    );
    assert_eq!(by_class.get(&Class::MarkdownOmitsDeleteArgs), Some(&650), "325 binding deletes: `args` option and keys");
    assert_eq!(by_class.get(&Class::MarkdownAdds), Some(&110));
    // The full list, for review.
    let all: Vec<String> = diffs.iter().map(|d| format!("{:?}: {}", d.class, d.text)).collect();
    insta::assert_debug_snapshot!("bundle_conformance_differences", all);
}
