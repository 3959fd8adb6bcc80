//! Arbitrary bytes through load → validate → score → assessment → every renderer, and the
//! markdown and HTML strategy documents; every output is held to `fuzzing::check_output` (no
//! control characters, no raw `<script`).
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run pipeline fuzz/seeds -- -max_total_time=600`
#![no_main]

use std::sync::OnceLock;

use cloudready::fuzzing::Harness;
use libfuzzer_sys::fuzz_target;

static HARNESS: OnceLock<Harness> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let harness = HARNESS.get_or_init(Harness::new);
    // The first byte picks how the file is named, so the extension-driven paths (JSON, CSV)
    // are reached as often as YAML.
    let (name, body) = match data.split_first() {
        Some((b, rest)) if b % 4 == 0 => ("fuzz.json", rest),
        Some((b, rest)) if b % 4 == 1 => ("fuzz.csv", rest),
        Some((_, rest)) if data.len() > 1 && data[0] % 4 == 2 => ("fuzz.yaml", rest),
        _ => ("fuzz.yaml", data),
    };
    let _ = harness.run(name, body);
});
