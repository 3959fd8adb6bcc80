//! Arbitrary bytes through load → validate → score → assessment → every renderer.
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run pipeline fuzz/seeds -- -max_total_time=600`
#![no_main]

use std::sync::OnceLock;

use cloudready::fuzzing::{builtin_settings, run_everything};
use cloudready::pipeline::Settings;
use libfuzzer_sys::fuzz_target;

static SETTINGS: OnceLock<Settings> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let settings = SETTINGS.get_or_init(builtin_settings);
    // The first byte picks how the file is named, so the extension-driven paths are reached too.
    let (name, body) = match data.split_first() {
        Some((b, rest)) if b % 8 == 0 => ("fuzz.json", rest),
        Some((b, rest)) if b % 8 == 1 => ("fuzz.csv", rest),
        _ => ("fuzz.yaml", data),
    };
    let _ = run_everything(name, body, settings);
});
