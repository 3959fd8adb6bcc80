//! Writing output files: FIFOs, devices and standard output, a full disk, ownership by seal,
//! interrupted writes, file modes, symlinks and long names, YAML from import and init that
//! reads back the same, and all-or-nothing writes.

use crate::common::*;

use std::path::Path;
use std::time::{Duration, Instant};

// --- Special output files ----------------------------------------------------------------

/// `-o /dev/stdout` hung: the ownership check read the target first. A FIFO with a reader
/// gets the stream; nothing is read from it and it stays a FIFO, with or without --force.
#[cfg(unix)]
#[test]
fn fifo_and_devices_are_written_as_streams() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for force in [false, true] {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let mut args = vec!["assess", "examples/inventory.yaml", "--format", "csv", "-o"];
        args.push(fifo.to_str().unwrap());
        if force {
            args.push("--force");
        }
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let got = reader.join().unwrap();
        assert!(got.starts_with("id,name,classification"), "{got}");
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }
    // A character device: /dev/null is written, not replaced, even with --force.
    for force in [false, true] {
        let mut args = vec!["assess", "examples/inventory.yaml", "-o", "/dev/null"];
        if force {
            args.push("--force");
        }
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
}

/// `-o /dev/stdout` is standard output (no hang), and `-o -` too, not a file named `-`.
#[test]
fn dash_and_dev_stdout_are_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let inv = root().join("examples/inventory.yaml");
    let inv = inv.to_str().unwrap();
    let want = run_in(dir.path(), &["assess", inv, "--format", "json"]).stdout;
    for target in ["-", "/dev/stdout"] {
        let start = Instant::now();
        let r = run_in(
            dir.path(),
            &["assess", inv, "--format", "json", "-o", target],
        );
        assert_eq!(r.code, 0, "{target}: {}", r.stderr);
        assert!(start.elapsed() < Duration::from_secs(60));
        assert_eq!(r.stdout, want, "{target}");
    }
    assert!(!dir.path().join("-").exists());
}

/// A full device: the error names the path given (it said `<output>` for the strategy).
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_names_the_path() {
    for args in [
        vec![
            "assess",
            "examples/inventory.yaml",
            "--format",
            "json",
            "-o",
            "/dev/full",
        ],
        vec!["strategy", "examples/inventory.yaml", "-o", "/dev/full"],
        vec!["assess", "examples/inventory.yaml", "-o", "/dev/full"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(
            r.stderr.contains("/dev/full: no space left"),
            "{args:?}: {}",
            r.stderr
        );
    }
}

// --- Ownership by seal -------------------------------------------------------------------

/// A file a person wrote, mentioning the phrases cloudready used to look for, is not replaced.
#[test]
fn a_phrase_in_a_file_does_not_make_it_ours() {
    let dir = tempfile::tempdir().unwrap();
    let inv = root().join("examples/inventory.yaml");
    let inv = inv.to_str().unwrap();
    for (name, text, format) in [
        (
            "a.json",
            "{\"schema\": \"cloudready-assessment/v1\", \"mine\": 1}\n",
            "json",
        ),
        ("b.md", "# Cloud readiness: my own notes\n", "markdown"),
        ("c.yaml", "# cloudready-assessment/v1\nmine: 1\n", "yaml"),
        ("d.txt", "┌ my own drawing\n", "table"),
        (
            "e.csv",
            "id,name,classification,overall,band\nmine,Mine,,,\n",
            "csv",
        ),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let r = run(&["assess", inv, "--format", format, "-o", p.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stderr.contains("--force"), "{name}: {}", r.stderr);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), text, "{name}");
    }
}

/// Re-running writes over cloudready's own unedited output without --force, in every format;
/// after an edit it needs --force.
#[test]
fn reruns_replace_their_own_sealed_output() {
    let dir = tempfile::tempdir().unwrap();
    let inv = root().join("examples/inventory.yaml");
    let inv = inv.to_str().unwrap();
    let out = |n: &str| dir.path().join(n).display().to_string();
    let runs: Vec<Vec<String>> = [
        ("assess", "json", "a.json"),
        ("assess", "yaml", "a.yaml"),
        ("assess", "markdown", "a.md"),
        ("assess", "table", "a.txt"),
        ("assess", "csv", "a.csv"),
        ("strategy", "markdown", "s.md"),
        ("strategy", "html", "s.html"),
    ]
    .iter()
    .map(|(cmd, f, n)| {
        vec![
            "-q".into(),
            cmd.to_string(),
            inv.into(),
            "--format".into(),
            f.to_string(),
            "-o".into(),
            out(n),
        ]
    })
    .chain([
        vec![
            "-q".into(),
            "import".into(),
            root()
                .join("tests/fixtures/eco/workloads.csv")
                .display()
                .to_string(),
            "-o".into(),
            out("i.yaml"),
        ],
        vec!["schema".into(), "-o".into(), out("schema.json")],
    ])
    .collect();
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let first = run(&args);
        assert_eq!(first.code, 0, "{args:?}: {}", first.stderr);
        let again = run(&args);
        assert_eq!(again.code, 0, "{args:?}: {}", again.stderr);
    }
    // The outputs stay what they claim to be.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out("a.json")).unwrap()).unwrap();
    assert!(
        json["cloudready_seal"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert_eq!(json["schema"], "cloudready-assessment/v1");
    let r = run(&["validate", &out("i.yaml")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out("schema.json")).unwrap()).unwrap();
    assert!(schema["$comment"].as_str().unwrap().contains("sha256:"));
    // An edited output is someone's work now.
    let p = out("a.yaml");
    let edited = std::fs::read_to_string(&p)
        .unwrap()
        .replacen("agency", "agency ", 1);
    std::fs::write(&p, &edited).unwrap();
    let r = run(&["assess", inv, "--format", "yaml", "-o", &p]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), edited);
    // The CSV has no seal: the same bytes are fine, other bytes need --force.
    let csv = out("a.csv");
    std::fs::write(&csv, std::fs::read_to_string(&csv).unwrap() + "x,y\n").unwrap();
    let r = run(&["assess", inv, "--format", "csv", "-o", &csv]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

// --- Interrupted writes leave no temporary file ------------------------------------------

#[cfg(unix)]
#[test]
fn signals_remove_the_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    // Big enough that the JSON takes a while to write in a debug build.
    let mut text = header();
    for i in 0..20_000 {
        text.push_str(&format!(
            "  - id: w{i}\n    name: Workload {i}\n    classification: OFFICIAL\n    current: {{ hosting: on-premises }}\n"
        ));
    }
    let inv = dir.path().join("big.yaml");
    std::fs::write(&inv, text).unwrap();
    for signal in ["INT", "TERM", "HUP"] {
        let out = dir.path().join(format!("out-{signal}.json"));
        std::fs::write(&out, b"old").unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("cloudready"))
            .args([
                "-q",
                "assess",
                inv.to_str().unwrap(),
                "--format",
                "json",
                "--force",
                "-o",
            ])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let temp = || {
            std::fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        };
        let start = Instant::now();
        while !temp() && start.elapsed() < Duration::from_secs(60) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(
            temp(),
            "{signal}: no temporary file appeared (the write was too quick)"
        );
        std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "{signal}: {status:?}");
        assert!(!temp(), "{signal}: temporary file left behind");
        assert_eq!(std::fs::read(&out).unwrap(), b"old", "{signal}");
    }
}

// --- Files: mode, symlinks, long names ---------------------------------------------------

#[cfg(unix)]
#[test]
fn rewrites_keep_mode_and_follow_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    let args = |p: &Path| {
        vec![
            "assess".to_string(),
            "examples/inventory.yaml".into(),
            "--format".into(),
            "json".into(),
            "-o".into(),
            p.display().to_string(),
        ]
    };
    let go = |p: &Path| {
        let a = args(p);
        run(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    assert_eq!(go(&real).code, 0);
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let r = go(&link);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_245_character_output_name_works() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(format!("{}.json", "a".repeat(240)));
    let r = run(&[
        "assess",
        "examples/inventory.yaml",
        "--format",
        "json",
        "-o",
        p.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

// --- import and init write YAML that reads back the same ---------------------------------

const NASTY: &[&str] = &[
    "\u{7f}del",
    "nel\u{85}",
    "csi\u{9b}31m",
    "\u{feff}leading bom",
    "a\u{fffe}b",
    "end\u{ffff}",
    "line\u{2028}sep",
    "tab\there",
    "\u{1b}[31mred",
    "back\\slash \"quoted\"",
    " padded ",
    "- dash",
    "\u{a0}nbsp",
    "010",
];

#[test]
fn import_round_trips_every_character() {
    use cloudready::load::{LoadOptions, load_from_bytes};
    let workloads: Vec<serde_json::Value> = NASTY
        .iter()
        .enumerate()
        .map(
            |(i, s)| serde_json::json!({"id": format!("w{i}"), "name": s, "owner": s, "tags": [s]}),
        )
        .collect();
    let json = serde_json::json!({
        "schema": "cloudready/v1",
        "agency": {"name": "\u{feff}\u{7f}Agency\u{9f}"},
        "workloads": workloads,
    });
    let opts = LoadOptions::default();
    // ASCII-only JSON: every other character as its `\u` escape.
    let ascii: String = json
        .to_string()
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_control() {
                c.to_string()
            } else {
                format!("\\u{:04x}", c as u32)
            }
        })
        .collect();
    let inv = load_from_bytes(&[("in.json".into(), ascii.into_bytes())], &opts)
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
    let yaml = cloudready::import::to_yaml(&inv);
    let back = load_from_bytes(&[("out.yaml".into(), yaml.clone().into_bytes())], &opts)
        .unwrap_or_else(|e| panic!("{}\n{yaml}", e.render(false)));
    assert_eq!(back.agency.name, inv.agency.name);
    for (a, b) in inv.workloads.iter().zip(&back.workloads) {
        assert_eq!(a.name, b.name, "{yaml}");
    }
    assert_eq!(
        serde_json::to_string(&back.workloads.iter().map(|w| &w.name).collect::<Vec<_>>()).unwrap(),
        serde_json::to_string(&inv.workloads.iter().map(|w| &w.name).collect::<Vec<_>>()).unwrap()
    );
}

#[test]
fn init_with_any_agency_name_validates() {
    for name in NASTY.iter().filter(|s| !s.trim().is_empty()) {
        let dir = tempfile::tempdir().unwrap();
        let agency = format!("--agency={name}");
        let r = run(&["-q", "init", dir.path().to_str().unwrap(), &agency]);
        assert_eq!(r.code, 0, "{name:?}: {}", r.stderr);
        let inv = dir.path().join("inventory.yaml");
        let r = run(&["validate", inv.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{name:?}: {}", r.stderr);
    }
}

// --- All or nothing ----------------------------------------------------------------------

#[test]
fn strategy_refuses_an_extension_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("strategy.pdf");
    let r = run(&[
        "strategy",
        "examples/minimal.yaml",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not .pdf"), "{}", r.stderr);
    assert!(!pdf.exists());
    // Explicitly asked for, it is written under that name.
    let r = run(&[
        "strategy",
        "examples/minimal.yaml",
        "--format",
        "html",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(&pdf).unwrap().contains("<html"));
}

/// A later file that cannot be written takes the earlier ones with it (here the file-size
/// limit stops the schema, the largest, after the inventory and config were written).
#[cfg(target_os = "linux")]
#[test]
fn init_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new");
    let bin = assert_cmd::cargo::cargo_bin!("cloudready");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f 12; trap '' XFSZ; exec '{}' -q init '{}'",
            bin.display(),
            target.display()
        ))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    assert!(
        !target.exists(),
        "left: {:?}",
        std::fs::read_dir(&target).map(|d| d.count())
    );
    // Without the limit, all three.
    let r = run(&["-q", "init", target.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read_dir(&target).unwrap().count(), 3);
}
