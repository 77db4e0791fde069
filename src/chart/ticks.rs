//! Where the date ticks go: days, weeks, months, quarters or years, whichever step puts no
//! more ticks on the axis than fit, for spans from a week to decades.

use chrono::{Datelike, Months, NaiveDate};

/// The step between two date ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickStep {
    Days(u32),
    /// Weeks, ticked on Mondays.
    Weeks(u32),
    /// Months, ticked on the first of a month whose number (0-based) the step divides, so three
    /// months gives quarters.
    Months(u32),
    /// Years, ticked on the first of January of years the step divides.
    Years(u32),
}

/// The steps tried, finest first.
const STEPS: [TickStep; 15] = [
    TickStep::Days(1),
    TickStep::Days(2),
    TickStep::Weeks(1),
    TickStep::Weeks(2),
    TickStep::Months(1),
    TickStep::Months(2),
    TickStep::Months(3),
    TickStep::Months(6),
    TickStep::Years(1),
    TickStep::Years(2),
    TickStep::Years(5),
    TickStep::Years(10),
    TickStep::Years(20),
    TickStep::Years(50),
    TickStep::Years(100),
];

/// A tick's label: the first line, and a second (the year) where the year changes, so a reader
/// always knows which year a day or month is in without every label repeating it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TickLabel {
    pub line: String,
    pub year: Option<String>,
}

/// The ticks between `start` and `end` (both included) with the finest step that gives at most
/// `max_ticks` of them (at least 2 are allowed).
pub fn choose_ticks(
    start: NaiveDate,
    end: NaiveDate,
    max_ticks: usize,
) -> (TickStep, Vec<NaiveDate>) {
    let max_ticks = max_ticks.max(2);
    let mut last = (TickStep::Years(100), Vec::new());
    for step in STEPS {
        let ticks = ticks_with_step(start, end, step);
        if ticks.len() <= max_ticks {
            return (step, ticks);
        }
        last = (step, ticks);
    }
    last
}

/// Every tick of `step` between `start` and `end`.
pub fn ticks_with_step(start: NaiveDate, end: NaiveDate, step: TickStep) -> Vec<NaiveDate> {
    let mut ticks = Vec::new();
    let mut tick = Some(first_tick(start, step));
    while let Some(date) = tick {
        if date > end {
            break;
        }
        ticks.push(date);
        tick = next_tick(date, step);
    }
    ticks
}

/// The first tick on or after `start`.
fn first_tick(start: NaiveDate, step: TickStep) -> NaiveDate {
    match step {
        TickStep::Days(_) => start,
        TickStep::Weeks(_) => {
            let days_to_monday = (7 - start.weekday().num_days_from_monday()) % 7;
            start + chrono::Days::new(u64::from(days_to_monday))
        }
        TickStep::Months(n) => {
            let mut date = first_of_month(start);
            if date < start {
                date = date + Months::new(1);
            }
            while !date.month0().is_multiple_of(n) {
                date = date + Months::new(1);
            }
            date
        }
        TickStep::Years(n) => {
            let mut year = start.year();
            if start > first_of_year(year) {
                year += 1;
            }
            let n = n as i32;
            let year = year + (n - year.rem_euclid(n)) % n;
            first_of_year(year)
        }
    }
}

fn next_tick(date: NaiveDate, step: TickStep) -> Option<NaiveDate> {
    match step {
        TickStep::Days(n) => date.checked_add_days(chrono::Days::new(u64::from(n))),
        TickStep::Weeks(n) => date.checked_add_days(chrono::Days::new(7 * u64::from(n))),
        TickStep::Months(n) => date.checked_add_months(Months::new(n)),
        TickStep::Years(n) => date.checked_add_months(Months::new(12 * n)),
    }
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn first_of_year(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Labels for ticks of `step`: "Nov 18" or "Nov" with the year under the first tick and where
/// the year changes; a year step shows only the year.
pub fn tick_labels(ticks: &[NaiveDate], step: TickStep) -> Vec<TickLabel> {
    let mut previous_year = None;
    ticks
        .iter()
        .map(|date| {
            let new_year = previous_year != Some(date.year());
            previous_year = Some(date.year());
            let line = match step {
                TickStep::Days(_) | TickStep::Weeks(_) => date.format("%b %-d").to_string(),
                TickStep::Months(_) => date.format("%b").to_string(),
                TickStep::Years(_) => {
                    return TickLabel {
                        line: date.year().to_string(),
                        year: None,
                    };
                }
            };
            TickLabel {
                line,
                year: new_year.then(|| date.year().to_string()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The step chosen for a span of `days` ending on 2020-11-02 with room for 10 ticks.
    fn step_for(days: u64) -> (TickStep, Vec<NaiveDate>) {
        let end = date("2020-11-02");
        choose_ticks(end - chrono::Days::new(days), end, 10)
    }

    #[test]
    fn a_week_is_ticked_by_day() {
        let (step, ticks) = step_for(7);
        assert_eq!(step, TickStep::Days(1));
        assert_eq!(ticks.len(), 8);
    }

    #[test]
    fn a_fortnight_is_ticked_every_two_days_and_a_month_by_week() {
        assert_eq!(step_for(14).0, TickStep::Days(2));
        let (step, ticks) = step_for(30);
        assert_eq!(step, TickStep::Weeks(1));
        assert!(ticks.iter().all(|d| d.weekday() == Weekday::Mon));
        assert_eq!(step_for(80).0, TickStep::Weeks(2));
    }

    #[test]
    fn months_quarters_and_years_follow_as_the_span_grows() {
        assert_eq!(step_for(180).0, TickStep::Months(1));
        assert_eq!(step_for(365).0, TickStep::Months(2));
        let (step, ticks) = step_for(2 * 365);
        assert_eq!(step, TickStep::Months(3));
        assert!(ticks.iter().all(|d| d.day() == 1 && d.month0() % 3 == 0));
        assert_eq!(step_for(4 * 365).0, TickStep::Months(6));
        assert_eq!(step_for(8 * 365).0, TickStep::Years(1));
        assert_eq!(step_for(15 * 365).0, TickStep::Years(2));
        let (step, ticks) = step_for(40 * 365);
        assert_eq!(step, TickStep::Years(5));
        assert!(ticks.iter().all(|d| d.ordinal() == 1 && d.year() % 5 == 0));
    }

    #[test]
    fn ticks_stay_inside_the_span_and_never_exceed_the_room() {
        let end = date("2020-11-02");
        for days in [7u64, 9, 13, 31, 45, 100, 400, 1000, 3000, 7300, 14610] {
            for room in [3usize, 5, 8, 12] {
                let start = end - chrono::Days::new(days);
                let (_, ticks) = choose_ticks(start, end, room);
                assert!(!ticks.is_empty(), "{days} days, {room} ticks");
                assert!(ticks.len() <= room, "{days} days, room {room}: {ticks:?}");
                assert!(ticks.iter().all(|d| *d >= start && *d <= end));
                assert!(ticks.windows(2).all(|w| w[0] < w[1]));
            }
        }
    }

    #[test]
    fn labels_name_the_year_where_it_changes() {
        let ticks = ticks_with_step(date("2019-10-15"), date("2020-03-01"), TickStep::Months(1));
        let labels = tick_labels(&ticks, TickStep::Months(1));
        let lines: Vec<_> = labels.iter().map(|l| l.line.as_str()).collect();
        assert_eq!(lines, ["Nov", "Dec", "Jan", "Feb", "Mar"]);
        let years: Vec<_> = labels.iter().map(|l| l.year.as_deref()).collect();
        assert_eq!(years, [Some("2019"), None, Some("2020"), None, None]);

        let days = ticks_with_step(date("2016-11-17"), date("2016-11-19"), TickStep::Days(1));
        assert_eq!(tick_labels(&days, TickStep::Days(1))[1].line, "Nov 18");
        let years = ticks_with_step(date("2001-06-01"), date("2004-01-01"), TickStep::Years(1));
        let labels = tick_labels(&years, TickStep::Years(1));
        assert_eq!(
            labels.iter().map(|l| l.line.as_str()).collect::<Vec<_>>(),
            ["2002", "2003", "2004"]
        );
    }
}
