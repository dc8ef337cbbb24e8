//! "Connecting to an appliance" as the docs tell it, against an HTTPS
//! server on 127.0.0.1 whose certificate is signed by a CA made here (as an
//! appliance's own certificate is trusted by nothing): `Client::from_env`'s
//! variables (`NS_CA_FILE` trusts the CA, `NS_INSECURE=1` trusts anything,
//! neither: refused), and the Next-Gen client's certificate error saying
//! how to trust the appliance, with no credential in its text.

use netscaler_tests::tls_server::{self, Issuer};
use netscaler::adc::lb::Lbvserver;
use netscaler::runtime::nextgen::{self, NextgenClient};
use netscaler::{ClientBuilder, Error};

/// Starts an HTTPS responder answering every request with a login-style
/// NITRO body holding one `lbvserver`; returns its URL and the CA (PEM).
async fn start_tls_server() -> (String, String) {
    let body = r#"{"errorcode":0,"message":"Done","severity":"NONE","sessionid":"tls-session","lbvserver":[{"name":"tls-vs"}]}"#;
    let server = tls_server::start("127.0.0.1", Issuer::TestCa, body).await;
    (server.url, server.trust_pem)
}

fn vars(pairs: Vec<(&'static str, String)>) -> impl Fn(&str) -> Option<String> {
    move |name| pairs.iter().find(|(key, _)| *key == name).map(|(_, value)| value.clone())
}

#[tokio::test]
async fn from_env_trusts_the_ca_file_or_for_a_lab_anything() {
    let (url, ca_pem) = start_tls_server().await;
    let ca_file = std::env::temp_dir().join(format!("netscaler-connecting-{}.pem", std::process::id()));
    std::fs::write(&ca_file, &ca_pem).unwrap();
    let base = vec![("NS_URL", url.clone()), ("NS_USER", "nsroot".to_string()), ("NS_PASSWORD", "pa55".to_string())];

    // No trust configured: refused.
    let client = ClientBuilder::from_vars(vars(base.clone())).unwrap().build().unwrap();
    let error = client.send(Lbvserver::get_all()).await.expect_err("an unknown CA is refused");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");

    let mut with_ca = base.clone();
    with_ca.push(("NS_CA_FILE", ca_file.to_string_lossy().into_owned()));
    let client = ClientBuilder::from_vars(vars(with_ca)).unwrap().build().unwrap();
    let got = client.send(Lbvserver::get_all()).await.expect("NS_CA_FILE trusts the appliance");
    assert_eq!(got[0].name.as_deref(), Some("tls-vs"));
    std::fs::remove_file(&ca_file).unwrap();

    let mut lab = base.clone();
    lab.push(("NS_INSECURE", "1".to_string()));
    let client = ClientBuilder::from_vars(vars(lab)).unwrap().build().unwrap();
    assert_eq!(client.send(Lbvserver::get_all()).await.expect("NS_INSECURE=1").len(), 1);
}

#[tokio::test]
async fn a_nextgen_certificate_error_says_how_to_trust_the_appliance() {
    let (url, ca_pem) = start_tls_server().await;
    let client = NextgenClient::builder(&url).auth_query("key", "S3CRET-key").build().unwrap();
    let error = client.send(nextgen::Request::<Vec<u8>>::raw(nextgen::Method::Get, "/x")).await.expect_err("unknown CA");
    let text = error.to_string();
    assert!(text.contains("add_root_certificate") && text.contains("danger_accept_invalid_certs"), "{text}");
    // The TLS reason itself, from the cause chain.
    assert!(text.to_ascii_lowercase().contains("unknownissuer") || text.contains("UnknownIssuer"), "{text}");
    assert!(!text.contains("S3CRET-key") && !format!("{error:?}").contains("S3CRET-key"), "{text}");
    let trusting = NextgenClient::builder(&url).add_root_certificate(ca_pem.as_bytes()).build().unwrap();
    trusting.send(nextgen::Request::<Vec<u8>>::raw(nextgen::Method::Get, "/x")).await.expect("trusted");
}
