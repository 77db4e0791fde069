//! `question color`: colours kept with a question for its answers, shown or set.

use crate::cli::Ctx;
use polltrack::Result;
use polltrack::app::chart::{Origin, answer_colours, set_answer_colours};
use polltrack::model::{Rgb, parse_answer_colour};

/// Keep colours for a question's answers, used by every later chart of it (and its saved
/// definitions, unless they give their own); without colours, show each answer's colour
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack question color de-bundestag CDU/CSU=#000000 SPD=#E3000F \\\n    \
      Grüne=#1AA037\n  \
    polltrack question color de-bundestag --clear BSW\n  \
    polltrack question color de-bundestag")]
pub struct Args {
    /// The question's slug
    slug: String,
    /// An answer and its colour, as LABEL=#RRGGBB (six hexadecimal digits)
    #[arg(value_name = "LABEL=#RRGGBB", value_parser = parse_answer_colour)]
    colours: Vec<(String, Rgb)>,
    /// Forget the colour kept for an answer, which takes the palette's again (repeatable)
    #[arg(long, value_name = "LABEL")]
    clear: Vec<String>,
    /// Print JSON, for scripts, instead of a table
    #[arg(long)]
    json: bool,
}

impl Args {
    pub fn writes(&self) -> bool {
        !self.colours.is_empty() || !self.clear.is_empty()
    }
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let store = ctx.db().await?;
    let colours = if args.writes() {
        set_answer_colours(store, &args.slug, &args.colours, &args.clear).await?
    } else {
        answer_colours(store, &args.slug, &[], &[]).await?
    };
    if args.json {
        return ctx.out.json(&colours);
    }
    let rows: Vec<Vec<String>> = colours
        .iter()
        .map(|c| {
            let origin = match c.origin {
                Origin::Kept => "kept",
                Origin::Palette | Origin::Given => "palette",
            };
            vec![c.answer.clone(), c.colour.to_string(), origin.to_string()]
        })
        .collect();
    ctx.out.table(&["ANSWER", "COLOR", "FROM"], &rows)
}
