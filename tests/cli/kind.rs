//! A question's kind: set by `question kind`, `add --kind` and `import --kind`, inferred for
//! FiveThirtyEight's files, and deciding which population a trend counts first.

use super::{Env, exit, stderr};

/// One poll asking an approval question and a vote question, each of adults, registered
/// voters and likely voters, with the shares telling the populations apart.
fn one_poll_three_populations(env: &Env, approval_kind: &str, vote_kind: &str) {
    env.ok(&[
        "add",
        "--pollster",
        "Example Polling",
        "--question",
        "us-approval",
        "--wording",
        "Do you approve of the way the president is handling the job?",
        "--kind",
        approval_kind,
        "--population",
        "a",
        "--answer",
        "Approve=40",
        "--start",
        "2024-03-01",
        "--end",
        "2024-03-03",
    ]);
    for (population, approve) in [("rv", "44"), ("lv", "48")] {
        env.ok(&[
            "add",
            "--poll",
            "1",
            "--question",
            "us-approval",
            "--population",
            population,
            "--answer",
            &format!("Approve={approve}"),
        ]);
    }
    for (population, share) in [("a", "30"), ("rv", "33"), ("lv", "36")] {
        env.ok(&[
            "add",
            "--poll",
            "1",
            "--question",
            "us-vote",
            "--wording",
            "If the election were held today, whom would you vote for?",
            "--kind",
            vote_kind,
            "--population",
            population,
            "--answer",
            &format!("Smith={share}"),
        ]);
    }
}

/// The trend's one estimate (`latest`, one poll) and what the command warned.
fn estimate(env: &Env, question: &str) -> (f64, String) {
    let assert = env
        .run(&["trend", question, "--method", "latest"])
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let row = out.lines().nth(1).expect("a trend row");
    let value = row.split(',').nth(2).expect("an estimate").parse().unwrap();
    (value, stderr(&assert))
}

#[test]
fn the_kind_chooses_the_population_a_trend_counts() {
    let env = Env::new();
    one_poll_three_populations(&env, "approval", "vote");
    // Approval: adults first. Vote intention: likely voters first. Neither warns.
    let (approval, warnings) = estimate(&env, "us-approval");
    assert_eq!(approval, 40.0);
    assert!(!warnings.contains("no kind"), "{warnings}");
    let (vote, warnings) = estimate(&env, "us-vote");
    assert_eq!(vote, 36.0);
    assert!(!warnings.contains("no kind"), "{warnings}");

    // The same polls under other kinds: the choice follows the kind.
    env.ok(&["question", "kind", "us-approval", "vote"]);
    env.ok(&["question", "kind", "us-vote", "issue"]);
    assert_eq!(estimate(&env, "us-approval").0, 48.0);
    assert_eq!(estimate(&env, "us-vote").0, 30.0);

    // No kind: likely voters as before kinds, with a warning saying so and what to do.
    env.ok(&["question", "kind", "us-approval", "none"]);
    let (unset, warnings) = estimate(&env, "us-approval");
    assert_eq!(unset, 48.0);
    assert!(
        warnings.contains("warning: question us-approval: 1 poll asked several populations")
            && warnings.contains("likely voters were counted first (lv in 1)")
            && warnings.contains("polltrack question kind"),
        "{warnings}"
    );

    // --population overrides the kind.
    env.ok(&["question", "kind", "us-approval", "approval"]);
    let out = env.ok(&[
        "trend",
        "us-approval",
        "--method",
        "latest",
        "--population",
        "rv",
    ]);
    assert!(out.lines().nth(1).unwrap().contains(",44.000000,"), "{out}");
}

#[test]
fn the_kind_round_trips_through_question_show() {
    let env = Env::new();
    one_poll_three_populations(&env, "favorability", "vote");
    // The American spelling is taken; the stored name is the British one.
    let shown = env.json(&["question", "show", "us-approval", "--json"]);
    assert_eq!(shown["kind"], "favourability");
    for kind in ["approval", "issue", "vote", "favourability"] {
        let said = env.ok(&["question", "kind", "us-approval", kind]);
        assert!(said.contains(&format!("is of kind {kind}")), "{said}");
        let shown = env.json(&["question", "show", "us-approval", "--json"]);
        assert_eq!(shown["kind"], kind);
    }
    env.ok(&["question", "kind", "us-approval", "none"]);
    let shown = env.json(&["question", "show", "us-approval", "--json"]);
    assert!(shown["kind"].is_null(), "{shown}");
    let text = env.ok(&["question", "show", "us-vote"]);
    assert!(text.contains("  kind         vote\n"), "{text}");

    // The list has a kind column, and its JSON the kind of each question.
    let list = env.ok(&["question", "list"]);
    let header = list.lines().next().unwrap();
    assert!(
        header.starts_with("SLUG") && header.contains("KIND"),
        "{list}"
    );
    assert!(
        list.lines()
            .any(|l| l.starts_with("us-vote") && l.contains(" vote "))
    );
    let listed = env.json(&["question", "list", "--json"]);
    let kinds: Vec<&serde_json::Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|q| &q["kind"])
        .collect();
    assert_eq!(kinds, [&serde_json::Value::Null, &"vote".into()]);

    // Not a kind: a usage error; no such question: not found.
    let bad = env.run(&["question", "kind", "us-vote", "horse-race"]);
    bad.code(exit::USAGE);
    env.run(&["question", "kind", "nothing", "vote"])
        .code(exit::NOT_FOUND);
}

#[test]
fn a_kind_given_again_fills_an_unset_kind_and_never_replaces_a_stored_one() {
    let env = Env::new();
    env.ok(&[
        "add",
        "--pollster",
        "Example Polling",
        "--question",
        "us-approval",
        "--wording",
        "Do you approve?",
        "--answer",
        "Approve=40",
        "--published",
        "2024-03-01",
    ]);
    let shown = env.json(&["question", "show", "us-approval", "--json"]);
    assert!(shown["kind"].is_null(), "{shown}");
    // A later poll gives the kind: the question had none, so it takes it.
    let later = [
        "add",
        "--pollster",
        "Other Polling",
        "--question",
        "us-approval",
        "--answer",
        "Approve=42",
        "--published",
        "2024-03-02",
        "--kind",
    ];
    env.ok(&[&later[..], &["approval"]].concat());
    let shown = env.json(&["question", "show", "us-approval", "--json"]);
    assert_eq!(shown["kind"], "approval");
    // Another kind: a warning, and the stored kind stays.
    let mut other = later.to_vec();
    other[8] = "2024-03-03";
    other.push("vote");
    let assert = env.run(&other).success();
    let warnings = stderr(&assert);
    assert!(
        warnings.contains("question us-approval is stored as a question of kind approval")
            && warnings.contains("`polltrack question kind us-approval vote`"),
        "{warnings}"
    );
    let shown = env.json(&["question", "show", "us-approval", "--json"]);
    assert_eq!(shown["kind"], "approval");
}

/// A FiveThirtyEight job approval file: two questions of one poll (adults, registered voters).
const JOB_APPROVAL: &str = "\
question_id,poll_id,state,politician_id,politician,pollster_id,pollster,sponsor_ids,sponsors,display_name,fte_grade,sample_size,population,population_full,methodology,start_date,end_date,sponsor_candidate,tracking,created_at,notes,url,source,yes,no
11,1,,11,Donald Trump,5,Example Polling,,,Example Polling,B,1500,a,a,Online,1/16/21,1/19/21,,,1/20/21 10:18,,https://a.example,538,42.0,53.0
12,1,,11,Donald Trump,5,Example Polling,,,Example Polling,B,1200,rv,rv,Online,1/16/21,1/19/21,,,1/20/21 10:18,,https://a.example,538,45.0,52.0
";

/// A FiveThirtyEight generic ballot file: one poll of likely and registered voters.
const GENERIC_BALLOT: &str = "\
question_id,poll_id,race_id,cycle,state,pollster_id,pollster,sponsor_ids,sponsors,partisan,display_name,pollster_rating_id,pollster_rating_name,fte_grade,sample_size,population,population_full,methodology,office_type,seat_number,start_date,end_date,sponsor_candidate,tracking,nationwide_batch,created_at,notes,url,stage,dem,rep,ind
21,2,1,2020,,5,Example Polling,,,,Example Polling,1,Example Polling,B,900,lv,lv,Online,U.S. House,0,10/1/20,10/3/20,,,false,10/4/20 9:00,,https://b.example,general,50,44,
22,2,1,2020,,5,Example Polling,,,,Example Polling,1,Example Polling,B,1100,rv,rv,Online,U.S. House,0,10/1/20,10/3/20,,,false,10/4/20 9:00,,https://b.example,general,49,42,
";

#[test]
fn a_fivethirtyeight_import_infers_the_kind_and_the_trend_follows_it() {
    let env = Env::new();
    std::fs::write(env.path().join("approval.csv"), JOB_APPROVAL).unwrap();
    std::fs::write(env.path().join("ballot.csv"), GENERIC_BALLOT).unwrap();
    env.ok(&["import", "--format", "538", "approval.csv"]);
    env.ok(&["import", "--format", "538", "ballot.csv"]);
    let shown = env.json(&["question", "show", "approval-donald-trump", "--json"]);
    assert_eq!(shown["kind"], "approval");
    let shown = env.json(&["question", "show", "generic-ballot-2020", "--json"]);
    assert_eq!(shown["kind"], "vote");
    // Adults for approval (42, not the registered voters' 45); likely voters for the ballot.
    assert_eq!(estimate(&env, "approval-donald-trump").0, 42.0);
    let ballot = env.ok(&["trend", "generic-ballot-2020", "--method", "latest"]);
    assert!(ballot.contains(",Democrat,50.000000,"), "{ballot}");

    // --kind overrides the layout's, for a question with none; a stored kind stays.
    let other = Env::new();
    std::fs::write(other.path().join("approval.csv"), JOB_APPROVAL).unwrap();
    other.ok(&[
        "import",
        "--format",
        "538",
        "--kind",
        "issue",
        "approval.csv",
    ]);
    let shown = other.json(&["question", "show", "approval-donald-trump", "--json"]);
    assert_eq!(shown["kind"], "issue");
    other.ok(&["question", "kind", "approval-donald-trump", "none"]);
    // A file read again fills the unset kind from its layout, silently.
    let again = other
        .run(&["import", "--format", "538", "approval.csv"])
        .success();
    assert!(!stderr(&again).contains("kind"), "{}", stderr(&again));
    let shown = other.json(&["question", "show", "approval-donald-trump", "--json"]);
    assert_eq!(shown["kind"], "approval");
    // The layout's kind does not argue with a kind the user set; --kind does.
    other.ok(&["question", "kind", "approval-donald-trump", "favourability"]);
    let quiet = other
        .run(&["import", "--format", "538", "approval.csv"])
        .success();
    assert!(!stderr(&quiet).contains("kind"), "{}", stderr(&quiet));
    let told = other
        .run(&[
            "import",
            "--format",
            "538",
            "--kind",
            "approval",
            "approval.csv",
        ])
        .success();
    assert!(
        stderr(&told).contains(
            "question approval-donald-trump is stored as a question of kind favourability"
        ),
        "{}",
        stderr(&told)
    );
    let shown = other.json(&["question", "show", "approval-donald-trump", "--json"]);
    assert_eq!(shown["kind"], "favourability");
}
