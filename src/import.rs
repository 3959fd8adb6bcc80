//! `cloudready import`: a CSV or JSON inventory (a spreadsheet or CMDB export) as a tidy YAML
//! inventory: fields in the order of the field table, sections nested, values quoted only where
//! YAML would misread them, and the editor's schema line on top.
//!
//! The input is loaded and validated first, so an import never writes an inventory that
//! `validate` would reject.

use std::fmt::Write as _;

pub mod build;
pub mod emit;
pub mod grid;
pub mod lifecycle;
mod source;

pub use source::{Request, foreign, known_sources};

use crate::inventory::{FIELDS, FieldId, FieldValue, Inventory, Kind, SCHEMA_TAG, fmt_number};

/// The editor line: points at a schema file beside the inventory (`cloudready schema` writes it).
pub const SCHEMA_LINE: &str = "# yaml-language-server: $schema=inventory.schema.json";

/// Renders a validated inventory as YAML.
pub fn to_yaml(inv: &Inventory) -> String {
    let mut out = String::with_capacity(256 + inv.workloads.len() * 512);
    out.push_str(SCHEMA_LINE);
    out.push_str(
        "\n# Editors validate against it once you run: cloudready schema > inventory.schema.json\n",
    );
    let _ = writeln!(out, "schema: {SCHEMA_TAG}");
    out.push_str("agency:\n");
    let _ = writeln!(out, "  name: {}", scalar(&inv.agency.name));
    if let Some(a) = &inv.agency.abbreviation {
        let _ = writeln!(out, "  abbreviation: {}", scalar(a));
    }
    if let Some(d) = inv.agency.as_of {
        let _ = writeln!(out, "  as_of: {d}");
    }
    if inv.workloads.is_empty() {
        out.push_str("workloads: []\n");
        return out;
    }
    out.push_str("workloads:\n");
    for w in &inv.workloads {
        let _ = writeln!(out, "  - id: {}", scalar(&w.id));
        let _ = writeln!(out, "    name: {}", scalar(&w.name));
        let mut section: Option<&str> = None;
        for (i, def) in FieldId::all().zip(FIELDS) {
            let Some(field) = w.get(i) else { continue };
            let value = value_text(&field.value, def.kind);
            match def.path.split_once('.') {
                None => {
                    section = None;
                    let _ = writeln!(out, "    {}: {value}", def.path);
                }
                Some((sec, leaf)) => {
                    if section != Some(sec) {
                        let _ = writeln!(out, "    {sec}:");
                        section = Some(sec);
                    }
                    let _ = writeln!(out, "      {leaf}: {value}");
                }
            }
        }
    }
    out
}

fn value_text(v: &FieldValue, kind: Kind) -> String {
    match (v, kind) {
        (FieldValue::Enum(i), Kind::Enum(values)) => {
            scalar(values.get(*i as usize).copied().unwrap_or(""))
        }
        (FieldValue::Text(s), _) => scalar(s),
        (FieldValue::Bool(b), _) => b.to_string(),
        (FieldValue::Int(i), _) => i.to_string(),
        (FieldValue::Number(n), _) => fmt_number(*n),
        (FieldValue::Date(d), _) => d.to_string(),
        (FieldValue::List(items), _) => {
            let parts: Vec<String> = items.iter().map(|(s, _)| flow_scalar(s)).collect();
            format!("[{}]", parts.join(", "))
        }
        (FieldValue::Enum(i), _) => i.to_string(),
    }
}

/// A string as a YAML scalar: plain when YAML reads it back as the same string, otherwise
/// double-quoted (JSON string syntax is valid YAML).
pub fn scalar(s: &str) -> String {
    if plain_ok(s, false) {
        s.to_owned()
    } else {
        quoted(s)
    }
}

/// The same inside a flow list `[a, b]`, where `,`, `[`, `]`, `{`, `}` also end a plain value.
fn flow_scalar(s: &str) -> String {
    if plain_ok(s, true) {
        s.to_owned()
    } else {
        quoted(s)
    }
}

/// A YAML double-quoted scalar. Everything YAML does not count as printable (C0 and C1
/// controls, DEL, the byte-order mark, U+FFFE/U+FFFF) and the Unicode line separators are
/// escaped, so the output always parses back to the same text.
fn quoted(s: &str) -> String {
    use std::fmt::Write as _;
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            '\r' => o.push_str("\\r"),
            c if !yaml_printable(c) || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}') => {
                let n = c as u32;
                let _ = if n <= 0xFF {
                    write!(o, "\\x{n:02X}")
                } else {
                    write!(o, "\\u{n:04X}")
                };
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// YAML 1.2's printable characters, less the byte-order mark (which a reader may strip).
fn yaml_printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && c != '\u{FEFF}'
}

fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s
        || s.chars()
            .any(|c| !yaml_printable(c) || matches!(c, '\u{2028}' | '\u{2029}'))
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || first.is_ascii_digit()
        || first == '.'
        || first == '+'
        || s.contains(": ")
        || s.ends_with(':')
        || s.contains(" #")
        || (flow && s.contains([',', '[', ']', '{', '}']))
    {
        return false;
    }
    // Words YAML would read as booleans or null.
    !matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "y" | "n" | "on" | "off" | "null" | "~" | "nan" | "inf"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_yaml_would_misread() {
        assert_eq!(scalar("Payroll"), "Payroll");
        assert_eq!(scalar("Pays 5,000 staff."), "Pays 5,000 staff.");
        assert_eq!(scalar("OFFICIAL: Sensitive"), "\"OFFICIAL: Sensitive\"");
        assert_eq!(scalar("TOP SECRET"), "TOP SECRET");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("2027"), "\"2027\"");
        assert_eq!(scalar("a \"q\""), "a \"q\"");
        assert_eq!(scalar("#1"), "\"#1\"");
        assert_eq!(flow_scalar("a,b"), "\"a,b\"");
        assert_eq!(scalar(""), "\"\"");
    }
}
