//! `cargo xtask update` end to end against a loopback test server that
//! serves NITRO's `nsversion` answer and a documentation bundle built here
//! from our fixture pages (`tests/fixtures/bundle/adc`), writing into
//! scratch copies of specs/ and generated/.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const PASSWORD: &str = "s3cret-Pa55-never-shown";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("xtask-update").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// One request as the server saw it: the request line and headers.
#[derive(Clone, Debug)]
struct Seen {
    line: String,
    headers: BTreeMap<String, String>,
}

type Answer = Box<dyn Fn(&str) -> (u16, Vec<(String, String)>, Vec<u8>) + Send>;

/// A loopback HTTP/1.1 server answering every request with `answer(path)`
/// (status, extra headers, body); one request per connection.
fn serve(answer: impl Fn(&str) -> (u16, Vec<(String, String)>, Vec<u8>) + Send + 'static) -> (String, Arc<Mutex<Vec<Seen>>>) {
    serve_on(Box::new(answer), None)
}

/// The same over TLS with `config`; `https://127.0.0.1:<port>`.
fn serve_on(answer: Answer, tls: Option<Arc<rustls::ServerConfig>>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("{}://{}", if tls.is_some() { "https" } else { "http" }, listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(tcp) = stream else { continue };
            let _ = tcp.set_read_timeout(Some(std::time::Duration::from_secs(5)));
            match &tls {
                Some(config) => {
                    let Ok(connection) = rustls::ServerConnection::new(config.clone()) else { continue };
                    respond(rustls::StreamOwned::new(connection, tcp), &answer, &log);
                }
                None => respond(tcp, &answer, &log),
            }
        }
    });
    (base, seen)
}

fn respond(stream: impl Read + Write, answer: &Answer, log: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return; // a failed handshake or a closed connection
    }
    let mut headers = BTreeMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.trim_end().split_once(':') {
            headers.insert(name.to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or_default().to_string();
    log.lock().unwrap().push(Seen { line: line.trim_end().to_string(), headers });
    let (status, extra, body) = answer(&path);
    let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let stream = reader.get_mut();
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body)).and_then(|()| stream.flush());
}

/// A server configuration with a certificate for 127.0.0.1 signed by a
/// fresh CA (as an appliance with its own CA), and that CA's PEM.
fn tls_config() -> (Arc<rustls::ServerConfig>, String) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "xtask update test ca");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap().signed_by(&leaf_key, &ca, &ca_key).unwrap();
    let chain = vec![CertificateDer::from(leaf.der().to_vec())];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    (Arc::new(config), ca.pem())
}

/// `nitro-rest.tgz` of our ADC fixture pages under a wrapper folder.
fn bundle_tgz() -> Vec<u8> {
    let root = workspace().join("tests/fixtures/bundle/adc");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    let mut builder = tar::Builder::new(Vec::new());
    for file in files {
        let name = format!("nitro-rest/{}", file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"));
        let data = std::fs::read(&file).unwrap();
        let mut header = tar::Header::new_ustar();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, name, data.as_slice()).unwrap();
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&builder.into_inner().unwrap()).unwrap();
    encoder.finish().unwrap()
}

fn appliance(version: &'static str) -> impl Fn(&str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let bundle = bundle_tgz();
    move |path: &str| match path {
        "/nitro/v1/config/nsversion" => {
            (200, vec![], format!("{{\"errorcode\":0,\"message\":\"Done\",\"nsversion\":{{\"version\":\"{version}\",\"mode\":\"1\"}}}}").into_bytes())
        }
        "/nitro-rest.tgz" => (200, vec![], bundle.clone()),
        _ => (404, vec![], b"{}".to_vec()),
    }
}

/// specs/ holding the fixture scraped as ADC 12.1 (the "committed" release).
fn specs_with_12_1(dir: &Path) -> PathBuf {
    let specs = dir.join("specs");
    let out = specs.join("nitro/adc/12.1.json");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["scrape-bundle", "--docs", workspace().join("tests/fixtures/bundle/adc").to_str().unwrap(), "--release", "12.1", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    specs
}

fn update(base: &str, specs: &Path, out: &Path) -> Output {
    update_with(base, specs, out, &[])
}

fn update_with(base: &str, specs: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["update", "--from", base, "--specs", specs.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .args(extra)
        .env("NS_USER", "nsroot")
        .env("NS_PASSWORD", PASSWORD)
        .output()
        .unwrap()
}

fn listing(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn update_scrapes_the_running_release_regenerates_and_diffs() {
    let dir = scratch("happy");
    let specs = specs_with_12_1(&dir);
    let out = dir.join("generated");
    let (base, seen) = serve(appliance("NetScaler NS12.1: Build 55.13.nc, Date: Jan  1 2024, 00:00:00   (64-bit)"));
    let output = update(&base, &specs, &out);
    assert!(output.status.success(), "{}", text(&output));
    let shown = text(&output);
    assert!(!shown.contains(PASSWORD), "the password is in no message");
    assert!(shown.contains("adc at") && shown.contains("runs 12.1-55.13"), "{shown}");
    assert!(shown.contains("# API changes: adc 12.1 -> 12.1-55.13"), "the diff against the earlier target: {shown}");

    // The release is the appliance's answer, not a file name.
    let snapshot = std::fs::read_to_string(specs.join("nitro/adc/12.1-55.13.json")).unwrap();
    assert!(snapshot.contains("\"release\": \"12.1-55.13\""));
    assert_eq!(std::fs::read_to_string(specs.join("targets.json")).unwrap(), "{\n  \"adc\": \"12.1-55.13\"\n}\n");
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains("(\"adc\", \"12.1-55.13\")"), "{lib}");

    // What the server saw: exactly these requests, credentials as NITRO headers.
    let seen = seen.lock().unwrap().clone();
    let lines: Vec<&str> = seen.iter().map(|s| s.line.as_str()).collect();
    assert_eq!(lines, ["GET /nitro/v1/config/nsversion HTTP/1.1", "GET /nitro-rest.tgz HTTP/1.1"]);
    for request in &seen {
        assert_eq!(request.headers.get("x-nitro-user").map(String::as_str), Some("nsroot"));
        assert_eq!(request.headers.get("x-nitro-pass").map(String::as_str), Some(PASSWORD));
    }
}

#[test]
fn update_changes_nothing_when_the_appliance_refuses_or_redirects() {
    let dir = scratch("refused");
    let specs = specs_with_12_1(&dir);
    let out = dir.join("generated");
    let before = (listing(&specs), listing(&out));

    let (base, _) = serve(|_: &str| (401, vec![], br#"{"errorcode":354,"message":"Invalid username or password"}"#.to_vec()));
    let output = update(&base, &specs, &out);
    assert!(!output.status.success());
    assert!(text(&output).contains("HTTP 401") && text(&output).contains("NS_PASSWORD"), "{}", text(&output));
    assert!(!text(&output).contains(PASSWORD));
    assert_eq!((listing(&specs), listing(&out)), before);

    // A redirect elsewhere is not followed: the credentials stay with the
    // host given.
    let (elsewhere, elsewhere_seen) = serve(appliance("NetScaler NS12.1: Build 55.13.nc"));
    let (base, _) = serve(move |path: &str| (302, vec![("Location".to_string(), format!("{elsewhere}{path}"))], Vec::new()));
    let output = update(&base, &specs, &out);
    assert!(!output.status.success());
    assert!(text(&output).contains("HTTP 302"), "{}", text(&output));
    assert!(elsewhere_seen.lock().unwrap().is_empty(), "nothing reached the other host");
    assert_eq!((listing(&specs), listing(&out)), before);

    // A bundle over the size limit: the error names the flag that raises it.
    let (base, _) = serve(appliance("NetScaler NS12.1: Build 55.13.nc"));
    let output = update_with(&base, &specs, &out, &["--max-bundle-mib", "0"]);
    assert!(!output.status.success());
    assert!(text(&output).contains("raise --max-bundle-mib"), "{}", text(&output));
    assert_eq!((listing(&specs), listing(&out)), before);

    // An answer without a release (a build number only) is refused.
    let (base, _) = serve(appliance("NetScaler NS48.10: Build 1.1"));
    let output = update(&base, &specs, &out);
    assert!(!output.status.success());
    assert!(text(&output).contains("no release in the answer"), "{}", text(&output));
    assert_eq!((listing(&specs), listing(&out)), before);
}

#[test]
fn update_puts_the_snapshot_back_when_regeneration_refuses() {
    let dir = scratch("regeneration-refused");
    let specs = specs_with_12_1(&dir);
    let out = dir.join("mycrate");
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("src/lib.rs"), "// my own crate\n").unwrap();
    let before = (listing(&specs), listing(&out));
    let (base, _) = serve(appliance("NetScaler NS12.1: Build 55.13.nc"));
    let output = update(&base, &specs, &out);
    assert!(!output.status.success());
    assert!(text(&output).contains("--force") && text(&output).contains("put back as it was"), "{}", text(&output));
    assert_eq!((listing(&specs), listing(&out)), before, "neither specs/ nor the crate changed");
}

#[test]
fn update_over_tls_needs_the_appliance_ca_or_insecure() {
    let dir = scratch("tls");
    let specs = specs_with_12_1(&dir);
    let out = dir.join("generated");
    let before = (listing(&specs), listing(&out));
    let (config, ca_pem) = tls_config();
    let (base, seen) = serve_on(Box::new(appliance("NetScaler NS12.1: Build 55.13.nc")), Some(config));

    // An unknown issuer: refused before any request, with the way out.
    let output = update(&base, &specs, &out);
    assert!(!output.status.success());
    assert!(text(&output).contains("--ca-file") && text(&output).contains("--insecure"), "{}", text(&output));
    assert!(seen.lock().unwrap().is_empty(), "no request (and no password) went to an untrusted server");
    assert_eq!((listing(&specs), listing(&out)), before);

    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, &ca_pem).unwrap();
    let output = update_with(&base, &specs, &out, &["--ca-file", ca_file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(specs.join("nitro/adc/12.1-55.13.json").is_file());
    assert_eq!(seen.lock().unwrap().len(), 2);
    let output = update_with(&base, &specs, &out, &["--insecure"]);
    assert!(output.status.success(), "--insecure accepts the certificate: {}", text(&output));
    assert_eq!(seen.lock().unwrap().len(), 4);
}
