//! `polltrack serve`'s JSON API and table twins over HTTP: shapes equal to the command line's
//! `--json`, filters named as its flags, pages by key, errors as JSON with their status, and the
//! CSV twin byte for byte `export`.

use crate::server::{Server, five_approval_polls};
use crate::*;

/// Five approval polls of three pollsters, a day apart, and the GSOMIA poll.
fn five_polls(env: &Env) {
    five_approval_polls(env, &[]);
    env.ok(GSOMIA);
}

fn ids(polls: &serde_json::Value) -> Vec<i64> {
    polls
        .as_array()
        .expect("an array of polls")
        .iter()
        .map(|p| p["id"].as_i64().expect("an id"))
        .collect()
}

#[test]
fn serve_prints_its_address_and_stops_cleanly_on_ctrl_c() {
    let env = Env::new();
    five_polls(&env);
    let server = Server::start(&env, &[]);
    assert!(
        server
            .printed
            .contains(&format!("at http://{}/", server.address)),
        "{}",
        server.printed
    );
    assert_eq!(server.get("/api/questions").status, 200);
    let (status, stderr) = server.stop();
    assert!(status.success(), "{status:?} {stderr}");
    // The database is closed as after any command: everything still there.
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 6);
}

#[test]
fn a_server_needs_a_database_and_creates_none() {
    let env = Env::new();
    if env.sqlite_only("a missing database file") {
        return;
    }
    let assert = env.run(&["serve", "--port", "0"]).code(exit::NOT_FOUND);
    assert!(
        stderr(&assert).contains("no database at polls.db"),
        "{}",
        stderr(&assert)
    );
    assert!(env.file_names().is_empty(), "{:?}", env.file_names());
}

#[test]
fn polls_page_by_key_with_the_list_filters_and_the_same_objects_as_list_json() {
    let env = Env::new();
    five_polls(&env);
    let server = Server::start(&env, &[]);
    let all = env.json(&["list", "--json"]);

    // Page by page, following next_url, the polls of `list --json` in the same order.
    let mut url = "/api/polls?question=us-approval&limit=2".to_string();
    let mut pages = Vec::new();
    loop {
        let page = server.get(&url).json();
        pages.push(ids(&page["polls"]));
        match page["next_url"].as_str() {
            Some(next) => url = next.to_string(),
            None => {
                assert!(page["next"].is_null());
                break;
            }
        }
    }
    assert_eq!(pages, vec![vec![1, 2], vec![3, 4], vec![5]]);
    let listed = env.json(&["list", "--json", "--question", "us-approval"]);
    let page = server.get("/api/polls?question=us-approval").json();
    assert_eq!(page["polls"], listed, "the same objects as list --json");
    assert_eq!(page["polls"].as_array().unwrap().len(), 5);
    assert_eq!(server.get("/polls.json?limit=100").json()["polls"], all);

    // Newest first, a pollster by any case, dates in any typed form, repeated parameters.
    let latest = server
        .get("/api/polls?latest&limit=3&pollster=gallup&pollster=Ipsos")
        .json();
    assert_eq!(ids(&latest["polls"]), vec![4, 3, 1]);
    assert!(latest["next"].is_null());
    let since = server
        .get("/api/polls?since=March%203,%202024&until=2024-03-04")
        .json();
    assert_eq!(ids(&since["polls"]), vec![3, 4]);
    let next = server.get("/api/polls?latest&limit=1").json();
    assert_eq!(ids(&next["polls"]), vec![5]);
    assert_eq!(
        next["next_url"],
        "/api/polls?latest=&limit=1&after=2024-03-05.5"
    );
    let after = server
        .get("/api/polls?latest=&limit=1&after=2024-03-05.5")
        .json();
    assert_eq!(ids(&after["polls"]), vec![4]);
    let one = server.get("/api/polls/1").json();
    assert_eq!(one, env.json(&["show", "1", "--json"]));
}

#[test]
fn the_other_reads_answer_as_their_commands_json() {
    let env = Env::new();
    five_polls(&env);
    let server = Server::start(&env, &[]);
    for (path, command) in [
        ("/api/questions", vec!["question", "list", "--json"]),
        ("/questions.json", vec!["question", "list", "--json"]),
        (
            "/api/questions/us-approval",
            vec!["question", "show", "us-approval", "--json"],
        ),
        ("/api/pollsters", vec!["pollster", "list", "--json"]),
        ("/api/sources", vec!["source", "list", "--json"]),
        ("/api/polls/1/history", vec!["history", "1", "--json"]),
        (
            "/api/questions/us-approval/trend?method=latest&window=10",
            vec![
                "trend",
                "us-approval",
                "--method",
                "latest",
                "--window",
                "10",
                "--json",
            ],
        ),
        (
            "/api/questions/us-approval/trend?method=loess&at_polls",
            vec![
                "trend",
                "us-approval",
                "--method",
                "loess",
                "--at-polls",
                "--json",
            ],
        ),
        (
            "/api/questions/us-approval/house-effects?step=0.5",
            vec!["house-effects", "us-approval", "--step", "0.5", "--json"],
        ),
    ] {
        let answer = server.get(path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.text());
        assert_eq!(
            answer.header("content-type"),
            Some("application/json"),
            "{path}"
        );
        assert_eq!(answer.json(), env.json(&command), "{path}");
    }
}

#[test]
fn errors_are_json_with_their_status_and_say_what_is_wrong() {
    let env = Env::new();
    five_polls(&env);
    let server = Server::start(&env, &[]);
    for (path, status, kind, says) in [
        ("/api/polls/99", 404, "not_found", "there is no poll 99"),
        ("/api/polls/abc", 404, "not_found", "poll ids are numbers"),
        ("/api/questions/nope", 404, "not_found", "nope"),
        ("/api/questions/nope/trend", 404, "not_found", "nope"),
        ("/api/polls?question=nope", 404, "not_found", "nope"),
        (
            "/api/polls?since=2024-02-30",
            422,
            "invalid",
            "parameter since",
        ),
        ("/api/polls?limit=0", 422, "invalid", "parameter limit"),
        (
            "/api/polls?after=yesterday",
            422,
            "invalid",
            "parameter after",
        ),
        (
            "/api/questions/us-approval/trend?span=3",
            422,
            "invalid",
            "span",
        ),
        (
            "/api/questions/us-approval/trend?method=average",
            422,
            "invalid",
            "method",
        ),
        (
            "/api/polls?questoin=us-approval",
            400,
            "bad_request",
            "unknown parameter \"questoin\"",
        ),
        ("/polls.csv?format=tall", 422, "invalid", "parameter format"),
    ] {
        let answer = server.get(path);
        assert_eq!(answer.status, status, "{path}: {}", answer.text());
        let error = &answer.json()["error"];
        assert_eq!(error["status"], status, "{path}");
        assert_eq!(error["kind"], kind, "{path}");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(says), "{path}: {message}");
    }
}

#[test]
fn the_csv_twin_is_export_byte_for_byte() {
    let env = Env::new();
    every_kind_of_row(&env);
    let server = Server::start(&env, &[]);
    for (query, flags) in [
        ("", vec![]),
        ("?question=kr-gsomia", vec!["--question", "kr-gsomia"]),
        ("?format=wide", vec!["--format", "wide"]),
        (
            "?extra_columns&for_spreadsheet",
            vec!["--extra-columns", "--for-spreadsheet"],
        ),
        (
            "?since=2016-11-01&population=a",
            vec!["--since", "2016-11-01", "--population", "a"],
        ),
    ] {
        let answer = server.get(&format!("/polls.csv{query}"));
        assert_eq!(answer.status, 200, "{query}: {}", answer.text());
        assert_eq!(
            answer.header("content-type"),
            Some("text/csv; charset=utf-8")
        );
        let mut args = vec!["export"];
        args.extend(flags);
        let exported = env.cmd().args(&args).output().expect("export runs").stdout;
        assert_eq!(answer.body, exported, "{query}");
    }
}

#[test]
fn only_requests_addressed_to_the_server_are_answered() {
    let env = Env::new();
    five_polls(&env);
    let server = Server::start(&env, &[]);
    let port = server.address.rsplit(':').next().unwrap().to_string();
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let answer = server.request("GET", "/api/questions", &[("Host", &host)], b"");
        assert_eq!(answer.status, 200, "{host}");
    }
    // DNS rebinding: a foreign name resolved to 127.0.0.1 by its owner.
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".to_string(),
        format!("localhost:{}", port.parse::<u32>().unwrap() + 1),
    ] {
        let answer = server.request("GET", "/api/questions", &[("Host", &host)], b"");
        assert_eq!(answer.status, 403, "{host}");
        assert!(
            answer.text().contains("this server answers only"),
            "{}",
            answer.text()
        );
    }
}

#[test]
fn every_answer_carries_the_security_headers() {
    let env = Env::new();
    five_polls(&env);
    let server = Server::start(&env, &[]);
    for path in [
        "/questions",
        "/api/polls",
        "/polls.csv",
        "/api/polls/99",
        "/assets/style.css",
    ] {
        let answer = server.get(path);
        let policy = answer.header("content-security-policy").unwrap_or_default();
        assert!(policy.starts_with("default-src 'self'"), "{path}: {policy}");
        assert_eq!(
            answer.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
}

#[test]
fn writes_from_another_site_and_to_a_read_only_server_are_refused() {
    let env = Env::new();
    five_polls(&env);
    let before = env.snapshot();
    let server = Server::start(&env, &[]);
    for headers in [
        vec![("Origin", "http://attacker.example")],
        vec![("Sec-Fetch-Site", "cross-site")],
        vec![
            ("Sec-Fetch-Site", "same-site"),
            ("Origin", "http://sub.localhost"),
        ],
    ] {
        let answer = server.request("DELETE", "/api/polls/1", &headers, b"");
        assert_eq!(answer.status, 403, "{headers:?}: {}", answer.text());
        assert!(
            answer
                .text()
                .contains("writes from another site are refused")
        );
    }
    // A browser's form submitted from another site is answered with a page saying why.
    let answer = server.request(
        "POST",
        "/polls/new",
        &[
            ("Sec-Fetch-Site", "cross-site"),
            ("Accept", "text/html,application/xhtml+xml"),
        ],
        b"pollster=x",
    );
    assert_eq!(answer.status, 403);
    assert!(
        answer
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let page = answer.text();
    assert!(page.contains("<h1>Forbidden</h1>"), "{page}");
    assert!(page.contains("writes from another site are refused (Sec-Fetch-Site: cross-site)"));
    drop(server);
    let server = Server::start(&env, &["--read-only"]);
    assert!(server.printed.contains("Read-only"), "{}", server.printed);
    let answer = server.request("POST", "/api/polls", &[], b"{}");
    assert_eq!(answer.status, 405, "{}", answer.text());
    assert_eq!(server.get("/api/polls/1").status, 200);
    drop(server);
    assert_eq!(env.snapshot(), before);
}

#[test]
fn stored_text_is_shown_as_text_never_run() {
    let env = Env::new();
    env.ok(&[
        "add",
        "--pollster",
        "<b>Bold</b> Polls",
        "--question",
        "xss",
        "--wording",
        "<script>alert('x')</script> & \"quotes\"",
        "--answer",
        "Yes=50",
        "--published",
        "2024-01-01",
    ]);
    let server = Server::start(&env, &[]);
    let page = server.get("/questions").text();
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(
        page.contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#38; &#34;quotes&#34;")
            || page.contains("&lt;script&gt;alert("),
        "{page}"
    );
}

/// Every read of the API, as an example request of each path of the OpenAPI document.
const EXAMPLES: &[(&str, &str)] = &[
    ("/api/polls", "/api/polls?limit=2"),
    ("/api/polls/{id}", "/api/polls/1"),
    ("/api/polls/{id}/history", "/api/polls/1/history"),
    ("/api/questions", "/api/questions"),
    ("/api/questions/{slug}", "/api/questions/us-approval"),
    (
        "/api/questions/{slug}/trend",
        "/api/questions/us-approval/trend",
    ),
    (
        "/api/questions/{slug}/house-effects",
        "/api/questions/us-approval/house-effects",
    ),
    ("/api/pollsters", "/api/pollsters"),
    ("/api/sources", "/api/sources"),
    ("/polls.csv", "/polls.csv"),
];

#[test]
fn the_openapi_document_describes_every_read_and_its_answers_match_it() {
    let env = Env::new();
    every_kind_of_row(&env);
    five_approval_polls(&env, &[]);
    env.ok(&["edit", "1", "--notes", "checked"]);
    let server = Server::start(&env, &[]);
    let document = server.get("/api/openapi.json").json();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let mut paths: Vec<&str> = document["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|path| document["paths"][*path].get("get").is_some())
        .collect();
    paths.sort();
    let mut examples: Vec<&str> = EXAMPLES.iter().map(|(path, _)| *path).collect();
    examples.sort();
    assert_eq!(paths, examples, "every read documented has an example here");

    for (path, example) in EXAMPLES {
        let answer = server.get(example);
        assert_eq!(answer.status, 200, "{example}: {}", answer.text());
        let content = &document["paths"][path]["get"]["responses"]["200"]["content"];
        if *path == "/polls.csv" {
            assert!(content.get("text/csv").is_some(), "{content}");
            continue;
        }
        // The answer validates against the schema the document gives it, with the document's
        // components for its references.
        let mut schema = content["application/json"]["schema"].clone();
        schema["components"] = document["components"].clone();
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("{path}: the document's schema does not compile: {e}"));
        let body = answer.json();
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{example} does not match the document: {errors:?}"
        );
        // And the check can fail: the same answer with a number where text belongs does not.
        if *path == "/api/polls/{id}" {
            let mut wrong = body.clone();
            wrong["pollster"] = serde_json::json!(7);
            assert!(!validator.is_valid(&wrong), "the schema checks types");
        }
        assert!(
            body.as_array().is_none_or(|a| !a.is_empty()),
            "{example}: an example with rows"
        );
    }
    // An error's body matches the document's too.
    let mut schema = document["paths"]["/api/polls/{id}"]["get"]["responses"]["404"]["content"]
        ["application/json"]["schema"]
        .clone();
    schema["components"] = document["components"].clone();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&server.get("/api/polls/99").json()));
}

#[test]
fn bound_beyond_loopback_writes_need_the_printed_token() {
    let env = Env::new();
    five_polls(&env);
    let server = Server::start(&env, &["--host", "0.0.0.0"]);
    let token = server
        .printed
        .split("?token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no token printed: {}", server.printed))
        .to_string();
    assert_eq!(token.len(), 32, "{token}");
    assert!(
        server.printed.contains("Writes need the token"),
        "{}",
        server.printed
    );
    // Reads need none, from any name the server is reached by.
    let read = server.request(
        "GET",
        "/api/polls/1",
        &[("Host", "desk.newsroom.example:8001")],
        b"",
    );
    assert_eq!(read.status, 200);
    for headers in [
        vec![],
        vec![("Authorization", "Bearer 0123456789abcdef0123456789abcdef")],
        vec![("Cookie", "polltrack_token=wrong")],
    ] {
        let answer = server.request("DELETE", "/api/polls/1", &headers, b"");
        assert_eq!(answer.status, 401, "{headers:?}: {}", answer.text());
        assert!(
            answer.text().contains("need the token"),
            "{}",
            answer.text()
        );
    }
    let bearer = format!("Bearer {token}");
    let cookie = format!("other=1; polltrack_token={token}");
    for headers in [
        vec![("Authorization", bearer.as_str())],
        vec![("Cookie", cookie.as_str())],
    ] {
        let answer = server.request("DELETE", "/api/polls/99", &headers, b"");
        assert!(
            ![401, 403].contains(&answer.status),
            "{headers:?}: {}",
            answer.text()
        );
    }
    // Opening the printed address keeps the token in a cookie for the forms.
    let opened = server.get(&format!("/questions?token={token}"));
    assert_eq!(opened.status, 200, "{}", opened.text());
    let set_cookie = opened.header("set-cookie").unwrap_or_default();
    assert!(
        set_cookie.starts_with(&format!("polltrack_token={token};")),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"));
    assert!(
        server
            .get("/questions?token=wrong")
            .header("set-cookie")
            .is_none()
    );
}
