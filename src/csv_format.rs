//! The one place that builds CSV readers and writers, and the columns of the long format (a
//! contract: tests and users depend on their names and order).

use std::io::{BufRead, BufReader, Read, Write};

/// The long format's columns, in order: one row per answer.
pub const LONG_COLUMNS: [&str; 17] = [
    "poll_id",
    "pollster",
    "sponsors",
    "field_start",
    "field_end",
    "published_on",
    "mode",
    "population",
    "sample_size",
    "margin_of_error",
    "region",
    "question",
    "question_wording",
    "answer",
    "pct",
    "source_urls",
    "notes",
];

/// Joins sponsors in one cell.
pub const SPONSOR_SEPARATOR: &str = "; ";
/// Joins source URLs in one cell.
pub const URL_SEPARATOR: &str = " ";

/// A reader for files as they come: a header row, RFC 4180 quoting, any line ends, rows of
/// different lengths allowed (a short row is reported, not fatal). The UTF-8 byte-order mark
/// is dropped by the `csv` crate.
pub fn reader<R: Read>(input: R) -> csv::Reader<CrlfToLf<R>> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(CrlfToLf {
            inner: BufReader::with_capacity(1 << 16, input),
        })
}

/// Reads `\r\n` as `\n`. The `csv` crate accepts either, but counts a CRLF file's lines one
/// short; problems must name the right line.
pub struct CrlfToLf<R> {
    inner: BufReader<R>,
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.inner.fill_buf()?;
        if available.is_empty() || buf.is_empty() {
            return Ok(0);
        }
        if available.len() == 1 && available[0] == b'\r' {
            // A `\r` at the end of the buffer: look at what follows before deciding.
            self.inner.consume(1);
            let next = self.inner.fill_buf()?;
            if next.first() == Some(&b'\n') {
                self.inner.consume(1);
                buf[0] = b'\n';
            } else {
                buf[0] = b'\r';
            }
            return Ok(1);
        }
        let (mut read, mut written) = (0, 0);
        while read < available.len() && written < buf.len() {
            let byte = available[read];
            if byte == b'\r' {
                match available.get(read + 1) {
                    Some(b'\n') => {
                        read += 1;
                        continue;
                    }
                    // Decided on the next call, with what follows in view.
                    None => break,
                    Some(_) => {}
                }
            }
            buf[written] = byte;
            written += 1;
            read += 1;
        }
        self.inner.consume(read);
        Ok(written)
    }
}

/// A writer of UTF-8 CSV with `\n` line ends, quoting only where needed.
pub fn writer<W: Write>(output: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads through a tiny buffer, so `\r\n` is split across reads.
    fn through(input: &[u8], chunk: usize) -> Vec<u8> {
        let mut reader = CrlfToLf {
            inner: BufReader::with_capacity(chunk, input),
        };
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn crlf_becomes_lf_and_lone_cr_stays() {
        for chunk in [1, 2, 3, 64] {
            assert_eq!(
                through(b"a,b\r\nc\rd\r\n\r\ne\r", chunk),
                b"a,b\nc\rd\n\ne\r",
                "{chunk}"
            );
        }
    }

    #[test]
    fn crlf_files_report_true_line_numbers() {
        let mut csv = reader(&b"h\r\n1\r\n2\r\n"[..]);
        let lines: Vec<u64> = csv
            .byte_records()
            .map(|r| r.unwrap().position().unwrap().line())
            .collect();
        assert_eq!(lines, vec![2, 3]);
    }
}
