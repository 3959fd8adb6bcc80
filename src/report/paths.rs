//! Where a report's files are, for tools that read the report away from the run: code
//! scanning and GitLab match a path against the repository's files, so a path is given from
//! the repository root, with forward slashes and no `./`, whatever was typed and wherever the
//! run started.

use std::path::{Component, Path, PathBuf};

/// The repository root and the run's working directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roots {
    pub root: PathBuf,
    pub cwd: PathBuf,
}

impl Roots {
    /// `GITHUB_WORKSPACE` or `CI_PROJECT_DIR` (what the CI checked out), else the nearest folder
    /// up from the working directory holding `.git`, else the working directory itself.
    pub fn detect() -> Roots {
        let cwd = std::env::current_dir().unwrap_or_default();
        let from_ci = ["GITHUB_WORKSPACE", "CI_PROJECT_DIR"]
            .iter()
            .filter_map(std::env::var_os)
            .map(PathBuf::from)
            .find(|p| p.is_absolute() && cwd.starts_with(p));
        let root = from_ci
            .or_else(|| {
                cwd.ancestors()
                    .find(|d| d.join(".git").exists())
                    .map(Path::to_path_buf)
            })
            .unwrap_or_else(|| cwd.clone());
        Roots { root, cwd }
    }

    /// The working directory from the root (`infra/` or empty), ending in `/` when not empty.
    pub fn workdir(&self) -> String {
        match self.cwd.strip_prefix(&self.root) {
            Ok(rel) => {
                let s = slashed(rel);
                if s.is_empty() { s } else { format!("{s}/") }
            }
            Err(_) => String::new(),
        }
    }

    /// `path` (as typed, relative to the working directory or absolute) from the repository
    /// root; `None` for standard input (`-`), which is no file in the repository.
    pub fn relative(&self, path: &str) -> Option<String> {
        if path == "-" || path.is_empty() {
            return None;
        }
        let full = normal(&self.cwd.join(path));
        let root = normal(&self.root);
        Some(match full.strip_prefix(&root) {
            Ok(rel) => slashed(rel),
            // Outside the repository: as relative a path as there is, never an absolute one.
            Err(_) => {
                let ups = root.components().count() - common(&root, &full);
                let rest: PathBuf = full.components().skip(common(&root, &full)).collect();
                let mut s = "../".repeat(ups);
                s.push_str(&slashed(&rest));
                s
            }
        })
    }
}

/// `p` with `.` and `..` resolved by name (the file may not exist).
fn normal(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn common(a: &Path, b: &Path) -> usize {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .count()
}

fn slashed(p: &Path) -> String {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(root: &str, cwd: &str) -> Roots {
        Roots {
            root: PathBuf::from(root),
            cwd: PathBuf::from(cwd),
        }
    }

    #[test]
    fn paths_are_given_from_the_repository_root() {
        let r = roots("/repo", "/repo/infra");
        assert_eq!(
            r.relative("inventory.yaml").as_deref(),
            Some("infra/inventory.yaml")
        );
        assert_eq!(
            r.relative("./inventory.yaml").as_deref(),
            Some("infra/inventory.yaml")
        );
        assert_eq!(r.relative("../a/./b.yaml").as_deref(), Some("a/b.yaml"));
        assert_eq!(
            r.relative("/repo/infra/x.yaml").as_deref(),
            Some("infra/x.yaml")
        );
        assert_eq!(r.workdir(), "infra/");
        assert_eq!(roots("/repo", "/repo").workdir(), "");
    }

    #[test]
    fn standard_input_and_outside_paths_are_never_absolute() {
        let r = roots("/repo", "/repo");
        assert_eq!(r.relative("-"), None);
        assert_eq!(r.relative("/etc/x.yaml").as_deref(), Some("../etc/x.yaml"));
    }
}
