//! Markdown: the portfolio table and, per workload, its blockers and biggest gaps.

use std::fmt::Write as _;

use super::number::score_cell as cell_score;
use crate::assessment::{Assessment, CriterionDoc, WorkloadDoc};
use crate::score::Status;

/// Escapes text for a markdown table cell or paragraph (and replaces control characters).
pub fn esc(s: &str) -> String {
    crate::text::markdown(s)
}

pub fn render(doc: &Assessment) -> String {
    let mut o = String::new();
    summary(&mut o, doc);
    let _ = writeln!(o, "\n## Workloads\n");
    for w in &doc.workloads {
        workload(&mut o, w);
    }
    o
}

/// What a releasable version says about what it left out: how many, and nothing else.
pub fn release_line(r: &crate::assessment::ReleaseDoc) -> String {
    format!(
        "Releasable version at {}: {} classified above it {} left out of every count and score, and the plan is made as if {} not in the inventory.",
        r.level,
        super::table::count(r.left_out, "workload"),
        if r.left_out == 1 { "is" } else { "are" },
        if r.left_out == 1 {
            "it were"
        } else {
            "they were"
        },
    )
}

/// The title, the portfolio's counts and one table row per workload.
fn summary(o: &mut String, doc: &Assessment) {
    let _ = writeln!(o, "# Cloud readiness: {}\n", esc(doc.agency.name));
    if let Some(r) = &doc.release {
        let _ = writeln!(o, "*{}*\n", release_line(r));
    }
    let p = &doc.portfolio;
    let _ = writeln!(
        o,
        "{}; portfolio score {}. {} ready, {} conditional, {} not ready, {} unknown.\n",
        super::table::count(p.workloads, "workload"),
        cell_score(p.overall),
        p.bands.ready,
        p.bands.conditional,
        p.bands.not_ready,
        p.bands.unknown
    );
    let ids: Vec<&str> = p
        .principles
        .iter()
        .map(|x| x.id)
        .chain(std::iter::once(p.framework.id))
        .collect();
    let _ = writeln!(
        o,
        "| Workload | {} | Overall | Confidence | Band |",
        ids.join(" | ")
    );
    let _ = writeln!(o, "|---|{}---:|---:|---|", "---:|".repeat(ids.len()));
    for w in &doc.workloads {
        let scores: Vec<String> = w
            .principles
            .iter()
            .chain(std::iter::once(&w.framework))
            .map(|x| cell_score(x.score))
            .collect();
        let _ = writeln!(
            o,
            "| {} ({}) | {} | {} | {}% | {} |",
            esc(w.name),
            esc(w.id),
            scores.join(" | "),
            cell_score(w.overall),
            super::number::percent(w.confidence),
            w.band.as_str()
        );
    }
}

/// One workload's section: its plan, blockers and biggest gaps.
fn workload(o: &mut String, w: &WorkloadDoc) {
    let _ = writeln!(o, "### {} (`{}`): {}\n", esc(w.name), w.id, w.band.as_str());
    plan(o, w);
    let crits: Vec<CriterionDoc> = w
        .principles
        .iter()
        .chain(std::iter::once(&w.framework))
        .flat_map(|p| p.criteria.iter())
        .collect();
    for b in &w.blockers {
        if let Some(c) = crits.iter().find(|c| c.id == *b) {
            let _ = writeln!(
                o,
                "- **Blocker {}**: {} {}",
                c.id,
                esc(&c.finding),
                esc(c.advice.unwrap_or(""))
            );
        }
    }
    let mut gaps: Vec<&CriterionDoc> = crits.iter().filter(|c| c.status == Status::Gap).collect();
    gaps.sort_by_key(|c| (c.score, c.id));
    for c in gaps.iter().take(5) {
        let _ = writeln!(
            o,
            "- {} ({}): {} {}",
            c.id,
            c.score.unwrap_or(0),
            esc(&c.finding),
            esc(c.advice.unwrap_or(""))
        );
    }
    let unknown = crits.iter().filter(|c| c.status == Status::Unknown).count();
    if unknown > 0 {
        let _ = writeln!(
            o,
            "- {unknown} criteria unknown: record the missing facts to raise confidence."
        );
    }
    let _ = writeln!(o);
}

/// A workload's strategy, wave and allowed hosting.
fn plan(o: &mut String, w: &WorkloadDoc) {
    if let Some(s) = &w.strategy {
        let wave = match (w.wave, s.wave_reason.as_deref()) {
            (Some(v), Some(why)) => format!("wave {v} ({})", esc(why)),
            (Some(v), None) => format!("wave {v}"),
            (None, _) => "no wave".to_string(),
        };
        let _ = writeln!(
            o,
            "**Strategy:** {}. {}{}\n\n**Moves:** {wave}, as {}, effort {} ({}).\n",
            s.recommended,
            esc(s.reason),
            s.note
                .as_deref()
                .map(|n| format!(" *{}*", esc(n)))
                .unwrap_or_default(),
            s.adopted,
            s.effort.size,
            esc(s.effort.reason.trim_end_matches('.'))
        );
    }
    if let Some(h) = &w.hosting {
        let _ = writeln!(o, "**Hosting allowed:** {}\n", h.allowed.join(", "));
        if !h.providers.is_empty() {
            let _ = writeln!(o, "**Providers:** {}\n", h.providers.join(", "));
        }
        if let Some(why) = &h.providers_reason {
            let _ = writeln!(o, "**Providers left out:** {}\n", esc(why));
        }
    }
}
