//! Failed blockers: a criterion marked `blocker: true` whose answer fails makes the workload not
//! ready whatever its score. Each is reported at its field in the inventory.

use super::Gate;
use crate::diagnostic::{Diagnostic, Severity};
use crate::inventory::FIELDS;

pub(crate) fn check(gate: &mut Gate) {
    let severity = if gate.input.settings.config.check.fail_on_blockers {
        Severity::Error
    } else {
        Severity::Warning
    };
    for s in gate.input.scores {
        let w = s.workload;
        for p in s.packs() {
            for c in &p.criteria {
                if !c.blocking {
                    continue;
                }
                gate.case(&w.id, &c.criterion.id);
                if !c.failed_blocker() {
                    continue;
                }
                let answer = c.answer.as_deref().unwrap_or("?");
                let field = FIELDS[c.criterion.field].path;
                let advice = c.advice.map(|a| format!(" {a}")).unwrap_or_default();
                let d = Diagnostic {
                    severity,
                    workload: Some(w.id.clone()),
                    ..Diagnostic::error(
                        c.loc.or(Some(w.id_loc)),
                        format!(
                            "blocker `{}` failed ({field}: {answer}): {}{advice}",
                            c.criterion.id, c.finding
                        ),
                    )
                    .rule(c.criterion.id.clone())
                };
                gate.push(&w.id, d);
            }
        }
    }
}
