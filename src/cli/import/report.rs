//! What an import tells: problems and doubts as they come (the first few of each), the
//! summary line, and why nothing was imported.

use crate::cli::output::{Out, count};
use polltrack::app::import::{ImportEvent, ImportReport, Refusal, Tally};
use polltrack::{Error, Result};
use std::io::IsTerminal;

/// Problems printed before the rest are only counted.
const MAX_PROBLEMS_SHOWN: usize = 50;
const MAX_WARNINGS_SHOWN: usize = 10;

/// Problems and doubts told, and counted.
#[derive(Default)]
pub struct Told {
    problems: usize,
    warnings: usize,
}

impl Told {
    /// Tells what happened on standard error: doubts are told apart from problems, and fewer
    /// of them shown, since they stop nothing.
    pub fn tell(&mut self, event: ImportEvent<'_>, progress: &indicatif::ProgressBar) {
        match event {
            ImportEvent::Warning(message) => {
                self.warnings += 1;
                if self.warnings <= MAX_WARNINGS_SHOWN {
                    eprintln!("{message}");
                }
            }
            ImportEvent::Problem(message) => {
                self.problems += 1;
                if self.problems <= MAX_PROBLEMS_SHOWN {
                    eprintln!("{message}");
                }
            }
            ImportEvent::Read(position) => progress.set_position(position),
        }
    }

    /// Counts what was not shown.
    pub fn tell_rest(&self) {
        if self.warnings > MAX_WARNINGS_SHOWN {
            eprintln!(
                "... and {} more warnings",
                self.warnings - MAX_WARNINGS_SHOWN
            );
        }
        if self.problems > MAX_PROBLEMS_SHOWN {
            eprintln!(
                "... and {} more problems",
                self.problems - MAX_PROBLEMS_SHOWN
            );
        }
    }
}

/// Prints the summary line, or says why nothing was imported and what to do.
pub fn finish(out: &mut Out, report: &ImportReport) -> Result<()> {
    let name = &report.name;
    let tally = &report.tally;
    let summary = summary(name, tally, !report.stored);
    match report.refusal {
        None => out.line(summary),
        Some(Refusal::Unreadable) => Err(Error::invalid(format!(
            "{name}: the file cannot be read past the place named above, so nothing was \
             imported (not even with --skip-invalid: where the rows after it begin is unknown): \
             fix it and import again"
        ))),
        Some(Refusal::Invalid) => Err(Error::invalid(format!(
            "{name}: {} {} problems (listed above), so nothing was imported: fix them, or pass \
             --skip-invalid to import the rest ({summary})",
            count(tally.rejected, "poll"),
            if tally.rejected == 1 { "has" } else { "have" }
        ))),
        Some(Refusal::Conflicts) => Err(Error::conflict(format!(
            "{name}: {} {} stored already with other numbers (listed above), so nothing \
             was imported: pass --on-conflict replace to take the file's numbers (recorded in \
             each poll's history) or --on-conflict skip to keep the stored ones ({summary})",
            count(tally.conflicts, "poll"),
            if tally.conflicts == 1 { "is" } else { "are" }
        ))),
    }
}

fn summary(file: &str, tally: &Tally, not_written: bool) -> String {
    let restore = " (--restore-deleted brings them back)";
    format!("{file}: {}", tally.counts(not_written, restore))
}

/// A progress bar on standard error for a file being read, when someone is watching.
pub fn progress_bar(size: Option<u64>) -> indicatif::ProgressBar {
    match size {
        Some(size) if std::io::stderr().is_terminal() && size > 1 << 20 => {
            let bar = indicatif::ProgressBar::new(size);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        }
        _ => indicatif::ProgressBar::hidden(),
    }
}
