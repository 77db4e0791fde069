//! Query parameters as the use cases' typed requests. Parameters are named like the command
//! line's flags (`question`, `pollster`, `since`, `until`, `population`, `region`, `sponsor`,
//! `search`, `election`; `method`, `window`, `span`...; `_` for `-`), so a URL is a saved
//! query; one that repeats (`question=a&question=b`) means what repeating the flag means.
//! An unknown parameter is refused, naming it: a misspelt filter silently ignored would show
//! the wrong polls.

use crate::analysis::{LoessWeights, Method, TrendOptions};
use crate::db::SeriesFilter;
use crate::error::{Error, Result};
use crate::model::{self, ListCursor, PollFilter};
use chrono::NaiveDate;

/// The filters of a listing of polls (`list`'s flags).
pub(crate) const POLL_FILTERS: &[&str] = &[
    "question",
    "pollster",
    "since",
    "until",
    "population",
    "region",
    "sponsor",
    "search",
    "election",
];

/// The filters of a question's series (`trend`'s flags besides the method's).
pub(crate) const SERIES_FILTERS: &[&str] = &[
    "pollster",
    "exclude_pollster",
    "since",
    "until",
    "population",
];

/// The options of the trend methods.
pub(crate) const METHOD_OPTIONS: &[&str] = &[
    "method",
    "window",
    "span",
    "iterations",
    "weights",
    "step",
    "poll_noise",
];

/// The parameters of [`POLL_FILTERS`], described for the OpenAPI document (what reads them is
/// [`Params`]; a test keeps the two naming the same parameters).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct PollFilterParams {
    /// Only this question, by slug (repeat for several)
    question: Option<Vec<String>>,
    /// Only this pollster, by name or alias, any case (repeat for several)
    pollster: Option<Vec<String>>,
    /// Only polls dated on or after this day (2024-05-14, "May 14, 2024", 14.05.2024...; a
    /// poll's date is the middle of its fieldwork, else its publication date)
    since: Option<String>,
    /// Only polls dated on or before this day
    until: Option<String>,
    /// Only this population (a, rv, lv, v or a named one)
    population: Option<String>,
    /// Only polls of this region or country (any case)
    region: Option<String>,
    /// Only polls commissioned by this sponsor, any case (repeat for several)
    sponsor: Option<Vec<String>>,
    /// Only questions and polls where every word occurs (any case) in the question's slug or
    /// wording, the pollster's name or aliases, or a source's title, outlet or URL
    search: Option<String>,
    /// Only election results
    election: Option<bool>,
}

/// The parameters of a page of a listing, for the OpenAPI document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct PagingParams {
    /// Newest polls first (by default oldest first)
    latest: Option<bool>,
    /// Polls in the page, 1 to 1,000 (default 100)
    limit: Option<u64>,
    /// Where the page starts: the `next` of the page before
    after: Option<String>,
}

/// The parameters of [`SERIES_FILTERS`], for the OpenAPI document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct SeriesFilterParams {
    /// Only this pollster, by name or alias (repeat for several)
    pollster: Option<Vec<String>>,
    /// Leave out this pollster, by name or alias (repeat for several)
    exclude_pollster: Option<Vec<String>>,
    /// Only polls dated on or after this day
    since: Option<String>,
    /// Only polls dated on or before this day
    until: Option<String>,
    /// Only this population; by default each poll counts once, with the population its
    /// question's kind prefers
    population: Option<String>,
}

/// The parameters of [`METHOD_OPTIONS`], for the OpenAPI document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct MethodParams {
    /// kalman (default), loess or latest
    method: Option<String>,
    /// latest: days a poll stays in the average (1 to 3650; default 30)
    window: Option<u32>,
    /// loess: the fraction of polls in each local fit (above 0, at most 1; default 2/3)
    span: Option<f64>,
    /// loess: robustness passes (0 to 10; default 3)
    iterations: Option<u32>,
    /// loess: sample-size (default) or none
    weights: Option<String>,
    /// kalman: the random walk's daily standard deviation in points, 0.001 to 10 (estimated
    /// when not given)
    step: Option<f64>,
    /// kalman: a poll's error beyond sampling error, in points, 0 to 20 (estimated when not
    /// given)
    poll_noise: Option<f64>,
}

/// A request's query parameters, in order.
#[derive(Debug, Default)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Reads `query`, refusing a parameter not among `known` (each a list of names).
    ///
    /// Errors: usage, naming the unknown parameter and the known ones.
    pub(crate) fn parse(query: Option<&str>, known: &[&[&str]]) -> Result<Params> {
        let pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        let names = || known.iter().flat_map(|names| names.iter().copied());
        // `token` is the write token, read by the safety checks on any address.
        let unknown = |name: &String| name != "token" && !names().any(|k| k == name);
        if let Some((name, _)) = pairs.iter().find(|(name, _)| unknown(name)) {
            let known: Vec<&str> = names().collect();
            return Err(Error::usage(format!(
                "unknown parameter \"{name}\": this address takes {}",
                if known.is_empty() {
                    "no parameters".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
        Ok(Params { pairs })
    }

    /// Every value given for `name`, trimmed, empty ones left out.
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    /// The last value given for `name`, trimmed; `None` when absent or empty.
    pub(crate) fn one(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    /// A yes-or-no parameter: absent is no; present with no value, `1`, `true`, `yes` or `on`
    /// is yes; `0`, `false`, `no` or `off` is no.
    pub(crate) fn flag(&self, name: &str) -> Result<bool> {
        let Some((_, value)) = self.pairs.iter().rev().find(|(k, _)| k == name) else {
            return Ok(false);
        };
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            other => Err(invalid(
                name,
                format!("\"{other}\" is not yes or no (give true or false)"),
            )),
        }
    }

    /// A number parameter.
    fn number<T: std::str::FromStr>(&self, name: &str, what: &str) -> Result<Option<T>> {
        self.one(name)
            .map(|text| {
                text.parse()
                    .map_err(|_| invalid(name, format!("\"{text}\" is not {what}")))
            })
            .transpose()
    }

    fn date(&self, name: &str) -> Result<Option<NaiveDate>> {
        self.one(name)
            .map(|text| model::parse_typed_date(text).map_err(|e| invalid(name, e)))
            .transpose()
    }

    /// The poll filters of [`POLL_FILTERS`].
    pub(crate) fn poll_filter(&self) -> Result<PollFilter> {
        Ok(PollFilter {
            questions: self.all("question"),
            pollsters: self.all("pollster"),
            since: self.date("since")?,
            until: self.date("until")?,
            population: self.one("population").map(model::normalize_population),
            region: self.one("region").map(str::to_string),
            sponsors: self.all("sponsor"),
            search: self.one("search").map(str::to_string),
            elections_only: self.flag("election")?,
        })
    }

    /// The series filters of [`SERIES_FILTERS`], for `question`.
    pub(crate) fn series_filter(&self, question: &str) -> Result<SeriesFilter> {
        Ok(SeriesFilter {
            question: question.trim().to_string(),
            pollsters: self.all("pollster"),
            exclude_pollsters: self.all("exclude_pollster"),
            since: self.date("since")?,
            until: self.date("until")?,
            population: self.one("population").map(model::normalize_population),
        })
    }

    /// The trend method and its options of [`METHOD_OPTIONS`], checked against their ranges.
    ///
    /// Errors: invalid, naming the parameter.
    pub(crate) fn trend_options(&self) -> Result<TrendOptions> {
        let defaults = TrendOptions::default();
        let method = match self.one("method") {
            None => defaults.method,
            Some(name) => match name.to_ascii_lowercase().as_str() {
                "kalman" => Method::Kalman,
                "loess" => Method::Loess,
                "latest" => Method::Latest,
                other => {
                    return Err(invalid(
                        "method",
                        format!("\"{other}\" is no trend method (give kalman, loess or latest)"),
                    ));
                }
            },
        };
        let weights = match self.one("weights") {
            None => defaults.weights,
            Some(name) => match name.to_ascii_lowercase().as_str() {
                "sample-size" | "sample_size" => LoessWeights::SampleSize,
                "none" => LoessWeights::None,
                other => {
                    return Err(invalid(
                        "weights",
                        format!("\"{other}\" is no weighting (give sample-size or none)"),
                    ));
                }
            },
        };
        let options = TrendOptions {
            method,
            window: self
                .number("window", "a whole number of days")?
                .unwrap_or(defaults.window),
            span: self.number("span", "a number")?.unwrap_or(defaults.span),
            iterations: self
                .number("iterations", "a whole number")?
                .unwrap_or(defaults.iterations),
            weights,
            step: self.number("step", "a number of points")?,
            poll_noise: self.number("poll_noise", "a number of points")?,
        };
        options.check()?;
        Ok(options)
    }

    /// `limit`: at most `max`, `default` when absent.
    pub(crate) fn limit(&self, default: u64, max: u64) -> Result<u64> {
        match self.number::<u64>("limit", "a whole number")? {
            None => Ok(default),
            Some(n) if (1..=max).contains(&n) => Ok(n),
            Some(n) => Err(invalid("limit", format!("{n} is not from 1 to {max}"))),
        }
    }

    /// `after`: where the next page of a listing starts ([`cursor_text`]'s form).
    pub(crate) fn cursor(&self) -> Result<Option<ListCursor>> {
        self.one("after")
            .map(|text| {
                parse_cursor(text).ok_or_else(|| {
                    invalid(
                        "after",
                        format!("\"{text}\" is not a place in a listing (copy the next link)"),
                    )
                })
            })
            .transpose()
    }

    /// This query with `name` set to `value` (every other parameter kept, in order).
    pub(crate) fn with(&self, name: &str, value: &str) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.pairs.iter().filter(|(k, _)| k != name) {
            query.append_pair(k, v);
        }
        query.append_pair(name, value);
        query.finish()
    }
}

impl Params {
    /// This query with only the parameters named in `names` (in order): a link to a twin that
    /// takes fewer parameters, the CSV of a page's filters without its paging.
    pub(crate) fn only(&self, names: &[&[&str]]) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            if names.iter().any(|names| names.contains(&k.as_str())) {
                query.append_pair(k, v);
            }
        }
        query.finish()
    }
}

/// A cursor as text: the poll date and id, `2024-05-14.123`.
pub(crate) fn cursor_text(cursor: ListCursor) -> String {
    format!("{}.{}", cursor.date, cursor.id)
}

fn parse_cursor(text: &str) -> Option<ListCursor> {
    let (date, id) = text.split_once('.')?;
    Some(ListCursor {
        date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?,
        id: id.parse().ok()?,
    })
}

fn invalid(name: &str, problem: impl std::fmt::Display) -> Error {
    Error::invalid(format!("parameter {name}: {problem}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_parameters_are_the_ones_read() {
        use utoipa::IntoParams;
        let names = |parameters: Vec<utoipa::openapi::path::Parameter>| -> Vec<String> {
            parameters.into_iter().map(|p| p.name).collect()
        };
        let query = || Some(utoipa::openapi::path::ParameterIn::Query);
        assert_eq!(names(PollFilterParams::into_params(query)), POLL_FILTERS);
        assert_eq!(
            names(SeriesFilterParams::into_params(query)),
            SERIES_FILTERS
        );
        assert_eq!(names(MethodParams::into_params(query)), METHOD_OPTIONS);
        assert_eq!(
            names(PagingParams::into_params(query)),
            crate::web::api::PAGING
        );
    }

    #[test]
    fn unknown_parameters_are_refused_by_name() {
        let e = Params::parse(Some("questoin=x"), &[POLL_FILTERS]).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Usage);
        assert!(
            e.to_string().contains("unknown parameter \"questoin\""),
            "{e}"
        );
    }

    #[test]
    fn repeated_filters_mean_what_repeated_flags_mean() {
        let params = Params::parse(
            Some("question=a&question=b&since=2024-05-14&population=LV&election"),
            &[POLL_FILTERS],
        )
        .unwrap();
        let filter = params.poll_filter().unwrap();
        assert_eq!(filter.questions, vec!["a", "b"]);
        assert_eq!(filter.since, NaiveDate::from_ymd_opt(2024, 5, 14));
        assert_eq!(filter.population.as_deref(), Some("lv"));
        assert!(filter.elections_only);
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let params = Params::parse(Some("since=2024-02-30"), &[POLL_FILTERS]).unwrap();
        let e = params.poll_filter().unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Invalid);
        assert!(e.to_string().starts_with("parameter since:"), "{e}");
        let params = Params::parse(Some("method=average&span=2"), &[METHOD_OPTIONS]).unwrap();
        assert!(
            params
                .trend_options()
                .unwrap_err()
                .to_string()
                .contains("method")
        );
        let params = Params::parse(Some("span=2"), &[METHOD_OPTIONS]).unwrap();
        assert_eq!(
            params.trend_options().unwrap_err().kind(),
            crate::ErrorKind::Invalid
        );
    }

    #[test]
    fn cursors_read_back_and_next_links_keep_the_query() {
        let cursor = ListCursor {
            date: NaiveDate::from_ymd_opt(2024, 5, 14).unwrap(),
            id: 123,
        };
        assert_eq!(parse_cursor(&cursor_text(cursor)), Some(cursor));
        assert_eq!(parse_cursor("2024-05-14"), None);
        let params = Params::parse(
            Some("question=a+b&after=x&limit=5"),
            &[POLL_FILTERS, &["after", "limit"]],
        )
        .unwrap();
        assert_eq!(
            params.with("after", "2024-05-14.123"),
            "question=a+b&limit=5&after=2024-05-14.123"
        );
    }
}
