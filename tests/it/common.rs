//! What every integration test shares: where the repository is, and running the binary.

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;

/// The repository: fixtures and examples are named from here.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(out: std::process::Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// The binary, run from the repository with the user's colour setting cleared (output to a
/// pipe is never coloured unless `--color always`).
pub fn cloudready() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("cloudready");
    c.env_remove("NO_COLOR").current_dir(root());
    c
}

/// Runs the binary in the repository.
pub fn run(args: &[&str]) -> Run {
    Run::of(cloudready().args(args).output().unwrap())
}

/// Runs the binary in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    Run::of(cloudready().current_dir(dir).args(args).output().unwrap())
}
