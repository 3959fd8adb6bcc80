//! The assess stage through to the bytes: the document in one of the `assess` formats,
//! written where the run says.

use super::Settings;
use crate::assessment::ReleaseDoc;
use crate::diagnostic::did_you_mean;
use crate::error::{Error, Result};
use crate::inventory::Inventory;
use crate::output::Output;
use crate::render::strategy::adopt;
use crate::render::{self, Format, Style};

impl Settings {
    /// Writes the assessment of `inv` (the workloads `only` names; all when empty) in
    /// `format` to `out`, sealed as the format is. `release`: `inv` is a releasable version
    /// ([`Settings::release`]), and the document says so.
    pub fn write_assessment(
        &self,
        inv: &Inventory,
        only: &[String],
        release: Option<ReleaseDoc>,
        format: Format,
        style: Style,
        out: &Output,
    ) -> Result<()> {
        if format == Format::Xlsx {
            let mut doc = self.assess(inv, only);
            doc.release = release;
            // A release's inventory is already cut: nothing in it is above its level.
            let inputs = adopt::Inputs {
                assumed_classification: self.rules.hosting.assume_classification,
                ..adopt::Inputs::default()
            };
            let marking = adopt::marking(&doc, &inputs).text;
            return render::xlsx::write(&doc, inv, marking, out);
        }
        let mut doc = self.stream(inv, only);
        doc.head.release = release;
        match format {
            // Text for people is made whole, then written with its colour kept.
            Format::Table | Format::Markdown => {
                let mut text = Vec::new();
                render::render_to(doc, format, style, &mut text)
                    .map_err(|e| Error::io("<output>", e))?;
                out.write_text(&String::from_utf8_lossy(&text), format.seal())
            }
            // Far larger than the inventory: each workload's entry is made, written and
            // dropped in turn (JSON, CSV), or the document streamed as it is written (YAML).
            _ => out.stream(format.seal(), |w| render::render_to(doc, format, style, w)),
        }
    }
}

/// Refuses a `--workload` the inventory does not hold, with the closest id it does.
pub fn known_workloads(inv: &Inventory, only: &[String]) -> Result<()> {
    for id in only {
        if inv.index_of(id).is_none() {
            let hint = did_you_mean(id, inv.workloads.iter().map(|w| w.id.as_str()))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(Error::Usage(format!(
                "--workload `{id}` is not in the inventory{hint}"
            )));
        }
    }
    Ok(())
}
