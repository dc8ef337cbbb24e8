//! Error listings: the bundle's `errorlisting.html` (ADC 4 columns, ADM 3
//! columns) and the Markdown `error-messages/**` pages, on our fixtures and,
//! when `../shared` is present, on the real listings (counts and a
//! cross-check of codes between renderings and releases).

use codegen::frontend::errors::{read_error_listing, read_error_pages, section_slug};
use codegen::frontend::facts::read_facts_errors;
use std::collections::BTreeMap;

fn codes(table: &BTreeMap<String, codegen::ir::ErrorCode>) -> Vec<(String, Option<i64>, String)> {
    table.values().map(|e| (e.name.clone(), e.code, e.section.clone())).collect()
}

#[test]
fn section_titles() {
    assert_eq!(section_slug("  INTERNAL NAMESERVER ERRORS").as_deref(), Some("internal-nameserver"));
    assert_eq!(section_slug("0x300 ERRORS").as_deref(), Some("0x300"));
    assert_eq!(section_slug("ERRORS").as_deref(), Some(""));
    assert_eq!(section_slug("WARNING").as_deref(), Some("warning"));
    assert_eq!(section_slug("Error Messages"), None);
}

#[test]
fn bundle_listing_fixture() {
    let path = netscaler_tests::fixtures().join("bundle/adc/html/errorlisting.html");
    let table = read_error_listing(&std::fs::read(path).unwrap(), "html/errorlisting.html", false);
    assert_eq!(
        codes(&table.errors),
        [
            ("DEMOERR_FIRST".to_string(), Some(256), "alpha".to_string()),
            ("DEMOERR_UPPER_HEX".to_string(), Some(2746), "alpha".to_string()),
            ("DEMOWARN_SOFT".to_string(), None, "warning".to_string()),
        ],
        "trailing tabs trimmed, `0X` hex accepted, warning row without a code"
    );
    assert!(table.diagnostics.is_empty(), "{:?}", table.diagnostics);
    assert!(table.errors.values().all(|e| e.message.is_none()), "messages only on request");
}

#[test]
fn markdown_pages_fixture() {
    let table = read_error_pages(&netscaler_tests::fixtures().join("errors"), true);
    assert_eq!(table.pages, 3);
    assert_eq!(
        codes(&table.errors),
        [
            ("DEMOERR_BAD_HEX".to_string(), Some(771), "demo".to_string()),
            ("DEMOERR_ONE".to_string(), Some(769), "demo".to_string()),
            ("DEMOERR_TWO".to_string(), Some(770), "demo".to_string()),
            ("OTHERERR_CLASH".to_string(), Some(772), "other-thing".to_string()),
        ],
        "`<tr><tr>` rows read; first listing of a name wins"
    );
    assert_eq!(table.errors["DEMOERR_ONE"].message.as_deref(), Some("One thing failed."));
    let messages: Vec<String> = table.diagnostics.iter().map(|d| d.to_string()).collect();
    insta::assert_debug_snapshot!("errors_markdown_fixture_diagnostics", messages);
}

#[test]
fn real_listings() {
    // Absent data fails the test, unless NETSCALER_SKIP_CORPUS=1.
    let Some(shared) = netscaler_tests::shared_root() else { return };
    let docs = shared.join("nitro-docs");
    let adc = read_error_listing(
        &std::fs::read(docs.join("appliance/adc/11.1-48.10/html/errorlisting.html")).unwrap(),
        "html/errorlisting.html",
        false,
    );
    // 66 sections, 6 of them empty; 2896 rows with a code plus 8 warning rows.
    assert_eq!(adc.errors.len(), 2904);
    assert_eq!(adc.errors.values().filter(|e| e.code.is_none()).count(), 8);
    let sections: std::collections::BTreeSet<&str> = adc.errors.values().map(|e| e.section.as_str()).collect();
    assert_eq!(sections.len(), 60);
    assert!(adc.diagnostics.is_empty(), "{:?}", adc.diagnostics);
    assert_eq!(adc.errors["NSERR_NOENT"].code, Some(258));

    let adm = read_error_listing(
        &std::fs::read(docs.join("appliance/adm/14.1-60.54/doc/errorlisting.html")).unwrap(),
        "doc/errorlisting.html",
        false,
    );
    assert_eq!(adm.errors.len(), 177);
    assert!(adm.errors.values().all(|e| e.code.is_some() && e.section.is_empty()));

    let mut pages = BTreeMap::new();
    for release in ["10.5", "11.0", "11.1", "12.0", "12.0-FR4", "12.1"] {
        let table = read_error_pages(&docs.join("adc").join(release), false);
        assert!(table.diagnostics.iter().all(|d| d.severity == codegen::Severity::Note), "{release}: {:?}", table.diagnostics);
        pages.insert(release, table.errors);
    }
    let counts: Vec<usize> = pages.values().map(BTreeMap::len).collect();
    assert_eq!(counts, [2244, 2657, 2912, 3027, 3096, 3176]);

    // Same release, two renderings: every name both list has one code.
    let md = &pages["11.1"];
    let shared_names: Vec<&String> = adc.errors.keys().filter(|n| md.contains_key(*n)).collect();
    let differing: Vec<&&String> = shared_names.iter().filter(|n| adc.errors[**n].code != md[**n].code).collect();
    assert!(differing.is_empty(), "{differing:?}");
    eprintln!("11.1 bundle vs Markdown: {} names shared, bundle only {}, Markdown only {}",
        shared_names.len(), adc.errors.len() - shared_names.len(), md.len() - shared_names.len());

    // Derived 14.1 names agree with 12.1 on every shared name.
    let (derived, diagnostics) = read_facts_errors(&shared.join("nitro-facts/errors-14.1.json"));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(derived.len(), 3368);
    let twelve = &pages["12.1"];
    let shared_12: Vec<&String> = derived.keys().filter(|n| twelve.contains_key(*n)).collect();
    assert!(shared_12.iter().all(|n| derived[*n].code == twelve[*n].code || derived[*n].code.is_none()));
    eprintln!("14.1 derived vs 12.1 pages: {} names shared", shared_12.len());
}
