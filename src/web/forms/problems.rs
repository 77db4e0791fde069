//! Each problem of a poll put beside the field of the form it is about: the rules' problems
//! by the field and the place in the poll they name, the store's refusals by what they say.

use super::poll_form::{Input, Places, PollForm};
use crate::error::{Error, Hint};
use crate::model::Problem;

impl PollForm {
    /// Puts each of a poll's problems beside its field (see [`Places`]); one about a field
    /// that already has a problem of its own (a date that could not be read) is left out.
    pub(super) fn place(&mut self, problems: Vec<Problem>, places: &Places) {
        let dates_unread = [&self.start, &self.end, &self.published]
            .iter()
            .any(|i| !i.problems.is_empty());
        for problem in problems {
            if problem.field == "published_on" && dates_unread {
                continue;
            }
            let message = problem.message.clone();
            let column = problem
                .result
                .and_then(|r| places.results.get(r))
                .map(|(c, rows)| (*c, problem.answer.and_then(|a| rows.get(a).copied())));
            let target = match (problem.field, column) {
                ("answer", Some((_, Some(r)))) => Some(&mut self.rows[r].label),
                ("pct", Some((c, Some(r)))) => Some(&mut self.rows[r].pcts[c]),
                ("answer" | "pct", Some((c, None))) => {
                    self.columns[c].problems.push(message);
                    continue;
                }
                ("population", Some((c, _))) => Some(&mut self.columns[c].population),
                ("sample_size", Some((c, _))) => Some(&mut self.columns[c].sample),
                ("margin_of_error", Some((c, _))) => Some(&mut self.columns[c].moe),
                ("question", Some(_)) => Some(&mut self.question),
                ("question_wording", _) => Some(&mut self.wording),
                (_, Some(_)) => None,
                (field, None) => self.poll_field(field),
            };
            match target {
                Some(input) if input.problems.is_empty() => input.problems.push(message),
                Some(_) => {}
                None => self.problems.push(message),
            }
        }
    }

    fn poll_field(&mut self, field: &str) -> Option<&mut Input> {
        Some(match field {
            "pollster" => &mut self.pollster,
            "sponsors" => &mut self.sponsors,
            "field_start" => &mut self.start,
            "field_end" => &mut self.end,
            "published_on" => &mut self.published,
            "mode" => &mut self.mode,
            "region" => &mut self.region,
            "notes" => &mut self.notes,
            "source_urls" => &mut self.source_url,
            "source_title" => &mut self.source_title,
            "outlet" => &mut self.outlet,
            "source_date" => &mut self.source_date,
            _ => return None,
        })
    }

    /// Puts the store's refusal on the form: a duplicate names the stored poll (not the poll
    /// `editing`, which a change since the form was read names); a name that looks like a
    /// typo goes beside the pollster, or at the top.
    pub(super) fn refused(&mut self, error: Error, editing: Option<i64>) {
        match error {
            Error::Conflict {
                message, stored, ..
            } => {
                self.duplicate_of = stored.filter(|id| Some(*id) != editing);
                self.problems.push(message);
            }
            Error::Invalid { problems, hint } => {
                for problem in problems {
                    let row = self.rows.iter_mut().find(|row| {
                        let label = row.label.value.trim();
                        !label.is_empty() && problem.starts_with(&format!("answer \"{label}\""))
                    });
                    if let Some(row) = row {
                        row.label.problems.push(problem);
                    } else if problem.starts_with("pollster ") {
                        self.pollster.problems.push(problem);
                    } else if problem.contains("wording") {
                        self.wording.problems.push(problem);
                    } else {
                        self.problems.push(problem);
                    }
                }
                // A name close to a stored one: say how to keep it when it is new on purpose.
                if matches!(hint, Some(Hint::ConfirmNewNames { .. })) {
                    self.problems.push(
                        "Correct the spelling; or, if a name is new on purpose, tick \"the \
                         pollster is new\" or \"the answers are new\" below and record it again."
                            .to_string(),
                    );
                }
            }
            other => self.problems.push(other.to_string()),
        }
    }
}
