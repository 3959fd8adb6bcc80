//! Each step of the pipeline on its own, at 1k, 10k and 100k synthetic workloads
//! (`cloudready::synth`): load (bytes → validated inventory), score, plan, render JSON and
//! render the strategy HTML. Whole-process figures (wall time, peak memory) are `scripts/perf`'s.
//!
//!     cargo bench --bench pipeline            # everything (a few minutes)
//!     cargo bench --bench pipeline -- load    # one step; `-- --help` lists divan's options
//!     CLOUDREADY_BENCH_SIZES=1000,10000 cargo bench --bench pipeline   # other sizes
//!
//! divan rather than criterion: far fewer dependencies to compile on a shared machine, and
//! per-bench `args` give the three sizes without a macro per size.
//!
//! Every input is built once per size and cached, outside the timed closure. Each bench is one
//! small function so that a change to a step's API touches one place.

use std::sync::{Arc, Mutex, OnceLock};

use cloudready::assessment;
use cloudready::inventory::Inventory;
use cloudready::load::{self, LoadOptions};
use cloudready::pipeline::Settings;
use cloudready::render;
use cloudready::render::strategy::{DocFormat, Evidence, Templates, context};
use cloudready::score::{Detail, WorkloadScore};
use cloudready::synth;
use divan::Bencher;

const SIZES: &[usize] = &[1_000, 10_000, 100_000];

/// `SIZES`, or the comma-separated workload counts in `CLOUDREADY_BENCH_SIZES`.
fn sizes() -> Vec<usize> {
    match std::env::var("CLOUDREADY_BENCH_SIZES") {
        Ok(s) => s
            .split(',')
            .map(|n| {
                n.trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("CLOUDREADY_BENCH_SIZES: `{n}` is not a count"))
            })
            .collect(),
        Err(_) => SIZES.to_vec(),
    }
}

fn main() {
    divan::main();
}

/// One size's inputs, each step's output kept for the next step's bench.
struct Fixture {
    bytes: Vec<u8>,
    /// Shared, as the strategy's `criteria()` function needs it.
    shared: Arc<Inventory>,
    inv: &'static Inventory,
    scores: Vec<WorkloadScore<'static>>,
}

/// The built-in settings, packs and rules: what every command starts from without a
/// `cloudready.toml`.
fn settings() -> &'static Settings {
    static S: OnceLock<Settings> = OnceLock::new();
    S.get_or_init(|| Settings::builtin().unwrap_or_else(|e| panic!("{}", e.render(false))))
}

fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| Templates::load(None).unwrap_or_else(|e| panic!("{}", e.render(false))))
}

fn load_bytes(bytes: &[u8]) -> Inventory {
    // The copy is part of the step: the CLI reads the file into a fresh buffer too.
    let inputs = [("synth.yaml".to_string(), bytes.to_vec())];
    load::load_from_bytes(&inputs, &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{}", e.render(false)))
}

/// Totals, as the CLI keeps: renderers recompute criteria per workload as they write.
fn score(inv: &'static Inventory) -> Vec<WorkloadScore<'static>> {
    settings().score(inv, Detail::Totals)
}

/// The inputs for `n` workloads, built on first use and kept for the whole run.
fn fixture(n: usize) -> &'static Fixture {
    static CACHE: Mutex<Vec<(usize, &'static Fixture)>> = Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, f)) = cache.iter().find(|(size, _)| *size == n) {
        return f;
    }
    let bytes = synth::inventory(n).into_bytes();
    let shared: &'static Arc<Inventory> = Box::leak(Box::new(Arc::new(load_bytes(&bytes))));
    let inv: &'static Inventory = shared;
    let scores = score(inv);
    let f: &'static Fixture = Box::leak(Box::new(Fixture {
        bytes,
        shared: Arc::clone(shared),
        inv,
        scores,
    }));
    cache.push((n, f));
    f
}

/// Planning and the assessment document, from the scores: the input of every renderer.
fn document(f: &'static Fixture) -> assessment::Assessment<'static> {
    settings().document(f.inv, &f.scores, &[])
}

#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1, max_time = 10)]
fn load(bencher: Bencher, n: usize) {
    let f = fixture(n);
    bencher
        .counter(divan::counter::BytesCount::new(f.bytes.len()))
        .bench(|| load_bytes(divan::black_box(&f.bytes)));
}

#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1, max_time = 10)]
fn score_all(bencher: Bencher, n: usize) {
    let f = fixture(n);
    bencher.bench(|| score(divan::black_box(f.inv)));
}

/// Planning (hosting, strategy, waves) and building the document around it.
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1, max_time = 10)]
fn plan(bencher: Bencher, n: usize) {
    let f = fixture(n);
    bencher.bench(|| document(divan::black_box(f)));
}

/// `assess --format json` after scoring: planning, the document and writing JSON (criteria
/// recomputed as they are written, as the CLI streams it).
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1, max_time = 10)]
fn render_json(bencher: Bencher, n: usize) {
    let f = fixture(n);
    bencher.bench(|| {
        let doc = settings().stream_of(f.inv, divan::black_box(&f.scores), &[]);
        let style = render::Style::default();
        render::render_to(doc, render::Format::Json, style, &mut std::io::sink())
            .expect("a sink takes anything");
    });
}

/// `strategy --format html` after scoring: planning, document, template context (insights,
/// charts), the compiled template's render (with its `criteria()` calls), the digest and the seal.
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1, max_time = 10)]
fn render_strategy_html(bencher: Bencher, n: usize) {
    let f = fixture(n);
    let t = templates();
    let s = settings();
    bencher.bench(|| {
        let doc = document(divan::black_box(f));
        let digest = cloudready::digest::inventory_digest(&f.inv.sources);
        let info = context::DocumentInfo {
            digest: &digest,
            date: None,
            format: DocFormat::Html.name(),
        };
        let ctx =
            context::build(doc, &s.packs, &info).unwrap_or_else(|e| panic!("{}", e.render(false)));
        let evidence = Evidence {
            inventory: Arc::clone(&f.shared),
            packs: Arc::clone(&s.packs),
            reference: s.reference(f.inv),
            released: None,
            advice_left_out: Default::default(),
        };
        t.render_to(DocFormat::Html, &ctx, evidence, &mut std::io::sink())
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
    });
}
