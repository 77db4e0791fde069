//! `polltrack serve`'s writes over HTTP: the JSON API's (add, edit, delete, import) and the
//! forms', each seen afterwards by the command line; refusals with their status, storing
//! nothing.

use crate::server::{Answer, Server};
use crate::*;
use serde_json::json;

/// A JSON request.
fn send(server: &Server, method: &str, path: &str, body: &serde_json::Value) -> Answer {
    let body = serde_json::to_vec(body).unwrap();
    server.request(method, path, &[("Content-Type", "application/json")], &body)
}

/// A poll of two populations as `show --json` prints one, without what the store gives.
fn approval_poll() -> serde_json::Value {
    json!({
        "pollster": "Example Polling",
        "sponsors": ["Example Times"],
        "field_start": "2024-03-01",
        "field_end": "2024-03-04",
        "mode": "online",
        "results": [
            {"question": "us-approval", "wording": "Presidential job approval",
             "population": "a", "sample_size": 1500.0, "margin_of_error": 2.5,
             "answers": [{"label": "Approve", "pct": 41.0}, {"label": "Disapprove", "pct": 52.0}]},
            {"question": "us-approval", "population": "rv", "sample_size": 1210.0,
             "answers": [{"label": "Approve", "pct": 42.0}, {"label": "Disapprove", "pct": 53.0}]}
        ],
        "sources": [{"url": "https://example.org/poll", "title": "The poll", "outlet": "Example Times"}]
    })
}

/// Asserts the database is as `before` (see [`Env::snapshot`]), saying which file differs and
/// where when it is not.
pub fn unchanged(env: &Env, before: &[(String, Vec<u8>)], what: &str) {
    let after = env.snapshot();
    if after.as_slice() == before {
        return;
    }
    let sizes = |files: &[(String, Vec<u8>)]| -> Vec<(String, usize)> {
        files.iter().map(|(n, b)| (n.clone(), b.len())).collect()
    };
    let first_difference = before.iter().zip(&after).find_map(|((name, a), (_, b))| {
        a.iter()
            .zip(b)
            .position(|(x, y)| x != y)
            .map(|at| format!("{name} at byte {at}"))
    });
    panic!(
        "{what}: the database changed: {:?} -> {:?}, first difference: {first_difference:?}",
        sizes(before),
        sizes(&after)
    );
}

fn problems(answer: &Answer) -> Vec<String> {
    answer.json()["error"]["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("problems: {}", answer.text()))
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_poll_posted_is_stored_and_answered_as_show_json() {
    let env = Env::new();
    env.ok(&["init"]);
    let server = Server::start(&env, &[]);
    let answer = send(&server, "POST", "/api/polls", &approval_poll());
    assert_eq!(answer.status, 201, "{}", answer.text());
    assert_eq!(answer.header("location"), Some("/api/polls/1"));
    assert_eq!(answer.json(), env.json(&["show", "1", "--json"]));
    let listed = env.json(&["list", "--json"]);
    assert_eq!(listed[0]["pollster"], "Example Polling");
    let results = listed[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[1]["population"], "rv");
    assert_eq!(results[1]["answers"][1]["pct"], 53.0);
    assert_eq!(listed[0]["sources"][0]["url"], "https://example.org/poll");
    assert_eq!(server.get("/api/polls/1").json(), answer.json());
}

#[test]
fn a_poll_that_breaks_rules_is_refused_with_every_problem_and_nothing_stored() {
    let env = Env::new();
    env.ok(GSOMIA);
    let before = env.snapshot();
    let server = Server::start(&env, &[]);
    let mut poll = approval_poll();
    poll["results"][0]["answers"][0]["pct"] = json!(140.0);
    poll["field_start"] = json!("2024-03-09");
    let answer = send(&server, "POST", "/api/polls", &poll);
    assert_eq!(answer.status, 422, "{}", answer.text());
    assert_eq!(answer.json()["error"]["kind"], "invalid");
    let said = problems(&answer);
    assert!(
        said.iter()
            .any(|p| p.starts_with("results[0].answers[0].pct: percentage 140")),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|p| p.starts_with("field_start: field start 2024-03-09 is after")),
        "{said:?}"
    );
    // A misspelt field is named, not ignored.
    let mut misspelt = approval_poll();
    misspelt["feild_end"] = json!("2024-03-05");
    misspelt["results"][0]["answers"][0]["pcent"] = json!(3);
    let answer = send(&server, "POST", "/api/polls", &misspelt);
    assert_eq!(answer.status, 422, "{}", answer.text());
    let said = problems(&answer);
    assert!(said[0].starts_with("feild_end: no such field"), "{said:?}");
    assert!(
        said[1].starts_with("results[0].answers[0].pcent: no such field"),
        "{said:?}"
    );
    let answer = server.request("POST", "/api/polls", &[], b"pollster=x");
    assert_eq!(answer.status, 422, "{}", answer.text());
    drop(server);
    unchanged(&env, &before, "refused");
}

#[test]
fn the_same_poll_twice_is_a_conflict_naming_the_stored_one_unless_allowed() {
    let env = Env::new();
    env.ok(&["init"]);
    let server = Server::start(&env, &[]);
    assert_eq!(
        send(&server, "POST", "/api/polls", &approval_poll()).status,
        201
    );
    let answer = send(&server, "POST", "/api/polls", &approval_poll());
    assert_eq!(answer.status, 409, "{}", answer.text());
    assert_eq!(answer.json()["error"]["stored_poll"], 1);
    let mut allowed = approval_poll();
    allowed["allow_duplicate"] = json!(true);
    let answer = send(&server, "POST", "/api/polls", &allowed);
    assert_eq!(answer.status, 201, "{}", answer.text());
    assert_eq!(answer.json()["id"], 2);
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 2);
}

#[test]
fn an_edit_changes_the_poll_with_its_reason_and_one_read_before_a_change_is_refused() {
    let env = Env::new();
    add_approval(&env, "Gallup", "2024-03-01", &[]);
    let server = Server::start(&env, &[]);
    let read = server.get("/api/polls/1").json();
    let edit = json!({
        "updated_at": read["updated_at"],
        "answers": [{"label": "Approve", "pct": 43.0}],
        "sample": 1004.0,
        "end": "March 2, 2024",
        "reason": "pollster corrected its release",
    });
    let answer = send(&server, "PATCH", "/api/polls/1", &edit);
    assert_eq!(answer.status, 200, "{}", answer.text());
    let shown = env.json(&["show", "1", "--json"]);
    assert_eq!(answer.json(), shown);
    assert_eq!(shown["results"][0]["answers"][0]["pct"], 43.0);
    assert_eq!(shown["results"][0]["sample_size"], 1004.0);
    assert_eq!(shown["field_end"], "2024-03-02");
    let history = env.json(&["history", "1", "--json"]);
    let reasons: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reason"].as_str().unwrap_or_default())
        .collect();
    assert!(!reasons.is_empty());
    assert!(
        reasons
            .iter()
            .all(|r| *r == "pollster corrected its release"),
        "{history}"
    );

    // Changed since it was read (a second later: updated_at has whole seconds).
    let read = server.get("/api/polls/1").json();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    env.ok(&["edit", "1", "--notes", "by phone"]);
    let before = env.snapshot();
    let stale =
        json!({"updated_at": read["updated_at"], "answers": [{"label": "Approve", "pct": 44}]});
    let answer = send(&server, "PATCH", "/api/polls/1", &stale);
    assert_eq!(answer.status, 409, "{}", answer.text());
    assert!(
        answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("was changed since it was read"),
        "{}",
        answer.text()
    );
    let answer = send(&server, "PATCH", "/api/polls/1", &json!({"answers": []}));
    assert_eq!(answer.status, 422, "{}", answer.text());
    assert!(answer.text().contains("updated_at"), "{}", answer.text());
    let answer = send(
        &server,
        "PATCH",
        "/api/polls/1",
        &json!({"updated_at": "x", "smaple": 3}),
    );
    assert_eq!(answer.status, 422, "{}", answer.text());
    assert!(answer.text().contains("smaple"), "{}", answer.text());
    let answer = send(&server, "PATCH", "/api/polls/7", &stale);
    assert_eq!(answer.status, 404, "{}", answer.text());
    unchanged(&env, &before, "refused");
}

#[test]
fn a_delete_answers_the_poll_as_it_was_and_keeps_it_in_the_history() {
    let env = Env::new();
    add_approval(&env, "Gallup", "2024-03-01", &[]);
    add_approval(&env, "Ipsos", "2024-03-02", &[]);
    let server = Server::start(&env, &[]);
    let shown = env.json(&["show", "1", "--json"]);
    let answer = server.request("DELETE", "/api/polls/1?reason=a%20test%20poll", &[], b"");
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json(), shown);
    let listed = env.json(&["list", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], 2);
    let history = env.json(&["history", "1", "--json"]);
    assert_eq!(history[0]["action"], "delete");
    assert_eq!(history[0]["reason"], "a test poll");
    let again = server.request("DELETE", "/api/polls/1", &[], b"");
    assert_eq!(again.status, 404, "{}", again.text());
    assert_eq!(again.json()["error"]["kind"], "not_found");
}

/// Two polls in the long format, one of two answers.
pub const TWO_POLLS: &str = "pollster,field_end,question,question_wording,population,answer,pct\n\
    Gallup,2024-03-01,us-approval,Presidential job approval,a,Approve,41\n\
    Gallup,2024-03-01,us-approval,Presidential job approval,a,Disapprove,52\n\
    Ipsos,2024-03-02,us-approval,Presidential job approval,a,Approve,40\n";

/// Imports `csv` through `POST /api/import?QUERY` on a server started for it, and stops it
/// (so that the database is as the server left it).
fn import(env: &Env, query: &str, csv: &str) -> Answer {
    let server = Server::start(env, &[]);
    let path = format!("/api/import{query}");
    server.request(
        "POST",
        &path,
        &[("Content-Type", "text/csv")],
        csv.as_bytes(),
    )
}

#[test]
fn an_import_reports_as_the_command_and_stores_all_or_nothing() {
    let env = Env::new();
    env.ok(&["init"]);
    let before = env.snapshot();
    let dry = import(&env, "?dry_run", TWO_POLLS);
    assert_eq!(dry.status, 200, "{}", dry.text());
    let report = dry.json();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["stored"], false);
    assert_eq!(report["counts"]["added"], 2);
    assert_eq!(report["counts"]["answers"], 3);
    assert!(
        report["message"]
            .as_str()
            .unwrap()
            .starts_with("would add 2 polls")
    );
    unchanged(&env, &before, "a dry run stores nothing");

    let bad = TWO_POLLS.replace("Approve,40", "Approve,140");
    let refused = import(&env, "", &bad);
    assert_eq!(refused.status, 422, "{}", refused.text());
    let report = refused.json();
    assert_eq!(report["refusal"], "invalid");
    assert_eq!(report["stored"], false);
    assert_eq!(report["counts"]["rejected"], 1);
    assert_eq!(report["problems"][0]["line"], 4, "{report}");
    assert!(
        report["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("140"),
        "{report}"
    );
    unchanged(&env, &before, "a refused import stores nothing");

    let unknown = import(&env, "?dryrun", TWO_POLLS);
    assert_eq!(unknown.status, 400, "{}", unknown.text());

    let stored = import(&env, "", TWO_POLLS);
    assert_eq!(stored.status, 200, "{}", stored.text());
    assert_eq!(stored.json()["stored"], true);
    let listed = env.json(&["list", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(listed[1]["pollster"], "Ipsos");

    // Again with other numbers: a conflict, refused unless replaced.
    let changed = TWO_POLLS.replace("Approve,40", "Approve,39");
    let conflict = import(&env, "", &changed);
    assert_eq!(conflict.status, 409, "{}", conflict.text());
    assert_eq!(conflict.json()["refusal"], "conflicts");
    let replaced = import(&env, "?on_conflict=replace&reason=corrected", &changed);
    assert_eq!(replaced.status, 200, "{}", replaced.text());
    assert_eq!(replaced.json()["counts"]["replaced"], 1);
    let history = env.json(&["history", "2", "--json"]);
    assert_eq!(history[0]["reason"], "corrected", "{history}");
}

#[test]
fn a_read_only_server_serves_no_write_and_no_form() {
    let env = Env::new();
    add_approval(&env, "Gallup", "2024-03-01", &[]);
    let before = env.snapshot();
    let server = Server::start(&env, &["--read-only"]);
    for (method, path) in [
        ("POST", "/api/polls"),
        ("PATCH", "/api/polls/1"),
        ("DELETE", "/api/polls/1"),
        ("POST", "/api/import"),
        ("POST", "/polls/new"),
        ("POST", "/import"),
    ] {
        let answer = server.request(method, path, &[], b"{}");
        assert_eq!(answer.status, 405, "{method} {path}: {}", answer.text());
    }
    assert_eq!(server.get("/polls/new").status, 404);
    assert_eq!(server.get("/import").status, 404);
    let page = server.get("/questions").text();
    assert!(!page.contains("Record a poll"), "{page}");
    let poll = server.get("/polls/1").text();
    assert!(
        !poll.contains("/polls/1/edit") && !poll.contains("/polls/1/delete"),
        "{poll}"
    );
    drop(server);
    unchanged(&env, &before, "refused");
    let server = Server::start(&env, &[]);
    let page = server.get("/questions").text();
    assert!(page.contains("href=\"/polls/new\""), "{page}");
    assert!(page.contains("href=\"/import\""), "{page}");
}

#[test]
fn writes_from_another_site_are_refused_by_api_and_form_alike() {
    let env = Env::new();
    env.ok(&["init"]);
    let before = env.snapshot();
    let server = Server::start(&env, &[]);
    let body = serde_json::to_vec(&approval_poll()).unwrap();
    for path in ["/api/polls", "/polls/new"] {
        let answer = server.request(
            "POST",
            path,
            &[("Origin", "http://attacker.example")],
            &body,
        );
        assert_eq!(answer.status, 403, "{path}: {}", answer.text());
    }
    drop(server);
    unchanged(&env, &before, "refused");
}

/// A validator of the schema at `pointer` in the OpenAPI document, its references resolved
/// against the document's components.
fn schema_at(document: &serde_json::Value, pointer: &str) -> jsonschema::Validator {
    let mut schema = document
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the document"))
        .clone();
    schema["components"] = document["components"].clone();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{pointer}: {e}"))
}

#[test]
fn the_openapi_document_describes_the_writes_and_they_match_it() {
    let env = Env::new();
    env.ok(&["init"]);
    let server = Server::start(&env, &[]);
    let document = server.get("/api/openapi.json").json();
    for (path, method) in [
        ("/api/polls", "post"),
        ("/api/polls/{id}", "patch"),
        ("/api/polls/{id}", "delete"),
        ("/api/import", "post"),
    ] {
        assert!(
            document["paths"][path].get(method).is_some(),
            "{method} {path} is not documented"
        );
    }
    let request = schema_at(
        &document,
        "/paths/~1api~1polls/post/requestBody/content/application~1json/schema",
    );
    let mut poll = approval_poll();
    poll["allow_duplicate"] = json!(false);
    poll["partisan"] = json!(false);
    poll["tracking"] = json!(false);
    assert!(request.is_valid(&poll), "the request body is as documented");
    poll["results"][0]["answers"][0]["pct"] = json!("41%");
    assert!(!request.is_valid(&poll), "the schema checks types");
    poll["results"][0]["answers"][0]["pct"] = json!(41.0);
    let added = send(&server, "POST", "/api/polls", &poll);
    assert_eq!(added.status, 201);
    let created = schema_at(
        &document,
        "/paths/~1api~1polls/post/responses/201/content/application~1json/schema",
    );
    assert!(created.is_valid(&added.json()), "{}", added.text());
    let refused = send(&server, "POST", "/api/polls", &json!({"pollster": ""}));
    let error = schema_at(
        &document,
        "/paths/~1api~1polls/post/responses/422/content/application~1json/schema",
    );
    assert!(error.is_valid(&refused.json()), "{}", refused.text());
    let report = schema_at(
        &document,
        "/paths/~1api~1import/post/responses/422/content/application~1json/schema",
    );
    let bad = TWO_POLLS.replace("Approve,40", "Approve,140");
    let imported = server.request("POST", "/api/import?dry_run", &[], bad.as_bytes());
    assert_eq!(imported.status, 422);
    let errors: Vec<String> = report
        .iter_errors(&imported.json())
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
