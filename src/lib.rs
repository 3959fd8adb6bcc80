//! cloudready: assess an agency's workloads against the Secure Cloud Strategy.
//!
//! The pipeline, one module per step, owned end to end by [`pipeline`]:
//! [`load`] (reading, then [`load::validate`]) → [`score`] → [`plan`] → [`assessment`] → [`render`] / [`check`].

#![warn(unreachable_pub)]

pub mod assessment;
pub mod assets;
pub mod check;
pub mod cli;
pub mod config;
pub mod datafile;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod digest;
pub mod domain;
pub mod error;
pub mod graph;
pub mod import;
pub mod init;
pub mod interner;
pub mod inventory;
pub mod load;
pub mod output;
pub mod pack;
pub mod pipeline;
pub mod plan;
pub mod progress;
pub mod render;
pub mod report;
pub mod schema;
pub mod score;

pub use error::{Error, Result};

// Test support: synthetic inventories and the drive-everything call of the fuzz target. Built
// for this crate's own tests, and for integration tests, benches, examples and the fuzz crate
// through the `testing` feature (enabled by the dev-dependency on itself); never part of the
// library a user builds.
#[cfg(any(test, feature = "testing"))]
pub mod fuzzing;
#[cfg(any(test, feature = "testing"))]
pub mod synth;
pub mod text;
