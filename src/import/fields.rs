/// The fields a file's columns can hold; named as the long format's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    PollId,
    Pollster,
    Sponsors,
    FieldStart,
    FieldEnd,
    PublishedOn,
    Mode,
    Population,
    SampleSize,
    MarginOfError,
    Region,
    Question,
    QuestionWording,
    Answer,
    Pct,
    SourceUrls,
    Notes,
    Partisan,
    Tracking,
    Election,
}

impl Field {
    pub const ALL: [Field; 20] = [
        Field::PollId,
        Field::Pollster,
        Field::Sponsors,
        Field::FieldStart,
        Field::FieldEnd,
        Field::PublishedOn,
        Field::Mode,
        Field::Population,
        Field::SampleSize,
        Field::MarginOfError,
        Field::Region,
        Field::Question,
        Field::QuestionWording,
        Field::Answer,
        Field::Pct,
        Field::SourceUrls,
        Field::Notes,
        Field::Partisan,
        Field::Tracking,
        Field::Election,
    ];

    /// The field's name: its column in the long format, and its name in `--map`.
    pub fn name(self) -> &'static str {
        match self {
            Field::PollId => "poll_id",
            Field::Pollster => "pollster",
            Field::Sponsors => "sponsors",
            Field::FieldStart => "field_start",
            Field::FieldEnd => "field_end",
            Field::PublishedOn => "published_on",
            Field::Mode => "mode",
            Field::Population => "population",
            Field::SampleSize => "sample_size",
            Field::MarginOfError => "margin_of_error",
            Field::Region => "region",
            Field::Question => "question",
            Field::QuestionWording => "question_wording",
            Field::Answer => "answer",
            Field::Pct => "pct",
            Field::SourceUrls => "source_urls",
            Field::Notes => "notes",
            Field::Partisan => "partisan",
            Field::Tracking => "tracking",
            Field::Election => "election",
        }
    }

    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name.trim())
    }
}
