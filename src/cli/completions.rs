//! `completions` and `man`: the shell completion scripts and the manual page, both made from
//! the same clap definition as the commands themselves, so they never fall behind.

use super::{Cli, Ctx};
use clap::CommandFactory;
use polltrack::Result;

/// Print the completion script for a shell
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack completions bash > ~/.bash_completion.d/polltrack\n  \
    polltrack completions zsh > ~/.zfunc/_polltrack\n  \
    polltrack completions fish > ~/.config/fish/completions/polltrack.fish")]
pub struct CompletionsArgs {
    /// The shell
    shell: clap_complete::Shell,
}

/// Print the manual page (roff), for `man`
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack man > polltrack.1 && man ./polltrack.1\n  \
    polltrack man > ~/.local/share/man/man1/polltrack.1")]
pub struct ManArgs {}

pub fn completions(ctx: &mut Ctx, args: CompletionsArgs) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "polltrack", &mut script);
    ctx.out.write(&String::from_utf8_lossy(&script))
}

pub fn man(ctx: &mut Ctx, _args: ManArgs) -> Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    ctx.out.write(&String::from_utf8_lossy(&page))
}
