//! Every integration test in one binary (one link instead of one per file), sharing
//! [`common`]'s helpers. Each module is the tests of one area; they run the real binary on
//! fixtures under `tests/fixtures/`.

mod check;
mod ci_reports;
mod cli;
mod common;
mod controls;
mod ecosystem;
mod help;
mod hostile_text;
mod hosting_probes;
mod import;
mod inputs;
mod integrations;
mod ism;
mod office;
mod output_files;
mod paper;
mod pipeline;
mod plan;
mod progress;
mod readiness_rules;
mod recommendations;
mod release;
mod robustness;
mod scoring_properties;
mod strategy;
mod table_and_messages;
