use super::Ctx;
use super::output::{date_or_dash, display_width, number};
use polltrack::Result;
use polltrack::model::{Poll, format_date};

/// Show everything about one poll: its result sets, answers, sponsors and sources.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  polltrack show 1\n  polltrack show 1 --json")]
pub struct Args {
    /// The poll's id (see `polltrack list`)
    id: i64,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let poll = polltrack::app::polls::show(ctx.db().await?, args.id).await?;
    if args.json {
        return ctx.out.json(&poll);
    }
    for line in describe(&poll) {
        ctx.out.line(line)?;
    }
    Ok(())
}

/// The poll as a reader would want it laid out.
pub fn describe(poll: &Poll) -> Vec<String> {
    let dash = || "-".to_string();
    let field = match (poll.field_start, poll.field_end) {
        (None, None) => "unknown".to_string(),
        (start, end) => format!("{} to {}", date_or_dash(start), date_or_dash(end)),
    };
    let mut flags = Vec::new();
    if poll.partisan {
        flags.push("partisan");
    }
    if poll.tracking {
        flags.push("tracking");
    }
    if poll.election {
        flags.push("election result");
    }
    let mut lines = vec![
        format!("Poll {}: {}", poll.id.unwrap_or_default(), poll.pollster),
        format!("  date          {}", date_or_dash(poll.date())),
        format!("  fieldwork     {field}"),
        format!("  published     {}", date_or_dash(poll.published_on)),
        format!("  mode          {}", poll.mode.clone().unwrap_or_else(dash)),
        format!(
            "  region        {}",
            poll.region.clone().unwrap_or_else(dash)
        ),
        format!(
            "  sponsors      {}",
            if poll.sponsors.is_empty() {
                dash()
            } else {
                poll.sponsors.join("; ")
            }
        ),
    ];
    if !flags.is_empty() {
        lines.push(format!("  flags         {}", flags.join(", ")));
    }
    if let Some(notes) = &poll.notes {
        lines.push(format!("  notes         {notes}"));
    }
    for result in &poll.results {
        lines.push(String::new());
        lines.push(format!(
            "  {}: {}",
            result.question,
            result.wording.clone().unwrap_or_default()
        ));
        lines.push(format!(
            "  population {}, sample {}, margin of error {}",
            result.population,
            result.sample_size.map(number).unwrap_or_else(dash),
            result
                .margin_of_error
                .map(|m| format!("±{}", number(m)))
                .unwrap_or_else(dash)
        ));
        let width = result
            .answers
            .iter()
            .map(|a| display_width(&a.label))
            .max()
            .unwrap_or(0);
        for answer in &result.answers {
            let pad = " ".repeat(width.saturating_sub(display_width(&answer.label)));
            lines.push(format!(
                "    {}{pad}  {:>5}%",
                answer.label,
                number(answer.pct)
            ));
        }
    }
    lines.push(String::new());
    if poll.sources.is_empty() {
        lines.push("  sources       none recorded".into());
    } else {
        lines.push("  sources".into());
    }
    for source in &poll.sources {
        let mut about: Vec<String> = Vec::new();
        about.extend(source.title.as_ref().map(|t| format!("\"{t}\"")));
        about.extend(source.outlet.clone());
        about.extend(source.published_on.map(format_date));
        lines.push(format!(
            "    [{}] {}",
            source.id.unwrap_or_default(),
            about.join(", ")
        ));
        if let Some(url) = &source.url {
            lines.push(format!("        {url}"));
        }
    }
    lines.push(format!(
        "  recorded {} UTC, updated {} UTC",
        poll.created_at.clone().unwrap_or_else(dash),
        poll.updated_at.clone().unwrap_or_else(dash)
    ));
    lines
}
