//! `cloudready init`: a starter `inventory.yaml` (three commented sample workloads that show
//! every field), `cloudready.toml` (every setting, with a starting `[check]` bar the samples
//! meet, so `init` then `check` passes) and the editor schema
//! beside them. The starters are data in `templates/init/`; init never overwrites a file.

use std::path::Path;

use crate::error::{Error, Result};
use crate::import::scalar;
use crate::output;

pub const DEFAULT_AGENCY: &str = "Department of Example Affairs";

/// The files init writes, by name, with their content.
pub fn files(agency: Option<&str>) -> Vec<(&'static str, String)> {
    let name = agency.map(str::trim).unwrap_or(DEFAULT_AGENCY);
    vec![
        (
            "inventory.yaml",
            crate::assets::INIT_INVENTORY
                .text
                .replace("{{agency}}", &scalar(name)),
        ),
        (
            "cloudready.toml",
            crate::assets::INIT_CONFIG.text.to_string(),
        ),
        ("inventory.schema.json", crate::schema::render()),
    ]
}

/// Writes the starter files into `dir` (created if missing). Refuses, writing nothing, when any
/// of them exists. Returns the paths written.
pub fn run(dir: &Path, agency: Option<&str>) -> Result<Vec<String>> {
    if let Some(a) = agency
        && a.trim().is_empty()
    {
        return Err(Error::Usage("--agency needs a name".into()));
    }
    let files = files(agency);
    let existing: Vec<String> = files
        .iter()
        .map(|(n, _)| dir.join(n))
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Error::file(
            existing.join(", "),
            "already exists; init never overwrites a file, so nothing was written (move it aside or init another folder)",
        ));
    }
    let created_dir = !dir.exists();
    if created_dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    }
    // All or nothing: when one file cannot be written, the ones before it (which did not
    // exist, see above) are removed again, and the folder if this run made it.
    let mut written: Vec<std::path::PathBuf> = Vec::new();
    for (name, text) in &files {
        let p = dir.join(name);
        if let Err(e) = output::write_atomic(
            &p,
            text.as_bytes(),
            output::Overwrite::Ours,
            output::Seal::None,
        ) {
            for w in &written {
                let _ = std::fs::remove_file(w);
            }
            if created_dir {
                let _ = std::fs::remove_dir(dir);
            }
            return Err(e);
        }
        written.push(p);
    }
    Ok(written.iter().map(|p| p.display().to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_name_is_yaml_quoted_when_needed() {
        let f = files(Some("Dept: of \"Things\""));
        assert!(
            f[0].1.contains("  name: \"Dept: of \\\"Things\\\"\"\n"),
            "{}",
            &f[0].1[..800]
        );
        assert!(
            files(None)[0]
                .1
                .contains("  name: Department of Example Affairs\n")
        );
    }
}
