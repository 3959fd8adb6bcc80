//! The operating-system lifecycle table (`import/os-lifecycle.yaml`) and the supply list
//! (`import/supply.yaml`), read from the shipped data.

use serde::Deserialize;

use crate::assets::{IMPORT_SUPPLY, OS_LIFECYCLE};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    pub families: Vec<Family>,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub tag: String,
    pub words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub name: String,
    pub words: Vec<String>,
    #[serde(default)]
    pub unless: Vec<String>,
    pub end: String,
    pub source: String,
    pub checked: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supply {
    pub groups: Vec<Group>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub what: String,
    pub fields: Vec<String>,
}

/// The shipped lifecycle table.
pub fn lifecycle() -> Result<Lifecycle, String> {
    serde_saphyr::from_str(OS_LIFECYCLE.text).map_err(|e| format!("os-lifecycle.yaml: {e}"))
}

/// The shipped supply list.
pub fn supply() -> Result<Supply, String> {
    serde_saphyr::from_str(IMPORT_SUPPLY.text).map_err(|e| format!("supply.yaml: {e}"))
}

/// Operating-system text as words: lowercase, split on spaces and brackets; a version keeps
/// its dots (`7.9`), and a list of releases its slashes (`4/5/6/7` is no one release).
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| c.is_whitespace() || "()[],;-_".contains(c))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `want` is among `have`: a word itself, or a version's leading part (`7` in `7.9`).
fn has(have: &[String], want: &str) -> bool {
    let want = want.to_lowercase();
    have.iter()
        .any(|w| *w == want || w.strip_prefix(&want).is_some_and(|r| r.starts_with('.')))
}

impl Lifecycle {
    /// The first entry the operating-system text matches.
    pub fn find(&self, os: &str) -> Option<&Entry> {
        let have = words(os);
        self.entries.iter().find(|e| {
            e.words.iter().all(|w| has(&have, w)) && !e.unless.iter().any(|w| has(&have, w))
        })
    }

    /// The operating-system family tag (`os-windows`, `os-linux`).
    pub fn family(&self, os: &str) -> Option<&str> {
        let have = words(os);
        self.families
            .iter()
            .find(|f| f.words.iter().all(|w| has(&have, w)))
            .map(|f| f.tag.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_and_every_date_is_a_date() {
        let t = lifecycle().unwrap();
        for e in &t.entries {
            assert!(crate::date::Date::parse(&e.end).is_some(), "{}", e.name);
            assert!(crate::date::Date::parse(&e.checked).is_some(), "{}", e.name);
            assert!(e.source.starts_with("https://"), "{}", e.name);
        }
        supply().unwrap();
    }

    #[test]
    fn versions_match_their_own_release_only() {
        let t = lifecycle().unwrap();
        let name = |os: &str| t.find(os).map(|e| e.name.as_str());
        assert_eq!(
            name("Microsoft Windows Server 2012 R2 (64-bit)"),
            Some("Windows Server 2012 and 2012 R2")
        );
        assert_eq!(
            name("Red Hat Enterprise Linux 8.7"),
            Some("Red Hat Enterprise Linux 8")
        );
        assert_eq!(
            name("Red Hat Enterprise Linux 7 (64-bit)"),
            Some("Red Hat Enterprise Linux 7")
        );
        // VMware's "2016 or later" could be 2016, 2019 or 2022: no date is better than a wrong one.
        assert_eq!(
            name("Microsoft Windows Server 2016 or later (64-bit)"),
            None
        );
        assert_eq!(name("Ubuntu Linux (64-bit)"), None);
        // VMware's "CentOS 4/5/6/7" is any of four releases.
        assert_eq!(name("CentOS 4/5/6/7 (64-bit)"), None);
        assert_eq!(name("CentOS 7 (64-bit)"), Some("CentOS Linux 7"));
        assert_eq!(
            t.family("Microsoft Windows Server 2019"),
            Some("os-windows")
        );
        assert_eq!(t.family("CentOS 7 (64-bit)"), Some("os-linux"));
    }
}
