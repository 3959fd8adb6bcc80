//! Hostile and broken inputs: every limit and file-system edge case ends in exit 2 with a
//! message that names the problem; nothing crashes, hangs or writes half a file.

use crate::common::*;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cloudready::fuzzing::{Outcome, builtin_settings, run_everything};
use cloudready::load::{self, LoadOptions};
use proptest::prelude::*;

fn example() -> PathBuf {
    root().join("examples/inventory.yaml")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn load_text(name: &str, text: &[u8]) -> cloudready::Result<cloudready::inventory::Inventory> {
    load::load_from_bytes(
        &[(name.to_string(), text.to_vec())],
        &LoadOptions::default(),
    )
}

fn rendered(e: &cloudready::Error) -> String {
    e.render(false)
}

/// Generous enough for a debug build on a loaded two-core machine.
const FAST: Duration = Duration::from_secs(2);

fn billion_laughs(levels: usize) -> String {
    let mut s = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..levels {
        let prev = format!("*a{}", i - 1);
        let items = [prev.as_str(); 10].join(",");
        s.push_str(&format!("a{i}: &a{i} [{items}]\n"));
    }
    s
}

#[test]
fn alias_bomb_is_refused_fast() {
    let text = billion_laughs(10);
    let t = Instant::now();
    let err = load_text("bomb.yaml", text.as_bytes()).unwrap_err();
    let took = t.elapsed();
    let msg = rendered(&err);
    println!("{msg}\n{took:?}");
    assert!(took < FAST, "took {took:?}");
}

#[test]
fn deep_nesting_is_refused_fast() {
    for open in ["[", "{", "- "] {
        let text = open.repeat(100_000);
        let t = Instant::now();
        let err = load_text("deep.yaml", text.as_bytes()).unwrap_err();
        let took = t.elapsed();
        let msg = rendered(&err);
        println!("{open}: {msg}\n{took:?}");
        assert!(took < FAST, "took {took:?}");
    }
}

#[test]
fn alias_bomb_and_deep_nesting_exit_2_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.yaml");
    std::fs::write(&bomb, billion_laughs(10)).unwrap();
    let t = Instant::now();
    let r = run(&["validate", s(&bomb)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("bomb.yaml:"), "{}", r.stderr);
    assert!(
        r.stderr.contains("aliases expand to more than"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("split the inventory into several files"),
        "{}",
        r.stderr
    );
    let deep = dir.path().join("deep.yaml");
    std::fs::write(&deep, "[".repeat(100_000)).unwrap();
    let r = run(&["assess", s(&deep)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("nesting deeper than 64 levels"),
        "{}",
        r.stderr
    );
    assert!(t.elapsed() < 2 * FAST, "took {:?}", t.elapsed());
}

#[test]
fn max_input_size_refuses_a_larger_file() {
    let len = std::fs::metadata(example()).unwrap().len();
    let limit = (len - 1).to_string();
    let r = run(&[
        "assess",
        "examples/inventory.yaml",
        "--max-input-size",
        &limit,
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .contains("examples/inventory.yaml: larger than the input limit of")
            && r.stderr.contains("--max-input-size"),
        "{}",
        r.stderr
    );
    // The same limit applies to standard input, which has no length to look at first.
    let r = run_with(
        &["validate", "-", "--max-input-size", &limit],
        Some(std::fs::read(example()).unwrap()),
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("larger than the input limit"),
        "{}",
        r.stderr
    );
    // At exactly its size the file is accepted.
    let r = run(&[
        "validate",
        "examples/inventory.yaml",
        "--max-input-size",
        &len.to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn stdin_dash_is_read_and_named_in_errors() {
    let r = run_with(&["validate", "-"], Some(std::fs::read(example()).unwrap()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("valid: 21 workloads"), "{}", r.stdout);
    let r = run_with(&["validate", "-"], Some(b"workloads: [\n".to_vec()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-:"), "{}", r.stderr);
}

#[test]
fn missing_file_and_directory_name_the_path() {
    let r = run(&["validate", "no/such/inventory.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("no/such/inventory.yaml: no such file or directory"),
        "{}",
        r.stderr
    );
    let r = run(&["validate", "examples"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("examples: is a directory"),
        "{}",
        r.stderr
    );
}

#[test]
fn not_utf8_says_which_byte_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let mid = dir.path().join("mid.yaml");
    let mut bytes = b"schema: cloudready/v1\nagency:\n  name: Caf".to_vec();
    bytes.push(0xe9); // Latin-1 é
    bytes.extend_from_slice(b" Dept\n");
    std::fs::write(&mid, &bytes).unwrap();
    let r = run(&["validate", s(&mid)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("not UTF-8 text: byte 0xe9 at line 3, column 12"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("mid.yaml:3:12"), "{}", r.stderr);

    let utf16 = dir.path().join("utf16.yaml");
    let mut bytes = vec![0xff, 0xfe];
    for u in "schema: cloudready/v1\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&utf16, &bytes).unwrap();
    let r = run(&["validate", s(&utf16)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("byte 0xff at line 1, column 1"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("UTF-16") && r.stderr.contains("save it as UTF-8"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.yaml");
    let b = dir.path().join("b.yaml");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let r = run(&["validate", s(&a)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("a.yaml: symbolic link loop"),
        "{}",
        r.stderr
    );
}

/// A folder the run may not write into. As root, permissions do not stop a write, so use /proc,
/// where nobody may create files.
fn unwritable_dir(tmp: &Path) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let d = tmp.join("locked");
        std::fs::create_dir(&d).unwrap();
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o500)).unwrap();
        if std::fs::write(d.join("probe"), b"").is_err() {
            return d;
        }
        let _ = std::fs::remove_file(d.join("probe"));
    }
    PathBuf::from("/proc")
}

#[test]
fn unwritable_or_missing_output_folder_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let locked = unwritable_dir(tmp.path());
    let out = locked.join("assessment.json");
    let r = run(&[
        "assess",
        "examples/inventory.yaml",
        "-f",
        "json",
        "-o",
        s(&out),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(s(&out)) && r.stderr.contains("cannot create a file in"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());

    let missing = tmp.path().join("no/such/folder/assessment.json");
    let r = run(&["assess", "examples/inventory.yaml", "-o", s(&missing)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(s(&missing)) && r.stderr.contains("does not exist"),
        "{}",
        r.stderr
    );

    let file = tmp.path().join("plain");
    std::fs::write(&file, b"x").unwrap();
    let under_file = file.join("assessment.json");
    let r = run(&["assess", "examples/inventory.yaml", "-o", s(&under_file)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is a file, not a folder"), "{}", r.stderr);
    // Nothing but what the test made itself.
    let mut names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.retain(|n| n != "locked");
    assert_eq!(names, vec![std::ffi::OsString::from("plain")]);
}

#[test]
fn a_successful_output_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a.md");
    for _ in 0..2 {
        let r = run(&[
            "assess",
            "examples/inventory.yaml",
            "-f",
            "markdown",
            "-o",
            s(&out),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("a.md")]);
}

/// One way to break a file: the kinds of damage hands and tools do to inventories.
#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, what: &'static str },
    Flip { at: usize, mask: u8 },
}

const PUNCTUATION: &[&str] = &[
    ":",
    ": ",
    "-",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!",
    "!!binary ",
    "\t",
    "\"",
    "'",
    "\n",
    "\n  ",
    "---\n",
    "<<: *a\n",
    "#",
    "|",
    ">",
    "?",
    ",",
    "%YAML 1.2\n",
    "\u{feff}",
    "\0",
    "9999999999999999999999",
    "-.inf",
    "2026-02-30",
];

fn mutation(len: usize) -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0..len, 1..200usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (0..len, prop::sample::select(PUNCTUATION))
            .prop_map(|(at, what)| Mutation::Insert { at, what }),
        (0..len, 1..=255u8).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    match *m {
        Mutation::Delete { at, len } => {
            let at = at.min(bytes.len());
            let end = (at + len).min(bytes.len());
            bytes.drain(at..end);
        }
        Mutation::Insert { at, what } => {
            let at = at.min(bytes.len());
            bytes.splice(at..at, what.bytes());
        }
        Mutation::Flip { at, mask } => {
            if let Some(b) = bytes.get_mut(at) {
                *b ^= mask;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Damaged example inventories end in output or a clean error, never a panic.
    #[test]
    fn mutated_inventories_never_panic(muts in prop::collection::vec(mutation(27_000), 1..6)) {
        let mut bytes = std::fs::read(example()).unwrap();
        for m in &muts {
            apply(&mut bytes, m);
        }
        match run_everything("inventory.yaml", &bytes, settings()) {
            Outcome::Rendered(outputs) => prop_assert!(outputs.iter().all(|o| !o.is_empty())),
            Outcome::Refused(message) => prop_assert!(message.contains("error"), "{}", message),
        }
    }
}

fn settings() -> &'static cloudready::pipeline::Settings {
    static SETTINGS: std::sync::OnceLock<cloudready::pipeline::Settings> =
        std::sync::OnceLock::new();
    SETTINGS.get_or_init(builtin_settings)
}
