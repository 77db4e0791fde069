//! Colours given by users for answers, as `#RRGGBB`.

use std::fmt;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Reads `#RRGGBB` (six hexadecimal digits after `#`, either case), refusing anything else
    /// with a message naming the value.
    pub fn parse(text: &str) -> Result<Rgb, String> {
        let trimmed = text.trim();
        let digits = trimmed.strip_prefix('#').unwrap_or("");
        let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
        if digits.len() == 6
            && digits.is_ascii()
            && let (Some(r), Some(g), Some(b)) = (channel(0), channel(2), channel(4))
        {
            return Ok(Rgb(r, g, b));
        }
        Err(format!(
            "\"{}\" is not a colour: write it as # and six hexadecimal digits, e.g. #E3000F",
            super::printable(trimmed)
        ))
    }
}

impl fmt::Display for Rgb {
    /// `#RRGGBB`, upper case.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// Reads `LABEL=#RRGGBB`, an answer and its colour.
pub fn parse_answer_colour(text: &str) -> Result<(String, Rgb), String> {
    let (label, colour) = text.rsplit_once('=').ok_or_else(|| {
        format!(
            "\"{}\": write an answer's colour as LABEL=#RRGGBB, e.g. SPD=#E3000F",
            super::printable(text)
        )
    })?;
    let label = label.trim();
    if label.is_empty() {
        return Err(format!(
            "\"{}\": the answer is missing before =",
            super::printable(text)
        ));
    }
    Ok((label.to_string(), Rgb::parse(colour)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_read_as_hash_and_six_hex_digits() {
        assert_eq!(Rgb::parse("#e3000f"), Ok(Rgb(0xE3, 0x00, 0x0F)));
        assert_eq!(Rgb(0xE3, 0, 0x0F).to_string(), "#E3000F");
        for bad in ["red", "E3000F", "#E300", "#E3000FF", "#GG0000", "#ÄÄ00", ""] {
            let err = Rgb::parse(bad).unwrap_err();
            assert!(err.contains(&format!("\"{bad}\"")), "{err}");
        }
        assert_eq!(
            parse_answer_colour("CDU/CSU=#000000"),
            Ok(("CDU/CSU".to_string(), Rgb(0, 0, 0)))
        );
        assert!(
            parse_answer_colour("SPD")
                .unwrap_err()
                .contains("LABEL=#RRGGBB")
        );
        assert!(
            parse_answer_colour("SPD=rot")
                .unwrap_err()
                .contains("\"rot\"")
        );
    }
}
