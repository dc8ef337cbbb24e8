//! End-to-end: `Client::sync_bindings` and `Client::plan_bindings` (desired
//! state for one binding kind) against the loopback NITRO test server.
//! Each test checks the requests the server saw (no delete of a row that
//! should stay, no add of a row present, no write in a dry run) and the
//! rows it holds afterwards, not only the report.

use netscaler::adc::lb::{Lbvserver, LbvserverServiceBinding};
use netscaler::runtime::{BindingSync, Client, Error, RetryPolicy};
use netscaler_tests::nitro_server::{NitroServer, Recorded, PASSWORD, USER};
use serde_json::{json, Map, Value};

fn client(server: &NitroServer) -> Client {
    Client::builder(server.base_url()).allow_insecure_http(true).credentials(USER, PASSWORD).retry(RetryPolicy::none()).build().unwrap()
}

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap()
}

/// Seeds the server directly (no request logged): virtual servers `vs1`
/// and `vs2`, services `s1` to `s4`, and the service bindings given as
/// (vserver, service).
fn seed(server: &NitroServer, bound: &[(&str, &str)]) {
    let mut state = server.state();
    for vserver in ["vs1", "vs2"] {
        state.objects.entry("lbvserver".into()).or_default().insert(vserver.into(), object(json!({"name": vserver, "servicetype": "HTTP"})));
    }
    for service in ["s1", "s2", "s3", "s4"] {
        state
            .objects
            .entry("service".into())
            .or_default()
            .insert(service.into(), object(json!({"name": service, "servicetype": "HTTP", "port": 80})));
    }
    let rows = state.bindings.entry("lbvserver_service_binding".into()).or_default();
    for (vserver, service) in bound {
        rows.push(object(json!({"name": vserver, "servicename": service, "weight": 1})));
    }
}

/// The (vserver, service) rows the server holds, in its order.
fn held(server: &NitroServer) -> Vec<(String, String)> {
    let state = server.state();
    let rows = state.bindings.get("lbvserver_service_binding").cloned().unwrap_or_default();
    rows.iter().map(|row| (row["name"].as_str().unwrap().to_string(), row["servicename"].as_str().unwrap().to_string())).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

fn writes(requests: &[Recorded]) -> Vec<(String, String, Option<Value>)> {
    requests.iter().filter(|request| request.method != "GET").map(|r| (r.method.clone(), r.path_and_query.clone(), r.body.clone())).collect()
}

fn services(rows: &[LbvserverServiceBinding]) -> Vec<&str> {
    rows.iter().map(|row| row.servicename.as_deref().unwrap_or("?")).collect()
}

fn want(service: &str) -> LbvserverServiceBinding {
    LbvserverServiceBinding::default().servicename(service)
}

#[tokio::test]
async fn sync_adds_the_missing_row_deletes_the_extra_one_and_touches_nothing_else() {
    let server = NitroServer::start().await;
    seed(&server, &[("vs1", "s1"), ("vs1", "s2"), ("vs2", "s1"), ("vs2", "s3")]);
    let client = client(&server);

    let sync = client.sync_bindings("vs1", &[want("s2"), want("s3")]).await.unwrap();
    assert_eq!(services(&sync.added), ["s3"]);
    assert_eq!(services(&sync.removed), ["s1"]);
    assert_eq!(services(&sync.kept), ["s2"]);
    assert!(!sync.dry_run && sync.is_changed());
    // The added row carries the parent it was synced under.
    assert_eq!(sync.added[0].name.as_deref(), Some("vs1"));

    let requests = server.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path_and_query, "/nitro/v1/config/lbvserver_service_binding/vs1");
    assert_eq!(
        writes(&requests),
        [
            (
                "PUT".to_string(),
                "/nitro/v1/config/lbvserver_service_binding".to_string(),
                Some(json!({"lbvserver_service_binding": {"name": "vs1", "servicename": "s3"}}))
            ),
            ("DELETE".to_string(), "/nitro/v1/config/lbvserver_service_binding/vs1?args=servicename:s1".to_string(), None),
        ]
    );
    // vs2's rows (s1 among them) are untouched; vs1 holds exactly the wanted rows.
    assert_eq!(held(&server), pairs(&[("vs1", "s2"), ("vs2", "s1"), ("vs2", "s3"), ("vs1", "s3")]));
}

#[tokio::test]
async fn a_second_sync_reads_and_writes_nothing() {
    let server = NitroServer::start().await;
    seed(&server, &[("vs1", "s1")]);
    let client = client(&server);
    let wanted = [want("s1"), want("s2")];
    client.sync_bindings("vs1", &wanted).await.unwrap();
    let before = server.requests().len();

    let again = client.sync_bindings("vs1", &wanted).await.unwrap();
    assert!(!again.is_changed());
    assert_eq!(services(&again.kept), ["s1", "s2"]);
    let requests = server.requests();
    assert_eq!(requests.len() - before, 1, "only the read: {:?}", &requests[before..]);
    assert_eq!(requests[before].method, "GET");
}

#[tokio::test]
async fn the_dry_run_plans_the_same_changes_and_sends_no_write() {
    let server = NitroServer::start().await;
    seed(&server, &[("vs1", "s1"), ("vs1", "s2")]);
    let client = client(&server);
    let wanted = [want("s2"), want("s4")];

    let plan: BindingSync<LbvserverServiceBinding> = client.plan_bindings("vs1", &wanted).await.unwrap();
    assert!(plan.dry_run);
    assert_eq!((services(&plan.added), services(&plan.removed), services(&plan.kept)), (vec!["s4"], vec!["s1"], vec!["s2"]));
    assert!(writes(&server.requests()).is_empty(), "{:?}", server.requests());
    assert_eq!(held(&server), pairs(&[("vs1", "s1"), ("vs1", "s2")]));

    // The real run does what the plan said.
    let done = client.sync_bindings("vs1", &wanted).await.unwrap();
    assert_eq!((services(&done.added), services(&done.removed), services(&done.kept)), (vec!["s4"], vec!["s1"], vec!["s2"]));
    assert_eq!(held(&server), pairs(&[("vs1", "s2"), ("vs1", "s4")]));
}

#[tokio::test]
async fn an_empty_wanted_list_unbinds_each_row_one_by_one_and_only_under_the_parent() {
    let server = NitroServer::start().await;
    seed(&server, &[("vs1", "s1"), ("vs1", "s2"), ("vs2", "s2")]);
    let client = client(&server);
    let sync = client.sync_bindings::<LbvserverServiceBinding>("vs1", &[]).await.unwrap();
    assert_eq!(services(&sync.removed), ["s1", "s2"]);
    let deletes: Vec<String> = writes(&server.requests()).into_iter().map(|(method, path, _)| format!("{method} {path}")).collect();
    // Each delete names its row: never a bare delete of the parent's rows.
    assert_eq!(
        deletes,
        [
            "DELETE /nitro/v1/config/lbvserver_service_binding/vs1?args=servicename:s1",
            "DELETE /nitro/v1/config/lbvserver_service_binding/vs1?args=servicename:s2"
        ]
    );
    assert_eq!(held(&server), pairs(&[("vs2", "s2")]));
}

#[tokio::test]
async fn a_row_answered_with_both_alternatives_is_deleted_with_one() {
    // Appliances answer a service binding with `servicegroupname` too; the
    // delete must send one of the two (the server refuses both, 1092).
    let server = NitroServer::start().await;
    seed(&server, &[]);
    server.state().bindings.entry("lbvserver_service_binding".into()).or_default().push(object(json!({
        "name": "vs1", "servicename": "s1", "servicegroupname": "s1"
    })));
    let client = client(&server);
    let sync = client.sync_bindings("vs1", &[want("s2")]).await.unwrap();
    assert_eq!((services(&sync.added), services(&sync.removed)), (vec!["s2"], vec!["s1"]));
    let deletes: Vec<String> = writes(&server.requests()).into_iter().filter(|(m, ..)| m == "DELETE").map(|(_, path, _)| path).collect();
    assert_eq!(deletes, ["/nitro/v1/config/lbvserver_service_binding/vs1?args=servicename:s1"]);
    assert_eq!(held(&server), pairs(&[("vs1", "s2")]));
}

#[tokio::test]
async fn names_compare_exactly() {
    // `S1` is another service than `s1`: it is added and `s1` removed.
    let server = NitroServer::start().await;
    seed(&server, &[("vs1", "s1")]);
    server.state().objects.get_mut("service").unwrap().insert("S1".into(), object(json!({"name": "S1", "servicetype": "HTTP", "port": 80})));
    let client = client(&server);
    let sync = client.sync_bindings("vs1", &[want("S1")]).await.unwrap();
    assert_eq!((services(&sync.added), services(&sync.removed), services(&sync.kept)), (vec!["S1"], vec!["s1"], vec![]));
    assert_eq!(held(&server), pairs(&[("vs1", "S1")]));
}

#[tokio::test]
async fn bad_wanted_rows_are_refused_before_any_request() {
    let server = NitroServer::start().await;
    seed(&server, &[("vs1", "s1")]);
    let client = client(&server);
    let refused = |result: Result<BindingSync<LbvserverServiceBinding>, Error>, needle: &str| match result {
        Err(Error::InvalidRequest(message)) => assert!(message.contains(needle), "{message}"),
        other => panic!("expected a refusal naming {needle:?}, got {other:?}"),
    };
    // A row naming another parent.
    refused(client.sync_bindings("vs1", &[LbvserverServiceBinding::new("vs2").servicename("s1")]).await, "not the parent \"vs1\"");
    // Two rows naming the same row.
    refused(client.sync_bindings("vs1", &[want("s1"), want("s1")]).await, "name the same row");
    // A row that binds nothing.
    refused(client.sync_bindings("vs1", &[LbvserverServiceBinding::default().weight(5)]).await, "sets none of servicename|servicegroupname");
    // No parent.
    refused(client.sync_bindings("", &[want("s1")]).await, "parent (key value) is empty");
    // The dry run refuses the same.
    refused(client.plan_bindings("vs1", &[want("s1"), want("s1")]).await, "name the same row");
    // Not a binding.
    match client.sync_bindings::<Lbvserver>("vs1", &[]).await {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("not a binding"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    assert_eq!(held(&server), pairs(&[("vs1", "s1")]));
}

#[tokio::test]
async fn a_missing_parent_is_the_appliances_error_and_nothing_is_written() {
    let server = NitroServer::start().await;
    seed(&server, &[]);
    // The server answers a binding read of an unknown parent as the
    // appliance does for a missing object.
    server.fail_next(404, json!({"errorcode": 258, "message": "No such resource [name, vs9]", "severity": "ERROR"}));
    let client = client(&server);
    match client.sync_bindings("vs9", &[want("s1")]).await {
        Err(Error::Api { errorcode: 258, .. }) => {}
        other => panic!("{other:?}"),
    }
    assert!(writes(&server.requests()).is_empty());
}

#[tokio::test]
async fn an_add_the_appliance_refuses_stops_before_any_delete() {
    // s9 does not exist: the add fails, and the row to remove stays bound
    // (adds go first so traffic always has somewhere to go).
    let server = NitroServer::start().await;
    seed(&server, &[("vs1", "s1")]);
    let client = client(&server);
    match client.sync_bindings("vs1", &[want("s9")]).await {
        Err(Error::Api { .. }) => {}
        other => panic!("{other:?}"),
    }
    assert!(writes(&server.requests()).iter().all(|(method, ..)| method == "PUT"));
    assert_eq!(held(&server), pairs(&[("vs1", "s1")]));
}

#[test]
fn the_row_identity_is_the_generated_delete_arguments() {
    use netscaler::runtime::resource::delete_args;
    assert_eq!(delete_args::<LbvserverServiceBinding>(), ["servicename|servicegroupname"]);
    assert_eq!(delete_args::<netscaler::adc::lb::LbvserverServicegroupBinding>(), ["servicegroupname|servicename"]);
    assert!(delete_args::<Lbvserver>().is_empty());
    // The same arguments the generated delete sends.
    let row = LbvserverServiceBinding::new("vs1").servicename("s1").servicegroupname("s1");
    assert_eq!(row.delete().path_and_query(), "/nitro/v1/config/lbvserver_service_binding/vs1?args=servicename:s1");
}
