//! Migration strategy (the 7 Rs) and effort, from `strategies.yaml`: an ordered decision table,
//! first match wins; then a t-shirt size from the strategy's base size and adjustments.

use crate::diagnostic::{Diagnostic, FileId, Loc};
use crate::domain::{Effort, Strategy};

use super::cond::{self, Cond, Facts, Scope};
use super::data::{self, Diags};

#[derive(Debug, Clone)]
pub struct StrategyRule {
    pub id: String,
    pub when: Cond,
    pub strategy: Strategy,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct EffortStep {
    pub when: Cond,
    /// Strategies it applies to (all when empty).
    pub strategies: Vec<Strategy>,
    pub step: i64,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct StrategyRules {
    pub rules: Vec<StrategyRule>,
    /// Base size per strategy (indexed like `Strategy::ALL`).
    pub base: Vec<Effort>,
    pub adjust: Vec<EffortStep>,
    /// Points per size (indexed like `Effort::ALL`), for sums per wave.
    pub points: Vec<f64>,
}

pub const HINT: &str =
    "see `cloudready principles strategies` and principles/strategies.yaml for the format";

fn size(n: &crate::load::node::Node, d: &mut Diags) -> Option<Effort> {
    let t = data::text(n, "a size", d)?;
    data::one_of(&t, n.loc, Effort::NAMES, "a size", d).and_then(Effort::from_index)
}

fn strategy(t: &str, at: Loc, d: &mut Diags) -> Option<Strategy> {
    data::one_of(t, at, Strategy::NAMES, "one of the 7 Rs", d).and_then(Strategy::from_index)
}

pub fn compile(file: FileId, text: &str) -> Result<StrategyRules, Diags> {
    let root = data::parse(file, text, "strategy rules", HINT)?;
    let mut d = Vec::new();
    let top = data::map(&root, &["rules", "effort"], "strategies.yaml", &mut d);
    let at = Loc::new(file, 1, 1);
    let mut rules = Vec::new();
    if let Some(n) = data::need(&top, "rules", at, "strategies.yaml", &mut d) {
        let items = data::seq(n, "`rules`", &mut d);
        for r in items {
            let m = data::map(
                r,
                &["id", "when", "strategy", "reason"],
                "a strategy rule",
                &mut d,
            );
            let id = data::need(&m, "id", r.loc, "a strategy rule", &mut d)
                .and_then(|n| data::text(n, "`id`", &mut d));
            let when = data::need(&m, "when", r.loc, "a strategy rule", &mut d)
                .map(|w| cond::compile(w, Scope::FieldsAndScores, &mut d))
                .unwrap_or_default();
            let strategy =
                data::need(&m, "strategy", r.loc, "a strategy rule", &mut d).and_then(|n| {
                    let t = data::text(n, "`strategy`", &mut d)?;
                    strategy(&t, n.loc, &mut d)
                });
            let reason = data::need(&m, "reason", r.loc, "a strategy rule", &mut d)
                .and_then(|n| data::text(n, "`reason`", &mut d));
            if let (Some(id), Some(strategy), Some(reason)) = (id, strategy, reason) {
                if rules.iter().any(|x: &StrategyRule| x.id == id) {
                    d.push(Diagnostic::error(
                        r.loc,
                        format!("strategy rule `{id}` is defined twice"),
                    ));
                }
                rules.push(StrategyRule {
                    id,
                    when,
                    strategy,
                    reason,
                });
            }
        }
        // Every workload must get a strategy: the table ends with a rule that always holds.
        if let Some(last) = items.last()
            && rules.last().is_some_and(|r| !r.when.is_always())
        {
            d.push(
                Diagnostic::error(last.loc, "the last strategy rule must have `when: {}`")
                    .hint("end the table with a catch-all rule (e.g. rehost) so every workload gets a strategy"),
            );
        }
        if items.is_empty() {
            d.push(Diagnostic::error(n.loc, "`rules` needs at least one rule"));
        }
    }
    let (base, adjust, points) = match data::need(&top, "effort", at, "strategies.yaml", &mut d) {
        Some(e) => effort(e, &mut d),
        None => (
            vec![Effort::M; Strategy::ALL.len()],
            Vec::new(),
            vec![1.0, 3.0, 8.0, 20.0],
        ),
    };
    if !d.is_empty() {
        return Err(d);
    }
    Ok(StrategyRules {
        rules,
        base,
        adjust,
        points,
    })
}

/// The `effort` table: base sizes per strategy, adjustments and points per size.
fn effort(e: &crate::load::node::Node, d: &mut Diags) -> (Vec<Effort>, Vec<EffortStep>, Vec<f64>) {
    let mut base = vec![Effort::M; Strategy::ALL.len()];
    let mut adjust = Vec::new();
    let mut points = vec![1.0, 3.0, 8.0, 20.0];
    let em = data::map(e, &["base", "adjust", "points"], "`effort`", d);
    if let Some(b) = data::need(&em, "base", e.loc, "`effort`", d) {
        let bm = data::map(b, Strategy::NAMES, "`effort.base`", d);
        for s in Strategy::ALL {
            match data::get(&bm, s.as_str()) {
                Some(n) => {
                    if let Some(e) = size(n, d) {
                        base[s.index()] = e;
                    }
                }
                None if b.as_map().is_some() => d.push(Diagnostic::error(
                    b.loc,
                    format!("`effort.base` has no size for {s}"),
                )),
                None => {}
            }
        }
    }
    if let Some(p) = data::get(&em, "points") {
        let pm = data::map(p, Effort::NAMES, "`effort.points`", d);
        for (i, s) in Effort::NAMES.iter().enumerate() {
            if let Some(x) = data::get(&pm, s).and_then(|n| data::number(n, "a point value", d)) {
                points[i] = x;
            }
        }
    }
    if let Some(a) = data::get(&em, "adjust") {
        for r in data::seq(a, "`effort.adjust`", d) {
            adjust.push(effort_step(r, d));
        }
    }
    (base, adjust, points)
}

/// One `effort.adjust` entry.
fn effort_step(r: &crate::load::node::Node, d: &mut Diags) -> EffortStep {
    let m = data::map(
        r,
        &["when", "strategies", "step", "reason"],
        "an effort adjustment",
        d,
    );
    let strategies = data::get(&m, "strategies")
        .map(|n| {
            data::scalars(n, "`strategies`", d)
                .into_iter()
                .filter_map(|(s, l)| strategy(&s, l, d))
                .collect()
        })
        .unwrap_or_default();
    let when = data::need(&m, "when", r.loc, "an effort adjustment", d)
        .map(|w| cond::compile(w, Scope::FieldsAndScores, d))
        .unwrap_or_default();
    let step = data::get(&m, "step")
        .and_then(|n| data::number(n, "`step`", d))
        .map_or(1, |x| x as i64);
    let reason = data::need(&m, "reason", r.loc, "an effort adjustment", d)
        .and_then(|n| data::text(n, "`reason`", d))
        .unwrap_or_default();
    EffortStep {
        when,
        strategies,
        step,
        reason,
    }
}

/// The chosen rule (index into `rules`).
impl StrategyRules {
    pub fn choose(&self, f: &Facts) -> usize {
        // The last rule always holds (checked at load).
        self.rules
            .iter()
            .position(|r| r.when.holds(f))
            .unwrap_or(self.rules.len().saturating_sub(1))
    }

    /// The size, and its reason, of a workload moving by `strategy`.
    pub fn effort(&self, strategy: Strategy, f: &Facts) -> (Effort, String) {
        let base = self.base[strategy.index()];
        let mut s = base.index() as i64;
        let mut why = vec![format!("{strategy} starts at {base}")];
        for a in &self.adjust {
            if (a.strategies.is_empty() || a.strategies.contains(&strategy)) && a.when.holds(f) {
                s += a.step;
                why.push(format!(
                    "{}{}: {}",
                    if a.step >= 0 { "+" } else { "" },
                    a.step,
                    a.reason
                ));
            }
        }
        let s = Effort::ALL[s.clamp(0, Effort::ALL.len() as i64 - 1) as usize];
        let mut reason = why.join("; ");
        if why.len() > 1 {
            reason.push_str(&format!(" → {s}"));
        }
        reason.push('.');
        (s, reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILTIN: &str = crate::assets::STRATEGIES.text;

    #[test]
    fn builtin_rules_load_and_end_with_a_catch_all() {
        let r = compile(0, BUILTIN).unwrap_or_else(|d| panic!("{d:?}"));
        assert!(r.rules.last().unwrap().when.is_always());
        assert!(r.rules.len() >= 7);
    }

    #[test]
    fn a_table_without_a_catch_all_is_rejected() {
        let text = BUILTIN.replacen(
            "    when: {}\n    strategy: rehost",
            "    when: { band: ready }\n    strategy: rehost",
            1,
        );
        let d = compile(0, &text).unwrap_err();
        assert!(
            d.iter().any(|x| x.message.contains("must have `when: {}`")),
            "{d:?}"
        );
    }

    #[test]
    fn score_conditions_name_real_packs() {
        let text = BUILTIN.replacen("score.P2:", "score.P9:", 1);
        let d = compile(0, &text).unwrap_err();
        assert!(
            d[0].message.contains("`score.P9` is not a pack score"),
            "{d:?}"
        );
        assert!(
            d[0].hint.as_deref().unwrap_or("").contains("score.P"),
            "{d:?}"
        );
    }
}
