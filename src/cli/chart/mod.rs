//! `chart`: the flags or saved definitions read into charts to draw.

mod draw;
mod request;
mod save;
mod values;

pub use draw::{CHARTS_DIR, Job, draw};

use super::Ctx;
use super::filters::SeriesFilterArgs;
use super::method::MethodArgs;
use polltrack::app::chart::definition::LoadedDefinition;
use polltrack::app::chart::{DEFAULT_HEIGHT, DEFAULT_WIDTH};
use polltrack::chart;
use polltrack::model::{Rgb, parse_answer_colour};
use polltrack::{Error, Result};
use std::path::{Path, PathBuf};

/// Draw a question's polls and trend as a chart to publish, in PNG or SVG.
///
/// Each poll is a point (its area follows the sample size) in its answer's colour, with the
/// trend line and its shaded 95% band (for the methods that give one); the line and band stop
/// where the polls stop for a while. The legend gives each answer's latest estimate. The
/// format follows the output file's extension. Give a saved definition (charts/NAME.toml) to
/// draw it beside itself, or --all for every definition in charts/.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack chart kr-gsomia\n  \
    polltrack chart approval --method kalman --since 2019-01-01 -o approval.svg\n  \
    polltrack chart kr-gsomia --mark 2016-11-23=\"GSOMIA signed\" \\\n    \
      --font NanumGothic.ttf\n  \
    polltrack chart charts/approval.toml\n  \
    polltrack chart --all")]
pub struct Args {
    /// The question's slug, or a saved chart definition (a .toml file)
    #[arg(required_unless_present = "all")]
    target: Option<String>,
    /// Draw every saved chart definition in charts/
    #[arg(long, conflicts_with = "target")]
    all: bool,
    /// Where to write: FILE.png or FILE.svg (default charts/SLUG.png)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    method: MethodArgs,
    #[command(flatten)]
    filter: SeriesFilterArgs,
    /// The answers to draw, in this order (default: all)
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    answers: Vec<String>,
    /// An event to mark with a labelled vertical line (repeat for several)
    #[arg(long = "mark", value_name = "DATE=LABEL")]
    marks: Vec<String>,
    /// The title (default: the question's wording)
    #[arg(long)]
    title: Option<String>,
    /// The line under the title (default: the method and the population)
    #[arg(long, value_name = "TEXT")]
    subtitle: Option<String>,
    /// A note over the footer, wrapped to the chart's width
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// The footer's credit (default: "Source: " and the pollsters charted)
    #[arg(long, value_name = "TEXT")]
    credit: Option<String>,
    /// The percentages shown, e.g. 20,60 (default: from the polls and trends)
    #[arg(long, value_name = "LOW,HIGH", value_parser = values::y_range)]
    y_range: Option<(f64, f64)>,
    /// Width in pixels (320 to 10,000)
    #[arg(long, default_value_t = DEFAULT_WIDTH, value_parser = values::pixels(chart::MIN_SIZE.0))]
    width: u32,
    /// Height in pixels (200 to 10,000)
    #[arg(long, default_value_t = DEFAULT_HEIGHT, value_parser = values::pixels(chart::MIN_SIZE.1))]
    height: u32,
    /// A font file for text the bundled font lacks (Korean, say); by default an installed
    /// font with the glyphs is looked for
    #[arg(long, value_name = "PATH")]
    font: Option<PathBuf>,
    /// An answer's colour in this chart only (repeat for several); `question color` keeps one
    #[arg(long = "color", value_name = "LABEL=#RRGGBB", value_parser = parse_answer_colour)]
    colours: Vec<(String, Rgb)>,
    /// Also write this chart's definition to charts/NAME.toml, to redraw it later
    #[arg(long, value_name = "NAME", conflicts_with = "all")]
    save: Option<String>,
    /// With --save: write over an existing charts/NAME.toml
    #[arg(long, requires = "save")]
    force: bool,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let jobs = if args.all {
        LoadedDefinition::load_all(Path::new(CHARTS_DIR))?
            .iter()
            .map(Job::saved)
            .collect()
    } else {
        match args.target.as_deref() {
            Some(target) if target.ends_with(".toml") => {
                vec![Job::saved(&LoadedDefinition::load(Path::new(target))?)]
            }
            Some(slug) => vec![request::job(slug, &args)?],
            None => {
                return Err(Error::usage(
                    "say which question to chart (its slug), or a charts/NAME.toml, or --all",
                ));
            }
        }
    };
    // Every output is checked before any chart is drawn.
    let protected = draw::guarded(&ctx.path, &jobs);
    let save = match (&args.save, jobs.as_slice()) {
        (Some(name), [job]) => Some(save::Save::plan(name, args.force, job)?),
        _ => None,
    };
    for job in &jobs {
        protected.check(&job.output)?;
    }
    for job in &jobs {
        draw(ctx, job).await?;
        ctx.out.line(format!("Wrote {}", job.output.display()))?;
    }
    if let Some(save) = save {
        save.write(&protected)?;
        ctx.out.line(format!("Wrote {}", save.path.display()))?;
    }
    if let Some((slug, _)) = args.target.as_deref().zip(args.colours.first()) {
        let keep = format!("`polltrack question color {slug} LABEL=#RRGGBB` keeps a colour");
        eprintln!("note: --color colours this chart only; {keep} for every chart");
    }
    Ok(())
}
