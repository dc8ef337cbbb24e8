//! `cargo xtask fuzz --seconds N [--seed S]`: damaged inputs into every
//! reader, looking for panics, hangs and runaway output.
//!
//! Targets (time is shared equally):
//! - `nitro-pages`: Markdown reference pages (from `<shared>/nitro-docs`,
//!   else `tests/fixtures/nitro`), damaged and read with `read_nitro`;
//! - `bundles`: `.tgz` bundles built from damaged XHTML pages, `build.js`
//!   and error listings (from the appliance bundles in `<shared>`, else
//!   `tests/fixtures/bundle`), under odd archive and folder names, the
//!   compressed bytes sometimes damaged too, read with `read_bundle`;
//! - `openapi`: our Next-Gen description and the OpenAPI fixtures,
//!   damaged as text and as structure (`$ref`s to anywhere, `allOf`
//!   cycles, YAML aliases), read with `lower_text` and, when that gives no
//!   error, emitted as a standalone crate;
//! - `model-decoder`: arbitrary JSON into the generated crate's runtime
//!   (`bench/examples/fuzz_decoder.rs`, run as a child process so that a
//!   broken `generated/` never stops this command from building).
//!
//! Damage: truncation, dropped and duplicated lines, tags and table rows,
//! bad entities, invalid UTF-8, mixed line ends, huge lines, deep nesting,
//! non-ASCII characters beside digits, splices from other inputs, empty
//! and binary files. A failure is a panic (even one a reader's own guard
//! caught: the hook sees it), a case running past `--case-seconds`, or an
//! output larger than [`GROWTH`] times its input plus 1 MiB. Each case has
//! its own generator seeded from the run seed, the target and the case
//! number, so `--seed S --target T --case N` replays one case exactly.
//! Stable Rust only; no fuzzing engine (a xorshift generator).

use anyhow::Context;
use codegen::frontend::bundle::{read_bundle, BundleSettings};
use codegen::frontend::limits::Limits;
use codegen::frontend::nitro::{read_nitro, NitroSettings};
use codegen::frontend::openapi::{lower_text, OpenApiSettings};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Output may be this many times the input (plus 1 MiB) before it counts
/// as runaway growth.
const GROWTH: usize = 64;
/// Inputs are cut to this size after damage.
const MAX_INPUT: usize = 2 << 20;

const TARGETS: [&str; 4] = ["nitro-pages", "bundles", "openapi", "model-decoder"];

#[derive(clap::Args)]
pub struct Args {
    /// Total running time, shared equally by the targets
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Seed of the run (default: from the clock; printed to reproduce)
    #[arg(long)]
    seed: Option<u64>,
    /// Only these targets (repeatable): nitro-pages, bundles, openapi, model-decoder
    #[arg(long = "target", value_name = "TARGET")]
    targets: Vec<String>,
    /// Replay one case of `--seed` (with one `--target`) and print its input's size
    #[arg(long, requires_all = ["seed"])]
    case: Option<u64>,
    /// A case running longer than this is a hang
    #[arg(long, default_value_t = 10)]
    case_seconds: u64,
    /// Shared data folder (default: `../shared` beside the workspace)
    #[arg(long)]
    shared: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = crate::workspace_root();
    let shared = args.shared.clone().unwrap_or_else(|| root.join("../shared"));
    let seed = args.seed.unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64));
    let targets: Vec<&str> = if args.targets.is_empty() { TARGETS.to_vec() } else { args.targets.iter().map(String::as_str).collect() };
    for target in &targets {
        anyhow::ensure!(TARGETS.contains(target), "unknown fuzz target `{target}` (one of {})", TARGETS.join(", "));
    }
    if args.case.is_some() {
        anyhow::ensure!(targets.len() == 1, "--case needs exactly one --target");
    }
    println!("fuzz: seed {seed}; {} s over {}", args.seconds, targets.join(", "));
    let share = Duration::from_secs(args.seconds) / targets.len() as u32;
    let case_limit = Duration::from_secs(args.case_seconds);
    let scratch = std::env::temp_dir().join(format!("xtask-fuzz-{}", std::process::id()));
    let mut failed = false;
    for target in targets {
        let result = if target == "model-decoder" {
            run_decoder(&root, seed, share, args.case, args.case_seconds)
        } else {
            let corpus = Corpus::load(target, &root, &shared)?;
            println!("{target}: {} inputs from {}", corpus.inputs.len(), corpus.from);
            run_target(target, Arc::new(corpus), seed, share, args.case, case_limit, &scratch)
        };
        failed |= !result?;
    }
    if args.case.is_some() {
        println!("the case's files (pages and bundles) are kept in {}", scratch.display());
    } else {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The model decoder's own binary; `true` when it found nothing.
fn run_decoder(root: &Path, seed: u64, share: Duration, case: Option<u64>, case_seconds: u64) -> anyhow::Result<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = std::process::Command::new(&cargo)
        .current_dir(root)
        .args(["build", "--quiet", "-p", "bench", "--example", "fuzz_decoder"])
        .status()
        .context("running cargo build for the model decoder target")?;
    if !built.success() {
        println!("model-decoder: FAILED to build (bench/examples/fuzz_decoder.rs; is generated/ broken?)");
        return Ok(false);
    }
    let mut command = std::process::Command::new(&cargo);
    command.current_dir(root).args(["run", "--quiet", "-p", "bench", "--example", "fuzz_decoder", "--"]);
    command.args(["--seconds", &share.as_secs_f64().to_string(), "--seed", &seed.to_string(), "--case-seconds", &case_seconds.to_string()]);
    if let Some(case) = case {
        command.args(["--case", &case.to_string()]);
    }
    let status = command.status().context("running the model decoder target")?;
    Ok(status.success())
}

/// What a panic hook saw during the current case.
static PANICKED: Mutex<Option<String>> = Mutex::new(None);

fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        let mut slot = PANICKED.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert(format!("{message}{place}"));
    }));
}

fn take_panic() -> Option<String> {
    PANICKED.lock().unwrap_or_else(|e| e.into_inner()).take()
}

/// Runs cases of one target on a worker thread, each timed; `true` when
/// none failed.
fn run_target(target: &str, corpus: Arc<Corpus>, seed: u64, share: Duration, only: Option<u64>, case_limit: Duration, scratch: &Path) -> anyhow::Result<bool> {
    install_hook();
    let (jobs, job_rx) = mpsc::channel::<u64>();
    let (results, result_rx) = mpsc::channel::<(u64, Outcome)>();
    let worker_target = target.to_string();
    let worker_scratch = scratch.join(target);
    let worker_corpus = Arc::clone(&corpus);
    std::thread::spawn(move || {
        for case in job_rx {
            let mut rng = Rng::for_case(seed, &worker_target, case);
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_case(&worker_target, &worker_corpus, &mut rng, &worker_scratch)))
                .unwrap_or_else(|_| Outcome { input_bytes: 0, problem: Some("panic".into()) });
            if results.send((case, outcome)).is_err() {
                return;
            }
        }
    });
    let started = Instant::now();
    let mut tried = 0u64;
    let mut failures = 0u64;
    let mut slowest = Duration::ZERO;
    let cases: Box<dyn Iterator<Item = u64>> = match only {
        Some(case) => Box::new(std::iter::once(case)),
        None => Box::new(0..),
    };
    for case in cases {
        if only.is_none() && started.elapsed() >= share {
            break;
        }
        take_panic();
        let case_started = Instant::now();
        jobs.send(case).ok().context("fuzz worker stopped")?;
        let (_, outcome) = match result_rx.recv_timeout(case_limit) {
            Ok(done) => done,
            Err(_) => {
                println!("{target}: {tried} cases, FAILED: case {case} ran past {} s (hang)", case_limit.as_secs());
                println!("  reproduce: cargo xtask fuzz --seed {seed} --target {target} --case {case}");
                std::io::stdout().flush().ok();
                // The stuck worker cannot be stopped: end here.
                std::process::exit(1);
            }
        };
        tried += 1;
        slowest = slowest.max(case_started.elapsed());
        let problem = take_panic().map(|p| format!("panic: {p}")).or(outcome.problem);
        if only.is_some() {
            println!("{target}: case {case}: input {} bytes", outcome.input_bytes);
        }
        if let Some(problem) = problem {
            failures += 1;
            println!("{target}: FAILED case {case} ({} input bytes): {problem}", outcome.input_bytes);
            println!("  reproduce: cargo xtask fuzz --seed {seed} --target {target} --case {case}");
        }
    }
    let _ = std::panic::take_hook();
    println!("{target}: {tried} cases in {:.1} s (slowest {:.2} s), {failures} failures", started.elapsed().as_secs_f64(), slowest.as_secs_f64());
    Ok(failures == 0)
}

struct Outcome {
    input_bytes: usize,
    problem: Option<String>,
}

fn grown(input: usize, output: usize) -> Option<String> {
    (output > input * GROWTH + (1 << 20)).then(|| format!("output of {output} bytes for {input} input bytes (runaway growth)"))
}

fn run_case(target: &str, corpus: &Corpus, rng: &mut Rng, scratch: &Path) -> Outcome {
    match target {
        "nitro-pages" => nitro_case(corpus, rng, scratch),
        "bundles" => bundle_case(corpus, rng, scratch),
        _ => openapi_case(corpus, rng),
    }
}

fn output_size(lowered: &codegen::Lowered) -> usize {
    serde_json::to_string(&lowered.api).map_or(0, |s| s.len()) + lowered.diagnostics.iter().map(|d| d.to_string().len()).sum::<usize>()
}

/// One to three damaged pages in a fresh docs folder.
fn nitro_case(corpus: &Corpus, rng: &mut Rng, scratch: &Path) -> Outcome {
    let docs = scratch.join("docs");
    let _ = std::fs::remove_dir_all(&docs);
    let mut input = 0;
    for index in 0..rng.range(1, 3) {
        let page = damage(&corpus.pick(rng), corpus, rng);
        input += page.len();
        let area = if rng.chance(4) { "statistics" } else { "configuration" };
        let folder = ["load-balancing", "basic", "ns", "é-group", "ssl"][rng.below(5)];
        let name = format!("res{index}");
        let dir = docs.join(area).join(folder).join(&name);
        if std::fs::create_dir_all(&dir).is_err() || std::fs::write(dir.join(format!("{name}.md")), &page).is_err() {
            return Outcome { input_bytes: input, problem: Some("cannot write the scratch docs folder".into()) };
        }
    }
    let settings = NitroSettings { product: codegen::ir::Product::Adc, release: "fuzz".into(), ..NitroSettings::default() };
    let lowered = read_nitro(&docs, &settings);
    Outcome { input_bytes: input, problem: grown(input, output_size(&lowered)) }
}

/// A `.tgz` of damaged pages, `build.js` and maybe an error listing, under
/// an odd name; sometimes its compressed bytes are damaged as well.
fn bundle_case(corpus: &Corpus, rng: &mut Rng, scratch: &Path) -> Outcome {
    let names = ["ns_11.1_nitro-rest", "é14.1-60.54", "ns_版本12.1_x", "nitro-rest", "11.1-48.10", "ß", "a.b.c"];
    let wrapper = names[rng.below(names.len())];
    let mut builder = tar::Builder::new(Vec::new());
    let mut input = 0;
    let add = |builder: &mut tar::Builder<Vec<u8>>, path: &str, bytes: &[u8]| {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        let _ = builder.append_data(&mut header, path, bytes);
    };
    for index in 0..rng.range(1, 3) {
        let page = damage(&corpus.pick(rng), corpus, rng);
        input += page.len();
        let area = ["config/lb", "stat/ns", "Device/Sub Folder", "config_v2"][rng.below(4)];
        add(&mut builder, &format!("{wrapper}/html/{area}/page{index}.html"), &page);
    }
    let version = format!("var version = \"{}{}.{}\";\nvar build = \"{}.{}\";\n", ["", "é", "NS", "版"][rng.below(4)], rng.below(20), rng.below(20), rng.below(99), rng.below(99));
    let build_js = if rng.chance(3) { damage(version.as_bytes(), corpus, rng) } else { version.into_bytes() };
    add(&mut builder, &format!("{wrapper}/html/build.js"), &build_js);
    if let Some(listing) = corpus.extra.first().filter(|_| rng.chance(3)) {
        let listing = damage(&std::fs::read(listing).unwrap_or_default(), corpus, rng);
        input += listing.len();
        add(&mut builder, &format!("{wrapper}/html/errorlisting.html"), &listing);
    }
    let tar = builder.into_inner().unwrap_or_default();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = gz.write_all(&tar);
    let mut bundle = gz.finish().unwrap_or_default();
    if rng.chance(4) {
        bundle = damage_bytes(bundle, rng);
    }
    let file = scratch.join(format!("{wrapper}.tgz"));
    if std::fs::create_dir_all(scratch).is_err() || std::fs::write(&file, &bundle).is_err() {
        return Outcome { input_bytes: input, problem: Some("cannot write the scratch bundle".into()) };
    }
    // Limits a little above the inputs: a damaged length field must end
    // at them, quickly.
    let limits = Limits { max_member_bytes: 8 << 20, max_bundle_bytes: 64 << 20, ..Limits::default() };
    let lowered = read_bundle(&file, &BundleSettings { limits, ..BundleSettings::default() });
    Outcome { input_bytes: input.max(bundle.len()), problem: grown(input.max(bundle.len()), output_size(&lowered)) }
}

/// A damaged OpenAPI document: text damage, structure damage, or both.
fn openapi_case(corpus: &Corpus, rng: &mut Rng) -> Outcome {
    let original = corpus.pick(rng);
    let mut text = original.clone();
    if rng.chance(2) {
        text = damage_openapi(&text, corpus, rng);
    }
    if rng.chance(2) || text == original {
        text = damage(&text, corpus, rng);
    }
    let input = text.len();
    let is_json = text.first() == Some(&b'{');
    let text = String::from_utf8_lossy(&text).into_owned();
    let limits = Limits { max_nodes: 500_000, ..Limits::default() };
    let settings = OpenApiSettings { origin_file: "fuzz.yaml".into(), limits, ..OpenApiSettings::default() };
    let lowered = lower_text(&text, is_json, "fuzz.yaml", &settings);
    let mut output = output_size(&lowered);
    // What `cargo xtask openapi` does next: emit a crate (every fourth
    // case, since printing Rust costs more than reading).
    if !lowered.has_errors() && rng.chance(4) {
        let standalone = codegen::backend::standalone::Standalone { name: "fuzzed".into(), version: "0.1.0".into(), license: "Apache-2.0".into(), repository: None, document: "fuzz.yaml".into() };
        let settings = codegen::backend::EmitSettings { standalone: Some(standalone), ..Default::default() };
        let emitted = codegen::backend::emit(std::slice::from_ref(&lowered.api), &settings);
        output += emitted.files.values().map(String::len).sum::<usize>();
    }
    // Emitted Rust is wordier than YAML: allow it more room.
    Outcome { input_bytes: input, problem: grown(input * 4, output) }
}

/// Inputs of one target (files read when picked: the page corpus is
/// large).
struct Corpus {
    inputs: Vec<PathBuf>,
    /// Error listings (bundles only).
    extra: Vec<PathBuf>,
    from: String,
}

impl Corpus {
    fn load(target: &str, root: &Path, shared: &Path) -> anyhow::Result<Corpus> {
        let fixtures = root.join("tests/fixtures");
        let (inputs, extra, from) = match target {
            "nitro-pages" => {
                let docs = shared.join("nitro-docs");
                let mut files = Vec::new();
                for product in ["adc", "adm"] {
                    collect(&docs.join(product), "md", &mut files);
                }
                if files.is_empty() {
                    collect(&fixtures.join("nitro"), "md", &mut files);
                    (files, Vec::new(), "tests/fixtures/nitro (no ../shared/nitro-docs)")
                } else {
                    (files, Vec::new(), "../shared/nitro-docs")
                }
            }
            "bundles" => {
                let mut files = Vec::new();
                collect(&shared.join("nitro-docs/appliance"), "html", &mut files);
                let from = if files.is_empty() {
                    collect(&fixtures.join("bundle"), "html", &mut files);
                    "tests/fixtures/bundle (no ../shared/nitro-docs/appliance)"
                } else {
                    "../shared/nitro-docs/appliance"
                };
                let (listings, pages): (Vec<_>, Vec<_>) = files.into_iter().partition(|p| p.ends_with("errorlisting.html"));
                (pages, listings, from)
            }
            _ => {
                let mut files = vec![root.join("specs/nextgen/openapi.yaml")];
                collect(&fixtures.join("openapi"), "yaml", &mut files);
                collect(&fixtures.join("openapi"), "json", &mut files);
                (files, Vec::new(), "specs/nextgen/openapi.yaml and tests/fixtures/openapi")
            }
        };
        anyhow::ensure!(!inputs.is_empty(), "no inputs for fuzz target `{target}`");
        Ok(Corpus { inputs, extra, from: from.to_string() })
    }

    fn pick(&self, rng: &mut Rng) -> Vec<u8> {
        std::fs::read(&self.inputs[rng.below(self.inputs.len())]).unwrap_or_default()
    }
}

/// Regular files with extension `ext` below `dir`, sorted (no symlinks).
fn collect(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<_> = entries.flatten().filter_map(|e| e.file_type().ok().map(|t| (e.path(), t))).collect();
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, kind) in paths {
        if kind.is_dir() {
            collect(&path, ext, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// xorshift64*: small, fast, good enough to choose damage.
pub struct Rng(u64);

impl Rng {
    fn for_case(seed: u64, target: &str, case: u64) -> Rng {
        let mut state = seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        for byte in target.bytes() {
            state = (state ^ byte as u64).wrapping_mul(0x100_0000_01B3);
        }
        let mut rng = Rng(state | 1);
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

    /// `low..=high`.
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// One time in `n`.
    fn chance(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// One to four kinds of damage to a text input.
fn damage(input: &[u8], corpus: &Corpus, rng: &mut Rng) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..rng.range(1, 4) {
        bytes = damage_once(bytes, corpus, rng);
    }
    bytes.truncate(MAX_INPUT);
    bytes
}

fn damage_once(mut bytes: Vec<u8>, corpus: &Corpus, rng: &mut Rng) -> Vec<u8> {
    let at = rng.below(bytes.len() + 1);
    match rng.below(16) {
        0 => bytes.truncate(at),
        1 => return drop_or_repeat(&bytes, b"\n", b"\n", rng),
        2 => return drop_or_repeat(&bytes, b"<", b">", rng),
        3 => return drop_or_repeat(&bytes, b"<tr", b"</tr>", rng),
        4 => {
            let entities: [&[u8]; 8] = [b"&#xFFFFFFFF;", b"&#0;", b"&bogus;", b"&amp", b"&#x110000;", b"&#55296;", b"&#99999999999999999999;", b"&"];
            splice(&mut bytes, at, entities[rng.below(entities.len())]);
        }
        5 => {
            let invalid: [&[u8]; 5] = [b"\xff\xfe", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80", b"\xe2\x82"];
            splice(&mut bytes, at, invalid[rng.below(invalid.len())]);
        }
        6 => {
            // Mixed line ends: some `\n` become `\r\n` or `\r`.
            let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 16);
            for byte in bytes {
                if byte == b'\n' && rng.chance(3) {
                    out.extend_from_slice(if rng.chance(2) { b"\r\n" } else { b"\r" });
                } else {
                    out.push(byte);
                }
            }
            return out;
        }
        7 => {
            let unit: &[u8] = [b"x".as_slice(), b"| ", b"<b>", "é".as_bytes(), b"  "][rng.below(5)];
            let line = unit.repeat(rng.range(10_000, 200_000) / unit.len());
            splice(&mut bytes, at, &line);
        }
        8 => {
            let opens: [&[u8]; 6] = [b"<div>", b"<table><tr><td>", b"<ul><li>", b"[", b"{\"a\":", b"- "];
            let open = opens[rng.below(opens.len())];
            let nested = open.repeat(rng.range(100, 5_000));
            splice(&mut bytes, at, &nested);
        }
        9 => bytes.clear(),
        10 => {
            bytes = (0..rng.range(1, 4096)).map(|_| rng.next() as u8).collect();
        }
        11 => {
            // Non-ASCII beside digits (release names, constraint lines).
            let odd: [&str; 6] = ["é", "版", "\u{200B}", "\u{301}", "\u{FEFF}", "𝟙"];
            let digit = bytes.iter().skip(at).position(u8::is_ascii_digit).map_or(at, |p| at + p);
            splice(&mut bytes, digit, odd[rng.below(odd.len())].as_bytes());
        }
        12 => {
            let other = corpus.pick(rng);
            let start = rng.below(other.len() + 1);
            let end = (start + rng.below(4096)).min(other.len());
            splice(&mut bytes, at, &other[start..end]);
        }
        13 => {
            for _ in 0..rng.range(1, 16) {
                if !bytes.is_empty() {
                    let index = rng.below(bytes.len());
                    bytes[index] = rng.next() as u8;
                }
            }
        }
        14 => {
            let markers: [&[u8]; 8] = [b"##Properties\n", b"##Operations\n", b"<table>", b"</table>", b"<span class=\"property_type\">", b"**", b"```", b"Minimum length = "];
            splice(&mut bytes, at, markers[rng.below(markers.len())]);
        }
        _ => {
            let end = (at + rng.below(256)).min(bytes.len());
            bytes.drain(at..end);
        }
    }
    bytes
}

/// Drops or repeats one `open ... close` region (a line, a tag, a row).
fn drop_or_repeat(bytes: &[u8], open: &[u8], close: &[u8], rng: &mut Rng) -> Vec<u8> {
    let starts: Vec<usize> = bytes.windows(open.len()).enumerate().filter(|(_, w)| *w == open).map(|(i, _)| i).collect();
    if starts.is_empty() {
        return bytes.to_vec();
    }
    let start = starts[rng.below(starts.len())];
    let end = bytes[start + open.len()..].windows(close.len()).position(|w| w == close).map_or(bytes.len(), |p| start + open.len() + p + close.len());
    let mut out = bytes[..start].to_vec();
    if rng.chance(2) {
        for _ in 0..rng.range(2, 50) {
            out.extend_from_slice(&bytes[start..end]);
        }
    }
    out.extend_from_slice(&bytes[end..]);
    out
}

fn splice(bytes: &mut Vec<u8>, at: usize, insert: &[u8]) {
    let at = at.min(bytes.len());
    bytes.splice(at..at, insert.iter().copied());
}

/// Damage to compressed bytes: cut, flipped, or a length field changed.
fn damage_bytes(mut bytes: Vec<u8>, rng: &mut Rng) -> Vec<u8> {
    match rng.below(3) {
        0 => bytes.truncate(rng.below(bytes.len() + 1)),
        _ => {
            for _ in 0..rng.range(1, 8) {
                if !bytes.is_empty() {
                    let index = rng.below(bytes.len());
                    bytes[index] ^= 1 << rng.below(8);
                }
            }
        }
    }
    bytes
}

/// Structural damage to an OpenAPI document: `$ref`s pointed elsewhere,
/// `allOf` cycles and diamonds, anchor/alias bombs, discriminator
/// mappings to nowhere.
fn damage_openapi(text: &[u8], corpus: &Corpus, rng: &mut Rng) -> Vec<u8> {
    let text = String::from_utf8_lossy(text).into_owned();
    let names: Vec<&str> = text.match_indices("$ref: ").filter_map(|(at, _)| text[at + 6..].split(['\n', '}', ',']).next()).collect();
    let targets = ["'#/components/schemas/Missing'", "'#'", "'#/paths'", "'#/components/schemas'", "'other.yaml#/x'", "''", "'#/info/title'", "'#/components/schemas/%zz'"];
    match rng.below(5) {
        0 if !names.is_empty() => {
            let from = names[rng.below(names.len())];
            let to = if rng.chance(2) { targets[rng.below(targets.len())] } else { names[rng.below(names.len())] };
            text.replacen(from, to, 1 + rng.below(3)).into_bytes()
        }
        1 => {
            // A schema including itself, many times (the exponential walk).
            let parts = "{$ref: '#/components/schemas/FuzzSelf'}, ".repeat(rng.range(2, 40));
            let schema = format!("\n    FuzzSelf: {{allOf: [{parts}{{type: object, properties: {{a: {{type: string}}}}}}]}}\n");
            insert_after(&text, "\n  schemas:\n", &schema, corpus, rng)
        }
        2 => {
            // Aliases of an anchor, expanded on read.
            let anchor = format!("[{}]", vec!["x"; rng.range(10, 2000)].join(", "));
            let aliases = vec!["*fuzz"; rng.range(10, 2000)].join(", ");
            format!("{text}\nx-fuzz-anchor: &fuzz {anchor}\nx-fuzz-aliases: [{aliases}]\n").into_bytes()
        }
        3 => {
            let schema = "\n    FuzzUnion: {oneOf: [{$ref: '#/components/schemas/FuzzUnion'}, {type: string}], discriminator: {propertyName: kind, mapping: {a: '#/components/schemas/Nowhere', b: Nowhere, c: '#/paths'}}}\n";
            insert_after(&text, "\n  schemas:\n", schema, corpus, rng)
        }
        _ => {
            // Diamonds: each schema includes the previous one twice.
            let mut schemas = String::from("\n    FuzzD0: {type: object, properties: {a: {type: string}}}\n");
            for level in 1..rng.range(2, 80) {
                let previous = level - 1;
                schemas.push_str(&format!("    FuzzD{level}: {{allOf: [{{$ref: '#/components/schemas/FuzzD{previous}'}}, {{$ref: '#/components/schemas/FuzzD{previous}'}}]}}\n"));
            }
            insert_after(&text, "\n  schemas:\n", &schemas, corpus, rng)
        }
    }
}

fn insert_after(text: &str, marker: &str, insert: &str, _corpus: &Corpus, _rng: &mut Rng) -> Vec<u8> {
    match text.find(marker) {
        Some(at) => format!("{}{}{}", &text[..at + marker.len() - 1], insert.trim_end_matches('\n'), &text[at + marker.len() - 1..]).into_bytes(),
        None => format!("{text}\ncomponents:\n  schemas:{}", insert.trim_end_matches('\n')).into_bytes(),
    }
}
