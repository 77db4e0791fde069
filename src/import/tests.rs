//! Arbitrary bytes never make the reader panic: random input, and a valid file mutated at
//! random (quotes, separators, line ends, invalid UTF-8, cut short), read to the end under
//! every kind of mapping.

use super::{Options, PollReader, fivethirtyeight_options, parse_answer_columns};

const VALID: &str = "poll_id,pollster,sponsors,field_start,field_end,published_on,mode,population,\
sample_size,margin_of_error,region,question,question_wording,answer,pct,source_urls,notes\n\
1,Gallup Korea,,,,2016-11-18,,a,,,South Korea,kr-gsomia,GSOMIA?,Oppose,59,,\n\
2,\"Real, meter\",A; B,2019-08-20,2019-08-24,,,lv,1004.5,3.1,,kr-gsomia,GSOMIA?,Oppose,55,https://x.org,\"a\nb\"\n\
2,\"Real, meter\",A; B,2019-08-20,2019-08-24,,,lv,1004.5,3.1,,kr-gsomia,GSOMIA?,Support,35%,https://x.org,\"a\nb\"\n";

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn mutate(rng: &mut Lcg, input: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    const PIECES: [&[u8]; 12] = [
        b"\"",
        b",",
        b"\n",
        b"\r\n",
        b"\r",
        b"\xff\xfe",
        b"\xef\xbb\xbf",
        b"NA",
        b"%",
        b"/",
        b"-1e309",
        b"\xe2\x80\x93",
    ];
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(3) {
            0 => {
                let piece = PIECES[rng.below(PIECES.len())];
                bytes.splice(at..at, piece.iter().copied());
            }
            1 if !bytes.is_empty() => {
                let end = (at + 1 + rng.below(10)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

fn read_all(bytes: &[u8], options: &Options, fivethirtyeight: bool) {
    let reader = if fivethirtyeight {
        PollReader::with_options_from(bytes, "fuzz.csv", |h| fivethirtyeight_options(h, options))
    } else {
        PollReader::new(bytes, "fuzz.csv", options)
    };
    if let Ok(reader) = reader {
        for item in reader {
            if let Err(rejected) = item {
                assert!(!rejected.problems.is_empty(), "a rejection says why");
            }
        }
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = Lcg(2016);
    let long = Options::default();
    let wide = Options {
        answers: parse_answer_columns("pct=Share,answer"),
        question: Some("q".into()),
        split: vec!["region".into()],
        ..Options::default()
    };
    for case in 0..3_000 {
        let bytes = if case % 3 == 0 {
            (0..rng.below(300)).map(|_| rng.below(256) as u8).collect()
        } else {
            mutate(&mut rng, VALID.as_bytes())
        };
        read_all(&bytes, &long, false);
        read_all(&bytes, &wide, false);
        read_all(&bytes, &long, true);
    }
}

#[test]
fn the_unmutated_file_reads_cleanly() {
    let polls: Vec<_> = PollReader::new(VALID.as_bytes(), "valid.csv", &Options::default())
        .expect("header")
        .collect();
    assert_eq!(polls.len(), 2);
    assert!(polls.iter().all(Result::is_ok), "{polls:?}");
}

#[test]
fn rows_of_one_result_set_must_agree_on_its_sample_size() {
    let file = "poll_id,pollster,published_on,question,question_wording,answer,pct,sample_size\n\
                1,YouGov,2024-03-01,q,Q,Yes,40,1000\n\
                1,YouGov,2024-03-01,q,Q,No,50,1200\n";
    let read: Vec<_> = PollReader::new(file.as_bytes(), "f.csv", &Options::default())
        .expect("header")
        .collect();
    let Some(Err(rejected)) = read.first() else {
        panic!("{read:?}")
    };
    assert!(
        rejected.problems[0]
            .contains("f.csv:3: column sample_size: sample size 1200 differs from 1000 on line 2"),
        "{rejected:?}"
    );
}

fn read(file: &str) -> Vec<Result<super::ImportedPoll, super::Rejected>> {
    PollReader::new(file.as_bytes(), "f.csv", &Options::default())
        .expect("header")
        .collect()
}

#[test]
fn a_quote_never_closed_ends_the_reading_with_a_fatal_problem() {
    let mut file = VALID.replace(",Oppose,59,,\n", ",Oppose,59,,\"see p.3\n");
    file.push_str(&VALID[VALID.find('\n').unwrap() + 1..].replace("1,G", "3,G"));
    let read = read(&file);
    let fatal: Vec<_> = read
        .iter()
        .filter_map(|r| r.as_ref().err())
        .filter(|r| r.fatal)
        .collect();
    assert_eq!(fatal.len(), 1, "{read:?}");
    assert!(
        fatal[0].problems[0].starts_with(
            "f.csv:2: column notes: the quoted cell that opens here runs on over line ends, and \
             its row has 33 fields where the header has 17"
        ),
        "{fatal:?}"
    );
    // Nothing after it is read: it would be the runaway cell's rows, or rows cut anywhere.
    assert!(matches!(read.last(), Some(Err(r)) if r.fatal), "{read:?}");
}

#[test]
fn poll_ids_beyond_the_largest_are_refused_and_keys_with_letters_are_keys() {
    for (key, refused) in [
        ("9007199254740991", false),
        ("9007199254740992", true),
        ("9223372036854775807", true),
        ("+99999999999999999999", true),
        ("0", false),
        ("-12", false),
        ("poll-9223372036854775807", false),
    ] {
        let read = read(&VALID.replacen("\n1,Gallup", &format!("\n{key},Gallup"), 1));
        let first = &read[0];
        match first {
            Err(rejected) => {
                assert!(refused, "{key}: {rejected:?}");
                assert!(
                    rejected.problems[0].contains("f.csv:2: column poll_id: poll_id"),
                    "{rejected:?}"
                );
            }
            Ok(poll) => {
                assert!(!refused, "{key}");
                let id = key.parse::<i64>().ok().filter(|id| *id > 0);
                assert_eq!(poll.file_id, id, "{key}");
            }
        }
    }
}

#[test]
fn a_doubled_byte_order_mark_leaves_the_first_column_named() {
    let read = read(&format!("\u{feff}\u{feff}{VALID}"));
    assert_eq!(read.len(), 2);
    assert_eq!(read[0].as_ref().map(|p| p.file_id).ok(), Some(Some(1)));
}

#[test]
fn lone_cr_line_ends_name_true_lines() {
    let file = VALID
        .replace(",Oppose,59,", ",Oppose,abc,")
        .replace('\n', "\r");
    let read = read(&file);
    let Some(Err(rejected)) = read.first() else {
        panic!("{read:?}")
    };
    assert!(
        rejected.problems[0].starts_with("f.csv:2: column pct"),
        "{rejected:?}"
    );
}

#[test]
fn hidden_characters_and_implausible_dates_are_refused_with_line_and_column() {
    let file = VALID
        .replacen(",Gallup Korea,", ",Gallup\u{200b}Korea,", 1)
        .replace("2019-08-20", "0201-08-20");
    let read = read(&file);
    let problems: Vec<&String> = read
        .iter()
        .filter_map(|r| r.as_ref().err())
        .flat_map(|r| &r.problems)
        .collect();
    assert!(
        problems.iter().any(|p| p.starts_with(
            "f.csv:2: column pollster: pollster \"Gallup\\u{200b}Korea\" holds a hidden character"
        )),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p
            .starts_with("f.csv:3: column field_start: the field start 0201-08-20 is before 1900")),
        "{problems:?}"
    );
}
