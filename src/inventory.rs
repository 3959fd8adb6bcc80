//! The inventory format (`schema: cloudready/v1`) as one table of fields, and the loaded,
//! validated inventory.
//!
//! The table is the single source of truth: the validator walks it, principle packs are checked
//! against it, and the JSON Schema and CSV import are derived from it.

use std::sync::Arc;

pub use crate::date::Date;
use crate::diagnostic::{Diagnostic, Loc, Sources};
use crate::domain::{Classification, Hosting, Strategy};
pub use crate::interner::Interner;

pub const SCHEMA_TAG: &str = "cloudready/v1";

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Free text.
    Text,
    /// One of a fixed set of values.
    Enum(&'static [&'static str]),
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    Number {
        min: f64,
        max: f64,
    },
    /// ISO 8601 calendar date.
    Date,
    /// A list of workload ids.
    IdList,
    /// A list of free-text labels.
    TextList,
}

impl Kind {
    pub fn describe(&self) -> String {
        match self {
            Kind::Text => "text".into(),
            Kind::Enum(v) => format!("one of {}", list_values(v)),
            Kind::Bool => "true or false".into(),
            Kind::Int { min, max } if *max == i64::MAX => {
                format!("a whole number of at least {min}")
            }
            Kind::Int { min, max } => format!("a whole number from {min} to {max}"),
            Kind::Number { min, max } if *max == f64::MAX => format!("a number of at least {min}"),
            Kind::Number { min, max } => format!("a number from {min} to {max}"),
            Kind::Date => "a date (YYYY-MM-DD)".into(),
            Kind::IdList => "a list of workload ids".into(),
            Kind::TextList => "a list of labels".into(),
        }
    }
}

pub fn list_values(v: &[&str]) -> String {
    v.iter()
        .map(|s| {
            if s.contains(':') || s.contains(' ') {
                format!("\"{s}\"")
            } else {
                (*s).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    /// Dotted path inside a workload, e.g. `operations.infrastructure_as_code`.
    pub path: &'static str,
    pub kind: Kind,
    pub doc: &'static str,
}

pub const CRITICALITY: &[&str] = &["low", "medium", "high", "critical"];
/// PSPF classifications, least to most sensitive (the order hosting rules compare them in).
pub const CLASSIFICATIONS: &[&str] = Classification::NAMES;
/// Kinds of hosting (`current.hosting`, `service.kind`).
pub const HOSTING: &[&str] = Hosting::NAMES;

/// Where data or backups actually are.
pub const LOCATIONS: &[&str] = &["onshore", "may-be-offshore", "offshore"];
/// IRAP assessment levels: `none`, then classifications least to most sensitive (their names
/// match `CLASSIFICATIONS`, so a pack can compare one with the other).
pub const IRAP_LEVELS: &[&str] = &[
    "none",
    "OFFICIAL",
    "OFFICIAL: Sensitive",
    "PROTECTED",
    "SECRET",
    "TOP SECRET",
];
/// Who assessed a cloud service: ASD's assessors (ISM-1972, which TOP SECRET needs), an IRAP
/// assessor (ISM-1570) or the agency's own assessors.
pub const ASSESSED_BY: &[&str] = &["asd", "irap", "agency"];
/// Where a provider's administrative and support access comes from.
pub const ADMIN_ACCESS: &[&str] = &["onshore", "offshore", "unknown"];
/// Hosting Certification Framework status (the provider catalog uses the same names).
pub const HCF_LEVELS: &[&str] = &["strategic", "assured", "none"];

const fn f(path: &'static str, kind: Kind, doc: &'static str) -> FieldDef {
    FieldDef { path, kind, doc }
}

const PCT: Kind = Kind::Number {
    min: 0.0,
    max: 100.0,
};
const NONNEG: Kind = Kind::Number {
    min: 0.0,
    max: f64::MAX,
};

/// Declares [`FIELDS`] and, in [`fid`], a [`FieldId`] constant per entry, numbered by the
/// entry's place: reordering the table moves its constants with it.
macro_rules! fields {
    ($($name:ident: f($path:literal, $kind:expr, $doc:literal $(,)?),)+) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u8)]
        enum Place {
            $($name,)+
        }

        /// Every field a workload may carry, besides its `id` and `name`.
        pub static FIELDS: &[FieldDef] = &[$(f($path, $kind, $doc),)+];

        /// Each field's id, named after its path.
        pub mod fid {
            use super::{FieldId, Place};
            $(
                #[doc = concat!("`", $path, "`")]
                pub const $name: FieldId = FieldId(Place::$name as u8);
            )+
        }

        // A workload's known-field bitmap holds 128 fields.
        const _: () = assert!(FIELDS.len() <= 128);
    };
}

// Each entry is named for its constant in `fid`.
fields! {
    OWNER: f(
        "owner",
        Kind::Text,
        "Business area or person accountable for the workload.",
    ),
    DESCRIPTION: f(
        "description",
        Kind::Text,
        "What the workload does, in a sentence.",
    ),
    CRITICALITY: f(
        "criticality",
        Kind::Enum(CRITICALITY),
        "Business criticality.",
    ),
    CLASSIFICATION: f(
        "classification",
        Kind::Enum(CLASSIFICATIONS),
        "PSPF security classification of the data it holds. Quote \"OFFICIAL: Sensitive\" in YAML.",
    ),
    USERS: f(
        "users",
        Kind::Int {
            min: 0,
            max: i64::MAX,
        },
        "Number of people who use it.",
    ),
    WHOLE_OF_GOVERNMENT: f(
        "whole_of_government",
        Kind::Bool,
        "Whether it is a whole-of-government system (the Hosting Certification Framework then applies).",
    ),
    EXIT_PLAN: f(
        "exit_plan",
        Kind::Bool,
        "Whether a tested plan exists to move its data and service off the current provider.",
    ),
    DATA_PERSONAL_INFORMATION: f(
        "data.personal_information",
        Kind::Bool,
        "Whether it holds personal information (Privacy Act).",
    ),
    DATA_PRIVACY_IMPACT_ASSESSMENT: f(
        "data.privacy_impact_assessment",
        Kind::Bool,
        "Whether a privacy impact assessment covers it (where it holds personal information).",
    ),
    RESIDENCY: f(
        "data.residency",
        Kind::Enum(&["onshore", "anywhere"]),
        "Whether the data must stay in Australia.",
    ),
    DATA_LOCATION: f(
        "data.location",
        Kind::Enum(LOCATIONS),
        "Where the data actually is today: onshore, may-be-offshore (the service may store or process it outside Australia) or offshore.",
    ),
    DATA_BACKUP_LOCATION: f(
        "data.backup_location",
        Kind::Enum(LOCATIONS),
        "Where the backups actually are (same values as data.location).",
    ),
    DATA_VOLUME_GB: f("data.volume_gb", NONNEG, "Data held, in gigabytes."),
    HOSTING: f(
        "current.hosting",
        Kind::Enum(HOSTING),
        "Where it runs today.",
    ),
    CURRENT_SERVICE_MODEL: f(
        "current.service_model",
        Kind::Enum(&["none", "iaas", "paas", "saas"]),
        "Cloud service model it consumes today (none when not in cloud).",
    ),
    END_OF_SUPPORT: f(
        "current.end_of_support",
        Kind::Date,
        "When the platform's support or the contract ends.",
    ),
    CURRENT_ANNUAL_COST_AUD: f(
        "current.annual_cost_aud",
        NONNEG,
        "Annual run cost in Australian dollars.",
    ),
    SERVICE_KIND: f(
        "service.kind",
        Kind::Enum(HOSTING),
        "Kind of hosting the assurance facts describe: where it runs, or where it will run when a move is chosen.",
    ),
    SERVICE_CATALOG_ENTRY: f(
        "service.catalog_entry",
        Kind::Text,
        "That service's id in the provider catalog (--providers), e.g. azure-australia.",
    ),
    SERVICE_REGION: f(
        "service.region",
        Kind::Text,
        "The region or site of that service, e.g. australiaeast.",
    ),
    SERVICE_ADMIN_ACCESS: f(
        "service.admin_access",
        Kind::Enum(ADMIN_ACCESS),
        "Where the provider's administrative and support access to the service comes from: onshore, offshore or unknown (ISM-1073, ISM-1572).",
    ),
    ASSURANCE_IRAP_LEVEL: f(
        "assurance.irap_level",
        Kind::Enum(IRAP_LEVELS),
        "Highest classification the service's latest assessment covers (by an IRAP assessor, or for TOP SECRET by ASD: see assurance.assessed_by); none when it has none.",
    ),
    ASSURANCE_IRAP_DATE: f(
        "assurance.irap_date",
        Kind::Date,
        "When that assessment was completed (ISM-1570: at least every 24 months).",
    ),
    ASSURANCE_ASSESSED_BY: f(
        "assurance.assessed_by",
        Kind::Enum(ASSESSED_BY),
        "Who assessed the service: asd (ASD assessors, which TOP SECRET needs, ISM-1972), irap (an IRAP assessor, ISM-1570; the default where an IRAP level is recorded) or agency (the agency's own assessors).",
    ),
    ASSURANCE_HCF: f(
        "assurance.hcf",
        Kind::Enum(HCF_LEVELS),
        "The provider's Hosting Certification Framework status: strategic, assured or none.",
    ),
    AUTHORISATION_STATUS: f(
        "authorisation.status",
        Kind::Enum(&["none", "in-progress", "interim", "authorised"]),
        "The system's authorisation to operate by its authorising officer.",
    ),
    AUTHORISATION_DATE: f(
        "authorisation.date",
        Kind::Date,
        "When the current authorisation (or interim authorisation) was granted.",
    ),
    ARCHITECTURE_STYLE: f(
        "architecture.style",
        Kind::Enum(&[
            "mainframe",
            "monolith",
            "n-tier",
            "microservices",
            "serverless",
            "cots",
            "saas",
        ]),
        "Architectural style.",
    ),
    ARCHITECTURE_STATELESS: f(
        "architecture.stateless",
        Kind::Bool,
        "Whether instances hold no session or local state.",
    ),
    ARCHITECTURE_CONTAINERISED: f(
        "architecture.containerised",
        Kind::Bool,
        "Whether it runs in containers.",
    ),
    ARCHITECTURE_CUSTOMISATION: f(
        "architecture.customisation",
        Kind::Enum(&["none", "low", "medium", "high"]),
        "Changes away from vendor or platform defaults.",
    ),
    ARCHITECTURE_CLOUD_ALTERNATIVE: f(
        "architecture.cloud_alternative",
        Kind::Enum(&["saas", "paas", "none"]),
        "A managed service that could replace it.",
    ),
    OPERATIONS_INFRASTRUCTURE_AS_CODE: f(
        "operations.infrastructure_as_code",
        Kind::Enum(&["none", "partial", "full"]),
        "How much of its infrastructure is defined as code.",
    ),
    OPERATIONS_DEPLOYMENT: f(
        "operations.deployment",
        Kind::Enum(&["manual", "scripted", "pipeline"]),
        "How releases are deployed.",
    ),
    OPERATIONS_SCALING: f(
        "operations.scaling",
        Kind::Enum(&["manual", "scheduled", "automatic"]),
        "How capacity follows demand.",
    ),
    OPERATIONS_MONITORING: f(
        "operations.monitoring",
        Kind::Enum(&["none", "basic", "centralised", "real-time"]),
        "Health and performance monitoring.",
    ),
    OPERATIONS_USAGE_REPORTING: f(
        "operations.usage_reporting",
        Kind::Enum(&["none", "periodic", "real-time"]),
        "Cost and usage visibility.",
    ),
    SECURITY_RISK_ASSESSMENT: f(
        "security.risk_assessment",
        Kind::Enum(&["none", "informal", "documented", "irap"]),
        "The security risk assessment behind its authorisation.",
    ),
    SECURITY_ESSENTIAL_EIGHT: f(
        "security.essential_eight",
        Kind::Int { min: 0, max: 3 },
        "ASD Essential Eight maturity level (0-3).",
    ),
    SECURITY_IDENTITY: f(
        "security.identity",
        Kind::Enum(&["local", "federated"]),
        "How users sign in.",
    ),
    SECURITY_MFA: f(
        "security.mfa",
        Kind::Enum(&["none", "privileged-only", "all-users", "phishing-resistant"]),
        "Multi-factor authentication: none, administrators only, all users, or phishing-resistant for all.",
    ),
    SECURITY_PRIVILEGED_ACCESS: f(
        "security.privileged_access",
        Kind::Enum(&["unrestricted", "restricted", "just-in-time"]),
        "Control of administrative access: unrestricted, restricted (validated, separate admin accounts) or just-in-time.",
    ),
    SECURITY_ENCRYPTION: f(
        "security.encryption",
        Kind::Enum(&["none", "in-transit", "at-rest", "both"]),
        "Encryption of data in transit and at rest.",
    ),
    SECURITY_EVENT_LOGGING: f(
        "security.event_logging",
        Kind::Enum(&["none", "local", "centralised", "monitored"]),
        "Security event logging: none, kept locally, sent to a central store, or centrally monitored with alerts.",
    ),
    RESILIENCE_AVAILABILITY: f(
        "resilience.availability",
        PCT,
        "Availability target in percent, e.g. 99.9.",
    ),
    RESILIENCE_RTO_HOURS: f(
        "resilience.rto_hours",
        NONNEG,
        "Recovery time objective in hours.",
    ),
    RESILIENCE_RPO_HOURS: f(
        "resilience.rpo_hours",
        NONNEG,
        "Recovery point objective in hours.",
    ),
    RESILIENCE_DEPLOYMENT: f(
        "resilience.deployment",
        Kind::Enum(&["single-zone", "multi-zone", "multi-region"]),
        "How the hosting is spread: one zone or site, several zones, or several regions.",
    ),
    RESILIENCE_RECOVERY_TESTED: f(
        "resilience.recovery_tested",
        Kind::Bool,
        "Whether recovery to the RTO and RPO was tested in the last 12 months.",
    ),
    RESILIENCE_BACKUPS_OUTSIDE_PROVIDER: f(
        "resilience.backups_outside_provider",
        Kind::Bool,
        "Whether contingency backups are held outside the main provider or service.",
    ),
    DEPENDENCIES: f(
        "dependencies",
        Kind::IdList,
        "Ids of workloads this one depends on.",
    ),
    TARGET_STRATEGY: f(
        "target.strategy",
        Kind::Enum(Strategy::NAMES),
        "The migration strategy the agency already intends.",
    ),
    TARGET_WAVE: f(
        "target.wave",
        Kind::Int {
            min: 1,
            max: 10_000,
        },
        "The wave the agency already intends.",
    ),
    TAGS: f("tags", Kind::TextList, "Free labels."),
}

/// A field of the format: its position in [`FIELDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldId(u8);

impl FieldId {
    pub const fn index(self) -> usize {
        self.0 as usize
    }
    pub fn def(self) -> &'static FieldDef {
        &FIELDS[self.index()]
    }
    /// The field at `i` in [`FIELDS`].
    pub fn from_index(i: usize) -> Option<FieldId> {
        (i < FIELDS.len()).then_some(FieldId(i as u8))
    }
    /// Every field, in table order.
    pub fn all() -> impl Iterator<Item = FieldId> {
        (0..FIELDS.len() as u8).map(FieldId)
    }
}

impl std::ops::Index<FieldId> for [FieldDef] {
    type Output = FieldDef;
    fn index(&self, id: FieldId) -> &FieldDef {
        &self[id.index()]
    }
}

pub fn field_id(path: &str) -> Option<FieldId> {
    FIELDS
        .iter()
        .position(|f| f.path == path)
        .map(|i| FieldId(i as u8))
}

/// The mapping keys a workload may hold: `id`, `name`, leaf fields and section names.
pub fn sections() -> Vec<&'static str> {
    let mut s: Vec<&str> = FIELDS
        .iter()
        .filter_map(|f| f.path.split_once('.').map(|(a, _)| a))
        .collect();
    s.dedup();
    s
}

/// A validated field value.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// Shared with every other use of the same text in the run (see [`Interner`]).
    Text(Arc<str>),
    /// Index into the field's `Kind::Enum` values.
    Enum(u8),
    Bool(bool),
    Int(i64),
    Number(f64),
    Date(Date),
    List(Box<[(Arc<str>, Loc)]>),
}

impl FieldValue {
    /// The value as written in the inventory (enum values by name).
    pub fn display(&self, def: &FieldDef) -> String {
        match (self, def.kind) {
            (FieldValue::Enum(i), Kind::Enum(v)) => {
                v.get(*i as usize).copied().unwrap_or("?").to_string()
            }
            (FieldValue::Text(s), _) => s.to_string(),
            (FieldValue::Bool(b), _) => b.to_string(),
            (FieldValue::Int(i), _) => i.to_string(),
            (FieldValue::Number(n), _) => fmt_number(*n),
            (FieldValue::Date(d), _) => d.to_string(),
            (FieldValue::List(l), _) => l.iter().map(|(s, _)| &**s).collect::<Vec<_>>().join(", "),
            (FieldValue::Enum(i), _) => i.to_string(),
        }
    }
    pub fn as_number(&self) -> Option<f64> {
        match self {
            FieldValue::Int(i) => Some(*i as f64),
            FieldValue::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// Shortest faithful text for a number: `99.9`, `4`, not `4.0`.
pub fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub value: FieldValue,
    /// Where the value sits in the inventory.
    pub loc: Loc,
}

/// One workload, compact: only its known fields are stored, so a workload with an id, a name
/// and one fact costs a few dozen bytes besides its text, however many fields the format has.
#[derive(Debug, Clone)]
pub struct Workload {
    pub id: String,
    pub name: String,
    /// Location of the `id` value: findings about the whole workload point here.
    pub id_loc: Loc,
    /// Bit `i` (of 128) set: field `i` is known, its value at the bit's rank in `values`.
    known: [u64; 2],
    values: Box<[Field]>,
}

impl Workload {
    pub fn new(id: impl Into<String>, name: impl Into<String>, id_loc: Loc) -> Self {
        Workload {
            id: id.into(),
            name: name.into(),
            id_loc,
            known: [0; 2],
            values: Box::new([]),
        }
    }
    /// A workload with the known `fields` (a field given twice keeps its last value).
    pub fn with_fields(
        id: impl Into<String>,
        name: impl Into<String>,
        id_loc: Loc,
        fields: impl IntoIterator<Item = (FieldId, Field)>,
    ) -> Self {
        let mut w = Workload::new(id, name, id_loc);
        let mut all: Vec<(FieldId, Field)> = fields.into_iter().collect();
        all.sort_by_key(|(i, _)| *i);
        let mut values: Vec<Field> = Vec::with_capacity(all.len());
        for (id, f) in all {
            let i = id.index();
            if w.known_bit(id) {
                if let Some(last) = values.last_mut() {
                    *last = f;
                }
                continue;
            }
            w.known[i / 64] |= 1 << (i % 64);
            values.push(f);
        }
        w.values = values.into_boxed_slice();
        w
    }
    fn known_bit(&self, id: FieldId) -> bool {
        let i = id.index();
        self.known[i / 64] & (1 << (i % 64)) != 0
    }
    /// How many known fields come before `id`.
    fn rank(&self, id: FieldId) -> usize {
        let id = id.index();
        let below = |word: u64, bits: usize| (word & ((1u64 << bits) - 1)).count_ones() as usize;
        if id < 64 {
            below(self.known[0], id)
        } else {
            self.known[0].count_ones() as usize + below(self.known[1], id - 64)
        }
    }
    pub fn get(&self, id: FieldId) -> Option<&Field> {
        if !self.known_bit(id) {
            return None;
        }
        self.values.get(self.rank(id))
    }
    /// Records (or, with `None`, forgets) one field.
    pub fn set(&mut self, id: FieldId, field: Option<Field>) {
        let at = self.rank(id);
        let i = id.index();
        let mut values = std::mem::take(&mut self.values).into_vec();
        match (self.known_bit(id), field) {
            (true, Some(f)) => values[at] = f,
            (true, None) => {
                values.remove(at);
                self.known[i / 64] &= !(1 << (i % 64));
            }
            (false, Some(f)) => {
                values.insert(at, f);
                self.known[i / 64] |= 1 << (i % 64);
            }
            (false, None) => {}
        }
        self.values = values.into_boxed_slice();
    }
    /// The known fields, in field order.
    pub fn fields(&self) -> impl Iterator<Item = (FieldId, &Field)> {
        FieldId::all()
            .filter(|&i| self.known_bit(i))
            .zip(self.values.iter())
    }
    /// Whether no field beyond `id` and `name` is known.
    pub fn is_bare(&self) -> bool {
        self.values.is_empty()
    }
    pub fn text(&self, id: FieldId) -> Option<String> {
        self.get(id).map(|f| f.value.display(&FIELDS[id]))
    }
    /// [`Workload::text`] without a copy where the text already exists (text and enum values).
    pub fn text_ref(&self, id: FieldId) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        let f = self.get(id)?;
        Some(match (&f.value, FIELDS[id].kind) {
            (FieldValue::Text(s), _) => Cow::Borrowed(&**s),
            (FieldValue::Enum(i), Kind::Enum(v)) if (*i as usize) < v.len() => {
                Cow::Borrowed(v[*i as usize])
            }
            (v, _) => Cow::Owned(v.display(&FIELDS[id])),
        })
    }
    pub fn dependencies(&self) -> &[(Arc<str>, Loc)] {
        match self.get(fid::DEPENDENCIES).map(|f| &f.value) {
            Some(FieldValue::List(l)) => l,
            _ => &[],
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agency {
    pub name: String,
    pub abbreviation: Option<String>,
    /// The first `as_of` the files give.
    pub as_of: Option<Date>,
    /// Every file's `as_of` and where it is written, in file order: files that disagree are
    /// refused unless `--date` sets one reference date for all.
    pub as_of_by_file: Vec<(Date, Loc)>,
}

#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub sources: Sources,
    pub agency: Agency,
    /// Sorted by id, so every output is in a stable order.
    pub workloads: Vec<Workload>,
    /// Notes and warnings found while loading (e.g. dependency cycles).
    pub notes: Vec<Diagnostic>,
}

impl Inventory {
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.workloads
            .binary_search_by(|w| w.id.as_str().cmp(id))
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_ids_match_the_table() {
        assert_eq!(field_id("owner"), Some(fid::OWNER));
        assert_eq!(field_id("criticality"), Some(fid::CRITICALITY));
        assert_eq!(field_id("current.hosting"), Some(fid::HOSTING));
        assert_eq!(field_id("classification"), Some(fid::CLASSIFICATION));
        assert_eq!(field_id("users"), Some(fid::USERS));
        assert_eq!(field_id("data.residency"), Some(fid::RESIDENCY));
        assert_eq!(
            field_id("current.end_of_support"),
            Some(fid::END_OF_SUPPORT)
        );
        assert_eq!(field_id("dependencies"), Some(fid::DEPENDENCIES));
        assert_eq!(field_id("target.strategy"), Some(fid::TARGET_STRATEGY));
        assert_eq!(field_id("target.wave"), Some(fid::TARGET_WAVE));
        assert_eq!(
            field_id("architecture.style"),
            Some(fid::ARCHITECTURE_STYLE)
        );
        assert_eq!(
            field_id("whole_of_government"),
            Some(fid::WHOLE_OF_GOVERNMENT)
        );
    }

    #[test]
    fn a_workload_stores_only_its_known_fields() {
        let f = |n: i64| Field {
            value: FieldValue::Int(n),
            loc: Loc::new(0, n as u32, 1),
        };
        let id = |i: usize| FieldId(i as u8);
        let last = id(FIELDS.len() - 1);
        let mut w =
            Workload::with_fields("w", "W", Loc::new(0, 1, 1), [(last, f(3)), (id(1), f(1))]);
        assert_eq!(w.get(id(1)), Some(&f(1)));
        assert_eq!(w.get(last), Some(&f(3)));
        assert_eq!(w.get(id(0)), None);
        w.set(id(0), Some(f(7)));
        w.set(last, None);
        w.set(id(2), Some(f(2)));
        w.set(id(2), Some(f(5)));
        let known: Vec<(usize, i64)> = w
            .fields()
            .map(|(i, x)| (i.index(), x.value.as_number().unwrap() as i64))
            .collect();
        assert_eq!(known, [(0, 7), (1, 1), (2, 5)]);
        assert!(!w.is_bare());
        assert!(Workload::new("b", "B", Loc::new(0, 1, 1)).is_bare());
        // 100 bytes a workload at most besides its heap parts, whatever the field count.
        assert!(std::mem::size_of::<Workload>() <= 100);
    }

    #[test]
    fn sections_are_the_nested_groups() {
        assert_eq!(
            sections(),
            [
                "data",
                "current",
                "service",
                "assurance",
                "authorisation",
                "architecture",
                "operations",
                "security",
                "resilience",
                "target"
            ]
        );
    }
}
