//! The hand-written examples of the `netscaler` crate, run against the
//! local NITRO test server: `generated/examples/everyday.rs` is included
//! as a module and its `everyday` function called as a dry run (nothing
//! may change on the server), with `--apply` (objects created, nothing
//! saved), then with `--apply --save` (the run meets "already exists" for
//! every object, must still succeed, and saves);
//! `generated/examples/cert_inventory.rs` reads two test servers and an
//! address where nothing listens, at the same time, and refuses to start
//! without its variables.

#[path = "../../../generated/examples/cert_inventory.rs"]
mod cert_inventory;
#[path = "../../../generated/examples/cert_rotate.rs"]
mod cert_rotate;
#[path = "../../../generated/examples/everyday.rs"]
mod everyday;

use netscaler::Client;
use netscaler_tests::nitro_server::{NitroServer, PASSWORD, USER};

#[tokio::test]
async fn everyday_jobs_run_against_the_test_server_and_twice() {
    let server = NitroServer::start().await;
    let client = Client::builder(server.base_url()).allow_insecure_http(true).session(USER, PASSWORD).build().unwrap();

    // One HTTP virtual server exists before, and a TCP one the filter hides.
    {
        let mut state = server.state();
        let vservers = state.objects.entry("lbvserver".into()).or_default();
        for (name, servicetype) in [("old-http", "HTTP"), ("old-tcp", "TCP")] {
            let object = serde_json::json!({"name": name, "servicetype": servicetype, "ipv46": "10.0.0.1", "port": 80});
            vservers.insert(name.into(), object.as_object().unwrap().clone());
        }
    }

    // Without --apply: nothing changes on the server, the plan is reported.
    let dry = everyday::everyday(&client, &everyday::Plan::default()).await.expect("dry run");
    assert!(!dry.applied && !dry.saved);
    assert_eq!(dry.http_vservers_before, ["old-http"]);
    assert_eq!(dry.changes.len(), 5, "{:?}", dry.changes);
    assert_eq!(dry.changes[3], "add or update lbvserver web-vs (HTTP 192.0.2.100:80)");
    {
        let state = server.state();
        assert_eq!(state.saves, 0);
        assert!(!state.objects.contains_key("server") && !state.objects.contains_key("servicegroup"), "{:?}", state.objects.keys());
        assert_eq!(state.objects["lbvserver"].len(), 2);
        assert!(state.bindings.values().all(Vec::is_empty), "{:?}", state.bindings);
        assert!(state.sessions.is_empty(), "{:?}", state.sessions);
    }

    // --apply: created at the addresses given by flags, never saved.
    let args = ["--apply", "--server-ip", "192.0.2.21", "--vip", "192.0.2.200"].map(String::from);
    let plan = everyday::Plan::from_args(args).unwrap();
    let first = everyday::everyday(&client, &plan).await.expect("first run");
    assert!(first.applied && !first.saved);
    assert!(first.already_existed.is_empty(), "{:?}", first.already_existed);
    assert_eq!(first.requests.len(), 1);
    assert_eq!(first.requests[0].0, "web-vs");
    assert!(first.requests[0].1 > 0);

    {
        let state = server.state();
        assert_eq!(state.saves, 0, "saved without --save");
        assert_eq!(state.objects["server"]["web-1"]["ipaddress"], "192.0.2.21");
        assert_eq!(state.objects["lbvserver"]["web-vs"]["ipv46"], "192.0.2.200");
        assert!(state.objects["servicegroup"].contains_key("web-sg"));
        let bound = &state.bindings["lbvserver_servicegroup_binding"];
        assert!(bound.iter().any(|row| row["name"] == "web-vs" && row["servicegroupname"] == "web-sg"), "{bound:?}");
        let members = &state.bindings["servicegroup_servicegroupmember_binding"];
        assert!(members.iter().any(|row| row["servername"] == "web-1" && row["port"] == 80), "{members:?}");
        // Logged out at the end: no session left open.
        assert!(state.sessions.is_empty(), "{:?}", state.sessions);
    }

    // The objects were added as create-or-update (`idempotent=yes`), the
    // bindings plainly.
    let upserts = server.requests().iter().filter(|request| request.path_and_query.ends_with("?idempotent=yes")).count();
    assert_eq!(upserts, 3);

    // A second run with another VIP updates the virtual server in place
    // and keeps the bindings.
    let plan = everyday::Plan { save: true, vip: "192.0.2.201".into(), ..plan };
    let second = everyday::everyday(&client, &plan).await.expect("second run updates existing objects");
    assert_eq!(second.http_vservers_before, ["old-http", "web-vs"]);
    assert_eq!(second.already_existed.len(), 2, "{:?}", second.already_existed);
    assert!(second.already_existed.iter().all(|what| what.starts_with("bind")), "{:?}", second.already_existed);
    assert_eq!(server.state().objects["lbvserver"]["web-vs"]["ipv46"], "192.0.2.201");
    assert!(second.saved);
    assert_eq!(server.state().saves, 1);
}

#[test]
fn everyday_flags_name_the_objects_and_refuse_unknown_ones() {
    let plan = everyday::Plan::from_args(["--vserver", "a-vs", "--port", "8080", "--save"].map(String::from)).unwrap();
    assert_eq!((plan.vserver.as_str(), plan.port, plan.apply, plan.save), ("a-vs", 8080, false, true));
    assert_eq!(everyday::Plan::from_args(Vec::new()).unwrap(), everyday::Plan::default());
    assert!(everyday::Plan::from_args(["--aply".to_string()]).unwrap_err().contains("unknown argument \"--aply\""));
    assert!(everyday::Plan::from_args(["--vip".to_string()]).unwrap_err().contains("--vip needs a value"));
}

#[test]
fn cert_inventory_names_the_missing_variable() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
    let message = |result: netscaler::Result<Vec<(String, Client)>>| match result {
        Err(netscaler::Error::Config(message)) => message,
        other => panic!("expected a configuration error, got {:?}", other.map(|c| c.len())),
    };
    assert!(message(cert_inventory::clients(vars(&[]))).contains("neither NS_APPLIANCES nor NS_URL is set"));
    let no_password = message(cert_inventory::clients(vars(&[("NS_APPLIANCES", "https://192.0.2.1 https://192.0.2.2"), ("NS_USER", "nsroot")])));
    assert!(no_password.starts_with("NS_PASSWORD is not set"), "{no_password}");
    let both = cert_inventory::clients(vars(&[("NS_APPLIANCES", "https://192.0.2.1 https://192.0.2.2"), ("NS_USER", "u"), ("NS_PASSWORD", "p")])).unwrap();
    assert_eq!(both.iter().map(|(url, client)| (url.as_str(), client.base_url())).collect::<Vec<_>>(), [("https://192.0.2.1", "https://192.0.2.1"), ("https://192.0.2.2", "https://192.0.2.2")]);
}

#[tokio::test]
async fn cert_inventory_reads_every_appliance_at_once() {
    let first = NitroServer::start().await;
    let second = NitroServer::start().await;
    let object = |value: serde_json::Value| value.as_object().unwrap().clone();
    {
        let mut state = first.state();
        let certs = state.objects.entry("sslcertkey".into()).or_default();
        // Days as a string and as a number: both are how appliances send them.
        certs.insert("web-cert".into(), object(serde_json::json!({"certkey": "web-cert", "cert": "web.pem", "daystoexpiration": "30", "clientcertnotafter": "Jan  1 00:00:00 2027 GMT"})));
        certs.insert("old-cert".into(), object(serde_json::json!({"certkey": "old-cert", "cert": "old.pem", "daystoexpiration": 2})));
        state.objects.entry("lbvserver".into()).or_default().insert("web-vs".into(), object(serde_json::json!({"name": "web-vs", "servicetype": "SSL"})));
        state.objects.entry("service".into()).or_default().insert("api-svc".into(), object(serde_json::json!({"name": "api-svc", "servicetype": "SSL", "port": 443})));
        state.bindings.entry("sslvserver_sslcertkey_binding".into()).or_default().push(object(serde_json::json!({"vservername": "web-vs", "certkeyname": "web-cert"})));
        state.bindings.entry("sslservice_sslcertkey_binding".into()).or_default().push(object(serde_json::json!({"servicename": "api-svc", "certkeyname": "web-cert"})));
    }
    second.state().objects.entry("sslcertkey".into()).or_default().insert("lab".into(), object(serde_json::json!({"certkey": "lab", "cert": "lab.pem"})));
    let nobody = {
        let gone = NitroServer::start().await;
        let url = gone.base_url();
        drop(gone);
        url
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;

    let client = |url: String| Client::builder(url).allow_insecure_http(true).session(USER, PASSWORD).timeout(std::time::Duration::from_secs(5)).build().unwrap();
    let appliances = vec![
        ("first".to_string(), client(first.base_url())),
        ("nobody".to_string(), client(nobody)),
        ("second".to_string(), client(second.base_url())),
    ];
    let report = cert_inventory::inventory(appliances).await;

    assert_eq!(report.iter().map(|a| a.appliance.as_str()).collect::<Vec<_>>(), ["first", "nobody", "second"]);
    let first_certs = report[0].certificates.as_ref().expect("first appliance read");
    assert_eq!(
        first_certs,
        &[
            cert_inventory::Certificate { certkey: "old-cert".into(), days_to_expiration: Some(2), ..Default::default() },
            cert_inventory::Certificate {
                certkey: "web-cert".into(),
                days_to_expiration: Some(30),
                not_after: Some("Jan  1 00:00:00 2027 GMT".into()),
                vservers: vec!["web-vs".into()],
                services: vec!["api-svc".into()],
            },
        ]
    );
    assert!(matches!(report[1].certificates, Err(netscaler::Error::Transport(_))), "{:?}", report[1]);
    assert_eq!(report[2].certificates.as_ref().unwrap().len(), 1);
    // Logged out of both appliances.
    assert!(first.state().sessions.is_empty() && second.state().sessions.is_empty());

    // The JSON the example prints.
    let printed = report[0].to_json();
    assert_eq!(printed["certificates"][1]["vservers"], serde_json::json!(["web-vs"]));
    assert_eq!(report[1].to_json()["appliance"], "nobody");
    assert!(report[1].to_json()["error"].is_string());

    // `--expires-within`: the certificates at or under the threshold.
    let left = |days| cert_inventory::expiring(&report, days).into_iter().map(|(appliance, certkey, left)| format!("{appliance}/{certkey}/{left}")).collect::<Vec<_>>();
    assert_eq!(left(1), Vec::<String>::new());
    assert_eq!(left(2), ["first/old-cert/2"]);
    // `lab` on the second appliance has no days reported: not counted.
    assert_eq!(left(30), ["first/old-cert/2", "first/web-cert/30"]);
}

#[test]
fn cert_inventory_reads_its_threshold_flag() {
    let args = |list: &[&str]| list.iter().map(|arg| arg.to_string()).collect::<Vec<_>>();
    assert_eq!(cert_inventory::threshold(args(&[])), Ok(None));
    assert_eq!(cert_inventory::threshold(args(&["--expires-within", "30"])), Ok(Some(30)));
    assert!(cert_inventory::threshold(args(&["--expires-within", "soon"])).unwrap_err().contains("number of days"));
    assert!(cert_inventory::threshold(args(&["--expires-within"])).unwrap_err().contains("usage"));
    assert!(cert_inventory::threshold(args(&["--days", "3"])).unwrap_err().contains("usage"));
}

#[tokio::test]
async fn cert_rotate_installs_changes_nothing_twice_and_renews() {
    let server = NitroServer::start().await;
    {
        let mut state = server.state();
        let object = |value: serde_json::Value| value.as_object().unwrap().clone();
        state.objects.entry("sslcertkey".into()).or_default().insert("my-ca".into(), object(serde_json::json!({"certkey": "my-ca", "cert": "ca.pem"})));
        state.objects.entry("lbvserver".into()).or_default().insert("web-vs".into(), object(serde_json::json!({"name": "web-vs", "servicetype": "SSL"})));
    }
    let client = Client::builder(server.base_url()).allow_insecure_http(true).session(USER, PASSWORD).build().unwrap();
    let plan = cert_rotate::Plan {
        certkey: "web-cert".into(),
        cert: b"-----BEGIN CERTIFICATE-----\nfirst\n-----END CERTIFICATE-----\n".to_vec(),
        key: b"-----BEGIN PRIVATE KEY-----\nfirst\n-----END PRIVATE KEY-----\n".to_vec(),
        ca: Some("my-ca".into()),
        vservers: vec!["web-vs".into()],
        nodomaincheck: true,
        apply: false,
        save: true,
    };
    let cert_file = cert_rotate::file_name("web-cert", &plan.cert, "crt");
    let key_file = cert_rotate::file_name("web-cert", &plan.key, "key");

    // Dry run: reads only.
    let dry = cert_rotate::rotate(&client, &plan).await.unwrap();
    assert_eq!(dry.changes.len(), 6, "{:?}", dry.changes);
    assert!(server.requests().iter().all(|request| request.method == "GET" || request.path_and_query.ends_with("/login")));

    // Install.
    let plan = cert_rotate::Plan { apply: true, ..plan };
    let first = cert_rotate::rotate(&client, &plan).await.unwrap();
    assert_eq!(first.changes, [
        format!("upload /nsconfig/ssl/{cert_file}"),
        format!("upload /nsconfig/ssl/{key_file}"),
        format!("add sslcertkey web-cert ({cert_file}, {key_file})"),
        "link sslcertkey web-cert to my-ca".to_string(),
        "bind sslcertkey web-cert to SSL vserver web-vs".to_string(),
        "save the running configuration".to_string(),
    ]);
    {
        let state = server.state();
        let pair = &state.objects["sslcertkey"]["web-cert"];
        assert_eq!((pair["cert"].as_str(), pair["key"].as_str(), pair["linkcertkeyname"].as_str()), (Some(cert_file.as_str()), Some(key_file.as_str()), Some("my-ca")));
        assert!(state.bindings["sslvserver_sslcertkey_binding"].iter().any(|row| row["vservername"] == "web-vs" && row["certkeyname"] == "web-cert"));
        assert_eq!(state.saves, 1);
    }
    assert!(server.file("/nsconfig/ssl", &cert_file).is_some() && server.file("/nsconfig/ssl", &key_file).is_some());

    // Same files again: nothing written, nothing saved.
    let before = server.requests().len();
    let second = cert_rotate::rotate(&client, &plan).await.unwrap();
    assert!(second.changes.is_empty(), "{:?}", second.changes);
    assert!(server.requests()[before..].iter().all(|request| request.method == "GET"));
    assert_eq!(server.state().saves, 1);

    // Renewal: new files, the pair switched to them with action=update.
    let renewed = cert_rotate::Plan { cert: b"-----BEGIN CERTIFICATE-----\nsecond\n-----END CERTIFICATE-----\n".to_vec(), ..plan.clone() };
    let new_cert = cert_rotate::file_name("web-cert", &renewed.cert, "crt");
    assert_ne!(new_cert, cert_file);
    let third = cert_rotate::rotate(&client, &renewed).await.unwrap();
    assert_eq!(third.changes, [
        format!("upload /nsconfig/ssl/{new_cert}"),
        format!("update sslcertkey web-cert to {new_cert}, {key_file}"),
        "save the running configuration".to_string(),
    ]);
    let update = server.requests().into_iter().find(|request| request.path_and_query.ends_with("sslcertkey?action=update")).unwrap();
    assert_eq!(update.body.unwrap()["sslcertkey"]["nodomaincheck"], serde_json::json!(true));
    assert_eq!(server.state().objects["sslcertkey"]["web-cert"]["cert"], serde_json::json!(new_cert));
    // The old file is still there for whatever else uses it.
    assert!(server.file("/nsconfig/ssl", &cert_file).is_some());
    assert_eq!(server.state().saves, 2);
}

#[test]
fn cert_rotate_flags_need_the_pair_and_its_files() {
    let args = |list: &[&str]| list.iter().map(|arg| arg.to_string()).collect::<Vec<_>>();
    let read = |path: &str| if path == "missing.pem" { Err(std::io::Error::from(std::io::ErrorKind::NotFound)) } else { Ok(path.as_bytes().to_vec()) };
    let plan = cert_rotate::plan_from_args(args(&["--certkey", "c", "--cert", "c.pem", "--key", "k.pem", "--vserver", "a", "--vserver", "b"]), read).unwrap();
    assert_eq!((plan.cert.as_slice(), plan.key.as_slice(), plan.vservers.len(), plan.apply), (&b"c.pem"[..], &b"k.pem"[..], 2, false));
    assert!(cert_rotate::plan_from_args(args(&["--cert", "c.pem", "--key", "k.pem"]), read).unwrap_err().contains("--certkey"));
    assert!(cert_rotate::plan_from_args(args(&["--certkey", "c", "--cert", "c.pem"]), read).unwrap_err().contains("--key"));
    assert!(cert_rotate::plan_from_args(args(&["--certkey", "c", "--cert", "missing.pem", "--key", "k"]), read).unwrap_err().contains("cannot read missing.pem"));
    assert!(cert_rotate::plan_from_args(args(&["--force"]), read).unwrap_err().contains("unknown argument"));
}
