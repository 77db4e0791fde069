//! The benchmarks' long-format file: answer rows of about 333,000 polls per million rows, 40
//! pollsters, 5 questions, with quoting, multi-line notes and non-ASCII text.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

const POLLSTERS: [&str; 10] = [
    "YouGov",
    "Ipsos",
    "Morning Consult",
    "Léger",
    "Gallup Korea",
    "한국갤럽",
    "Realmeter",
    "Forschungsgruppe Wahlen",
    "Emerson College",
    "Siena, NYT",
];

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Writes `rows` answer rows of the long format; returns the number of polls.
pub fn generate(path: &Path, rows: u64) -> u64 {
    let mut out = BufWriter::new(File::create(path).expect("create file"));
    writeln!(
        out,
        "poll_id,pollster,sponsors,field_start,field_end,published_on,mode,population,sample_size,\
         margin_of_error,region,question,question_wording,answer,pct,source_urls,notes"
    )
    .expect("write");
    let mut rng = Lcg(7);
    let first = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
    let (mut written, mut poll) = (0, 0);
    while written < rows {
        poll += 1;
        // 40 pollsters, each polling on its own days, so no two polls are the same poll.
        let house = poll % 40;
        let pollster = format!("{} {}", POLLSTERS[(house % 10) as usize], house / 10);
        let pollster = if pollster.contains(',') {
            format!("\"{pollster}\"")
        } else {
            pollster
        };
        let start = first + chrono::Duration::days((poll / 40) as i64);

        let end = start + chrono::Duration::days(rng.below(5) as i64);
        let question = poll % 5;
        let yes = 20 + rng.below(50);
        let no = rng.below(100 - yes);
        let notes = if poll % 50 == 0 {
            "\"said \"\"maybe\"\", then\nno\""
        } else {
            ""
        };
        let sample = 800 + rng.below(1_200);

        for (label, pct) in [
            ("Yes", yes as f64),
            ("No", no as f64),
            ("Don't know", (100 - yes - no) as f64 - 0.5),
        ] {
            writeln!(
                out,
                "{poll},{pollster},Example Times,{start},{end},,online,rv,{sample},3.1,,q{question},\
                 Question number {question}: ¿sí o no?,{label},{pct},https://example.org/p/{poll},{notes}",
            )
            .expect("write");
            written += 1;
            if written == rows {
                break;
            }
        }
    }
    out.flush().expect("flush");
    poll
}
