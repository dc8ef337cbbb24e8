//! End-to-end: the generated types (`netscaler::adc::{lb, basic, ssl}`,
//! features `lb`, `basic`, `ssl`) sent by the runtime's client to the local
//! NITRO test server. The generated endpoint functions build the requests;
//! this checks they reach the right URLs with the right payloads and that
//! the answers decode into the generated models.

use netscaler::adc::basic::{Server, Service, Servicegroup, ServicegroupServicegroupmemberBinding};
use netscaler::adc::lb::{Lbvserver, LbvserverBinding, LbvserverServiceBinding, LbvserverStats};
use netscaler::adc::ssl::{Sslcertkey, SslvserverSslcertkeyBinding};
use netscaler::{Client, Number, OnError, Open};
use netscaler_tests::nitro_server::{NitroServer, PASSWORD, USER};
use serde_json::json;

fn client(server: &NitroServer) -> Client {
    Client::builder(server.base_url()).allow_insecure_http(true).session(USER, PASSWORD).build().unwrap()
}

fn vserver(name: &str, servicetype: &str) -> Lbvserver {
    let mut vs = Lbvserver::default();
    vs.name = Some(name.into());
    vs.servicetype = Some(Open::from_wire(servicetype));
    vs.ipv46 = Some("10.0.0.10".into());
    vs.port = Some(443);
    vs
}

fn service(name: &str) -> Service {
    let mut svc = Service::default();
    svc.name = Some(name.into());
    svc.ip = Some("10.0.1.1".into());
    svc.servicetype = Some(Open::from_wire("HTTP"));
    svc.port = Some(8080);
    svc
}

fn wire<T: std::fmt::Display>(value: &Option<T>) -> Option<String> {
    value.as_ref().map(ToString::to_string)
}

#[tokio::test]
async fn lbvserver_operations_through_generated_functions() {
    let server = NitroServer::start().await;
    let client = client(&server);

    let outcome = client.send(vserver("web", "HTTP").add()).await.unwrap();
    assert_eq!(outcome.status, 201);
    let sent = server.requests().last().unwrap().clone();
    assert_eq!((sent.method.as_str(), sent.path_and_query.as_str()), ("POST", "/nitro/v1/config/lbvserver"));
    assert_eq!(sent.body.unwrap()["lbvserver"]["servicetype"], json!("HTTP"));

    let got = client.send(Lbvserver::get("web")).await.unwrap();
    assert_eq!(got[0].port, Some(443));
    assert_eq!(wire(&got[0].curstate).as_deref(), Some("UP"));
    assert!(matches!(got[0].servicetype, Some(Open::Known(_))), "{:?}", got[0].servicetype);
    assert_eq!(client.send(Lbvserver::count()).await.unwrap(), 1);

    let mut change = Lbvserver::default();
    change.name = Some("web".into());
    change.comment = Some("changed".into());
    change.timeout = Some(Number::Int(10));
    client.send(change.update()).await.unwrap();
    client.send(change.unset(&["comment"])).await.unwrap();
    client.send(change.disable()).await.unwrap();
    let got = client.send(Lbvserver::get("web")).await.unwrap();
    assert_eq!((got[0].comment.as_deref(), got[0].timeout), (None, Some(Number::Int(10))));
    assert_eq!(wire(&got[0].state).as_deref(), Some("DISABLED"));
    assert_eq!(wire(&got[0].curstate).as_deref(), Some("OUT OF SERVICE"));
    client.send(change.enable()).await.unwrap();

    // Session expiry in the middle: transparent re-login.
    server.expire_sessions();
    let all = client.send(Lbvserver::get_all()).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(server.state().logins, 2);

    client.send(Lbvserver::delete("web")).await.unwrap();
    let error = client.send(Lbvserver::get("web")).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    client.logout().await.unwrap();
}

#[tokio::test]
async fn services_groups_members_and_bindings() {
    let server = NitroServer::start().await;
    let client = client(&server);
    client.send(vserver("web", "HTTP").add()).await.unwrap();
    client.send(service("svc 1").add()).await.unwrap();
    let mut backend = Server::default();
    backend.name = Some("srv1".into());
    backend.ipaddress = Some("10.0.2.1".into());
    client.send(backend.add()).await.unwrap();
    let mut group = Servicegroup::default();
    group.servicegroupname = Some("grp".into());
    group.servicetype = Some(Open::from_wire("HTTP"));
    client.send(group.add()).await.unwrap();

    let mut member = ServicegroupServicegroupmemberBinding::default();
    member.servicegroupname = Some("grp".into());
    member.servername = Some("srv1".into());
    member.port = Some(80);
    let outcome = client.send(member.add()).await.unwrap();
    assert_eq!(outcome.status, 201);
    let sent = server.requests().last().unwrap().clone();
    assert_eq!(sent.method, "PUT", "binding add is a PUT");
    let members = client.send(ServicegroupServicegroupmemberBinding::get("grp")).await.unwrap();
    assert_eq!((members[0].servername.as_deref(), members[0].port), (Some("srv1"), Some(80)));

    let mut binding = LbvserverServiceBinding::default();
    binding.name = Some("web".into());
    binding.servicename = Some("svc 1".into());
    binding.weight = Some(Number::Int(5));
    client.send(binding.add()).await.unwrap();
    assert!(client.send(binding.add()).await.unwrap_err().is_already_exists());

    let aggregate = client.send(LbvserverBinding::get("web")).await.unwrap();
    let rows = aggregate[0].lbvserver_service_binding.as_ref().unwrap();
    assert_eq!((rows[0].servicename.as_deref(), rows[0].weight), (Some("svc 1"), Some(Number::Int(5))));

    client.send(binding.delete()).await.unwrap();
    let sent = server.requests().last().unwrap().clone();
    assert_eq!(sent.path_and_query, "/nitro/v1/config/lbvserver_service_binding/web?args=servicename:svc%201");
    assert!(client.send(LbvserverServiceBinding::get("web")).await.unwrap().is_empty());
}

#[tokio::test]
async fn ssl_certkeys_and_their_bindings() {
    let server = NitroServer::start().await;
    let client = client(&server);
    client.send(vserver("secure", "SSL").add()).await.unwrap();
    let mut certkey = Sslcertkey::default();
    certkey.certkey = Some("site".into());
    certkey.cert = Some("/nsconfig/ssl/site.pem".into());
    certkey.key = Some("/nsconfig/ssl/site.key".into());
    certkey.passplain = Some("pass-phrase-9".into());
    let request = certkey.add();
    assert!(!format!("{request:?}").contains("pass-phrase-9"));
    client.send(request).await.unwrap();

    let mut binding = SslvserverSslcertkeyBinding::default();
    binding.vservername = Some("secure".into());
    binding.certkeyname = Some("site".into());
    client.send(binding.add()).await.unwrap();
    let bound = client.send(SslvserverSslcertkeyBinding::get("secure")).await.unwrap();
    assert_eq!(bound[0].certkeyname.as_deref(), Some("site"));

    let mut missing = SslvserverSslcertkeyBinding::default();
    missing.vservername = Some("secure".into());
    missing.certkeyname = Some("other".into());
    assert!(client.send(missing.add()).await.unwrap_err().is_not_found());
    client.send(Sslcertkey::delete("site")).await.unwrap();
}

#[tokio::test]
async fn stats_bulk_and_warnings_with_generated_types() {
    let server = NitroServer::start().await;
    let client = client(&server);
    let batch = [vserver("a", "HTTP"), vserver("b", "HTTP"), vserver("a", "HTTP")];
    let outcome = client.send(Lbvserver::add_bulk(&batch).on_error(OnError::Continue)).await.unwrap();
    assert_eq!(outcome.status, 207);
    assert_eq!(outcome.failures().map(|(index, item)| (index, item.errorcode)).collect::<Vec<_>>(), [(2, 273)]);

    let stats = client.send(LbvserverStats::get_all()).await.unwrap();
    assert_eq!(stats.len(), 2);
    assert_eq!(stats[0].totalrequests, Some(Number::Int(1_256_464_744_519)));
    assert_eq!(stats[0].tothits.and_then(Number::as_u64), Some(u64::MAX));
    let one = client.send(LbvserverStats::get("b")).await.unwrap();
    assert_eq!(one[0].name.as_deref(), Some("b"));

    let warned = client.send(vserver("tls", "SSL").add().warning()).await.unwrap();
    assert!(warned.is_warning());
}
