//! Migration strategy (the 7 Rs) and effort, from `strategies.yaml`: an ordered decision table,
//! first match wins; then a t-shirt size from the strategy's base size and adjustments.

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::datafile::{self, DataFile, Value};
use crate::diagnostic::{Diagnostic, FileId, Loc};
use crate::domain::{Effort, Strategy};

use super::cond::{self, Cond, Facts, Scope, When};

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

/// Advice a workload card leaves out when it does not fit the adopted move (no container advice
/// for a system being replaced by SaaS).
#[derive(Debug, Clone)]
pub struct AdviceFilter {
    pub id: String,
    /// Adopted strategies it applies to (all when empty).
    pub strategies: Vec<Strategy>,
    pub when: Cond,
    /// Criterion ids, or pack ids for all of a pack's criteria, each with where it is written.
    pub drop: Vec<(String, Loc)>,
    pub reason: String,
}

/// A foundation activity of wave 0, built before the first workload moves.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Foundation {
    pub id: String,
    pub activity: String,
}

#[derive(Debug, Clone)]
pub struct StrategyRules {
    pub rules: Vec<StrategyRule>,
    /// Wave 0's activities, in file order.
    pub foundation: Vec<Foundation>,
    pub card_advice: Vec<AdviceFilter>,
    /// Base size per strategy (indexed like `Strategy::ALL`).
    pub base: Vec<Effort>,
    pub adjust: Vec<EffortStep>,
    /// Points per size (indexed like `Effort::ALL`), for sums per wave.
    pub points: Vec<f64>,
}

pub const HINT: &str =
    "see `cloudready principles strategies` and principles/strategies.yaml for the format";

const KIND: datafile::Kind = datafile::Kind {
    what: "strategy rules",
    hint: HINT,
};

/// strategies.yaml as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StrategiesFile {
    rules: Spanned<Vec<Spanned<RuleFile>>>,
    effort: EffortFile,
    #[serde(default)]
    foundation: Vec<FoundationFile>,
    #[serde(default)]
    card_advice: Vec<AdviceFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FoundationFile {
    id: String,
    activity: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdviceFile {
    id: String,
    strategies: Option<Spanned<Value>>,
    #[serde(default)]
    when: When,
    drop: Spanned<Value>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    when: When,
    strategy: Spanned<String>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EffortFile {
    base: Spanned<Value>,
    #[serde(default)]
    adjust: Vec<AdjustFile>,
    points: Option<Spanned<Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustFile {
    when: When,
    strategies: Option<Spanned<Value>>,
    step: Option<Spanned<Value>>,
    reason: String,
}

pub fn compile(file: FileId, text: &str) -> Result<StrategyRules, Vec<Diagnostic>> {
    let (raw, mut f): (StrategiesFile, _) = DataFile::read(file, text, KIND)?;
    let rules = compile_rules(&mut f, &raw.rules);
    let base = compile_base(&mut f, &raw.effort.base);
    let mut points = vec![1.0, 3.0, 8.0, 20.0];
    if let Some(p) = &raw.effort.points
        && let Some(m) = f.entries(p, Effort::NAMES, "`effort.points`")
    {
        for (i, s) in Effort::NAMES.iter().enumerate() {
            let given = m.iter().find(|(k, _)| k == s).map(|(_, v)| *v);
            if let Some(x) = given.and_then(|v| f.number(v, "a point value")) {
                points[i] = x;
            }
        }
    }
    let adjust = raw
        .effort
        .adjust
        .iter()
        .map(|a| compile_adjust(&mut f, a))
        .collect();
    let foundation = raw
        .foundation
        .iter()
        .map(|x| Foundation {
            id: x.id.clone(),
            activity: x.activity.clone(),
        })
        .collect();
    let card_advice = raw
        .card_advice
        .iter()
        .map(|a| compile_advice(&mut f, a))
        .collect();
    f.finish(StrategyRules {
        rules,
        foundation,
        card_advice,
        base,
        adjust,
        points,
    })
}

fn compile_rules(f: &mut DataFile, items: &Spanned<Vec<Spanned<RuleFile>>>) -> Vec<StrategyRule> {
    let mut rules: Vec<StrategyRule> = Vec::new();
    for r in &items.value {
        let when = cond::compile(&r.value.when, Scope::FieldsAndScores, f);
        let strategy = f
            .pick(&r.value.strategy, Strategy::NAMES, "one of the 7 Rs")
            .and_then(Strategy::from_index);
        if let Some(strategy) = strategy {
            let id = r.value.id.clone();
            if rules.iter().any(|x| x.id == id) {
                f.error(f.at(r), format!("strategy rule `{id}` is defined twice"));
            }
            rules.push(StrategyRule {
                id,
                when,
                strategy,
                reason: r.value.reason.clone(),
            });
        }
    }
    // Every workload must get a strategy: the table ends with a rule that always holds.
    if let Some(last) = items.value.last()
        && rules.last().is_some_and(|r| !r.when.is_always())
    {
        f.error_hint(
            f.at(last),
            "the last strategy rule must have `when: {}`",
            "end the table with a catch-all rule (e.g. rehost) so every workload gets a strategy",
        );
    }
    if items.value.is_empty() {
        f.error(f.at(items), "`rules` needs at least one rule");
    }
    rules
}

/// The base size of each strategy (every one needs one).
fn compile_base(f: &mut DataFile, b: &Spanned<Value>) -> Vec<Effort> {
    let mut base = vec![Effort::M; Strategy::ALL.len()];
    let Some(m) = f.entries(b, Strategy::NAMES, "`effort.base`") else {
        return base;
    };
    for (i, s) in Strategy::NAMES.iter().enumerate() {
        match m.iter().find(|(k, _)| k == s) {
            Some((_, v)) => {
                let size = f
                    .text(v, "a size")
                    .and_then(|t| f.one_of(&t, f.at(v), Effort::NAMES, "a size"))
                    .and_then(Effort::from_index);
                if let Some(size) = size {
                    base[i] = size;
                }
            }
            None => f.error(f.at(b), format!("`effort.base` has no size for {s}")),
        }
    }
    base
}

fn strategies(f: &mut DataFile, v: Option<&Spanned<Value>>) -> Vec<Strategy> {
    v.map(|v| {
        f.values(v, "`strategies`")
            .into_iter()
            .filter_map(|(s, l)| f.one_of(&s, l, Strategy::NAMES, "one of the 7 Rs"))
            .filter_map(Strategy::from_index)
            .collect()
    })
    .unwrap_or_default()
}

fn compile_advice(f: &mut DataFile, a: &AdviceFile) -> AdviceFilter {
    let strategies = strategies(f, a.strategies.as_ref());
    let when = cond::compile(&a.when, Scope::FieldsAndScores, f);
    let drop = f.values(&a.drop, "`drop`");
    if drop.is_empty() {
        f.error(
            f.at(&a.drop),
            "`drop` needs at least one criterion or pack id",
        );
    }
    AdviceFilter {
        id: a.id.clone(),
        strategies,
        when,
        drop,
        reason: a.reason.clone(),
    }
}

fn compile_adjust(f: &mut DataFile, a: &AdjustFile) -> EffortStep {
    let strategies = strategies(f, a.strategies.as_ref());
    let when = cond::compile(&a.when, Scope::FieldsAndScores, f);
    let step = a
        .step
        .as_ref()
        .and_then(|v| f.number(v, "`step`"))
        .map_or(1, |x| x as i64);
    EffortStep {
        when,
        strategies,
        step,
        reason: a.reason.clone(),
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

    /// The criterion and pack ids whose advice does not fit a workload moving by `adopted`.
    pub fn advice_left_out(&self, adopted: Strategy, f: &Facts) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for a in &self.card_advice {
            if (a.strategies.is_empty() || a.strategies.contains(&adopted)) && a.when.holds(f) {
                out.extend(a.drop.iter().map(|(id, _)| id.as_str()));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
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

    #[test]
    fn an_unknown_key_in_a_rule_is_reported_at_its_line_with_a_suggestion() {
        let text = BUILTIN.replacen("    reason: Nobody uses it", "    reasn: Nobody uses it", 1);
        let line = text.lines().position(|l| l.contains("reasn:")).unwrap() as u32 + 1;
        let d = compile(0, &text).unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].loc.map(|l| (l.line, l.col)), Some((line, 5)));
        assert_eq!(d[0].message, "invalid strategy rules: unknown key `reasn`");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `reason`?"));
    }
}
