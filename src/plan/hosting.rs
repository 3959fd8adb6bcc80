//! Hosting eligibility: which hosting options a workload may use, from `hosting.yaml`.
//!
//! Each option carries the highest classification it may hold and whether it is onshore and
//! public. An option is allowed when the workload's classification is at or below its ceiling
//! (an unrecorded classification is assumed to be `assume_classification`) and no rule whose
//! `when` holds excludes it.

use crate::diagnostic::{Diagnostic, FileId, Loc};
use crate::inventory::{CLASSIFICATIONS, FieldValue, HOSTING, Workload, fid};
use crate::load::node::Node;

use super::cond::{self, Cond, Facts, Scope};
use super::data::{self, Diags};

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

fn class_index(n: &Node, what: &str, d: &mut Diags) -> Option<usize> {
    let t = data::text(n, what, d)?;
    data::one_of(&t, n.loc, CLASSIFICATIONS, "a classification", d)
}

pub fn compile(file: FileId, text: &str) -> Result<HostingRules, Diags> {
    let root = data::parse(file, text, "hosting rules", HINT)?;
    let mut d = Vec::new();
    let top = data::map(
        &root,
        &["assume_classification", "options", "rules", "providers"],
        "hosting.yaml",
        &mut d,
    );
    let at = Loc::new(file, 1, 1);
    let assume = data::need(&top, "assume_classification", at, "hosting.yaml", &mut d)
        .and_then(|n| class_index(n, "`assume_classification`", &mut d))
        .unwrap_or(CLASSIFICATIONS.len() - 1);
    let mut options: Vec<HostingOption> = Vec::new();
    let mut option_locs = Vec::new();
    if let Some(n) = data::need(&top, "options", at, "hosting.yaml", &mut d) {
        for o in data::seq(n, "`options`", &mut d) {
            let m = data::map(
                o,
                &[
                    "id",
                    "title",
                    "max_classification",
                    "min_classification",
                    "onshore",
                    "public",
                    "provider_kind",
                    "hosts",
                ],
                "a hosting option",
                &mut d,
            );
            let id = data::need(&m, "id", o.loc, "a hosting option", &mut d)
                .and_then(|n| data::text(n, "`id`", &mut d));
            let title = data::get(&m, "title").and_then(|n| data::text(n, "`title`", &mut d));
            let max = data::need(&m, "max_classification", o.loc, "a hosting option", &mut d)
                .and_then(|n| class_index(n, "`max_classification`", &mut d));
            let onshore = data::need(&m, "onshore", o.loc, "a hosting option", &mut d)
                .and_then(|n| data::boolean(n, "`onshore`", &mut d));
            let public = data::need(&m, "public", o.loc, "a hosting option", &mut d)
                .and_then(|n| data::boolean(n, "`public`", &mut d));
            let kind = data::get(&m, "provider_kind")
                .and_then(|n| data::text(n, "`provider_kind`", &mut d));
            let min = data::get(&m, "min_classification")
                .and_then(|n| class_index(n, "`min_classification`", &mut d))
                .unwrap_or(0);
            if let (Some(mx), Some(n)) = (max, data::get(&m, "min_classification"))
                && min > mx
            {
                d.push(Diagnostic::error(
                    n.loc,
                    "`min_classification` is above `max_classification`",
                ));
            }
            let hosts: Vec<usize> = data::get(&m, "hosts")
                .map(|n| {
                    data::scalars(n, "`hosts`", &mut d)
                        .into_iter()
                        .filter_map(|(s, l)| {
                            data::one_of(&s, l, HOSTING, "a `current.hosting` value", &mut d)
                        })
                        .collect()
                })
                .unwrap_or_default();
            if let (Some(id), Some(max), Some(onshore), Some(public)) = (id, max, onshore, public) {
                if options.iter().any(|x| x.id == id) {
                    d.push(Diagnostic::error(
                        o.loc,
                        format!("hosting option `{id}` is defined twice"),
                    ));
                }
                option_locs.push(o.loc);
                options.push(HostingOption {
                    title: title.unwrap_or_else(|| id.clone()),
                    id,
                    max_classification: max,
                    min_classification: min,
                    hosts,
                    onshore,
                    public,
                    provider_kind: kind,
                });
            }
        }
        if options.is_empty() {
            d.push(Diagnostic::error(
                n.loc,
                "`options` needs at least one hosting option",
            ));
        }
    }
    // Every classification must have somewhere to go, or a workload would be left with nothing.
    if let Some(top_max) = options.iter().map(|o| o.max_classification).max()
        && top_max + 1 < CLASSIFICATIONS.len()
    {
        d.push(
            Diagnostic::error(
                at,
                format!(
                    "no hosting option may hold {} data",
                    CLASSIFICATIONS[top_max + 1]
                ),
            )
            .hint("give at least one option `max_classification: TOP SECRET` (e.g. accredited on-premises)"),
        );
    }
    let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
    let mut rules = Vec::new();
    if let Some(n) = data::get(&top, "rules") {
        for r in data::seq(n, "`rules`", &mut d) {
            let m = data::map(r, &["when", "exclude", "reason"], "a hosting rule", &mut d);
            let when = data::need(&m, "when", r.loc, "a hosting rule", &mut d)
                .map(|w| cond::compile(w, Scope::Fields, &mut d))
                .unwrap_or_default();
            let reason = data::need(&m, "reason", r.loc, "a hosting rule", &mut d)
                .and_then(|n| data::text(n, "`reason`", &mut d))
                .unwrap_or_default();
            let mut exclude = Exclude::default();
            if let Some(x) = data::need(&m, "exclude", r.loc, "a hosting rule", &mut d) {
                let xm = data::map(x, &["onshore", "public", "ids"], "`exclude`", &mut d);
                exclude.onshore =
                    data::get(&xm, "onshore").and_then(|n| data::boolean(n, "`onshore`", &mut d));
                exclude.public =
                    data::get(&xm, "public").and_then(|n| data::boolean(n, "`public`", &mut d));
                if let Some(n) = data::get(&xm, "ids") {
                    for (s, l) in data::scalars(n, "`ids`", &mut d) {
                        if let Some(i) = data::one_of(&s, l, &ids, "a hosting option id", &mut d) {
                            exclude.ids.push(i);
                        }
                    }
                }
                if xm.is_empty() {
                    d.push(Diagnostic::error(
                        x.loc,
                        "`exclude` needs `onshore`, `public` or `ids`",
                    ));
                }
            }
            rules.push(HostingRule {
                when,
                exclude,
                reason,
            });
        }
    }
    let mut providers = ProviderRules {
        irap_from: 2,
        hcf_from: 3,
        hcf_accepted: vec!["strategic".into(), "assured".into()],
        hcf_kinds: options
            .iter()
            .filter_map(|o| o.provider_kind.clone())
            .filter(|k| k != "saas")
            .collect(),
    };
    if let Some(n) = data::get(&top, "providers") {
        let m = data::map(
            n,
            &["irap_from", "hcf_from", "hcf_accepted", "hcf_kinds"],
            "`providers`",
            &mut d,
        );
        if let Some(k) = data::get(&m, "hcf_kinds") {
            let kinds: Vec<&str> = options
                .iter()
                .filter_map(|o| o.provider_kind.as_deref())
                .collect();
            providers.hcf_kinds = data::scalars(k, "`hcf_kinds`", &mut d)
                .into_iter()
                .filter_map(|(s, l)| {
                    data::one_of(&s, l, &kinds, "a provider kind named by an option", &mut d)
                        .map(|i| kinds[i].to_string())
                })
                .collect();
        }
        if let Some(i) =
            data::get(&m, "irap_from").and_then(|n| class_index(n, "`irap_from`", &mut d))
        {
            providers.irap_from = i;
        }
        if let Some(i) =
            data::get(&m, "hcf_from").and_then(|n| class_index(n, "`hcf_from`", &mut d))
        {
            providers.hcf_from = i;
        }
        if let Some(n) = data::get(&m, "hcf_accepted") {
            providers.hcf_accepted = data::scalars(n, "`hcf_accepted`", &mut d)
                .into_iter()
                .filter_map(|(s, l)| {
                    data::one_of(&s, l, HCF, "a certification", &mut d).map(|i| HCF[i].to_string())
                })
                .collect();
        }
    }
    if !d.is_empty() {
        return Err(d);
    }
    Ok(HostingRules {
        assume_classification: assume,
        options,
        rules,
        providers,
    })
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
}
