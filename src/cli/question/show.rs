//! `question show`: a question's details as lines.

use crate::cli::Ctx;
use crate::cli::output::{count, date_or_dash};
use polltrack::Result;
use polltrack::db::QuestionDetail;
use polltrack::model::QuestionKind;

pub fn print(ctx: &mut Ctx, detail: &QuestionDetail) -> Result<()> {
    let q = &detail.question;
    let counted = |items: &[(String, i64)]| {
        let parts: Vec<String> = items
            .iter()
            .map(|(name, n)| format!("{name} ({n})"))
            .collect();
        if parts.is_empty() {
            "-".to_string()
        } else {
            parts.join(", ")
        }
    };
    ctx.out.line(format!("Question {}", q.slug))?;
    ctx.out.line(format!("  wording      {}", q.wording))?;
    ctx.out.line(format!(
        "  topic        {}",
        q.topic.clone().unwrap_or_else(|| "-".into())
    ))?;
    let kind = q.kind.map_or("-", QuestionKind::name);
    ctx.out.line(format!("  kind         {kind}"))?;
    ctx.out.line(format!(
        "  polls        {} from {}, {} to {}",
        q.polls,
        count(detail.pollsters, "pollster"),
        date_or_dash(q.first_date),
        date_or_dash(q.last_date)
    ))?;
    ctx.out
        .line(format!("  populations  {}", counted(&detail.populations)))?;
    ctx.out
        .line(format!("  answers      {}", counted(&detail.answers)))
}
