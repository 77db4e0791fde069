//! The README's worked example, run as written: every command of its console transcripts in
//! order in a fresh directory, each output compared with the one printed under it, so the
//! manual cannot drift from what polltrack does.

use super::Env;

/// One `$ polltrack ...` of a transcript and the output printed under it.
struct Step {
    command: String,
    expected: String,
}

/// The text of the README's section whose heading starts with `heading`, to the next `## `.
fn section(readme: &str, heading: &str) -> String {
    let start = readme
        .find(&format!("\n## {heading}"))
        .unwrap_or_else(|| panic!("the README has no section \"{heading}\""));
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_string()
}

/// The steps of the ```console blocks of `text`: a line starting `$ ` begins a command, lines
/// after one ending in a backslash continue it, and the lines up to the next command or the
/// end of the block are its output.
fn steps(text: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut in_console = false;
    let mut continuing = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_console = line == "```console";
            continuing = false;
            continue;
        }
        if !in_console {
            continue;
        }
        if continuing {
            let step = steps.last_mut().expect("a command to continue");
            step.command.push('\n');
            step.command.push_str(line);
            continuing = line.ends_with('\\');
        } else if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                command: command.to_string(),
                expected: String::new(),
            });
            continuing = command.ends_with('\\');
        } else if let Some(step) = steps.last_mut() {
            step.expected.push_str(line);
            step.expected.push('\n');
        }
    }
    steps
}

/// Output with the parts that differ from run to run made fixed: the recording timestamps.
fn settled(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut out = String::new();
            let mut rest = line;
            // "2026-11-28 04:10:17": a date, a space and a time.
            while let Some(at) = rest.find(|c: char| c.is_ascii_digit()) {
                let candidate = &rest[at..];
                let stamp = candidate.len() >= 19
                    && candidate.as_bytes()[4] == b'-'
                    && candidate.as_bytes()[10] == b' '
                    && candidate.as_bytes()[13] == b':';
                if stamp {
                    out.push_str(&rest[..at]);
                    out.push_str("TIMESTAMP");
                    rest = &candidate[19..];
                } else {
                    let next = at + candidate.chars().next().map_or(1, char::len_utf8);
                    out.push_str(&rest[..next]);
                    rest = &rest[next..];
                }
            }
            out.push_str(rest);
            out.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_string()
}

#[test]
fn the_worked_example_runs_as_written() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let steps = steps(&section(&readme, "A worked example"));
    assert!(steps.len() >= 5, "the worked example has its commands");
    let env = Env::new();
    for step in &steps {
        let words = shlex::split(&step.command.replace("\\\n", " "))
            .unwrap_or_else(|| panic!("a command a shell can read: {}", step.command));
        assert_eq!(words[0], "polltrack", "{}", step.command);
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let output = env.cmd().args(&args).output().expect("polltrack runs");
        // A transcript that shows an error ("polltrack: ...") shows a command that fails.
        let fails = step.expected.lines().any(|l| l.starts_with("polltrack: "));
        assert_eq!(
            !output.status.success(),
            fails,
            "`{}` {}: {}",
            step.command,
            if fails { "should fail" } else { "failed" },
            String::from_utf8_lossy(&output.stderr)
        );
        // As a terminal shows them: messages on standard error come first, standard output
        // being written when the command ends.
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout)
        );
        assert_eq!(
            settled(&printed),
            settled(&step.expected),
            "the output of `{}` differs from the README's",
            step.command
        );
    }
}

/// A heading's anchor as GitHub makes it: lower case, punctuation but `-` and `_` dropped,
/// spaces made hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn every_link_within_the_readme_reaches_a_heading() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let mut in_code = false;
    let mut anchors = std::collections::HashSet::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            anchors.insert(anchor(line.trim_start_matches('#')));
        }
    }
    let links: Vec<&str> = readme
        .split("](#")
        .skip(1)
        .map(|rest| &rest[..rest.find(')').expect("a closed link")])
        .collect();
    assert!(links.len() > 20, "the contents link the sections");
    let broken: Vec<&&str> = links.iter().filter(|l| !anchors.contains(**l)).collect();
    assert!(broken.is_empty(), "links to no heading: {broken:?}");
}
