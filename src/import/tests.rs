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
