//! What both stores need that holds no SQL: checks and comparisons made in Rust the same way
//! whichever database holds the polls. Each store calls these, never a copy of them.

pub(in crate::db) mod import;
pub(in crate::db) mod polls;
pub(in crate::db) mod series;
