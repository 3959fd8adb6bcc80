//! cloudready: assess an agency's workloads against the DTA Secure Cloud Strategy.
//!
//! The pipeline, one module per step: [`load`] → [`validate`] → [`score`] → [`render`].

pub mod diagnostic;
pub mod digest;
pub mod error;
pub mod graph;
pub mod inventory;
pub mod load;
pub mod validate;

pub use error::{Error, Result};
pub mod assessment;
pub mod check;
pub mod cli;
pub mod config;
pub mod diff;
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod init;
pub mod output;
pub mod pack;
pub mod plan;
pub mod progress;
pub mod render;
pub mod schema;
pub mod score;
pub mod shell;
pub mod synth;
