//! How long reading a YAML inventory into the spanned tree takes, in-process: the event builder
//! the loader uses against parse-only (granit-parser's events, the floor).
//!
//! ```sh
//! cargo run --release --example gen -- 20000 > /tmp/w20k.yaml
//! cargo run --release --example parse_timing -- /tmp/w20k.yaml
//! ```

use std::time::Instant;

use cloudready::load::node::Limits;
use cloudready::load::parse_yaml;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: parse_timing FILE.yaml");
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let mut best = [f64::MAX; 2];
    for _ in 0..3 {
        let t = Instant::now();
        let mut options = granit_parser::Options::default();
        options.emit_comments = false;
        let mut parser = granit_parser::Parser::new_from_str_with_options(&text, options);
        let mut events = 0usize;
        while let Some(e) = parser.next_event() {
            e.expect("valid YAML");
            events += 1;
        }
        best[0] = best[0].min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let root = parse_yaml(0, &text, Limits::default()).expect("valid inventory YAML");
        best[1] = best[1].min(t.elapsed().as_secs_f64());
        assert!(events > 0 && root.as_map().is_some());
    }
    println!(
        "{path}: {} bytes; events only {:.3} s; spanned tree {:.3} s (best of 3)",
        text.len(),
        best[0],
        best[1]
    );
}
