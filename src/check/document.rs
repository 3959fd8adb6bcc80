//! `check --strategy DOC`: is a strategy document complete (a heading for each of the seven
//! principles, no placeholder text) and current (generated from the inventory given)?
//! Works on markdown and HTML alike.

use super::{Gate, RuleBook};
use crate::diagnostic::{Diagnostic, Loc};
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
    Some(crate::text::strip_tags(&t[at..]))
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

/// Words too common to tell one principle's title from another's.
const COMMON: &[&str] = &[
    "the", "and", "for", "with", "use", "using", "as", "of", "in", "to", "a", "an", "they", "our",
    "we", "when", "what", "possible", "much", "cloud", "services", "service",
];

/// A title's telling words, cut to a stem so "customisation" meets "customise".
fn stems(s: &str) -> Vec<String> {
    normalise(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 4 && !COMMON.contains(w))
        .map(|w| w.chars().take(6).collect())
        .collect()
}

/// Whether a heading names a principle as people write one: its id (`P5`), "Principle 5",
/// its official title, or a close wording of it (at least two of the title's telling words
/// and half of them, as in "Avoid unnecessary customisation").
fn names_principle(heading: &str, id: &str, title: &str) -> bool {
    if !occurrences(heading, id, true).is_empty() || normalise(heading).contains(&normalise(title))
    {
        return true;
    }
    let number: String = id.chars().filter(char::is_ascii_digit).collect();
    let h = normalise(heading);
    if !number.is_empty() {
        for at in occurrences(&h, "principle", true) {
            let rest = h[at + "principle".len()..]
                .trim_start_matches(|c: char| c.is_whitespace() || c == '#' || c == '.' || c == ':')
                .trim_start_matches("no.")
                .trim_start();
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if digits == number {
                return true;
            }
        }
    }
    let want = stems(title);
    let have = stems(heading);
    let hits = want.iter().filter(|w| have.contains(w)).count();
    hits >= 2 && hits * 2 >= want.len()
}

/// The marker the strategy templates put beside every prompt for the agency's own words.
pub const PROMPT: &str = "<!-- cloudready:prompt ";

/// The visible text of the prompt whose marker starts at `at`: from the last "To complete:"
/// before it (a line may hold several prompts), markup taken out.
fn prompt_text(line: &str, at: usize) -> String {
    let before = &line[..at];
    let from = before
        .rfind("To complete:")
        .map_or(0, |i| i + "To complete:".len());
    let plain = crate::text::strip_tags(&before[from..]).replace("**", "");
    let plain = plain.trim().trim_start_matches('>').trim();
    plain.chars().take(120).collect()
}

/// Lints every `--strategy` document of the run; each joins the run's sources so its findings
/// point at their line.
pub(crate) fn check_all(gate: &mut Gate, book: &RuleBook) {
    if gate.input.documents.is_empty() {
        return;
    }
    let digest = crate::digest::inventory_digest(&gate.input.inventory.sources);
    // Names from the inventory may hold a word like TODO ("TODO List Service"): a generated
    // draft that quotes them is not unfinished.
    let inv = gate.input.inventory;
    let names: Vec<&str> = inv
        .workloads
        .iter()
        .map(|w| w.name.as_str())
        .chain(std::iter::once(inv.agency.name.as_str()))
        .chain(inv.agency.abbreviation.as_deref())
        .collect();
    for (path, text) in gate.input.documents {
        for rule in [
            "strategy_section",
            "strategy_placeholder",
            "strategy_stale",
            "strategy_prompt",
        ] {
            gate.case(path, rule);
        }
        let file = gate.sources.add(path.clone(), text.clone());
        let regenerate = gate.input.regenerate.replace("{doc}", path);
        for (rule, message, line, column) in
            check_with_inventory(text, gate.packs, book, &digest, &regenerate, &names)
        {
            let d = Diagnostic::error(Loc::new(file, line, column), message).rule(rule);
            // A prompt left for the agency's own words does not fail the check.
            let d = if rule == "strategy_prompt" {
                Diagnostic {
                    severity: crate::diagnostic::Severity::Warning,
                    ..d
                }
            } else {
                d
            };
            gate.push(path, d);
        }
    }
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

    // Prompts the draft left for the agency's own words: warnings, so an untouched draft passes.
    for (n, line) in text.lines().enumerate() {
        for at in occurrences(line, PROMPT, false) {
            let key = line[at + PROMPT.len()..]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string();
            let column = line[..at].chars().count() + 1;
            problems.push((
                "strategy_prompt",
                format!(
                    "unfilled prompt `{key}`: {}; write it under [strategy] in cloudready.toml and regenerate, or in the document",
                    prompt_text(line, at)
                ),
                n as u32 + 1,
                column as u32,
            ));
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
    fn headings_as_people_write_them() {
        let title = "Avoid customisation and use services 'as they come'";
        for h in [
            "Principle 5: Avoid unnecessary customisation",
            "Principle 5",
            "P5",
            "5. Principle no. 5",
            "Avoid unnecessary customisation",
            "Use services as they come and avoid customising them",
        ] {
            assert!(names_principle(h, "P5", title), "{h}");
        }
        for h in [
            "Principle 50",
            "Principle 4: Use as much of the cloud as possible",
            "Use public cloud services as the default",
            "Customer service",
        ] {
            assert!(!names_principle(h, "P5", title), "{h}");
        }
    }

    #[test]
    fn prompts_are_warnings_with_their_text() {
        let text = doc(
            "> **To complete:** the agency's vision. <!-- cloudready:prompt strategy.vision -->\n\
             <td><span class=\"prompt\"><strong>To complete:</strong> target <!-- cloudready:prompt strategy.outcomes.target --></span></td>\n",
        );
        let packs = Packs::builtin().unwrap();
        let book = RuleBook::builtin().unwrap();
        let found: Vec<Problem> = check(&text, &packs, &book, "d", "r")
            .into_iter()
            .filter(|p| p.0 == "strategy_prompt")
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0]
                .1
                .contains("`strategy.vision`: the agency's vision."),
            "{}",
            found[0].1
        );
        assert!(
            found[1].1.contains("`strategy.outcomes.target`: target;"),
            "{}",
            found[1].1
        );
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
