//! Typed decode/encode throughput of generated models against
//! `serde_json::Value`, for `cargo xtask bench` (which runs it with
//! `cargo run --release -p bench`). Prints one JSON object per data set.
//!
//! Usage: `bench [--objects N] [--rounds R]` (defaults 10,000 and 10).
//!
//! Each round times the four operations back to back (the two decodes,
//! then the two encodes, typed and `Value` taking turns going first) and
//! the best of the rounds is kept for each, so a burst of other work on
//! the machine hits both sides of a ratio alike.

// The inputs are the runtime's throughput helper (answers we write
// ourselves, shared with its smoke test); included by path so this binary
// depends on `netscaler` (feature `lb`) and serde_json only, not on the
// test crate's server stack.
#[path = "../../tests/src/throughput.rs"]
#[allow(dead_code)] // the helper's own timing loop and report lines are not used here
mod throughput;

use netscaler::adc::lb::{Lbvserver, LbvserverStats};
use netscaler::runtime::{Answer, FromNitro, Method, Request, Resource};
use serde_json::{json, Value};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let mut objects = 10_000;
    let mut rounds = 10;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (arg.as_str(), value) {
            ("--objects", Some(n)) => objects = n,
            ("--rounds", Some(n)) => rounds = n,
            _ => {
                eprintln!("usage: bench [--objects N] [--rounds R]");
                std::process::exit(2);
            }
        }
    }
    measure::<Lbvserver>("lbvserver", throughput::lbvserver_answer(objects), rounds);
    measure::<LbvserverStats>("stat lbvserver (string counters)", throughput::stat_answer(objects), rounds);
}

/// Decodes `body` (a NITRO answer for `R`) typed, the way the client does
/// (envelope + `Vec<R>`), and as a `Value`; encodes both back; prints the
/// best time of each.
fn measure<R: Resource>(label: &str, body: Vec<u8>, rounds: usize) {
    let bytes = body.len();
    let answer = Answer::new(200, body, R::NAME);
    let body = answer.body();
    let typed: Vec<R> = <Vec<R>>::from_nitro(&answer).expect("typed decode");
    let value: Value = serde_json::from_slice(body).expect("value decode");
    let mut best = [Duration::MAX; 5];
    // Encodes write into buffers that keep their capacity between rounds,
    // so the figure is the encoder's, not the page faults of a fresh
    // 16 MB allocation; and the two sides take turns going first, because
    // whichever runs second reuses the memory the first just freed (with
    // a fixed order that alone made `Value` encoding look twice as fast).
    let mut typed_out = Vec::with_capacity(bytes * 2);
    let mut value_out = Vec::with_capacity(bytes * 2);

    for round in 0..rounds.max(1) {
        let typed_decode = || time(|| drop(black_box(<Vec<R>>::from_nitro(&answer).expect("typed decode"))));
        let value_decode = || time(|| drop(black_box(serde_json::from_slice::<Value>(body).expect("value decode"))));
        let mut typed_encode = || {
            typed_out.clear();
            time(|| serde_json::to_writer(black_box(&mut typed_out), &typed).expect("typed encode"))
        };
        let mut value_encode = || {
            value_out.clear();
            time(|| serde_json::to_writer(black_box(&mut value_out), &value).expect("value encode"))
        };
        // What the client does with the same objects: a bulk add, whose
        // body is written when the request is built.
        let bulk_request = || time(|| drop(black_box(Request::add_bulk(&typed, Method::Post))));
        let times = if round % 2 == 0 {
            let decode = (typed_decode(), value_decode());
            let encode = (typed_encode(), value_encode());
            [decode.0, decode.1, encode.0, encode.1, bulk_request()]
        } else {
            let decode = (value_decode(), typed_decode());
            let encode = (value_encode(), typed_encode());
            [decode.1, decode.0, encode.1, encode.0, bulk_request()]
        };
        for (best, time) in best.iter_mut().zip(times) {
            *best = (*best).min(time);
        }
    }
    let line = json!({
        "label": label,
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
        "objects": typed.len(),
        "bytes": bytes,
        "rounds": rounds,
        "typed_decode_s": best[0].as_secs_f64(),
        "value_decode_s": best[1].as_secs_f64(),
        "typed_encode_s": best[2].as_secs_f64(),
        "value_encode_s": best[3].as_secs_f64(),
        "bulk_request_s": best[4].as_secs_f64(),
    });
    println!("{line}");
}

fn time(run: impl FnOnce()) -> Duration {
    let start = Instant::now();
    run();
    start.elapsed()
}
