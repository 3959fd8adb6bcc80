//! `check --format sarif`: SARIF 2.1.0 for code scanning. One rule entry per rule applied,
//! results located in the inventory (or `cloudready.toml`, or the strategy document), and waived
//! findings kept with an external suppression carrying the waiver's reason.

use serde_json::{Value, json};

use super::Report;
use crate::diagnostic::Severity;

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

pub fn render(report: &Report) -> String {
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
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|f| {
            let rule = f.code_or_default();
            let text = match &f.hint {
                Some(h) => format!("{} Hint: {h}", f.message),
                None => f.message.clone(),
            };
            let mut v = json!({
                "ruleId": rule,
                "level": match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                },
                "message": { "text": text },
            });
            if let Some((i, _)) = report.rule(rule) {
                v["ruleIndex"] = json!(i);
            }
            if let Some((file, line, column)) = report.place(f) {
                v["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(file) },
                        "region": { "startLine": line.max(1), "startColumn": column }
                    }
                }]);
            }
            if let Some(w) = &f.waiver {
                v["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": format!(
                        "{} (approved by {}, until {})", w.reason, w.approved_by, w.expires
                    ),
                }]);
            }
            if let Some(w) = &f.workload {
                v["properties"] = json!({ "workload": w });
            }
            v
        })
        .collect();
    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "cloudready",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uris() {
        assert_eq!(uri("examples/inventory.yaml"), "examples/inventory.yaml");
        assert_eq!(uri("my dir\\a#b.yaml"), "my%20dir/a%23b.yaml");
        assert_eq!(uri("c:x.yaml"), "c%3Ax.yaml");
    }
}
