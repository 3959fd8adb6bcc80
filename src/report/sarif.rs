//! `check --format sarif`: SARIF 2.1.0 for code scanning. One rule entry per rule applied,
//! results located in the inventory (or `cloudready.toml`, or the strategy document), and waived
//! findings kept with an external suppression carrying the waiver's reason.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::Report;
use super::paths::Roots;
use crate::diagnostic::{Diagnostic, Severity};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A path as given, as a relative URI reference: forward slashes, and the characters that
/// would change a URI's meaning percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => out.push(b as char),
            // A colon in the first segment would read as a scheme.
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Code scanning stores at most 5,000 results of a run (it accepts 25,000): beyond this many,
/// findings are aggregated so none is dropped unseen.
pub const MAX_RESULTS: usize = 5_000;

/// Related locations kept on an aggregated result (code scanning shows 100).
const MAX_RELATED: usize = 10;

/// The base id results' URIs are relative to: the repository root.
pub const SRCROOT: &str = "SRCROOT";

pub fn render(report: &Report) -> String {
    render_at(report, &Roots::detect(), MAX_RESULTS)
}

/// How finely findings are reported: each on its own, or aggregated per rule and workload (or
/// document), or per rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grain {
    Each,
    RuleAndWorkload,
    Rule,
}

/// The findings of one result.
struct Entry<'a> {
    all: Vec<&'a Diagnostic>,
}

/// The finest grain whose results fit in `max`.
fn entries(report: &Report, max: usize) -> (Grain, Vec<Entry<'_>>) {
    let mut last = (Grain::Each, Vec::new());
    for grain in [Grain::Each, Grain::RuleAndWorkload, Grain::Rule] {
        let mut index: HashMap<(String, &str, bool, bool), usize> = HashMap::new();
        let mut out: Vec<Entry> = Vec::new();
        for (i, d) in report.diagnostics.iter().enumerate() {
            let key = (
                match grain {
                    Grain::Each => i.to_string(),
                    Grain::RuleAndWorkload => report.group(d).to_string(),
                    Grain::Rule => String::new(),
                },
                d.code_or_default(),
                d.fails(),
                d.waiver.is_some(),
            );
            match index.get(&key) {
                Some(&k) => out[k].all.push(d),
                None => {
                    index.insert(key, out.len());
                    out.push(Entry { all: vec![d] });
                }
            }
        }
        if out.len() <= max {
            return (grain, out);
        }
        last = (grain, out);
    }
    last
}

fn level(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The physical location of `d`, from the repository root; none for standard input.
fn location(report: &Report, roots: &Roots, d: &Diagnostic) -> Option<Value> {
    let (file, line, column) = report.place(d)?;
    let path = roots.relative(file)?;
    Some(json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&path), "uriBaseId": SRCROOT },
            "region": { "startLine": line.max(1), "startColumn": column }
        }
    }))
}

/// A fingerprint that survives edits elsewhere in the file: the rule, what it is about and the
/// file, never the line, with an ordinal for repeats.
fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn text(d: &Diagnostic) -> String {
    match &d.hint {
        Some(h) => format!("{} Hint: {h}", d.message),
        None => d.message.clone(),
    }
}

/// What every result of a run is made with.
struct Ctx<'a> {
    report: &'a Report,
    roots: &'a Roots,
    grain: Grain,
    max: usize,
}

fn result(ctx: &Ctx, e: &Entry, seen: &mut HashMap<String, usize>) -> Value {
    let (report, roots, grain) = (ctx.report, ctx.roots, ctx.grain);
    let f = e.all[0];
    let rule = f.code_or_default();
    let group = report.group(f);
    let file = report
        .place(f)
        .and_then(|(p, _, _)| roots.relative(p))
        .unwrap_or_default();
    let mut v = json!({ "ruleId": rule, "level": level(f) });
    if let Some((i, _)) = report.rule(rule) {
        v["ruleIndex"] = json!(i);
    }
    if let Some(l) = location(report, roots, f) {
        v["locations"] = json!([l]);
    }
    let key = match grain {
        Grain::Each => format!("{rule}\0{group}\0{file}"),
        Grain::RuleAndWorkload => format!("{rule}\0{group}\0*{}", f.waiver.is_some()),
        Grain::Rule => format!("{rule}\0*\0*{}", f.waiver.is_some()),
    };
    let n = seen.entry(key.clone()).or_insert(0);
    *n += 1;
    v["partialFingerprints"] =
        json!({ "cloudreadyFinding/v1": fingerprint(&[&key, &n.to_string()]) });
    if e.all.len() == 1 {
        v["message"] = json!({ "text": text(f) });
        if let Some(w) = &f.workload {
            v["properties"] = json!({ "workload": w });
        }
    } else {
        let about = match grain {
            Grain::Rule => {
                let groups: BTreeSet<&str> = e.all.iter().map(|d| report.group(d)).collect();
                format!("in {} places", groups.len())
            }
            _ => format!("for {group}"),
        };
        v["message"] = json!({ "text": format!(
            "{} findings of {rule} {about} (aggregated: the run had more than {} results). The first: {} Every finding is in the JSON and JUnit reports.",
            e.all.len(), ctx.max, text(f)
        )});
        let related: Vec<Value> = e.all[1..]
            .iter()
            .filter_map(|d| location(report, roots, d).map(|l| (d, l)))
            .take(MAX_RELATED)
            .enumerate()
            .map(|(i, (d, mut l))| {
                l["id"] = json!(i + 1);
                l["message"] = json!({ "text": d.message });
                l
            })
            .collect();
        if !related.is_empty() {
            v["relatedLocations"] = json!(related);
        }
        let mut props = json!({ "aggregated": e.all.len() });
        if grain == Grain::RuleAndWorkload
            && let Some(w) = &f.workload
        {
            props["workload"] = json!(w);
        }
        v["properties"] = props;
    }
    if let Some(w) = &f.waiver {
        let justification = if e.all.len() == 1 {
            format!(
                "{} (approved by {}, until {})",
                w.reason, w.approved_by, w.expires
            )
        } else {
            format!(
                "{} waived findings; each waiver's reason is in the JSON report",
                e.all.len()
            )
        };
        v["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": justification,
        }]);
    }
    v
}

/// The report as SARIF, paths from `roots`, at most `max` results.
pub fn render_at(report: &Report, roots: &Roots, max: usize) -> String {
    let rules: Vec<Value> = report
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.short },
                "fullDescription": { "text": r.help },
                "help": { "text": r.help },
            })
        })
        .collect();
    let (grain, entries) = entries(report, max);
    let mut seen = HashMap::new();
    let ctx = Ctx {
        report,
        roots,
        grain,
        max,
    };
    let results: Vec<Value> = entries.iter().map(|e| result(&ctx, e, &mut seen)).collect();
    let mut workdir = json!({
        "uriBaseId": SRCROOT,
        "description": { "text": "The folder cloudready ran in; paths typed on its command line are relative to it." },
    });
    if !roots.workdir().is_empty() {
        workdir["uri"] = json!(uri(&roots.workdir()));
    }
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "cloudready",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }
        },
        "originalUriBaseIds": {
            SRCROOT: { "description": { "text": "The repository root." } },
            "WORKDIR": workdir,
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if grain != Grain::Each {
        run["properties"] = json!({
            "aggregated": match grain {
                Grain::RuleAndWorkload => "per rule and workload",
                _ => "per rule",
            },
            "findings": report.diagnostics.len(),
            "results": entries.len(),
            "limit": max,
            "note": format!(
                "{} findings are more than the {max} results code scanning keeps of a run: findings of one rule {} are one result, with the first finding's place and up to {MAX_RELATED} others. The JSON and JUnit reports list every finding.",
                report.diagnostics.len(),
                if grain == Grain::Rule { "" } else { "and workload (or document) " },
            ),
        });
    }
    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [run]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    fn roots() -> Roots {
        Roots {
            root: "/repo".into(),
            cwd: "/repo/infra".into(),
        }
    }

    fn run_of(report: &Report, max: usize) -> Value {
        let v: Value = serde_json::from_str(&render_at(report, &roots(), max)).unwrap();
        v["runs"][0].clone()
    }

    #[test]
    fn under_the_cap_every_finding_is_a_result_with_its_own_fingerprint() {
        let run = run_of(&sample::report(3, 2, "min_principle"), 6);
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 6);
        assert!(run.get("properties").is_none());
        let fps: BTreeSet<&str> = results
            .iter()
            .map(|r| {
                r["partialFingerprints"]["cloudreadyFinding/v1"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert_eq!(fps.len(), 6);
        let a = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(a["uri"], "infra/inv.yaml");
        assert_eq!(a["uriBaseId"], SRCROOT);
        assert_eq!(run["originalUriBaseIds"]["WORKDIR"]["uri"], "infra/");
    }

    #[test]
    fn over_the_cap_findings_are_aggregated_per_rule_and_workload_and_the_run_says_so() {
        let report = sample::report(3, 2, "min_principle");
        let run = run_of(&report, 5);
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(run["properties"]["aggregated"], "per rule and workload");
        assert_eq!(run["properties"]["findings"], 6);
        assert_eq!(run["properties"]["results"], 3);
        let first = &results[0];
        assert_eq!(first["properties"]["aggregated"], 2);
        assert_eq!(first["properties"]["workload"], "w0");
        assert!(
            first["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with("2 findings of min_principle for w0")
        );
        assert_eq!(first["relatedLocations"].as_array().unwrap().len(), 1);
        // Coarser still when even that is too many: one result per rule.
        let run = run_of(&report, 2);
        assert_eq!(run["results"].as_array().unwrap().len(), 1);
        assert_eq!(run["properties"]["aggregated"], "per rule");
        assert!(
            run["results"][0]["message"]["text"]
                .as_str()
                .unwrap()
                .contains("in 3 places")
        );
        assert!(
            run["results"][0]["relatedLocations"]
                .as_array()
                .unwrap()
                .len()
                <= MAX_RELATED
        );
    }

    #[test]
    fn twenty_thousand_workloads_of_findings_stay_under_the_limit() {
        let report = sample::report(20_000, 3, "min_principle");
        let run = run_of(&report, MAX_RESULTS);
        assert!(run["results"].as_array().unwrap().len() <= MAX_RESULTS);
        assert_eq!(run["properties"]["findings"], 60_000);
    }

    #[test]
    fn paths_become_relative_uris() {
        assert_eq!(uri("examples/inventory.yaml"), "examples/inventory.yaml");
        assert_eq!(uri("my dir\\a#b.yaml"), "my%20dir/a%23b.yaml");
        assert_eq!(uri("c:x.yaml"), "c%3Ax.yaml");
    }
}
