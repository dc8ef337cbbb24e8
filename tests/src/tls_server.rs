//! A minimal HTTPS responder on 127.0.0.1 for the TLS tests: a leaf
//! certificate made for the test (signed by a CA made for the test, or
//! self-signed like an appliance's default certificate), one fixed NITRO
//! answer to every request. Bounded: it serves a few connections and ends.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// Connections served before the responder ends.
const CONNECTIONS: usize = 32;

/// Who vouches for the server's certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Issuer {
    /// A CA made for the test: trust it with `add_root_certificate`.
    TestCa,
    /// Nobody: the certificate signs itself, as an appliance's default one.
    SelfSigned,
}

/// A started responder.
pub struct TlsResponder {
    /// `https://127.0.0.1:<port>`.
    pub url: String,
    /// The PEM to trust: the test CA, or the self-signed certificate.
    pub trust_pem: String,
}

/// Starts a responder whose certificate names `name` (an address or a host
/// name) and that answers every request with `body` (JSON, HTTP 200).
pub async fn start(name: &str, issuer: Issuer, body: &'static str) -> TlsResponder {
    let leaf_key = KeyPair::generate().unwrap();
    let leaf_params = CertificateParams::new(vec![name.to_string()]).unwrap();
    let (leaf, trust_pem) = match issuer {
        Issuer::SelfSigned => {
            let leaf = leaf_params.self_signed(&leaf_key).unwrap();
            let pem = leaf.pem();
            (leaf, pem)
        }
        Issuer::TestCa => {
            let ca_key = KeyPair::generate().unwrap();
            let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
            ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            ca_params.distinguished_name.push(DnType::CommonName, "netscaler-tests ca");
            let ca = ca_params.self_signed(&ca_key).unwrap();
            (leaf_params.signed_by(&leaf_key, &ca, &ca_key).unwrap(), ca.pem())
        }
    };
    let chain = vec![CertificateDer::from(leaf.der().to_vec())];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let config = ServerConfig::builder().with_no_client_auth().with_single_cert(chain, key).unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        for _ in 0..CONNECTIONS {
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
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    TlsResponder { url: format!("https://{address}"), trust_pem }
}
