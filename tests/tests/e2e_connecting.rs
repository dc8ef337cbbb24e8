//! "Connecting to an appliance" as the docs tell it, against an HTTPS
//! server on 127.0.0.1 whose certificate is signed by a CA made here (as an
//! appliance's own certificate is trusted by nothing): `Client::from_env`'s
//! variables (`NS_CA_FILE` trusts the CA, `NS_INSECURE=1` trusts anything,
//! neither: refused), and the Next-Gen client's certificate error saying
//! how to trust the appliance, with no credential in its text.

use netscaler::adc::lb::Lbvserver;
use netscaler::runtime::nextgen::{self, NextgenClient};
use netscaler::{ClientBuilder, Error};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// Starts an HTTPS responder answering every request with a login-style
/// NITRO body holding one `lbvserver`; returns its URL and the CA (PEM).
async fn start_tls_server() -> (String, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "netscaler-tests appliance ca");
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
        for _ in 0..32 {
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
                let body = r#"{"errorcode":0,"message":"Done","severity":"NONE","sessionid":"tls-session","lbvserver":[{"name":"tls-vs"}]}"#;
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
