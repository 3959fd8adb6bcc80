//! Waivers past their date: an expired waiver stops waiving, and is itself reported (at its
//! `expires` line in the settings file) so it is renewed or removed on purpose.

use super::Gate;
use crate::diagnostic::Diagnostic;

pub(crate) fn check(gate: &mut Gate) {
    let waivers = gate.input.settings.config.waivers.clone();
    for w in &waivers {
        gate.case(&w.workload, "waiver_expired");
        if w.valid_on(gate.today) {
            continue;
        }
        let d = Diagnostic {
            workload: Some(w.workload.clone()),
            group: Some(w.workload.clone()),
            ..Diagnostic::error(
                gate.config_loc(w.loc),
                format!(
                    "the waiver of `{}` for `{}` expired on {} (approved by {}: {}); it no longer waives anything",
                    w.rule, w.workload, w.expires, w.approved_by, w.reason
                ),
            )
            .rule("waiver_expired")
        };
        // Not through `push`: a waiver cannot waive its own expiry.
        gate.diagnostics.push(d);
    }
}
