//! The committed snapshots built by `cargo xtask facts` and
//! `cargo xtask scrape-bundle` are what those commands produce today from
//! `../shared` (absent: the test fails, unless NETSCALER_SKIP_CORPUS=1):
//! - `specs/nitro/adc/13.1.json`, `14.1.json`: derived facts over the
//!   committed `12.1.json` (14.1 with the derived error listing);
//! - `specs/nitro/adm/14.1.json`: the ADM 14.1-60.54 appliance bundle.
//!
//! Regenerate with the commands in the failure message.

use codegen::frontend::bundle::{read_bundle, BundleSettings};
use codegen::frontend::facts::{overlay_errors, read_facts, read_facts_errors};
use codegen::ir::{snapshot_json, Api};

fn committed(path: &str) -> String {
    std::fs::read_to_string(netscaler_tests::workspace_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn derived_snapshots_are_fresh() {
    // Absent data fails the test, unless NETSCALER_SKIP_CORPUS=1.
    let Some(shared) = netscaler_tests::shared_root() else { return };
    let base: Api = serde_json::from_str(&committed("specs/nitro/adc/12.1.json")).expect("12.1 snapshot");
    for release in ["13.1", "14.1"] {
        let mut lowered = read_facts(&shared.join(format!("nitro-facts/adc-{release}.json")), Some(&base));
        let errors = shared.join(format!("nitro-facts/errors-{release}.json"));
        if errors.exists() {
            overlay_errors(&mut lowered.api, read_facts_errors(&errors).0);
        }
        assert!(!lowered.has_errors());
        let path = format!("specs/nitro/adc/{release}.json");
        assert!(snapshot_json(&lowered.api) == committed(&path), "{path} is stale: cargo xtask facts --facts ../shared/nitro-facts/adc-{release}.json --base specs/nitro/adc/12.1.json [--errors ...] --out {path}");
    }
}

#[test]
fn adm_bundle_snapshot_is_fresh() {
    // Absent data fails the test, unless NETSCALER_SKIP_CORPUS=1.
    let Some(shared) = netscaler_tests::shared_root() else { return };
    let settings = BundleSettings { release: Some("14.1".into()), ..BundleSettings::default() };
    let lowered = read_bundle(&shared.join("nitro-docs/appliance/adm/14.1-60.54"), &settings);
    assert!(!lowered.has_errors());
    assert!(
        snapshot_json(&lowered.api) == committed("specs/nitro/adm/14.1.json"),
        "specs/nitro/adm/14.1.json is stale: cargo xtask scrape-bundle --docs ../shared/nitro-docs/appliance/adm/14.1-60.54 --release 14.1 --out specs/nitro/adm/14.1.json"
    );
    assert_eq!(lowered.api.source.pages, 967);
    assert_eq!(lowered.api.resources.len(), 963);
    assert_eq!(lowered.api.errors.len(), 177);
}
