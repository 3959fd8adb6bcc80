//! Differential tests: the builder against the serde-saphyr route it replaces, which is
//! the oracle. Both must give the identical tree (every value and every location), or both
//! refuse the document.

use super::*;
use proptest::prelude::*;

const FILE: FileId = 3;

/// Some(true): same tree; Some(false): both refused; None: the builder handed it back.
fn same(text: &str) -> Option<bool> {
    let limits = Limits::default();
    let oracle = super::super::saphyr::parse_yaml(FILE, text, limits);
    match (parse(FILE, text, limits), oracle) {
        (Err(Failure::Unsupported(_)), _) => None,
        (Ok(fast), Ok(slow)) => {
            assert_eq!(fast, slow, "different trees for {text:?}");
            Some(true)
        }
        (Err(Failure::Error(_)), Err(_)) => Some(false),
        (Ok(fast), Err(e)) => {
            panic!("builder accepted what serde-saphyr refused ({e}): {text:?}\n{fast:?}")
        }
        (Err(Failure::Error(e)), Ok(slow)) => {
            panic!("builder refused ({e}) what serde-saphyr accepted: {text:?}\n{slow:?}")
        }
    }
}

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        {
            out.push(p);
        }
    }
}

#[test]
fn every_example_fixture_and_seed_reads_the_same() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for d in ["examples", "tests/fixtures", "fuzz/seeds", "principles"] {
        files_under(&root.join(d), &mut files);
    }
    files.sort();
    assert!(files.len() >= 30, "found only {} files", files.len());
    let mut accepted = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        match same(text) {
            Some(true) => accepted += 1,
            Some(false) => {}
            None => panic!("{} is left to serde-saphyr", f.display()),
        }
    }
    println!("{} files compared, {accepted} accepted", files.len());
}

const TRICKY: &[&str] = &[
    "",
    "   \n# only a comment\n",
    "---\n",
    "---\n...\n",
    "a: 1\n---\nb: 2\n",
    "--- a\n",
    "~",
    "null",
    "a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: ''\ng: \"\"\n",
    "yes: no\non: off\ny: n\n",
    "[true, True, TRUE, false, False, FALSE, tRue]",
    "[0x1F, 0X1f, 0o17, 0O17, 0b101, 1_000, 1__0, _1, 1_, 012, -012, +12, -0, 0, 00]",
    "[0x, 0o, 0b, 0x_1, 0xG, -0x1F, +0x1F, 9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854775809, 18446744073709551615, 18446744073709551616, 340282366920938463463374607431768211456]",
    "[1.5, -1.5, +1.5, .5, 5., 1e3, 1E3, 1e-3, 1.5e+3, 1_000.5, 0.0, -0.0, 1e308]",
    "a: .inf\n",
    "a: -.Inf\n",
    "a: .nan\n",
    "a: 1e999\n",
    "[inf, nan, infinity, -inf, .infx, ..5, 1.2.3, 1e, e1, 0x1.8p3]",
    "[\"1\", '2', \"true\", 'null', \"~\", \"0x1F\", \"\"]",
    "a: !!str 123\nb: !!int \"42\"\nc: !!float 1\nd: !!bool true\ne: !!null x\n",
    "f: !!str\nh: !!int -7\ni: !!int 0x10\nj: !!str ~\nk: !!null\n",
    "g: ! 12\n",
    "g: !<tag:yaml.org,2002:str> 12\n",
    "%TAG !e! tag:yaml.org,2002:\n---\ng: !e!int 12\n",
    "a: !!bool yes\n",
    "a: !!int abc\n",
    "a: !!int 1.5\n",
    "a: !!float abc\n",
    "a: !!float .inf\n",
    "a: !!str [1]\n",
    "a: !!seq [1]\nb: !!map {x: 1}\n",
    "a: !!map [1]\n",
    "a: !custom x\n",
    "a: !custom 5\nb: !custom ~\nc: !custom true\nd: !custom '7'\ne: !custom\n",
    "a: !custom [1, x]\nb: !custom {c: 1}\n!custom k: v\n",
    "a: !<tag:example.com,2000:x> 12\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!x 12\n",
    "a: !int 12\nb: !timestamp 2001-12-14\nc: !include x\n",
    "a: !!binary aGVsbG8=\n",
    "base: &b {x: 1, y: 2}\nc: *b\nd:\n  <<: *b\n  y: 3\n",
    "base: &b\n  x: 1\nother: &o\n  x: 2\n  z: 4\nm:\n  <<: [*b, *o]\n  w: 0\n",
    "m:\n  <<: {a: 1, b: {c: 2}}\n  a: 0\n",
    "m:\n  <<: ~\n  a: 1\n",
    "m:\n  <<:\n  a: 1\n",
    "m:\n  <<: 5\n",
    "m:\n  <<: [1]\n",
    "a: &x 1\nb: *x\nc: [*x, *x]\n",
    "a: &x [1, {b: &y c}]\nd: *x\ne: *y\n",
    "a: *nope\n",
    "a: &x [1, *x]\n",
    "&k key: 1\n*k : 2\n",
    "a: 1\na: 2\n",
    "a: 1\n\"a\": 2\n",
    "1: a\n\"1\": b\n",
    "1: a\n0x1: b\n",
    "true: a\n\"true\": b\n",
    "True: a\n\"true\": b\n",
    "~: a\nnull: b\n",
    "~: a\n~: b\n",
    "? a\n? b\n: c\n",
    "? [a, b]\n: c\n",
    "{a: 1, b: [x, {c: d}], e}",
    "[a, [b, [c, []]], {}]",
    "- a\n- - b\n  - c\n- {d: e}\n- [f]\n",
    "key: value with spaces\nother:   trailing   \n",
    "s: |\n  line 1\n  line 2\nt: >\n  folded\n  text\n\nu: |-\n  keep\nv: >+\n  x\n\n",
    "a: \"esc\\tapes \\u00e9 \\n\"\nb: 'it''s'\n",
    "a: plain\n  continued\n  lines\n",
    "a: 1 # comment\n# full\nb: 2\n",
    "a: 1\r\nb:\r\n  - x\r\n  - y\r\n",
    "\u{feff}a: 1\n",
    "a: b: c\n",
    "x:\n  classification: OFFICIAL: Sensitive\n",
    "a:\n\t- b\n",
    "a: [1, 2\n",
    "a: {b: 1\n",
    "- a\nb: c\n",
    "a: 1\n  b: 2\n",
    "\"unterminated\n",
    "a: 'x\n",
    "[a, b]]",
    "a: 1\n...\nb: 2\n",
    "%YAML 1.2\n---\na: 1\n",
    "é: ü\n日本: 語\n\"😀\": x\n",
    "a: -\nb: - x\n",
    "- \n- ~\n-\n",
    "workloads:\n  - id: a\n    name: A\n    tags: [x, y]\n",
    "<<: {a: 1}\n",
    "m:\n  <<: [[{a: 1}], {b: 2}]\n",
    "m:\n  <<: [[], {}, ~]\n  c: 3\n",
    "b: &b {x: 1}\nm:\n  <<: {a: *b, c: [*b]}\n",
    "b: &b {x: 1, <<: {y: 2}}\nm:\n  <<: *b\n  x: 0\n",
    "m:\n  <<: {a: 1, a: 2}\n",
    "m:\n  <<: {a: .inf}\n  a: 1\n",
    "m:\n  <<: {a: .inf}\n",
    "m:\n  <<: [{a: 1}, {a: 2, b: 3}]\n  b: 0\n",
    "a: <<\nb: [<<]\n",
    "&a a: &b b\n*a : c\n",
];

#[test]
fn tricky_snippets_read_the_same() {
    let mut accepted = 0;
    let mut refused = 0;
    let mut handed_back = 0;
    for t in TRICKY {
        match same(t) {
            Some(true) => accepted += 1,
            Some(false) => {
                println!("both refuse: {t:?}");
                refused += 1;
            }
            None => {
                println!("left to serde-saphyr: {t:?}");
                handed_back += 1;
            }
        }
    }
    println!(
        "{} snippets: {accepted} same tree, {refused} both refused, {handed_back} left to serde-saphyr",
        TRICKY.len()
    );
    assert!(accepted >= 40, "{accepted}");
    // Custom tags, collections as keys, and the odd corners of merge keys.
    assert!(handed_back <= 8, "{handed_back}");
}

/// Documents at and just past each limit: both must accept or both refuse.
#[test]
fn limits_agree() {
    let mut cases = Vec::new();
    for n in [62, 63, 64, 65, 66] {
        cases.push("[".repeat(n) + &"]".repeat(n));
        cases.push("{a: ".repeat(n) + "1" + &"}".repeat(n));
        cases.push(
            (0..n)
                .map(|i| format!("{}- x{i}\n{}-", "  ".repeat(i), "  ".repeat(i)))
                .collect::<String>(),
        );
        cases.push(
            (0..n)
                .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
                .collect::<String>(),
        );
        // An alias that nests a deep anchor one or two levels deeper.
        let deep = "[".repeat(n - 2) + &"]".repeat(n - 2);
        cases.push(format!("a: &d {deep}\nb: [*d]\nc: [[*d]]\n"));
    }
    for levels in 3..7 {
        let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..levels {
            let items = vec![format!("*a{}", i - 1); 10].join(", ");
            s.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        cases.push(s);
    }
    // Many aliases of one anchor: the alias/anchor ratio check.
    for n in [99, 100, 101] {
        cases.push(format!("a: &x 1\nb: [{}]\n", vec!["*x"; n].join(", ")));
    }
    let mut both_refused = 0;
    for c in &cases {
        if same(c) == Some(false) {
            both_refused += 1;
        }
    }
    assert!(both_refused >= 10, "{both_refused} of {}", cases.len());
}

fn atom() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a",
        "b",
        "key",
        "x y",
        "1",
        "-2",
        "0x1F",
        "0o7",
        "1_000",
        "012",
        "1.5",
        ".5",
        "1e3",
        "true",
        "False",
        "yes",
        "no",
        "~",
        "null",
        "",
        "\"q\"",
        "'s'",
        "\"1\"",
        "'true'",
        "!!str 5",
        "!!int 7",
        "é",
        "a#b",
        "a # c",
        "<<",
        "-",
        "?",
        ".inf",
        "[]",
        "{}",
        "[1, a]",
        "{k: v}",
        "&an v",
        "*an",
        "|\n  lit",
        ">\n  fold",
        "\"\"",
    ])
    .prop_map(str::to_owned)
}

/// A YAML-ish tree written out in block style, with flow collections, anchors, aliases,
/// merges and block scalars among the values.
#[derive(Debug, Clone)]
enum Tree {
    Leaf(String),
    Seq(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a", "b", "id", "name", "x y", "1", "0x1", "true", "\"a\"", "'b'", "~", "<<", "é", "&k kk",
        "*k", "? q", "-1", "1.5",
    ])
    .prop_map(str::to_owned)
}

fn tree() -> impl Strategy<Value = Tree> {
    atom()
        .prop_map(Tree::Leaf)
        .prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Tree::Seq),
                prop::collection::vec((key(), inner), 0..5).prop_map(Tree::Map),
            ]
        })
}

fn write(t: &Tree, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    match t {
        Tree::Leaf(s) => {
            out.push(' ');
            out.push_str(&s.replace('\n', &format!("\n{pad}")));
            out.push('\n');
        }
        Tree::Seq(items) if items.is_empty() => out.push_str(" []\n"),
        Tree::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Tree::Seq(items) => {
            out.push('\n');
            for i in items {
                out.push_str(&pad);
                out.push('-');
                write(i, indent + 1, out);
            }
        }
        Tree::Map(entries) => {
            out.push('\n');
            for (k, v) in entries {
                out.push_str(&pad);
                out.push_str(k);
                out.push(':');
                write(v, indent + 1, out);
            }
        }
    }
}

fn doc() -> impl Strategy<Value = String> {
    (tree(), prop::bool::ANY, prop::bool::ANY).prop_map(|(t, crlf, anchor)| {
        let mut out = String::new();
        if anchor {
            out.push_str("base: &an {a: 1, b: [x, y]}\n");
        }
        match &t {
            Tree::Map(_) => {
                write(&t, 0, &mut out);
                out = out.replacen('\n', "", usize::from(!anchor));
            }
            _ => {
                out.push_str("root:");
                write(&t, 1, &mut out);
            }
        }
        if crlf {
            out = out.replace('\n', "\r\n");
        }
        out
    })
}

/// Random small documents from YAML-ish lines (keys, scalars of every kind, flow
/// collections, anchors and aliases, block scalars, nesting, CRLF). Many are not valid
/// YAML, which is as useful: then both must refuse them.
#[test]
fn random_documents_read_the_same() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: 3000,
        ..Config::default()
    });
    let (accepted, refused, handed_back) = (
        std::cell::Cell::new(0),
        std::cell::Cell::new(0),
        std::cell::Cell::new(0),
    );
    runner
        .run(&doc(), |text| {
            let c = match same(&text) {
                Some(true) => &accepted,
                Some(false) => &refused,
                // Mappings or lists as keys (`? a: b`), mostly.
                None => &handed_back,
            };
            c.set(c.get() + 1);
            Ok(())
        })
        .unwrap();
    let (a, r, h) = (accepted.get(), refused.get(), handed_back.get());
    println!("random documents: {a} same tree, {r} both refused, {h} left to serde-saphyr");
    assert!(
        a >= 500,
        "only {a} accepted documents: the generator is too broken"
    );
}
