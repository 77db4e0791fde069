//! Statements stepped through SQLite's C interface, on a connection locked out of sqlx, for the
//! one read where the cost per row rules: a trend's polls. Through sqlx every row crosses from
//! its worker thread on its own, which costs more than SQLite's work on the row; here the rows
//! are read where they are used. Only what that read needs is wrapped.
//!
//! The one file of the crate with `unsafe`: every unsafe block says why it is sound.
#![allow(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

use crate::error::{Error, Result};
use libsqlite3_sys as ffi;
use sqlx::sqlite::LockedSqliteHandle;
use std::ffi::{CStr, c_int};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

/// A connection whose handle is locked out of sqlx for as long as this lives.
pub(super) struct Connection<'a> {
    handle: NonNull<ffi::sqlite3>,
    _locked: PhantomData<&'a mut ()>,
}

// SAFETY: the handle is borrowed exclusively from its lock (sqlx's worker cannot use it meanwhile)
// and `&mut self` lets one thread at a time use it; SQLite connections opened by sqlx (multi-thread
// mode) may move between threads when not used by two at once.
unsafe impl Send for Connection<'_> {}

impl<'a> Connection<'a> {
    pub(super) fn new(locked: &'a mut LockedSqliteHandle<'_>) -> Connection<'a> {
        Connection {
            handle: locked.as_raw_handle(),
            _locked: PhantomData,
        }
    }

    pub(super) fn prepare(&mut self, sql: &str) -> Result<Statement<'_>> {
        let mut raw = ptr::null_mut();
        let length = c_int::try_from(sql.len())
            .map_err(|_| Error::storage_refused("database: statement too long"))?;
        // SAFETY: the handle is valid while locked; the SQL is passed with its length, so it
        // need not end in NUL.
        let code = unsafe {
            ffi::sqlite3_prepare_v2(
                self.handle.as_ptr(),
                sql.as_ptr().cast(),
                length,
                &mut raw,
                ptr::null_mut(),
            )
        };
        if code != ffi::SQLITE_OK {
            return Err(self.error());
        }
        // No statement (empty SQL) is a mistake of the caller's.
        let raw = NonNull::new(raw)
            .ok_or_else(|| Error::storage_refused("database: no SQL statement to run"))?;
        Ok(Statement {
            raw,
            connection: self,
        })
    }

    /// SQLite's message for the last failure on this connection.
    fn error(&self) -> Error {
        // SAFETY: the handle is valid; the message is a NUL-terminated string SQLite owns.
        let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.handle.as_ptr())) };
        Error::storage_refused(format!("database: {}", message.to_string_lossy()))
    }
}

/// A value bound to a statement's parameter.
#[derive(Clone, Copy)]
pub(super) enum Param<'v> {
    Int(i64),
    Text(&'v str),
    Null,
}

pub(super) struct Statement<'c> {
    raw: NonNull<ffi::sqlite3_stmt>,
    connection: &'c Connection<'c>,
}

impl Statement<'_> {
    /// Binds parameter `index` (from 1, as `?1` in the SQL).
    pub(super) fn bind(&mut self, index: c_int, value: Param) -> Result<()> {
        let stmt = self.raw.as_ptr();
        // SAFETY: the statement is valid; text is copied by SQLite (SQLITE_TRANSIENT).
        let code = unsafe {
            match value {
                Param::Int(value) => ffi::sqlite3_bind_int64(stmt, index, value),
                Param::Null => ffi::sqlite3_bind_null(stmt, index),
                Param::Text(text) => ffi::sqlite3_bind_text64(
                    stmt,
                    index,
                    text.as_ptr().cast(),
                    text.len() as u64,
                    ffi::SQLITE_TRANSIENT(),
                    ffi::SQLITE_UTF8 as u8,
                ),
            }
        };
        match code {
            ffi::SQLITE_OK => Ok(()),
            _ => Err(self.connection.error()),
        }
    }

    /// The next row, or `None` when there are no more.
    pub(super) fn next(&mut self) -> Result<Option<Row<'_>>> {
        // SAFETY: the statement is valid and only this thread uses its connection.
        match unsafe { ffi::sqlite3_step(self.raw.as_ptr()) } {
            ffi::SQLITE_ROW => Ok(Some(Row {
                raw: self.raw,
                _statement: PhantomData,
            })),
            ffi::SQLITE_DONE => Ok(None),
            _ => Err(self.connection.error()),
        }
    }
}

impl Drop for Statement<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement is valid and finalized once.
        unsafe { ffi::sqlite3_finalize(self.raw.as_ptr()) };
    }
}

/// The current row of a statement; it borrows the statement, so it is gone before the next step.
pub(super) struct Row<'s> {
    raw: NonNull<ffi::sqlite3_stmt>,
    _statement: PhantomData<&'s mut ()>,
}

impl Row<'_> {
    pub(super) fn int(&self, column: c_int) -> i64 {
        // SAFETY: the row is current; an out-of-range column reads as NULL (0).
        unsafe { ffi::sqlite3_column_int64(self.raw.as_ptr(), column) }
    }

    pub(super) fn real(&self, column: c_int) -> f64 {
        // SAFETY: as for `int`.
        unsafe { ffi::sqlite3_column_double(self.raw.as_ptr(), column) }
    }

    pub(super) fn is_null(&self, column: c_int) -> bool {
        // SAFETY: as for `int`.
        unsafe { ffi::sqlite3_column_type(self.raw.as_ptr(), column) == ffi::SQLITE_NULL }
    }

    /// A text column, or `None` when NULL. `&mut self`: reading another column as another
    /// type may move the text, so it must be used before the next read.
    pub(super) fn text(&mut self, column: c_int) -> Result<Option<&str>> {
        let stmt = self.raw.as_ptr();
        // SAFETY: the row is current; SQLite owns the bytes until the next step or conversion,
        // which the borrow of `self` rules out. The pointer comes before the length, as SQLite
        // asks.
        let bytes = unsafe {
            let text = ffi::sqlite3_column_text(stmt, column);
            if text.is_null() {
                return Ok(None);
            }
            let length = ffi::sqlite3_column_bytes(stmt, column);
            std::slice::from_raw_parts(text, usize::try_from(length).unwrap_or(0))
        };
        std::str::from_utf8(bytes)
            .map(Some)
            .map_err(|e| Error::storage_refused(format!("database: text that is not UTF-8: {e}")))
    }
}
