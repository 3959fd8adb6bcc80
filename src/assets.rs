//! Everything the binary carries, in one place: the principle packs, the planning rules, the
//! strategy templates, the `check` rule texts, the `init` starter files and the charts' font.
//! A fresh install runs with no set-up; an agency replaces any file by putting one of the same
//! name in a folder (`--principles DIR`, `--templates DIR`), read through [`Folder`].

use std::path::Path;

use crate::diagnostic::{FileId, Sources, did_you_mean};
use crate::error::{Error, Result};

/// One embedded file: its name (the name an override must have) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    pub name: &'static str,
    pub text: &'static str,
}

macro_rules! asset {
    ($dir:literal, $name:literal) => {
        Asset {
            name: $name,
            text: include_str!(concat!("../", $dir, "/", $name)),
        }
    };
}

/// The principle packs, in the order they are reported: P1..P7, then the framework.
pub const PACKS: &[Asset] = &[
    asset!("principles", "p1-risk-based.yaml"),
    asset!("principles", "p2-design-for-cloud.yaml"),
    asset!("principles", "p3-public-cloud-default.yaml"),
    asset!("principles", "p4-use-cloud-fully.yaml"),
    asset!("principles", "p5-avoid-customisation.yaml"),
    asset!("principles", "p6-automation.yaml"),
    asset!("principles", "p7-monitor.yaml"),
    asset!("principles", "framework.yaml"),
];

/// The planning rules, beside the packs in `principles/`.
pub const HOSTING: Asset = asset!("principles", "hosting.yaml");
pub const STRATEGIES: Asset = asset!("principles", "strategies.yaml");
/// Facts that cannot all be true of one workload (warned about; they lower its confidence).
pub const CONTRADICTIONS: Asset = asset!("principles", "contradictions.yaml");
/// The ISM controls the packs cite, as ASD's catalog states them: reference data the tests
/// check the packs against. Nothing reads it at run time; it is known here so that a copy of
/// `principles/` still passes as `--principles DIR`.
pub const ISM_CONTROLS: Asset = asset!("principles", "ism-controls.yaml");

/// The strategy templates: the two documents and the partials they include.
pub const TEMPLATES: &[Asset] = &[
    asset!("templates", "strategy.md.tera"),
    asset!("templates", "strategy.html.tera"),
    asset!("templates", "annex.md.tera"),
    asset!("templates", "annex.html.tera"),
    asset!("templates", "_style.css.tera"),
    asset!("templates", "_charts.html.tera"),
    asset!("templates", "_workload_card.html.tera"),
    asset!("templates", "_timeline.html.tera"),
    asset!("templates", "_decision_rule.tera"),
    asset!("templates", "_workload_card.md.tera"),
];

/// The texts of `check`'s own rules and what counts as placeholder text.
pub const CHECK_RULES: Asset = asset!("rules", "check-rules.yaml");

/// The one font the Word document's charts are drawn with (DejaVu Sans; `fonts/README.md`
/// gives its source and licence), so the pictures never depend on the machine's fonts.
pub const CHART_FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// `import`'s mappings, one per export it recognises, in the order they are tried.
pub const IMPORT_MAPS: &[Asset] = &[
    asset!("import", "rvtools.yaml"),
    asset!("import", "azure-migrate.yaml"),
    asset!("import", "azure-migrate-csv.yaml"),
    asset!("import", "aws-migration-hub.yaml"),
    asset!("import", "servicenow-business-app.yaml"),
    asset!("import", "servicenow-server.yaml"),
    asset!("import", "konveyor.yaml"),
];
/// The operating systems' end-of-support dates `import` fills `current.end_of_support` from.
pub const OS_LIFECYCLE: Asset = asset!("import", "os-lifecycle.yaml");
/// The facts no export holds, listed beside each imported workload.
pub const IMPORT_SUPPLY: Asset = asset!("import", "supply.yaml");

/// `init`'s starter files.
pub const INIT_INVENTORY: Asset = asset!("templates/init", "inventory.yaml");
pub const INIT_CONFIG: Asset = asset!("templates/init", "cloudready.toml");

/// A folder of an agency's own files that replace built-in ones of the same name.
#[derive(Debug, Clone, Copy)]
pub struct Folder<'a> {
    /// The folder given (`None`: built-ins only).
    pub dir: Option<&'a Path>,
    /// How built-ins are shown in messages: `<built-in>/{kind}/{name}`.
    pub kind: &'static str,
}

impl<'a> Folder<'a> {
    /// Checks that every file in the folder with one of `extensions` replaces one of `known`
    /// (a misspelt name would otherwise be silently ignored, and the built-in used).
    pub fn new(
        dir: Option<&'a Path>,
        kind: &'static str,
        known: &[&Asset],
        extensions: &[&str],
    ) -> Result<Folder<'a>> {
        if let Some(d) = dir {
            let shown = d.display().to_string();
            let entries = std::fs::read_dir(d).map_err(|e| Error::io(&shown, e))?;
            let names: Vec<&str> = known.iter().map(|a| a.name).collect();
            let mut bad: Vec<String> = entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    extensions.iter().any(|x| n.ends_with(x)) && !names.contains(&n.as_str())
                })
                .collect();
            bad.sort();
            if let Some(name) = bad.first() {
                let hint = did_you_mean(name, names.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("the {kind} files are: {}", names.join(", ")));
                let what = match kind {
                    "templates" => "template",
                    _ => "principle pack or planning rule file",
                };
                return Err(Error::Usage(format!(
                    "{shown}/{name} is not a cloudready {what} (a file replaces the built-in file of the same name); {hint}"
                )));
            }
        }
        Ok(Folder { dir, kind })
    }

    /// Adds the agency's `dir/name` to `sources` when that file exists, else the built-in.
    pub fn read(&self, sources: &mut Sources, asset: &Asset) -> Result<FileId> {
        match self.dir.map(|d| d.join(asset.name)).filter(|p| p.is_file()) {
            Some(p) => {
                let t = std::fs::read_to_string(&p)
                    .map_err(|e| Error::io(p.display().to_string(), e))?;
                Ok(sources.add(p.display().to_string(), t))
            }
            None => Ok(sources.add(
                format!("<built-in>/{}/{}", self.kind, asset.name),
                asset.text.to_string(),
            )),
        }
    }
}

/// Every file `--principles DIR` may hold: packs, planning rules, contradiction rules and the
/// ISM control list.
pub fn principle_files() -> Vec<&'static Asset> {
    PACKS
        .iter()
        .chain([&HOSTING, &STRATEGIES, &CONTRADICTIONS, &ISM_CONTROLS])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_override_is_refused_with_a_suggestion() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p6-automaton.yaml"), "id: P6\n").unwrap();
        let e = Folder::new(
            Some(dir.path()),
            "principles",
            &principle_files(),
            &[".yaml", ".yml"],
        )
        .unwrap_err();
        let text = e.render(false);
        assert!(text.contains("p6-automaton.yaml"), "{text}");
        assert!(
            text.contains("did you mean `p6-automation.yaml`?"),
            "{text}"
        );
    }

    #[test]
    fn an_override_replaces_only_its_namesake() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("hosting.yaml"), "mine").unwrap();
        let folder = Folder::new(
            Some(dir.path()),
            "principles",
            &principle_files(),
            &[".yaml"],
        )
        .unwrap();
        let mut s = Sources::default();
        let h = folder.read(&mut s, &HOSTING).unwrap();
        let st = folder.read(&mut s, &STRATEGIES).unwrap();
        assert_eq!(s.get(h).unwrap().text, "mine");
        assert_eq!(s.path(st), "<built-in>/principles/strategies.yaml");
        assert_eq!(s.get(st).unwrap().text, STRATEGIES.text);
    }
}
