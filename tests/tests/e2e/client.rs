//! End-to-end: the runtime's client against the local NITRO test server,
//! with small hand-written models shaped like the generated ones.

use netscaler::runtime::{Client, Error, Method, Number, OnError, Open, Outcome, Product, Request, WireEnum};
use netscaler_tests::hand_model;
use netscaler_tests::nitro_server::{NitroServer, PASSWORD, USER};
use serde_json::json;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceType {
    Http,
    Ssl,
    Tcp,
}

impl WireEnum for ServiceType {
    const VALUES: &'static [(Self, &'static str)] = &[(Self::Http, "HTTP"), (Self::Ssl, "SSL"), (Self::Tcp, "TCP")];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CurState {
    Up,
    Down,
}

impl WireEnum for CurState {
    const VALUES: &'static [(Self, &'static str)] = &[(Self::Up, "UP"), (Self::Down, "DOWN")];
}

hand_model!(Lbvserver, "lbvserver", Config, ["name"], {
    "comment" => comment: Option<String>,
    "curstate" => curstate: Option<Open<CurState>>,
    "ipv46" => ipv46: Option<String>,
    "name" => name: Option<String>,
    "port" => port: Option<i64>,
    "servicetype" => servicetype: Option<Open<ServiceType>>,
    "state" => state: Option<String>,
    "timeout" => timeout: Option<Number>,
});

hand_model!(Service, "service", Config, ["name"], {
    "ip" => ip: Option<String>,
    "name" => name: Option<String>,
    "port" => port: Option<i64>,
    "servicetype" => servicetype: Option<Open<ServiceType>>,
});

hand_model!(Sslcertkey, "sslcertkey", Config, ["certkey"], {
    "cert" => cert: Option<String>,
    "certkey" => certkey: Option<String>,
    "key" => key: Option<String>,
    "passplain" => passplain: Option<String>,
});

hand_model!(LbvserverServiceBinding, "lbvserver_service_binding", Binding, ["name"], {
    "name" => name: Option<String>,
    "servicename" => servicename: Option<String>,
    "weight" => weight: Option<Number>,
});

hand_model!(LbvserverBinding, "lbvserver_binding", Binding, ["name"], {
    "lbvserver_service_binding" => lbvserver_service_binding: Option<Vec<LbvserverServiceBinding>>,
    "name" => name: Option<String>,
});

hand_model!(LbvserverStats, "lbvserver", Stat, ["name"], {
    "name" => name: Option<String>,
    "requestsrate" => requestsrate: Option<Number>,
    "state" => state: Option<String>,
    "totalrequestbytes" => totalrequestbytes: Option<Number>,
    "totalrequests" => totalrequests: Option<Number>,
    "tothits" => tothits: Option<Number>,
});

hand_model!(Interface, "Interface", Config, ["id"], {
    "id" => id: Option<String>,
    "rxbytes" => rxbytes: Option<Number>,
});

fn vserver(name: &str) -> Lbvserver {
    Lbvserver {
        name: Some(name.into()),
        servicetype: Some(Open::Known(ServiceType::Http)),
        ipv46: Some("10.0.0.10".into()),
        port: Some(80),
        ..Default::default()
    }
}

fn service(name: &str) -> Service {
    Service {
        name: Some(name.into()),
        servicetype: Some(ServiceType::Http.into()),
        ip: Some("10.0.1.1".into()),
        port: Some(8080),
        ..Default::default()
    }
}

fn header_client(server: &NitroServer) -> Client {
    Client::builder(server.base_url()).allow_insecure_http(true).credentials(USER, PASSWORD).build().unwrap()
}

fn session_client(server: &NitroServer) -> Client {
    Client::builder(server.base_url()).allow_insecure_http(true).session(USER, PASSWORD).session_timeout(600).build().unwrap()
}

#[tokio::test]
async fn config_lifecycle_add_get_update_unset_action_count_delete() {
    let server = NitroServer::start().await;
    let client = header_client(&server);

    let created = client.send(Request::add(&vserver("vs1"), Method::Post)).await.unwrap();
    assert_eq!((created.status, created.errorcode, created.severity.as_str()), (201, 0, "NONE"));
    client.send(Request::add(&vserver("vs2"), Method::Post)).await.unwrap();

    let got: Vec<Lbvserver> = client.send(Request::get("vs1")).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].port, Some(80));
    assert_eq!(got[0].curstate, Some(Open::Known(CurState::Up)));
    // The server adds a key no reference documents: kept, not an error.
    assert_eq!(got[0].unknown_fields["_nextgenapiresource"], json!("_lbvserver"));

    let count: u64 = client.send(Request::count::<Lbvserver>()).await.unwrap();
    assert_eq!(count, 2);

    let change = Lbvserver { name: Some("vs1".into()), comment: Some("front end".into()), timeout: Some(Number::Int(30)), ..Default::default() };
    let updated = client.send(Request::update(&change)).await.unwrap();
    assert_eq!(updated.status, 200);
    let got: Vec<Lbvserver> = client.send(Request::get("vs1")).await.unwrap();
    assert_eq!((got[0].comment.as_deref(), got[0].timeout), (Some("front end"), Some(Number::Int(30))));

    client.send(Request::unset(&change, &["comment"])).await.unwrap();
    let got: Vec<Lbvserver> = client.send(Request::get("vs1")).await.unwrap();
    assert_eq!(got[0].comment, None);
    assert_eq!(got[0].timeout, Some(Number::Int(30)));

    client.send(Request::action(&Lbvserver { name: Some("vs1".into()), ..Default::default() }, "disable")).await.unwrap();
    let got: Vec<Lbvserver> = client.send(Request::get("vs1")).await.unwrap();
    assert_eq!(got[0].state.as_deref(), Some("DISABLED"));
    assert_eq!(got[0].curstate, Some(Open::Unknown("OUT OF SERVICE".into())));

    let deleted = client.send(Request::delete_by_key::<Lbvserver>(Some("vs1"))).await.unwrap();
    assert_eq!(deleted.status, 200);
    let error = client.send(Request::<Vec<Lbvserver>>::get("vs1")).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!((error.status(), error.errorcode()), (Some(404), Some(258)));

    let all: Vec<Lbvserver> = client.send(Request::get_all()).await.unwrap();
    assert_eq!(all.iter().map(|vs| vs.name.as_deref().unwrap()).collect::<Vec<_>>(), ["vs2"]);
}

#[tokio::test]
async fn errors_map_to_helpers() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    client.send(Request::add(&vserver("dup"), Method::Post)).await.unwrap();
    let error = client.send(Request::add(&vserver("dup"), Method::Post)).await.unwrap_err();
    assert!(error.is_already_exists(), "{error:?}");
    assert_eq!((error.status(), error.errorcode()), (Some(409), Some(273)));

    let incomplete = Lbvserver { name: Some("half".into()), ..Default::default() };
    let error = client.send(Request::add(&incomplete, Method::Post)).await.unwrap_err();
    assert!(matches!(&error, Error::Api { status: 400, errorcode: 1095, .. }), "{error:?}");

    server.fail_next(599, json!({"errorcode": 1239, "message": "Command execution failed", "severity": "ERROR"}));
    let error = client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(&error, Error::Api { status: 599, errorcode: 1239, .. }), "{error:?}");

    server.fail_next(404, json!({"errorcode": 258, "message": "No such resource"}));
    let error = client.send(Request::<Vec<Lbvserver>>::get("x")).await.unwrap_err();
    match &error {
        Error::Api { severity, .. } => assert_eq!(severity, ""),
        other => panic!("{other:?}"),
    }

    // A problem found while building is reported by send, nothing is sent.
    let before = server.requests().len();
    let error = client.send(Request::delete(&Lbvserver::default(), &[])).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_eq!(server.requests().len(), before);

    let wrong = Client::builder(server.base_url()).allow_insecure_http(true).credentials(USER, "wrong").build().unwrap();
    let error = wrong.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(&error, Error::Api { status: 401, errorcode: 354, .. }), "{error:?}");
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error() {
    let server = NitroServer::start().await;
    let base = server.base_url();
    drop(server);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let client = Client::builder(base)
        .allow_insecure_http(true)
        .credentials(USER, PASSWORD)
        .timeout(std::time::Duration::from_secs(5))
        .retry(netscaler::RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn session_login_cookie_expiry_relogin_and_logout() {
    let server = NitroServer::start().await;
    let client = session_client(&server);
    assert!(!client.has_session());
    client.send(Request::add(&vserver("vs1"), Method::Post)).await.unwrap();
    assert!(client.has_session());
    assert_eq!(server.state().logins, 1);

    let requests = server.requests();
    let login = &requests[0];
    assert_eq!((login.method.as_str(), login.path_and_query.as_str()), ("POST", "/nitro/v1/config/login"));
    assert_eq!(login.body.as_ref().unwrap()["login"]["timeout"], json!(600));
    let add = &requests[1];
    let header = |name: &str| add.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    assert!(header("cookie").unwrap().starts_with("NITRO_AUTH_TOKEN=##"));
    assert_eq!(header("x-nitro-pass"), None);

    // The session expires: the next request logs in again, once.
    server.expire_sessions();
    let got: Vec<Lbvserver> = client.send(Request::get("vs1")).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(server.state().logins, 2);

    // Many requests at once after expiry still log in once.
    server.expire_sessions();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send(Request::<Vec<Lbvserver>>::get_all()).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(server.state().logins, 3);

    client.logout().await.unwrap();
    assert!(!client.has_session());
    // Only the sessions expired on purpose are left, no live one.
    assert_eq!(server.state().sessions.len(), 2);
    assert!(server.state().sessions.values().all(|expired| *expired));
    assert_eq!(server.requests().last().unwrap().path_and_query, "/nitro/v1/config/logout");
}

#[tokio::test]
async fn a_wrong_password_fails_login_without_looping() {
    let server = NitroServer::start().await;
    let client = Client::builder(server.base_url()).allow_insecure_http(true).session(USER, "not-it").build().unwrap();
    let error = client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap_err();
    assert!(matches!(&error, Error::Api { status: 401, errorcode: 354, .. }), "{error:?}");
    assert_eq!(server.requests().len(), 1);
    assert!(!format!("{error} {error:?} {client:?}").contains("not-it"));
}

#[tokio::test]
async fn adm_login_uses_v2_and_the_sessid_cookie() {
    let server = NitroServer::start().await;
    let client = Client::builder(server.base_url()).allow_insecure_http(true).session(USER, PASSWORD).product(Product::Adm).build().unwrap();
    client.login().await.unwrap();
    let _: Vec<Lbvserver> = client.send(Request::get_all()).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].path_and_query, "/nitro/v2/config/login");
    let cookie = requests[1].headers.iter().find(|(name, _)| name == "cookie").map(|(_, v)| v.clone()).unwrap();
    assert!(cookie.starts_with("SESSID="), "{cookie}");
}

#[tokio::test]
async fn secrets_never_leave_their_headers() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    let cert = Sslcertkey {
        certkey: Some("ck1".into()),
        cert: Some("/nsconfig/ssl/a.pem".into()),
        key: Some("/nsconfig/ssl/a.key".into()),
        passplain: Some("key-pass-phrase".into()),
        ..Default::default()
    };
    let request = Request::add(&cert, Method::Post);
    assert!(!format!("{request:?}").contains("key-pass-phrase"));
    client.send(request).await.unwrap();
    assert!(!format!("{client:?}").contains(PASSWORD));
    for recorded in server.requests() {
        assert!(!recorded.path_and_query.contains(PASSWORD));
        let pass = recorded.headers.iter().find(|(name, _)| name == "x-nitro-pass").map(|(_, v)| v.as_str());
        assert_eq!(pass, Some(PASSWORD));
    }
}

#[tokio::test]
async fn names_with_special_characters_round_trip() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    let name = "web vs/1#a?b%c:d@e=f,g+h&i";
    client.send(Request::add(&vserver(name), Method::Post)).await.unwrap();
    client.send(Request::add(&service("svc:1,x"), Method::Post)).await.unwrap();
    assert!(server.state().objects["lbvserver"].contains_key(name));

    let got: Vec<Lbvserver> = client.send(Request::get(name)).await.unwrap();
    assert_eq!(got[0].name.as_deref(), Some(name));
    let filtered: Vec<Lbvserver> = client.send(Request::get_all().filter("name", name)).await.unwrap();
    assert_eq!(filtered.len(), 1);

    let binding = LbvserverServiceBinding { name: Some(name.into()), servicename: Some("svc:1,x".into()), ..Default::default() };
    client.send(Request::add(&binding, Method::Put)).await.unwrap();
    let bound: Vec<LbvserverServiceBinding> = client.send(Request::get(name)).await.unwrap();
    assert_eq!(bound[0].servicename.as_deref(), Some("svc:1,x"));
    client.send(Request::delete(&binding, &["servicename"])).await.unwrap();
    assert!(server.state().bindings["lbvserver_service_binding"].is_empty());

    client.send(Request::delete_by_key::<Lbvserver>(Some(name))).await.unwrap();
    assert!(server.state().objects["lbvserver"].is_empty());
}

#[tokio::test]
async fn bindings_and_aggregates() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    client.send(Request::add(&vserver("vs1"), Method::Post)).await.unwrap();
    for name in ["svc1", "svc2"] {
        client.send(Request::add(&service(name), Method::Post)).await.unwrap();
    }
    // An empty binding answer is the envelope alone.
    let none: Vec<LbvserverServiceBinding> = client.send(Request::get("vs1")).await.unwrap();
    assert!(none.is_empty());

    for (name, weight) in [("svc1", 1), ("svc2", 3)] {
        let binding = LbvserverServiceBinding {
            name: Some("vs1".into()),
            servicename: Some(name.into()),
            weight: Some(Number::Int(weight)),
            ..Default::default()
        };
        let outcome = client.send(Request::add(&binding, Method::Put)).await.unwrap();
        assert_eq!(outcome.status, 201);
    }
    let again = LbvserverServiceBinding { name: Some("vs1".into()), servicename: Some("svc1".into()), ..Default::default() };
    assert!(client.send(Request::add(&again, Method::Put)).await.unwrap_err().is_already_exists());
    let missing = LbvserverServiceBinding { name: Some("vs1".into()), servicename: Some("nope".into()), ..Default::default() };
    assert!(client.send(Request::add(&missing, Method::Put)).await.unwrap_err().is_not_found());

    let aggregate: Vec<LbvserverBinding> = client.send(Request::get("vs1")).await.unwrap();
    let rows = aggregate[0].lbvserver_service_binding.as_ref().unwrap();
    assert_eq!(rows.iter().map(|row| row.weight.unwrap().as_i64().unwrap()).collect::<Vec<_>>(), [1, 3]);

    let count: u64 = client.send(Request::count::<LbvserverServiceBinding>()).await.unwrap();
    assert_eq!(count, 2);
    let per_parent: u64 = client.send(Request::count_by_key::<LbvserverServiceBinding>("vs1")).await.unwrap();
    assert_eq!(per_parent, 2);
    let other_parent: u64 = client.send(Request::count_by_key::<LbvserverServiceBinding>("vs9")).await.unwrap();
    assert_eq!(other_parent, 0);
    let missing_binding =
        LbvserverServiceBinding { name: Some("vs1".into()), servicename: Some("svc9".into()), ..Default::default() };
    assert!(client.send(Request::delete(&missing_binding, &["servicename"])).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn stat_counters_arrive_as_strings_and_stay_exact() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    client.send(Request::add(&vserver("vs1"), Method::Post)).await.unwrap();
    let stats: Vec<LbvserverStats> = client.send(Request::get_all()).await.unwrap();
    assert_eq!(server.requests().last().unwrap().path_and_query, "/nitro/v1/stat/lbvserver");
    assert_eq!(stats[0].totalrequests, Some(Number::Int(1_256_464_744_519)));
    assert_eq!(stats[0].tothits.unwrap().as_u64(), Some(u64::MAX));
    // 2^53 + 1: an f64 would round it.
    assert_eq!(stats[0].totalrequestbytes.unwrap().as_i64(), Some(9_007_199_254_740_993));
    assert_eq!(stats[0].requestsrate, Some(Number::Int(0)));
}

#[tokio::test]
async fn bulk_add_answers_207_per_onerror() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    client.send(Request::add(&vserver("b"), Method::Post)).await.unwrap();
    let batch = [vserver("a"), vserver("b"), vserver("c")];

    let outcome = client.send(Request::add_bulk(&batch, Method::Post).on_error(OnError::Continue)).await.unwrap();
    assert_eq!(outcome.status, 207);
    assert_eq!(outcome.items.len(), 3);
    assert_eq!(outcome.failures().map(|(index, item)| (index, item.errorcode)).collect::<Vec<_>>(), [(1, 273)]);
    assert_eq!(server.state().objects["lbvserver"].len(), 3);

    let batch = [vserver("d"), vserver("a"), vserver("e")];
    let outcome = client.send(Request::add_bulk(&batch, Method::Post).on_error(OnError::Exit)).await.unwrap();
    assert_eq!(outcome.items.len(), 2, "exit stops at the first failure");
    assert!(server.state().objects["lbvserver"].contains_key("d"));
    assert!(!server.state().objects["lbvserver"].contains_key("e"));

    let batch = [vserver("f"), vserver("a")];
    let outcome = client.send(Request::add_bulk(&batch, Method::Post).on_error(OnError::Rollback)).await.unwrap();
    assert!(outcome.has_failures());
    assert!(!server.state().objects["lbvserver"].contains_key("f"), "rollback undoes f");

    let batch = [vserver("g"), vserver("h")];
    let outcome = client.send(Request::add_bulk(&batch, Method::Post)).await.unwrap();
    assert_eq!((outcome.status, outcome.has_failures()), (201, false));

    // The mode travels in the `X-NITRO-ONERROR` header; as a query option
    // (where the client once put it) the appliance ignores it and exits.
    let batch = [vserver("i"), vserver("a"), vserver("j")];
    let outcome = client.send(Request::add_bulk(&batch, Method::Post).option("onerror", "CONTINUE")).await.unwrap();
    assert_eq!(outcome.items.len(), 2, "a query onerror is not the header");
    assert!(!server.state().objects["lbvserver"].contains_key("j"));
    let sent = server.requests().into_iter().filter(|r| r.path_and_query == "/nitro/v1/config/lbvserver").count();
    assert!(sent >= 4);
}

#[tokio::test]
async fn bulk_delete_is_rm_and_unbind_with_per_item_results() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    for name in ["a", "b", "c"] {
        client.send(Request::add(&vserver(name), Method::Post)).await.unwrap();
    }
    for name in ["svc1", "svc2"] {
        client.send(Request::add(&service(name), Method::Post)).await.unwrap();
        let binding = LbvserverServiceBinding { name: Some("a".into()), servicename: Some(name.into()), ..Default::default() };
        client.send(Request::add(&binding, Method::Put)).await.unwrap();
    }

    // Bindings: `unbind`, each item picked by its parent and bound entity.
    let unbind: Vec<LbvserverServiceBinding> = ["svc2", "gone"]
        .iter()
        .map(|name| LbvserverServiceBinding { name: Some("a".into()), servicename: Some(name.to_string()), ..Default::default() })
        .collect();
    let outcome = client.send(Request::delete_bulk(&unbind).on_error(OnError::Continue)).await.unwrap();
    let sent = server.requests().last().unwrap().clone();
    assert_eq!((sent.method.as_str(), sent.path_and_query.as_str()), ("POST", "/nitro/v1/config/lbvserver_service_binding?action=unbind"));
    assert!(sent.headers.contains(&("x-nitro-onerror".to_string(), "continue".to_string())), "{:?}", sent.headers);
    assert_eq!(outcome.status, 207);
    assert_eq!(outcome.failures().map(|(index, item)| (index, item.errorcode)).collect::<Vec<_>>(), [(1, 258)]);
    let left: Vec<String> = server.state().bindings["lbvserver_service_binding"]
        .iter()
        .map(|row| row["servicename"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(left, ["svc1"]);

    // Config: `rm`; one missing object, the others go.
    let batch = [vserver("a"), vserver("nope"), vserver("c")];
    let outcome = client.send(Request::delete_bulk(&batch).on_error(OnError::Continue)).await.unwrap();
    assert_eq!(server.requests().last().unwrap().path_and_query, "/nitro/v1/config/lbvserver?action=rm");
    assert_eq!(outcome.failures().map(|(index, item)| (index, item.errorcode)).collect::<Vec<_>>(), [(1, 258)]);
    assert_eq!(server.state().objects["lbvserver"].keys().collect::<Vec<_>>(), ["b"]);
    assert!(server.state().bindings["lbvserver_service_binding"].is_empty(), "bindings of a removed vserver go with it");

    // An item without its key is a problem before anything is sent.
    let keyless = [vserver("b"), Lbvserver::default()];
    let sent_before = server.requests().len();
    assert!(matches!(client.send(Request::delete_bulk(&keyless)).await, Err(Error::InvalidRequest(_))));
    assert_eq!(server.requests().len(), sent_before);
}

#[tokio::test]
async fn warnings_answer_209() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    let mut ssl = vserver("secure");
    ssl.servicetype = Some(ServiceType::Ssl.into());
    let outcome = client.send(Request::add(&ssl, Method::Post).warning()).await.unwrap();
    assert_eq!(outcome.status, 209);
    assert!(outcome.is_warning());
    // The server sends the warning in the X-NITRO-WARNING header only.
    assert!(outcome.message.contains("no certificate"), "{outcome:?}");
    let plain = client.send(Request::add(&vserver("plain"), Method::Post).warning()).await.unwrap();
    assert!(!plain.is_warning());
}

#[tokio::test]
async fn answer_key_case_pagination_and_attrs() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    let interfaces: Vec<Interface> = client.send(Request::get_all()).await.unwrap();
    assert_eq!(interfaces.len(), 2);
    assert_eq!(interfaces[0].rxbytes, Some(Number::Int(1_256_464_744_519)));

    for index in 0..5 {
        client.send(Request::add(&vserver(&format!("vs{index}")), Method::Post)).await.unwrap();
    }
    let page: Vec<Lbvserver> = client.send(Request::get_all().page(2, 2)).await.unwrap();
    assert_eq!(page.iter().map(|vs| vs.name.clone().unwrap()).collect::<Vec<_>>(), ["vs2", "vs3"]);
    let slim: Vec<Lbvserver> = client.send(Request::get_all().attrs(&["name", "port"])).await.unwrap();
    assert_eq!(slim.len(), 5);
    assert!(slim.iter().all(|vs| vs.ipv46.is_none() && vs.port == Some(80)));
}

#[tokio::test]
async fn raw_answers_decode_as_json() {
    let server = NitroServer::start().await;
    let client = header_client(&server);
    let outcome: Outcome = client.send(Request::add(&vserver("vs1"), Method::Post)).await.unwrap();
    assert_eq!(outcome.message, "Done");
}
