//! `check --strategy DOC`: is a strategy document complete (a heading for each of the seven
//! principles, no placeholder text) and current (generated from the inventory given)?
//! Works on markdown and HTML alike.

use super::RuleBook;
use crate::pack::Packs;

/// (rule, message, line, column) for each problem in the document.
pub type Problem = (&'static str, String, u32, u32);

/// The text of a heading line, if the line is one: a markdown `#` heading or an HTML `<hN>`.
fn heading(line: &str) -> Option<String> {
    let t = line.trim_start();
    if t.starts_with('#') {
        let rest = t.trim_start_matches('#');
        if rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t') {
            return Some(rest.trim().to_string());
        }
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let at = lower.find("<h")?;
    let level = lower.as_bytes().get(at + 2)?;
    if !(b'1'..=b'6').contains(level) {
        return None;
    }
    Some(strip_tags(&t[at..]))
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Lower case, typographic and HTML-escaped apostrophes made plain, runs of space made one.
fn normalise(s: &str) -> String {
    let s = s
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&apos;", "'")
        .replace("&rsquo;", "'")
        .replace("&lsquo;", "'")
        .replace("&amp;", "&")
        .replace(['\u{2019}', '\u{2018}'], "'");
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Byte offsets of `needle` in `hay`, as a whole word when `word`.
fn occurrences(hay: &str, needle: &str, word: bool) -> Vec<usize> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let at = from + i;
        let end = at + needle.len();
        let before_ok = hay[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c));
        let after_ok = hay[end..].chars().next().is_none_or(|c| !is_word_char(c));
        if !word || (before_ok && after_ok) {
            out.push(at);
        }
        from = end;
    }
    out
}

fn names_principle(heading: &str, id: &str, title: &str) -> bool {
    !occurrences(heading, id, true).is_empty() || normalise(heading).contains(&normalise(title))
}

/// Checks one document. `digest` is the inventory's; `regenerate` the command to show.
pub fn check(
    text: &str,
    packs: &Packs,
    book: &RuleBook,
    digest: &str,
    regenerate: &str,
) -> Vec<Problem> {
    check_with_inventory(text, packs, book, digest, regenerate, &[])
}

/// [`check`], where `names` are the inventory's own names (workloads, agency): placeholder
/// words inside them are the inventory's text, not a draft left unfinished (a workload named
/// "TODO List Service").
pub fn check_with_inventory(
    text: &str,
    packs: &Packs,
    book: &RuleBook,
    digest: &str,
    regenerate: &str,
    names: &[&str],
) -> Vec<Problem> {
    let mut problems = Vec::new();

    let mut headings = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code && let Some(h) = heading(line) {
            headings.push(h);
        }
    }
    for p in &packs.principles {
        if !headings.iter().any(|h| names_principle(h, &p.id, &p.title)) {
            problems.push((
                "strategy_section",
                format!(
                    "no heading names principle {} ({}); add a section for it",
                    p.id, p.title
                ),
                1,
                1,
            ));
        }
    }

    for (n, line) in text.lines().enumerate() {
        let lower = line.to_lowercase();
        for ph in &book.placeholders {
            let (hay, needle) = if ph.case {
                (line, ph.text.clone())
            } else {
                (lower.as_str(), ph.text.to_lowercase())
            };
            let found = occurrences(hay, &needle, ph.word);
            if found.is_empty() {
                continue;
            }
            // Where the inventory's own names holding the placeholder sit on this line.
            let spans: Vec<(usize, usize)> = names
                .iter()
                .map(|s| {
                    if ph.case {
                        s.to_string()
                    } else {
                        s.to_lowercase()
                    }
                })
                .filter(|s| s.contains(&needle))
                .flat_map(|s| {
                    hay.match_indices(s.as_str())
                        .map(|(i, m)| (i, i + m.len()))
                        .collect::<Vec<_>>()
                })
                .collect();
            for at in found {
                if spans.iter().any(|&(a, b)| a <= at && at < b) {
                    continue;
                }
                // Count columns on the string searched, so the offset is a char boundary.
                let column = hay[..at].chars().count() + 1;
                problems.push((
                    "strategy_placeholder",
                    format!("placeholder text `{}` is still in the document", ph.text),
                    n as u32 + 1,
                    column as u32,
                ));
            }
        }
    }

    if let Some(found) = crate::digest::find(text)
        && found != digest
    {
        let at = text.find(found).unwrap_or(0);
        let line = text[..at].matches('\n').count() + 1;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..at].chars().count() + 1;
        problems.push((
                "strategy_stale",
                format!(
                    "the document was generated from a different inventory ({found}, the inventory given is {digest}); regenerate it with `{regenerate}`"
                ),
                line as u32,
                column as u32,
            ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> String {
        let packs = Packs::builtin().unwrap();
        let mut s = String::new();
        for p in &packs.principles {
            s.push_str(&format!("## {}: {}\n\nText.\n\n", p.id, p.title));
        }
        s.push_str(body);
        s
    }

    fn rules(text: &str, digest: &str) -> Vec<(&'static str, u32)> {
        let packs = Packs::builtin().unwrap();
        let book = RuleBook::builtin().unwrap();
        check(text, &packs, &book, digest, "regen")
            .into_iter()
            .map(|(r, _, l, _)| (r, l))
            .collect()
    }

    #[test]
    fn complete_document_passes() {
        assert_eq!(rules(&doc("All done.\n"), "sha256:x"), vec![]);
    }

    #[test]
    fn headings_by_title_or_in_html_count() {
        let packs = Packs::builtin().unwrap();
        let mut s = String::new();
        for p in &packs.principles {
            s.push_str(&format!(
                "<h2 class=\"p\">{}</h2>\n",
                p.title.replace('\'', "&#39;")
            ));
        }
        assert_eq!(rules(&s, "sha256:x"), vec![]);
        // A word inside a longer one (P10, UP5) is not the id.
        assert!(!names_principle("UP5 and P10", "P5", "zzz"));
        assert!(names_principle("Principle P5 — customisation", "P5", "zzz"));
    }

    #[test]
    fn missing_heading_and_placeholders_are_found() {
        let text = doc("").replace("## P6:", "Paragraph P6:");
        assert_eq!(rules(&text, "d"), vec![("strategy_section", 1)]);
        let text =
            doc("TODO: fill in.\n[Insert budget] here. Lorem Ipsum.\nTODOS and todo are fine.\n");
        let r = rules(&text, "d");
        assert_eq!(
            r.iter()
                .filter(|(r, _)| *r == "strategy_placeholder")
                .count(),
            3,
            "{r:?}"
        );
    }
}
