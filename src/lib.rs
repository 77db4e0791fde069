//! polltrack: a public-opinion poll tracking database.
//!
//! Data flows one way: a front door (the binary's `cli` module) turns its input into a typed
//! request for a use case in `app`; `app` reads and writes records through the store (`db`)
//! and turns them into series, estimates, charts or files with `analysis`, `chart` and
//! `export`, and hands back a typed result for the front door to show. The library never
//! prints or reads the environment; the binary's `cli` module does both.

pub mod analysis;
pub mod app;
pub mod chart;
pub mod csv_format;
pub mod db;
pub mod dump_format;
pub mod error;
pub mod export;
pub mod import;
pub mod model;
pub mod parallel;
#[cfg(test)]
mod test_support;
pub mod web;

pub use error::{Error, ErrorKind, Result};
