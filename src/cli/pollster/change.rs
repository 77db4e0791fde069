//! `pollster merge`, `rename` and `prune`: changes to pollsters, each one store operation.

use crate::cli::Ctx;
use polltrack::Result;
use polltrack::app::registry;
use polltrack::db::Renamed;

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub async fn merge(ctx: &mut Ctx, from: &str, into: &str, combine: bool) -> Result<()> {
    let db = ctx.db().await?;
    let merged = registry::merge_pollsters(db, from, into, combine).await?;
    if merged.renamed {
        ctx.out.line(format!(
            "There was no pollster \"{}\": renamed {} to it ({} poll{}); \"{}\" is now an alias",
            into.trim(),
            from.trim(),
            merged.moved,
            plural(merged.moved),
            from.trim()
        ))?;
        return Ok(());
    }
    let combined = match merged.combined.len() as u64 {
        0 => String::new(),
        n => format!(
            " and combined {n} poll{} with {}'s (listed below)",
            plural(n),
            into.trim()
        ),
    };
    ctx.out.line(format!(
        "Moved {} poll{} from {} to {}{combined}; \"{}\" is now an alias",
        merged.moved,
        plural(merged.moved),
        from.trim(),
        into.trim(),
        from.trim()
    ))?;
    for (removed, kept) in merged.combined {
        ctx.out
            .line(format!("Combined poll {removed} into poll {kept}"))?;
    }
    Ok(())
}

pub async fn rename(ctx: &mut Ctx, old: &str, new: &str, keep_alias: bool) -> Result<()> {
    let db = ctx.db().await?;
    let Renamed {
        old,
        new,
        alias_kept,
    } = registry::rename_pollster(db, old, new, keep_alias).await?;
    let alias = match alias_kept {
        true => format!("; \"{old}\" is now an alias"),
        false => String::new(),
    };
    ctx.out.line(format!("Renamed {old} to {new}{alias}"))
}

pub async fn prune(ctx: &mut Ctx) -> Result<()> {
    let removed = registry::prune_pollsters(ctx.db().await?).await?;
    if removed.is_empty() {
        return ctx.out.line("Every pollster has polls: none removed");
    }
    ctx.out.line(format!(
        "Removed {} pollster{} with no polls: {}",
        removed.len(),
        plural(removed.len() as u64),
        removed.join(", ")
    ))
}
