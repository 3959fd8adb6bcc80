//! Imported workloads as a YAML inventory: the provenance line first, then each workload with,
//! as comments, where it came from, what was noted on the way and the facts a person must still
//! supply.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::import::build::Item;
use crate::import::lifecycle::Supply;
use crate::import::{SCHEMA_LINE, scalar};
use crate::inventory::{FIELDS, Kind, SCHEMA_TAG, field_id};

/// What the file's header says about the import.
pub struct Header<'a> {
    pub source: &'a str,
    pub file: &'a str,
    pub sheet: Option<&'a str>,
    pub agency: &'a str,
    pub used: &'a BTreeMap<String, BTreeSet<String>>,
}

/// A comment's text on one line, whatever the export held.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// A column as the first line names it: a header in backticks; a description as it is.
fn show_column(c: &str) -> String {
    let described = c.contains('`')
        || c.starts_with("--")
        || c.starts_with("platform ")
        || c == "operating-system family";
    if described {
        c.to_string()
    } else {
        format!("`{c}`")
    }
}

pub fn to_yaml(h: &Header, items: &[Item], supply: &Supply) -> String {
    let mut out = String::new();
    let from: Vec<String> = h
        .used
        .iter()
        .map(|(field, cols)| {
            let cols = cols.iter().map(|c| show_column(c)).collect::<Vec<_>>().join(", ");
            if field == "group" {
                format!("one workload per {cols} value")
            } else if field == "current.end_of_support" {
                format!("{field} from {cols} (the operating system's end of support, import/os-lifecycle.yaml)")
            } else {
                format!("{field} from {cols}")
            }
        })
        .collect();
    let place = match h.sheet {
        Some(s) => format!("{}, sheet {s}", h.file),
        None => h.file.to_string(),
    };
    let _ = writeln!(
        out,
        "{}",
        one_line(&format!(
            "# Imported by cloudready from {} ({place}): {}; ids slugged from names; nothing else is inferred.",
            h.source,
            from.join("; ")
        ))
    );
    out.push_str("# classification and the other facts listed under each workload are not in the export: supply them, then run cloudready validate and assess.\n");
    out.push_str(SCHEMA_LINE);
    out.push('\n');
    let _ = writeln!(out, "schema: {SCHEMA_TAG}");
    let _ = writeln!(out, "agency:\n  name: {}", scalar(h.agency));
    out.push_str("  # as_of: YYYY-MM-DD  (the day these facts were true: end-of-support dates are counted from it)\n");
    out.push_str("workloads:\n");
    for it in items {
        workload(&mut out, it, supply);
    }
    out
}

fn workload(out: &mut String, it: &Item, supply: &Supply) {
    let _ = writeln!(out, "  - id: {}", scalar(&it.id));
    let _ = writeln!(out, "    name: {}", scalar(&it.name));
    let rows: Vec<String> = it.rows.iter().map(u32::to_string).collect();
    let _ = writeln!(
        out,
        "    {}",
        one_line(&format!(
            "# from row{} {}",
            if rows.len() == 1 { "" } else { "s" },
            rows.join(", ")
        ))
    );
    for n in &it.notes {
        let _ = writeln!(out, "    {}", one_line(&format!("# note: {n}")));
    }
    let mut first = true;
    for g in &supply.groups {
        let missing: Vec<&str> = g
            .fields
            .iter()
            .filter(|f| field_id(f).is_some_and(|id| !it.fields.contains_key(&id.index())))
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            continue;
        }
        if first {
            out.push_str("    # to supply (no export holds these):\n");
            first = false;
        }
        let _ = writeln!(out, "    #   {}: {}", g.what, missing.join(", "));
    }
    let mut section: Option<&str> = None;
    for (i, def) in FIELDS.iter().enumerate() {
        let text = if def.path == "tags" {
            if it.tags.is_empty() {
                continue;
            }
            let t: Vec<String> = it.tags.iter().map(|t| scalar(t)).collect();
            format!("[{}]", t.join(", "))
        } else if def.path == "dependencies" {
            if it.deps.is_empty() {
                continue;
            }
            format!(
                "[{}]",
                it.deps.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        } else {
            let Some(v) = it.fields.get(&i) else { continue };
            match def.kind {
                Kind::Text | Kind::Enum(_) => scalar(&v.text),
                _ => v.text.clone(),
            }
        };
        match def.path.split_once('.') {
            None => {
                section = None;
                let _ = writeln!(out, "    {}: {text}", def.path);
            }
            Some((sec, leaf)) => {
                if section != Some(sec) {
                    let _ = writeln!(out, "    {sec}:");
                    section = Some(sec);
                }
                let _ = writeln!(out, "      {leaf}: {text}");
            }
        }
    }
}
