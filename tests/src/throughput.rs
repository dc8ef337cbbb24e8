//! Decode/encode throughput of the runtime's table-driven codec against
//! `serde_json::Value` on the same bytes, for `cargo xtask bench` and a
//! smoke test. Meaningful only in release builds.
//!
//! The inputs are NITRO answers we write ourselves: `lbvserver`-like
//! objects (about 70 keys each, numbers partly as strings, some keys no
//! reference documents) and `stat lbvserver`-like records whose 64-bit
//! counters are strings.
//!
//! This file depends on `netscaler` and `serde_json` only: `bench/`
//! includes it by path.

use netscaler::runtime::{Answer, FromNitro, Resource};
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

/// What [`measure`] found; times are the best of the rounds.
#[derive(Clone, Debug)]
pub struct Figures {
    pub label: String,
    pub objects: usize,
    pub bytes: usize,
    /// The client's path: envelope + typed models (`Vec<R>` via `FromNitro`).
    pub typed_decode: Duration,
    /// `serde_json::from_slice::<Value>` on the same bytes.
    pub value_decode: Duration,
    /// `serde_json::to_vec` of the typed models.
    pub typed_encode: Duration,
    /// `serde_json::to_vec` of the `Value`.
    pub value_encode: Duration,
}

impl Figures {
    /// Typed decode time over `Value` decode time (below 1: typed is faster).
    pub fn decode_ratio(&self) -> f64 {
        self.typed_decode.as_secs_f64() / self.value_decode.as_secs_f64()
    }

    /// One line for reports.
    pub fn line(&self) -> String {
        let mib = self.bytes as f64 / (1024.0 * 1024.0);
        let rate = |time: Duration| mib / time.as_secs_f64();
        format!(
            "{}: {} objects, {:.1} MiB; decode typed {:.1} ms ({:.0} MiB/s) vs Value {:.1} ms ({:.0} MiB/s), ratio {:.2}; encode typed {:.1} ms vs Value {:.1} ms",
            self.label,
            self.objects,
            mib,
            ms(self.typed_decode),
            rate(self.typed_decode),
            ms(self.value_decode),
            rate(self.value_decode),
            self.decode_ratio(),
            ms(self.typed_encode),
            ms(self.value_encode),
        )
    }
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1000.0
}

/// Keys of the lbvserver-like objects (wire names of lbvserver
/// properties) with a sample value each.
fn lbvserver_object(index: usize) -> Value {
    let mut object = Map::new();
    let mut put = |key: &str, value: Value| {
        object.insert(key.to_string(), value);
    };
    put("name", json!(format!("vs-{index:05}")));
    put("insertvserveripport", json!("OFF"));
    put("ipv46", json!(format!("10.{}.{}.{}", index / 65536 % 256, index / 256 % 256, index % 256)));
    put("ippattern", json!("0.0.0.0"));
    put("ipmask", json!("*"));
    put("port", json!(443));
    put("range", json!("1"));
    put("servicetype", json!(if index.is_multiple_of(2) { "SSL" } else { "HTTP" }));
    put("type", json!("ADDRESS"));
    put("curstate", json!("UP"));
    put("effectivestate", json!("UP"));
    put("status", json!(1));
    put("lbrrreason", json!(0));
    put("cachetype", json!("SERVER"));
    put("authentication", json!("OFF"));
    put("authn401", json!("OFF"));
    put("dynamicweight", json!("0"));
    put("priority", json!("0"));
    put("clttimeout", json!("180"));
    put("somethod", json!("NONE"));
    put("sopersistence", json!("DISABLED"));
    put("sopersistencetimeout", json!("2"));
    put("healththreshold", json!("0"));
    put("lbmethod", json!("LEASTCONNECTION"));
    put("backuplbmethod", json!("ROUNDROBIN"));
    put("dataoffset", json!("0"));
    put("health", json!("100"));
    put("datalength", json!("0"));
    put("ruletype", json!("0"));
    put("m", json!("IP"));
    put("persistencetype", json!("NONE"));
    put("timeout", json!(2));
    put("persistmask", json!("255.255.255.255"));
    put("v6persistmasklen", json!("128"));
    put("persistencebackup", json!("NONE"));
    put("cacheable", json!("NO"));
    put("pq", json!("OFF"));
    put("sc", json!("OFF"));
    put("rtspnat", json!("OFF"));
    put("sessionless", json!("DISABLED"));
    put("map", json!("OFF"));
    put("connfailover", json!("DISABLED"));
    put("redirectportrewrite", json!("DISABLED"));
    put("downstateflush", json!("ENABLED"));
    put("disableprimaryondown", json!("DISABLED"));
    put("gt2gb", json!("DISABLED"));
    put("statechangetimesec", json!("Mon Nov 23 17:59:52 2026"));
    put("statechangetimemsec", json!("552"));
    put("tickssincelaststatechange", json!(format!("{}", 1_000_000 + index)));
    put("hits", json!("1256464744519"));
    put("pipolicyhits", json!("0"));
    put("push", json!("DISABLED"));
    put("pushlabel", json!("none"));
    put("pushmulticlients", json!("NO"));
    put("policysubtype", json!("0"));
    put("l2conn", json!("OFF"));
    put("appflowlog", json!("ENABLED"));
    put("icmpvsrresponse", json!("PASSIVE"));
    put("rhistate", json!("PASSIVE"));
    put("newservicerequestunit", json!("PER_SECOND"));
    put("vsvrbindsvcport", json!(0));
    put("mssqlserverversion", json!("2008R2"));
    put("mysqlprotocolversion", json!(10));
    put("mysqlserverversion", json!(""));
    put("mysqlcharacterset", json!(8));
    put("mysqlservercapabilities", json!(41613));
    put("processlocal", json!("DISABLED"));
    put("dbslb", json!("DISABLED"));
    put("ipset", json!(""));
    put("comment", json!(format!("pool {} front end", index % 97)));
    put("trofspersistence", json!("ENABLED"));
    put("toggleorder", json!("ASCENDING"));
    put("orderthreshold", json!("0"));
    put("quicbridgeprofilename", json!(""));
    put("_nextgenapiresource", json!("_lbvserver"));
    Value::Object(object)
}

/// `{"errorcode":0,...,"lbvserver":[...]}` with `count` objects.
pub fn lbvserver_answer(count: usize) -> Vec<u8> {
    let items: Vec<Value> = (0..count).map(lbvserver_object).collect();
    serde_json::to_vec(&json!({"errorcode": 0, "message": "Done", "severity": "NONE", "lbvserver": items})).unwrap()
}

/// A `stat lbvserver` answer with `count` records, counters as strings.
pub fn stat_answer(count: usize) -> Vec<u8> {
    let items: Vec<Value> = (0..count)
        .map(|index| {
            let base = 1_256_464_744_519_u64 + index as u64 * 7919;
            json!({
                "name": format!("vs-{index:05}"),
                "primaryipaddress": "10.0.0.1",
                "primaryport": 443,
                "type": "SSL",
                "state": "UP",
                "vslbhealth": "100",
                "actsvcs": "4",
                "inactsvcs": "0",
                "tothits": base.to_string(),
                "hitsrate": 12.5,
                "totalrequests": (base * 3).to_string(),
                "requestsrate": 37,
                "totalresponses": (base * 3 - 1).to_string(),
                "responsesrate": 37,
                "totalrequestbytes": (base * 1024).to_string(),
                "requestbytesrate": 40960,
                "totalresponsebytes": (base * 4096).to_string(),
                "responsebytesrate": 163840,
                "totalpktsrecvd": (base * 5).to_string(),
                "pktsrecvdrate": 90,
                "totalpktssent": (base * 6).to_string(),
                "pktssentrate": 100,
                "curclntconnections": "12",
                "cursrvrconnections": "8",
                "establishedconn": "6",
                "surgecount": "0",
                "svcsurgecount": "0",
                "vsvrsurgecount": "0",
                "invalidrequestresponse": "0",
                "invalidrequestresponsedropped": "0",
                "totvserverdownbackuphits": "0",
                "totalsvrbusyerr": "0",
                "cpuusagepm": "3",
                "labelledconn": "0",
                "pushlabel": "0",
                "deferredreq": "0",
                "deferredreqrate": 0,
                "frustratingttlbtransactions": "0",
                "toleratingttlbtransactions": "0",
            })
        })
        .collect();
    serde_json::to_vec(&json!({"errorcode": 0, "message": "Done", "severity": "NONE", "lbvserver": items})).unwrap()
}

/// Decodes and encodes `body` (an answer for resource `R`) `rounds` times
/// each way, typed and as `Value`, and keeps the best time of each.
pub fn measure<R: Resource>(label: &str, body: &[u8], rounds: usize) -> Figures {
    let rounds = rounds.max(1);
    let best = |run: &mut dyn FnMut()| {
        (0..rounds)
            .map(|_| {
                let start = Instant::now();
                run();
                start.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let mut objects = 0;
    let typed_decode = best(&mut || {
        let answer = Answer::new(200, body.to_vec(), R::NAME);
        let decoded = <Vec<R>>::from_nitro(&answer).expect("typed decode");
        objects = decoded.len();
    });
    // The body copy the client path makes is timed on its own and taken off.
    let copy = best(&mut || {
        std::hint::black_box(body.to_vec());
    });
    let value_decode = best(&mut || {
        std::hint::black_box(serde_json::from_slice::<Value>(body).expect("value decode"));
    });
    let typed: Vec<R> = <Vec<R>>::from_nitro(&Answer::new(200, body.to_vec(), R::NAME)).expect("typed decode");
    let value: Value = serde_json::from_slice(body).expect("value decode");
    let typed_encode = best(&mut || {
        std::hint::black_box(serde_json::to_vec(&typed).expect("typed encode"));
    });
    let value_encode = best(&mut || {
        std::hint::black_box(serde_json::to_vec(&value).expect("value encode"));
    });
    Figures {
        label: label.to_string(),
        objects,
        bytes: body.len(),
        typed_decode: typed_decode.saturating_sub(copy),
        value_decode,
        typed_encode,
        value_encode,
    }
}
