//! The mappings `import` reads exports with (`import/*.yaml`, one per source): which sheet and
//! header signature mark the source, and what each of its columns means and fills. They are data;
//! `import --map FILE` reads an agency's own. The loader uses the built-in ones too, so that a
//! foreign header in a native inventory is named for what it is (`Machine Name` is Azure
//! Migrate's server name) instead of being matched by spelling to a field of another meaning.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::assets::IMPORT_MAPS;

/// One source's mapping.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The name `--from` takes.
    pub source: String,
    /// What messages and the imported file call the source.
    pub title: String,
    /// Sheets of a workbook that hold the rows, preferred in this order.
    #[serde(default)]
    pub sheets: Vec<String>,
    /// Headers that must all be present for a table to be this source's.
    pub signature: Vec<String>,
    /// Whether a row is a machine or an application.
    pub unit: Unit,
    /// A tag every imported workload carries (`vmware`).
    #[serde(default)]
    pub platform: Option<String>,
    /// A column that says what kind of record a row is (Konveyor's `Record Type 1`).
    #[serde(default)]
    pub record: Option<Record>,
    /// Rows that record a dependency between two named rows.
    #[serde(default)]
    pub dependency: Option<Dependency>,
    /// Numbered tag columns in pairs (`Tag Category 1`, `Tag 1`, …).
    #[serde(default)]
    pub tag_pairs: Option<TagPairs>,
    pub columns: Vec<Column>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Machine,
    Application,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub column: String,
    pub application: String,
    pub dependency: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    pub column: String,
    pub direction: String,
    /// The direction value for "this row's application depends on the named one".
    pub depends: String,
    /// The direction value for "the named application depends on this row's".
    pub depended_on: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagPairs {
    pub category: String,
    pub tag: String,
}

/// One column of the source: what it means, and what (if anything) it fills.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub column: String,
    pub meaning: String,
    /// The inventory field it fills.
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default, rename = "use")]
    pub role: Option<Role>,
    /// Source values (any case) to field values.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// Source values that do not say which field value they are: left unknown, with a note.
    #[serde(default)]
    pub unknown: Vec<String>,
    /// A number's unit to the field's (MiB to GB: 1/1024).
    #[serde(default)]
    pub scale: Option<f64>,
    /// A tag made of this prefix and the cell's value.
    #[serde(default)]
    pub tag: Option<String>,
    /// `use: power`: the values that mean powered off or retired.
    #[serde(default)]
    pub off: Vec<String>,
    /// `use: template`: the values that mean a template.
    #[serde(default)]
    pub yes: Vec<String>,
}

/// What a column is for, besides filling a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The workload's name (the first of these with a value wins).
    Name,
    Power,
    Template,
    /// Operating-system text, for the lifecycle table and the OS-family tag.
    Os,
    /// Disk size, summed into `data.volume_gb`.
    Disk,
    /// Kept as a comment beside the workload, never as a field.
    Note,
    /// A list of tags (`a:b, c`).
    Tags,
}

/// A header as it is compared: trimmed, inner spaces collapsed, any case, without the `*`
/// some templates put before a required column.
pub fn norm(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('*')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Mapping {
    /// Whether a header row (its cells) carries this source's signature.
    pub fn matches(&self, headers: &[String]) -> bool {
        let have: Vec<String> = headers.iter().map(|h| norm(h)).collect();
        self.signature.iter().all(|s| have.contains(&norm(s)))
    }

    /// The mapping's column for a header, if it knows it.
    pub fn column(&self, header: &str) -> Option<&Column> {
        let h = norm(header);
        self.columns.iter().find(|c| norm(&c.column) == h)
    }
}

/// The built-in mappings, read once. The files are tested; should one fail to read, it is left
/// out rather than stopping a run that may not need it.
pub fn builtin() -> &'static [Mapping] {
    static MAPS: OnceLock<Vec<Mapping>> = OnceLock::new();
    MAPS.get_or_init(|| {
        IMPORT_MAPS
            .iter()
            .filter_map(|a| serde_saphyr::from_str::<Mapping>(a.text).ok())
            .collect()
    })
}

/// A header some known export uses: the sources that use it and what it means there.
pub fn foreign_header(header: &str) -> Option<(&'static Mapping, &'static Column)> {
    builtin()
        .iter()
        .find_map(|m| m.column(header).map(|c| (m, c)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{FIELDS, Kind, field_id};

    #[test]
    fn every_builtin_mapping_reads_and_names_real_fields_and_values() {
        for a in IMPORT_MAPS {
            if let Err(e) = serde_saphyr::from_str::<Mapping>(a.text) {
                panic!("{}: {e}", a.name);
            }
        }
        assert_eq!(builtin().len(), IMPORT_MAPS.len());
        for m in builtin() {
            for c in &m.columns {
                let Some(f) = &c.field else { continue };
                assert_ne!(
                    f, "classification",
                    "{}: classification is never inferred",
                    m.source
                );
                let id = field_id(f).unwrap_or_else(|| panic!("{}: no field `{f}`", m.source));
                if let Kind::Enum(allowed) = FIELDS[id.index()].kind {
                    for v in c.values.values() {
                        assert!(allowed.contains(&v.as_str()), "{}: `{v}` for {f}", m.source);
                    }
                }
            }
        }
    }

    #[test]
    fn headers_compare_trimmed_in_any_case_without_a_required_star() {
        assert_eq!(norm("  *Server   Name "), "server name");
        assert!(foreign_header("machine name").is_some());
        assert!(foreign_header("Datacenter").is_some());
        assert!(foreign_header("payroll").is_none());
    }
}
