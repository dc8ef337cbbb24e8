//! The properties `codegen::ir::secret` marks as secrets in the newest ADC
//! and ADM releases of `specs/`, listed in a reviewed snapshot: a change
//! of the rule or of the reference shows here as a diff to read. The
//! models redact these fields in `Debug`.

use codegen::ir::{secret, Api, ResourceKind};
use netscaler_tests::workspace_root;

fn marked(path: &str) -> Vec<String> {
    let file = workspace_root().join(path);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
    let mut api: Api = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
    secret::mark(&mut api);
    let mut lines = Vec::new();
    for resource in api.resources.values().filter(|resource| resource.kind != ResourceKind::Stat) {
        for property in resource.properties.values().filter(|property| property.secret) {
            lines.push(format!("{}.{}", resource.name, property.name));
        }
    }
    lines
}

#[test]
fn secret_properties_of_the_newest_releases() {
    let adc = marked("specs/nitro/adc/14.1.json");
    let adm = marked("specs/nitro/adm/14.1.json");
    // The ones every user meets must be among them.
    for expected in ["systemuser.password", "sslcertkey.passplain", "authenticationradiusaction.radkey", "lbmonitor.password"] {
        assert!(adc.contains(&expected.to_string()), "{expected} not marked");
    }
    for not_secret in ["sslcertkey.key", "sslcertkey.certkey", "sslvserver_sslcertkey_binding.certkeyname"] {
        assert!(!adc.contains(&not_secret.to_string()), "{not_secret} marked");
    }
    let text = format!(
        "ADC 14.1: {} properties\n{}\n\nADM 14.1: {} properties\n{}\n",
        adc.len(),
        adc.join("\n"),
        adm.len(),
        adm.join("\n")
    );
    insta::assert_snapshot!("secret_properties", text);
}
