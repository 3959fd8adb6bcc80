//! Synthetic inventories of any size, deterministic and varied like a real portfolio: every
//! enum value appears, some workloads are sparse, and dependencies point at earlier workloads
//! (with the odd cycle), so load, score, plan and render all do real work.
//!
//!     cargo run --release --example gen -- 20000 > big.yaml

use std::fmt::Write as _;

/// A small deterministic generator (SplitMix64): the same size gives the same file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let mut r = Rng(0x00C1_00D0_u64.wrapping_add(n as u64));
    let mut out = String::with_capacity(n * 1100);
    out.push_str("schema: cloudready/v1\nagency: { name: Department of Synthetic Affairs, abbreviation: DSA, as_of: 2026-11-01 }\nworkloads:\n");
    let classes = [
        "UNOFFICIAL",
        "OFFICIAL",
        "\"OFFICIAL: Sensitive\"",
        "PROTECTED",
        "SECRET",
        "TOP SECRET",
    ];
    for i in 0..n {
        let _ = writeln!(out, "  - id: w{i:06}\n    name: Synthetic workload {i}");
        // One in twelve is sparse: only id and name, like a half-finished inventory row.
        if r.chance(8) {
            continue;
        }
        let _ = writeln!(out, "    owner: Division {}", r.below(40));
        let _ = writeln!(
            out,
            "    criticality: {}",
            r.pick(&["low", "medium", "high", "critical"])
        );
        let _ = writeln!(
            out,
            "    classification: {}",
            classes[[0, 1, 1, 2, 2, 2, 3, 3, 4, 5][r.below(10) as usize]]
        );
        let _ = writeln!(out, "    users: {}", r.below(20_000));
        let _ = writeln!(
            out,
            "    data: {{ personal_information: {}, residency: {}, volume_gb: {} }}",
            r.chance(40),
            r.pick(&["onshore", "anywhere"]),
            r.below(5000)
        );
        let _ = writeln!(
            out,
            "    current:\n      hosting: {}\n      service_model: {}\n      end_of_support: {}-{:02}-{:02}\n      annual_cost_aud: {}",
            r.pick(&[
                "on-premises",
                "government-data-centre",
                "colocation",
                "private-cloud",
                "community-cloud",
                "public-cloud",
                "saas"
            ]),
            r.pick(&["none", "iaas", "paas", "saas"]),
            2020 + r.below(14),
            1 + r.below(12),
            1 + r.below(28),
            r.below(2_000_000)
        );
        if r.chance(85) {
            let _ = writeln!(
                out,
                "    architecture:\n      style: {}\n      stateless: {}\n      containerised: {}\n      customisation: {}\n      cloud_alternative: {}",
                r.pick(&[
                    "mainframe",
                    "monolith",
                    "n-tier",
                    "microservices",
                    "serverless",
                    "cots",
                    "saas"
                ]),
                r.chance(50),
                r.chance(40),
                r.pick(&["none", "low", "medium", "high"]),
                r.pick(&["saas", "paas", "none"])
            );
        }
        if r.chance(80) {
            let _ = writeln!(
                out,
                "    operations:\n      infrastructure_as_code: {}\n      deployment: {}\n      scaling: {}\n      monitoring: {}\n      usage_reporting: {}",
                r.pick(&["none", "partial", "full"]),
                r.pick(&["manual", "scripted", "pipeline"]),
                r.pick(&["manual", "scheduled", "automatic"]),
                r.pick(&["none", "basic", "centralised", "real-time"]),
                r.pick(&["none", "periodic", "real-time"])
            );
        }
        if r.chance(80) {
            let _ = writeln!(
                out,
                "    security:\n      risk_assessment: {}\n      essential_eight: {}\n      identity: {}\n      encryption: {}",
                r.pick(&["none", "informal", "documented", "irap"]),
                r.below(4),
                r.pick(&["local", "federated"]),
                r.pick(&["none", "in-transit", "at-rest", "both"])
            );
        }
        if r.chance(70) {
            let _ = writeln!(
                out,
                "    resilience: {{ availability: {}, rto_hours: {}, rpo_hours: {} }}",
                r.pick(&["95", "99", "99.5", "99.9", "99.95", "99.99"]),
                r.pick(&["1", "4", "8", "24", "72"]),
                r.pick(&["0.25", "1", "4", "24"])
            );
        }
        // Dependencies point backwards (a DAG), plus a few forward edges that close cycles.
        if i > 0 && r.chance(60) {
            let k = 1 + r.below(3);
            let mut deps: Vec<usize> = (0..k).map(|_| r.below(i as u64) as usize).collect();
            if i + 1 < n && r.chance(2) {
                deps.push(i + 1);
            }
            deps.sort_unstable();
            deps.dedup();
            let list: Vec<String> = deps.iter().map(|d| format!("w{d:06}")).collect();
            let _ = writeln!(out, "    dependencies: [{}]", list.join(", "));
        }
        if r.chance(20) {
            let _ = writeln!(
                out,
                "    target: {{ strategy: {}, wave: {} }}",
                r.pick(&[
                    "rehost",
                    "replatform",
                    "refactor",
                    "repurchase",
                    "retire",
                    "retain",
                    "relocate"
                ]),
                1 + r.below(8)
            );
        }
        let _ = writeln!(
            out,
            "    tags: [{}]",
            r.pick(&["corporate", "citizen", "finance", "data", "legacy"])
        );
    }
    print!("{out}");
}
