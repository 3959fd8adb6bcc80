//! What every integration test shares: where the repository is, and one way to run the binary
//! ([`Cmd`]: arguments, working directory, standard input, environment, then the expected exit
//! status and output), with shorthands for the common cases.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

/// The repository: fixtures and examples are named from here.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/AREA/NAME`, relative to the repository, where runs start: the name a user
/// there would type, so messages and reports name the file so.
pub fn fixture(area: &str, name: &str) -> String {
    format!("tests/fixtures/{area}/{name}")
}

/// `tests/fixtures/AREA/NAME` as an absolute path, for runs in another directory.
pub fn fixture_path(area: &str, name: &str) -> PathBuf {
    root().join(fixture(area, name))
}

/// An inventory's first lines, up to `workloads:`, for a test that writes its own workloads.
pub fn header() -> String {
    "schema: cloudready/v1\nagency: { name: Department of Examples }\nworkloads:\n".into()
}

/// One finished run of the binary.
#[derive(Debug)]
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

    /// Standard output as JSON, or a panic that shows it.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// A run of the binary being built up: by default in the repository, with the user's
/// `NO_COLOR` cleared (output to a pipe is never coloured unless `--color always`), no
/// standard input, and no expectation on the outcome.
pub struct Cmd {
    cmd: assert_cmd::Command,
    what: String,
    code: Option<i32>,
    stdout: Option<String>,
    stderr: Option<String>,
}

/// The binary with `args`.
pub fn cmd<S: AsRef<OsStr>>(args: &[S]) -> Cmd {
    let mut c = cargo_bin_cmd!("cloudready");
    c.env_remove("NO_COLOR").current_dir(root()).args(args);
    // The settings a CI job may export: a test sets the ones it means.
    for v in [
        "FORCE_COLOR",
        "CLOUDREADY_CONFIG",
        "CLOUDREADY_FORMAT",
        "GITHUB_WORKSPACE",
        "CI_PROJECT_DIR",
    ] {
        c.env_remove(v);
    }
    Cmd {
        cmd: c,
        what: format!(
            "{:?}",
            args.iter()
                .map(|a| a.as_ref().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        ),
        code: None,
        stdout: None,
        stderr: None,
    }
}

impl Cmd {
    /// Runs in `dir` instead of the repository.
    pub fn dir(mut self, dir: &Path) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    /// Feeds `input` on standard input.
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.cmd.write_stdin(input.into());
        self
    }

    /// Sets an environment variable for the run.
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// The exit status the run must end with.
    pub fn code(mut self, code: i32) -> Self {
        self.code = Some(code);
        self
    }

    /// Standard output, exactly.
    pub fn stdout(mut self, text: &str) -> Self {
        self.stdout = Some(text.to_string());
        self
    }

    /// Standard error, exactly.
    pub fn stderr(mut self, text: &str) -> Self {
        self.stderr = Some(text.to_string());
        self
    }

    /// Runs, checks every expectation set, and returns what happened.
    pub fn run(mut self) -> Run {
        let r = Run::of(self.cmd.output().unwrap());
        let what = &self.what;
        if let Some(code) = self.code {
            assert_eq!(
                r.code, code,
                "exit status of {what}\nstdout:\n{}\nstderr:\n{}",
                r.stdout, r.stderr
            );
        }
        if let Some(out) = &self.stdout {
            assert_eq!(&r.stdout, out, "stdout of {what}");
        }
        if let Some(err) = &self.stderr {
            assert_eq!(&r.stderr, err, "stderr of {what}");
        }
        r
    }
}

/// Runs the binary in the repository.
pub fn run(args: &[&str]) -> Run {
    cmd(args).run()
}

/// Runs the binary in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    cmd(args).dir(dir).run()
}

/// Runs the binary in the repository with `input` on standard input, if any.
pub fn run_with(args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    match stdin {
        Some(input) => cmd(args).stdin(input).run(),
        None => cmd(args).run(),
    }
}

/// Runs the binary in the repository; it must exit 0, and standard output is JSON.
pub fn json(args: &[&str]) -> Value {
    cmd(args).code(0).run().json()
}

/// The binary, run from the repository with the user's colour setting cleared, for tests that
/// need the raw `assert_cmd` command.
pub fn cloudready() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("cloudready");
    c.env_remove("NO_COLOR").current_dir(root());
    c
}
