//! The protective marking a strategy document carries: the highest PSPF classification of the
//! workloads it describes, since the document aggregates what it says about each of them.

use crate::assessment::Assessment;
use crate::inventory::CLASSIFICATIONS;

/// The highest classification among the document's workloads. `OFFICIAL` when none records
/// one: a government strategy draft is at least OFFICIAL information.
pub fn marking(doc: &Assessment) -> &'static str {
    doc.workloads
        .iter()
        .filter_map(|w| w.classification.as_deref())
        .filter_map(|c| CLASSIFICATIONS.iter().position(|k| *k == c))
        .max()
        .map_or("OFFICIAL", |i| CLASSIFICATIONS[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Packs;
    use crate::score::{Context, Detail};

    fn marking_of(yaml: &str) -> &'static str {
        let inv = crate::load::load_from_bytes(
            &[("inv.yaml".into(), yaml.as_bytes().to_vec())],
            &Default::default(),
        )
        .unwrap();
        let packs = Packs::load(None).unwrap();
        let scores =
            crate::assessment::assess(&inv, &packs, &Context::default(), &[], Detail::Totals);
        marking(&crate::assessment::build(&inv, &packs, &scores, None))
    }

    #[test]
    fn the_highest_classification_present_marks_the_document() {
        let head = "schema: cloudready/v1\nagency: {name: A}\nworkloads:\n";
        let w =
            |id: &str, c: &str| format!("  - {{id: {id}, name: {id}, classification: \"{c}\"}}\n");
        let two = format!("{head}{}{}", w("a", "OFFICIAL"), w("b", "PROTECTED"));
        assert_eq!(marking_of(&two), "PROTECTED");
        let sens = format!(
            "{head}{}{}",
            w("a", "OFFICIAL: Sensitive"),
            w("b", "UNOFFICIAL")
        );
        assert_eq!(marking_of(&sens), "OFFICIAL: Sensitive");
        assert_eq!(
            marking_of(&format!("{head}  - {{id: a, name: A}}\n")),
            "OFFICIAL"
        );
    }
}
