//! Charts and the demo, through the real binary.

use super::{Env, GSOMIA, exit, stderr};

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).expect("a PNG that decodes");
    (image.width(), image.height())
}

#[test]
fn a_single_poll_charts_with_its_wording_and_marks() {
    let env = Env::new();
    env.ok(GSOMIA);
    let out = env.ok(&[
        "chart",
        "kr-gsomia",
        "--mark",
        "2016-11-23=GSOMIA signed",
        "-o",
        "gsomia.svg",
    ]);
    assert!(out.contains("gsomia.svg"));
    let svg = std::fs::read_to_string(env.path().join("gsomia.svg")).expect("svg");
    assert!(svg.contains("GSOMIA"), "the wording is the title");
    assert!(svg.contains("GSOMIA signed"));
    assert!(svg.contains("Oppose 59%"));
    assert!(svg.contains("Source: Gallup Korea · 1 poll, 2016-11-18 · polltrack"));
    assert_eq!(svg.matches("<circle").count(), 1);

    // The words around it and the range, from flags.
    env.ok(&[
        "chart",
        "kr-gsomia",
        "--subtitle",
        "One poll, a week before the signing",
        "--note",
        "Gallup Korea asked 1,004 adults.",
        "--credit",
        "Chart: The Herald",
        "--y-range",
        "40,70",
        "-o",
        "words.svg",
    ]);
    let svg = std::fs::read_to_string(env.path().join("words.svg")).expect("svg");
    for words in [
        "One poll, a week before the signing",
        "Gallup Korea asked 1,004 adults.",
        "Chart: The Herald · 1 poll, 2016-11-18 · polltrack",
        ">\n40%\n</text>",
        ">\n70%\n</text>",
    ] {
        assert!(svg.contains(words), "{words:?} missing");
    }
    // A range that cuts a poll off says so: it is drawn on the edge, not where it is.
    let cut = env
        .run(&["chart", "kr-gsomia", "--y-range", "60,80", "-o", "x.svg"])
        .success();
    assert!(
        stderr(&cut).contains(
            "the y range 60-80% cuts off Oppose: 1 poll, 1 day of its trend: they are drawn on \
             the plot's edge"
        ),
        "{}",
        stderr(&cut)
    );
    let whole = env
        .run(&["chart", "kr-gsomia", "--y-range", "40,70", "-o", "x.svg"])
        .success();
    assert!(!stderr(&whole).contains("cuts off"), "{}", stderr(&whole));
    let refused = env
        .run(&["chart", "kr-gsomia", "--y-range", "70,40", "-o", "x.svg"])
        .code(exit::USAGE);
    assert!(stderr(&refused).contains("lower first"));

    // By default a PNG in charts/, of the asked size.
    env.ok(&["chart", "kr-gsomia", "--width", "800", "--height", "500"]);
    let png = std::fs::read(env.path().join("charts/kr-gsomia.png")).expect("png");
    assert_eq!(png_size(&png), (800, 500));
}

#[test]
fn a_chart_of_many_polls_is_the_same_bytes_each_time() {
    let env = Env::new();
    env.ok(&[
        "simulate",
        "--polls",
        "300",
        "--seed",
        "3",
        "-o",
        "polls.csv",
    ]);
    env.ok(&["import", "polls.csv"]);
    for name in ["a.svg", "b.svg"] {
        env.ok(&[
            "chart",
            "sim-1",
            "--method",
            "kalman",
            "--answers",
            "Candidate B,Candidate A",
            "-o",
            name,
        ]);
    }
    let a = std::fs::read(env.path().join("a.svg")).expect("svg");
    assert_eq!(a, std::fs::read(env.path().join("b.svg")).expect("svg"));
    let a = String::from_utf8(a).expect("utf-8");
    assert_eq!(a.matches("<circle").count(), 2 * 300);
    assert!(a.find("Candidate B").expect("B") < a.find("Candidate A").expect("A"));
    assert!(!a.contains("Undecided"), "only the answers asked for");
}

#[test]
fn charting_nothing_or_with_a_missing_font_is_a_clear_error() {
    let env = Env::new();
    env.ok(GSOMIA);
    let none = env
        .run(&["chart", "kr-gsomia", "--since", "2020-01-01"])
        .code(exit::NOT_FOUND);
    assert!(stderr(&none).contains("no polls of question kr-gsomia"));
    let font = env
        .run(&["chart", "kr-gsomia", "--font", "missing.ttf"])
        .code(exit::FAILED);
    assert!(stderr(&font).contains("missing.ttf"));
    let format = env
        .run(&["chart", "kr-gsomia", "-o", "chart.jpg"])
        .code(exit::USAGE);
    assert!(stderr(&format).contains(".png or .svg"));
    let answer = env
        .run(&["chart", "kr-gsomia", "--answers", "Support"])
        .code(exit::NOT_FOUND);
    assert!(stderr(&answer).contains("no answer \"Support\""));
    assert!(!env.path().join("charts").exists(), "nothing written");
}

#[test]
fn saved_definitions_render_beside_themselves() {
    let env = Env::new();
    env.ok(GSOMIA);
    let charts = env.path().join("charts");
    std::fs::create_dir(&charts).expect("charts/");
    std::fs::write(
        charts.join("gsomia.toml"),
        "question = \"kr-gsomia\"\ntitle = \"Koreans oppose GSOMIA\"\noutput = \"gsomia.svg\"\n\
         [[marks]]\ndate = 2016-11-23\nlabel = \"Signed\"\n",
    )
    .expect("write");
    std::fs::write(
        charts.join("small.toml"),
        "question = \"kr-gsomia\"\nwidth = 640\nheight = 400\n",
    )
    .expect("write");
    env.ok(&["chart", "charts/gsomia.toml"]);
    let svg = std::fs::read_to_string(charts.join("gsomia.svg")).expect("svg");
    assert!(svg.contains("Koreans oppose GSOMIA") && svg.contains("Signed"));
    std::fs::remove_file(charts.join("gsomia.svg")).expect("remove");
    let out = env.ok(&["chart", "--all"]);
    assert!(
        out.contains("gsomia.svg") && out.contains("small.png"),
        "{out}"
    );
    let png = std::fs::read(charts.join("small.png")).expect("png");
    assert_eq!(png_size(&png), (640, 400));

    std::fs::write(
        charts.join("bad.toml"),
        "question = \"kr-gsomia\"\npolster = \"x\"\n",
    )
    .expect("write");
    let bad = env.run(&["chart", "charts/bad.toml"]).code(exit::INVALID);
    assert!(stderr(&bad).contains("charts/bad.toml") && stderr(&bad).contains("line 2"));
}

#[test]
fn the_demo_records_imports_and_charts_and_can_run_again() {
    let env = Env::new();
    let first = env.ok(&["demo", "--polls", "200"]);
    assert!(first.contains("recorded as poll 1"), "{first}");
    assert!(first.contains("200 added"), "{first}");
    for chart in ["kr-gsomia.png", "sim-1.png", "sim-1-loess.svg"] {
        assert!(env.path().join("charts").join(chart).is_file(), "{chart}");
    }
    let again = env.ok(&["demo", "--polls", "200"]);
    assert!(
        again.contains("stored already") && again.contains("0 added"),
        "{again}"
    );
    let listed = env.ok(&["list", "--question", "kr-gsomia"]);
    assert_eq!(listed.matches("Gallup Korea").count(), 1);
}

#[test]
fn a_chart_saved_with_save_redraws_to_the_same_bytes() {
    let env = Env::new();
    env.ok(&[
        "simulate",
        "--polls",
        "60",
        "--seed",
        "3",
        "-o",
        "polls.csv",
    ]);
    env.ok(&["import", "polls.csv"]);
    let fonts = env.path().join("fonts");
    std::fs::create_dir(&fonts).expect("fonts/");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/DejaVuSans.ttf"),
        fonts.join("Sans.ttf"),
    )
    .expect("a font to give");
    let drawn = [
        "chart",
        "sim-1",
        "--method",
        "loess",
        "--span",
        "0.5",
        "--iterations",
        "2",
        "--since",
        "2024-06-01",
        "--until",
        "2025-12-31",
        "--population",
        "lv",
        "--exclude-pollster",
        "Pollster 6",
        "--answers",
        "Candidate B,Candidate A",
        "--mark",
        "2025-06-01=An \"event\"",
        "--title",
        "A [title] = \"quoted\"",
        "--subtitle",
        "Sub",
        "--note",
        "A note",
        "--credit",
        "Chart: Us",
        "--y-range",
        "20,70",
        "--width",
        "800",
        "--height",
        "500",
        "--font",
        "fonts/Sans.ttf",
        "--color",
        "Candidate A=#112233",
        "-o",
        "charts/sim.svg",
        "--save",
        "sim",
    ];
    let out = env.ok(&drawn);
    assert!(out.contains("charts/sim.toml"), "{out}");
    let charts = env.path().join("charts");
    let first = std::fs::read(charts.join("sim.svg")).expect("svg");
    let saved = std::fs::read_to_string(charts.join("sim.toml")).expect("toml");
    for key in [
        "span = 0.5",
        "iterations = 2",
        "exclude = [\"Pollster 6\"]",
        "font = \"../fonts/Sans.ttf\"",
        "output = \"sim.svg\"",
    ] {
        assert!(saved.contains(key), "{key}: {saved}");
    }
    std::fs::remove_file(charts.join("sim.svg")).expect("remove");
    env.ok(&["chart", "charts/sim.toml"]);
    assert_eq!(std::fs::read(charts.join("sim.svg")).expect("svg"), first);

    // Not over an existing definition without --force; the name a plain file name; the
    // chart inside charts/.
    let exists = env.run(&drawn).code(exit::CONFLICT);
    assert!(stderr(&exists).contains("charts/sim.toml") && stderr(&exists).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(charts.join("sim.toml")).expect("toml"),
        saved
    );
    for name in ["../x", "a/b", ".hidden", ""] {
        let bad = env
            .run(&["chart", "sim-1", "--save", name])
            .code(exit::USAGE);
        assert!(stderr(&bad).contains("plain file name"), "{name}");
    }
    let outside = env
        .run(&["chart", "sim-1", "--save", "other", "-o", "other.svg"])
        .code(exit::USAGE);
    assert!(stderr(&outside).contains("inside charts/"));
    assert!(!charts.join("other.toml").exists() && !env.path().join("other.svg").exists());
    env.ok(&["chart", "sim-1", "--save", "sim", "--force"]);
    let plain = std::fs::read_to_string(charts.join("sim.toml")).expect("toml");
    assert!(
        plain.contains("output = \"sim-1.png\"") && !plain.contains("span"),
        "{plain}"
    );
}
