//! Throughput smoke test: the typed codec against `serde_json::Value` on
//! 10,000 lbvserver-like objects and 10,000 stat records with string
//! counters, through the client's decode path (envelope + `Vec<R>`), with
//! hand-written models and with the generated `Lbvserver`/`LbvserverStats`.
//! In release builds (`cargo test --release`) it also asserts that typed
//! decoding is at least as fast as `Value` decoding; debug builds only
//! check that the figures are produced.

use netscaler::runtime::{Number, Open, WireEnum};
use netscaler_tests::hand_model;
use netscaler_tests::throughput::{lbvserver_answer, measure, stat_answer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceType {
    Http,
    Ssl,
}

impl WireEnum for ServiceType {
    const VALUES: &'static [(Self, &'static str)] = &[(Self::Http, "HTTP"), (Self::Ssl, "SSL")];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    Up,
    Down,
}

impl WireEnum for State {
    const VALUES: &'static [(Self, &'static str)] = &[(Self::Up, "UP"), (Self::Down, "DOWN")];
}

hand_model!(LbvserverLike, "lbvserver", Config, ["name"], {
    "appflowlog" => appflowlog: Option<String>,
    "authentication" => authentication: Option<String>,
    "authn401" => authn401: Option<String>,
    "backuplbmethod" => backuplbmethod: Option<String>,
    "cacheable" => cacheable: Option<String>,
    "cachetype" => cachetype: Option<String>,
    "clttimeout" => clttimeout: Option<Number>,
    "comment" => comment: Option<String>,
    "connfailover" => connfailover: Option<String>,
    "curstate" => curstate: Option<Open<State>>,
    "datalength" => datalength: Option<Number>,
    "dataoffset" => dataoffset: Option<Number>,
    "dbslb" => dbslb: Option<String>,
    "disableprimaryondown" => disableprimaryondown: Option<String>,
    "downstateflush" => downstateflush: Option<String>,
    "dynamicweight" => dynamicweight: Option<Number>,
    "effectivestate" => effectivestate: Option<Open<State>>,
    "gt2gb" => gt2gb: Option<String>,
    "health" => health: Option<Number>,
    "healththreshold" => healththreshold: Option<Number>,
    "hits" => hits: Option<Number>,
    "icmpvsrresponse" => icmpvsrresponse: Option<String>,
    "insertvserveripport" => insertvserveripport: Option<String>,
    "ipmask" => ipmask: Option<String>,
    "ippattern" => ippattern: Option<String>,
    "ipset" => ipset: Option<String>,
    "ipv46" => ipv46: Option<String>,
    "l2conn" => l2conn: Option<String>,
    "lbmethod" => lbmethod: Option<String>,
    "lbrrreason" => lbrrreason: Option<Number>,
    "m" => m_: Option<String>,
    "map" => map_: Option<String>,
    "mssqlserverversion" => mssqlserverversion: Option<String>,
    "mysqlcharacterset" => mysqlcharacterset: Option<Number>,
    "mysqlprotocolversion" => mysqlprotocolversion: Option<Number>,
    "mysqlservercapabilities" => mysqlservercapabilities: Option<Number>,
    "mysqlserverversion" => mysqlserverversion: Option<String>,
    "name" => name: Option<String>,
    "newservicerequestunit" => newservicerequestunit: Option<String>,
    "orderthreshold" => orderthreshold: Option<Number>,
    "persistencebackup" => persistencebackup: Option<String>,
    "persistencetype" => persistencetype: Option<String>,
    "persistmask" => persistmask: Option<String>,
    "pipolicyhits" => pipolicyhits: Option<Number>,
    "policysubtype" => policysubtype: Option<Number>,
    "port" => port: Option<Number>,
    "pq" => pq: Option<String>,
    "priority" => priority_: Option<Number>,
    "processlocal" => processlocal: Option<String>,
    "push" => push_: Option<String>,
    "pushlabel" => pushlabel: Option<String>,
    "pushmulticlients" => pushmulticlients: Option<String>,
    "quicbridgeprofilename" => quicbridgeprofilename: Option<String>,
    "range" => range_: Option<Number>,
    "redirectportrewrite" => redirectportrewrite: Option<String>,
    "rhistate" => rhistate: Option<String>,
    "rtspnat" => rtspnat: Option<String>,
    "ruletype" => ruletype: Option<Number>,
    "sc" => sc: Option<String>,
    "servicetype" => servicetype: Option<Open<ServiceType>>,
    "sessionless" => sessionless: Option<String>,
    "somethod" => somethod: Option<String>,
    "sopersistence" => sopersistence: Option<String>,
    "sopersistencetimeout" => sopersistencetimeout: Option<Number>,
    "statechangetimemsec" => statechangetimemsec: Option<Number>,
    "statechangetimesec" => statechangetimesec: Option<String>,
    "status" => status: Option<Number>,
    "tickssincelaststatechange" => tickssincelaststatechange: Option<Number>,
    "timeout" => timeout: Option<Number>,
    "toggleorder" => toggleorder: Option<String>,
    "trofspersistence" => trofspersistence: Option<String>,
    "type" => type_: Option<String>,
    "v6persistmasklen" => v6persistmasklen: Option<Number>,
    "vsvrbindsvcport" => vsvrbindsvcport: Option<Number>,
});

hand_model!(LbvserverStatsLike, "lbvserver", Stat, ["name"], {
    "actsvcs" => actsvcs: Option<Number>,
    "cpuusagepm" => cpuusagepm: Option<Number>,
    "curclntconnections" => curclntconnections: Option<Number>,
    "cursrvrconnections" => cursrvrconnections: Option<Number>,
    "deferredreq" => deferredreq: Option<Number>,
    "deferredreqrate" => deferredreqrate: Option<Number>,
    "establishedconn" => establishedconn: Option<Number>,
    "frustratingttlbtransactions" => frustratingttlbtransactions: Option<Number>,
    "hitsrate" => hitsrate: Option<Number>,
    "inactsvcs" => inactsvcs: Option<Number>,
    "invalidrequestresponse" => invalidrequestresponse: Option<Number>,
    "invalidrequestresponsedropped" => invalidrequestresponsedropped: Option<Number>,
    "labelledconn" => labelledconn: Option<Number>,
    "name" => name: Option<String>,
    "pktsrecvdrate" => pktsrecvdrate: Option<Number>,
    "pktssentrate" => pktssentrate: Option<Number>,
    "primaryipaddress" => primaryipaddress: Option<String>,
    "primaryport" => primaryport: Option<Number>,
    "pushlabel" => pushlabel: Option<Number>,
    "requestbytesrate" => requestbytesrate: Option<Number>,
    "requestsrate" => requestsrate: Option<Number>,
    "responsebytesrate" => responsebytesrate: Option<Number>,
    "responsesrate" => responsesrate: Option<Number>,
    "state" => state: Option<Open<State>>,
    "surgecount" => surgecount: Option<Number>,
    "svcsurgecount" => svcsurgecount: Option<Number>,
    "toleratingttlbtransactions" => toleratingttlbtransactions: Option<Number>,
    "totalpktsrecvd" => totalpktsrecvd: Option<Number>,
    "totalpktssent" => totalpktssent: Option<Number>,
    "totalrequestbytes" => totalrequestbytes: Option<Number>,
    "totalrequests" => totalrequests: Option<Number>,
    "totalresponsebytes" => totalresponsebytes: Option<Number>,
    "totalresponses" => totalresponses: Option<Number>,
    "totalsvrbusyerr" => totalsvrbusyerr: Option<Number>,
    "tothits" => tothits: Option<Number>,
    "totvserverdownbackuphits" => totvserverdownbackuphits: Option<Number>,
    "type" => type_: Option<String>,
    "vslbhealth" => vslbhealth: Option<Number>,
    "vsvrsurgecount" => vsvrsurgecount: Option<Number>,
});

fn objects() -> usize {
    if cfg!(debug_assertions) {
        500
    } else {
        10_000
    }
}

#[test]
fn typed_decoding_keeps_up_with_value_decoding() {
    let rounds = if cfg!(debug_assertions) { 1 } else { 5 };
    let config = measure::<LbvserverLike>("lbvserver (hand-written model)", &lbvserver_answer(objects()), rounds);
    let stats = measure::<LbvserverStatsLike>("stat lbvserver (hand-written model)", &stat_answer(objects()), rounds);
    let generated = measure::<netscaler::adc::lb::Lbvserver>("lbvserver (generated)", &lbvserver_answer(objects()), rounds);
    let generated_stats =
        measure::<netscaler::adc::lb::LbvserverStats>("stat lbvserver (generated)", &stat_answer(objects()), rounds);
    for figures in [&config, &stats, &generated, &generated_stats] {
        println!("{}", figures.line());
        assert_eq!(figures.objects, objects());
        if !cfg!(debug_assertions) {
            assert!(figures.decode_ratio() <= 1.0, "typed decoding slower than Value: {}", figures.line());
        }
    }
    // The decoded values are the typed ones, not raw leftovers.
    let decoded: Vec<LbvserverStatsLike> =
        netscaler::runtime::FromNitro::from_nitro(&netscaler::runtime::Answer::new(200, stat_answer(2), "lbvserver")).unwrap();
    assert_eq!(decoded[1].tothits, Some(Number::Int(1_256_464_744_519 + 7919)));
    assert!(decoded[1].unknown_fields.is_empty());
    let decoded: Vec<LbvserverLike> =
        netscaler::runtime::FromNitro::from_nitro(&netscaler::runtime::Answer::new(200, lbvserver_answer(1), "lbvserver")).unwrap();
    assert_eq!(decoded[0].servicetype, Some(Open::Known(ServiceType::Ssl)));
    assert_eq!(decoded[0].unknown_fields.keys().collect::<Vec<_>>(), ["_nextgenapiresource"]);
}
