//! One integration binary driving the real `polltrack` binary, each test in its own temporary
//! directory with a clean environment.

mod chart;
mod colours;
mod concurrency;
mod copy;
mod database_file;
mod dump;
mod elections;
mod export_columns;
mod feedback;
mod history;
mod hostile_input;
mod identity;
mod import_by_pollster;
mod import_export;
mod kind;
mod limits;
mod messy_files;
mod outputs;
mod polls;
mod pollster_names;
mod quick;
mod readme;
mod real_trends;
mod registry;
mod trend;
mod validation;
mod web_api;
mod web_browser;
mod web_browser_forms;
mod web_forms;
mod web_pages;
mod web_writes;

mod browser;
mod server;

mod harness;
pub use harness::*;

/// These tests run on SQLite files (the same tests run on PostgreSQL in `cli_postgres`).
pub const BACKEND: Backend = Backend::Sqlite;
