//! The chart the flags ask for.

use super::{Args, CHARTS_DIR, Job, values};
use polltrack::Result;
use polltrack::app::chart::ChartRequest;
use std::path::Path;

pub fn job(slug: &str, args: &Args) -> Result<Job> {
    let marks = args
        .marks
        .iter()
        .map(|mark| values::mark(mark))
        .collect::<Result<Vec<_>>>()?;
    let slug = slug.trim();
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| Path::new(CHARTS_DIR).join(format!("{slug}.png")));
    let request = ChartRequest {
        filter: args.filter.filter(slug)?,
        options: args.method.options()?,
        answers: args.answers.iter().map(|a| a.trim().to_string()).collect(),
        marks,
        title: args.title.clone(),
        subtitle: args.subtitle.clone(),
        note: args.note.clone(),
        credit: args.credit.clone(),
        y_range: args.y_range,
        width: args.width,
        height: args.height,
        font: args.font.clone(),
        colours: args.colours.clone(),
    };
    Ok(Job {
        request,
        output,
        definition: None,
    })
}
