//! End-to-end against the test server held to the reference: the URL it
//! actually received names the one object a request was built for, and
//! the generated endpoint functions send only what each operation takes,
//! checked by their effects on the server's state.

use netscaler::adc::basic::{Servicegroup, ServicegroupServicegroupmemberBinding};
use netscaler::adc::lb::Lbvserver;
use netscaler::adc::ssl::Sslcertkey;
use netscaler::{Client, Error, Method, Open, Request};
use netscaler_tests::nitro_server::{decode_segment, NitroServer, PASSWORD, USER};
use proptest::prelude::*;
use serde_json::json;

fn client(server: &NitroServer) -> Client {
    Client::builder(server.base_url()).credentials(USER, PASSWORD).allow_insecure_http(true).build().unwrap()
}

fn vserver(name: &str, servicetype: &str) -> Lbvserver {
    let mut vs = Lbvserver::default();
    vs.name = Some(name.into());
    vs.servicetype = Some(Open::from_wire(servicetype));
    vs.ipv46 = Some("10.0.0.10".into());
    vs.port = Some(80);
    vs
}

/// The key the server saw in the last request's path, if that path was
/// the lbvserver collection plus exactly one segment: parsed from the
/// request line and decoded as the appliance decodes it.
fn received_key(server: &NitroServer, before: usize) -> Option<Option<String>> {
    let requests = server.requests();
    if requests.len() == before {
        return None; // nothing was sent
    }
    let path = requests.last().unwrap().path_and_query.split('?').next().unwrap().to_string();
    let segments: Vec<&str> = path.split('/').collect();
    Some(match segments.as_slice() {
        ["", "nitro", "v1", "config", "lbvserver", key] => Some(decode_segment(key)),
        _ => None,
    })
}

fn key_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        // Dots, escapes and URL delimiters, in every mix.
        "[.%2eE5fF/+#?& ]{0,8}",
        "(\\.|%2[eE]|%25|%252[eE]){1,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    /// Any key: the server receives a request for exactly that one object
    /// (collection path + one segment decoding to the key), or nothing
    /// was sent and the client answered `InvalidRequest`.
    #[test]
    fn a_request_targets_the_one_object_its_key_names(key in key_strategy()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let server = NitroServer::start().await;
            let client = client(&server);
            let requests: [(&str, Request<netscaler::runtime::Outcome>); 2] = [
                ("delete_by_key", Lbvserver::delete(&key)),
                ("delete from a model", Request::delete(&{ let mut vs = Lbvserver::default(); vs.name = Some(key.clone()); vs }, &[])),
            ];
            for (what, request) in requests {
                let before = server.requests().len();
                let answer = client.send(request).await;
                match received_key(&server, before) {
                    None => prop_assert!(matches!(answer, Err(Error::InvalidRequest(_))), "{what} {key:?}: not sent but {answer:?}"),
                    Some(received) => prop_assert_eq!(received.as_deref(), Some(key.as_str()), "{} {:?}", what, key),
                }
            }
            let before = server.requests().len();
            let answer = client.send(Lbvserver::get(&key)).await;
            match received_key(&server, before) {
                None => prop_assert!(matches!(answer, Err(Error::InvalidRequest(_))), "get {key:?}: not sent but {answer:?}"),
                Some(received) => prop_assert_eq!(received.as_deref(), Some(key.as_str()), "get {:?}", key),
            }
            Ok(())
        })?;
    }
}

#[tokio::test]
async fn dot_keys_are_refused_before_sending() {
    let server = NitroServer::start().await;
    let client = client(&server);
    client.send(vserver("web", "HTTP").add()).await.unwrap();
    for key in ["..", ".", "%2e%2e", ".%2E", "%2E"] {
        let before = server.requests().len();
        let error = client.send(Lbvserver::get(key)).await.unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{key}: {error:?}");
        let error = client.send(Lbvserver::delete(key)).await.unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{key}: {error:?}");
        assert_eq!(server.requests().len(), before, "{key}: nothing sent");
    }
    assert_eq!(server.state().objects["lbvserver"].len(), 1, "the collection is untouched");
}

#[tokio::test]
async fn names_with_slash_percent_plus_hash_reach_their_object() {
    let server = NitroServer::start().await;
    let client = client(&server);
    for name in ["a/b", "100%", "a+b c", "prod#1", "x%2Fy", "é/..", "a..b"] {
        client.send(vserver(name, "HTTP").add()).await.unwrap();
        let got = client.send(Lbvserver::get(name)).await.unwrap();
        assert_eq!(got[0].name.as_deref(), Some(name));
    }
    client.send(Lbvserver::delete("a/b")).await.unwrap();
    let left: Vec<String> = server.state().objects["lbvserver"].keys().cloned().collect();
    assert_eq!(left.len(), 6);
    assert!(!left.contains(&"a/b".to_string()));
}

#[tokio::test]
async fn get_change_one_field_update_is_accepted_by_the_strict_server() {
    let server = NitroServer::start().await;
    let client = client(&server);
    client.send(vserver("web", "HTTP").add()).await.unwrap();

    let mut got = client.send(Lbvserver::get("web")).await.unwrap().remove(0);
    // What the answer carried: read-only state, create-only properties,
    // a key no reference documents.
    assert!(got.curstate.is_some() && got.servicetype.is_some() && got.port.is_some());
    assert!(got.unknown_fields.contains_key("_nextgenapiresource"));

    // Sent whole (a raw request), the appliance refuses it.
    let error = client.send(Request::update(&got)).await.unwrap_err();
    assert_eq!((error.status(), error.errorcode()), (Some(400), Some(278)), "{error:?}");

    got.comment = Some("changed".into());
    client.send(got.update()).await.unwrap();
    let body = server.requests().last().unwrap().body.clone().unwrap();
    let sent = body["lbvserver"].as_object().unwrap();
    for left_out in ["curstate", "servicetype", "port", "_nextgenapiresource"] {
        assert!(!sent.contains_key(left_out), "{left_out} sent: {sent:?}");
    }
    let again = client.send(Lbvserver::get("web")).await.unwrap();
    assert_eq!(again[0].comment.as_deref(), Some("changed"));
    assert_eq!(again[0].port, Some(80), "what was not sent is unchanged");
}

#[tokio::test]
async fn unbinding_one_member_of_several_leaves_the_others() {
    let server = NitroServer::start().await;
    let client = client(&server);
    let mut group = Servicegroup::default();
    group.servicegroupname = Some("grp".into());
    group.servicetype = Some(Open::from_wire("HTTP"));
    client.send(group.add()).await.unwrap();
    for ip in ["10.0.0.11", "10.0.0.12", "10.0.0.13"] {
        let mut member = ServicegroupServicegroupmemberBinding::default();
        member.servicegroupname = Some("grp".into());
        member.ip = Some(ip.into());
        member.port = Some(80);
        client.send(member.add()).await.unwrap();
    }
    // Read back, a member added by IP carries its IP as server name too.
    let members = client.send(ServicegroupServicegroupmemberBinding::get("grp")).await.unwrap();
    assert_eq!(members.len(), 3);
    let second = members.iter().find(|m| m.ip.as_deref() == Some("10.0.0.12")).unwrap().clone();
    assert_eq!(second.servername.as_deref(), Some("10.0.0.12"));

    // Both alternatives, as a raw request sends them: refused (1092).
    let error = client.send(Request::delete(&second, &["ip", "servername", "port"])).await.unwrap_err();
    assert_eq!(error.errorcode(), Some(1092), "{error:?}");
    // No argument naming a row: refused, nothing removed.
    let error = client.send(Request::delete(&second, &[])).await.unwrap_err();
    assert_eq!(error.errorcode(), Some(1095), "{error:?}");
    assert_eq!(server.state().bindings["servicegroup_servicegroupmember_binding"].len(), 3);

    client.send(second.delete()).await.unwrap();
    let query = server.requests().last().unwrap().path_and_query.clone();
    assert_eq!(query, "/nitro/v1/config/servicegroup_servicegroupmember_binding/grp?args=servername:10.0.0.12,port:80");
    let left: Vec<String> = client
        .send(ServicegroupServicegroupmemberBinding::get("grp"))
        .await
        .unwrap()
        .iter()
        .map(|m| m.ip.clone().unwrap())
        .collect();
    assert_eq!(left, ["10.0.0.11", "10.0.0.13"]);

    // Bulk: the rows as read back, one unbind request.
    let rest = client.send(ServicegroupServicegroupmemberBinding::get("grp")).await.unwrap();
    let outcome = client.send(ServicegroupServicegroupmemberBinding::delete_bulk(&rest[..1])).await.unwrap();
    assert!(!outcome.has_failures(), "{outcome:?}");
    assert_eq!(client.send(ServicegroupServicegroupmemberBinding::get("grp")).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_filter_leaves_out_what_does_not_match() {
    let server = NitroServer::start().await;
    let client = client(&server);
    for (name, servicetype) in [("a", "HTTP"), ("b", "SSL"), ("c", "HTTP"), ("d", "TCP")] {
        client.send(vserver(name, servicetype).add()).await.unwrap();
    }
    let http = client.send(Lbvserver::get_all().filter("servicetype", "HTTP")).await.unwrap();
    let names: Vec<&str> = http.iter().map(|vs| vs.name.as_deref().unwrap()).collect();
    assert_eq!(names, ["a", "c"]);
    assert!(client.send(Lbvserver::get_all().filter("servicetype", "DNS")).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_write_body_that_is_not_sent_as_json_is_refused() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = NitroServer::start().await;
    let address = server.base_url().trim_start_matches("http://").to_string();
    let body = r#"{"lbvserver":{"name":"web","servicetype":"HTTP"}}"#;
    let mut answers = Vec::new();
    for content_type in ["text/plain", "application/json"] {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        let request = format!(
            "POST /nitro/v1/config/lbvserver HTTP/1.1\r\nHost: {address}\r\nX-NITRO-USER: {USER}\r\nX-NITRO-PASS: {PASSWORD}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        answers.push(answer.lines().next().unwrap_or_default().to_string());
    }
    assert!(answers[0].contains(" 400 "), "{answers:?}");
    assert!(answers[1].contains(" 201 "), "{answers:?}");
    assert_eq!(server.state().objects["lbvserver"].len(), 1);
}

#[tokio::test]
async fn a_whole_number_set_from_an_f64_is_sent_as_an_integer() {
    let server = NitroServer::start().await;
    let client = client(&server);
    let mut vs = vserver("web", "HTTP");
    // `timeout` is a `<Double>` in the reference, typed `Number`.
    vs.timeout = Some(netscaler::Number::from(20.0));
    client.send(vs.add()).await.unwrap();
    let body = server.requests().last().unwrap().body.clone().unwrap();
    assert_eq!(body["lbvserver"]["timeout"].to_string(), "20");
}

#[tokio::test]
async fn unknown_keys_are_refused() {
    let server = NitroServer::start().await;
    let client = client(&server);
    let mut vs = vserver("web", "HTTP");
    vs.unknown_fields.insert("nosuchkey".into(), json!("x"));
    // A raw add sends the unknown key: the appliance answers 278.
    let error = client.send(Request::add(&vs, Method::Post)).await.unwrap_err();
    assert_eq!(error.errorcode(), Some(278), "{error:?}");
    // The generated add sends what the reference lists: accepted.
    client.send(vs.add()).await.unwrap();
    assert!(!server.state().objects["lbvserver"]["web"].contains_key("nosuchkey"));
}

#[test]
fn secrets_are_redacted_by_debug() {
    let mut certkey = Sslcertkey::default();
    certkey.certkey = Some("site".into());
    certkey.key = Some("site.key".into());
    certkey.passplain = Some("hunter2-passphrase".into());
    let printed = format!("{certkey:?}");
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(printed.contains("passplain: <redacted>"), "{printed}");
    // `key` names a key file: not a secret, printed.
    assert!(printed.contains("site.key"), "{printed}");
}
