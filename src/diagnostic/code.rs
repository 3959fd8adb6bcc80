//! The kinds of input problem a diagnostic can name: one variant each, spelt once. What each
//! means (SARIF's rule list, JUnit) is data, in the check rules file.

/// Declares [`Code`] with each variant's text.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)+) => {
        /// A stable, kebab-case code for a kind of input problem (`validate`, and any command
        /// that reads an inventory, a pack, planning rules, a catalog, settings or a template).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)+
        }

        impl Code {
            /// Every code.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The code as reports show it and waivers and rule texts name it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)+
                }
            }
        }
    };
}

codes! {
    YamlSyntax = "yaml-syntax",
    NotUtf8 = "not-utf8",
    EmptyFile = "empty-file",
    InputTooComplex = "input-too-complex",
    UnknownKey = "unknown-key",
    WrongType = "wrong-type",
    InvalidValue = "invalid-value",
    OutOfRange = "out-of-range",
    InvalidDate = "invalid-date",
    InvalidId = "invalid-id",
    MissingId = "missing-id",
    MissingName = "missing-name",
    MissingSchema = "missing-schema",
    UnsupportedSchema = "unsupported-schema",
    MissingAgency = "missing-agency",
    MissingWorkloads = "missing-workloads",
    AgencyDiffers = "agency-differs",
    AgencyFromFileName = "agency-from-file-name",
    InconsistentAgency = "inconsistent-agency",
    AsOfDiffers = "as-of-differs",
    DuplicateId = "duplicate-id",
    DuplicateItem = "duplicate-item",
    UnknownDependency = "unknown-dependency",
    SelfDependency = "self-dependency",
    DependencyCycle = "dependency-cycle",
    TargetWaveIgnored = "target-wave-ignored",
    Contradiction = "contradiction",
    CsvSyntax = "csv-syntax",
    CsvHeader = "csv-header",
    CsvSeparator = "csv-separator",
    CsvRowLength = "csv-row-length",
    CsvUnterminatedQuote = "csv-unterminated-quote",
    UnknownColumn = "unknown-column",
    DuplicateColumn = "duplicate-column",
    MissingColumn = "missing-column",
    InvalidSpreadsheet = "invalid-spreadsheet",
    InvalidConfig = "invalid-config",
    MissingValue = "missing-value",
    UnknownId = "unknown-id",
    StrayWaiver = "stray-waiver",
    UnfilteredStrategyText = "unfiltered-strategy-text",
    InvalidPack = "invalid-pack",
    InvalidPlanRules = "invalid-plan-rules",
    InvalidCatalog = "invalid-catalog",
    TemplateError = "template-error",
    InvalidAssessment = "invalid-assessment",
    /// An error that names no kind of its own.
    InvalidInput = "invalid-input",
    /// A warning that names no kind of its own.
    InputWarning = "input-warning",
    /// A note that names no kind of its own.
    InputNote = "input-note",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Code> for std::borrow::Cow<'static, str> {
    fn from(c: Code) -> Self {
        std::borrow::Cow::Borrowed(c.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_kebab_case_distinct_and_documented() {
        let rules = crate::assets::CHECK_RULES.text;
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "`{s}` is not kebab-case"
            );
            assert!(seen.insert(s), "`{s}` is spelt twice");
            assert!(
                rules.contains(&format!("\n  {s}:\n")),
                "`{s}` has no text in the check rules"
            );
        }
    }
}
