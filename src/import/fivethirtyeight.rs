//! FiveThirtyEight's poll files as published (`--format 538`): the layout is told by the
//! header, and each layout is read through a built-in mapping.
//!
//! | layout (example file) | told by | question slug | answers |
//! |---|---|---|---|
//! | long, one row per answer (`president_polls.csv`) | `answer`, `pct` | `president-CYCLE-STAGE[-STATE]-CANDIDATES` | `answer` = `pct` |
//! | favorability (`favorability_polls.csv`) | `favorable`, `unfavorable` | `favorability-POLITICIAN[-STATE]` | Favorable, Unfavorable, Other |
//! | job approval (`president_approval_polls.csv`) | `politician`, `yes`, `no` | `approval-POLITICIAN[-STATE]` | Approve, Disapprove |
//! | approval model poll list (`approval_polllist.csv`) | `president`, `approve`, `disapprove` | `approval-PRESIDENT` | Approve, Disapprove |
//! | generic ballot (`generic_ballot_polls.csv`) | `dem`, `rep` | `generic-ballot-CYCLE[-STATE]` | Democrat, Republican, Independent |
//! | COVID approval (`covid_approval_polls*.csv`) | `subject`, `approve`, `disapprove` | `covid-approval-SUBJECT` | Approve, Disapprove |
//! | COVID concern (`covid_concern_polls.csv`) | `subject`, `very`, `not_at_all` | `covid-SUBJECT` | Very, Somewhat, Not very, Not at all |
//! | impeachment (`impeachment_polls.csv`) | `Category`, `Yes`, `No` | `impeachment-CATEGORY` | Yes, No, Unsure |
//!
//! In every layout: `pollster`; `sponsors` or `sponsor` (names split at `|` or `,`); the field
//! dates `start_date`/`startdate`/`Start` and `end_date`/`enddate`/`End`; `population`/`Pop`;
//! `sample_size`/`samplesize`/`SampleSize`; `methodology` as the mode; `state` as the region;
//! `url` as a source; `notes`; `tracking`; `internal`, or any party in `partisan`, as the
//! partisan flag; the question text (`text`/`Text`) as the wording. A party subgroup column
//! (`party` in the COVID files, `subpopulation` in the polls-page files) names the population
//! of a row that is not about the whole sample.
//!
//! A poll is its `poll_id`, else the rows that agree on pollster, sponsors, dates, sources,
//! notes and tracking. A question is its `question_id` (else its text): two questions of one
//! poll that would share a slug and population (538 often asks Biden-Trump twice, with and
//! without leaners, or splits its sample) are kept apart as `SLUG-2`. The files without
//! `poll_id`, and the approval model's list (which lists a poll once per model subgroup,
//! `All polls`, `Voters`, `Adults`), are read whole and each poll's rows gathered; a question
//! listed twice with the same numbers is read once.
//!
//! Not read: 538's own model columns (grades, weights, adjusted numbers, `created_at`), the
//! favorability files' four-way split (`very_favorable`...: it would add up to twice the
//! sample; import it on its own with `--answers`), and the impeachment file's `Rep`/`Dem`/`Ind`
//! columns and `Include?` flag (see [`fivethirtyeight_options`]).

use super::{Field, Options};

/// One of FiveThirtyEight's layouts.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Layout {
    Long,
    Favorability,
    JobApproval,
    ApprovalModel,
    GenericBallot,
    CovidApproval,
    CovidConcern,
    Impeachment,
}

/// The options that read a FiveThirtyEight file with these columns. The user's `--question`
/// (the start of each slug), `--wording`, `--date-format`, `--map`, `--split` are kept, and
/// `--answers` replaces the layout's answer columns.
///
/// The impeachment file's `Rep Sample`, `Rep Yes`, `Rep No` (and `Dem`, `Ind`) subgroup columns
/// are not read: a row gives one result set, and 538's own file of party rows is the COVID one.
/// Import them as a file of their own with `--answers "Rep Yes=Yes,Rep No=No" --map
/// sample_size="Rep Sample"` and a `--question` of their own.
pub fn fivethirtyeight_options(headers: &[String], given: &Options) -> Result<Options, String> {
    // Each column as the file spells it.
    let column = |name: &str| {
        headers
            .iter()
            .find(|h| h.eq_ignore_ascii_case(name))
            .cloned()
    };
    let first = |names: &[&str]| names.iter().find_map(|n| column(n));
    let has = |name: &str| column(name).is_some();

    let layout = if has("answer") && has("pct") {
        Layout::Long
    } else if has("favorable") && has("unfavorable") {
        Layout::Favorability
    } else if has("politician") && has("yes") && has("no") {
        Layout::JobApproval
    } else if has("president") && has("approve") && has("disapprove") {
        Layout::ApprovalModel
    } else if has("subject") && has("approve") && has("disapprove") {
        Layout::CovidApproval
    } else if has("subject") && has("very") && has("not_at_all") {
        Layout::CovidConcern
    } else if has("category") && has("yes") && has("no") {
        Layout::Impeachment
    } else if has("dem") && has("rep") {
        Layout::GenericBallot
    } else {
        return Err(
            "the columns are not those of a FiveThirtyEight poll file polltrack knows (answer \
             and pct; favorable and unfavorable; politician, yes and no; approve and \
             disapprove; very and not_at_all; Category, Yes and No; dem and rep): read it \
             without --format 538, naming its columns with --map and --answers"
                .into(),
        );
    };

    let mut maps = Vec::new();
    let mut map = |field: Field, names: &[&str]| {
        if let Some(name) = first(names) {
            maps.push((field, name));
        }
    };
    map(Field::Sponsors, &["sponsors", "sponsor"]);
    map(Field::FieldStart, &["start_date", "startdate", "start"]);
    map(Field::FieldEnd, &["end_date", "enddate", "end"]);
    map(Field::Population, &["population", "pop"]);
    map(Field::SampleSize, &["sample_size", "samplesize"]);
    map(Field::Mode, &["methodology"]);
    map(Field::Region, &["state"]);
    map(Field::SourceUrls, &["url"]);
    map(Field::QuestionWording, &["text"]);
    map(Field::Partisan, &["internal"]);

    let (question, wording, answers, split): (&str, &str, &[(&str, &str)], &[&str]) = match layout
    {
        Layout::Long => (
            "president",
            "Presidential vote",
            &[],
            &["cycle", "stage", "state"],
        ),
        Layout::Favorability => (
            "favorability",
            "Favorable or unfavorable opinion",
            &[
                ("favorable", "Favorable"),
                ("unfavorable", "Unfavorable"),
                ("alternate_answers", "Other"),
            ],
            &["politician", "state"],
        ),
        Layout::JobApproval => (
            "approval",
            "Job approval",
            &[("yes", "Approve"), ("no", "Disapprove")],
            &["politician", "state"],
        ),
        Layout::ApprovalModel => (
            "approval",
            "Job approval",
            &[("approve", "Approve"), ("disapprove", "Disapprove")],
            &["president"],
        ),
        Layout::GenericBallot => (
            "generic-ballot",
            "Generic congressional ballot",
            &[
                ("dem", "Democrat"),
                ("rep", "Republican"),
                ("ind", "Independent"),
            ],
            &["cycle", "state"],
        ),
        Layout::CovidApproval => (
            "covid-approval",
            "Approval of the president's handling of the coronavirus outbreak",
            &[("approve", "Approve"), ("disapprove", "Disapprove")],
            &["subject"],
        ),
        Layout::CovidConcern => (
            "covid",
            "Concern about the coronavirus",
            &[
                ("very", "Very"),
                ("somewhat", "Somewhat"),
                ("not_very", "Not very"),
                ("not_at_all", "Not at all"),
            ],
            &["subject"],
        ),
        Layout::Impeachment => (
            "impeachment",
            "Impeachment of Donald Trump",
            &[("yes", "Yes"), ("no", "No"), ("unsure", "Unsure")],
            &["category"],
        ),
    };
    let answers = match given.answers.is_empty() {
        true => answers
            .iter()
            .filter_map(|(c, label)| Some((column(c)?, label.to_string())))
            .collect(),
        false => given.answers.clone(),
    };
    let split = split
        .iter()
        .filter_map(|c| column(c))
        .chain(given.split.iter().cloned())
        .collect();
    // The long layout's `party` is the candidate's party, not a subgroup of the sample.
    let subpopulation = match layout {
        Layout::Long => column("subpopulation"),
        _ => first(&["subpopulation", "party"]),
    };
    let sponsor_separators = match layout {
        Layout::CovidApproval | Layout::CovidConcern | Layout::Impeachment => vec![",".into()],
        _ => vec!["|".into()],
    };
    // A question is its question_id, else (where there is none) its text.
    let question_key = first(&["question_id", "text"]);
    // Polls whose rows are not together: the files without poll_id, and the approval model's
    // list, one block of rows per model subgroup.
    let gather = !has("poll_id") || layout == Layout::ApprovalModel;
    maps.extend(given.maps.iter().cloned());

    Ok(Options {
        maps,
        answers,
        split,
        subpopulation,
        question: given.question.clone().or(Some(question.into())),
        wording: given.wording.clone().or(Some(wording.into())),
        date_format: given.date_format.clone(),
        question_key,
        slug_from_answers: layout == Layout::Long,
        gather,
        partisan_party: column("partisan"),
        sponsor_separators,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ImportedPoll, PollReader, Rejected};

    fn read(path: &str) -> (Vec<ImportedPoll>, Vec<Rejected>) {
        let file = std::fs::File::open(path).unwrap();
        let reader = PollReader::with_options_from(file, path, |h| {
            fivethirtyeight_options(h, &Options::default())
        })
        .unwrap();
        let (mut polls, mut rejected) = (Vec::new(), Vec::new());
        for item in reader {
            match item {
                Ok(p) => polls.push(p),
                Err(r) => rejected.push(r),
            }
        }
        (polls, rejected)
    }

    #[test]
    fn survey() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data");
        for f in [
            "fivethirtyeight-pollspage-2024/president_polls.csv",
            "fivethirtyeight-pollspage-2024/favorability_polls.csv",
            "fivethirtyeight-pollspage-2021/president_approval_polls.csv",
            "fivethirtyeight-pollspage-2021/generic_ballot_polls.csv",
            "fivethirtyeight-covid-polls/covid_approval_polls.csv",
            "fivethirtyeight-covid-polls/covid_concern_polls.csv",
            "fivethirtyeight-covid-polls/covid_approval_polls_adjusted.csv",
            "fivethirtyeight-impeachment-polls/impeachment_polls.csv",
            "fivethirtyeight-trump-approval/approval_polllist.csv",
        ] {
            let (polls, rejected) = read(&format!("{dir}/{f}"));
            let results: usize = polls.iter().map(|p| p.poll.results.len()).sum();
            let answers: usize = polls.iter().flat_map(|p| &p.poll.results).map(|r| r.answers.len()).sum();
            let rows: usize = rejected.iter().map(|r| r.lines.len()).sum();
            let mut slugs = std::collections::BTreeMap::new();
            for r in polls.iter().flat_map(|p| &p.poll.results) {
                *slugs.entry(r.question.clone()).or_insert(0) += 1;
            }
            eprintln!("== {f}: polls {} results {results} answers {answers}; rejected {} ({rows} rows); slugs {}", polls.len(), rejected.len(), slugs.len());
            let mut top: Vec<_> = slugs.into_iter().collect();
            top.sort_by_key(|(_, n)| -(*n as i64));
            eprintln!("   {:?}", &top[..top.len().min(8)]);
            for r in &rejected {
                eprintln!("   REJ {}", r.problems[0]);
            }
        }
    }
}
