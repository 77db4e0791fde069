//! The subcommands: each one's flags, whether it writes, and where it runs.

use crate::cli::{
    Ctx, add, chart, completions, copy, delete, demo, dump, edit, export, history, house_effects,
    import, init, list, load, pollster, question, restore, serve, show, simulate, source, trend,
    undo,
};
use clap::Subcommand;
use polltrack::Result;
use polltrack::db::Access;

#[derive(Subcommand)]
pub enum Command {
    Init(init::Args),
    Add(add::Args),
    List(list::Args),
    Show(show::Args),
    Edit(edit::Args),
    Delete(delete::Args),
    History(history::Args),
    Restore(restore::Args),
    Undo(undo::Args),
    Import(import::Args),
    Export(export::Args),
    Dump(dump::Args),
    Load(load::Args),
    Copy(copy::Args),
    #[command(subcommand)]
    Source(source::Command),
    #[command(subcommand)]
    Question(question::Command),
    #[command(subcommand)]
    Pollster(pollster::Command),
    Trend(trend::Args),
    HouseEffects(house_effects::Args),
    Simulate(simulate::Args),
    Chart(chart::Args),
    Demo(demo::Args),
    Serve(serve::Args),
    Completions(completions::CompletionsArgs),
    Man(completions::ManArgs),
}

impl Command {
    /// Whether the command serves requests until stopped (and so runs on every core).
    pub fn serves(&self) -> bool {
        matches!(self, Command::Serve(_))
    }

    pub fn reads_stdin(&self) -> bool {
        match self {
            Command::Import(args) => args.reads_stdin(),
            Command::Load(args) => args.reads_stdin(),
            _ => false,
        }
    }

    /// Commands that write create the database when it is missing; the others never do.
    pub fn access(&self) -> Access {
        let writes = match self {
            Command::Init(_)
            | Command::Add(_)
            | Command::Edit(_)
            | Command::Restore(_)
            | Command::Undo(_)
            | Command::Import(_)
            | Command::Load(_)
            | Command::Demo(_) => true,
            Command::List(_) | Command::Show(_) | Command::History(_) | Command::Export(_) => false,
            Command::Dump(_) => false,
            Command::Trend(_)
            | Command::HouseEffects(_)
            | Command::Simulate(_)
            | Command::Chart(_)
            | Command::Completions(_)
            | Command::Man(_) => false,
            // Without --yes, a deletion only shows what it would delete.
            Command::Delete(args) => args.writes(),
            // --to writes the other database; --from writes this one.
            Command::Copy(args) => args.writes(),
            // A read-only server opens the database read-only.
            Command::Serve(args) => args.writes(),
            Command::Source(c) => c.writes(),
            Command::Question(c) => c.writes(),
            Command::Pollster(c) => c.writes(),
        };
        if writes {
            Access::Create
        } else {
            Access::ReadExisting
        }
    }
}

/// Runs one command.
pub async fn dispatch(ctx: &mut Ctx, command: Command) -> Result<()> {
    match command {
        Command::Init(args) => init::run(ctx, args).await,
        Command::Add(args) => add::run(ctx, args).await,
        Command::List(args) => list::run(ctx, args).await,
        Command::Show(args) => show::run(ctx, args).await,
        Command::Edit(args) => edit::run(ctx, args).await,
        Command::Delete(args) => delete::run(ctx, args).await,
        Command::History(args) => history::run(ctx, args).await,
        Command::Restore(args) => restore::run(ctx, args).await,
        Command::Undo(args) => undo::run(ctx, args).await,
        Command::Import(args) => import::run(ctx, args).await,
        Command::Export(args) => export::run(ctx, args).await,
        Command::Dump(args) => dump::run(ctx, args).await,
        Command::Load(args) => load::run(ctx, args).await,
        Command::Copy(args) => copy::run(ctx, args).await,
        Command::Source(command) => source::run(ctx, command).await,
        Command::Question(command) => question::run(ctx, command).await,
        Command::Pollster(command) => pollster::run(ctx, command).await,
        Command::Trend(args) => trend::run(ctx, args).await,
        Command::HouseEffects(args) => house_effects::run(ctx, args).await,
        Command::Simulate(args) => simulate::run(ctx, args).await,
        Command::Chart(args) => chart::run(ctx, args).await,
        Command::Demo(args) => demo::run(ctx, args).await,
        Command::Serve(args) => serve::run(ctx, args).await,
        Command::Completions(args) => completions::completions(ctx, args),
        Command::Man(args) => completions::man(ctx, args),
    }
}
