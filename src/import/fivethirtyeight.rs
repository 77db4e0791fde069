//! FiveThirtyEight's poll files as published (`--format 538`): the layout is told by the
//! header, and each layout is read through a built-in mapping.
//!
//! | layout (example file) | told by | question slug | answers | kind |
//! |---|---|---|---|---|
//! | long, one row per answer (`president_polls.csv`) | `answer`, `pct` | `president-CYCLE-STAGE[-STATE]-CANDIDATES` | `answer` = `pct` | vote |
//! | favorability (`favorability_polls.csv`) | `favorable`, `unfavorable` | `favorability-POLITICIAN[-STATE]` | Favorable, Unfavorable, Other | favourability |
//! | job approval (`president_approval_polls.csv`) | `politician`, `yes`, `no` | `approval-POLITICIAN[-STATE]` | Approve, Disapprove | approval |
//! | approval model poll list (`approval_polllist.csv`) | `president`, `approve`, `disapprove` | `approval-PRESIDENT` | Approve, Disapprove | approval |
//! | generic ballot (`generic_ballot_polls.csv`) | `dem`, `rep` | `generic-ballot-CYCLE[-STATE]` | Democrat, Republican, Independent | vote |
//! | COVID approval (`covid_approval_polls*.csv`) | `subject`, `approve`, `disapprove` | `covid-approval-SUBJECT` | Approve, Disapprove | approval |
//! | COVID concern (`covid_concern_polls.csv`) | `subject`, `very`, `not_at_all` | `covid-SUBJECT` | Very, Somewhat, Not very, Not at all | issue |
//! | impeachment (`impeachment_polls.csv`) | `Category`, `Yes`, `No` | `impeachment-CATEGORY` | Yes, No, Unsure | issue |
//!
//! The kind (which population a trend counts first) is the layout's unless `--kind` says
//! otherwise; it is given to questions that have none.
//!
//! In every layout: `pollster`; `sponsors` or `sponsor` (names split at `|` or `,`); the field
//! dates `start_date`/`startdate`/`Start` and `end_date`/`enddate`/`End`; `population`/`Pop`;
//! `sample_size`/`samplesize`/`SampleSize`; `methodology` as the mode; `state` as the region;
//! `url` as a source; `notes`; `tracking`; `internal`, or any party in `partisan`, as the
//! partisan flag; the question text (`text`/`Text`) as the wording; the approval model list's
//! `createddate` (the day the poll entered 538's database) as the publication day. A party
//! subgroup column (`party` in the COVID files, `subpopulation` in the polls-page files) names
//! the population of a row that is not about the whole sample, within the sample's: `a-R` is
//! the Republicans among adults.
//!
//! A poll is its `poll_id`, else the rows that agree on pollster, sponsors, dates, sources,
//! notes and tracking. A question is its `question_id` (else its text): two questions of one
//! poll that would share a slug and population (538 often asks Biden-Trump twice, with and
//! without leaners, or splits its sample) are kept apart as `SLUG-2`. The files without
//! `poll_id`, and the approval model's list (which lists a poll once per model subgroup,
//! `All polls`, `Voters`, `Adults`), are read whole and each poll's rows gathered; a question
//! listed twice with the same numbers is read once.
//!
//! Not read: 538's own model columns (grades, weights, adjusted numbers), the other files'
//! `created_at` timestamps, the favorability files' four-way split (`very_favorable`...: it
//! would add up to twice the sample; import it on its own with `--answers`), and the
//! impeachment file's `Rep`/`Dem`/`Ind` columns and `Include?` flag (see
//! [`fivethirtyeight_options`]).

use super::{Field, Options};
use crate::error::{Error, Hint};
use crate::model::QuestionKind;

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

impl Layout {
    /// What sort of questions a layout's file holds, for the population a trend counts first.
    /// The long layout is every race file (`president_polls`, `senate_polls`, `house_polls`,
    /// `governor_polls`, primaries): vote intention. Handling of the coronavirus is a job
    /// approval question (538 averaged it as one, adults first); concern about it and
    /// impeachment are issues.
    fn kind(self) -> QuestionKind {
        match self {
            Layout::Long | Layout::GenericBallot => QuestionKind::Vote,
            Layout::Favorability => QuestionKind::Favourability,
            Layout::JobApproval | Layout::ApprovalModel | Layout::CovidApproval => {
                QuestionKind::Approval
            }
            Layout::CovidConcern | Layout::Impeachment => QuestionKind::Issue,
        }
    }
}

/// The options that read a FiveThirtyEight file with these columns, or why there are none. The
/// user's `--question` (the start of each slug), `--wording`, `--date-format`, `--map` and
/// `--split` are kept, and `--answers` replaces the layout's answer columns (e.g.
/// `--answers favorable=Favorable,unfavorable=Unfavorable` for the favorability polls whose
/// alternate answers do not add up).
///
/// The impeachment file's `Rep Sample`, `Rep Yes`, `Rep No` (and `Dem`, `Ind`) columns are not
/// read: the reader makes one result set of a row, and a second set of answer columns on the
/// same row would need a subgroup mapping it does not have. Its `Include?` flag (whether 538's
/// average used the question) is not read either.
pub fn fivethirtyeight_options(headers: &[String], given: &Options) -> crate::Result<Options> {
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
        return Err(Error::invalid(
            "the columns are not those of a FiveThirtyEight poll file polltrack knows (answer \
             and pct; favorable and unfavorable; politician, yes and no; approve and \
             disapprove; very and not_at_all; Category, Yes and No; dem and rep)",
        )
        .with_hint(Hint::ReadAsPlainFile));
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
    // The approval model's list dates each poll's entry into 538's database: the day it was
    // known to their average, which an as-of trend needs (a poll counts from it).
    map(Field::PublishedOn, &["createddate"]);
    map(Field::QuestionWording, &["text"]);
    map(Field::Partisan, &["internal"]);

    let (question, wording, answers, split): (&str, &str, &[(&str, &str)], &[&str]) = match layout {
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
        kind: given.kind.or(Some(layout.kind())),
        date_format: given.date_format.clone(),
        question_key,
        slug_from_answers: layout == Layout::Long,
        gather,
        partisan_party: column("partisan"),
        sponsor_separators,
        separator: given.separator,
        // Its files name their pollsters: neither a constant one nor pollster columns.
        ..Options::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::values::DateFormat;
    use crate::import::{ImportedPoll, PollReader, Rejected};
    use crate::model::{Poll, ResultSet, parse_date};
    use crate::test_support::shared_data;
    use chrono::NaiveDate;
    use std::collections::BTreeMap;
    use std::io::Read;

    /// A reader of 538's layouts over `input`.
    fn reader<R: Read>(input: R, name: &str, given: &Options) -> PollReader<R> {
        PollReader::with_options_from(input, name, |h| fivethirtyeight_options(h, given)).unwrap()
    }

    /// What a reader reads: the polls, and those rejected.
    fn read_all<R: Read>(reader: PollReader<R>) -> (Vec<ImportedPoll>, Vec<Rejected>) {
        let (mut polls, mut rejected) = (Vec::new(), Vec::new());
        for item in reader {
            match item {
                Ok(poll) => polls.push(poll),
                Err(r) => rejected.push(r),
            }
        }
        (polls, rejected)
    }

    fn read_csv(csv: &str) -> (Vec<ImportedPoll>, Vec<Rejected>) {
        read_all(reader(csv.as_bytes(), "t.csv", &Options::default()))
    }

    /// A file of the shared data read whole, the kind its header tells, its counts and
    /// rejections told; `None` (and a message) when the shared data is not on this machine.
    fn shared(path: &str) -> Option<(Option<QuestionKind>, Vec<ImportedPoll>, Vec<Rejected>)> {
        let file = std::fs::File::open(shared_data(path)?).unwrap();
        let reader = reader(file, path, &Options::default());
        let kind = reader.question_kind();
        let (polls, rejected) = read_all(reader);
        let results = polls.iter().map(|p| p.poll.results.len()).sum::<usize>();
        let answers = polls
            .iter()
            .flat_map(|p| &p.poll.results)
            .map(|r| r.answers.len())
            .sum::<usize>();
        let rows = rejected.iter().map(|r| r.lines.len()).sum::<usize>();
        eprintln!(
            "{path}: read {} polls, {results} questions, {answers} answers; rejected {} polls \
             ({rows} rows)",
            polls.len(),
            rejected.len()
        );
        for r in &rejected {
            eprintln!("  rejected: {}", r.problems[0]);
        }
        Some((kind, polls, rejected))
    }

    /// Rejections counted by kind of problem.
    fn reasons(rejected: &[Rejected]) -> BTreeMap<&'static str, usize> {
        let mut kinds = BTreeMap::new();
        for r in rejected {
            let problem = &r.problems[0];
            let kind = if problem.contains("sum to") {
                "answers sum over 101"
            } else if problem.contains("is after field end") {
                "start after end"
            } else if problem.contains("is not true or false") {
                "tracking not true or false"
            } else {
                "other"
            };
            *kinds.entry(kind).or_insert(0) += 1;
        }
        kinds
    }

    fn questions(polls: &[ImportedPoll]) -> usize {
        polls.iter().map(|p| p.poll.results.len()).sum()
    }

    fn answer_count(polls: &[ImportedPoll]) -> usize {
        polls
            .iter()
            .flat_map(|p| &p.poll.results)
            .map(|r| r.answers.len())
            .sum()
    }

    fn d(text: &str) -> Option<NaiveDate> {
        Some(parse_date(text).unwrap())
    }

    fn result<'a>(poll: &'a Poll, slug: &str, population: &str) -> &'a ResultSet {
        poll.results
            .iter()
            .find(|r| r.question == slug && r.population == population)
            .unwrap_or_else(|| panic!("no {slug} {population} in {:#?}", poll.results))
    }

    fn answers(result: &ResultSet) -> Vec<(&str, f64)> {
        result
            .answers
            .iter()
            .map(|a| (a.label.as_str(), a.pct))
            .collect()
    }

    fn slugs(poll: &Poll) -> Vec<(&str, &str)> {
        poll.results
            .iter()
            .map(|r| (r.question.as_str(), r.population.as_str()))
            .collect()
    }

    fn urls(poll: &Poll) -> Vec<&str> {
        poll.sources
            .iter()
            .filter_map(|s| s.url.as_deref())
            .collect()
    }

    // Small files written for these tests, one per layout.

    const LONG: &str = "\
poll_id,pollster,sponsors,methodology,state,start_date,end_date,question_id,sample_size,population,subpopulation,tracking,notes,url,internal,partisan,cycle,stage,party,answer,candidate_name,pct
1,Emerson,,IVR/Online Panel,,3/5/24,3/6/24,11,1350,rv,,,,https://a.example/1,,,2024,general,DEM,Biden,Joe Biden,51.0
1,Emerson,,IVR/Online Panel,,3/5/24,3/6/24,11,1350,rv,,,,https://a.example/1,,,2024,general,REP,Trump,Donald Trump,49.0
1,Emerson,,IVR/Online Panel,,3/5/24,3/6/24,12,1350,rv,,,leaners pushed,https://a.example/2,,,2024,general,REP,Trump,Donald Trump,46.0
1,Emerson,,IVR/Online Panel,,3/5/24,3/6/24,12,1350,rv,,,leaners pushed,https://a.example/2,,,2024,general,DEM,Biden,Joe Biden,45.0
1,Emerson,,IVR/Online Panel,,3/5/24,3/6/24,13,1350,rv,,TRUE,,https://a.example/1,,,2024,general,DEM,Biden,Joe Biden,41.5
1,Emerson,,IVR/Online Panel,,3/5/24,3/6/24,13,1350,rv,,TRUE,,https://a.example/1,,,2024,general,REP,Trump,Donald Trump,43.2
1,Emerson,,IVR/Online Panel,,3/5/24,3/6/24,13,1350,rv,,TRUE,,https://a.example/1,,,2024,general,IND,Kennedy,Robert F. Kennedy,6.0
2,Cygnal,The Hill | Nexstar,Live Phone,Pennsylvania,2/28/24,3/1/24,21,600,lv,,,,https://b.example,false,REP,2024,general,DEM,Biden,Joe Biden,44
2,Cygnal,The Hill | Nexstar,Live Phone,Pennsylvania,2/28/24,3/1/24,21,600,lv,,,,https://b.example,false,REP,2024,general,REP,Trump,Donald Trump,47
3,Quinnipiac,,Live Phone,,2/1/24,2/5/24,31,1000,rv,,,,https://c.example,,,2024,general,DEM,Biden,Joe Biden,50
3,Quinnipiac,,Live Phone,,2/1/24,2/6/24,31,1000,rv,,,,https://c.example,,,2024,general,REP,Trump,Donald Trump,44
";

    #[test]
    fn long_layout_one_question_per_match_up() {
        let (polls, rejected) = read_csv(LONG);
        assert_eq!(polls.len(), 2);
        let emerson = &polls[0].poll;
        assert_eq!(polls[0].file_id, Some(1));
        assert_eq!(emerson.pollster, "Emerson");
        assert_eq!(
            (emerson.field_start, emerson.field_end),
            (d("2024-03-05"), d("2024-03-06"))
        );
        assert_eq!(emerson.mode.as_deref(), Some("IVR/Online Panel"));
        // The same match-up asked twice of one population: kept apart.
        assert_eq!(
            slugs(emerson),
            [
                ("president-2024-general-biden-trump", "rv"),
                ("president-2024-general-biden-trump-2", "rv"),
                ("president-2024-general-biden-kennedy-trump", "rv"),
            ]
        );
        let first = &emerson.results[0];
        assert_eq!(answers(first), [("Biden", 51.0), ("Trump", 49.0)]);
        assert_eq!(first.sample_size, Some(1350.0));
        assert_eq!(
            first.wording.as_deref(),
            Some("Presidential vote (2024, general): Biden, Trump")
        );
        assert_eq!(
            answers(&emerson.results[1]),
            [("Trump", 46.0), ("Biden", 45.0)]
        );
        // Sources, notes and tracking are given per question: the poll has them all.
        assert_eq!(
            urls(emerson),
            ["https://a.example/1", "https://a.example/2"]
        );
        assert_eq!(emerson.notes.as_deref(), Some("leaners pushed"));
        assert!(emerson.tracking);
        assert!(!emerson.partisan);

        let cygnal = &polls[1].poll;
        assert_eq!(cygnal.sponsors, ["The Hill", "Nexstar"]);
        assert_eq!(cygnal.region.as_deref(), Some("Pennsylvania"));
        assert!(
            cygnal.partisan,
            "a party in `partisan` marks the poll partisan"
        );
        assert_eq!(
            slugs(cygnal),
            [("president-2024-general-pennsylvania-biden-trump", "lv")]
        );

        // Rows of one poll_id that disagree on the poll's own details are refused.
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].lines, [11, 12]);
        assert!(
            rejected[0].problems[0].contains("t.csv:12: this row's poll details"),
            "{:?}",
            rejected[0].problems
        );
    }

    #[test]
    fn long_layout_options() {
        let headers: Vec<String> = LONG
            .lines()
            .next()
            .unwrap()
            .split(',')
            .map(String::from)
            .collect();
        let options = fivethirtyeight_options(&headers, &Options::default()).unwrap();
        assert_eq!(options.question_key.as_deref(), Some("question_id"));
        assert!(options.slug_from_answers && !options.gather);
        // `party` is the candidate's party here, not a subgroup of the sample.
        assert_eq!(options.subpopulation.as_deref(), Some("subpopulation"));
        assert_eq!(options.partisan_party.as_deref(), Some("partisan"));
        assert!(options.maps.contains(&(Field::Partisan, "internal".into())));
        assert!(options.maps.contains(&(Field::Mode, "methodology".into())));
        assert_eq!(options.split, ["cycle", "stage", "state"]);
    }

    #[test]
    fn favorability_one_question_per_politician() {
        let (polls, rejected) = read_csv("\
poll_id,pollster,sponsors,methodology,state,start_date,end_date,question_id,sample_size,population,subpopulation,tracking,notes,url,internal,partisan,politician,favorable,unfavorable,alternate_answers,very_favorable,somewhat_favorable,somewhat_unfavorable,very_unfavorable
7,Siena/NYT,,Live Phone,,2/25/24,2/28/24,71,823,rv,,,,https://c.example,,,Donald Trump,44.0,54.0,2.0,22.0,21.0,11.0,43.0
7,Siena/NYT,,Live Phone,,2/25/24,2/28/24,72,823,lv,,,,https://c.example,,,Donald Trump,44.0,55.0,2.0,23.0,20.0,9.0,46.0
7,Siena/NYT,,Live Phone,,2/25/24,2/28/24,73,823,rv,,,,https://c.example,,,Joe Biden,38.0,59.0,3.0,,,,
");
        assert!(rejected.is_empty(), "{rejected:?}");
        assert_eq!(polls.len(), 1);
        let poll = &polls[0].poll;
        assert_eq!(
            slugs(poll),
            [
                ("favorability-donald-trump", "rv"),
                ("favorability-donald-trump", "lv"),
                ("favorability-joe-biden", "rv"),
            ]
        );
        let trump = &poll.results[0];
        // The four-way split is not read: it would count the sample twice.
        assert_eq!(
            answers(trump),
            [("Favorable", 44.0), ("Unfavorable", 54.0), ("Other", 2.0)]
        );
        assert_eq!(
            trump.wording.as_deref(),
            Some("Favorable or unfavorable opinion (Donald Trump)")
        );
    }

    #[test]
    fn job_approval_one_row_per_question() {
        let (polls, rejected) = read_csv("\
question_id,poll_id,state,politician_id,politician,pollster_id,pollster,sponsor_ids,sponsors,display_name,fte_grade,sample_size,population,population_full,methodology,start_date,end_date,sponsor_candidate,tracking,created_at,notes,url,source,yes,no
139304,74225,,11,Donald Trump,568,YouGov,352,Economist,YouGov,B,1500,a,a,Online,1/16/21,1/19/21,\"\",,1/20/21 10:18,,https://d.example,538,42.0,53.0
139305,74225,,11,Donald Trump,568,YouGov,352,Economist,YouGov,B,1155,rv,rv,Online,1/16/21,1/19/21,\"\",,1/20/21 10:18,,https://d.example,538,44.0,55.0
139306,74226,,11,Donald Trump,23,American Research Group,\"\",\"\",American Research Group,B,1100,a,a,Live Phone,1/16/21,1/19/21,\"\",TRUE,1/20/21 10:18,,https://e.example,538,30.0,66.0
");
        assert!(rejected.is_empty(), "{rejected:?}");
        assert_eq!(polls.len(), 2);
        let yougov = &polls[0].poll;
        assert_eq!(yougov.sponsors, ["Economist"]);
        assert_eq!(
            slugs(yougov),
            [
                ("approval-donald-trump", "a"),
                ("approval-donald-trump", "rv")
            ]
        );
        let adults = &yougov.results[0];
        assert_eq!(answers(adults), [("Approve", 42.0), ("Disapprove", 53.0)]);
        assert_eq!(adults.sample_size, Some(1500.0));
        assert_eq!(yougov.field_start, d("2021-01-16"));
        assert!(polls[1].poll.tracking && polls[1].poll.sponsors.is_empty());
    }

    #[test]
    fn generic_ballot_by_cycle() {
        let (polls, rejected) = read_csv("\
question_id,poll_id,race_id,cycle,state,pollster_id,pollster,sponsor_ids,sponsors,partisan,display_name,fte_grade,sample_size,population,population_full,methodology,office_type,start_date,end_date,tracking,notes,url,stage,dem,rep,ind
140352,74557,8990,2022,,1302,Echelon Insights,\"\",\"\",,Echelon Insights,B/C,1008,rv,rv,Online,U.S. House,3/15/21,3/21/21,,,https://e.example,general,46.0,42.0,
140353,74558,8990,2020,,1,Harris,\"\",\"\",DEM,Harris,B,900,lv,lv,Online,U.S. House,3/1/20,3/2/20,TRUE,weighted to 2018 electorate,https://f.example,general,48,41,2
");
        assert!(rejected.is_empty(), "{rejected:?}");
        let echelon = &polls[0].poll;
        assert_eq!(slugs(echelon), [("generic-ballot-2022", "rv")]);
        assert_eq!(
            answers(&echelon.results[0]),
            [("Democrat", 46.0), ("Republican", 42.0)]
        );
        assert!(!echelon.partisan);
        let harris = &polls[1].poll;
        assert!(harris.partisan && harris.tracking);
        assert_eq!(harris.notes.as_deref(), Some("weighted to 2018 electorate"));
        assert_eq!(slugs(harris), [("generic-ballot-2020", "lv")]);
        assert_eq!(harris.results[0].answers.len(), 3);
    }

    #[test]
    fn covid_approval_subgroups_gathered_and_invalid_rows_told() {
        let (polls, rejected) = read_csv("\
start_date,end_date,pollster,sponsor,sample_size,population,party,subject,tracking,text,approve,disapprove,url
2020-03-13,2020-03-14,Marist,\"NPR,PBS NewsHour\",835,a,all,Trump,FALSE,Do you approve of Trump's handling of the coronavirus?,49,46,https://g.example
2020-03-13,2020-03-14,Marist,\"NPR,PBS NewsHour\",300,a,R,Trump,FALSE,Do you approve of Trump's handling of the coronavirus?,90,8,https://g.example
2020-03-14,2020-03-16,YouGov,Economist,1500,rv,all,Trump,FALSE,Approve of Trump on the coronavirus?,45,40,https://h.example
2020-03-13,2020-03-14,Marist,\"NPR,PBS NewsHour\",835,a,all,Trump,FALSE,\"Do you approve of Trump's response
to the coronavirus?\",44,50,https://g.example
2020-11-29,2020-11-25,Nationscape,,6000,a,all,Trump,FALSE,Approve?,40,55,https://i.example
");
        assert_eq!(polls.len(), 2);
        let marist = &polls[0].poll;
        assert_eq!(polls[0].lines, [2, 3, 5], "a poll's rows are gathered");
        assert_eq!(marist.sponsors, ["NPR", "PBS NewsHour"]);
        assert_eq!(
            slugs(marist),
            [
                ("covid-approval-trump", "a"),
                ("covid-approval-trump", "a-R"),
                ("covid-approval-trump-2", "a"),
            ]
        );
        let all = &marist.results[0];
        assert_eq!(answers(all), [("Approve", 49.0), ("Disapprove", 46.0)]);
        assert_eq!(
            all.wording.as_deref(),
            Some("Do you approve of Trump's handling of the coronavirus?")
        );
        assert_eq!(marist.results[1].sample_size, Some(300.0));
        assert_eq!(slugs(&polls[1].poll), [("covid-approval-trump", "rv")]);
        assert_eq!(rejected.len(), 1);
        assert!(
            rejected[0].problems[0]
                .contains("t.csv:7: column start_date: field start 2020-11-29 is after field end"),
            "{:?}",
            rejected[0].problems
        );
    }

    #[test]
    fn covid_concern_four_answers() {
        let (polls, rejected) = read_csv("\
start_date,end_date,pollster,sponsor,sample_size,population,party,subject,tracking,text,very,somewhat,not_very,not_at_all,url
2020-01-27,2020-01-29,Morning Consult,\"\",2202,a,all,concern-economy,FALSE,How concerned are you about the U.S. economy?,19,33,23,11,https://j.example
2020-02-02,2020-02-04,YouGov,Economist,1500,a,all,concern-infected,FALSE,How worried are you personally?,13,26,43,,https://j2.example
");
        assert!(rejected.is_empty(), "{rejected:?}");
        let economy = &polls[0].poll.results[0];
        assert_eq!(economy.question, "covid-concern-economy");
        assert_eq!(
            answers(economy),
            [
                ("Very", 19.0),
                ("Somewhat", 33.0),
                ("Not very", 23.0),
                ("Not at all", 11.0)
            ]
        );
        assert_eq!(
            economy.wording.as_deref(),
            Some("How concerned are you about the U.S. economy?")
        );
        assert_eq!(slugs(&polls[1].poll), [("covid-concern-infected", "a")]);
        assert_eq!(polls[1].poll.results[0].answers.len(), 3);
    }

    #[test]
    fn covid_adjusted_party_blocks_gathered() {
        let (polls, rejected) = read_csv("\
subject,modeldate,party,startdate,enddate,pollster,grade,samplesize,population,weight,influence,multiversions,tracking,approve,disapprove,approve_adjusted,disapprove_adjusted,timestamp,url
Biden,11/27/2022,D,1/24/2021,1/26/2021,YouGov,B+,477,a,.62,0,\"\",\"\",84,3,87.0,2.5,02:31:11 27 Nov 2022,https://p.example
Biden,11/27/2022,D,1/28/2021,2/1/2021,Quinnipiac,A-,333.25,a,.63,0,\"\",\"\",93,5,90.9,6.4,02:31:11 27 Nov 2022,https://q.example
Biden,11/27/2022,all,1/24/2021,1/26/2021,YouGov,B+,1500,a,.6,0,\"\",\"\",55,35,56.0,34.0,02:31:28 27 Nov 2022,https://p.example
");
        assert!(rejected.is_empty(), "{rejected:?}");
        assert_eq!(polls.len(), 2);
        let yougov = &polls[0].poll;
        assert_eq!(
            slugs(yougov),
            [
                ("covid-approval-biden", "a-D"),
                ("covid-approval-biden", "a")
            ]
        );
        assert_eq!(
            answers(&yougov.results[0]),
            [("Approve", 84.0), ("Disapprove", 3.0)]
        );
        assert_eq!(yougov.field_end, d("2021-01-26"));
        assert_eq!(polls[1].poll.results[0].sample_size, Some(333.25));
    }

    #[test]
    fn impeachment_by_category_split_samples_kept_duplicates_read_once() {
        let (polls, rejected) = read_csv("\
Start,End,Pollster,Sponsor,SampleSize,Pop,tracking,Text,Category,Include?,Yes,No,Unsure,Rep Sample,Rep Yes,Rep No,Dem Sample,Dem Yes,Dem No,Ind Sample,Ind Yes,Ind No,URL,Notes
6/28/2019,7/1/2019,ABC News/Washington Post,,1008,a,,Should Congress begin impeachment proceedings?,begin_proceedings,yes,37,59,4,232,7,87,292,61,36,373,37,59,https://k.example,
11/26/2019,11/27/2019,Ipsos,,502,a,,Should Trump be impeached?,impeach,yes,49,36,16,191,10,85,,,,,,,https://l.example,split sample
11/26/2019,11/27/2019,Ipsos,,503,a,,Should Trump be impeached?,impeach,yes,40,41,19,191,12,80,,,,,,,https://l.example,split sample
6/3/2019,6/16/2019,Gallup,,1009,a,,Impeach over obstruction?,reasons,yes,45,53,2,,,,,,,,,,https://m.example,
6/3/2019,6/16/2019,Gallup,,1009,a,,Impeach over obstruction?,reasons,yes,45,53,2,,,,,,,,,,https://m.example,");
        assert!(rejected.is_empty(), "{rejected:?}");
        assert_eq!(polls.len(), 3);
        let abc = &polls[0].poll;
        assert_eq!(abc.pollster, "ABC News/Washington Post");
        assert_eq!(
            (abc.field_start, abc.field_end),
            (d("2019-06-28"), d("2019-07-01"))
        );
        // The Rep/Dem/Ind columns are not read.
        assert_eq!(slugs(abc), [("impeachment-begin-proceedings", "a")]);
        assert_eq!(
            answers(&abc.results[0]),
            [("Yes", 37.0), ("No", 59.0), ("Unsure", 4.0)]
        );
        assert_eq!(abc.results[0].sample_size, Some(1008.0));
        let ipsos = &polls[1].poll;
        assert_eq!(
            slugs(ipsos),
            [("impeachment-impeach", "a"), ("impeachment-impeach-2", "a")]
        );
        assert_eq!(ipsos.results[1].sample_size, Some(503.0));
        assert_eq!(ipsos.notes.as_deref(), Some("split sample"));
        // A row given twice is read once.
        assert_eq!(polls[2].lines, [5, 6]);
        assert_eq!(slugs(&polls[2].poll), [("impeachment-reasons", "a")]);
        assert_eq!(polls[2].poll.results[0].answers.len(), 3);
    }

    #[test]
    fn approval_model_list_read_once_per_question() {
        let (polls, rejected) = read_csv("\
president,subgroup,modeldate,startdate,enddate,pollster,grade,samplesize,population,weight,influence,approve,disapprove,adjusted_approve,adjusted_disapprove,multiversions,tracking,url,poll_id,question_id,createddate,timestamp
Donald Trump,All polls,8/3/2020,1/20/2017,1/22/2017,Gallup,B,1500,a,.26,0,45,45,45.7,43.5,\"\",T,http://n.example,49253,77265,1/23/2017,18:41:31  3 Aug 2020
Donald Trump,All polls,8/3/2020,1/20/2017,1/22/2017,Morning Consult,B/C,1992,rv,.68,0,46,37,45.1,37.8,\"\",\"\",http://o.example,49249,77261,1/23/2017,18:41:31  3 Aug 2020
Donald Trump,Adults,8/3/2020,1/20/2017,1/22/2017,Gallup,B,1500,a,.26,0,45,45,45.7,43.5,\"\",T,http://n.example,49253,77265,1/23/2017,18:42:57  3 Aug 2020
Donald Trump,Adults,8/3/2020,1/20/2017,1/22/2017,Morning Consult,B/C,2000,a,.5,0,44,40,44.0,40.0,\"\",\"\",http://o.example,49249,77262,1/23/2017,18:42:57  3 Aug 2020
Donald Trump,Voters,8/3/2020,1/20/2017,1/22/2017,Morning Consult,B/C,1992,rv,.68,0,46,37,45.1,37.8,\"\",\"\",http://o.example,49249,77261,1/23/2017,18:45:10  3 Aug 2020
");
        assert!(rejected.is_empty(), "{rejected:?}");
        assert_eq!(polls.len(), 2);
        let gallup = &polls[0];
        assert_eq!(gallup.file_id, Some(49253));
        assert_eq!(gallup.lines, [2, 4]);
        assert!(gallup.poll.tracking);
        assert_eq!(
            gallup.poll.published_on,
            chrono::NaiveDate::from_ymd_opt(2017, 1, 23)
        );
        assert_eq!(slugs(&gallup.poll), [("approval-donald-trump", "a")]);
        assert_eq!(
            answers(&gallup.poll.results[0]),
            [("Approve", 45.0), ("Disapprove", 45.0)]
        );
        let morning = &polls[1].poll;
        assert_eq!(polls[1].lines, [3, 5, 6]);
        assert_eq!(
            slugs(morning),
            [
                ("approval-donald-trump", "rv"),
                ("approval-donald-trump", "a")
            ]
        );
        assert_eq!(morning.results[1].sample_size, Some(2000.0));
        assert!(!morning.tracking);
    }

    #[test]
    fn the_users_question_wording_answers_and_dates_are_kept() {
        let csv = "\
question_id,poll_id,politician,pollster,sponsors,sample_size,population,methodology,start_date,end_date,tracking,notes,url,yes,no
1,2,Donald Trump,YouGov,Economist,1500,a,Online,16.01.2021,19.01.2021,,,https://d.example,42.0,53.0
";
        let given = Options {
            question: Some("trump-job".into()),
            wording: Some("Do you approve?".into()),
            answers: vec![("yes".into(), "Yes".into())],
            date_format: DateFormat::Custom("%d.%m.%Y".into()),
            ..Default::default()
        };
        let (polls, rejected) = read_all(reader(csv.as_bytes(), "t.csv", &given));
        assert!(rejected.is_empty(), "{rejected:?}");
        let result = &polls[0].poll.results[0];
        assert_eq!(result.question, "trump-job-donald-trump");
        assert_eq!(
            result.wording.as_deref(),
            Some("Do you approve? (Donald Trump)")
        );
        assert_eq!(answers(result), [("Yes", 42.0)]);
        assert_eq!(polls[0].poll.field_start, d("2021-01-16"));
    }

    fn header(names: &str) -> Vec<String> {
        names.split(',').map(String::from).collect()
    }

    #[test]
    fn each_layout_knows_the_kind_of_its_questions() {
        let kind = |names: &str| {
            fivethirtyeight_options(&header(names), &Options::default())
                .unwrap()
                .kind
        };
        use QuestionKind::*;
        assert_eq!(kind("pollster,question_id,answer,pct"), Some(Vote));
        assert_eq!(
            kind("pollster,politician,favorable,unfavorable"),
            Some(Favourability)
        );
        assert_eq!(kind("pollster,politician,yes,no"), Some(Approval));
        assert_eq!(
            kind("president,pollster,approve,disapprove"),
            Some(Approval)
        );
        assert_eq!(kind("pollster,cycle,dem,rep"), Some(Vote));
        assert_eq!(kind("pollster,subject,approve,disapprove"), Some(Approval));
        assert_eq!(kind("pollster,subject,very,not_at_all"), Some(Issue));
        assert_eq!(kind("Pollster,Category,Yes,No"), Some(Issue));
        // The user's --kind wins over the layout's, and the reader hands it on.
        let given = Options {
            kind: Some(Issue),
            ..Default::default()
        };
        let reader = PollReader::with_options_from(LONG.as_bytes(), "t.csv", |h| {
            fivethirtyeight_options(h, &given)
        })
        .unwrap();
        assert_eq!(reader.question_kind(), Some(Issue));
        let reader = PollReader::with_options_from(LONG.as_bytes(), "t.csv", |h| {
            fivethirtyeight_options(h, &Options::default())
        })
        .unwrap();
        assert_eq!(reader.question_kind(), Some(Vote));
    }

    #[test]
    fn an_unknown_layout_is_refused() {
        let headers = ["pollster".to_string(), "date".into(), "Labour".into()];
        let error = fivethirtyeight_options(&headers, &Options::default()).unwrap_err();
        assert_eq!(error.hint(), Some(&Hint::ReadAsPlainFile), "{error}");
    }

    // The real files, when the shared data folder is here: one table, a row a file.

    /// What a real file reads to.
    struct RealFile {
        path: &'static str,
        /// The kind its header tells.
        kind: QuestionKind,
        polls: usize,
        questions: usize,
        answers: usize,
        /// Polls rejected, by kind of problem, and the rows they had.
        rejected: &'static [(&'static str, usize)],
        rejected_rows: usize,
        /// One poll looked at closely.
        sample: Sample,
        /// What else is particular to the file: given the sample poll and all polls read.
        more: fn(&Poll, &[ImportedPoll]),
    }

    /// A poll of a real file, its field dates and one of its result sets.
    struct Sample {
        /// The poll's `poll_id` in the file, or `None` for the first poll read.
        file_id: Option<i64>,
        pollster: &'static str,
        field: (&'static str, &'static str),
        /// Question slug and population of the result set.
        result: (&'static str, &'static str),
        sample_size: f64,
        answers: &'static [(&'static str, f64)],
    }

    const REAL_FILES: &[RealFile] = &[
        RealFile {
            path: "fivethirtyeight-pollspage-2024/president_polls.csv",
            kind: QuestionKind::Vote,
            polls: 1478,
            questions: 2834,
            answers: 6300,
            rejected: &[],
            rejected_rows: 0,
            // 86302,...,Emerson,...,3/5/24,3/6/24,...,194211,1350,rv,... Biden 51.0, Trump 49.0
            sample: Sample {
                file_id: Some(86302),
                pollster: "Emerson",
                field: ("2024-03-05", "2024-03-06"),
                result: ("president-2024-general-biden-trump", "rv"),
                sample_size: 1350.0,
                answers: &[("Biden", 51.0), ("Trump", 49.0)],
            },
            more: |emerson, polls| {
                assert_eq!(emerson.mode.as_deref(), Some("IVR/Online Panel/Email"));
                let five = result(
                    emerson,
                    "president-2024-general-biden-kennedy-stein-trump-west",
                    "rv",
                );
                assert_eq!(five.answers.len(), 5);
                // Biden-Trump asked twice of registered and of all adults (poll 78101).
                assert_eq!(
                    slugs(by_file_id(polls, 78101)),
                    [
                        ("president-2024-general-biden-trump", "rv"),
                        ("president-2024-general-biden-trump-2", "rv"),
                        ("president-2024-general-biden-trump", "a"),
                        ("president-2024-general-biden-trump-2", "a"),
                    ]
                );
                // Two sources for one poll (86061), given per question.
                assert_eq!(urls(by_file_id(polls, 86061)).len(), 2);
                assert_eq!(polls.iter().filter(|p| p.poll.partisan).count(), 94);
                assert_eq!(polls.iter().filter(|p| p.poll.tracking).count(), 453);
                let state = polls.iter().flat_map(|p| &p.poll.results);
                assert_eq!(
                    state
                        .filter(|r| r.question == "president-2024-general-pennsylvania-biden-trump")
                        .count(),
                    44
                );
            },
        },
        RealFile {
            path: "fivethirtyeight-pollspage-2024/favorability_polls.csv",
            kind: QuestionKind::Favourability,
            polls: 1112,
            questions: 3380,
            answers: 10140,
            // 13 polls with a question whose favorable + unfavorable + alternate answers are
            // over 101 (Hart/POS: 23 + 36 + 51).
            rejected: &[("answers sum over 101", 13)],
            rejected_rows: 67,
            // 86253,...,Siena/NYT,...,2/25/24,2/28/24,...,193977,823,rv,...,Donald Trump,44.0,54.0,2.0
            sample: Sample {
                file_id: Some(86253),
                pollster: "Siena/NYT",
                field: ("2024-02-25", "2024-02-28"),
                result: ("favorability-donald-trump", "rv"),
                sample_size: 823.0,
                answers: &[("Favorable", 44.0), ("Unfavorable", 54.0), ("Other", 2.0)],
            },
            more: |siena, _| {
                let likely = result(siena, "favorability-donald-trump", "lv");
                assert_eq!(likely.answers[1].pct, 55.0);
            },
        },
        RealFile {
            path: "fivethirtyeight-pollspage-2021/president_approval_polls.csv",
            kind: QuestionKind::Approval,
            polls: 6893,
            questions: 10009,
            answers: 20018,
            rejected: &[],
            rejected_rows: 0,
            // 139304,74225,,11,Donald Trump,568,YouGov,352,Economist,...,1500,a,a,Online,1/16/21,1/19/21,...,42.0,53.0
            sample: Sample {
                file_id: Some(74225),
                pollster: "YouGov",
                field: ("2021-01-16", "2021-01-19"),
                result: ("approval-donald-trump", "a"),
                sample_size: 1500.0,
                answers: &[("Approve", 42.0), ("Disapprove", 53.0)],
            },
            more: |yougov, _| {
                assert_eq!(yougov.sponsors, ["Economist"]);
                let voters = result(yougov, "approval-donald-trump", "rv");
                assert_eq!(voters.sample_size, Some(1155.0));
            },
        },
        RealFile {
            path: "fivethirtyeight-pollspage-2021/generic_ballot_polls.csv",
            kind: QuestionKind::Vote,
            polls: 864,
            questions: 912,
            answers: 1824,
            rejected: &[],
            rejected_rows: 0,
            // 140352,74557,8990,2022,,1302,Echelon Insights,...,1008,rv,rv,Online,U.S. House,,3/15/21,3/21/21,...,46.0,42.0,
            sample: Sample {
                file_id: Some(74557),
                pollster: "Echelon Insights",
                field: ("2021-03-15", "2021-03-21"),
                result: ("generic-ballot-2022", "rv"),
                sample_size: 1008.0,
                answers: &[("Democrat", 46.0), ("Republican", 42.0)],
            },
            more: |_, _| {},
        },
        RealFile {
            path: "fivethirtyeight-covid-polls/covid_approval_polls.csv",
            kind: QuestionKind::Approval,
            polls: 1117,
            questions: 3842,
            answers: 7666,
            rejected: &[
                ("answers sum over 101", 3),
                ("start after end", 2),
                ("tracking not true or false", 2),
            ],
            rejected_rows: 25,
            // 2020-02-02,2020-02-04,YouGov,Economist,1500,a,all,Trump,FALSE,...,42,29,...
            sample: Sample {
                file_id: None,
                pollster: "YouGov",
                field: ("2020-02-02", "2020-02-04"),
                result: ("covid-approval-trump", "a"),
                sample_size: 1500.0,
                answers: &[("Approve", 42.0), ("Disapprove", 29.0)],
            },
            more: |yougov, _| {
                assert_eq!(yougov.sponsors, ["Economist"]);
                let all = result(yougov, "covid-approval-trump", "a");
                assert!(
                    all.wording
                        .as_deref()
                        .unwrap()
                        .starts_with("Do you approve or disapprove")
                );
                let republicans = result(yougov, "covid-approval-trump", "a-R");
                assert_eq!(
                    (republicans.sample_size, answers(republicans)),
                    (Some(376.0), vec![("Approve", 75.0), ("Disapprove", 6.0)])
                );
            },
        },
        RealFile {
            path: "fivethirtyeight-covid-polls/covid_concern_polls.csv",
            kind: QuestionKind::Issue,
            polls: 549,
            questions: 678,
            answers: 2704,
            rejected: &[],
            rejected_rows: 0,
            // 2020-01-27,2020-01-29,Morning Consult,"",2202,a,all,concern-economy,...,19,33,23,11,...
            sample: Sample {
                file_id: None,
                pollster: "Morning Consult",
                field: ("2020-01-27", "2020-01-29"),
                result: ("covid-concern-economy", "a"),
                sample_size: 2202.0,
                answers: &[
                    ("Very", 19.0),
                    ("Somewhat", 33.0),
                    ("Not very", 23.0),
                    ("Not at all", 11.0),
                ],
            },
            more: |_, _| {},
        },
        RealFile {
            path: "fivethirtyeight-covid-polls/covid_approval_polls_adjusted.csv",
            kind: QuestionKind::Approval,
            polls: 467,
            questions: 1614,
            answers: 3228,
            rejected: &[("answers sum over 101", 2), ("start after end", 1)],
            rejected_rows: 12,
            // Biden,11/27/2022,D,1/24/2021,1/26/2021,YouGov,B+,477,a,...,84,3,...
            sample: Sample {
                file_id: None,
                pollster: "YouGov",
                field: ("2021-01-24", "2021-01-26"),
                result: ("covid-approval-biden", "a-D"),
                sample_size: 477.0,
                answers: &[("Approve", 84.0), ("Disapprove", 3.0)],
            },
            // The poll's four party rows, far apart in the file, are one poll.
            more: |yougov, _| assert_eq!(yougov.results.len(), 4),
        },
        RealFile {
            path: "fivethirtyeight-impeachment-polls/impeachment_polls.csv",
            kind: QuestionKind::Issue,
            // 550 rows: 10 exact duplicates read once, 2 rejected.
            polls: 432,
            questions: 538,
            answers: 1593,
            // USC Dornsife/LA Times 10/21-11/3/2019: Yes 54 + No 28 + Unsure 28.
            rejected: &[("answers sum over 101", 1)],
            rejected_rows: 2,
            // 6/28/2019,7/1/2019,ABC News/Washington Post,,1008,a,,...,begin_proceedings,yes,37,59,4,...
            sample: Sample {
                file_id: None,
                pollster: "ABC News/Washington Post",
                field: ("2019-06-28", "2019-07-01"),
                result: ("impeachment-begin-proceedings", "a"),
                sample_size: 1008.0,
                answers: &[("Yes", 37.0), ("No", 59.0), ("Unsure", 4.0)],
            },
            more: |_, polls| {
                // Ipsos 11/26-27/2019 asked one question of two split samples (lines 453 and
                // 454).
                let ipsos = &polls.iter().find(|p| p.lines.contains(&453)).unwrap().poll;
                assert_eq!(
                    slugs(ipsos),
                    [("impeachment-impeach", "a"), ("impeachment-impeach-2", "a")]
                );
            },
        },
        RealFile {
            path: "fivethirtyeight-trump-approval/approval_polllist.csv",
            kind: QuestionKind::Approval,
            // 14,259 rows: each question once per model subgroup it feeds.
            polls: 5806,
            questions: 8483,
            answers: 16966,
            rejected: &[],
            rejected_rows: 0,
            // Donald Trump,All polls,8/3/2020,1/20/2017,1/22/2017,Gallup,B,1500,a,...,45,45,...,T,...,49253,77265,...
            sample: Sample {
                file_id: Some(49253),
                pollster: "Gallup",
                field: ("2017-01-20", "2017-01-22"),
                result: ("approval-donald-trump", "a"),
                sample_size: 1500.0,
                answers: &[("Approve", 45.0), ("Disapprove", 45.0)],
            },
            more: |gallup, polls| {
                assert!(gallup.tracking);
                assert_eq!(gallup.published_on, d("2017-01-23"), "createddate");
                let listed = polls.iter().find(|p| p.file_id == Some(49253)).unwrap();
                assert_eq!(listed.lines.len(), 2, "listed under All polls and Adults");
                // Poll 49275's questions were entered on 2/5/2017 and 1/9/2019: known from
                // the first.
                assert_eq!(by_file_id(polls, 49275).published_on, d("2017-02-05"));
            },
        },
    ];

    fn by_file_id(polls: &[ImportedPoll], id: i64) -> &Poll {
        &polls
            .iter()
            .find(|p| p.file_id == Some(id))
            .unwrap_or_else(|| panic!("no poll {id}"))
            .poll
    }

    /// Checks a real file against its row of the table; `None` when the file is absent.
    fn check_real_file(row: &RealFile) -> Option<()> {
        let (kind, polls, rejected) = shared(row.path)?;
        assert_eq!(kind, Some(row.kind));
        assert_eq!(
            (polls.len(), questions(&polls), answer_count(&polls)),
            (row.polls, row.questions, row.answers),
            "polls, questions, answers"
        );
        let expected: BTreeMap<&str, usize> = row.rejected.iter().copied().collect();
        assert_eq!(reasons(&rejected), expected, "rejected polls by problem");
        assert_eq!(
            rejected.iter().map(|r| r.lines.len()).sum::<usize>(),
            row.rejected_rows,
            "rows of the rejected polls"
        );
        let sample = &row.sample;
        let poll = match sample.file_id {
            Some(id) => by_file_id(&polls, id),
            None => &polls[0].poll,
        };
        assert_eq!(poll.pollster, sample.pollster);
        assert_eq!(
            (poll.field_start, poll.field_end),
            (d(sample.field.0), d(sample.field.1))
        );
        let set = result(poll, sample.result.0, sample.result.1);
        assert_eq!(set.sample_size, Some(sample.sample_size));
        assert_eq!(answers(set), sample.answers);
        (row.more)(poll, &polls);
        Some(())
    }

    /// Every real file of 538's layouts reads to the figures of its row; a failure names the
    /// file, and every file is checked before the test fails.
    #[test]
    fn real_files_read_to_their_figures() {
        let mut failures = Vec::new();
        for row in REAL_FILES {
            let checked = std::panic::catch_unwind(|| check_real_file(row));
            match checked {
                Ok(_) => {}
                Err(panic) => {
                    let message = panic
                        .downcast_ref::<String>()
                        .map(String::as_str)
                        .or_else(|| panic.downcast_ref::<&str>().copied())
                        .unwrap_or("a panic");
                    failures.push(format!("{}: {message}", row.path));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
