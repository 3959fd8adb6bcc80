//! The `[check]` bar: `max_unknown`, `min_workload` and `min_principle` per workload,
//! `min_overall` for the portfolio. Numbers in messages are shown as every output shows them.

use super::{Gate, PORTFOLIO_GROUP};
use crate::diagnostic::{Diagnostic, Loc, Sources};
use crate::inventory::fmt_number;
use crate::render::number;
use crate::score::Readiness;

pub(crate) fn check(gate: &mut Gate) {
    let cfg = gate.input.settings.config.check.clone();
    for s in gate.input.scores {
        let w = s.workload;
        let at = Some(w.id_loc);
        let finding = |code: &'static str, message: String| Diagnostic {
            workload: Some(w.id.clone()),
            ..Diagnostic::error(at, message).rule(code)
        };
        // A workload whose score cannot be relied on is judged by how much is unknown.
        let unknown = s.overall.is_none() || s.band == Readiness::Unknown;
        if let Some(max) = cfg.max_unknown {
            gate.case(&w.id, "max_unknown");
            let share = 1.0 - s.confidence;
            if share > max + 1e-9 {
                gate.push(
                    &w.id,
                    finding(
                        "max_unknown",
                        format!(
                            "{}% of the criterion weight is unknown (max_unknown allows {}%)",
                            number::percent(share),
                            fmt_number(max * 100.0)
                        ),
                    ),
                );
            }
        }
        if let (Some(min), false) = (cfg.min_workload, unknown) {
            gate.case(&w.id, "min_workload");
            let o = s.overall.unwrap_or(0.0);
            if o < min {
                gate.push(
                    &w.id,
                    finding(
                        "min_workload",
                        format!(
                            "overall score {} is below min_workload {}",
                            number::score(o),
                            fmt_number(min)
                        ),
                    ),
                );
            }
        }
        if unknown {
            continue;
        }
        for (pid, min, _) in &cfg.min_principle {
            let Some(score) = s
                .principles
                .iter()
                .find(|p| &p.pack.id == pid)
                .and_then(|p| p.score)
            else {
                continue;
            };
            gate.case(&w.id, "min_principle");
            if score < *min {
                gate.push(
                    &w.id,
                    finding(
                        "min_principle",
                        format!(
                            "{pid} score {} is below min_principle {pid} = {}",
                            number::score(score),
                            fmt_number(*min)
                        ),
                    ),
                );
            }
        }
    }

    if let Some(min) = cfg.min_overall {
        gate.case(PORTFOLIO_GROUP, "min_overall");
        // The portfolio score every other output shows.
        let message = match gate.input.document.portfolio.overall {
            Some(m) if m >= min => None,
            Some(m) => Some(format!(
                "portfolio mean overall score {} is below min_overall {}",
                number::score(m),
                fmt_number(min)
            )),
            None => Some(format!(
                "no workload has a score, so the portfolio cannot meet min_overall {}",
                fmt_number(min)
            )),
        };
        if let Some(m) = message {
            let at = agency_location(&gate.sources);
            gate.push(
                PORTFOLIO_GROUP,
                Diagnostic::error(at, m).rule("min_overall"),
            );
        }
    }
}

/// Where the portfolio is described: the first file's `agency` line, else its first line.
fn agency_location(sources: &Sources) -> Option<Loc> {
    let f = sources.get(0)?;
    let line = f
        .text
        .lines()
        .position(|l| l.starts_with("agency") || l.trim_start().starts_with("\"agency\""))
        .map_or(1, |i| i + 1);
    let column = f
        .text
        .lines()
        .nth(line - 1)
        .map_or(1, |l| l.len() - l.trim_start().len() + 1);
    Some(Loc::new(0, line as u32, column as u32))
}
