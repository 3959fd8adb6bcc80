//! Help and man pages: every option described, examples that stay whole, a page per subcommand.

use clap::CommandFactory;
use cloudready::cli::Cli;

use crate::common::*;

/// Every subcommand's name, from the same definitions the binary parses.
fn subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

fn help(args: &[&str], columns: u16) -> String {
    cmd(args)
        .env("COLUMNS", columns.to_string())
        .code(0)
        .run()
        .stdout
}

#[test]
fn every_option_and_argument_of_every_command_has_a_description() {
    let mut cmd = Cli::command();
    cmd.build();
    let mut missing = Vec::new();
    let mut seen = 0;
    for sub in std::iter::once(&cmd).chain(cmd.get_subcommands()) {
        for arg in sub.get_arguments() {
            seen += 1;
            let described = arg
                .get_help()
                .or(arg.get_long_help())
                .is_some_and(|h| !h.to_string().trim().is_empty());
            if !described {
                missing.push(format!("{} {}", sub.get_name(), arg.get_id()));
            }
        }
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        if about.trim().is_empty() {
            missing.push(format!("{} (no about)", sub.get_name()));
        }
    }
    assert!(seen > 50, "walked only {seen} arguments");
    assert!(missing.is_empty(), "no description: {missing:#?}");
}

#[test]
fn help_snapshots() {
    insta::assert_snapshot!("cloudready", help(&["--help"], 100));
    for sub in subcommands() {
        if sub == "help" {
            continue;
        }
        insta::assert_snapshot!(format!("cloudready-{sub}"), help(&[&sub, "--help"], 100));
    }
}

/// Under `Examples:`, every line is a command or a `#` comment, at every width from 80 up: a
/// wrapped example would split one command into two lines that each look like a command.
#[test]
fn examples_never_wrap_into_fake_commands() {
    let mut checked = 0;
    for sub in subcommands() {
        if sub == "help" {
            continue;
        }
        for columns in [80, 100, 200] {
            let text = help(&[&sub, "--help"], columns);
            let Some((_, examples)) = text.split_once("\nExamples:\n") else {
                panic!("{sub} --help has no examples:\n{text}");
            };
            for line in examples.lines().take_while(|l| !l.is_empty()) {
                assert!(
                    line.starts_with("  cloudready ") || line.starts_with("  # "),
                    "{sub} --help at {columns} columns: {line:?} is neither a command nor a comment"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "{checked}");
}

#[test]
fn man_dir_writes_a_page_per_subcommand_that_groff_renders_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let man = ["man", "--dir", dir.path().to_str().unwrap()];
    cmd(&man).code(0).run();
    let mut pages = vec!["cloudready.1".to_string()];
    pages.extend(
        subcommands()
            .iter()
            .filter(|s| *s != "help")
            .map(|s| format!("cloudready-{s}.1")),
    );
    let mut written: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    pages.sort();
    assert_eq!(written, pages);
    // The top page names the others, which now exist.
    let top = std::fs::read_to_string(dir.path().join("cloudready.1")).unwrap();
    assert!(top.contains("cloudready\\-assess(1)"), "{top}");
    // Again: its own pages are replaced without --force.
    cmd(&man).code(0).run();
    // `man` alone still prints the top page (a written page also carries cloudready's seal,
    // a roff comment on its last line).
    let (body, seal) = top.trim_end().rsplit_once('\n').unwrap();
    assert!(
        seal.starts_with(".\\\" cloudready:output sha256:"),
        "{seal}"
    );
    assert_eq!(help(&["man"], 100), format!("{body}\n"));

    if std::process::Command::new("groff")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("groff is not installed: rendering not checked (.ci/run installs it)");
        return;
    }
    for page in &pages {
        let out = std::process::Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(dir.path().join(page))
            .output()
            .unwrap();
        assert!(out.status.success(), "{page}: {out:?}");
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(warnings.is_empty(), "{page}:\n{warnings}");
        let shown = std::process::Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-P-cbou"])
            .arg(dir.path().join(page))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&shown.stdout);
        assert!(text.contains("OPTIONS"), "{page}:\n{text}");
    }
}
