//! Every integration test in one binary (one link instead of one per file), sharing
//! [`common`]'s helpers. Each module is the tests of one area; they run the real binary on
//! fixtures under `tests/fixtures/`.

mod assessor;
mod check;
mod cli;
mod common;
mod ecosystem;
mod everyday;
mod help;
mod integrations;
mod ism;
mod office;
mod pipeline;
mod plan;
mod progress;
mod reliability;
mod robustness;
mod scoring_properties;
mod strategy;
