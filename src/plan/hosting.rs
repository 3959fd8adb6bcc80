//! Hosting eligibility: which hosting options a workload may use, from `hosting.yaml`.
//!
//! Each option carries the highest classification it may hold and whether it is onshore and
//! public. An option is allowed when the workload's classification is at or below its ceiling
//! (an unrecorded classification is assumed to be `assume_classification`) and no rule whose
//! `when` holds excludes it.

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::datafile::{self, DataFile, Value};
use crate::diagnostic::{Diagnostic, FileId};
use crate::inventory::{CLASSIFICATIONS, FieldValue, HOSTING, Workload, fid};

use super::cond::{self, Cond, Facts, Scope, When};

#[derive(Debug, Clone)]
pub struct HostingOption {
    pub id: String,
    pub title: String,
    /// Index into `CLASSIFICATIONS`.
    pub max_classification: usize,
    /// The lowest classification it takes (a dedicated environment is no home for data below
    /// the level it was built for); 0 when any.
    pub min_classification: usize,
    /// The `current.hosting` values that already are this option (for "may it stay where it
    /// runs?").
    pub hosts: Vec<usize>,
    pub onshore: bool,
    pub public: bool,
    /// Catalog entries of this kind can serve the option (`None`: the agency's own hosting).
    pub provider_kind: Option<String>,
}

/// Hosting Certification Framework status a provider may hold (and the rules may accept).
pub const HCF: &[&str] = &["strategic", "assured", "none", "unknown"];

/// What a rule removes: options matching every given attribute, or the listed ids.
#[derive(Debug, Clone, Default)]
pub struct Exclude {
    pub onshore: Option<bool>,
    pub public: Option<bool>,
    pub ids: Vec<usize>,
}

impl Exclude {
    fn hits(&self, i: usize, o: &HostingOption) -> bool {
        if !self.ids.is_empty() {
            return self.ids.contains(&i);
        }
        self.onshore.is_none_or(|b| o.onshore == b) && self.public.is_none_or(|b| o.public == b)
    }
}

#[derive(Debug, Clone)]
pub struct HostingRule {
    pub when: Cond,
    pub exclude: Exclude,
    pub reason: String,
}

/// Which catalog entries may serve a workload.
#[derive(Debug, Clone)]
pub struct ProviderRules {
    /// From this classification up, an entry needs an IRAP assessment at or above the workload's.
    pub irap_from: usize,
    /// From this classification up (and for whole-of-government systems), an entry of one of
    /// `hcf_kinds` needs one of `hcf_accepted`.
    pub hcf_from: usize,
    pub hcf_accepted: Vec<String>,
    /// The provider kinds the Hosting Certification Framework applies to (data centre and cloud
    /// service providers; not SaaS at present).
    pub hcf_kinds: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct HostingRules {
    pub assume_classification: usize,
    pub options: Vec<HostingOption>,
    pub rules: Vec<HostingRule>,
    pub providers: ProviderRules,
}

/// A workload's hosting eligibility, before the provider catalog.
#[derive(Debug, Clone, Default)]
pub struct Eligibility {
    /// Indices into `HostingRules::options`, least restrictive first.
    pub allowed: Vec<usize>,
    /// The classification the decision used (index), and whether it was assumed.
    pub classification: usize,
    pub assumed: bool,
    pub reasons: Vec<String>,
    /// Whether the hosting it runs on today is one of the allowed options (`None` when
    /// `current.hosting` is not recorded).
    pub current_allowed: Option<bool>,
    /// A whole-of-government system (the HCF applies whatever the classification).
    pub whole_of_government: bool,
}

pub const HINT: &str =
    "see `cloudready principles hosting` and principles/hosting.yaml for the format";

const KIND: datafile::Kind = datafile::Kind {
    what: "hosting rules",
    hint: HINT,
};

/// hosting.yaml as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HostingFile {
    assume_classification: Spanned<String>,
    options: Spanned<Vec<Spanned<OptionFile>>>,
    #[serde(default)]
    rules: Vec<RuleFile>,
    providers: Option<ProvidersFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionFile {
    id: Spanned<String>,
    title: Option<String>,
    max_classification: Spanned<String>,
    min_classification: Option<Spanned<String>>,
    onshore: bool,
    public: bool,
    provider_kind: Option<String>,
    hosts: Option<Spanned<Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    when: When,
    exclude: Spanned<ExcludeFile>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExcludeFile {
    onshore: Option<bool>,
    public: Option<bool>,
    ids: Option<Spanned<Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvidersFile {
    irap_from: Option<Spanned<String>>,
    hcf_from: Option<Spanned<String>>,
    hcf_accepted: Option<Spanned<Value>>,
    hcf_kinds: Option<Spanned<Value>>,
}

fn class_index(f: &mut DataFile, s: &Spanned<String>) -> Option<usize> {
    f.pick(s, CLASSIFICATIONS, "a classification")
}

/// The words in `v` that are among `options`, each reported otherwise.
fn picks(
    f: &mut DataFile,
    v: &Spanned<Value>,
    what: &str,
    options: &[&str],
    what_value: &str,
) -> Vec<usize> {
    f.values(v, what)
        .into_iter()
        .filter_map(|(s, l)| f.one_of(&s, l, options, what_value))
        .collect()
}

pub fn compile(file: FileId, text: &str) -> Result<HostingRules, Vec<Diagnostic>> {
    let (raw, mut f): (HostingFile, _) = DataFile::read(file, text, KIND)?;
    let assume =
        class_index(&mut f, &raw.assume_classification).unwrap_or(CLASSIFICATIONS.len() - 1);
    let options = compile_options(&mut f, &raw.options);
    let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
    let rules = raw
        .rules
        .iter()
        .map(|r| compile_rule(&mut f, r, &ids))
        .collect();
    let providers = compile_providers(&mut f, raw.providers.as_ref(), &options);
    f.finish(HostingRules {
        assume_classification: assume,
        options,
        rules,
        providers,
    })
}

fn compile_options(
    f: &mut DataFile,
    raw: &Spanned<Vec<Spanned<OptionFile>>>,
) -> Vec<HostingOption> {
    let mut options: Vec<HostingOption> = Vec::new();
    for o in &raw.value {
        let Some(option) = compile_option(f, &o.value) else {
            continue;
        };
        if options.iter().any(|x| x.id == option.id) {
            f.error(
                f.at(o),
                format!("hosting option `{}` is defined twice", option.id),
            );
        }
        options.push(option);
    }
    if raw.value.is_empty() {
        f.error(f.at(raw), "`options` needs at least one hosting option");
    }
    // Every classification must have somewhere to go, or a workload would be left with nothing.
    if let Some(top_max) = options.iter().map(|o| o.max_classification).max()
        && top_max + 1 < CLASSIFICATIONS.len()
    {
        f.error_hint(
            crate::diagnostic::Loc::new(f.file, 1, 1),
            format!(
                "no hosting option may hold {} data",
                CLASSIFICATIONS[top_max + 1]
            ),
            "give at least one option `max_classification: TOP SECRET` (e.g. accredited on-premises)",
        );
    }
    options
}

/// One option; `None` (with the problem reported) when its ceiling is not a classification.
fn compile_option(f: &mut DataFile, o: &OptionFile) -> Option<HostingOption> {
    let max = class_index(f, &o.max_classification);
    let min = o
        .min_classification
        .as_ref()
        .and_then(|m| class_index(f, m))
        .unwrap_or(0);
    if let (Some(mx), Some(m)) = (max, &o.min_classification)
        && min > mx
    {
        f.error(
            f.word_at(m),
            "`min_classification` is above `max_classification`",
        );
    }
    let hosts = o
        .hosts
        .as_ref()
        .map(|h| picks(f, h, "`hosts`", HOSTING, "a `current.hosting` value"))
        .unwrap_or_default();
    Some(HostingOption {
        id: o.id.value.clone(),
        title: o.title.clone().unwrap_or_else(|| o.id.value.clone()),
        max_classification: max?,
        min_classification: min,
        hosts,
        onshore: o.onshore,
        public: o.public,
        provider_kind: o.provider_kind.clone(),
    })
}

fn compile_rule(f: &mut DataFile, r: &RuleFile, ids: &[&str]) -> HostingRule {
    let when = cond::compile(&r.when, Scope::Fields, f);
    let x = &r.exclude.value;
    let mut exclude = Exclude {
        onshore: x.onshore,
        public: x.public,
        ids: Vec::new(),
    };
    if let Some(v) = &x.ids {
        exclude.ids = picks(f, v, "`ids`", ids, "a hosting option id");
    }
    if x.onshore.is_none() && x.public.is_none() && x.ids.is_none() {
        f.error(
            f.at(&r.exclude),
            "`exclude` needs `onshore`, `public` or `ids`",
        );
    }
    HostingRule {
        when,
        exclude,
        reason: r.reason.clone(),
    }
}

fn compile_providers(
    f: &mut DataFile,
    raw: Option<&ProvidersFile>,
    options: &[HostingOption],
) -> ProviderRules {
    let mut kinds: Vec<&str> = Vec::new();
    for k in options.iter().filter_map(|o| o.provider_kind.as_deref()) {
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    let mut providers = ProviderRules {
        irap_from: 2,
        hcf_from: 3,
        hcf_accepted: vec!["strategic".into(), "assured".into()],
        hcf_kinds: kinds
            .iter()
            .filter(|k| **k != "saas")
            .map(|k| k.to_string())
            .collect(),
    };
    let Some(p) = raw else {
        return providers;
    };
    if let Some(k) = &p.hcf_kinds {
        let what = "a provider kind named by an option";
        providers.hcf_kinds = picks(f, k, "`hcf_kinds`", &kinds, what)
            .into_iter()
            .map(|i| kinds[i].to_string())
            .collect();
    }
    if let Some(i) = p.irap_from.as_ref().and_then(|s| class_index(f, s)) {
        providers.irap_from = i;
    }
    if let Some(i) = p.hcf_from.as_ref().and_then(|s| class_index(f, s)) {
        providers.hcf_from = i;
    }
    if let Some(v) = &p.hcf_accepted {
        providers.hcf_accepted = picks(f, v, "`hcf_accepted`", HCF, "a certification")
            .into_iter()
            .map(|i| HCF[i].to_string())
            .collect();
    }
    providers
}

impl HostingRules {
    pub fn eligibility(&self, w: &Workload) -> Eligibility {
        let recorded = match w.get(fid::CLASSIFICATION).map(|f| &f.value) {
            Some(FieldValue::Enum(i)) => Some(*i as usize),
            _ => None,
        };
        let class = recorded.unwrap_or(self.assume_classification);
        let mut reasons = Vec::new();
        if recorded.is_none() {
            reasons.push(format!(
                "Classification not recorded: treated as {} until it is.",
                CLASSIFICATIONS[class]
            ));
        }
        let mut keep = vec![true; self.options.len()];
        let above: Vec<&str> = self
            .options
            .iter()
            .filter(|o| o.max_classification < class)
            .map(|o| o.id.as_str())
            .collect();
        let below: Vec<&HostingOption> = self
            .options
            .iter()
            .filter(|o| o.min_classification > class)
            .collect();
        for (k, o) in keep.iter_mut().zip(&self.options) {
            *k = o.max_classification >= class && o.min_classification <= class;
        }
        if !above.is_empty() {
            reasons.push(format!(
                "{} data rules out {} (not cleared for it).",
                CLASSIFICATIONS[class],
                above.join(", ")
            ));
        }
        for o in below {
            reasons.push(format!(
                "{} data does not go to {} (reserved for {} and above).",
                CLASSIFICATIONS[class], o.id, CLASSIFICATIONS[o.min_classification]
            ));
        }
        let facts = Facts {
            workload: w,
            score: None,
            reference: None,
            public_allowed: None,
            current_allowed: None,
            dependants: None,
        };
        for r in &self.rules {
            if !r.when.holds(&facts) {
                continue;
            }
            let mut hit = false;
            for (i, o) in self.options.iter().enumerate() {
                if keep[i] && r.exclude.hits(i, o) {
                    keep[i] = false;
                    hit = true;
                }
            }
            if hit {
                reasons.push(r.reason.clone());
            }
        }
        let allowed: Vec<usize> = (0..self.options.len()).filter(|&i| keep[i]).collect();
        let current = match w.get(fid::HOSTING).map(|f| &f.value) {
            Some(FieldValue::Enum(h)) => Some(*h as usize),
            _ => None,
        };
        Eligibility {
            whole_of_government: matches!(
                w.get(fid::WHOLE_OF_GOVERNMENT).map(|f| &f.value),
                Some(FieldValue::Bool(true))
            ),
            current_allowed: current
                .map(|h| allowed.iter().any(|&o| self.options[o].hosts.contains(&h))),
            allowed,
            classification: class,
            assumed: recorded.is_none(),
            reasons,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> HostingRules {
        compile(0, include_str!("../../principles/hosting.yaml"))
            .unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn builtin_rules_load_and_every_classification_has_somewhere_to_go() {
        let r = rules();
        for c in 0..CLASSIFICATIONS.len() {
            assert!(r.options.iter().any(|o| o.max_classification >= c));
        }
    }

    #[test]
    fn a_dedicated_environment_is_no_home_for_lower_classifications() {
        let r = rules();
        let ts = r
            .options
            .iter()
            .position(|o| o.id == "dedicated-top-secret")
            .unwrap();
        let mut w = Workload::new("w", "W", crate::diagnostic::Loc::new(0, 1, 1));
        for (class, allowed) in [(1u8, false), (4, false), (5, true)] {
            w.set(
                fid::CLASSIFICATION,
                Some(crate::inventory::Field {
                    value: FieldValue::Enum(class),
                    loc: crate::diagnostic::Loc::new(0, 1, 1),
                }),
            );
            let e = r.eligibility(&w);
            assert_eq!(e.allowed.contains(&ts), allowed, "{class}");
            if !allowed {
                assert!(
                    e.reasons
                        .iter()
                        .any(|x| x.contains("reserved for TOP SECRET")),
                    "{:?}",
                    e.reasons
                );
            }
        }
    }

    #[test]
    fn a_misspelt_condition_field_is_rejected_at_its_line() {
        let text = include_str!("../../principles/hosting.yaml").replacen(
            "data.residency: onshore",
            "data.residence: onshore",
            1,
        );
        let line = text
            .lines()
            .position(|l| l.contains("data.residence"))
            .unwrap() as u32
            + 1;
        let d = compile(0, &text).unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].loc.map(|l| l.line), Some(line));
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `data.residency`?"));
    }

    #[test]
    fn an_option_must_name_a_real_classification() {
        let text = include_str!("../../principles/hosting.yaml").replacen(
            "max_classification: SECRET",
            "max_classification: SECERT",
            1,
        );
        let d = compile(0, &text).unwrap_err();
        assert!(
            d[0].message.contains("`SECERT` is not a classification"),
            "{d:?}"
        );
    }

    #[test]
    fn an_unknown_key_in_an_option_is_reported_at_its_line_with_a_suggestion() {
        let text = include_str!("../../principles/hosting.yaml").replacen(
            "    provider_kind: saas\n",
            "    provider_knd: saas\n",
            1,
        );
        let line = text
            .lines()
            .position(|l| l.contains("provider_knd"))
            .unwrap() as u32
            + 1;
        let d = compile(0, &text).unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].loc.map(|l| (l.line, l.col)), Some((line, 5)));
        assert_eq!(
            d[0].message,
            "invalid hosting rules: unknown key `provider_knd`"
        );
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `provider_kind`?"));
    }

    #[test]
    fn a_bad_value_in_a_rule_is_reported_at_its_column() {
        let text = include_str!("../../principles/hosting.yaml").replacen(
            "exclude: { public: true }",
            "exclude: { ids: [public-cloud, sas] }",
            1,
        );
        let (i, l) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("sas]"))
            .unwrap();
        let place = (i as u32 + 1, l.find("sas]").unwrap() as u32 + 1, 3);
        let d = compile(0, &text).unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].loc.map(|l| (l.line, l.col, l.len)), Some(place));
        assert_eq!(d[0].message, "`sas` is not a hosting option id");
        assert!(
            d[0].hint
                .as_deref()
                .unwrap_or("")
                .starts_with("did you mean `saas`?"),
            "{d:?}"
        );
    }
}
