//! Runtime unit tests, on small hand-written models shaped exactly like
//! the generated ones (struct of `Option` fields plus `unknown_fields`,
//! `Model` with a sorted `FIELDS` table, `Serialize`/`Deserialize`
//! delegating to the codec, `Resource` constants).

use crate::runtime::answer::{Answer, FromNitro};
use crate::runtime::model::{self, AsField, FieldMut, FieldRef, Model, UnknownFields};
use crate::runtime::{Api, Error, Method, Number, OnError, Open, Outcome, Request, Resource, ResourceKind, WireEnum};
use serde_json::{json, Value};

/// Expands to what the backend generates for one resource: the struct, its
/// `Model` impl (field index -> field reference), and serde impls that
/// delegate to the shared codec.
macro_rules! model {
    ($name:ident { $($wire:literal => $field:ident : $ty:ty),* $(,)? }) => {
        #[derive(Clone, Default)]
        pub struct $name {
            $(pub $field: $ty,)*
            pub unknown_fields: UnknownFields,
        }
        impl Model for $name {
            const FIELDS: &'static [&'static str] = &[$($wire),*];
            #[allow(unused_assignments)]
            fn field(&self, index: usize) -> FieldRef<'_> {
                let mut position = 0usize;
                $(if index == position { return self.$field.as_field(); } position += 1;)*
                // `FIELDS.len()`: the unknown fields, as generated models
                // give them (`Model::unknown_fields` is provided).
                if index == position { return FieldRef::Unknown(&self.unknown_fields); }
                unreachable!()
            }
            #[allow(unused_assignments)]
            fn field_mut(&mut self, index: usize) -> FieldMut<'_> {
                let mut position = 0usize;
                $(if index == position { return self.$field.as_field_mut(); } position += 1;)*
                if index == position { return FieldMut::Unknown(&mut self.unknown_fields); }
                unreachable!()
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                model::serialize(self, serializer)
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                model::deserialize(deserializer)
            }
        }
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { model::debug_model(self, f) }
        }
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool { model::eq_models(self, other) }
        }
    };
}

macro_rules! resource {
    ($name:ident, $wire:literal, $kind:ident, [$($key:literal),*]) => {
        impl Resource for $name {
            const NAME: &'static str = $wire;
            const KIND: ResourceKind = ResourceKind::$kind;
            const API: Api = Api::AdcV1;
            const KEYS: &'static [&'static str] = &[$($key),*];
        }
    };
}

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
pub enum State {
    Up,
    Down,
    OutOfService,
}

impl WireEnum for State {
    const VALUES: &'static [(Self, &'static str)] =
        &[(Self::Up, "UP"), (Self::Down, "DOWN"), (Self::OutOfService, "OUT OF SERVICE")];
}

model!(Profile {
    "name" => name: Option<String>,
    "size" => size: Option<Number>,
});

model!(Vserver {
    "__count" => count: Option<Number>,
    "curstate" => curstate: Option<Open<State>>,
    "extra" => extra: Option<Value>,
    "health" => health: Option<Number>,
    "ipv46" => ipv46: Option<String>,
    "isgslb" => isgslb: Option<bool>,
    "name" => name: Option<String>,
    "port" => port: Option<i64>,
    "ports" => ports: Option<Vec<i64>>,
    "profile" => profile: Option<Box<Profile>>,
    "protocols" => protocols: Option<Vec<Open<ServiceType>>>,
    "servicetype" => servicetype: Option<Open<ServiceType>>,
    "tags" => tags: Option<Vec<String>>,
    "timeout" => timeout: Option<Number>,
    "weights" => weights: Option<Vec<Number>>,
});
resource!(Vserver, "lbvserver", Config, ["name"]);

model!(ServiceBinding {
    "curstate" => curstate: Option<Open<State>>,
    "name" => name: Option<String>,
    "servicegroupname" => servicegroupname: Option<String>,
    "servicename" => servicename: Option<String>,
    "weight" => weight: Option<Number>,
});
resource!(ServiceBinding, "lbvserver_service_binding", Binding, ["name"]);

model!(VserverBinding {
    "lbvserver_service_binding" => lbvserver_service_binding: Option<Vec<ServiceBinding>>,
    "name" => name: Option<String>,
});
resource!(VserverBinding, "lbvserver_binding", Binding, ["name"]);

model!(Interface {
    "id" => id: Option<String>,
    "rxbytes" => rxbytes: Option<Number>,
});
resource!(Interface, "Interface", Config, ["id"]);

model!(VserverStats {
    "name" => name: Option<String>,
    "state" => state: Option<Open<State>>,
    "totalrequests" => totalrequests: Option<Number>,
    "tothits" => tothits: Option<Number>,
});
resource!(VserverStats, "lbvserver", Stat, ["name"]);

model!(NsConfig {
    "ipaddress" => ipaddress: Option<String>,
    "timezone" => timezone: Option<String>,
});
resource!(NsConfig, "nsconfig", Config, []);

fn decode<M: Model + serde::de::DeserializeOwned>(value: Value) -> M {
    serde_json::from_value(value).expect("decodes")
}

fn encode<M: Model + serde::Serialize>(model: &M) -> Value {
    serde_json::to_value(model).expect("encodes")
}

#[test]
fn fields_tables_are_sorted() {
    assert!(model::fields_are_sorted(Vserver::FIELDS));
    assert!(model::fields_are_sorted(ServiceBinding::FIELDS));
    assert!(model::fields_are_sorted(VserverBinding::FIELDS));
    assert!(model::fields_are_sorted(VserverStats::FIELDS));
    assert!(!model::fields_are_sorted(&["name", "Interface"]));
}

#[test]
fn numbers_arrive_as_numbers_or_numeric_strings() {
    let vs: Vserver = decode(json!({"port": "80", "timeout": "180", "health": 100, "weights": ["1", 2.5]}));
    assert_eq!(vs.port, Some(80));
    assert_eq!(vs.timeout, Some(Number::Int(180)));
    assert_eq!(vs.health, Some(Number::Int(100)));
    assert_eq!(vs.weights, Some(vec![Number::Int(1), Number::Float(2.5)]));
    assert!(vs.unknown_fields.is_empty());
    assert_eq!(encode(&vs), json!({"health": 100, "port": 80, "timeout": 180, "weights": [1, 2.5]}));
}

#[test]
fn sixty_four_bit_counter_strings_stay_exact() {
    let body = br#"{"name":"vs1","totalrequests":"1256464744519","tothits":"18446744073709551615"}"#;
    let stats: VserverStats = serde_json::from_slice(body).unwrap();
    assert_eq!(stats.totalrequests, Some(Number::Int(1_256_464_744_519)));
    assert_eq!(stats.totalrequests.unwrap().as_u64(), Some(1_256_464_744_519));
    assert_eq!(stats.tothits, Some(Number::UInt(u64::MAX)));
    let text = serde_json::to_string(&stats).unwrap();
    assert_eq!(text, r#"{"name":"vs1","totalrequests":1256464744519,"tothits":18446744073709551615}"#);
}

#[test]
fn a_whole_float_written_as_an_integer_reads_back_equal() {
    // Found by the property test below: "0." decodes as a float, goes out
    // as `0` and comes back as an integer; the model must compare equal.
    let vs: Vserver = decode(json!({"timeout": "0."}));
    let again: Vserver = decode(encode(&vs));
    assert_eq!(encode(&vs), json!({"timeout": 0}));
    assert_eq!(again, vs);
    assert_eq!(Number::Int(20), Number::Float(20.0));
    assert_ne!(Number::Int(20), Number::Float(20.5));
    assert_eq!(Number::UInt(u64::MAX), Number::UInt(u64::MAX));
    assert_ne!(Number::Int(-1), Number::UInt(u64::MAX));
    assert!(Number::Int(2) < Number::Float(2.5) && Number::Float(2.5) < Number::UInt(u64::MAX));
    assert_ne!(Number::Float(f64::NAN), Number::Float(f64::NAN));
}

#[test]
fn booleans_arrive_as_bools_or_strings() {
    let vs: Vserver = decode(json!({"isgslb": "true"}));
    assert_eq!(vs.isgslb, Some(true));
    let vs: Vserver = decode(json!({"isgslb": false}));
    assert_eq!(vs.isgslb, Some(false));
    // "YES" is no boolean: kept as received.
    let vs: Vserver = decode(json!({"isgslb": "YES"}));
    assert_eq!(vs.isgslb, None);
    assert_eq!(vs.unknown_fields["isgslb"], json!("YES"));
    assert_eq!(encode(&vs), json!({"isgslb": "YES"}));
}

#[test]
fn undocumented_keys_are_kept_and_given_back() {
    let input = json!({"name": "vs1", "_nextgenapiresource": "_lbvserver", "newattr": {"a": [1, 2]}});
    let vs: Vserver = decode(input.clone());
    assert_eq!(vs.name.as_deref(), Some("vs1"));
    assert_eq!(vs.unknown_fields.len(), 2);
    assert_eq!(vs.unknown_fields["_nextgenapiresource"], json!("_lbvserver"));
    assert_eq!(encode(&vs), input);
    // Documented fields first (FIELDS order), unknown fields after.
    let text = serde_json::to_string(&vs).unwrap();
    assert_eq!(text, r#"{"name":"vs1","_nextgenapiresource":"_lbvserver","newattr":{"a":[1,2]}}"#);
}

#[test]
fn unknown_enum_values_are_kept() {
    let vs: Vserver = decode(json!({"servicetype": "QUIC_NEXT", "curstate": "OUT OF SERVICE", "protocols": ["SSL", "NEW"]}));
    assert_eq!(vs.servicetype, Some(Open::Unknown("QUIC_NEXT".into())));
    assert_eq!(vs.curstate, Some(Open::Known(State::OutOfService)));
    assert_eq!(vs.protocols, Some(vec![Open::Known(ServiceType::Ssl), Open::Unknown("NEW".into())]));
    assert!(vs.unknown_fields.is_empty());
    assert_eq!(
        encode(&vs),
        json!({"curstate": "OUT OF SERVICE", "protocols": ["SSL", "NEW"], "servicetype": "QUIC_NEXT"})
    );
}

#[test]
fn values_that_do_not_fit_are_kept_losslessly() {
    let input = json!({
        "name": 42,
        "port": "eighty",
        "timeout": 1.5e300,
        "health": "n/a",
        "tags": ["a", 7, null],
        "ports": [1, "x"],
        "servicetype": ["HTTP"],
        "profile": "default",
        "curstate": {"up": true},
    });
    let vs: Vserver = decode(input.clone());
    assert_eq!(vs.name, None);
    assert_eq!(vs.port, None);
    assert_eq!(vs.timeout, Some(Number::Float(1.5e300)));
    assert_eq!(vs.tags, None);
    assert_eq!(vs.ports, None);
    assert_eq!(vs.profile, None);
    assert_eq!(vs.servicetype, None);
    for key in ["name", "port", "health", "tags", "ports", "servicetype", "profile", "curstate"] {
        assert_eq!(vs.unknown_fields[key], input[key], "{key}");
    }
    assert_eq!(encode(&vs), input);
}

#[test]
fn an_integer_field_keeps_a_fraction_verbatim() {
    let vs: Vserver = decode(json!({"port": 80.5}));
    assert_eq!(vs.port, None);
    assert_eq!(vs.unknown_fields["port"], json!(80.5));
}

#[test]
fn null_leaves_fields_unset() {
    let vs: Vserver = decode(json!({"name": null, "port": null, "tags": null, "profile": null, "servicetype": null, "extra": null}));
    assert_eq!(vs, Vserver::default());
    assert_eq!(encode(&vs), json!({}));
}

#[test]
fn list_fields_accept_a_single_value() {
    let vs: Vserver = decode(json!({"tags": "solo", "ports": "8080", "protocols": "TCP", "weights": 3}));
    assert_eq!(vs.tags, Some(vec!["solo".to_string()]));
    assert_eq!(vs.ports, Some(vec![8080]));
    assert_eq!(vs.protocols, Some(vec![Open::Known(ServiceType::Tcp)]));
    assert_eq!(vs.weights, Some(vec![Number::Int(3)]));
}

#[test]
fn nested_objects_decode_recursively() {
    let vs: Vserver = decode(json!({"profile": {"name": "p1", "size": "12", "more": 1}, "extra": {"any": ["json"]}}));
    let profile = vs.profile.as_deref().unwrap();
    assert_eq!(profile.name.as_deref(), Some("p1"));
    assert_eq!(profile.size, Some(Number::Int(12)));
    assert_eq!(profile.unknown_fields["more"], json!(1));
    assert_eq!(vs.extra, Some(json!({"any": ["json"]})));
    assert_eq!(encode(&vs), json!({"extra": {"any": ["json"]}, "profile": {"name": "p1", "size": 12, "more": 1}}));
}

#[test]
fn nested_binding_lists_decode_as_lists_or_single_objects() {
    let aggregate: VserverBinding = decode(json!({
        "name": "vs1",
        "lbvserver_service_binding": [
            {"name": "vs1", "servicename": "svc1", "weight": "1", "curstate": "UP"},
            {"name": "vs1", "servicename": "svc2", "weight": 2, "curstate": "GOING DOWN", "x": true},
        ],
    }));
    let bindings = aggregate.lbvserver_service_binding.as_ref().unwrap();
    assert_eq!(bindings.len(), 2);
    assert_eq!(bindings[0].weight, Some(Number::Int(1)));
    assert_eq!(bindings[1].curstate, Some(Open::Unknown("GOING DOWN".into())));
    assert_eq!(bindings[1].unknown_fields["x"], json!(true));

    let single: VserverBinding = decode(json!({"lbvserver_service_binding": {"servicename": "svc1"}}));
    assert_eq!(single.lbvserver_service_binding.unwrap()[0].servicename.as_deref(), Some("svc1"));

    // A list holding a non-object is kept whole.
    let input = json!({"lbvserver_service_binding": [{"servicename": "svc1"}, "odd"]});
    let odd: VserverBinding = decode(input.clone());
    assert_eq!(odd.lbvserver_service_binding, None);
    assert_eq!(encode(&odd), input);
}

#[test]
fn objects_of_one_list_may_order_their_keys_differently() {
    // The decoder guesses each key from the previous object's key order;
    // a wrong guess must fall back to the lookup.
    // (Through the answer envelope: the path that keeps key orders.)
    let body = json!({"errorcode": 0, "lbvserver": [
        {"name": "a", "port": 1, "odd": 1, "timeout": 5},
        {"port": 2, "name": "b", "timeout": 6, "odd": 2},
        {"timeout": 7, "extra": true, "name": "c"},
        {"name": "d", "port": "4", "odd": 3, "timeout": 8},
    ]});
    let list: Vec<Vserver> = FromNitro::from_nitro(&answer(200, body, "lbvserver")).unwrap();
    let names: Vec<_> = list.iter().map(|vs| vs.name.clone().unwrap()).collect();
    assert_eq!(names, ["a", "b", "c", "d"]);
    assert_eq!(list.iter().map(|vs| vs.port).collect::<Vec<_>>(), [Some(1), Some(2), None, Some(4)]);
    assert_eq!(list[2].extra, Some(json!(true)));
    assert_eq!(list[1].unknown_fields["odd"], json!(2));
    assert_eq!(list[3].timeout, Some(Number::Int(8)));
}

#[test]
fn a_documented_field_set_after_decoding_wins_over_the_kept_raw_value() {
    let mut vs: Vserver = decode(json!({"port": "eighty"}));
    vs.port = Some(80);
    assert_eq!(serde_json::to_string(&vs).unwrap(), r#"{"port":80}"#);
}

#[test]
fn debug_prints_the_fields_that_are_set_by_wire_name() {
    let mut vserver: Vserver = decode(json!({
        "name": "vs1",
        "port": "80",
        "servicetype": "HTTP",
        "curstate": "DRAINING",
        "protocols": ["SSL"],
        "weights": [1, 2.5],
        "profile": {"name": "p1"},
        "isgslb": false,
        "tags": ["a", "b\"c"],
        "future": {"x": 1},
    }));
    let printed = format!("{vserver:?}");
    assert_eq!(
        printed,
        r#"Vserver { curstate: "DRAINING", isgslb: false, name: "vs1", port: 80, profile: Profile { name: "p1", .. }, protocols: ["SSL"], servicetype: "HTTP", tags: ["a", "b\"c"], weights: [1, 2.5], unknown_fields: {"future": Object {"x": Number(1)}}, .. }"#
    );
    // Pretty printing goes through the same builder.
    assert!(format!("{vserver:#?}").contains("\n    name: \"vs1\",\n"));

    // Every field set: no `..`; nested lists print their objects.
    let profile = Profile { name: Some("p".into()), size: Some(Number::Int(3)), ..Default::default() };
    assert_eq!(format!("{profile:?}"), r#"Profile { name: "p", size: 3 }"#);
    let binding: VserverBinding = decode(json!({"name": "vs1", "lbvserver_service_binding": [{"servicename": "s1", "weight": "2"}]}));
    assert_eq!(
        format!("{binding:?}"),
        r#"VserverBinding { lbvserver_service_binding: [ServiceBinding { servicename: "s1", weight: 2, .. }], name: "vs1" }"#
    );
    vserver = Vserver::default();
    assert_eq!(format!("{vserver:?}"), "Vserver { .. }");
}

#[test]
fn equality_compares_every_field_and_the_unknown_fields() {
    let input = json!({
        "name": "vs1", "port": 80, "servicetype": "HTTP", "protocols": ["SSL", "TCP"], "ports": [1, 2],
        "profile": {"name": "p1", "size": 2}, "extra": [1], "isgslb": true, "tags": ["t"], "timeout": 2.5,
        "weights": [1], "curstate": "UP", "__count": 3, "health": "100", "future": 1,
    });
    let a: Vserver = decode(input.clone());
    let b: Vserver = decode(input);
    assert_eq!(a, b);
    assert_eq!(a, a.clone());

    // Changing any one documented field, or an unknown one, breaks equality.
    let changes: Vec<fn(&mut Vserver)> = vec![
        |v| v.name = Some("vs2".into()),
        |v| v.port = None,
        |v| v.servicetype = Some(Open::Known(ServiceType::Tcp)),
        |v| v.protocols = Some(vec![Open::Known(ServiceType::Ssl)]),
        |v| v.ports = Some(vec![1]),
        |v| v.profile.as_mut().unwrap().size = Some(Number::Int(3)),
        |v| v.profile = None,
        |v| v.extra = Some(json!([2])),
        |v| v.isgslb = Some(false),
        |v| v.tags = None,
        |v| v.timeout = Some(Number::Float(2.0)),
        |v| v.weights = Some(vec![Number::Int(2)]),
        |v| v.curstate = Some(Open::Unknown("SOON".into())),
        |v| v.count = None,
        |v| v.health = Some(Number::Int(99)),
        |v| {
            v.unknown_fields.insert("future".into(), json!(2));
        },
        |v| v.unknown_fields.clear(),
    ];
    for (index, change) in changes.iter().enumerate() {
        let mut changed = a.clone();
        change(&mut changed);
        assert_ne!(a, changed, "change {index}");
        assert_ne!(changed, a, "change {index}");
    }

    // Nested lists: length and each object count.
    let one: VserverBinding = decode(json!({"lbvserver_service_binding": [{"servicename": "s1"}]}));
    let two: VserverBinding = decode(json!({"lbvserver_service_binding": [{"servicename": "s1"}, {"servicename": "s2"}]}));
    let other: VserverBinding = decode(json!({"lbvserver_service_binding": [{"servicename": "s2"}]}));
    let empty: VserverBinding = decode(json!({"lbvserver_service_binding": []}));
    assert_eq!(one, one.clone());
    assert_ne!(one, two);
    assert_ne!(one, other);
    assert_ne!(empty, VserverBinding::default(), "an empty list is not an absent one");
    // An enum value is compared by its wire spelling.
    let known = Vserver { servicetype: Some(Open::Known(ServiceType::Http)), ..Default::default() };
    let spelled = Vserver { servicetype: Some(Open::Unknown("HTTP".into())), ..Default::default() };
    assert_eq!(known, spelled);
}

#[test]
fn an_unknown_key_after_documented_ones_is_encoded_once() {
    // Raw values kept for documented keys sit among the unknown keys in
    // byte order; the encoder skips each one whose field is set.
    let mut vserver: Vserver = decode(json!({"aaa": 1, "port": "x", "name": "n", "servicetype": "HTTP", "zzz": 2, "health": "h"}));
    assert_eq!(vserver.unknown_fields.keys().collect::<Vec<_>>(), ["aaa", "health", "port", "zzz"]);
    assert_eq!(encode(&vserver), json!({"aaa": 1, "port": "x", "name": "n", "servicetype": "HTTP", "zzz": 2, "health": "h"}));
    vserver.port = Some(8080);
    let bytes = serde_json::to_string(&vserver).unwrap();
    assert_eq!(bytes.matches("\"port\"").count(), 1, "{bytes}");
    assert_eq!(encode(&vserver)["port"], json!(8080));
    assert_eq!(encode(&vserver)["health"], json!("h"));

    // Past the 64 unknown keys the encoder tracks while merging, each key
    // is looked up instead; same outcome.
    let mut input = serde_json::Map::new();
    for index in 0..70 {
        input.insert(format!("k{index:02}"), json!(index));
    }
    input.insert("port".into(), json!("x"));
    input.insert("timeout".into(), json!("t"));
    let mut vserver: Vserver = decode(Value::Object(input.clone()));
    assert_eq!(vserver.unknown_fields.len(), 72);
    assert_eq!(encode(&vserver), Value::Object(input));
    vserver.port = Some(1);
    let bytes = serde_json::to_string(&vserver).unwrap();
    assert_eq!(bytes.matches("\"port\"").count(), 1, "{bytes}");
    assert_eq!(encode(&vserver)["port"], json!(1));
    assert_eq!(encode(&vserver)["timeout"], json!("t"));
}

fn answer(status: u16, body: Value, resource: &'static str) -> Answer {
    Answer::new(status, serde_json::to_vec(&body).unwrap(), resource)
}

#[test]
fn get_answers_decode_arrays_single_objects_and_other_cases() {
    let list: Vec<Vserver> = FromNitro::from_nitro(&answer(
        200,
        json!({"errorcode": 0, "message": "Done", "severity": "NONE", "lbvserver": [{"name": "a"}, {"name": "b"}]}),
        "lbvserver",
    ))
    .unwrap();
    assert_eq!(list.iter().map(|vs| vs.name.clone().unwrap()).collect::<Vec<_>>(), ["a", "b"]);

    let single: Vec<Vserver> =
        FromNitro::from_nitro(&answer(200, json!({"errorcode": 0, "lbvserver": {"name": "only"}}), "lbvserver")).unwrap();
    assert_eq!(single.len(), 1);

    let interfaces: Vec<Interface> = FromNitro::from_nitro(&answer(
        200,
        json!({"errorcode": 0, "message": "Done", "interface": [{"id": "0/1", "rxbytes": "123456789012"}]}),
        "Interface",
    ))
    .unwrap();
    assert_eq!(interfaces[0].id.as_deref(), Some("0/1"));
    assert_eq!(interfaces[0].rxbytes, Some(Number::Int(123_456_789_012)));

    let empty: Vec<ServiceBinding> = FromNitro::from_nitro(&answer(
        200,
        json!({"errorcode": 0, "message": "Done", "severity": "NONE"}),
        "lbvserver_service_binding",
    ))
    .unwrap();
    assert!(empty.is_empty());

    let empty_body: Vec<Vserver> = FromNitro::from_nitro(&Answer::new(200, Vec::new(), "lbvserver")).unwrap();
    assert!(empty_body.is_empty());
}

#[test]
fn answers_that_are_not_nitro_are_decode_errors() {
    let garbage = Answer::new(200, b"<html>oops</html>".to_vec(), "lbvserver");
    let error = <Vec<Vserver>>::from_nitro(&garbage).unwrap_err();
    assert!(matches!(error, Error::Decode { status: 200, .. }), "{error:?}");
    let scalar = answer(200, json!({"lbvserver": "x"}), "lbvserver");
    let error = <Vec<Vserver>>::from_nitro(&scalar).unwrap_err();
    assert!(error.to_string().contains("not an object"), "{error}");
}

#[test]
fn an_error_envelope_with_status_200_is_an_api_error() {
    let body = json!({"errorcode": 258, "message": "No such resource", "severity": "ERROR"});
    let error = <Vec<Vserver>>::from_nitro(&answer(200, body, "lbvserver")).unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.errorcode(), Some(258));
}

#[test]
fn a_2xx_errorcode_without_severity_is_an_error_unless_it_says_warning() {
    // Old firmware leaves `severity` out.
    let body = json!({"errorcode": 278, "message": "Invalid argument [port]"});
    let error = Outcome::from_nitro(&answer(200, body.clone(), "lbvserver")).unwrap_err();
    assert!(matches!(&error, Error::Api { status: 200, errorcode: 278, .. }), "{error:?}");
    let error = <Vec<Vserver>>::from_nitro(&answer(200, body, "lbvserver")).unwrap_err();
    assert_eq!(error.errorcode(), Some(278));
    // A `NONE` severity with a code is no better.
    let error = Outcome::from_nitro(&answer(201, json!({"errorcode": 1, "message": "x", "severity": "NONE"}), "lbvserver"));
    assert!(error.is_err(), "{error:?}");
    // The body says warning: by its severity, status 209 or its message.
    for (status, body) in [
        (200, json!({"errorcode": 1067, "message": "feature not licensed", "severity": "WARNING"})),
        (209, json!({"errorcode": 1067, "message": "feature not licensed"})),
        (200, json!({"errorcode": 1067, "message": "Warning: feature not licensed"})),
    ] {
        let outcome = Outcome::from_nitro(&answer(status, body.clone(), "lbvserver")).unwrap();
        assert!(outcome.is_warning(), "{body}: {outcome:?}");
        assert_eq!(outcome.errorcode, 1067);
    }
    // Severity ERROR is an error even with status 209.
    let body = json!({"errorcode": 1067, "message": "x", "severity": "ERROR"});
    assert!(Outcome::from_nitro(&answer(209, body, "lbvserver")).is_err());
}

#[test]
fn the_warning_header_makes_the_outcome_a_warning() {
    let done = serde_json::to_vec(&json!({"errorcode": 0, "message": "Done", "severity": "NONE"})).unwrap();
    let with_header = Answer::new(200, done.clone(), "lbvserver").with_warning(Some("no certificate bound".into()));
    let outcome = Outcome::from_nitro(&with_header).unwrap();
    assert!(outcome.is_warning(), "{outcome:?}");
    assert_eq!(outcome.severity, "WARNING");
    assert_eq!(outcome.message, "no certificate bound");
    // An empty body with the header, as the appliance sends it with 209.
    let outcome = Outcome::from_nitro(&Answer::new(209, Vec::new(), "lbvserver").with_warning(Some("w".into()))).unwrap();
    assert!(outcome.is_warning() && outcome.message == "w", "{outcome:?}");
    // A code without severity but with the header is a warning, not an error.
    let body = serde_json::to_vec(&json!({"errorcode": 1067, "message": "x"})).unwrap();
    let outcome = Outcome::from_nitro(&Answer::new(200, body, "lbvserver").with_warning(Some("w".into()))).unwrap();
    assert!(outcome.is_warning());
    let plain = Outcome::from_nitro(&Answer::new(200, done, "lbvserver")).unwrap();
    assert!(!plain.is_warning());
}

#[test]
fn a_list_of_empty_objects_cannot_allocate_far_more_than_its_bytes() {
    let item_size = std::mem::size_of::<Vserver>();
    assert!(item_size > 16 * 3, "the test needs a model larger than 16x its `{{}},` input: {item_size}");
    let items = 100_000;
    let mut body = br#"{"errorcode":0,"lbvserver":["#.to_vec();
    for index in 0..items {
        body.extend_from_slice(if index == 0 { b"{}" } else { b",{}" });
    }
    body.extend_from_slice(b"]}");
    let error = <Vec<Vserver>>::from_nitro(&Answer::new(200, body.clone(), "lbvserver").with_max_decoded_bytes(0)).unwrap_err();
    match &error {
        Error::DecodeTooLarge { resource, limit, body_bytes } => {
            assert_eq!(resource, "lbvserver");
            assert_eq!(*body_bytes, body.len() as u64);
            assert_eq!(*limit, 16 * body.len() as u64);
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("max_decoded_bytes"), "{error}");
    // Nested lists count against the same budget.
    let mut nested = br#"{"errorcode":0,"lbvserver_binding":[{"name":"v","lbvserver_service_binding":["#.to_vec();
    for index in 0..items {
        nested.extend_from_slice(if index == 0 { b"{}" } else { b",{}" });
    }
    nested.extend_from_slice(b"]}]}");
    let error = <Vec<VserverBinding>>::from_nitro(&Answer::new(200, nested, "lbvserver_binding").with_max_decoded_bytes(0));
    if std::mem::size_of::<ServiceBinding>() > 48 {
        assert!(matches!(error, Err(Error::DecodeTooLarge { .. })), "{error:?}");
    }
    // The limit can be raised.
    let limit = (items * item_size) as u64;
    let list = <Vec<Vserver>>::from_nitro(&Answer::new(200, body.clone(), "lbvserver").with_max_decoded_bytes(limit)).unwrap();
    assert_eq!(list.len(), items);
    // The default allows ordinary answers, and the budget is per answer.
    let list = <Vec<Vserver>>::from_nitro(&answer(200, json!({"lbvserver": [{"name": "a"}, {}]}), "lbvserver")).unwrap();
    assert_eq!(list.len(), 2);
}

#[test]
fn counts_decode_from_strings_numbers_and_empty_answers() {
    let count = |body: Value| <u64>::from_nitro(&answer(200, body, "lbvserver")).unwrap();
    assert_eq!(count(json!({"errorcode": 0, "lbvserver": [{"__count": "3"}]})), 3);
    assert_eq!(count(json!({"errorcode": 0, "lbvserver": [{"__count": 12}]})), 12);
    assert_eq!(count(json!({"errorcode": 0, "lbvserver": {"__count": "7"}})), 7);
    assert_eq!(count(json!({"errorcode": 0, "message": "Done"})), 0);
}

#[test]
fn outcomes_carry_bulk_items_and_warnings() {
    let bulk = Outcome::from_nitro(&answer(
        207,
        json!({"errorcode": 1067, "message": "partial", "severity": "ERROR", "response": [
            {"errorcode": 0, "message": "Done", "severity": "NONE"},
            {"errorcode": 273, "message": "Resource already exists", "severity": "ERROR"},
        ]}),
        "lbvserver",
    ))
    .unwrap();
    assert_eq!(bulk.status, 207);
    assert_eq!(bulk.items.len(), 2);
    assert!(bulk.has_failures());
    assert_eq!(bulk.failures().map(|(index, _)| index).collect::<Vec<_>>(), [1]);

    let warned = Outcome::from_nitro(&answer(209, json!({"errorcode": 1100, "message": "careful", "severity": "WARNING"}), "lbvserver"))
        .unwrap();
    assert!(warned.is_warning());
    let no_severity = Outcome::from_nitro(&answer(201, json!({"errorcode": 0, "message": "Done"}), "lbvserver")).unwrap();
    assert_eq!(no_severity.severity, "");
    assert!(!no_severity.is_warning());
}

#[test]
fn error_bodies_become_api_errors_with_or_without_severity() {
    let error = crate::runtime::answer::api_error(404, br#"{"errorcode":258,"message":"No such resource"}"#);
    match &error {
        Error::Api { status, errorcode, severity, .. } => {
            assert_eq!((*status, *errorcode, severity.as_str()), (404, 258, ""));
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_not_found() && !error.is_already_exists());
    let exists = crate::runtime::answer::api_error(409, br#"{"errorcode":"273","message":"exists","severity":"ERROR"}"#);
    assert!(exists.is_already_exists() && exists.errorcode() == Some(273));
    let expired = crate::runtime::answer::api_error(401, br#"{"errorcode":444,"message":"Session expired"}"#);
    assert!(expired.is_session_expired());
    let not_json = crate::runtime::answer::api_error(502, b"bad gateway");
    assert_eq!(not_json.status(), Some(502));
    assert_eq!(not_json.message(), Some("bad gateway"));
    assert!(!not_json.is_not_found());
}

#[test]
fn requests_build_nitro_paths_and_payloads() {
    let vs = Vserver { name: Some("vs1".into()), port: Some(80), ..Vserver::default() };
    let add = Request::add(&vs, Method::Post);
    assert_eq!(add.method(), Method::Post);
    assert_eq!(add.path(), "/nitro/v1/config/lbvserver");
    assert_eq!(add.body(), Some(json!({"lbvserver": {"name": "vs1", "port": 80}})));
    assert_eq!(add.problem(), None);

    let update = Request::update(&vs);
    assert_eq!((update.method(), update.path()), (Method::Put, "/nitro/v1/config/lbvserver"));

    let get = Request::<Vec<Vserver>>::get("vs1");
    assert_eq!((get.method(), get.path_and_query()), (Method::Get, "/nitro/v1/config/lbvserver/vs1".to_string()));
    let all = Request::<Vec<VserverStats>>::get_all();
    assert_eq!(all.path(), "/nitro/v1/stat/lbvserver");
    let count = Request::count::<Vserver>();
    assert_eq!(count.path_and_query(), "/nitro/v1/config/lbvserver?count=yes");
    let per_parent = Request::count_by_key::<ServiceBinding>("vs 1");
    // Path keys are encoded twice: the appliance decodes them twice.
    assert_eq!(per_parent.path_and_query(), "/nitro/v1/config/lbvserver_service_binding/vs%25201?count=yes");
    assert!(Request::count_by_key::<ServiceBinding>("").problem().is_some());

    let enable = Request::action(&vs, "enable");
    assert_eq!(enable.path_and_query(), "/nitro/v1/config/lbvserver?action=enable");
    assert_eq!(enable.body(), Some(json!({"lbvserver": {"name": "vs1", "port": 80}})));

    let unset = Request::unset(&vs, &["timeout", "comment"]);
    assert_eq!(unset.path_and_query(), "/nitro/v1/config/lbvserver?action=unset");
    assert_eq!(unset.body(), Some(json!({"lbvserver": {"name": "vs1", "timeout": true, "comment": true}})));

    let delete = Request::delete_by_key::<Vserver>(Some("vs1"));
    assert_eq!((delete.method(), delete.path()), (Method::Delete, "/nitro/v1/config/lbvserver/vs1"));
    let singleton = Request::delete_by_key::<NsConfig>(None);
    assert_eq!((singleton.path(), singleton.problem()), ("/nitro/v1/config/nsconfig", None));

    let bulk = Request::add_bulk(&[vs.clone(), vs.clone()], Method::Post).on_error(OnError::Continue);
    // The bulk error mode is the `X-NITRO-ONERROR` header, not a query option.
    assert_eq!(bulk.path_and_query(), "/nitro/v1/config/lbvserver");
    assert_eq!(bulk.headers(), [("X-NITRO-ONERROR".to_string(), "continue".to_string())]);
    let bulk = bulk.on_error(OnError::Rollback);
    assert_eq!(bulk.headers(), [("X-NITRO-ONERROR".to_string(), "rollback".to_string())]);
    assert_eq!(bulk.body().unwrap()["lbvserver"].as_array().unwrap().len(), 2);
    // Bodies are the models' own encoding, byte for byte, unknown fields
    // and unknown enum values included.
    let mut odd = vs.clone();
    odd.servicetype = Some(Open::Unknown("QUIC_NEXT".into()));
    odd.unknown_fields.insert("newfield".into(), json!({"n": [1, "2"]}));
    let one = serde_json::to_string(&odd).unwrap();
    let bulk = Request::add_bulk(&[odd.clone(), vs.clone()], Method::Post);
    let two = format!("{{\"lbvserver\":[{one},{}]}}", serde_json::to_string(&vs).unwrap());
    assert_eq!(std::str::from_utf8(bulk.body_bytes().unwrap()).unwrap(), two);
    let add = Request::add(&odd, Method::Post);
    assert_eq!(std::str::from_utf8(add.body_bytes().unwrap()).unwrap(), format!("{{\"lbvserver\":{one}}}"));
}

model!(ManagedDevice {
    "ip_address" => ip_address: Option<String>,
});

impl Resource for ManagedDevice {
    const NAME: &'static str = "managed_device";
    const KIND: ResourceKind = ResourceKind::Config;
    const API: Api = Api::AdmV2;
    const KEYS: &'static [&'static str] = &["ip_address"];
}

#[test]
fn bulk_delete_is_rm_unbind_or_adm_delete() {
    let vs = Vserver { name: Some("vs1".into()), ..Vserver::default() };
    let rm = Request::delete_bulk(std::slice::from_ref(&vs));
    assert_eq!((rm.method(), rm.path_and_query()), (Method::Post, "/nitro/v1/config/lbvserver?action=rm".to_string()));
    assert_eq!(rm.body(), Some(json!({"lbvserver": [{"name": "vs1"}]})));
    let binding = ServiceBinding { name: Some("vs1".into()), servicename: Some("svc1".into()), ..Default::default() };
    let unbind = Request::delete_bulk(&[binding]);
    assert_eq!(unbind.path_and_query(), "/nitro/v1/config/lbvserver_service_binding?action=unbind");
    let device = ManagedDevice { ip_address: Some("10.0.0.9".into()), ..Default::default() };
    let adm = Request::delete_bulk(&[device]);
    assert_eq!(adm.path_and_query(), "/nitro/v2/config/managed_device?action=delete");
    assert_eq!(adm.problem(), None);
    let keyless = Request::delete_bulk(&[vs, Vserver::default()]);
    assert_eq!(keyless.problem(), Some("bulk delete of lbvserver: item 1 has no name"));
}

#[test]
fn binding_delete_takes_args_from_the_fields_that_are_set() {
    let binding = ServiceBinding { name: Some("vs 1".into()), servicename: Some("svc:1,a".into()), ..Default::default() };
    let delete = Request::delete(&binding, &["servicename", "servicegroupname"]);
    assert_eq!(delete.path_and_query(), "/nitro/v1/config/lbvserver_service_binding/vs%25201?args=servicename:svc%3A1%2Ca");
    let add = Request::add(&binding, Method::Put);
    assert_eq!((add.method(), add.path()), (Method::Put, "/nitro/v1/config/lbvserver_service_binding"));
}

#[test]
fn special_characters_are_percent_encoded() {
    let name = "a b/c#d?e%f:g@h=i,j+k&l";
    let get = Request::<Vec<Vserver>>::get(name);
    // Twice in the path (every byte but `A-Za-z0-9-_.~`), once in the query.
    assert_eq!(get.path(), "/nitro/v1/config/lbvserver/a%2520b%252Fc%2523d%253Fe%2525f%253Ag%2540h%253Di%252Cj%252Bk%2526l");
    let filtered = Request::<Vec<Vserver>>::get_all().filter("name", name).filter("port", "80");
    assert_eq!(
        filtered.query_string(),
        "filter=name:a%20b%2Fc%23d%3Fe%25f%3Ag%40h%3Di%2Cj%2Bk%26l,port:80"
    );
    assert_eq!(Request::<Vec<Vserver>>::get("vs.example-1_~").path(), "/nitro/v1/config/lbvserver/vs.example-1_~");
    assert_eq!(Request::<Vec<Vserver>>::get("é").path(), "/nitro/v1/config/lbvserver/%25C3%25A9");
}

#[test]
fn dot_segment_keys_are_refused_in_every_spelling() {
    for key in [".", "..", "%2e", "%2E%2e", ".%2E", "%252e%252E", "%2e."] {
        let get = Request::<Vec<Vserver>>::get(key);
        assert!(get.problem().is_some_and(|p| p.contains("`.` or `..`")), "{key}: {:?}", get.problem());
        let delete = Request::delete_by_key::<Vserver>(Some(key));
        assert!(delete.problem().is_some(), "{key}");
        let by_model = Request::delete(&Vserver { name: Some(key.into()), ..Vserver::default() }, &[]);
        assert!(by_model.problem().is_some(), "{key}");
        let count = Request::count_by_key::<ServiceBinding>(key);
        assert!(count.problem().is_some(), "{key}");
    }
    // Dots inside a name are fine.
    for key in ["...", ".a", "a..", "%2e%2e%2e", ".%2"] {
        assert_eq!(Request::<Vec<Vserver>>::get(key).problem(), None, "{key}");
    }
}

#[test]
fn whole_numbers_are_written_as_integers() {
    assert_eq!(serde_json::to_string(&Number::from(20.0)).unwrap(), "20");
    assert_eq!(serde_json::to_string(&Number::from(-3.0)).unwrap(), "-3");
    assert_eq!(serde_json::to_string(&Number::from(0.5)).unwrap(), "0.5");
    assert_eq!(serde_json::to_string(&Number::from(1e300)).unwrap(), "1e+300");
    let vs = Vserver { name: Some("vs1".into()), health: Some(Number::from(20.0)), ..Vserver::default() };
    let add = Request::add(&vs, Method::Post);
    assert_eq!(std::str::from_utf8(add.body_bytes().unwrap()).unwrap(), r#"{"lbvserver":{"health":20,"name":"vs1"}}"#);
}

#[test]
fn only_constructors_send_the_listed_fields_and_no_unknown_ones() {
    // As read back by GET: a read-only state, a create-only type, a key
    // no reference documents.
    let mut vs = Vserver {
        name: Some("vs1".into()),
        curstate: Some(Open::Unknown("UP".into())),
        servicetype: Some(ServiceType::Http.into()),
        ipv46: Some("10.0.0.1".into()),
        ..Vserver::default()
    };
    vs.unknown_fields.insert("_nextgenapiresource".into(), json!("_lbvserver"));
    let fields = Vserver::FIELDS;
    let position = |name: &str| fields.iter().position(|f| *f == name).unwrap() as u16;
    // `update` takes `name` and `ipv46` (and `port`, unset here).
    let only: &'static [u16] = Box::leak(vec![position("ipv46"), position("name"), position("port")].into_boxed_slice());
    let update = Request::update_only(&vs, only);
    assert_eq!(update.body(), Some(json!({"lbvserver": {"ipv46": "10.0.0.1", "name": "vs1"}})));
    let bulk = Request::update_bulk_only(&[vs.clone(), vs.clone()], only);
    assert_eq!(bulk.body().unwrap()["lbvserver"][1], json!({"ipv46": "10.0.0.1", "name": "vs1"}));
    let action = Request::action_only(&vs, "enable", &[6]);
    assert_eq!(action.body(), Some(json!({"lbvserver": {"name": "vs1"}})));
    // An index past the table is ignored, not a panic.
    assert_eq!(Request::add_only(&vs, Method::Post, &[999]).body(), Some(json!({"lbvserver": {}})));
    // The raw form sends everything it holds.
    assert!(Request::update(&vs).body().unwrap()["lbvserver"].get("_nextgenapiresource").is_some());
}

#[test]
fn alternative_delete_args_send_only_the_first_that_is_set() {
    let both = Member { servicegroupname: Some("sg".into()), ip: Some("10.0.0.11".into()), servername: Some("10.0.0.11".into()), port: Some(80), ..Member::default() };
    let delete = Request::delete(&both, &["servername|ip", "port"]);
    assert_eq!(delete.query_string(), "args=servername:10.0.0.11,port:80");
    let by_ip = Member { servername: None, ..both.clone() };
    assert_eq!(Request::delete(&by_ip, &["servername|ip", "port"]).query_string(), "args=ip:10.0.0.11,port:80");
    let bulk = Request::delete_bulk_args(&[both, by_ip], &["servername|ip", "port"]);
    assert_eq!(bulk.path_and_query(), "/nitro/v1/config/servicegroup_servicegroupmember_binding?action=unbind");
    assert_eq!(
        bulk.body(),
        Some(json!({"servicegroup_servicegroupmember_binding": [
            {"servicegroupname": "sg", "servername": "10.0.0.11", "port": 80},
            {"servicegroupname": "sg", "ip": "10.0.0.11", "port": 80},
        ]}))
    );
}

model!(Member {
    "ip" => ip: Option<String>,
    "port" => port: Option<i64>,
    "servername" => servername: Option<String>,
    "servicegroupname" => servicegroupname: Option<String>,
    "weight" => weight: Option<Number>,
});

impl Resource for Member {
    const NAME: &'static str = "servicegroup_servicegroupmember_binding";
    const KIND: ResourceKind = ResourceKind::Binding;
    const API: Api = Api::AdcV1;
    const KEYS: &'static [&'static str] = &["servicegroupname"];
}

#[test]
fn request_options_compose() {
    let request = Request::<Vec<Vserver>>::get_all()
        .attrs(&["name", "curstate"])
        .arg("detail", "yes")
        .summary()
        .page(25, 2)
        .warning();
    assert_eq!(
        request.query_string(),
        "view=summary&pagesize=25&pageno=2&warning=yes&args=detail:yes&attrs=name,curstate"
    );
}

#[test]
fn missing_keys_are_problems_not_panics() {
    let unnamed = Vserver::default();
    assert!(Request::delete(&unnamed, &[]).problem().unwrap().contains("key property name is not set"));
    assert!(Request::unset(&unnamed, &["port"]).problem().is_some());
    assert!(Request::unset(&Vserver { name: Some("x".into()), ..Default::default() }, &[]).problem().is_some());
    assert!(Request::<Vec<Vserver>>::get("").problem().is_some());
    assert!(Request::update(&unnamed).problem().unwrap().contains("update of lbvserver"));
    assert_eq!(Request::update(&NsConfig::default()).problem(), None);
    assert!(Request::delete_by_key::<Vserver>(None).problem().is_some());
    assert!(Request::add_bulk::<Vserver>(&[], Method::Post).problem().is_some());
}

#[test]
fn request_debug_leaves_the_body_out() {
    #[derive(Default)]
    struct _Unused;
    let vs = Vserver { name: Some("vs1".into()), ipv46: Some("secret-looking-value".into()), ..Default::default() };
    let printed = format!("{:?}", Request::add(&vs, Method::Post));
    assert!(printed.contains("/nitro/v1/config/lbvserver"));
    assert!(!printed.contains("secret-looking-value"), "{printed}");
}

#[tokio::test]
async fn send_refuses_a_request_with_a_problem_without_connecting() {
    // Port 1 on loopback: nothing listens, so reaching the network would
    // give a transport error instead.
    let client = crate::runtime::Client::builder("http://127.0.0.1:1").build().unwrap();
    let error = client.send(Request::delete(&Vserver::default(), &[])).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
}

mod property {
    //! Decode-then-encode keeps every key and value of random objects.
    use super::*;
    use proptest::prelude::*;

    /// Property test cases run (reported in the team report).
    pub const CASES: u32 = 2000;

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1.0e12f64..1.0e12).prop_map(Value::from),
            "[a-zA-Z0-9 _./:-]{0,12}".prop_map(Value::String),
            any::<i64>().prop_map(|n| Value::String(n.to_string())),
            any::<u64>().prop_map(|n| Value::String(n.to_string())),
            prop_oneof![Just("true"), Just("false"), Just("UP"), Just("OUT OF SERVICE"), Just("HTTP"), Just("1.25")]
                .prop_map(|s| Value::String(s.to_string())),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    fn object() -> impl Strategy<Value = Value> {
        let keys = prop_oneof![
            prop::sample::select(Vserver::FIELDS).prop_map(str::to_string),
            "[a-zA-Z_]{1,10}",
        ];
        prop::collection::btree_map(keys, value(), 0..12).prop_map(|map| Value::Object(map.into_iter().collect()))
    }

    fn same_number(text: &str, number: &serde_json::Number) -> bool {
        match (Number::parse(text), Number::parse(&number.to_string())) {
            (Some(a), Some(b)) => a == b || a.as_f64() == b.as_f64(),
            _ => false,
        }
    }

    /// `output` is what the codec may write for `input`: the same value,
    /// or the same number / boolean written natively, or a single value
    /// written as a one-element list.
    fn equivalent(input: &Value, output: &Value) -> bool {
        match (input, output) {
            _ if input == output => true,
            (Value::String(text), Value::Number(number)) => same_number(text, number),
            (Value::Number(a), Value::Number(b)) => same_number(&a.to_string(), b),
            (Value::String(text), Value::Bool(flag)) => text == if *flag { "true" } else { "false" },
            (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equivalent(x, y)),
            (single, Value::Array(list)) if list.len() == 1 => equivalent(single, &list[0]),
            (Value::Object(a), Value::Object(b)) => {
                a.iter().filter(|(_, v)| !v.is_null()).count() == b.len()
                    && a.iter().filter(|(_, v)| !v.is_null()).all(|(k, v)| b.get(k).is_some_and(|w| equivalent(v, w)))
            }
            _ => false,
        }
    }

    proptest! {
        // No failure files: generated/ holds only what the backend writes.
        #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn decode_then_encode_keeps_every_key_and_value(input in object()) {
            let decoded: Vserver = serde_json::from_value(input.clone()).unwrap();
            let output = serde_json::to_value(&decoded).unwrap();
            let output_map = output.as_object().unwrap();
            for (key, value) in input.as_object().unwrap() {
                if value.is_null() && Vserver::FIELDS.contains(&key.as_str()) {
                    prop_assert!(!output_map.contains_key(key), "null {key} was written back");
                    continue;
                }
                let written = output_map.get(key);
                prop_assert!(written.is_some(), "key {key} lost");
                prop_assert!(equivalent(value, written.unwrap()), "{key}: {value} became {}", written.unwrap());
            }
            for key in output_map.keys() {
                prop_assert!(input.get(key).is_some(), "key {key} invented");
            }
            // Encoding is stable: what was written decodes to the same model.
            let again: Vserver = serde_json::from_value(output.clone()).unwrap();
            prop_assert_eq!(&again, &decoded);
            // Same from bytes (the client's path) as through a Value parsed
            // from those bytes (both parse floats the same way).
            let bytes = serde_json::to_vec(&input).unwrap();
            let from_bytes: Vserver = serde_json::from_slice(&bytes).unwrap();
            let via_value: Vserver = serde_json::from_value(serde_json::from_slice(&bytes).unwrap()).unwrap();
            prop_assert_eq!(&from_bytes, &via_value);
        }
    }

    /// List cases (up to 5 objects each).
    pub const LIST_CASES: u32 = 500;

    proptest! {
        #![proptest_config(ProptestConfig { cases: LIST_CASES, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn a_list_decodes_like_its_objects_one_by_one(objects in prop::collection::vec(object(), 0..6usize)) {
            // The list path guesses keys from the previous object's order.
            let bytes = serde_json::to_vec(&json!({"errorcode": 0, "message": "Done", "lbvserver": objects})).unwrap();
            let list: Vec<Vserver> = FromNitro::from_nitro(&Answer::new(200, bytes.clone(), "lbvserver")).unwrap();
            // The objects as parsed from the same text (floats parse alike).
            let reparsed: Value = serde_json::from_slice(&bytes).unwrap();
            let objects = reparsed["lbvserver"].as_array().unwrap();
            prop_assert_eq!(list.len(), objects.len());
            for (decoded, object) in list.iter().zip(objects) {
                let alone: Vserver = serde_json::from_value(object.clone()).unwrap();
                prop_assert_eq!(decoded, &alone);
            }
        }
    }
}
