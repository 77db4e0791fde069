//! `add`'s result sets: one per `--population`. With several populations, each `--answer`,
//! `--sample` and `--moe` starts with the population it belongs to (`rv:Approve=41`,
//! `rv:1500`); with one, the prefix may be left out, as it always could.

use crate::cli::values;
use polltrack::model::{ResultSet, normalize_population};
use polltrack::{Error, Result};

/// What the flags say about the result sets of one question.
pub struct Given<'a> {
    pub question: &'a str,
    pub wording: Option<&'a str>,
    pub populations: &'a [String],
    pub answers: &'a [String],
    pub samples: &'a [String],
    pub moes: &'a [String],
}

/// One result set per population, in the order the populations are given (`a` when none is).
///
/// Errors: usage for a population given twice, a value whose population is not said when
/// there are several, a population with no answer, or a second sample size or margin of error
/// for one population; invalid data as `add` reads each value.
pub fn result_sets(given: &Given) -> Result<Vec<ResultSet>> {
    let default = ["a".to_string()];
    let populations = if given.populations.is_empty() {
        &default[..]
    } else {
        given.populations
    };
    let keys: Vec<String> = populations
        .iter()
        .map(|p| normalize_population(p))
        .collect();
    for (i, key) in keys.iter().enumerate() {
        if keys[..i].iter().any(|k| k.eq_ignore_ascii_case(key)) {
            return Err(Error::usage(format!("--population {key} is given twice")));
        }
    }
    let answers = assign(&keys, "--answer", given.answers)?;
    let samples = assign(&keys, "--sample", given.samples)?;
    let moes = assign(&keys, "--moe", given.moes)?;
    let mut sets = Vec::with_capacity(keys.len());
    for (i, population) in populations.iter().enumerate() {
        if answers[i].is_empty() {
            return Err(Error::usage(format!(
                "population {} has no --answer: give its answers as --answer {}:LABEL=PCT",
                keys[i], keys[i]
            )));
        }
        sets.push(ResultSet {
            question: given.question.to_string(),
            wording: given.wording.map(str::to_string),
            population: population.clone(),
            sample_size: values::sample_size(single(&keys[i], "--sample", &samples[i])?)?,
            margin_of_error: values::margin_of_error(single(&keys[i], "--moe", &moes[i])?)?,
            answers: values::answers(&answers[i])?,
        });
    }
    Ok(sets)
}

/// The values of `option`, by population: a prefix naming one of the populations given puts a
/// value there; without one, a value belongs to the only population, and is refused when
/// there are several. (A prefix naming no population given is part of the value: an answer
/// label may hold a colon.)
fn assign(keys: &[String], option: &str, texts: &[String]) -> Result<Vec<Vec<String>>> {
    let mut by_population = vec![Vec::new(); keys.len()];
    for text in texts {
        let prefixed = text.split_once(':').and_then(|(head, rest)| {
            let key = normalize_population(head);
            keys.iter()
                .position(|k| k.eq_ignore_ascii_case(&key))
                .map(|i| (i, rest))
        });
        let (i, value) = match prefixed {
            Some(found) => found,
            None if keys.len() == 1 => (0, text.as_str()),
            None => {
                return Err(Error::usage(format!(
                    "{option} {text}: with several populations ({}), say which one it is for, \
                     e.g. {option} {}:{text}",
                    keys.join(", "),
                    keys[keys.len() - 1]
                )));
            }
        };
        by_population[i].push(value.trim().to_string());
    }
    Ok(by_population)
}

/// The one value of `option` for a population, if any.
fn single<'a>(population: &str, option: &str, values: &'a [String]) -> Result<Option<&'a str>> {
    match values {
        [] => Ok(None),
        [one] => Ok(Some(one.as_str())),
        _ => Err(Error::usage(format!(
            "{option} is given {} times for population {population}: give it once",
            values.len()
        ))),
    }
}

#[cfg(test)]
mod tests;
