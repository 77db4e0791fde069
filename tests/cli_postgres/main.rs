//! The command-line tests again, each against a fresh database of a PostgreSQL server
//! (`POLLTRACK_TEST_POSTGRES`, a URL whose role may create databases), given to the commands as
//! `POLLTRACK_DB`: every module of `tests/cli` about what polltrack does with polls, whichever
//! database holds them. Left out: what is about files (a database file's lifecycle, dump and
//! load compared table by table in the file, outputs kept off the file, its size limits, the
//! README's example with its paths). Without a server
//! the process says so and exits successfully.

#[path = "../cli/harness.rs"]
mod harness;
pub use harness::*;

/// These tests run on PostgreSQL.
pub const BACKEND: Backend = Backend::Postgres;

#[path = "../cli/chart.rs"]
mod chart;
#[path = "../cli/colours.rs"]
mod colours;
#[path = "../cli/concurrency.rs"]
mod concurrency;
#[path = "../cli/copy.rs"]
mod copy;
#[path = "../cli/elections.rs"]
mod elections;
#[path = "../cli/export_columns.rs"]
mod export_columns;
#[path = "../cli/feedback.rs"]
mod feedback;
#[path = "../cli/history.rs"]
mod history;
#[path = "../cli/hostile_input.rs"]
mod hostile_input;
#[path = "../cli/identity.rs"]
mod identity;
#[path = "../cli/import_by_pollster.rs"]
mod import_by_pollster;
#[path = "../cli/import_export.rs"]
mod import_export;
#[path = "../cli/kind.rs"]
mod kind;
#[path = "../cli/messy_files.rs"]
mod messy_files;
#[path = "../cli/polls.rs"]
mod polls;
#[path = "../cli/pollster_names.rs"]
mod pollster_names;
#[path = "../cli/quick.rs"]
mod quick;
#[path = "../cli/real_trends.rs"]
mod real_trends;
#[path = "../cli/registry.rs"]
mod registry;
#[path = "../cli/trend.rs"]
mod trend;
#[path = "../cli/validation.rs"]
mod validation;
#[path = "../cli/web_api.rs"]
mod web_api;
#[path = "../cli/web_browser.rs"]
mod web_browser;
#[path = "../cli/web_browser_forms.rs"]
mod web_browser_forms;
#[path = "../cli/web_forms.rs"]
mod web_forms;
#[path = "../cli/web_pages.rs"]
mod web_pages;
#[path = "../cli/web_writes.rs"]
mod web_writes;

#[path = "../cli/browser.rs"]
mod browser;
#[path = "../cli/server.rs"]
mod server;
