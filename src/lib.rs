//! cloudready: assess an agency's workloads against the Secure Cloud Strategy.
//!
//! The pipeline, one module per step, owned end to end by [`pipeline`]:
//! [`load`] → [`validate`] → [`score`] → [`plan`] → [`assessment`] → [`render`] / [`check`].

pub mod assessment;
pub mod assets;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod digest;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod graph;
pub mod import;
pub mod init;
pub mod inventory;
pub mod load;
pub mod output;
pub mod pack;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod schema;
pub mod score;
pub mod synth;
pub mod validate;

pub use error::{Error, Result};
