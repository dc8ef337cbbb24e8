//! The `model-decoder` target of `cargo xtask fuzz`: arbitrary JSON into
//! the generated crate's runtime (NITRO answers decoded into
//! `Vec<Lbvserver>`, `Vec<LbvserverStats>` and `Outcome`; bare objects
//! into `Lbvserver`), each decoded value encoded again. A panic, a case
//! running past `--case-seconds` or an encoding far larger than its input
//! is a failure: the seed and case are printed to replay it.
//!
//! It lives here rather than in xtask so that xtask never depends on the
//! generated crate (a broken `generated/` must not stop regeneration).
//!
//! Usage: `fuzz_decoder --seconds S --seed N [--case C] [--case-seconds T]`.

use netscaler::adc::lb::{Lbvserver, LbvserverStats};
use netscaler::runtime::{Answer, FromNitro, Model, Outcome};
use std::io::Write;
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

static PANICKED: Mutex<Option<String>> = Mutex::new(None);

fn main() {
    let mut seconds = 5.0f64;
    let mut seed = 1u64;
    let mut only = None;
    let mut case_seconds = 10u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--seconds" => seconds = value.parse().unwrap_or(seconds),
            "--seed" => seed = value.parse().unwrap_or(seed),
            "--case" => only = value.parse().ok(),
            "--case-seconds" => case_seconds = value.parse().unwrap_or(case_seconds),
            _ => {
                eprintln!("usage: fuzz_decoder --seconds S --seed N [--case C] [--case-seconds T]");
                std::process::exit(2);
            }
        }
    }
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let message = info.payload().downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| info.payload().downcast_ref::<String>().cloned()).unwrap_or_default();
        PANICKED.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(format!("{message}{place}"));
    }));
    let (jobs, job_rx) = mpsc::channel::<u64>();
    let (results, result_rx) = mpsc::channel::<(usize, Option<String>)>();
    std::thread::spawn(move || {
        for case in job_rx {
            let outcome = std::panic::catch_unwind(|| run_case(&mut Rng::for_case(seed, case))).unwrap_or((0, Some("panic".into())));
            if results.send(outcome).is_err() {
                return;
            }
        }
    });
    let started = Instant::now();
    let budget = Duration::from_secs_f64(seconds);
    let (mut tried, mut failures) = (0u64, 0u64);
    let cases: Box<dyn Iterator<Item = u64>> = match only {
        Some(case) => Box::new(std::iter::once(case)),
        None => Box::new(0..),
    };
    for case in cases {
        if only.is_none() && started.elapsed() >= budget {
            break;
        }
        PANICKED.lock().unwrap_or_else(|e| e.into_inner()).take();
        jobs.send(case).expect("worker alive");
        let Ok((input, problem)) = result_rx.recv_timeout(Duration::from_secs(case_seconds)) else {
            println!("model-decoder: {tried} cases, FAILED: case {case} ran past {case_seconds} s (hang)");
            println!("  reproduce: cargo xtask fuzz --seed {seed} --target model-decoder --case {case}");
            std::io::stdout().flush().ok();
            std::process::exit(1);
        };
        tried += 1;
        let panicked = PANICKED.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(problem) = panicked.map(|p| format!("panic: {p}")).or(problem) {
            failures += 1;
            println!("model-decoder: FAILED case {case} ({input} input bytes): {problem}");
            println!("  reproduce: cargo xtask fuzz --seed {seed} --target model-decoder --case {case}");
        }
    }
    println!("model-decoder: {tried} cases in {:.1} s, {failures} failures", started.elapsed().as_secs_f64());
    std::process::exit(if failures == 0 { 0 } else { 1 });
}

/// One answer body: decoded every way, each result encoded again.
fn run_case(rng: &mut Rng) -> (usize, Option<String>) {
    let body = answer_body(rng);
    let status = [200u16, 201, 207, 400, 404, 599][rng.below(6)];
    let answer = Answer::new(status, body.clone(), "lbvserver");
    let mut output = 0;
    if let Ok(list) = <Vec<Lbvserver>>::from_nitro(&answer) {
        output += list.iter().map(|item| serde_json::to_vec(item).map_or(0, |v| v.len())).sum::<usize>();
        let _ = format!("{list:?}");
    }
    let stats_answer = Answer::new(status, body.clone(), "lbvserver");
    if let Ok(list) = <Vec<LbvserverStats>>::from_nitro(&stats_answer) {
        output += list.iter().map(|item| serde_json::to_vec(item).map_or(0, |v| v.len())).sum::<usize>();
    }
    let _ = Outcome::from_nitro(&answer).map(|outcome| format!("{outcome:?}"));
    if let Ok(one) = serde_json::from_slice::<Lbvserver>(&body) {
        output += serde_json::to_vec(&one).map_or(0, |v| v.len());
    }
    // Each decode may at most keep what it read (plus quoting of numbers).
    let limit = body.len() * 8 + 4096;
    let problem = (output > limit * 3).then(|| format!("encoded {output} bytes from {} input bytes (runaway growth)", body.len()));
    (body.len(), problem)
}

/// A NITRO answer: an envelope with the resource as an array or a single
/// object of known and unknown keys and odd values; sometimes damaged as
/// text, sometimes arbitrary bytes.
fn answer_body(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(10) {
        return (0..rng.below(512)).map(|_| rng.next() as u8).collect();
    }
    let mut text = String::from("{");
    let mut first = true;
    let mut key = |text: &mut String, name: &str| {
        if !std::mem::take(&mut first) {
            text.push(',');
        }
        text.push_str(&format!("\"{name}\":"));
    };
    if !rng.chance(5) {
        key(&mut text, "errorcode");
        text.push_str(["0", "\"0\"", "278", "-1", "1e3", "null", "\"x\"", "18446744073709551616"][rng.below(8)]);
    }
    if rng.chance(2) {
        key(&mut text, "message");
        text.push_str(&string(rng));
    }
    if rng.chance(3) {
        key(&mut text, "severity");
        text.push_str(["\"ERROR\"", "\"WARNING\"", "\"NONE\"", "3", "null"][rng.below(5)]);
    }
    let resource = ["lbvserver", "LbVserver", "lbvserver", "errorcode", "Interface"][rng.below(5)];
    key(&mut text, resource);
    let objects = rng.below(4);
    if objects == 1 && rng.chance(2) {
        object(&mut text, rng, 0);
    } else {
        text.push('[');
        for index in 0..objects {
            if index > 0 {
                text.push(',');
            }
            object(&mut text, rng, 0);
        }
        text.push(']');
    }
    text.push('}');
    let mut bytes = text.into_bytes();
    if rng.chance(4) {
        for _ in 0..rng.range(1, 4) {
            let at = rng.below(bytes.len() + 1);
            match rng.below(4) {
                0 => bytes.truncate(at),
                1 => {
                    let end = (at + rng.below(16)).min(bytes.len());
                    bytes.drain(at..end);
                }
                2 => bytes.insert(at, [b'"', b'{', b'[', b'\\', b',', 0xff][rng.below(6)]),
                _ => {
                    let nested = "[".repeat(rng.range(10, 5000));
                    bytes.splice(at..at, nested.bytes());
                }
            }
        }
    }
    bytes
}

fn object(text: &mut String, rng: &mut Rng, depth: usize) {
    text.push('{');
    for index in 0..rng.below(12) {
        if index > 0 {
            text.push(',');
        }
        let name = if rng.chance(4) { format!("x{}", rng.below(50)) } else { Lbvserver::FIELDS[rng.below(Lbvserver::FIELDS.len())].to_string() };
        text.push_str(&format!("\"{name}\":"));
        value(text, rng, depth + 1);
    }
    text.push('}');
}

fn value(text: &mut String, rng: &mut Rng, depth: usize) {
    let kinds = if depth > 6 { 6 } else { 9 };
    match rng.below(kinds) {
        0 => text.push_str(&string(rng)),
        1 => text.push_str(["0", "-0", "1.5", "1e999", "-9223372036854775809", "18446744073709551615", "4294967296", "0.0000001"][rng.below(8)]),
        2 => text.push_str(&format!("\"{}\"", ["12", "-3", "1e3", "NaN", "", " 7", "0x10", "18446744073709551616"][rng.below(8)])),
        3 => text.push_str(["true", "false", "\"YES\"", "\"ENABLED\""][rng.below(4)]),
        4 => text.push_str("null"),
        5 => text.push_str(&format!("\"{}\"", ["UP", "DOWN", "OUT OF SERVICE", "ROUNDROBIN", "é", "\\u0000"][rng.below(6)])),
        6 => {
            text.push('[');
            for index in 0..rng.below(4) {
                if index > 0 {
                    text.push(',');
                }
                value(text, rng, depth + 1);
            }
            text.push(']');
        }
        _ => object(text, rng, depth + 1),
    }
}

fn string(rng: &mut Rng) -> String {
    let parts = ["a", "é", "\\\"", "\\n", "\\ud800", "\\udc00\\ud800", "版", "\\u0041", " ", "\\\\"];
    let mut out = String::from("\"");
    for _ in 0..rng.below(8) {
        out.push_str(parts[rng.below(parts.len())]);
    }
    out.push('"');
    out
}

/// xorshift64*, seeded per case (as in xtask's fuzz).
struct Rng(u64);

impl Rng {
    fn for_case(seed: u64, case: u64) -> Rng {
        let mut rng = Rng((seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x6D6F_6465_6C00) | 1);
        for _ in 0..4 {
            rng.next();
        }
        rng
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
    fn chance(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}
