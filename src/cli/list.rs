use super::Ctx;
use super::filters::FilterArgs;
use super::output::{date_or_dash, display_width, number, table_line};
use polltrack::Result;
use polltrack::app::polls::list;
use polltrack::model::{ListOrder, Poll, answers_text};

/// List polls, one row per question and population, by date.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack list\n  \
    polltrack list --question kr-gsomia --since 2016-01-01\n  \
    polltrack list --pollster yougov --population lv --json\n  \
    polltrack list --latest --limit 20\n  \
    polltrack list --search \"trump approval\" --region Georgia \\\n    \
      --sponsor \"New York Times\"")]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Newest polls first
    #[arg(long)]
    latest: bool,
    /// At most N polls (each with its matching rows), the first N in the order listed
    #[arg(long, value_name = "N")]
    limit: Option<u64>,
    /// Print JSON (the same shape as `show --json`, one object per poll)
    #[arg(long)]
    json: bool,
}

const HEADERS: [&str; 7] = ["ID", "DATE", "POLLSTER", "QUESTION", "POP", "N", "ANSWERS"];

/// Prints the matching polls a page at a time, so memory does not grow with the database: a
/// table is read twice (once to size its columns, once to print), JSON once.
pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let filter = args.filter.filter()?;
    let order = ListOrder {
        newest_first: args.latest,
        limit: args.limit,
        after: None,
    };
    ctx.db().await?;
    let db = ctx
        .db
        .as_ref()
        .ok_or_else(|| polltrack::Error::Failed("database not open".into()))?;
    let out = &mut ctx.out;
    if args.json {
        let mut first = true;
        list(db, &filter, order, 1, |_, polls| {
            for poll in &polls {
                // Each poll as `serde_json`'s pretty printer writes an array's element.
                let text = serde_json::to_string_pretty(poll)
                    .map_err(|e| polltrack::Error::from(std::io::Error::from(e)))?;
                let mut element = String::with_capacity(text.len() + 64);
                element.push_str(if first { "[\n" } else { ",\n" });
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        element.push('\n');
                    }
                    element.push_str("  ");
                    element.push_str(line);
                }
                out.write(&element)?;
                first = false;
            }
            Ok(())
        })
        .await?;
        return out.line(if first { "[]" } else { "\n]" });
    }
    let mut widths: Vec<usize> = HEADERS.iter().map(|h| display_width(h)).collect();
    let mut printing = false;
    list(db, &filter, order, 2, |pass, polls| {
        if pass == 0 {
            for row in polls.iter().flat_map(rows) {
                for (width, cell) in widths.iter_mut().zip(&row) {
                    *width = (*width).max(display_width(cell));
                }
            }
            return Ok(());
        }
        if !printing {
            let headers: Vec<String> = HEADERS.iter().map(|h| h.to_string()).collect();
            out.line(table_line(&widths, &headers))?;
            printing = true;
        }
        for row in polls.iter().flat_map(rows) {
            out.line(table_line(&widths, &row))?;
        }
        Ok(())
    })
    .await?;
    if !printing {
        eprintln!("no polls match");
    }
    Ok(())
}

/// A poll's rows: one per result set.
fn rows(poll: &Poll) -> impl Iterator<Item = Vec<String>> + '_ {
    poll.results.iter().map(move |result| {
        vec![
            poll.id.unwrap_or_default().to_string(),
            date_or_dash(poll.date()),
            if poll.election {
                format!("{} (election)", poll.pollster)
            } else {
                poll.pollster.clone()
            },
            result.question.clone(),
            result.population.clone(),
            result.sample_size.map(number).unwrap_or_else(|| "-".into()),
            answers_text(result),
        ]
    })
}
