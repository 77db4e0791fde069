//! What both stores need that holds no SQL: checks and comparisons made in Rust the same way
//! whichever database holds the polls. Each store calls these, never a copy of them.

pub(in crate::db) mod dump;
pub(in crate::db) mod history;
pub(in crate::db) mod import;
pub(in crate::db) mod polls;
pub(in crate::db) mod pollsters;
pub(in crate::db) mod questions;
pub(in crate::db) mod series;
pub(in crate::db) mod sources;
