//! End-to-end TLS: the client verifies certificates by default, trusts a
//! private CA given with `add_root_certificate`, and accepts anything only
//! after `danger_accept_invalid_certs(true)`.
//!
//! The server is a minimal HTTPS responder on 127.0.0.1 (tokio-rustls) with
//! a leaf certificate for `127.0.0.1` signed by a CA made for the test.

use netscaler_tests::tls_server::{self, Issuer};
use netscaler::runtime::{Client, Error, Request};
use netscaler_tests::hand_model;

hand_model!(Lbvserver, "lbvserver", Config, ["name"], {
    "name" => name: Option<String>,
});

/// Starts the responder; returns its base URL and the CA certificate (PEM).
async fn start_tls_server() -> (String, String) {
    let server = tls_server::start("127.0.0.1", Issuer::TestCa, r#"{"errorcode":0,"message":"Done","severity":"NONE","lbvserver":[{"name":"tls-vs"}]}"#).await;
    (server.url, server.trust_pem)
}

#[tokio::test]
async fn certificates_are_verified_unless_told_otherwise() {
    let (base_url, ca_pem) = start_tls_server().await;

    let default = Client::builder(&base_url).credentials("u", "p").build().unwrap();
    let error = default.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "an unknown CA must be refused: {error:?}");

    let trusting = Client::builder(&base_url).credentials("u", "p").add_root_certificate(ca_pem.as_bytes()).build().unwrap();
    let got = trusting.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    assert_eq!(got[0].name.as_deref(), Some("tls-vs"));

    let lax = Client::builder(&base_url).credentials("u", "p").danger_accept_invalid_certs(true).build().unwrap();
    let got = lax.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    assert_eq!(got.len(), 1);
}
