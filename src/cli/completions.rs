//! `completions` and `man`: the shell completion scripts and the manual page, both made from
//! the same clap definition as the commands themselves, so they never fall behind.

use super::{Cli, Ctx};
use clap::CommandFactory;
use polltrack::Result;

/// Print the completion script for a shell
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack completions bash \\\n    \
      > ~/.local/share/bash-completion/completions/polltrack\n  \
    polltrack completions zsh > ~/.zfunc/_polltrack\n  \
    polltrack completions fish > ~/.config/fish/completions/polltrack.fish")]
pub struct CompletionsArgs {
    /// The shell
    shell: clap_complete::Shell,
}

/// Print the manual page (roff) of polltrack or of one of its commands, for `man`
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack man > polltrack.1 && man ./polltrack.1\n  \
    polltrack man import > ~/.local/share/man/man1/polltrack-import.1\n  \
    polltrack man source add > ~/.local/share/man/man1/polltrack-source-add.1")]
pub struct ManArgs {
    /// The command whose page to print (e.g. `import`, `source add`); none for polltrack's
    command: Vec<String>,
}

pub fn completions(ctx: &mut Ctx, args: CompletionsArgs) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "polltrack", &mut script);
    ctx.out.write(&String::from_utf8_lossy(&script))
}

pub fn man(ctx: &mut Ctx, args: ManArgs) -> Result<()> {
    let mut command = Cli::command();
    let mut name = "polltrack".to_string();
    for word in &args.command {
        let Some(sub) = command.find_subcommand(word).cloned() else {
            return Err(polltrack::Error::usage(format!(
                "{} has no command \"{word}\": see `{} --help`",
                name.replace('-', " "),
                name.replace('-', " ")
            )));
        };
        name = format!("{name}-{word}");
        // Pages are named as `man` finds them: polltrack-source-add(1).
        command = sub.name(name.clone());
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    ctx.out.write(&String::from_utf8_lossy(&page))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every subcommand, depth first, with its path ("polltrack source add").
    fn every_command(
        command: &clap::Command,
        path: String,
        all: &mut Vec<(String, clap::Command)>,
    ) {
        for sub in command.get_subcommands() {
            every_command(sub, format!("{path} {}", sub.get_name()), all);
        }
        all.push((path, command.clone()));
    }

    fn commands() -> Vec<(String, clap::Command)> {
        let mut all = Vec::new();
        every_command(&Cli::command(), "polltrack".into(), &mut all);
        all
    }

    #[test]
    fn every_option_and_command_is_described() {
        let mut undescribed = Vec::new();
        for (path, command) in commands() {
            if command.get_about().is_none() {
                undescribed.push(path.clone());
            }
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if arg.get_help().is_none() && !["help", "version"].contains(&id) {
                    undescribed.push(format!("{path} {id}"));
                }
            }
        }
        assert!(undescribed.is_empty(), "no description: {undescribed:#?}");
    }

    #[test]
    fn help_examples_fit_a_terminal_unwrapped() {
        // clap wraps help at the terminal's width, at most 100 columns; an example wrapped
        // mid-command cannot be copied. Examples continue long commands with a backslash.
        let mut long = Vec::new();
        for (path, command) in commands() {
            for text in [command.get_after_help(), command.get_after_long_help()]
                .into_iter()
                .flatten()
            {
                for line in text.to_string().lines() {
                    if line.chars().count() > 80 {
                        long.push(format!("{path}: {line}"));
                    }
                }
            }
        }
        assert!(long.is_empty(), "lines over 80 columns: {long:#?}");
    }
}
