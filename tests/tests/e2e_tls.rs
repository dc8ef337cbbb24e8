//! End-to-end TLS: the client verifies certificates by default, trusts a
//! private CA given with `add_root_certificate`, and accepts anything only
//! after `danger_accept_invalid_certs(true)`.
//!
//! The server is a minimal HTTPS responder on 127.0.0.1 (tokio-rustls) with
//! a leaf certificate for `127.0.0.1` signed by a CA made for the test.

use netscaler::runtime::{Client, Error, Request};
use netscaler_tests::hand_model;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

hand_model!(Lbvserver, "lbvserver", Config, ["name"], {
    "name" => name: Option<String>,
});

/// Starts the responder; returns its base URL and the CA certificate (PEM).
async fn start_tls_server() -> (String, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "netscaler-tests ca");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap().signed_by(&leaf_key, &ca, &ca_key).unwrap();

    let chain = vec![CertificateDer::from(leaf.der().to_vec())];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let config = ServerConfig::builder().with_no_client_auth().with_single_cert(chain, key).unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        // Bounded: a few connections, then the task ends.
        for _ in 0..16 {
            let Ok((stream, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => request.extend_from_slice(&buffer[..read]),
                    }
                }
                let body = r#"{"errorcode":0,"message":"Done","severity":"NONE","lbvserver":[{"name":"tls-vs"}]}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://{address}"), ca.pem())
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
