//! How much planning adds to an assessment: generates an inventory of N workloads (default
//! 20,000) with dependencies and cycles, then times each step in-process.
//!
//! ```sh
//! cargo run --release --example plan_timing -- 20000
//! ```

use std::fmt::Write as _;
use std::time::Instant;

use cloudready::assessment;
use cloudready::load::{self, LoadOptions};
use cloudready::pack::Packs;
use cloudready::plan::{self, PlanOptions, PlanRules, providers::Catalog};
use cloudready::render;
use cloudready::score::Context;

const CLASSES: &[&str] = &[
    "UNOFFICIAL",
    "OFFICIAL",
    "\"OFFICIAL: Sensitive\"",
    "PROTECTED",
    "SECRET",
    "TOP SECRET",
];
const STYLES: &[&str] = &[
    "mainframe",
    "monolith",
    "n-tier",
    "microservices",
    "serverless",
    "cots",
    "saas",
];
const LEVELS: &[&str] = &["none", "low", "medium", "high"];
const HOSTING: &[&str] = &[
    "on-premises",
    "government-data-centre",
    "private-cloud",
    "public-cloud",
    "saas",
];
const ALT: &[&str] = &["saas", "paas", "none"];
const TARGET: &[&str] = &["rehost", "replatform", "refactor", "repurchase"];

/// The inventory in files of at most `per_file` workloads (one id space across them).
fn inventory(n: usize, per_file: usize) -> Vec<String> {
    let head =
        "schema: cloudready/v1\nagency: { name: Timing Agency, as_of: 2026-11-01 }\nworkloads:\n";
    let mut files = Vec::new();
    let mut s = String::new();
    // A small deterministic generator, so every run times the same inventory.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as usize
    };
    for i in 0..n {
        if i % per_file == 0 {
            if !s.is_empty() {
                files.push(std::mem::take(&mut s));
            }
            s.push_str(head);
        }
        let _ = write!(
            s,
            "  - id: w{i:06}\n    name: Workload {i}\n    criticality: {}\n    classification: {}\n    users: {}\n    data: {{ residency: {}, volume_gb: {} }}\n    current: {{ hosting: {}, service_model: none, end_of_support: 20{}-06-30 }}\n    architecture: {{ style: {}, stateless: {}, containerised: false, customisation: {}, cloud_alternative: {} }}\n    operations: {{ infrastructure_as_code: none, deployment: scripted, scaling: manual, monitoring: basic, usage_reporting: none }}\n    security: {{ risk_assessment: documented, essential_eight: {}, identity: federated, encryption: both }}\n    resilience: {{ availability: 99.5, rto_hours: 8, rpo_hours: 4 }}\n",
            ["low", "medium", "high", "critical"][next(4)],
            CLASSES[next(CLASSES.len())],
            next(20_000),
            ["onshore", "anywhere"][next(2)],
            next(50_000),
            HOSTING[next(HOSTING.len())],
            24 + next(8),
            STYLES[next(STYLES.len())],
            next(2) == 0,
            LEVELS[next(4)],
            ALT[next(3)],
            next(4),
        );
        // Mostly edges to earlier workloads; every 50th points forward, making some cycles.
        if i > 0 {
            let k = next(4);
            let mut deps: Vec<usize> = (0..k).map(|_| next(i)).collect();
            if i % 50 == 0 && i + 1 < n {
                deps.push(i + 1);
            }
            deps.sort_unstable();
            deps.dedup();
            if !deps.is_empty() {
                let list: Vec<String> = deps.iter().map(|d| format!("w{d:06}")).collect();
                let _ = writeln!(s, "    dependencies: [{}]", list.join(", "));
            }
        }
        if next(3) == 0 {
            let _ = writeln!(
                s,
                "    target: {{ strategy: {} }}",
                TARGET[next(TARGET.len())]
            );
        }
    }
    files.push(s);
    files
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map_or(Ok(20_000), |a| a.parse())?;
    let dir = tempfile_dir()?;
    // Files of 5,000: the YAML parser's event budget (1,000,000 a file) caps one file at
    // roughly 10,000 workloads this detailed.
    let mut paths = Vec::new();
    for (i, text) in inventory(n, 5_000).into_iter().enumerate() {
        let path = dir.join(format!("inventory-{i}.yaml"));
        std::fs::write(&path, text)?;
        paths.push(path);
    }
    let packs = Packs::builtin().map_err(|e| e.render(false))?;
    let rules = PlanRules::builtin().map_err(|e| e.render(false))?;
    let providers =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/providers.yaml");
    let catalog =
        Catalog::load(&providers, &rules.provider_kinds()).map_err(|e| e.render(false))?;

    let t = Instant::now();
    let inv = load::load_inventory(&paths, &LoadOptions::default()).map_err(|e| e.render(false))?;
    let load_ms = ms(t);
    let reference = inv.agency.as_of;
    let cx = Context {
        reference_date: reference,
        ..Context::default()
    };
    let t = Instant::now();
    let scores = assessment::assess(&inv, &packs, &cx, &[], cloudready::score::Detail::Totals);
    let score_ms = ms(t);
    let t = Instant::now();
    let p = plan::plan(
        &inv,
        &rules,
        Some(&catalog),
        &scores,
        &PlanOptions {
            reference,
            ..PlanOptions::default()
        },
    );
    let plan_ms = ms(t);
    let t = Instant::now();
    let mut doc = assessment::build(&inv, &packs, &scores, reference);
    assessment::attach_plan(&mut doc, &inv, &p);
    let json = render::json(&doc);
    let render_ms = ms(t);
    let total = load_ms + score_ms + plan_ms + render_ms;
    println!(
        "{n} workloads, {} waves, {} bytes of JSON",
        p.waves.len(),
        json.len()
    );
    println!("load    {load_ms:9.1} ms");
    println!("score   {score_ms:9.1} ms");
    println!(
        "plan    {plan_ms:9.1} ms  ({:.1}% of the run)",
        plan_ms / total * 100.0
    );
    println!("render  {render_ms:9.1} ms  (JSON, with the plan)");
    println!("total   {total:9.1} ms");
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!("cloudready-plan-timing-{}", std::process::id()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
