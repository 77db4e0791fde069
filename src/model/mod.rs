//! Domain types: what a poll is, with no I/O. Everything else speaks in these.

mod colour;
mod date;
pub mod dump;
mod estimates;
mod names;
mod normalize;
mod parse;
mod text;
mod validate;

pub use colour::{Rgb, parse_answer_colour};
pub use date::{TYPED_DATE_FORMS, format_date, parse_date, parse_typed_date, poll_date, today};
pub use estimates::HouseEffect;
pub use names::{CLOSEST, close_among, close_names, looks_like, typo_key};
pub use normalize::{FieldChange, answers_text, diff_polls, normalize_poll, normalize_population};
pub use parse::{parse_answer, parse_margin_of_error, parse_number, parse_pct, parse_sample_size};
pub use text::{
    EARLIEST_DATE, MAX_POLL_ID, MISSING, count, free_text_problem, implausible_date, latest_date,
    name_problem, printable, reads_as_missing, terminal_safe,
};
pub use validate::{Problem, validate_poll};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Populations with a standard short code; anything else is a named subpopulation.
pub const STANDARD_POPULATIONS: [(&str, &str); 4] = [
    ("a", "adults"),
    ("rv", "registered voters"),
    ("lv", "likely voters"),
    ("v", "voters"),
];

/// Answers of one result set may sum to a little over 100 through rounding.
pub const MAX_ANSWER_SUM: f64 = 101.0;

/// One piece of fieldwork by one pollster, as entered or as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct Poll {
    /// Set once stored.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<i64>,
    pub pollster: String,
    pub sponsors: Vec<String>,
    pub field_start: Option<NaiveDate>,
    pub field_end: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub mode: Option<String>,
    pub region: Option<String>,
    pub partisan: bool,
    pub tracking: bool,
    /// An election result, not a poll: left out of every average and drawn apart.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub election: bool,
    pub notes: Option<String>,
    pub results: Vec<ResultSet>,
    pub sources: Vec<Source>,
    /// Set once stored: `YYYY-MM-DD HH:MM:SS` in UTC.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub updated_at: Option<String>,
}

impl Poll {
    /// Answers known, over all its result sets.
    pub fn answer_count(&self) -> usize {
        self.results.iter().map(|r| r.answers.len()).sum()
    }

    /// The day this poll stands at on a chart.
    pub fn date(&self) -> Option<NaiveDate> {
        poll_date(self.field_start, self.field_end, self.published_on)
    }
}

/// One question asked of one population in a poll, with its answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct ResultSet {
    /// The question's slug, e.g. `kr-gsomia`.
    pub question: String,
    /// The question's wording; needed only when the question is new.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub wording: Option<String>,
    pub population: String,
    pub sample_size: Option<f64>,
    pub margin_of_error: Option<f64>,
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Answer {
    pub label: String,
    pub pct: f64,
}

/// An article or release that reported polls.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct Source {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<i64>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Question {
    pub slug: String,
    pub wording: String,
    pub topic: Option<String>,
    /// Polls asking it, and the span of their dates.
    pub polls: i64,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    /// What sort of question it is, which decides the population a trend counts first; `None`
    /// until someone says.
    pub kind: Option<QuestionKind>,
}

/// What sort of question a question is. Pollsters and published averages read approval,
/// favourability and issue questions among all adults first, and vote intention among likely
/// voters first, so a trend needs to know which it is reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    /// Approval of a politician or government (job approval, handling of something).
    Approval,
    /// Favourable or unfavourable opinion of someone.
    #[serde(alias = "favorability")]
    Favourability,
    /// Opinion on an issue or policy.
    Issue,
    /// Vote intention: a race, a match-up, a party ballot.
    Vote,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 4] = [
        QuestionKind::Approval,
        QuestionKind::Favourability,
        QuestionKind::Issue,
        QuestionKind::Vote,
    ];

    /// The name stored and shown.
    pub fn name(self) -> &'static str {
        match self {
            QuestionKind::Approval => "approval",
            QuestionKind::Favourability => "favourability",
            QuestionKind::Issue => "issue",
            QuestionKind::Vote => "vote",
        }
    }

    /// A kind by its name, in any case; the American spelling `favorability` is FiveThirtyEight's
    /// and many users', so it is taken too.
    pub fn from_name(name: &str) -> Option<QuestionKind> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("favorability") {
            return Some(QuestionKind::Favourability);
        }
        QuestionKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name))
    }
}

impl std::fmt::Display for QuestionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Pollster {
    pub name: String,
    pub aliases: Vec<String>,
    pub polls: i64,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
}

/// A source with the polls it reported.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SourceWithPolls {
    #[serde(flatten)]
    pub source: Source,
    pub polls: Vec<i64>,
}

/// One recorded change: of a poll (an edit, a delete, a restore, an undo...) or of a question,
/// pollster or source. One change may be several rows (one per field), sharing `change_set`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Change {
    pub id: i64,
    /// What changed: `poll`, `question`, `pollster` or `source`.
    pub subject: String,
    /// The poll changed; `None` for the other subjects.
    pub poll_id: Option<i64>,
    /// The question's, pollster's or source's id; `None` for a poll.
    pub subject_id: Option<i64>,
    /// The question's slug, pollster's name or source's URL (else title) as stored now; `None`
    /// for a poll, and for a pollster merged away since.
    pub name: Option<String>,
    /// When, UTC, `YYYY-MM-DD HH:MM:SS`.
    pub changed_at: String,
    pub action: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// Why, as the user said (`--reason`).
    pub reason: Option<String>,
    /// The id of the first row of the change this row belongs to.
    pub change_set: i64,
}

/// Whose history to read: [`HistoryStore::history_of`](crate::db::HistoryStore::history_of).
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Poll(i64),
    /// A question by slug.
    Question(String),
    /// A pollster by name or alias.
    Pollster(String),
    /// A source by id or URL.
    Source(String),
}

/// Which polls a listing, export or trend covers. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PollFilter {
    pub questions: Vec<String>,
    pub pollsters: Vec<String>,
    /// Inclusive bounds on the poll's date (see [`Poll::date`]).
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub population: Option<String>,
    /// Only polls of this region or country (case-insensitive, trimmed).
    pub region: Option<String>,
    /// Only polls commissioned by one of these sponsors (names in any case).
    pub sponsors: Vec<String>,
    /// Only result sets where every word of this text occurs, in any case, in the question's
    /// slug or wording, the pollster's name or aliases, or a source's title, outlet or URL.
    pub search: Option<String>,
    /// Only election results (`--election` polls), when true.
    pub elections_only: bool,
}

/// The order and length of a listing: oldest first unless `newest_first`; at most `limit`
/// polls (whole polls, each with all its matching result sets), counted in that order; only
/// the polls after `after` in that order, when given (a next page, by key: the pages of a
/// listing stay whole and never repeat a poll while polls are added or removed meanwhile).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ListOrder {
    pub newest_first: bool,
    pub limit: Option<u64>,
    pub after: Option<ListCursor>,
}

/// A place in a listing by date: the poll date and id of the last poll of a page. Polls are
/// listed by date, then id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListCursor {
    pub date: NaiveDate,
    pub id: i64,
}

impl ListCursor {
    /// Where a listing goes on after `poll` (a stored poll: it has an id and a date).
    pub fn after(poll: &Poll) -> Option<ListCursor> {
        Some(ListCursor {
            date: poll.date()?,
            id: poll.id?,
        })
    }
}

/// Something worth telling the user that does not stop the work: what, and where; `hint`
/// is what would answer it, for the front door to say in its own terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub message: String,
    pub hint: Option<crate::error::Hint>,
}

impl Warning {
    pub fn new(message: impl Into<String>) -> Warning {
        Warning {
            message: message.into(),
            hint: None,
        }
    }

    /// The same warning, its message prefixed with where it happened.
    pub fn in_context(&self, place: &str) -> Warning {
        Warning {
            message: format!("{place}: {}", self.message),
            hint: self.hint.clone(),
        }
    }

    pub fn with_hint(self, hint: crate::error::Hint) -> Warning {
        Warning {
            hint: Some(hint),
            ..self
        }
    }
}

/// In JSON a warning is its message: the hint is for a front door to word.
impl serde::Serialize for Warning {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.message)
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Trims a name and folds it for case-insensitive matching.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Whether two polls' sponsors allow them to be the same poll (the poll identity rule, shared
/// by `add`, `edit`, `import` and `pollster merge`): one pollster's polls of the same days for
/// different clients are two polls when both name their sponsors and the sponsors differ; a
/// poll naming none may be either.
pub fn sponsors_agree<A: AsRef<str>, B: AsRef<str>>(a: &[A], b: &[B]) -> bool {
    let keys = |names: &mut dyn Iterator<Item = &str>| {
        let mut keys: Vec<String> = names.map(name_key).collect();
        keys.sort();
        keys.dedup();
        keys
    };
    a.is_empty()
        || b.is_empty()
        || keys(&mut a.iter().map(AsRef::as_ref)) == keys(&mut b.iter().map(AsRef::as_ref))
}

/// An optional text as entered: surrounding spaces trimmed, empty meaning unknown.
pub fn clean_text(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        // One line end everywhere (`\r\n` and a lone `\r` alike), so an export and import give
        // the text back as it was.
        .map(|t| t.replace("\r\n", "\n").replace('\r', "\n"))
}

/// A name repeated on many result sets (pollster, population, answer label), stored once and
/// shared: a trend may read hundreds of thousands.
pub type Name = std::sync::Arc<str>;

/// One question asked of one population in one poll, as read for a trend.
#[derive(Debug, Clone, PartialEq)]
pub struct PollResult {
    pub poll_id: i64,
    pub pollster: Name,
    pub field_start: Option<NaiveDate>,
    pub field_end: Option<NaiveDate>,
    /// The day the poll stands at: the middle of its field period, else its publication day.
    pub date: NaiveDate,
    /// The day the poll became known, which an as-of trend counts it from: its publication
    /// day when recorded, else the day it was recorded in polltrack (the date of its creation
    /// timestamp, UTC). Taken as given, even when before the end of its field period.
    pub known_on: NaiveDate,
    pub tracking: bool,
    /// An election result ([`Poll::election`]).
    pub election: bool,
    pub population: Name,
    pub sample_size: Option<f64>,
    /// Answer label and percentage.
    pub answers: Vec<(Name, f64)>,
}

impl PollResult {
    /// The result sets of `poll` asking `question`, as read for a trend; `poll_id` stands in
    /// for the poll's id when it has none (a poll not stored). The day it became known is its
    /// publication day, else the date of its creation timestamp when it has been stored, else
    /// (a poll not stored) the end of its field period, else its date.
    pub fn from_poll(poll: &Poll, poll_id: i64, question: &str) -> Vec<PollResult> {
        let Some(date) = poll.date() else {
            return Vec::new();
        };
        let created_on = poll
            .created_at
            .as_deref()
            .and_then(|t| parse_date(t.get(..10)?).ok());
        let known_on = poll
            .published_on
            .or(created_on)
            .or(poll.field_end)
            .unwrap_or(date);
        poll.results
            .iter()
            .filter(|r| r.question == question)
            .map(|r| PollResult {
                poll_id: poll.id.unwrap_or(poll_id),
                pollster: poll.pollster.as_str().into(),
                field_start: poll.field_start,
                field_end: poll.field_end,
                date,
                known_on,
                tracking: poll.tracking,
                election: poll.election,
                population: r.population.as_str().into(),
                sample_size: r.sample_size,
                answers: r
                    .answers
                    .iter()
                    .map(|a| (a.label.as_str().into(), a.pct))
                    .collect(),
            })
            .collect()
    }
}
