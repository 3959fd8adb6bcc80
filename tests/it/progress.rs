//! The progress bar: drawn on a terminal for a run that lasts, never when standard error is
//! piped or with `--quiet`. The terminal is a pseudo-terminal from util-linux `script`.

use std::path::PathBuf;
use std::process::Command;

/// Past 512, so the hooks (they update the bar every 512 workloads) fire in both phases; the
/// delay is set to zero below, so the run need not outlast the usual second.
const WORKLOADS: usize = 600;
/// The bar's delay in these runs, in milliseconds (a test-only setting of `src/progress.rs`).
const DELAY_MS: &str = "0";

fn inventory() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.yaml");
    std::fs::write(&path, cloudready::synth::inventory(WORKLOADS)).unwrap();
    (dir, path)
}

fn bin() -> String {
    env!("CARGO_BIN_EXE_cloudready").to_string()
}

/// What a terminal shows of `args` (stdout thrown away), or None without `script`.
fn on_terminal(args: &str) -> Option<String> {
    let cmd = format!("{} {args} > /dev/null", bin());
    let out = Command::new("script")
        .args(["-qefc", &cmd, "/dev/null"])
        .env("TERM", "xterm-256color")
        .env("CLOUDREADY_PROGRESS_DELAY_MS", DELAY_MS)
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_long_run_on_a_terminal_shows_reading_and_scoring() {
    let (_dir, path) = inventory();
    let Some(screen) = on_terminal(&format!("assess --format csv {}", path.display())) else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert!(screen.contains("reading"), "{screen:?}");
    assert!(screen.contains("scoring"), "{screen:?}");
    assert!(
        screen.contains(&format!("/{WORKLOADS} workloads")),
        "{screen:?}"
    );
}

#[test]
fn quiet_or_piped_runs_show_no_bar() {
    let (_dir, path) = inventory();
    let p = path.display().to_string();
    if let Some(screen) = on_terminal(&format!("--quiet assess --format csv {p}")) {
        assert!(
            !screen.contains("reading") && !screen.contains("scoring"),
            "{screen:?}"
        );
    }
    let out = Command::new(bin())
        .env("CLOUDREADY_PROGRESS_DELAY_MS", DELAY_MS)
        .args(["assess", "--format", "csv", &p])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("reading") && !err.contains("scoring"),
        "{err}"
    );
}
