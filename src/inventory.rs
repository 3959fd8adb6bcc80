//! The inventory format (`schema: cloudready/v1`) as one table of fields, and the loaded,
//! validated inventory.
//!
//! The table is the single source of truth: the validator walks it, principle packs are checked
//! against it, and the JSON Schema and CSV import are derived from it.

use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Loc, Sources};

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
/// PSPF classifications, least to most sensitive. The order matters: hosting rules compare them.
pub const CLASSIFICATIONS: &[&str] = &[
    "UNOFFICIAL",
    "OFFICIAL",
    "OFFICIAL: Sensitive",
    "PROTECTED",
    "SECRET",
    "TOP SECRET",
];
pub const HOSTING: &[&str] = &[
    "on-premises",
    "government-data-centre",
    "colocation",
    "private-cloud",
    "community-cloud",
    "public-cloud",
    "saas",
];
pub const STRATEGIES: &[&str] = &[
    "rehost",
    "replatform",
    "refactor",
    "repurchase",
    "retire",
    "retain",
    "relocate",
];

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

/// Every field a workload may carry, besides its `id` and `name`.
pub static FIELDS: &[FieldDef] = &[
    f(
        "owner",
        Kind::Text,
        "Business area or person accountable for the workload.",
    ),
    f(
        "description",
        Kind::Text,
        "What the workload does, in a sentence.",
    ),
    f(
        "criticality",
        Kind::Enum(CRITICALITY),
        "Business criticality.",
    ),
    f(
        "classification",
        Kind::Enum(CLASSIFICATIONS),
        "PSPF security classification of the data it holds. Quote \"OFFICIAL: Sensitive\" in YAML.",
    ),
    f(
        "users",
        Kind::Int {
            min: 0,
            max: i64::MAX,
        },
        "Number of people who use it.",
    ),
    f(
        "whole_of_government",
        Kind::Bool,
        "Whether it is a whole-of-government system (the Hosting Certification Framework then applies).",
    ),
    f(
        "exit_plan",
        Kind::Bool,
        "Whether a tested plan exists to move its data and service off the current provider.",
    ),
    f(
        "data.personal_information",
        Kind::Bool,
        "Whether it holds personal information (Privacy Act).",
    ),
    f(
        "data.privacy_impact_assessment",
        Kind::Bool,
        "Whether a privacy impact assessment covers it (where it holds personal information).",
    ),
    f(
        "data.residency",
        Kind::Enum(&["onshore", "anywhere"]),
        "Whether the data must stay in Australia.",
    ),
    f(
        "data.location",
        Kind::Enum(LOCATIONS),
        "Where the data actually is today: onshore, may-be-offshore (the service may store or process it outside Australia) or offshore.",
    ),
    f(
        "data.backup_location",
        Kind::Enum(LOCATIONS),
        "Where the backups actually are (same values as data.location).",
    ),
    f("data.volume_gb", NONNEG, "Data held, in gigabytes."),
    f(
        "current.hosting",
        Kind::Enum(HOSTING),
        "Where it runs today.",
    ),
    f(
        "current.service_model",
        Kind::Enum(&["none", "iaas", "paas", "saas"]),
        "Cloud service model it consumes today (none when not in cloud).",
    ),
    f(
        "current.end_of_support",
        Kind::Date,
        "When the platform's support or the contract ends.",
    ),
    f(
        "current.annual_cost_aud",
        NONNEG,
        "Annual run cost in Australian dollars.",
    ),
    f(
        "service.kind",
        Kind::Enum(HOSTING),
        "Kind of hosting the assurance facts describe: where it runs, or where it will run when a move is chosen.",
    ),
    f(
        "service.catalog_entry",
        Kind::Text,
        "That service's id in the provider catalog (--providers), e.g. azure-australia.",
    ),
    f(
        "service.region",
        Kind::Text,
        "The region or site of that service, e.g. australiaeast.",
    ),
    f(
        "assurance.irap_level",
        Kind::Enum(IRAP_LEVELS),
        "Highest classification the service's latest IRAP assessment covers (TOP SECRET: ASD's assessment); none when it has none.",
    ),
    f(
        "assurance.irap_date",
        Kind::Date,
        "When that assessment was completed (ISM-1570: at least every 24 months).",
    ),
    f(
        "assurance.hcf",
        Kind::Enum(HCF_LEVELS),
        "The provider's Hosting Certification Framework status: strategic, assured or none.",
    ),
    f(
        "authorisation.status",
        Kind::Enum(&["none", "in-progress", "interim", "authorised"]),
        "The system's authorisation to operate by its authorising officer.",
    ),
    f(
        "authorisation.date",
        Kind::Date,
        "When the current authorisation (or interim authorisation) was granted.",
    ),
    f(
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
    f(
        "architecture.stateless",
        Kind::Bool,
        "Whether instances hold no session or local state.",
    ),
    f(
        "architecture.containerised",
        Kind::Bool,
        "Whether it runs in containers.",
    ),
    f(
        "architecture.customisation",
        Kind::Enum(&["none", "low", "medium", "high"]),
        "Changes away from vendor or platform defaults.",
    ),
    f(
        "architecture.cloud_alternative",
        Kind::Enum(&["saas", "paas", "none"]),
        "A managed service that could replace it.",
    ),
    f(
        "operations.infrastructure_as_code",
        Kind::Enum(&["none", "partial", "full"]),
        "How much of its infrastructure is defined as code.",
    ),
    f(
        "operations.deployment",
        Kind::Enum(&["manual", "scripted", "pipeline"]),
        "How releases are deployed.",
    ),
    f(
        "operations.scaling",
        Kind::Enum(&["manual", "scheduled", "automatic"]),
        "How capacity follows demand.",
    ),
    f(
        "operations.monitoring",
        Kind::Enum(&["none", "basic", "centralised", "real-time"]),
        "Health and performance monitoring.",
    ),
    f(
        "operations.usage_reporting",
        Kind::Enum(&["none", "periodic", "real-time"]),
        "Cost and usage visibility.",
    ),
    f(
        "security.risk_assessment",
        Kind::Enum(&["none", "informal", "documented", "irap"]),
        "The security risk assessment behind its authorisation.",
    ),
    f(
        "security.essential_eight",
        Kind::Int { min: 0, max: 3 },
        "ASD Essential Eight maturity level (0-3).",
    ),
    f(
        "security.identity",
        Kind::Enum(&["local", "federated"]),
        "How users sign in.",
    ),
    f(
        "security.mfa",
        Kind::Enum(&["none", "privileged-only", "all-users", "phishing-resistant"]),
        "Multi-factor authentication: none, administrators only, all users, or phishing-resistant for all.",
    ),
    f(
        "security.privileged_access",
        Kind::Enum(&["unrestricted", "restricted", "just-in-time"]),
        "Control of administrative access: unrestricted, restricted (validated, separate admin accounts) or just-in-time.",
    ),
    f(
        "security.encryption",
        Kind::Enum(&["none", "in-transit", "at-rest", "both"]),
        "Encryption of data in transit and at rest.",
    ),
    f(
        "security.event_logging",
        Kind::Enum(&["none", "local", "centralised", "monitored"]),
        "Security event logging: none, kept locally, sent to a central store, or centrally monitored with alerts.",
    ),
    f(
        "resilience.availability",
        PCT,
        "Availability target in percent, e.g. 99.9.",
    ),
    f(
        "resilience.rto_hours",
        NONNEG,
        "Recovery time objective in hours.",
    ),
    f(
        "resilience.rpo_hours",
        NONNEG,
        "Recovery point objective in hours.",
    ),
    f(
        "resilience.deployment",
        Kind::Enum(&["single-zone", "multi-zone", "multi-region"]),
        "How the hosting is spread: one zone or site, several zones, or several regions.",
    ),
    f(
        "resilience.recovery_tested",
        Kind::Bool,
        "Whether recovery to the RTO and RPO was tested in the last 12 months.",
    ),
    f(
        "resilience.backups_outside_provider",
        Kind::Bool,
        "Whether contingency backups are held outside the main provider or service.",
    ),
    f(
        "dependencies",
        Kind::IdList,
        "Ids of workloads this one depends on.",
    ),
    f(
        "target.strategy",
        Kind::Enum(STRATEGIES),
        "The migration strategy the agency already intends.",
    ),
    f(
        "target.wave",
        Kind::Int {
            min: 1,
            max: 10_000,
        },
        "The wave the agency already intends.",
    ),
    f("tags", Kind::TextList, "Free labels."),
];

pub type FieldId = usize;

pub fn field_id(path: &str) -> Option<FieldId> {
    FIELDS.iter().position(|f| f.path == path)
}

/// Well-known field ids, checked against the table by a unit test.
pub mod fid {
    use super::FieldId;
    pub const OWNER: FieldId = 0;
    pub const CRITICALITY: FieldId = 2;
    pub const CLASSIFICATION: FieldId = 3;
    pub const HOSTING: FieldId = 13;
    pub const USERS: FieldId = 4;
    pub const RESIDENCY: FieldId = 9;
    pub const END_OF_SUPPORT: FieldId = 15;
    pub const DEPENDENCIES: FieldId = 48;
    pub const TARGET_STRATEGY: FieldId = 49;
    pub const TARGET_WAVE: FieldId = 50;
    pub const ARCHITECTURE_STYLE: FieldId = 25;
    pub const WHOLE_OF_GOVERNMENT: FieldId = 5;
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

/// A calendar date, ordered, with a day count for "days until".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` strictly (a real calendar date).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let dim = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        if !(1..=12).contains(&m) || d == 0 || d > dim[(m - 1) as usize] {
            return None;
        }
        Some(Date {
            year: y as i32,
            month: m as u8,
            day: d as u8,
        })
    }

    /// Days since 1970-01-01 (Howard Hinnant's civil-date algorithm).
    pub fn days(&self) -> i64 {
        let (y, m, d) = (self.year as i64, self.month as i64, self.day as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Today's date by the system clock (UTC).
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Date::from_days(secs.div_euclid(86_400))
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date {
            year: y as i32,
            month: m as u8,
            day: d as u8,
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
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
        for (i, f) in all {
            assert!(i < 128, "the format has at most 128 fields");
            if w.known_bit(i) {
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
        id < 128 && self.known[id / 64] & (1 << (id % 64)) != 0
    }
    /// How many known fields come before `id`.
    fn rank(&self, id: FieldId) -> usize {
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
        assert!(id < 128, "the format has at most 128 fields");
        let at = self.rank(id);
        let mut values = std::mem::take(&mut self.values).into_vec();
        match (self.known_bit(id), field) {
            (true, Some(f)) => values[at] = f,
            (true, None) => {
                values.remove(at);
                self.known[id / 64] &= !(1 << (id % 64));
            }
            (false, Some(f)) => {
                values.insert(at, f);
                self.known[id / 64] |= 1 << (id % 64);
            }
            (false, None) => {}
        }
        self.values = values.into_boxed_slice();
    }
    /// The known fields, in field order.
    pub fn fields(&self) -> impl Iterator<Item = (FieldId, &Field)> {
        (0..128)
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

/// One copy of each short text a run repeats (owners, labels, dependency ids), shared by every
/// workload that holds it. Bounded: past its capacity, new texts are kept unshared.
#[derive(Default)]
pub struct Interner {
    set: std::collections::HashSet<Arc<str>>,
}

impl Interner {
    /// Distinct texts kept for sharing; enough for the owners and labels of any portfolio.
    const CAPACITY: usize = 1 << 16;
    /// Longer texts (descriptions) rarely repeat.
    const LONGEST: usize = 64;

    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.set.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        if s.len() <= Self::LONGEST && self.set.len() < Self::CAPACITY {
            self.set.insert(a.clone());
        }
        a
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agency {
    pub name: String,
    pub abbreviation: Option<String>,
    pub as_of: Option<Date>,
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
    fn dates_parse_strictly_and_count_days() {
        assert_eq!(
            Date::parse("2026-11-01").map(|d| d.to_string()).as_deref(),
            Some("2026-11-01")
        );
        assert!(Date::parse("2026-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2026-13-01").is_none());
        assert!(Date::parse("26-11-01").is_none());
        assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
        let a = Date::parse("2026-11-01").unwrap();
        let b = Date::parse("2027-11-01").unwrap();
        assert_eq!(b.days() - a.days(), 365);
        assert_eq!(Date::from_days(a.days()), a);
    }

    #[test]
    fn a_workload_stores_only_its_known_fields() {
        let f = |n: i64| Field {
            value: FieldValue::Int(n),
            loc: Loc::new(0, n as u32, 1),
        };
        let last = FIELDS.len() - 1;
        let mut w = Workload::with_fields("w", "W", Loc::new(0, 1, 1), [(last, f(3)), (1, f(1))]);
        assert_eq!(w.get(1), Some(&f(1)));
        assert_eq!(w.get(last), Some(&f(3)));
        assert_eq!(w.get(0), None);
        w.set(0, Some(f(7)));
        w.set(last, None);
        w.set(2, Some(f(2)));
        w.set(2, Some(f(5)));
        let known: Vec<(usize, i64)> = w
            .fields()
            .map(|(i, x)| (i, x.value.as_number().unwrap() as i64))
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
