//! The ISM controls the packs cite: every `ISM-NNNN` in a pack or template is one of
//! `principles/ism-controls.yaml`, every entry there is cited, and each entry says what ASD's
//! OSCAL catalog (the copy in `tests/fixtures/ism/`) and its baseline profiles say. Every
//! criterion's `source` names the controls it rests on, except those the ISM has none for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::common::{root, run};

#[derive(Deserialize)]
struct List {
    release: Release,
    source: Source,
    licence: Licence,
    controls: Vec<Control>,
}

#[derive(Deserialize)]
struct Release {
    version: String,
    controls_in_catalog: usize,
}

#[derive(Deserialize)]
struct Source {
    repository: String,
    commit: String,
    path: String,
    copy: String,
}

#[derive(Deserialize)]
struct Licence {
    name: String,
    attribution: String,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct Control {
    id: String,
    title: String,
    statement: String,
    guideline: String,
    section: String,
    topic: String,
    classifications: Vec<String>,
    #[serde(default)]
    essential_eight: Vec<String>,
}

/// Criteria the ISM has no control for: each rests on the policy its `source` names instead.
const WITHOUT_ISM_CONTROL: &[(&str, &str)] = &[
    ("P1.privacy-impact", "APP Code s12 and the Privacy Act"),
    ("P2.style", "the strategy's principle 2 and NIST SP 800-145"),
    ("P2.stateless", "the strategy's principle 2"),
    ("P2.containerised", "the strategy's principle 2"),
    ("P4.service-model", "the strategy's principle 4"),
    ("P4.cloud-alternative", "the strategy's principle 4"),
    ("P5.customisation", "the strategy's principle 5"),
    ("P5.style", "the strategy's principle 5"),
    ("P5.cloud-alternative", "the strategy's principle 5"),
    (
        "P6.iac",
        "the strategy's principle 6 and the AGA cloud policy",
    ),
    ("P6.deployment", "the strategy's principle 6"),
    (
        "P7.usage-reporting",
        "the 2025 cloud policy's requirement 4 (FinOps)",
    ),
    (
        "CAF.essential-eight",
        "the Essential Eight and the PSPF; the ISM maps ML2 to a whole profile, not one control",
    ),
];

fn list() -> List {
    let text = std::fs::read_to_string(root().join("principles/ism-controls.yaml")).unwrap();
    serde_saphyr::from_str(&text).expect("principles/ism-controls.yaml parses")
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(root().join("tests/fixtures/ism").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Each catalog control by id (`ism-1570`): the control and its group titles, outermost first.
fn catalog_controls() -> BTreeMap<String, (Value, Vec<String>)> {
    fn walk(g: &Value, path: &mut Vec<String>, out: &mut BTreeMap<String, (Value, Vec<String>)>) {
        for sub in g["groups"].as_array().into_iter().flatten() {
            path.push(sub["title"].as_str().unwrap().to_string());
            walk(sub, path, out);
            path.pop();
        }
        for c in g["controls"].as_array().into_iter().flatten() {
            let id = c["id"].as_str().unwrap().to_string();
            out.insert(id, (c.clone(), path.clone()));
        }
    }
    let cat = fixture("ISM_catalog.json");
    let mut out = BTreeMap::new();
    walk(&cat["catalog"], &mut Vec::new(), &mut out);
    out
}

/// The control ids (`ism-1570`) a baseline profile includes.
fn profile_ids(name: &str) -> BTreeSet<String> {
    let p = fixture(&format!("ISM_{name}-baseline_profile.json"));
    p["profile"]["imports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["include-controls"].as_array().into_iter().flatten())
        .flat_map(|i| i["with-ids"].as_array().into_iter().flatten())
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Every `ISM-` followed by digits in `text`, as written; a malformed one (not four digits) is
/// returned too, so it fails against the list.
fn cited_ids(text: &str) -> Vec<String> {
    text.match_indices("ISM-")
        .filter_map(|(at, _)| {
            let digits: String = text[at + 4..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            (!digits.is_empty()).then(|| format!("ISM-{digits}"))
        })
        .collect()
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn the_list_names_its_release_source_and_licence() {
    let l = list();
    let cat = fixture("ISM_catalog.json");
    assert_eq!(
        cat["catalog"]["metadata"]["version"].as_str(),
        Some(l.release.version.as_str())
    );
    assert_eq!(l.release.version, "2025.12.9");
    assert_eq!(catalog_controls().len(), l.release.controls_in_catalog);
    assert_eq!(l.release.controls_in_catalog, 1107);
    assert_eq!(
        l.source.repository,
        "https://github.com/AustralianCyberSecurityCentre/ism-oscal"
    );
    assert_eq!(l.source.commit.len(), 40);
    assert_eq!(l.source.path, "ISM_catalog.json");
    assert!(root().join(&l.source.copy).is_file(), "{}", l.source.copy);
    let source_md = std::fs::read_to_string(root().join("tests/fixtures/ism/SOURCE.md")).unwrap();
    assert!(source_md.contains(&l.source.commit));
    assert!(l.licence.name.contains("CC BY 4.0"));
    assert!(
        l.licence
            .attribution
            .contains("Australian Signals Directorate")
    );
}

#[test]
fn every_listed_control_says_what_the_catalog_and_its_baselines_say() {
    let l = list();
    let cat = catalog_controls();
    let classes = [
        ("NON_CLASSIFIED", "non-classified"),
        ("OFFICIAL_SENSITIVE", "OFFICIAL: Sensitive"),
        ("PROTECTED", "PROTECTED"),
        ("SECRET", "SECRET"),
        ("TOP_SECRET", "TOP SECRET"),
    ]
    .map(|(file, name)| (profile_ids(file), name));
    let levels = ["ML1", "ML2", "ML3"].map(|ml| (profile_ids(&format!("E8_{ml}")), ml));
    let ids: Vec<&str> = l.controls.iter().map(|c| c.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "ids are listed once each, in order");
    for c in &l.controls {
        let key = c.id.to_lowercase();
        let (ctl, path) = cat
            .get(&key)
            .unwrap_or_else(|| panic!("{} is not in the ISM catalog", c.id));
        let statement: Vec<&str> = ctl["parts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["name"] == "statement")
            .filter_map(|p| p["prose"].as_str())
            .collect();
        let expected = Control {
            id: c.id.clone(),
            title: ctl["title"].as_str().unwrap().to_string(),
            statement: statement.concat(),
            guideline: path[0].clone(),
            section: path[1].clone(),
            topic: path[2].clone(),
            classifications: classes
                .iter()
                .filter(|(set, _)| set.contains(&key))
                .map(|(_, name)| name.to_string())
                .collect(),
            essential_eight: levels
                .iter()
                .filter(|(set, _)| set.contains(&key))
                .map(|(_, ml)| ml.to_string())
                .collect(),
        };
        assert_eq!(c, &expected, "{} differs from the catalog", c.id);
    }
}

#[test]
fn every_control_a_pack_or_template_cites_is_listed_and_every_listed_one_is_cited() {
    let listed: BTreeSet<String> = list().controls.into_iter().map(|c| c.id).collect();
    let mut files = Vec::new();
    files_under(&root().join("principles"), &mut files);
    files_under(&root().join("templates"), &mut files);
    let mut cited = BTreeSet::new();
    for f in files.iter().filter(|f| !f.ends_with("ism-controls.yaml")) {
        let text = std::fs::read_to_string(f).unwrap();
        for id in cited_ids(&text) {
            assert!(
                listed.contains(&id),
                "{} cites {id}, which principles/ism-controls.yaml does not list",
                f.display()
            );
            cited.insert(id);
        }
    }
    let unused: Vec<&String> = listed.difference(&cited).collect();
    assert!(unused.is_empty(), "listed but cited nowhere: {unused:?}");
}

#[test]
fn the_trace_shows_each_criterions_controls() {
    let r = run(&["principles", "--trace", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    let listed: BTreeSet<String> = list().controls.into_iter().map(|c| c.id).collect();
    let mut without = Vec::new();
    for row in &rows {
        let ids = cited_ids(row["source"].as_str().unwrap());
        assert!(ids.iter().all(|i| listed.contains(i)), "{row}");
        if ids.is_empty() {
            without.push(row["criterion"].as_str().unwrap());
        }
    }
    let expected: Vec<&str> = WITHOUT_ISM_CONTROL.iter().map(|(c, _)| *c).collect();
    without.sort_unstable();
    let mut sorted = expected.clone();
    sorted.sort_unstable();
    assert_eq!(
        without, sorted,
        "criteria whose source names no ISM control id"
    );
    assert_eq!(rows.len() - without.len(), 30, "criteria citing a control");
    // The fixes named by the assessor's review.
    let source = |id: &str| {
        rows.iter()
            .find(|r| r["criterion"] == id)
            .and_then(|r| r["source"].as_str())
            .unwrap_or_else(|| panic!("{id}"))
            .to_string()
    };
    assert!(source("CAF.backup-location").contains("ISM-1572"));
    assert!(source("CAF.encryption").contains("ISM-1781"));
    assert!(source("CAF.encryption").contains("guidelines for cryptography"));
    assert!(source("CAF.shared-responsibility").contains("ISM-1569"));
    assert!(!source("CAF.shared-responsibility").contains("Cloud Assessment Tool"));
    assert!(source("CAF.hosting-classified").contains("ISM-1529"));
    assert!(!source("CAF.hosting-classified").contains("default"));
    assert!(!source("CAF.rto-fit").contains("(business continuity)"));
}

#[test]
fn a_malformed_or_unlisted_citation_is_caught() {
    assert_eq!(
        cited_ids("ISM-1570 and ISM-157, not ISM-principle"),
        ["ISM-1570", "ISM-157"]
    );
    let listed: BTreeSet<String> = list().controls.into_iter().map(|c| c.id).collect();
    assert!(!listed.contains("ISM-157"));
    assert!(!listed.contains("ISM-9999"));
}

#[test]
fn certified_assured_is_left_to_the_agencys_risk_assessment() {
    let r = run(&["principles", "CAF.hcf"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stdout.contains("which the framework accepts"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("risk assessment"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("most entities to seek Certified Strategic"),
        "{}",
        r.stdout
    );
}
