//! Decoding an answer already held (status and body kept from a log, a
//! capture or another tool) the way the client decodes one it receives:
//! `netscaler::runtime::decode` / `Answer::decode` apply the "only 2xx,
//! and no `ERROR` severity, is success" rule, `LoginAnswer` reads the
//! session id (hidden from `Debug`), and an error names its code
//! (`Error::code_name`) and severity.

use netscaler::adc::lb::Lbvserver;
use netscaler::runtime::{decode, Answer, LoginAnswer, Outcome, Product, Resource};
use netscaler::Error;

#[test]
fn a_stored_list_decodes_into_models() {
    let body = br#"{"errorcode":0,"message":"Done","severity":"NONE","lbvserver":[{"name":"web-vs","port":80,"curstate":"UP"},{"name":"api-vs","port":"443"}]}"#;
    let vservers: Vec<Lbvserver> = decode(200, body.to_vec(), Lbvserver::NAME).unwrap();
    let names: Vec<_> = vservers.iter().map(|v| (v.name.as_deref().unwrap(), v.port)).collect();
    assert_eq!(names, [("web-vs", Some(80)), ("api-vs", Some(443))]);
    // A single object where a list is expected, as appliances send it.
    let single = br#"{"errorcode":0,"lbvserver":{"name":"one"}}"#;
    assert_eq!(decode::<Vec<Lbvserver>>(200, single.to_vec(), Lbvserver::NAME).unwrap().len(), 1);
}

#[test]
fn a_stored_error_is_the_typed_error_with_its_code_name_and_severity() {
    let body = br#"{"errorcode":273,"message":"Resource already exists","severity":"ERROR"}"#;
    for decoded in [
        decode::<Outcome>(409, body.to_vec(), "lbvserver").map(|_| ()),
        decode::<Vec<Lbvserver>>(409, body.to_vec(), "lbvserver").map(|_| ()),
        Answer::new(409, body.to_vec(), "lbvserver").decode::<serde_json::Value>().map(|_| ()),
    ] {
        let error = decoded.expect_err("409 is an error");
        assert!(error.is_already_exists(), "{error:?}");
        assert_eq!((error.status(), error.errorcode()), (Some(409), Some(273)));
        assert_eq!(error.code_name(), Some("NSERR_EXIST"));
        assert_eq!(error.severity(), Some("ERROR"));
    }
    // `Answer::new` + `FromNitro` alone read only the envelope: `decode`
    // is what refuses a non-2xx status whose body looks like success.
    let hidden = br#"{"errorcode":0,"message":"Done","severity":"NONE","lbvserver":[]}"#;
    for status in [302, 304, 404, 502] {
        let error = decode::<Vec<Lbvserver>>(status, hidden.to_vec(), "lbvserver").expect_err("not 2xx");
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.code_name(), None, "code 0 has no name");
    }
    // A proxy's HTML page.
    let error = decode::<Outcome>(502, b"<html><body>Bad Gateway</body></html>".to_vec(), "lbvserver").unwrap_err();
    assert!(matches!(&error, Error::Api { status: 502, message, .. } if message.contains("Bad Gateway")), "{error:?}");
    assert_eq!(error.severity(), None);
    // 2xx with severity ERROR is an error too.
    let error = decode::<Outcome>(200, br#"{"errorcode":258,"message":"No such resource","severity":"ERROR"}"#.to_vec(), "lbvserver").unwrap_err();
    assert!(error.is_not_found() && error.code_name() == Some("NSERR_NOENT"), "{error:?}");
    // A 2xx warning is an outcome.
    let outcome: Outcome = decode(200, br#"{"errorcode":1067,"message":"warn","severity":"WARNING"}"#.to_vec(), "lbvserver").unwrap();
    assert!(outcome.is_warning());
}

#[test]
fn code_names_come_from_the_product_listing() {
    let error = decode::<Outcome>(401, br#"{"errorcode":444,"message":"Session expired","severity":"ERROR"}"#.to_vec(), "login").unwrap_err();
    assert_eq!(error.code_name_in(Product::Adm), Some("ERR_SESSION_NOT_EXIST"));
    assert_eq!(error.code_name_in(Product::Adc), netscaler::adc::errors::name_of(444));
    assert!(error.code_name().is_some());
    assert_eq!(Error::InvalidRequest("x".into()).code_name(), None);
}

#[test]
fn a_login_answer_gives_the_session_id_and_hides_it() {
    let adc = br###"{"errorcode":0,"message":"Done","severity":"NONE","sessionid":"##0123456789ABCDEF"}"###;
    let login: LoginAnswer = decode(201, adc.to_vec(), "login").unwrap();
    assert_eq!((login.status, login.errorcode, login.sessionid.expose()), (201, 0, "##0123456789ABCDEF"));
    let printed = format!("{login:?}");
    assert!(!printed.contains("0123456789ABCDEF"), "{printed}");
    let adm = br#"{"errorcode":0,"message":"Done","login":[{"sessionid":"adm-5e55","username":"nsroot"}]}"#;
    assert_eq!(decode::<LoginAnswer>(200, adm.to_vec(), "login").unwrap().sessionid.expose(), "adm-5e55");
    // No id in the body: a decode error, not an empty session.
    let error = decode::<LoginAnswer>(201, br#"{"errorcode":0,"message":"Done"}"#.to_vec(), "login").unwrap_err();
    assert!(matches!(&error, Error::Decode { message, .. } if message.contains("sessionid")), "{error:?}");
    // A refused login is the typed error.
    let refused = br#"{"errorcode":354,"message":"Invalid username or password","severity":"ERROR"}"#;
    let error = decode::<LoginAnswer>(401, refused.to_vec(), "login").unwrap_err();
    assert_eq!((error.status(), error.errorcode()), (Some(401), Some(354)));
}
