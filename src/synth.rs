//! Synthetic inventories of any size, deterministic and varied like a real portfolio: every
//! enum value appears, some workloads are sparse, and dependencies point at earlier workloads
//! (with the odd cycle), so load, score, plan and render all do real work.
//!
//! Shared by `examples/gen.rs` (`cargo run --release --example gen -- 20000 > big.yaml`), the
//! benches in `benches/` and `scripts/perf`, so every figure is measured on the same files.

use std::fmt::Write as _;

use crate::inventory::{CLASSIFICATIONS, FIELDS, Kind};

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

/// The allowed values of an enum field, straight from the format table, so a value added to
/// the format is generated without touching this file.
fn values(path: &str) -> &'static [&'static str] {
    match FIELDS.iter().find(|f| f.path == path).map(|f| f.kind) {
        Some(Kind::Enum(v)) => v,
        _ => panic!("synth: {path} is not an enum field of the inventory format"),
    }
}

/// An inventory of `n` workloads as YAML text. Deterministic: the same `n` gives the same bytes.
pub fn inventory(n: usize) -> String {
    let mut r = Rng(0x00C1_00D0_u64.wrapping_add(n as u64));
    let mut out = String::with_capacity(n * 1100);
    out.push_str("schema: cloudready/v1\nagency: { name: Department of Synthetic Affairs, abbreviation: DSA, as_of: 2026-11-01 }\nworkloads:\n");
    // Weighted towards OFFICIAL and OFFICIAL: Sensitive, as real portfolios are.
    let classes: Vec<String> = CLASSIFICATIONS
        .iter()
        .map(|c| {
            if c.contains(':') {
                format!("\"{c}\"")
            } else {
                (*c).to_string()
            }
        })
        .collect();
    let criticality = values("criticality");
    let residency = values("data.residency");
    let hosting = values("current.hosting");
    let service_model = values("current.service_model");
    let style = values("architecture.style");
    let customisation = values("architecture.customisation");
    let cloud_alternative = values("architecture.cloud_alternative");
    let iac = values("operations.infrastructure_as_code");
    let deployment = values("operations.deployment");
    let scaling = values("operations.scaling");
    let monitoring = values("operations.monitoring");
    let usage = values("operations.usage_reporting");
    let risk = values("security.risk_assessment");
    let identity = values("security.identity");
    let encryption = values("security.encryption");
    let strategy = values("target.strategy");
    let location = values("data.location");
    let irap = values("assurance.irap_level");
    let hcf = values("assurance.hcf");
    let authorisation = values("authorisation.status");
    let mfa = values("security.mfa");
    let privileged = values("security.privileged_access");
    let logging = values("security.event_logging");
    let spread = values("resilience.deployment");
    // The assessor's facts come from a second stream, so the rest of the file stays as it was
    // before they existed (the perf figures stay comparable).
    let mut a = Rng(0xA55E_5500_u64.wrapping_add(n as u64));
    // Who assessed, and where the provider administers from: a third stream, for the same reason.
    let mut c = Rng(0xC04E_5500_u64.wrapping_add(n as u64));
    let assessed_by = values("assurance.assessed_by");
    let admin_access = values("service.admin_access");
    for i in 0..n {
        let _ = writeln!(out, "  - id: w{i:06}\n    name: Synthetic workload {i}");
        // One in twelve is sparse: only id and name, like a half-finished inventory row.
        if r.chance(8) {
            continue;
        }
        let _ = writeln!(out, "    owner: Division {}", r.below(40));
        let _ = writeln!(out, "    criticality: {}", r.pick(criticality));
        let _ = writeln!(
            out,
            "    classification: {}",
            classes[[0, 1, 1, 2, 2, 2, 3, 3, 4, 5][r.below(10) as usize]]
        );
        let _ = writeln!(out, "    users: {}", r.below(20_000));
        let _ = writeln!(
            out,
            "    data: {{ personal_information: {}, residency: {}, volume_gb: {}, location: {}, backup_location: {}, privacy_impact_assessment: {} }}",
            r.chance(40),
            r.pick(residency),
            r.below(5000),
            a.pick(location),
            a.pick(location),
            a.chance(60)
        );
        if a.chance(70) {
            let _ = writeln!(
                out,
                "    whole_of_government: {}\n    exit_plan: {}\n    service: {{ kind: {}, catalog_entry: entry-{}, region: region-{}, admin_access: {} }}\n    assurance: {{ irap_level: {}, irap_date: {}-{:02}-{:02}, hcf: {}, assessed_by: {} }}\n    authorisation: {{ status: {}, date: {}-{:02}-01 }}",
                a.chance(10),
                a.chance(40),
                a.pick(hosting),
                a.below(8),
                a.below(3),
                c.pick(admin_access),
                irap[a.below(irap.len() as u64) as usize]
                    .replace("OFFICIAL: Sensitive", "\"OFFICIAL: Sensitive\""),
                2021 + a.below(6),
                1 + a.below(12),
                1 + a.below(28),
                a.pick(hcf),
                c.pick(assessed_by),
                a.pick(authorisation),
                2020 + a.below(7),
                1 + a.below(12)
            );
        }
        let _ = writeln!(
            out,
            "    current:\n      hosting: {}\n      service_model: {}\n      end_of_support: {}-{:02}-{:02}\n      annual_cost_aud: {}",
            r.pick(hosting),
            r.pick(service_model),
            2020 + r.below(14),
            1 + r.below(12),
            1 + r.below(28),
            r.below(2_000_000)
        );
        if r.chance(85) {
            let _ = writeln!(
                out,
                "    architecture:\n      style: {}\n      stateless: {}\n      containerised: {}\n      customisation: {}\n      cloud_alternative: {}",
                r.pick(style),
                r.chance(50),
                r.chance(40),
                r.pick(customisation),
                r.pick(cloud_alternative)
            );
        }
        if r.chance(80) {
            let _ = writeln!(
                out,
                "    operations:\n      infrastructure_as_code: {}\n      deployment: {}\n      scaling: {}\n      monitoring: {}\n      usage_reporting: {}",
                r.pick(iac),
                r.pick(deployment),
                r.pick(scaling),
                r.pick(monitoring),
                r.pick(usage)
            );
        }
        if r.chance(80) {
            let _ = writeln!(
                out,
                "    security:\n      risk_assessment: {}\n      essential_eight: {}\n      identity: {}\n      encryption: {}\n      mfa: {}\n      privileged_access: {}\n      event_logging: {}",
                r.pick(risk),
                r.below(4),
                r.pick(identity),
                r.pick(encryption),
                a.pick(mfa),
                a.pick(privileged),
                a.pick(logging)
            );
        }
        if r.chance(70) {
            let _ = writeln!(
                out,
                "    resilience: {{ availability: {}, rto_hours: {}, rpo_hours: {}, deployment: {}, recovery_tested: {}, backups_outside_provider: {} }}",
                r.pick(&["95", "99", "99.5", "99.9", "99.95", "99.99"]),
                r.pick(&["1", "4", "8", "24", "72"]),
                r.pick(&["0.25", "1", "4", "24"]),
                a.pick(spread),
                a.chance(50),
                a.chance(50)
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
            out.push_str("    dependencies: [");
            for (j, d) in deps.iter().enumerate() {
                if j > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "w{d:06}");
            }
            out.push_str("]\n");
        }
        if r.chance(20) {
            let _ = writeln!(
                out,
                "    target: {{ strategy: {}, wave: {} }}",
                r.pick(strategy),
                1 + r.below(8)
            );
        }
        let _ = writeln!(
            out,
            "    tags: [{}]",
            r.pick(&["corporate", "citizen", "finance", "data", "legacy"])
        );
    }
    out
}

/// An inventory of `n` small workloads (an id, a name and a classification each): the shape
/// that makes per-workload overhead, rather than per-byte cost, dominate a large run.
pub fn small_inventory(n: usize) -> String {
    let mut r = Rng(0x5A11_u64.wrapping_add(n as u64));
    let mut out = String::with_capacity(n * 72 + 128);
    out.push_str(
        "schema: cloudready/v1\nagency: { name: Department of Synthetic Affairs }\nworkloads:\n",
    );
    for i in 0..n {
        let class = CLASSIFICATIONS[[0, 1, 1, 1, 2, 2, 3, 4][r.below(8) as usize]];
        let class = if class.contains(':') {
            format!("\"{class}\"")
        } else {
            class.to_string()
        };
        let _ = writeln!(
            out,
            "  - id: w{i:06}\n    name: Workload {i}\n    classification: {class}"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::FieldValue;
    use crate::load::{LoadOptions, load_from_bytes};

    fn load(n: usize) -> crate::inventory::Inventory {
        let text = inventory(n);
        load_from_bytes(
            &[("synth.yaml".to_string(), text.into_bytes())],
            &LoadOptions::default(),
        )
        .unwrap_or_else(|e| panic!("synthetic inventory does not load: {}", e.render(false)))
    }

    #[test]
    fn same_size_gives_same_bytes_and_sizes_differ() {
        assert_eq!(inventory(50), inventory(50));
        assert_ne!(inventory(50), inventory(51));
    }

    #[test]
    fn loads_validates_and_covers_every_enum_value() {
        let inv = load(600);
        assert_eq!(inv.workloads.len(), 600);
        let mut enums = 0;
        for (id, def) in crate::inventory::FieldId::all().zip(FIELDS) {
            let Kind::Enum(allowed) = def.kind else {
                continue;
            };
            enums += 1;
            let mut seen = vec![false; allowed.len()];
            for w in &inv.workloads {
                if let Some(FieldValue::Enum(i)) = w.get(id).map(|f| &f.value) {
                    seen[*i as usize] = true;
                }
            }
            let missing: Vec<&str> = allowed
                .iter()
                .zip(&seen)
                .filter(|(_, s)| !**s)
                .map(|(v, _)| *v)
                .collect();
            assert!(missing.is_empty(), "{} never takes {missing:?}", def.path);
        }
        assert!(enums > 10, "the format table lost its enum fields?");
    }

    #[test]
    fn small_inventories_load_with_one_field_each() {
        let inv = crate::load::load_from_bytes(
            &[("small.yaml".to_string(), small_inventory(200).into_bytes())],
            &LoadOptions::default(),
        )
        .unwrap_or_else(|e| panic!("small inventory does not load: {}", e.render(false)));
        assert_eq!(inv.workloads.len(), 200);
        assert!(
            inv.workloads
                .iter()
                .all(|w| w.get(crate::inventory::fid::CLASSIFICATION).is_some()
                    && w.get(crate::inventory::fid::OWNER).is_none())
        );
    }

    #[test]
    fn has_sparse_workloads_and_dependencies() {
        let inv = load(300);
        let sparse = inv.workloads.iter().filter(|w| w.is_bare()).count();
        assert!(sparse > 0 && sparse < 60, "sparse workloads: {sparse}");
        let with_deps = inv
            .workloads
            .iter()
            .filter(|w| !w.dependencies().is_empty())
            .count();
        assert!(with_deps > 100, "workloads with dependencies: {with_deps}");
    }
}
