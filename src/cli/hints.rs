//! What would resolve an error or answer a warning, in the command line's words: the library
//! says what is wrong and, as a [`Hint`], what would help; only here is that a command or a flag.

use polltrack::error::Hint;

/// `message`, followed by what would resolve it when there is a hint.
pub fn with_hint(message: &str, hint: Option<&Hint>) -> String {
    match hint {
        Some(hint) => format!("{message}: {}", words(hint)),
        None => message.to_string(),
    }
}

/// A hint as the command line says it.
pub fn words(hint: &Hint) -> String {
    match hint {
        Hint::ListQuestions => "`polltrack question list` shows the questions stored".into(),
        Hint::ListPollsters => "`polltrack pollster list` shows them".into(),
        Hint::ListSources => "`polltrack source list` shows the sources and their ids".into(),
        Hint::ListPolls => "`polltrack list` shows the stored polls and their ids".into(),
        Hint::ListPollsOf { question } => {
            format!("`polltrack list --question {question}` shows them")
        }
        Hint::ChooseResultSet(choices) => {
            let choices: Vec<String> = choices
                .iter()
                .map(|(question, population)| {
                    format!("--question {question} --population {population}")
                })
                .collect();
            format!("say which with {}", choices.join(", or "))
        }
        Hint::EditPoll(id) => format!("change it with `polltrack edit {id}`"),
        Hint::ShowPoll(id) => format!("see it with `polltrack show {id}`"),
        Hint::ReadHistory => "`polltrack history` lists what was changed and deleted".into(),
        Hint::RecordAgain(id) => {
            format!("see `polltrack show {id}`, or pass --allow-duplicate to record it again")
        }
        Hint::MergePollsters { from, into } => {
            format!("run `polltrack pollster merge \"{from}\" \"{into}\"`")
        }
        Hint::CombinePolls => "pass --combine to make each pair one poll (sources, questions and \
                               history of both kept), or edit or delete one of each pair first"
            .into(),
        Hint::RewordQuestion { slug } => {
            format!("change it with `polltrack question rename {slug} {slug} --wording ...`")
        }
        Hint::SetQuestionKind { slug, kind } => {
            format!("change it with `polltrack question kind {slug} {kind}`")
        }
        Hint::GiveWording => "give it with --wording (or the question_wording column); `polltrack \
                              question list` shows the questions stored"
            .into(),
        Hint::CreateFolder => "create the folder first, or run `polltrack --db PATH init`, which \
                               creates it"
            .into(),
        Hint::CreateDatabase => "record a poll with `polltrack add` or run `polltrack init` to \
                                 create one, or point --db (or POLLTRACK_DB) at an existing file"
            .into(),
        Hint::NameAnotherDatabase => "point --db (or POLLTRACK_DB) at a polltrack database, or \
                                      at a file that does not exist yet to create one"
            .into(),
        Hint::InitServerDatabase => "run `polltrack init` (or record a poll) to create \
                                     polltrack's tables in it"
            .into(),
        Hint::NameAnotherServerDatabase => "point --db (or POLLTRACK_DB) at a polltrack database \
                                            or an empty one (CREATE DATABASE polls)"
            .into(),
        Hint::ApplyPendingChanges => "run a command that writes (e.g. `polltrack init`) as a \
                                      user who can write there, then read again"
            .into(),
        Hint::UpgradeDatabase => {
            "run `polltrack init` (or any command that writes) to upgrade it".into()
        }
        Hint::FinishTransaction => {
            "then run any command that writes, or `polltrack init`, on the database to finish"
                .into()
        }
        Hint::GiveSeparator => "give the separator with --delimiter".into(),
        Hint::NameAnswerColumns => "name the answer columns of a wide file with --answers \
                                    COL,COL,... or map a long file's with --map answer=COLUMN \
                                    --map pct=COLUMN"
            .into(),
        Hint::NamePollsterColumn => "name it with --map pollster=COLUMN".into(),
        Hint::GiveQuestion => "give the question with --question SLUG (and --wording TEXT), or \
                               name its column with --map question=COLUMN"
            .into(),
        Hint::NameDateColumn => "name one with --map field_start=COLUMN, --map field_end=COLUMN \
                                 or --map published_on=COLUMN"
            .into(),
        Hint::ReadAsPlainFile => {
            "read it without --format 538, naming its columns with --map and --answers".into()
        }
        Hint::ChooseAsOfMethod => {
            "use --method kalman (the default) or --method latest with --as-of".into()
        }
        Hint::ChooseKindOrPopulation => "say which kind it is with `polltrack question kind` \
                                         (approval, favourability, issue or vote), or choose a \
                                         population with --population"
            .into(),
        Hint::NameFont => "install a font for that script (for Korean on Debian or Ubuntu: `sudo \
                           apt install fonts-nanum`; for Chinese, Japanese and Korean: \
                           fonts-noto-cjk) or name one with --font"
            .into(),
        Hint::ConfirmNewNames { pollster, answer } => {
            let flags = match (pollster, answer) {
                (true, true) => "--new-pollster and --new-answer",
                (true, false) => "--new-pollster",
                _ => "--new-answer",
            };
            format!("correct the spelling, or pass {flags} if the name is new on purpose")
        }
        Hint::ColourAnswers { question } => format!(
            "give one its own colour with `polltrack question color {question} LABEL=#RRGGBB` (kept) or `--color LABEL=#RRGGBB` (this chart only)"
        ),
        Hint::CopyIntoNewDatabase => "copy into a file that does not exist yet, or into an empty \
                                      PostgreSQL database (CREATE DATABASE ...)"
            .into(),
        Hint::LoadIntoNewDatabase => {
            "name a file that does not exist yet with --db (or POLLTRACK_DB) to load into".into()
        }
    }
}
