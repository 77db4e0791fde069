//! Answer colours: the same answer of a question has the same colour in every chart of it.
//!
//! An answer's colour is the one given for this chart, else the one kept with the question,
//! else a palette colour chosen by the answer's place in the question's order (first
//! appearance over all its stored polls, not over the polls a chart shows), so filters never
//! change it. The palette there leaves out colours near those kept with the question, so a
//! kept party colour is not handed to another party too.

use crate::chart::style::{ALIKE_COLOURS, colour_distance, palette_avoiding};
use crate::db::prelude::*;
use crate::error::{Error, Hint, Result};
use crate::model::{Rgb, Warning};

/// Where an answer's colour comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Given for one chart (on the command line or in a saved definition).
    Given,
    /// Kept with the question.
    Kept,
    /// The palette's, for the answer's place in the question's order.
    Palette,
}

/// One answer of a question and its colour.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AnswerColour {
    /// The answer, as first written in the question's polls.
    pub answer: String,
    /// Its colour.
    #[serde(serialize_with = "as_hex")]
    pub colour: Rgb,
    /// Where the colour comes from.
    pub origin: Origin,
}

fn as_hex<S: serde::Serializer>(
    colour: &Rgb,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_str(colour)
}

/// The answers of the question `slug`, in the question's order, with their colours: `given`
/// first, then those kept with the question, then the palette's. All its answers when `wanted`
/// is empty, else at least those wanted and given (and those before them in the order). A
/// given answer the question does not have is refused, naming its answers.
pub async fn answer_colours(
    store: &impl Store,
    slug: &str,
    given: &[(String, Rgb)],
    wanted: &[String],
) -> Result<Vec<AnswerColour>> {
    let wanted: Vec<String> = if wanted.is_empty() {
        Vec::new()
    } else {
        let given = given.iter().map(|(label, _)| label.clone());
        wanted.iter().cloned().chain(given).collect()
    };
    let order = store.answer_order(slug, &wanted).await?;
    let kept = store.answer_colours(slug).await?;
    check_answers(slug, &order, given.iter().map(|(label, _)| label))?;
    let find = |colours: &[(String, Rgb)], answer: &str| {
        colours
            .iter()
            .rev()
            .find(|(label, _)| label.trim().eq_ignore_ascii_case(answer))
            .map(|(_, colour)| *colour)
    };
    let kept_colours: Vec<Rgb> = kept.iter().map(|(_, colour)| *colour).collect();
    let palette = palette_avoiding(&kept_colours);
    // Answers without a kept colour take the palette's colours in turn; a colour given for one
    // chart does not move the others.
    let mut palette_place = 0;
    Ok(order
        .iter()
        .map(|answer| {
            let kept_colour = find(&kept, answer);
            let palette_colour = palette[palette_place % palette.len()];
            if kept_colour.is_none() {
                palette_place += 1;
            }
            let (colour, origin) = find(given, answer)
                .map(|c| (c, Origin::Given))
                .or_else(|| kept_colour.map(|c| (c, Origin::Kept)))
                .unwrap_or((palette_colour, Origin::Palette));
            AnswerColour {
                answer: answer.clone(),
                colour,
                origin,
            }
        })
        .collect())
}

/// Keeps `colours` for answers of the question `slug`, so every later chart of it uses them,
/// and forgets the kept colours of the answers in `forget` (they take the palette's again);
/// returns every answer's colour afterwards. An answer the question does not have is refused,
/// naming its answers, and nothing is kept or forgotten.
pub async fn set_answer_colours(
    store: &impl Store,
    slug: &str,
    colours: &[(String, Rgb)],
    forget: &[String],
) -> Result<Vec<AnswerColour>> {
    let order = store.answer_order(slug, &[]).await?;
    let changes: Vec<(String, Option<Rgb>)> = colours
        .iter()
        .map(|(label, colour)| (label.clone(), Some(*colour)))
        .chain(forget.iter().map(|label| (label.clone(), None)))
        .collect();
    check_answers(slug, &order, changes.iter().map(|(label, _)| label))?;
    // Kept under the answer's own spelling.
    let spelled: Vec<(String, Option<Rgb>)> = changes
        .into_iter()
        .map(|(label, colour)| {
            let answer = order
                .iter()
                .find(|a| a.eq_ignore_ascii_case(label.trim()))
                .cloned()
                .unwrap_or_else(|| label.trim().to_string());
            (answer, colour)
        })
        .collect();
    store.set_answer_colours(slug, &spelled).await?;
    answer_colours(store, slug, &[], &[]).await
}

fn check_answers<'a>(
    slug: &str,
    order: &[String],
    labels: impl IntoIterator<Item = &'a String>,
) -> Result<()> {
    for label in labels {
        if !order.iter().any(|a| a.eq_ignore_ascii_case(label.trim())) {
            return Err(Error::not_found(format!(
                "question {slug} has no answer \"{}\" to colour; its answers are {}",
                crate::model::printable(label.trim()),
                order.join(", ")
            )));
        }
    }
    Ok(())
}

/// A warning naming the answers of one chart that share a colour, or whose colours are nearer
/// than [`ALIKE_COLOURS`] (ΔE76), if any: each group once, in the chart's order.
pub fn shared_colours(question: &str, charted: &[(&str, Rgb)]) -> Option<Warning> {
    let mut groups: Vec<(Rgb, Vec<&str>)> = Vec::new();
    for (answer, colour) in charted {
        match groups.iter_mut().find(|(c, _)| c == colour) {
            Some((_, answers)) => answers.push(answer),
            None => groups.push((*colour, vec![answer])),
        }
    }
    let mut problems: Vec<String> = groups
        .iter()
        .filter(|(_, answers)| answers.len() > 1)
        .map(|(colour, answers)| format!("{} share {colour}", answers.join(" and ")))
        .collect();
    for (place, (colour, answers)) in groups.iter().enumerate() {
        for (other, other_answers) in &groups[place + 1..] {
            if colour_distance(*colour, *other) < ALIKE_COLOURS {
                problems.push(format!(
                    "{} ({colour}) and {} ({other}) look alike",
                    answers.join(" and "),
                    other_answers.join(" and ")
                ));
            }
        }
    }
    (!problems.is_empty()).then(|| {
        Warning::new(format!(
            "answers of one colour cannot be told apart on the chart: {}",
            problems.join("; ")
        ))
        .with_hint(Hint::ColourAnswers {
            question: question.to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_sharing_a_colour_are_named_once_per_colour() {
        let (blue, red) = (Rgb(0, 0, 255), Rgb(255, 0, 0));
        assert_eq!(shared_colours("q", &[("A", blue), ("B", red)]), None);
        let warning = shared_colours(
            "q",
            &[
                ("A", blue),
                ("B", red),
                ("C", blue),
                ("D", red),
                ("E", blue),
            ],
        )
        .unwrap();
        assert_eq!(
            warning.message,
            "answers of one colour cannot be told apart on the chart: A and C and E share #0000FF; B and D share #FF0000"
        );
        assert_eq!(
            warning.hint,
            Some(Hint::ColourAnswers {
                question: "q".into()
            })
        );
    }

    #[test]
    fn answers_of_near_colours_are_named_too() {
        // SPD red and a red one step off; the palette's blue is far from both.
        let (red, near_red, blue) = (
            Rgb(0xE3, 0x00, 0x0F),
            Rgb(0xE0, 0x05, 0x10),
            Rgb(0, 0x72, 0xB2),
        );
        let warning =
            shared_colours("q", &[("SPD", red), ("Linke", near_red), ("X", blue)]).unwrap();
        assert_eq!(
            warning.message,
            "answers of one colour cannot be told apart on the chart: SPD (#E3000F) and Linke (#E00510) look alike"
        );
        assert_eq!(shared_colours("q", &[("SPD", red), ("X", blue)]), None);
    }
}
