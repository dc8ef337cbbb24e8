//! The published test kit (`netscaler::testkit`, feature `testkit`)
//! driven through the real `Client` and generated models: each rule it
//! takes from the reference is attacked (and the code it answers checked
//! against the generated error table), the reads it serves, and each
//! fault. Resources our hand-written test server does not know
//! (`csvserver`, `responderpolicy`, their binding, `dnsaddrec`) show the
//! rules come from the IR.

use netscaler::adc::cs::{Csvserver, CsvserverBinding, CsvserverResponderpolicyBinding, CsvserverServicetype};
use netscaler::adc::dns::Dnsaddrec;
use netscaler::adc::responder::Responderpolicy;
use netscaler::runtime::{Client, Method, OnError, Request};
use netscaler::testkit::{codes, Fault, Limits, NitroServer, MAX_BODY};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn kit() -> (NitroServer, Client) {
    let server = NitroServer::start().await.unwrap();
    let client = netscaler::testkit::client(&server).unwrap();
    (server, client)
}

fn web(name: &str, port: i64) -> Csvserver {
    Csvserver::new(name).servicetype(CsvserverServicetype::Http).ipv46("10.0.0.10").port(port)
}

/// A raw write of `body` (every key sent as it is).
fn raw(method: Method, resource: &str, body: Value) -> Request<Value> {
    Request::raw(method, &format!("/nitro/v1/config/{resource}")).json(&json!({ resource: body }))
}

/// The error's code, checked to carry the name the generated table gives it.
fn code_of(error: &netscaler::Error, name: &str) -> i64 {
    assert_eq!(error.code_name(), Some(name), "{error}");
    error.errorcode().unwrap()
}

#[tokio::test]
async fn rules_are_the_targeted_release_and_codes_the_error_table() {
    let (server, _) = kit().await;
    let adc = netscaler::RELEASES.iter().find(|(product, _)| *product == "adc").unwrap();
    assert_eq!(server.release(), ("adc", adc.1));
    for (name, code) in codes::ALL {
        assert!(netscaler::adc::errors::BY_CODE.contains(&(*code, *name)), "{name} = {code} is not in adc::errors");
    }
}

#[tokio::test]
async fn stores_by_key_and_serves_get_count_filter_pages_and_attrs() {
    let (server, client) = kit().await;
    for (index, name) in ["cs-a", "cs-b", "cs-c", "cs-d", "cs-e"].iter().enumerate() {
        let mut vserver = web(name, 80 + index as i64);
        if index % 2 == 1 {
            vserver = vserver.servicetype(CsvserverServicetype::Tcp);
        }
        let outcome = client.send(vserver.add()).await.unwrap();
        assert_eq!(outcome.status, 201);
    }
    assert_eq!(server.objects("csvserver").len(), 5);

    let one = client.send(Csvserver::get("cs-c")).await.unwrap();
    assert_eq!((one.len(), one[0].name.as_deref(), one[0].port.as_ref().map(ToString::to_string).as_deref()), (1, Some("cs-c"), Some("82")));
    assert!(client.send(Csvserver::get("cs-z")).await.unwrap_err().is_not_found());

    assert_eq!(client.send(Csvserver::count()).await.unwrap(), 5);
    let tcp = client.send(Csvserver::get_all().filter("servicetype", "TCP")).await.unwrap();
    assert_eq!(tcp.iter().map(|v| v.name.clone().unwrap()).collect::<Vec<_>>(), ["cs-b", "cs-d"]);
    let page = client.send(Csvserver::get_all().page(2, 2)).await.unwrap();
    assert_eq!(page.iter().map(|v| v.name.clone().unwrap()).collect::<Vec<_>>(), ["cs-c", "cs-d"]);
    let slim = client.send(Csvserver::get_all().attrs(&["port"])).await.unwrap();
    assert!(slim.iter().all(|v| v.port.is_some() && v.ipv46.is_none() && v.name.is_some()));

    let sent: Vec<String> = server.requests().iter().filter(|r| r.method == "GET").map(|r| r.path_and_query.clone()).collect();
    assert!(sent.contains(&"/nitro/v1/config/csvserver?count=yes".to_string()), "{sent:?}");
    assert!(sent.contains(&"/nitro/v1/config/csvserver?filter=servicetype:TCP".to_string()), "{sent:?}");

    // Delete by key, then it is gone.
    client.send(Csvserver::delete("cs-a")).await.unwrap();
    assert!(server.object("csvserver", "cs-a").is_none());
    assert!(client.send(Csvserver::delete("cs-a")).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn a_key_the_operation_does_not_take_answers_278() {
    let (server, client) = kit().await;
    client.send(web("cs-1", 80).add()).await.unwrap();
    // servicetype and port are set at add only: an update carrying them
    // (a raw request sends every field set) is refused ...
    let error = client.send(Request::update(&web("cs-1", 81).comment("blue"))).await.unwrap_err();
    assert_eq!(code_of(&error, "NSERR_INVAL"), 278);
    assert!(error.to_string().contains("[port]"), "{error}");
    assert!(server.object("csvserver", "cs-1").unwrap().get("comment").is_none());
    // ... and the typed update, which sends only what update takes, passes.
    client.send(web("cs-1", 81).comment("blue").update()).await.unwrap();
    let stored = server.object("csvserver", "cs-1").unwrap();
    assert_eq!((stored["comment"].clone(), stored["port"].clone()), (json!("blue"), json!(80)));
    // A key nobody documents, on add.
    let error = client.send(raw(Method::Post, "responderpolicy", json!({"name": "p", "rule": "true", "action": "NOOP", "colour": "red"}))).await.unwrap_err();
    assert_eq!(code_of(&error, "NSERR_INVAL"), 278);
}

#[tokio::test]
async fn a_missing_mandatory_key_answers_1095() {
    let (server, client) = kit().await;
    let error = client.send(Responderpolicy::new("p-1").action("NOOP").add()).await.unwrap_err();
    assert_eq!(code_of(&error, "NSERR_ARGMISSING"), 1095);
    assert!(error.to_string().contains("rule"), "{error}");
    assert!(server.objects("responderpolicy").is_empty());
    client.send(Responderpolicy::new("p-1").rule("true").action("NOOP").add()).await.unwrap();
    assert_eq!(server.object("responderpolicy", "p-1").unwrap()["action"], json!("NOOP"));
}

#[tokio::test]
async fn values_outside_range_length_or_possible_values_are_refused() {
    let (server, client) = kit().await;
    let error = client.send(web("cs-r", 70_000).add()).await.unwrap_err();
    assert_eq!(code_of(&error, "NSERR_INTMAXVAL"), 1108);
    let error = client.send(web("cs-r", 80).clttimeout(-1).add()).await.unwrap_err();
    assert_eq!(code_of(&error, "NSERR_INTMINVAL"), 1109);
    client.send(web("cs-r", 80).add()).await.unwrap();
    let error = client.send(web("cs-r", 80).authenticationhost("ab").update()).await.unwrap_err();
    assert_eq!(code_of(&error, "NSERR_STRMINLEN"), 1107);
    let error = client.send(web("cs-r", 80).authenticationhost("h".repeat(253)).update()).await.unwrap_err();
    assert_eq!(code_of(&error, "NSERR_STRMAXLEN"), 1106);
    let error = client
        .send(raw(Method::Post, "csvserver", json!({"name": "cs-g", "servicetype": "GOPHER"})))
        .await
        .unwrap_err();
    assert_eq!(code_of(&error, "NSERR_ARGVALBAD"), 1097);
    // Numbers as text, and possible values in any case, as the appliance reads them.
    client.send(raw(Method::Post, "csvserver", json!({"name": "cs-t", "servicetype": "http", "port": "8080"}))).await.unwrap();
    assert_eq!(server.objects("csvserver").len(), 2);
    let error = client.send(raw(Method::Post, "csvserver", json!({"name": "cs-u", "servicetype": "HTTP", "port": "eighty"}))).await.unwrap_err();
    assert_eq!(code_of(&error, "NSERR_ARGVALBAD"), 1097);
}

#[tokio::test]
async fn both_of_two_alternative_arguments_answer_1092() {
    let (server, client) = kit().await;
    client.send(raw(Method::Post, "servicegroup", json!({"servicegroupname": "sg", "servicetype": "HTTP"}))).await.unwrap();
    let member = json!({"servicegroupname": "sg", "ip": "10.0.0.5", "servername": "web-5", "port": 80});
    let error = client.send(raw(Method::Put, "servicegroup_servicegroupmember_binding", member)).await.unwrap_err();
    assert_eq!(code_of(&error, "NSERR_ARGSMUTEX"), 1092);
    assert!(server.bindings("servicegroup_servicegroupmember_binding", "sg").is_empty());
    let member = json!({"servicegroupname": "sg", "ip": "10.0.0.5", "port": 80});
    client.send(raw(Method::Put, "servicegroup_servicegroupmember_binding", member)).await.unwrap();
    // In delete arguments too.
    let delete = Request::raw(Method::Delete, "/nitro/v1/config/servicegroup_servicegroupmember_binding/sg")
        .arg("ip", "10.0.0.5")
        .arg("servername", "web-5");
    assert_eq!(code_of(&client.send(delete).await.unwrap_err(), "NSERR_ARGSMUTEX"), 1092);
    assert_eq!(server.bindings("servicegroup_servicegroupmember_binding", "sg").len(), 1);
}

#[tokio::test]
async fn a_duplicate_add_answers_273_and_an_idempotent_add_updates() {
    let (server, client) = kit().await;
    client.send(web("cs-d", 80).add()).await.unwrap();
    let error = client.send(web("cs-d", 81).add()).await.unwrap_err();
    assert!(error.is_already_exists());
    assert_eq!(code_of(&error, "NSERR_EXIST"), 273);
    client.send(web("cs-d", 81).add().idempotent()).await.unwrap();
    assert_eq!(server.object("csvserver", "cs-d").unwrap()["port"], json!(81));
    assert_eq!(server.objects("csvserver").len(), 1);
    assert!(server.requests().iter().any(|r| r.path_and_query == "/nitro/v1/config/csvserver?idempotent=yes"));
}

#[tokio::test]
async fn bindings_by_parent_count_aggregate_and_delete() {
    let (server, client) = kit().await;
    let binding = CsvserverResponderpolicyBinding::new("cs-b").policyname("p-1").priority(100).bindpoint(netscaler::adc::cs::Bindpoint::Request);
    // The parent must exist.
    assert!(client.send(binding.add()).await.unwrap_err().is_not_found());
    client.send(web("cs-b", 80).add()).await.unwrap();
    client.send(Responderpolicy::new("p-1").rule("true").action("NOOP").add()).await.unwrap();
    client.send(binding.add()).await.unwrap();
    assert!(client.send(binding.add()).await.unwrap_err().is_already_exists());
    client.send(binding.clone().policyname("p-2").priority(110).add()).await.unwrap();

    let rows = client.send(CsvserverResponderpolicyBinding::get("cs-b")).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.policyname.clone().unwrap()).collect::<Vec<_>>(), ["p-1", "p-2"]);
    assert_eq!(client.send(CsvserverResponderpolicyBinding::count("cs-b")).await.unwrap(), 2);
    let all = client.send(CsvserverBinding::get("cs-b")).await.unwrap();
    assert_eq!(all[0].csvserver_responderpolicy_binding.as_ref().map(Vec::len), Some(2));

    // An unbind names its row; one without arguments would take them all.
    let every = Request::raw(Method::Delete, "/nitro/v1/config/csvserver_responderpolicy_binding/cs-b");
    assert_eq!(code_of(&client.send(every).await.unwrap_err(), "NSERR_ARGMISSING"), 1095);
    client.send(binding.delete()).await.unwrap();
    assert_eq!(server.bindings("csvserver_responderpolicy_binding", "cs-b").len(), 1);
    // Deleting the parent takes its rows with it.
    client.send(Csvserver::delete("cs-b")).await.unwrap();
    assert!(server.objects("csvserver_responderpolicy_binding").is_empty());
}

#[tokio::test]
async fn several_keys_and_path_keys_decoded_twice() {
    let (server, client) = kit().await;
    client.send(Dnsaddrec::new("www.example.net", "10.0.0.1").add()).await.unwrap();
    client.send(Dnsaddrec::new("www.example.net", "10.0.0.2").ttl(60).add()).await.unwrap();
    assert!(client.send(Dnsaddrec::new("www.example.net", "10.0.0.2").add()).await.unwrap_err().is_already_exists());
    assert_eq!(client.send(Dnsaddrec::get("www.example.net")).await.unwrap().len(), 2);
    let error = client.send(Dnsaddrec::new("www.example.net", "10.0.0.3").ttl(-5).add()).await.unwrap_err();
    assert_eq!(code_of(&error, "NSERR_INTMINVAL"), 1109);

    // A name with `/`, `%` and a space reaches the right object.
    let name = "web/blue 100%";
    client.send(web(name, 80).add()).await.unwrap();
    let found = client.send(Csvserver::get(name)).await.unwrap();
    assert_eq!(found[0].name.as_deref(), Some(name));
    let get = server.requests().into_iter().rfind(|r| r.method == "GET").unwrap();
    assert_eq!(get.path_and_query, "/nitro/v1/config/csvserver/web%252Fblue%2520100%2525");
    client.send(Csvserver::delete(name)).await.unwrap();
    assert!(server.object("csvserver", name).is_none());
}

#[tokio::test]
async fn logins_sessions_and_expired_sessions() {
    let (server, client) = kit().await;
    client.send(Csvserver::count()).await.unwrap();
    let login = server.requests().into_iter().find(|r| r.path_and_query.ends_with("/config/login")).unwrap();
    assert_eq!(login.status, 201);
    assert_eq!(login.body.unwrap()["login"]["password"], json!("(redacted)"));

    server.inject(Fault::ExpireSessions);
    // The client sees 444, logs in again and repeats the request.
    assert_eq!(client.send(Csvserver::count()).await.unwrap(), 0);
    let statuses: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    assert!(statuses.ends_with(&[401, 201, 200]), "{statuses:?}");
    assert_eq!(server.counters().login_attempts, 2);

    let wrong = Client::builder(server.base_url()).allow_insecure_http(true).session(server.username(), "wrong").build().unwrap();
    assert_eq!(wrong.login().await.unwrap_err().errorcode(), Some(codes::NSERR_NOUSER));
    let headers = Client::builder(server.base_url()).allow_insecure_http(true).credentials(server.username(), server.password()).build().unwrap();
    assert_eq!(headers.send(Csvserver::count()).await.unwrap(), 0);
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("x-nitro-pass"), Some("(redacted)"));
    assert!(!format!("{:?}", server.requests()).contains(server.password()));
}

#[tokio::test]
async fn a_503_phase_then_answers_again() {
    let (server, client) = kit().await;
    client.login().await.unwrap();
    server.inject(Fault::Unavailable { requests: 2 });
    for _ in 0..2 {
        assert_eq!(client.send(Csvserver::count()).await.unwrap_err().status(), Some(503));
    }
    assert_eq!(client.send(Csvserver::count()).await.unwrap(), 0);
    assert_eq!(server.counters().requests, 4);
}

#[tokio::test]
async fn slow_answers_wait() {
    let (server, client) = kit().await;
    client.login().await.unwrap();
    server.inject(Fault::Slow(Duration::from_millis(150)));
    let start = Instant::now();
    client.send(Csvserver::count()).await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(150));
    server.clear_faults();
    let timed_out = netscaler::testkit::client_builder(&server).timeout(Duration::from_millis(100)).build().unwrap();
    timed_out.login().await.unwrap();
    server.inject(Fault::Slow(Duration::from_millis(400)));
    assert!(timed_out.send(Csvserver::count()).await.is_err());
}

#[tokio::test]
async fn a_warning_is_209_with_the_header() {
    let (server, client) = kit().await;
    server.inject(Fault::Warning("Warning: no certificate is bound".into()));
    let outcome = client.send(web("cs-w", 80).add()).await.unwrap();
    assert!(outcome.is_warning(), "{outcome:?}");
    assert_eq!(outcome.status, 209);
    assert!(outcome.message.contains("no certificate"), "{outcome:?}");
    // Once only.
    assert!(!client.send(web("cs-w2", 80).add()).await.unwrap().is_warning());
    assert_eq!(server.objects("csvserver").len(), 2);
}

#[tokio::test]
async fn bulk_writes_fail_per_item_in_the_onerror_mode() {
    let (server, client) = kit().await;
    let items = [web("cs-1", 80), web("cs-2", 80), web("cs-3", 80)];
    server.inject(Fault::FailBulkItems { items: vec![1], errorcode: 1074 });
    let outcome = client.send(Csvserver::add_bulk(&items).on_error(OnError::Continue)).await.unwrap();
    assert_eq!(outcome.status, 207);
    assert_eq!(outcome.failures().map(|(at, item)| (at, item.errorcode)).collect::<Vec<_>>(), [(1, 1074)]);
    assert_eq!(server.objects("csvserver").len(), 2);
    let seen = server.requests().pop().unwrap();
    assert_eq!(seen.header("x-nitro-onerror"), Some("continue"));

    // A rule broken by one item, in rollback mode: nothing stays.
    let items = [web("cs-4", 80), web("cs-5", 70_000)];
    let outcome = client.send(Csvserver::add_bulk(&items).on_error(OnError::Rollback)).await.unwrap();
    assert_eq!(outcome.failures().map(|(at, item)| (at, item.errorcode)).collect::<Vec<_>>(), [(1, 1108)]);
    assert!(server.object("csvserver", "cs-4").is_none());
    // Exit mode (the default): the items before the failure stay.
    let items = [web("cs-6", 80), web("cs-1", 80), web("cs-7", 80)];
    let outcome = client.send(Csvserver::add_bulk(&items)).await.unwrap();
    assert_eq!(outcome.items.len(), 2);
    assert!(server.object("csvserver", "cs-6").is_some() && server.object("csvserver", "cs-7").is_none());
}

#[tokio::test]
async fn seeds_read_only_state_and_statistics() {
    let (server, client) = kit().await;
    server.seed("csvserver", json!({"name": "seeded", "servicetype": "HTTP", "curstate": "UP"})).unwrap();
    let seeded = client.send(Csvserver::get("seeded")).await.unwrap();
    assert!(seeded[0].curstate.is_some());
    let raw_get: Value = client.send(Request::raw(Method::Get, "/nitro/v1/config/csvserver/seeded")).await.unwrap();
    assert_eq!(raw_get["csvserver"][0]["curstate"], json!("UP"));
    server.seed_stat("csvserver", json!({"name": "seeded", "tothits": "18446744073709551615"})).unwrap();
    let stats: Value = client.send(Request::raw(Method::Get, "/nitro/v1/stat/csvserver/seeded")).await.unwrap();
    assert_eq!(stats["csvserver"][0]["tothits"], json!("18446744073709551615"));
    assert!(server.seed("no_such_resource", json!({})).is_err());
    assert!(server.seed("csvserver", json!([1])).is_err());
}

#[tokio::test]
async fn bounded_and_stopped_when_dropped() {
    let (server, _) = kit().await;
    assert!(server.base_url().starts_with("http://127.0.0.1:"));
    let http = netscaler::runtime::reqwest::Client::new();
    let url = format!("{}/nitro/v1/config/csvserver", server.base_url());
    let huge = vec![b' '; MAX_BODY + 1];
    let answer = http
        .post(&url)
        .header("x-nitro-user", server.username())
        .header("x-nitro-pass", server.password())
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 413);
    assert!(answer.text().await.unwrap().contains("Limits::max_body"));
    let base = server.base_url().to_string();
    drop(server);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(http.get(format!("{base}/nitro/v1/config/csvserver")).send().await.is_err());
}

/// The README's example (root and crate README) is the test
/// `tests/tests/e2e/testkit_readme.rs`, word for word, so the two cannot drift.
#[test]
fn the_readme_example_is_the_test_that_runs() {
    let root = netscaler_tests::workspace_root();
    let test = std::fs::read_to_string(root.join("tests/tests/e2e/testkit_readme.rs")).unwrap();
    for readme in ["README.md", "generated/README.md"] {
        let text = std::fs::read_to_string(root.join(readme)).unwrap();
        let section = text.split_once("Testing your automation without an appliance\n").unwrap_or_else(|| panic!("{readme} has no test kit section")).1;
        let block = section.split_once("```rust,ignore\n").unwrap_or_else(|| panic!("{readme}: no rust block in the test kit section")).1;
        let block = block.split_once("```\n").unwrap().0;
        assert_eq!(block, test, "{readme}: the test kit example differs from tests/tests/e2e/testkit_readme.rs");
    }
}

#[tokio::test]
async fn the_object_limit_is_named_and_can_be_raised() {
    let mut limits = Limits::default();
    limits.max_objects = 2;
    let server = NitroServer::start_with(limits).await.unwrap();
    let client = netscaler::testkit::client(&server).unwrap();
    client.send(web("cs-1", 80).add()).await.unwrap();
    client.send(web("cs-2", 80).add()).await.unwrap();
    let error = client.send(web("cs-3", 80).add()).await.unwrap_err();
    assert_eq!(code_of(&error, "NSERR_MAXLIMIT"), 1072);
    assert!(error.to_string().contains("Limits::max_objects"), "{error}");
    assert_eq!(server.objects("csvserver").len(), 2);
}

#[tokio::test]
async fn actions_unset_and_logout() {
    let (server, client) = kit().await;
    client.send(web("cs-old", 80).comment("blue").add()).await.unwrap();
    client.send(Responderpolicy::new("p-1").rule("true").action("NOOP").add()).await.unwrap();
    client.send(CsvserverResponderpolicyBinding::new("cs-old").policyname("p-1").priority(100).add()).await.unwrap();

    client.send(Csvserver::new("cs-old").disable()).await.unwrap();
    assert_eq!(server.object("csvserver", "cs-old").unwrap()["state"], json!("DISABLED"));
    client.send(Csvserver::new("cs-old").unset(&["comment"])).await.unwrap();
    assert!(server.object("csvserver", "cs-old").unwrap().get("comment").is_none());
    // An action the resource does not have.
    let error = client.send(Request::raw(Method::Post, "/nitro/v1/config/csvserver").option("action", "explode").json(&json!({"csvserver": {"name": "cs-old"}}))).await.unwrap_err();
    assert_eq!(code_of(&error, "NSERR_NITRO_INVALID_ACTION"), 1240);

    // Rename: the key changes and the binding rows follow.
    let mut renamed = Csvserver::new("cs-old");
    renamed.newname = Some("cs-new".into());
    client.send(renamed.rename()).await.unwrap();
    assert!(server.object("csvserver", "cs-old").is_none());
    assert_eq!(server.bindings("csvserver_responderpolicy_binding", "cs-new").len(), 1);
    client.send(web("cs-other", 81).add()).await.unwrap();
    let mut onto_existing = Csvserver::new("cs-other");
    onto_existing.newname = Some("cs-new".into());
    assert!(client.send(onto_existing.rename()).await.unwrap_err().is_already_exists());
    let mut missing = Csvserver::new("cs-gone");
    missing.newname = Some("cs-newer".into());
    assert!(client.send(missing.rename()).await.unwrap_err().is_not_found());

    client.logout().await.unwrap();
    let logout = server.requests().pop().unwrap();
    assert_eq!((logout.path_and_query.as_str(), logout.status), ("/nitro/v1/config/logout", 200));
}
