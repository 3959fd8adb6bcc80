//! Releasable versions (`--max-classification`): the inventory cut down to the workloads at
//! or below a level before anything is scored or planned, so every count, mean, cost, chart,
//! wave and sentence is built from the released workloads alone.
//!
//! A released workload's dependencies on withheld ones are dropped with them: keeping an edge
//! would keep a withheld id, or at least its existence, in the plan. The release is planned
//! as if the withheld workloads were not in the inventory, so a released workload's wave and
//! effort may differ from the full version's; the full version's plan is the one that governs.

use crate::inventory::{Field, FieldValue, Inventory, fid};
use crate::render::strategy::adopt::class_of;

/// What a release left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    /// Index into `CLASSIFICATIONS`.
    pub level: usize,
    /// Workloads withheld.
    pub left_out: usize,
}

/// Withholds every workload of `inv` classified above `level` (an unrecorded classification
/// counts as `assumed`, as planning counts it) and every dependency on one.
pub fn cut(inv: &mut Inventory, level: usize, assumed: usize) -> Cut {
    let before = inv.workloads.len();
    inv.workloads.retain(|w| {
        let class = w.text_ref(fid::CLASSIFICATION);
        class_of(class.as_deref(), assumed) <= level
    });
    let left_out = before - inv.workloads.len();
    if left_out > 0 {
        let kept: Vec<String> = inv.workloads.iter().map(|w| w.id.clone()).collect();
        for w in &mut inv.workloads {
            let Some(f) = w.get(fid::DEPENDENCIES) else {
                continue;
            };
            let FieldValue::List(deps) = &f.value else {
                continue;
            };
            if deps
                .iter()
                .all(|(d, _)| kept.binary_search_by(|k| (**k).cmp(d)).is_ok())
            {
                continue;
            }
            let value = FieldValue::List(
                deps.iter()
                    .filter(|(d, _)| kept.binary_search_by(|k| (**k).cmp(d)).is_ok())
                    .cloned()
                    .collect(),
            );
            let loc = f.loc;
            w.set(fid::DEPENDENCIES, Some(Field { value, loc }));
        }
        // Notes found while loading (dependency cycles) may name withheld workloads.
        inv.notes.clear();
    }
    Cut { level, left_out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Loc;
    use crate::inventory::{Workload, field_id};
    use std::sync::Arc;

    fn workload(id: &str, class: Option<u8>, deps: &[&str]) -> Workload {
        let loc = Loc::new(0, 1, 1);
        let mut fields = Vec::new();
        if let Some(c) = class {
            fields.push((
                fid::CLASSIFICATION,
                Field {
                    value: FieldValue::Enum(c),
                    loc,
                },
            ));
        }
        if !deps.is_empty() {
            let list = deps.iter().map(|d| (Arc::<str>::from(*d), loc)).collect();
            fields.push((
                field_id("dependencies").unwrap(),
                Field {
                    value: FieldValue::List(list),
                    loc,
                },
            ));
        }
        Workload::with_fields(id, id, loc, fields)
    }

    fn deps(w: &Workload) -> Vec<&str> {
        w.dependencies().iter().map(|(d, _)| &**d).collect()
    }

    #[test]
    fn a_cut_withholds_what_is_above_the_level_and_every_edge_to_it() {
        let mut inv = Inventory {
            workloads: vec![
                workload("a-official", Some(1), &["b-secret", "c-protected"]),
                workload("b-secret", Some(4), &["c-protected"]),
                workload("c-protected", Some(3), &[]),
                workload("d-unrecorded", None, &["b-secret"]),
            ],
            ..Inventory::default()
        };
        // Unrecorded counts as PROTECTED: it stays at PROTECTED.
        let cut = cut(&mut inv, 3, 3);
        assert_eq!(
            cut,
            Cut {
                level: 3,
                left_out: 1
            }
        );
        let ids: Vec<&str> = inv.workloads.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(ids, ["a-official", "c-protected", "d-unrecorded"]);
        assert_eq!(deps(&inv.workloads[0]), ["c-protected"]);
        assert!(deps(&inv.workloads[2]).is_empty());
    }

    #[test]
    fn an_unrecorded_classification_is_withheld_when_assumed_above_the_level() {
        let mut inv = Inventory {
            workloads: vec![workload("a", Some(0), &["b"]), workload("b", None, &[])],
            ..Inventory::default()
        };
        assert_eq!(cut(&mut inv, 1, 3).left_out, 1);
        assert_eq!(inv.workloads.len(), 1);
        assert!(deps(&inv.workloads[0]).is_empty());
    }

    #[test]
    fn a_cut_that_withholds_nothing_changes_nothing() {
        let mut inv = Inventory {
            workloads: vec![workload("a", Some(5), &["b"]), workload("b", Some(0), &[])],
            ..Inventory::default()
        };
        assert_eq!(cut(&mut inv, 5, 3).left_out, 0);
        assert_eq!(deps(&inv.workloads[0]), ["b"]);
    }
}
