use super::values;
use chrono::NaiveDate;
use polltrack::Result;
use polltrack::model::PollFilter;

/// The poll filters shared by the commands that read many polls.
#[derive(clap::Args)]
pub struct FilterArgs {
    /// Only this question (repeat for several)
    #[arg(long = "question", value_name = "SLUG")]
    questions: Vec<String>,
    /// Only this pollster, by name or alias (repeat for several)
    #[arg(long = "pollster", value_name = "NAME")]
    pollsters: Vec<String>,
    #[command(flatten)]
    dates: DateArgs,
    /// Only this population (a, rv, lv, v or a named one)
    #[arg(long, value_name = "P")]
    population: Option<String>,
    /// Only polls of this region or country (any case)
    #[arg(long, value_name = "R")]
    region: Option<String>,
    /// Only polls commissioned by this sponsor, any case (repeat for several)
    #[arg(long = "sponsor", value_name = "NAME")]
    sponsors: Vec<String>,
    /// Only questions and polls where every word of TEXT occurs (any case) in the question's
    /// slug or wording, the pollster's name or aliases, or a source's title, outlet or URL
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Only election results (polls recorded with --election)
    #[arg(long)]
    election: bool,
}

impl FilterArgs {
    /// Whether any filter is given (`delete` needs ids or filters).
    pub fn any(&self) -> bool {
        self.filter().map_or(true, |f| f != PollFilter::default())
    }

    pub fn filter(&self) -> Result<PollFilter> {
        let (since, until) = self.dates.range()?;
        Ok(PollFilter {
            questions: self
                .questions
                .iter()
                .map(|q| q.trim().to_string())
                .collect(),
            pollsters: self.pollsters.clone(),
            since,
            until,
            population: population(self.population.as_deref()),
            region: self.region.clone(),
            sponsors: self.sponsors.clone(),
            search: self.search.clone().filter(|s| !s.trim().is_empty()),
            elections_only: self.election,
        })
    }
}

/// The filters of the commands that follow one question over time (`trend`, `house-effects`,
/// `chart`).
#[derive(clap::Args)]
pub struct SeriesFilterArgs {
    /// Only this pollster, by name or alias (repeat for several)
    #[arg(long = "pollster", value_name = "NAME")]
    pollsters: Vec<String>,
    /// Leave out this pollster, by name or alias (repeat for several)
    #[arg(long = "exclude-pollster", value_name = "NAME")]
    exclude_pollsters: Vec<String>,
    #[command(flatten)]
    dates: DateArgs,
    /// Only this population (a, rv, lv, v or a named one); by default each poll counts once,
    /// with the population its question's kind prefers (adults first for approval,
    /// favourability and issue questions, likely voters first for vote intention and for a
    /// question of no kind; see `polltrack question kind`)
    #[arg(long, value_name = "P")]
    population: Option<String>,
}

impl SeriesFilterArgs {
    pub fn filter(&self, question: &str) -> Result<polltrack::db::SeriesFilter> {
        let (since, until) = self.dates.range()?;
        Ok(polltrack::db::SeriesFilter {
            question: question.trim().to_string(),
            pollsters: self.pollsters.clone(),
            exclude_pollsters: self.exclude_pollsters.clone(),
            since,
            until,
            population: population(self.population.as_deref()),
        })
    }
}

/// The range of poll dates a command covers.
#[derive(clap::Args)]
struct DateArgs {
    /// Only polls dated on or after this day (2024-05-14, "May 14, 2024", 14.05.2024...; a
    /// poll's date is the middle of its fieldwork, else its publication date)
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only polls dated on or before this day
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
}

impl DateArgs {
    fn range(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
        Ok((
            values::typed_date("--since", self.since.as_deref())?,
            values::typed_date("--until", self.until.as_deref())?,
        ))
    }
}

fn population(text: Option<&str>) -> Option<String> {
    text.map(polltrack::model::normalize_population)
}
