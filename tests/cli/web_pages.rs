//! `polltrack serve`'s pages over HTTP: each page there with the right content, its `.json` twin
//! equal to the command's `--json`, its `.csv` twin, pages of polls by key with next links,
//! unknown polls and questions as HTML pages with status 404, and stored text shown as text.

use crate::server::{Answer, Server, five_approval_polls};
use crate::*;

/// Five approval polls of three pollsters, a day apart, with samples of 1,000, and the GSOMIA
/// poll (id 6).
fn five_polls(env: &Env) {
    five_approval_polls(env, &["--sample", "1000"]);
    env.ok(GSOMIA);
}

/// A page's HTML, which must have come with status 200 as HTML.
fn page(server: &Server, path: &str) -> String {
    let answer = server.get(path);
    assert_eq!(answer.status, 200, "{path}: {}", answer.text());
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{path}"
    );
    answer.text()
}

/// The address of the link whose `rel` or text is `what`, as a browser reads it.
fn link(html: &str, what: &str) -> Option<String> {
    let at = html.find(what)?;
    let start = html[..at].rfind("href=\"")? + "href=\"".len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].replace("&#38;", "&").replace("&amp;", "&"))
}

/// The poll ids a page's table links to, in order.
fn poll_links(html: &str) -> Vec<i64> {
    html.split("<td class=\"number\"><a href=\"/polls/")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
        .collect()
}

#[test]
fn each_page_shows_its_table_and_links_to_its_twins() {
    let env = Env::new();
    five_polls(&env);
    let server = Server::start(&env, &[]);

    let questions = page(&server, "/questions");
    assert!(
        questions.contains("href=\"/questions/us-approval\""),
        "{questions}"
    );
    assert!(
        questions.contains("<td>Approve 41.0 · Disapprove 52.0 (2024-03-05)</td>"),
        "{questions}"
    );

    let question = page(&server, "/questions/us-approval");
    assert!(
        question.contains("<h1>Presidential job approval</h1>"),
        "{question}"
    );
    assert!(question.contains("5 polls by 3 pollsters, 2024-03-01 to 2024-03-05"));
    let single = page(&server, "/questions/kr-gsomia");
    assert!(
        single.contains("1 poll by 1 pollster, 2016-11-18"),
        "{single}"
    );
    assert!(question.contains("<option value=\"kalman\" selected>"));
    assert!(question.contains("<script type=\"application/json\" id=\"chart-data\">"));
    assert!(question.contains("<script src=\"/assets/chart.js\"></script>"));
    assert!(question.contains("/questions/us-approval/chart.png"));
    assert_eq!(poll_links(&question), vec![1, 2, 3, 4, 5]);
    assert!(
        question.contains("Approve 41 · Disapprove 52"),
        "{question}"
    );
    // The house effects of the page are those of the command.
    let effects = env.json(&["house-effects", "us-approval", "--json"]);
    let gallup = effects
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["pollster"] == "Gallup" && e["answer"] == "Approve")
        .unwrap();
    assert!(
        question.contains(&format!(
            "<td>Gallup</td><td>Approve</td><td class=\"number\">{:+.1}</td>",
            gallup["effect"].as_f64().unwrap()
        )),
        "{question}"
    );

    // The chart's data: every poll once, by column, each answer its dots.
    let data = chart_data(&question);
    assert_eq!(data["method"], "kalman");
    assert_eq!(data["polls"]["id"], serde_json::json!([1, 2, 3, 4, 5]));
    assert_eq!(data["polls"]["sample"][0], 1000.0);
    assert_eq!(
        data["polls"]["day"],
        serde_json::json!([19783, 19784, 19785, 19786, 19787])
    );
    let approve = &data["answers"][0];
    assert_eq!(approve["label"], "Approve");
    assert!(approve["colour"].as_str().unwrap().starts_with('#'));
    assert_eq!(
        approve["dots"]["pct"],
        serde_json::json!([41.0, 41.0, 41.0, 41.0, 41.0])
    );
    let days = data["days"].as_array().unwrap();
    assert_eq!(days.len(), 5, "a day each from the first poll to the last");
    assert_eq!(days[0], 19783, "2024-03-01, counted from 1970-01-01");
    assert_eq!(approve["estimate"].as_array().unwrap().len(), 5);

    let polls = page(&server, "/polls");
    assert_eq!(poll_links(&polls), vec![6, 1, 2, 3, 4, 5]);
    assert!(polls.contains("kr-gsomia (A) · Oppose 59"), "{polls}");
    assert!(polls.contains("href=\"/polls.json\""));
    assert!(polls.contains("href=\"/polls.csv\""));

    let poll = page(&server, "/polls/6");
    assert!(poll.contains("Gallup Korea"), "{poll}");
    assert!(
        poll.contains(
            "South Korea signs controversial intelligence pact with Japan · Press TV · 2016-11-23"
        ),
        "{poll}"
    );
    assert!(poll.contains("href=\"/questions/kr-gsomia\""));
    assert!(poll.contains("kr-gsomia</a> · adults</h3>"), "{poll}");
    assert!(poll.contains("href=\"/polls/6/edit\"") && poll.contains("href=\"/polls/6/delete\""));
    assert!(poll.contains("Never changed since it was recorded"));
    env.ok(&[
        "edit",
        "2",
        "--sample",
        "1200",
        "--reason",
        "the release said 1,200",
    ]);
    let edited = page(&server, "/polls/2");
    assert!(
        edited.contains("<td>1000</td><td>1200</td><td>the release said 1,200</td>"),
        "{edited}"
    );

    let pollsters = page(&server, "/pollsters");
    for name in ["Gallup", "Gallup Korea", "Ipsos", "YouGov"] {
        assert!(
            pollsters.contains(&format!(">{name}</a>")),
            "{name}: {pollsters}"
        );
    }
    assert!(
        pollsters.contains("href=\"/polls?pollster=Gallup%20Korea\""),
        "{pollsters}"
    );
    let sources = page(&server, "/sources");
    assert!(sources.contains("Press TV"), "{sources}");
    assert!(sources.contains("<a href=\"/polls/6\">6</a>"), "{sources}");
}

/// The JSON a question page gives its chart script.
fn chart_data(html: &str) -> serde_json::Value {
    let start = html.find("id=\"chart-data\">").expect("chart data") + "id=\"chart-data\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON chart data")
}

#[test]
fn json_twins_are_the_commands_json_and_csv_twins_their_tables() {
    let env = Env::new();
    five_polls(&env);
    env.ok(&["pollster", "alias", "Gallup Inc.", "Gallup"]);
    let server = Server::start(&env, &[]);
    for (path, command) in [
        ("/questions.json", vec!["question", "list", "--json"]),
        ("/pollsters.json", vec!["pollster", "list", "--json"]),
        ("/sources.json", vec!["source", "list", "--json"]),
        ("/polls/6.json", vec!["show", "6", "--json"]),
        ("/polls/2.json", vec!["show", "2", "--json"]),
    ] {
        let answer = server.get(path);
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.json(), env.json(&command), "{path}");
    }
    let pollsters = server.get("/pollsters.csv");
    assert_eq!(
        pollsters.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    let text = pollsters.text();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("name,aliases,polls,first_date,last_date")
    );
    assert!(
        text.contains("\nGallup,Gallup Inc.,2,2024-03-01,2024-03-04\n"),
        "{text}"
    );
    let sources = server.get("/sources.csv").text();
    assert!(
        sources.starts_with("id,url,title,outlet,published_on,polls\n"),
        "{sources}"
    );
    assert!(
        sources.contains(
            ",South Korea signs controversial intelligence pact with Japan,Press TV,2016-11-23,6\n"
        ),
        "{sources}"
    );
    let chart = server.get("/questions/us-approval/chart.png");
    assert_eq!(chart.status, 200);
    assert_eq!(chart.header("content-type"), Some("image/png"));
    assert!(chart.body.starts_with(b"\x89PNG"));
}

#[test]
fn poll_tables_page_by_key_with_the_list_filters() {
    let env = Env::new();
    five_polls(&env);
    let server = Server::start(&env, &[]);

    // Page by page on the question's page, following its next links.
    let mut path = "/questions/us-approval?limit=2".to_string();
    let mut pages = Vec::new();
    loop {
        let html = page(&server, &path);
        pages.push(poll_links(&html));
        match link(&html, "rel=\"next\"") {
            Some(next) => path = next,
            None => break,
        }
    }
    assert_eq!(pages, vec![vec![1, 2], vec![3, 4], vec![5]]);
    // The twins of the question's polls table list the question's polls.
    let first = page(&server, "/questions/us-approval?limit=2");
    assert!(
        first.contains("href=\"/polls.json?question=us-approval&#38;limit=2\""),
        "{first}"
    );
    assert!(first.contains("href=\"/polls.csv?question=us-approval\""));
    assert_eq!(path, "/questions/us-approval?limit=2&after=2024-03-04.4");

    // The list filters, as the command's flags; the twins keep them.
    let gallup = page(&server, "/polls?pollster=gallup&latest");
    assert_eq!(poll_links(&gallup), vec![4, 1]);
    assert_eq!(
        link(&gallup, ">JSON<").as_deref(),
        Some("/polls.json?pollster=gallup&latest=")
    );
    assert_eq!(
        link(&gallup, ">CSV<").as_deref(),
        Some("/polls.csv?pollster=gallup")
    );
    let csv = server.get("/polls.csv?pollster=gallup").body;
    let exported = env
        .cmd()
        .args(["export", "--pollster", "gallup"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(csv, exported);
    let since = page(
        &server,
        "/questions/us-approval?since=2024-03-03&method=latest",
    );
    assert_eq!(poll_links(&since), vec![3, 4, 5]);
    assert!(since.contains("<option value=\"latest\" selected>"));
    assert_eq!(
        chart_data(&since)["polls"]["id"],
        serde_json::json!([3, 4, 5])
    );

    // A filter no poll matches: the question is still shown, saying so.
    let none = page(
        &server,
        "/questions/us-approval?pollster=Ipsos&since=2024-03-04",
    );
    assert!(none.contains("No polls match."), "{none}");
    assert!(
        none.contains("no polls of question us-approval match"),
        "{none}"
    );
    assert!(!none.contains("chart-data"));
}

fn assert_html_error(answer: &Answer, status: u16, says: &str) {
    assert_eq!(answer.status, status, "{}", answer.text());
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = answer.text();
    assert!(
        html.contains("<h1>Not Found</h1>") || status != 404,
        "{html}"
    );
    assert!(html.contains(says), "{says}: {html}");
}

#[test]
fn unknown_polls_and_questions_are_pages_with_status_404() {
    let env = Env::new();
    five_polls(&env);
    let server = Server::start(&env, &[]);
    assert_html_error(&server.get("/polls/99"), 404, "99");
    assert_html_error(&server.get("/polls/abc"), 404, "poll ids are numbers");
    assert_html_error(&server.get("/questions/nope"), 404, "nope");
    assert_html_error(&server.get("/polls?question=nope"), 404, "nope");
    // A twin answers in JSON.
    let json = server.get("/polls/99.json");
    assert_eq!(json.status, 404);
    assert_eq!(json.json()["error"]["kind"], "not_found");
    // A misspelt filter is refused, not ignored.
    assert_html_error(
        &server.get("/questions/us-approval?pollstr=x"),
        400,
        "unknown parameter",
    );
    assert_html_error(&server.get("/polls?limit=0"), 422, "limit");
}

#[test]
fn stored_text_is_shown_as_text_on_every_page() {
    let env = Env::new();
    let script = "<script>alert(1)</script>";
    #[rustfmt::skip]
    env.ok(&["add", "--new-pollster", "--pollster", script, "--question", "xss", "--wording", script,
        "--answer", "Yes=40", "--answer", &format!("{script}=60"), "--published", "2024-01-02",
        "--sponsor", script, "--notes", script, "--source", "https://example.com/a?b=<script>",
        "--source-title", script, "--outlet", script, "--region", script, "--mode", script]);
    let server = Server::start(&env, &[]);
    for path in [
        "/questions",
        "/questions/xss",
        "/polls",
        "/polls/1",
        "/pollsters",
        "/sources",
    ] {
        let html = page(&server, path);
        assert!(!html.contains("<script>alert"), "{path}: {html}");
        assert!(
            html.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
                || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}: {html}"
        );
    }
    // In the chart's data the text is JSON, where no `<` can end the script.
    let question = page(&server, "/questions/xss");
    let data = chart_data(&question);
    assert_eq!(data["pollsters"][0], script);
    let labels: Vec<&str> = data["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&script), "{labels:?}");
    // A source's address of another scheme than the web's is shown, never linked.
    #[rustfmt::skip]
    env.ok(&["source", "add", "javascript:alert(1)", "--title", "Click", "--poll", "1"]);
    let sources = page(&server, "/sources");
    assert!(!sources.contains("href=\"javascript:"), "{sources}");
    assert!(sources.contains("Click"), "{sources}");
}
