//! polltrack: a public-opinion poll tracking database.
//!
//! Data flows one way: the command line reads records from `db`; what reads them turns them into
//! tables, series, charts or files. The library never prints or reads the environment; the
//! binary's `cli` module does both.

pub mod analysis;
pub mod app;
pub mod chart;
pub mod csv_format;
pub mod db;
pub mod error;
pub mod export;
pub mod import;
pub mod model;

pub use error::{Error, ErrorKind, Result};
