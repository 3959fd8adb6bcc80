//! `cloudready.toml`: an agency's own weights, the bar `check` holds the portfolio to, planning
//! limits, and waivers (risk-based decisions, recorded with who approved them and until when).
//!
//! Every setting has a default, so no file is needed. Errors point at the file, line and column
//! with a hint, like inventory errors.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Code, Diagnostic, FileId, Loc, Sources, did_you_mean};
use crate::error::{Error, Result};
use crate::inventory::Date;
use crate::pack::Packs;

/// What waivers and findings about the whole portfolio name instead of a workload.
pub const PORTFOLIO: &str = "portfolio";

/// The file looked for in the current directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "cloudready.toml";

/// The `[check]` keys that are also rule ids of threshold findings.
pub const THRESHOLD_RULES: [&str; 4] = [
    "min_overall",
    "min_workload",
    "min_principle",
    "max_unknown",
];

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file as read (empty when defaults are used), for diagnostics and locations.
    pub sources: Sources,
    /// The path as given, when a file was read.
    pub path: Option<String>,
    /// Pack id → weight, with where it is written.
    pub weights: Vec<(String, f64, Loc)>,
    pub check: CheckConfig,
    pub plan: PlanConfig,
    pub waivers: Vec<Waiver>,
    /// The agency's own words for the strategy document (`[strategy]`).
    pub strategy: StrategyConfig,
}

/// `[strategy]`: what only the agency can say. Every value is optional: the draft writes a
/// marked prompt where one is missing, and `check --strategy` lists the prompts left.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct StrategyConfig {
    pub vision: Option<String>,
    pub drivers: Vec<String>,
    pub outcomes: Vec<Outcome>,
    pub governance: Governance,
    /// Exit and portability approach.
    pub exit: Option<String>,
    /// AI readiness (the 2025 policy's requirement 2).
    pub ai: Option<String>,
    pub sustainability: Option<String>,
    pub skills: Option<String>,
    /// Cost management (FinOps) approach (requirement 4).
    pub finops: Option<String>,
}

/// One measurable outcome: what is measured, where it stands, where it should be, by when.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Outcome {
    pub name: Option<String>,
    pub measure: Option<String>,
    pub baseline: Option<String>,
    pub target: Option<String>,
    pub by: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Governance {
    /// The body that owns the strategy (e.g. a cloud steering group).
    pub body: Option<String>,
    /// The accountable executive.
    pub owner: Option<String>,
    /// How often the strategy is reviewed.
    pub review: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckConfig {
    /// Portfolio mean overall score must reach this (unset: not checked).
    pub min_overall: Option<f64>,
    /// Every workload with a score must reach this (unset: not checked).
    pub min_workload: Option<f64>,
    /// Pack id → minimum score of that principle, for every workload that has one.
    pub min_principle: Vec<(String, f64, Loc)>,
    /// Largest tolerated share (0..1) of a workload's criterion weight that is unknown.
    pub max_unknown: Option<f64>,
    /// Failed blockers are errors (true) or warnings (false).
    pub fail_on_blockers: bool,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            min_overall: None,
            min_workload: None,
            min_principle: Vec::new(),
            max_unknown: None,
            fail_on_blockers: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanConfig {
    /// Most workloads planning puts in one migration wave.
    pub max_per_wave: u32,
    /// Most effort points (`effort.points` in strategies.yaml) one wave carries; `None`: no
    /// limit but `max_per_wave`.
    pub wave_points: Option<f64>,
    /// Months each wave takes on the strategy's dated roadmap.
    pub wave_months: u32,
    /// Months of wave 0, the foundations (landing zone, identity, network, cost tooling,
    /// skills) built before the first workload moves; 0 leaves wave 0 out.
    pub foundation_months: u32,
    /// Quarters on the dated roadmap: calendar (`2027 Q1` is January to March) or Australian
    /// financial year (`2026–27 Q3` is January to March).
    pub quarters: Quarters,
}

/// How the dated roadmap names quarters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quarters {
    #[default]
    Calendar,
    /// The Australian financial year, 1 July to 30 June.
    Financial,
}

impl Default for PlanConfig {
    fn default() -> Self {
        PlanConfig {
            max_per_wave: 10,
            wave_points: None,
            wave_months: 3,
            foundation_months: 3,
            quarters: Quarters::Calendar,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Waiver {
    pub workload: String,
    pub rule: String,
    pub reason: String,
    pub approved_by: String,
    pub expires: Date,
    /// Where the waiver's `expires` is written (an expired waiver is reported there).
    pub loc: Loc,
    /// Where its `rule` is written.
    pub rule_loc: Loc,
    /// Where its `workload` is written.
    pub workload_loc: Loc,
}

impl Waiver {
    /// Still in force on `today` (the expiry day itself included).
    pub fn valid_on(&self, today: Date) -> bool {
        today.days() <= self.expires.days()
    }
}

// The file's shape, as serde reads it. Spans give every error and finding its line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    weights: BTreeMap<Spanned<String>, Spanned<f64>>,
    #[serde(default)]
    check: RawCheck,
    #[serde(default)]
    plan: RawPlan,
    #[serde(default)]
    waiver: Vec<RawWaiver>,
    #[serde(default)]
    strategy: RawStrategy,
}

type Text = Option<Spanned<String>>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStrategy {
    vision: Text,
    #[serde(default)]
    drivers: Vec<Spanned<String>>,
    #[serde(default)]
    outcomes: Vec<RawOutcome>,
    #[serde(default)]
    governance: RawGovernance,
    exit: Text,
    ai: Text,
    sustainability: Text,
    skills: Text,
    finops: Text,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOutcome {
    name: Text,
    measure: Text,
    baseline: Option<Spanned<toml::Value>>,
    target: Option<Spanned<toml::Value>>,
    by: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawGovernance {
    body: Text,
    owner: Text,
    review: Text,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    min_overall: Option<Spanned<f64>>,
    min_workload: Option<Spanned<f64>>,
    #[serde(default)]
    min_principle: BTreeMap<Spanned<String>, Spanned<f64>>,
    max_unknown: Option<Spanned<f64>>,
    fail_on_blockers: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    max_per_wave: Option<Spanned<i64>>,
    wave_points: Option<Spanned<f64>>,
    wave_months: Option<Spanned<i64>>,
    foundation_months: Option<Spanned<i64>>,
    quarters: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    workload: Spanned<String>,
    rule: Spanned<String>,
    reason: Spanned<String>,
    approved_by: Spanned<String>,
    expires: Spanned<toml::value::Datetime>,
}

/// 1-based line and column (in characters) of a byte offset.
fn loc_at(file: FileId, text: &str, offset: usize) -> Loc {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    Loc::new(file, line as u32, col as u32)
}

fn span_loc<T>(file: FileId, text: &str, s: &Spanned<T>) -> Loc {
    let r = s.span();
    loc_at(file, text, r.start).with_len(r.end.saturating_sub(r.start))
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" into a message and a hint.
fn explain(message: &str) -> (String, Option<String>) {
    let first = message.lines().next().unwrap_or(message).trim().to_string();
    if let Some(rest) = first.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect::<Vec<_>>();
        let hint = match did_you_mean(key, candidates.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if !candidates.is_empty() => format!(
                "the keys allowed here are {}",
                candidates
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => "remove it".into(),
        };
        return (format!("unknown key `{key}`"), Some(hint));
    }
    if first.contains("expected a TOML datetime")
        || first.contains("Datetime")
        || first.contains("datetime")
    {
        return (
            first,
            Some("write the date unquoted, like `expires = 2027-06-30`".into()),
        );
    }
    if first.starts_with("invalid type") {
        return (
            first,
            Some(
                "numbers are written without quotes (`min_overall = 60`), true/false likewise"
                    .into(),
            ),
        );
    }
    if first.starts_with("missing field") {
        return (
            first.replace("missing field", "missing key"),
            Some("a `[[waiver]]` needs workload, rule, reason, approved_by and expires".into()),
        );
    }
    (first, None)
}

/// A TOML syntax or shape error, at the key or value it spans.
fn syntax_error(file: FileId, text: &str, e: &toml::de::Error) -> Diagnostic {
    let loc = e.span().map(|r| {
        // A key error spans the key; keep the caret on it.
        loc_at(file, text, r.start).with_len(
            text.get(r.clone())
                .map_or(0, |s| s.lines().next().unwrap_or("").len()),
        )
    });
    let (message, hint) = explain(e.message());
    Diagnostic::error(loc.or(Some(Loc::new(file, 0, 0))), message)
        .code(Code::InvalidConfig)
        .maybe_hint(hint)
}

/// The value checks of one settings file, collecting every problem rather than stopping at the
/// first.
struct Checker<'t> {
    file: FileId,
    text: &'t str,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// A number from `lo` to `hi`.
    fn number(&mut self, s: &Spanned<f64>, lo: f64, hi: f64, what: &str) -> f64 {
        let v = *s.get_ref();
        if !(lo..=hi).contains(&v) {
            self.problems.push(
                Diagnostic::error(
                    span_loc(self.file, self.text, s),
                    format!("{what} must be between {lo} and {hi}, not {v}"),
                )
                .code(Code::OutOfRange)
                .hint(format!("write a number from {lo} to {hi}")),
            );
        }
        v
    }

    /// A whole number from `lo` to `hi`, `default` when absent.
    fn whole(
        &mut self,
        s: &Option<Spanned<i64>>,
        lo: i64,
        hi: i64,
        key: &str,
        default: u32,
    ) -> u32 {
        let Some(s) = s else { return default };
        let v = *s.get_ref();
        if v < lo || v > hi {
            self.problems.push(
                Diagnostic::error(
                    span_loc(self.file, self.text, s),
                    format!("{key} must be a whole number from {lo} to {hi}, not {v}"),
                )
                .code(Code::WrongType)
                .hint(format!("write a whole number such as `{key} = {default}`")),
            );
        }
        v.clamp(lo, hi) as u32
    }

    /// The `[check]` thresholds.
    fn check(&mut self, raw: &RawCheck) -> CheckConfig {
        let percent = |c: &mut Self, s: &Option<Spanned<f64>>, what: &str| {
            s.as_ref().map(|s| c.number(s, 0.0, 100.0, what))
        };
        let min_overall = percent(self, &raw.min_overall, "min_overall");
        let min_workload = percent(self, &raw.min_workload, "min_workload");
        let min_principle = raw
            .min_principle
            .iter()
            .map(|(k, v)| {
                let m = self.number(v, 0.0, 100.0, "a principle minimum");
                (k.get_ref().clone(), m, span_loc(self.file, self.text, k))
            })
            .collect();
        let max_unknown = raw
            .max_unknown
            .as_ref()
            .map(|s| self.number(s, 0.0, 1.0, "max_unknown (a share)"));
        CheckConfig {
            min_overall,
            min_workload,
            min_principle,
            max_unknown,
            fail_on_blockers: raw.fail_on_blockers.unwrap_or(true),
        }
    }

    /// One `[[waiver]]`, or `None` (with its problem recorded) when its date is not a date.
    fn waiver(&mut self, w: &RawWaiver) -> Option<Waiver> {
        let (file, text) = (self.file, self.text);
        let dt = w.expires.get_ref();
        let date = match (dt.date, dt.time) {
            (Some(d), None) => Date::parse(&format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)),
            _ => None,
        };
        let Some(expires) = date else {
            self.problems.push(
                Diagnostic::error(
                    span_loc(file, text, &w.expires),
                    format!("`expires` must be a date, not `{dt}`"),
                )
                .code(Code::InvalidDate)
                .hint("write a date without a time, like `expires = 2027-06-30`"),
            );
            return None;
        };
        for (what, s) in [("reason", &w.reason), ("approved_by", &w.approved_by)] {
            if s.get_ref().trim().is_empty() {
                self.problems.push(
                    Diagnostic::error(span_loc(file, text, s), format!("empty `{what}`"))
                        .code(Code::MissingValue)
                        .hint("a waiver records why and who decided; fill both in"),
                );
            }
        }
        Some(Waiver {
            workload: w.workload.get_ref().clone(),
            rule: w.rule.get_ref().clone(),
            reason: w.reason.get_ref().clone(),
            approved_by: w.approved_by.get_ref().clone(),
            expires,
            loc: span_loc(file, text, &w.expires),
            rule_loc: span_loc(file, text, &w.rule),
            workload_loc: span_loc(file, text, &w.workload),
        })
    }
}

/// Reads `[strategy]`: blank text counts as missing (the draft prompts for it), and outcome
/// values may be written as text, numbers or dates.
fn strategy_config(
    file: FileId,
    text: &str,
    raw: &RawStrategy,
    problems: &mut Vec<Diagnostic>,
) -> StrategyConfig {
    let words = |s: &Text| {
        s.as_ref()
            .map(|s| s.get_ref().trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut value = |s: &Option<Spanned<toml::Value>>, key: &str| -> Option<String> {
        let s = s.as_ref()?;
        let shown = match s.get_ref() {
            toml::Value::String(t) => t.trim().to_string(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Datetime(d) => d.to_string(),
            other => {
                problems.push(
                    Diagnostic::error(
                        span_loc(file, text, s),
                        format!(
                            "outcome `{key}` must be text, a number or a date, not {}",
                            other.type_str()
                        ),
                    )
                    .code(Code::WrongType)
                    .hint(format!(
                        "for example `{key} = \"60% of workloads\"` or `by = 2028-06-30`"
                    )),
                );
                String::new()
            }
        };
        Some(shown).filter(|s| !s.is_empty())
    };
    let outcomes = raw
        .outcomes
        .iter()
        .map(|o| Outcome {
            name: words(&o.name),
            measure: words(&o.measure),
            baseline: value(&o.baseline, "baseline"),
            target: value(&o.target, "target"),
            by: value(&o.by, "by"),
        })
        .collect();
    StrategyConfig {
        vision: words(&raw.vision),
        drivers: raw
            .drivers
            .iter()
            .map(|d| d.get_ref().trim().to_string())
            .filter(|d| !d.is_empty())
            .collect(),
        outcomes,
        governance: Governance {
            body: words(&raw.governance.body),
            owner: words(&raw.governance.owner),
            review: words(&raw.governance.review),
        },
        exit: words(&raw.exit),
        ai: words(&raw.ai),
        sustainability: words(&raw.sustainability),
        skills: words(&raw.skills),
        finops: words(&raw.finops),
    }
}

/// `[plan] quarters`: `calendar` or `financial`.
fn quarters(
    file: FileId,
    text: &str,
    raw: Option<&Spanned<String>>,
    problems: &mut Vec<Diagnostic>,
) -> Quarters {
    let Some(s) = raw else {
        return Quarters::Calendar;
    };
    match s.get_ref().as_str() {
        "calendar" => Quarters::Calendar,
        "financial" => Quarters::Financial,
        other => {
            problems.push(
                Diagnostic::error(
                    span_loc(file, text, s),
                    format!("quarters must be `calendar` or `financial`, not `{other}`"),
                )
                .code(Code::OutOfRange)
                .hint("`financial` names Australian financial-year quarters (July to June)"),
            );
            Quarters::Calendar
        }
    }
}

impl Config {
    /// Reads `--config FILE` (must exist), else `cloudready.toml` in the current directory if
    /// there is one, else the defaults.
    pub fn discover(explicit: Option<&Path>) -> Result<Config> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = Path::new(DEFAULT_FILE);
                if !p.is_file() {
                    return Ok(Config::default());
                }
                p.to_path_buf()
            }
        };
        let shown = path.display().to_string();
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&shown, e))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::file(shown.clone(), "is not UTF-8 text"))?;
        Config::parse(&shown, text)
    }

    /// Parses the text of a config file named `path` (as shown in messages).
    pub fn parse(path: &str, text: String) -> Result<Config> {
        let mut sources = Sources::default();
        let file = sources.add(path, text);
        let text = &sources
            .get(file)
            .map(|f| f.text.clone())
            .unwrap_or_default();
        let raw: RawConfig = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => return Err(Error::invalid(sources, vec![syntax_error(file, text, &e)])),
        };
        let mut c = Checker {
            file,
            text,
            problems: Vec::new(),
        };
        let weights = raw
            .weights
            .iter()
            .map(|(k, v)| {
                let w = c.number(v, 0.0, 100.0, "a weight");
                (k.get_ref().clone(), w, span_loc(file, text, k))
            })
            .collect();
        let check = c.check(&raw.check);
        let plan = PlanConfig {
            max_per_wave: c.whole(
                &raw.plan.max_per_wave,
                1,
                u32::MAX as i64,
                "max_per_wave",
                10,
            ),
            wave_points: raw
                .plan
                .wave_points
                .as_ref()
                .map(|s| c.number(s, 1.0, 1e9, "wave_points")),
            wave_months: c.whole(&raw.plan.wave_months, 1, 60, "wave_months", 3),
            foundation_months: c.whole(&raw.plan.foundation_months, 0, 60, "foundation_months", 3),
            quarters: quarters(file, text, raw.plan.quarters.as_ref(), &mut c.problems),
        };
        let strategy = strategy_config(file, text, &raw.strategy, &mut c.problems);
        let waivers = raw.waiver.iter().filter_map(|w| c.waiver(w)).collect();
        if !c.problems.is_empty() {
            return Err(Error::invalid(sources, c.problems));
        }
        Ok(Config {
            sources,
            path: Some(path.to_string()),
            weights,
            check,
            plan,
            waivers,
            strategy,
        })
    }

    /// Checks the ids the file names against the packs in use, and applies the weights.
    pub fn apply(&self, packs: &mut Packs) -> Result<()> {
        let ids: Vec<String> = packs.all().map(|p| p.id.clone()).collect();
        let principle_ids: Vec<String> = packs.principles.iter().map(|p| p.id.clone()).collect();
        let criteria: Vec<String> = packs
            .all()
            .flat_map(|p| p.criteria.iter().map(|c| c.id.clone()))
            .collect();
        let mut problems = Vec::new();
        let unknown = |id: &str, loc: Loc, among: &[String], what: &str| {
            Diagnostic::error(loc, format!("`{id}` is not {what}"))
                .code(Code::UnknownId)
                .hint(match did_you_mean(id, among.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("use one of {}", among.join(", ")),
                })
        };
        for (id, w, loc) in &self.weights {
            if !packs.set_weight(id, *w) {
                problems.push(unknown(id, *loc, &ids, "a principle or CAF"));
            }
        }
        for (id, _, loc) in &self.check.min_principle {
            if !principle_ids.contains(id) {
                problems.push(unknown(id, *loc, &principle_ids, "a principle"));
            }
        }
        let mut rules: Vec<String> = THRESHOLD_RULES.iter().map(|s| s.to_string()).collect();
        rules.extend(criteria);
        for w in &self.waivers {
            if !rules.contains(&w.rule) {
                problems.push(unknown(
                    &w.rule,
                    w.rule_loc,
                    &rules,
                    "a rule a waiver can cover (a criterion id or a [check] threshold)",
                ));
            }
        }
        // All weights 0 would leave every overall score undefined (#15).
        if problems.is_empty() && packs.all().all(|p| p.weight == 0.0) {
            problems.push(
                Diagnostic::error(
                    self.weights.first().map(|w| w.2),
                    "with these weights every pack weighs 0, so no workload could get an overall score",
                )
                .code(Code::InvalidConfig)
                .hint("give at least one principle or CAF a weight above 0 under [weights]"),
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(self.sources.clone(), problems))
        }
    }

    /// Warnings for waivers naming a workload the inventory does not have (a typo there would
    /// otherwise leave the waiver silently unused). `portfolio` names the portfolio.
    pub fn stray_waivers<'a>(&self, ids: impl Iterator<Item = &'a str> + Clone) -> Vec<Diagnostic> {
        self.waivers
            .iter()
            .filter(|w| w.workload != PORTFOLIO && !ids.clone().any(|i| i == w.workload))
            .map(|w| {
                Diagnostic::warning(
                    w.workload_loc,
                    format!("waiver for `{}`, which is not in the inventory", w.workload),
                )
                .code(Code::StrayWaiver)
                .hint(match did_you_mean(&w.workload, ids.clone()) {
                    Some(s) => format!("did you mean `{s}`? (`portfolio` waives portfolio findings)"),
                    None => "remove the waiver if the workload has gone; `portfolio` waives portfolio findings".into(),
                })
            })
            .collect()
    }

    /// The waiver in force on `today` for this workload and rule, if any.
    pub fn waiver(&self, workload: &str, rule: &str, today: Date) -> Option<&Waiver> {
        self.waivers
            .iter()
            .find(|w| w.workload == workload && w.rule == rule && w.valid_on(today))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match Config::parse("c.toml", text.into()) {
            Ok(_) => panic!("accepted {text:?}"),
            Err(e) => e.render(false),
        }
    }

    #[test]
    fn defaults_need_no_file() {
        let c = Config::parse("c.toml", String::new()).unwrap();
        assert_eq!(c.check, CheckConfig::default());
        assert!(c.check.fail_on_blockers);
        assert_eq!(c.plan.max_per_wave, 10);
        assert_eq!(c.plan.wave_months, 3);
        assert_eq!(c.strategy, StrategyConfig::default());
    }

    #[test]
    fn reads_the_agencys_own_words() {
        let c = Config::parse(
            "c.toml",
            "[plan]\nwave_months = 4\n[strategy]\nvision = \"Digital by default\"\n\
             drivers = [\"End of support\", \" \"]\nai = \"  \"\n\
             [strategy.governance]\nbody = \"Cloud board\"\n\
             [[strategy.outcomes]]\nname = \"Off legacy\"\nbaseline = 0\ntarget = \"80%\"\nby = 2028-06-30\n"
                .into(),
        )
        .unwrap();
        assert_eq!(c.plan.wave_months, 4);
        let s = &c.strategy;
        assert_eq!(s.vision.as_deref(), Some("Digital by default"));
        assert_eq!(s.drivers, vec!["End of support".to_string()]);
        assert_eq!(s.ai, None, "blank text is missing");
        assert_eq!(s.governance.body.as_deref(), Some("Cloud board"));
        let o = &s.outcomes[0];
        assert_eq!(o.baseline.as_deref(), Some("0"));
        assert_eq!(o.by.as_deref(), Some("2028-06-30"));
        assert_eq!(o.measure, None);
    }

    #[test]
    fn strategy_and_plan_errors_have_lines() {
        let out = err("[strategy]\nvison = \"x\"\n");
        assert!(out.contains("c.toml:2:1"), "{out}");
        assert!(out.contains("did you mean `vision`?"), "{out}");
        let out = err("[plan]\nwave_months = 0\n");
        assert!(out.contains("c.toml:2:15"), "{out}");
        let out = err("[[strategy.outcomes]]\nby = [1]\n");
        assert!(out.contains("c.toml:2:6"), "{out}");
    }

    #[test]
    fn reads_every_section() {
        let c = Config::parse(
            "c.toml",
            "[weights]\nP1 = 2.0\n[check]\nmin_overall = 60\nmin_workload = 40.5\n\
             min_principle = { P3 = 50 }\nmax_unknown = 0.2\nfail_on_blockers = false\n\
             [plan]\nmax_per_wave = 4\n[[waiver]]\nworkload = \"payroll\"\nrule = \"P3.hosting\"\n\
             reason = \"r\"\napproved_by = \"CISO\"\nexpires = 2027-06-30\n"
                .into(),
        )
        .unwrap();
        assert_eq!(c.weights[0].0, "P1");
        assert_eq!(c.check.min_overall, Some(60.0));
        assert_eq!(c.check.min_principle[0].0, "P3");
        assert!(!c.check.fail_on_blockers);
        assert_eq!(c.plan.max_per_wave, 4);
        let w = &c.waivers[0];
        assert_eq!(w.expires.to_string(), "2027-06-30");
        assert_eq!(w.loc.line, 16);
        assert!(w.valid_on(Date::parse("2027-06-30").unwrap()));
        assert!(!w.valid_on(Date::parse("2027-07-01").unwrap()));
    }

    #[test]
    fn unknown_key_has_line_and_suggestion() {
        let out = err("[check]\nmin_overal = 60\n");
        assert!(out.contains("c.toml:2:1"), "{out}");
        assert!(out.contains("unknown key `min_overal`"), "{out}");
        assert!(out.contains("did you mean `min_overall`?"), "{out}");
    }

    #[test]
    fn wrong_type_and_range_have_lines() {
        let out = err("[check]\n\nmin_overall = \"sixty\"\n");
        assert!(out.contains("c.toml:3:"), "{out}");
        let out = err("[check]\nmax_unknown = 20\n");
        assert!(out.contains("c.toml:2:15"), "{out}");
        assert!(out.contains("between 0 and 1"), "{out}");
        let out = err(
            "[[waiver]]\nworkload = \"a\"\nrule = \"P1.x\"\nreason = \"r\"\napproved_by = \"c\"\nexpires = \"2027-01-01\"\n",
        );
        assert!(out.contains("c.toml:6:"), "{out}");
    }

    /// The keys `[section]` accepts, as serde lists them for an unknown one.
    fn keys_of(section: &str) -> Vec<String> {
        let e = Config::parse("c.toml", format!("[{section}]\nzzzz = 1\n")).unwrap_err();
        let d = match e {
            Error::Invalid { diagnostics, .. } => diagnostics,
            other => panic!("{other:?}"),
        };
        let hint = d[0].hint.clone().unwrap_or_default();
        hint.split('`')
            .skip(1)
            .step_by(2)
            .map(String::from)
            .collect()
    }

    #[test]
    fn every_setting_is_documented_in_the_readme_and_the_init_file() {
        let readme = include_str!("../README.md");
        let init = include_str!("../templates/init/cloudready.toml");
        for section in ["check", "plan"] {
            let keys = keys_of(section);
            assert!(keys.len() >= 4, "{section}: {keys:?}");
            for key in keys {
                let row = format!("| `[{section}] {key}` |");
                assert!(readme.contains(&row), "README lacks the row {row}");
                assert!(init.contains(&format!("{key} =")), "init lacks {key}");
            }
        }
        for table in ["[weights]", "[strategy]", "[[waiver]]"] {
            assert!(
                readme.contains(&format!("| `{table}")),
                "README lacks {table}"
            );
            assert!(init.contains(table), "init lacks {table}");
        }
    }

    #[test]
    fn plan_settings_have_defaults_and_limits() {
        let c = Config::parse("c.toml", String::new()).unwrap();
        assert_eq!(c.plan.foundation_months, 3);
        assert_eq!(c.plan.wave_points, None);
        assert_eq!(c.plan.quarters, Quarters::Calendar);
        let c = Config::parse(
            "c.toml",
            "[plan]\nwave_points = 24\nfoundation_months = 0\nquarters = \"financial\"\n".into(),
        )
        .unwrap();
        assert_eq!(c.plan.wave_points, Some(24.0));
        assert_eq!(c.plan.foundation_months, 0);
        assert_eq!(c.plan.quarters, Quarters::Financial);
        let out = err("[plan]\nfoundation_months = 61\n");
        assert!(out.contains("c.toml:2:21"), "{out}");
        let out = err("[plan]\nquarters = \"fy\"\n");
        assert!(
            out.contains("c.toml:2:12") && out.contains("`financial`"),
            "{out}"
        );
    }
}
