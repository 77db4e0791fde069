//! `polltrack serve`'s forms over HTTP, as a browser without JavaScript submits them:
//! recording a poll from an article, editing and deleting it, importing a file; each seen
//! afterwards by the command line, a refused one storing nothing.

use crate::server::{Answer, Server};
use crate::web_writes::{TWO_POLLS, unchanged};
use crate::*;
use serde_json::json;

/// A form submitted as a browser on this machine sends it.
fn submit(server: &Server, path: &str, fields: &[(&str, &str)]) -> Answer {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let origin = format!("http://{}", server.address);
    server.request(
        "POST",
        path,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", &origin),
            ("Sec-Fetch-Site", "same-origin"),
        ],
        body.as_bytes(),
    )
}

/// The fields of the form for a poll of adults and registered voters, typed as an article
/// writes them.
fn typed_poll() -> Vec<(&'static str, &'static str)> {
    vec![
        ("pollster", "Example Polling"),
        ("sponsors", "Example Times\nExample TV"),
        ("start", "May 10, 2024"),
        ("end", "14.05.2024"),
        ("published", ""),
        ("mode", "online"),
        ("region", ""),
        ("kind", "approval"),
        ("question", "us-approval"),
        (
            "wording",
            "Do you approve of the way the president is handling the job?",
        ),
        ("population_0", "a"),
        ("sample_0", "1,500"),
        ("moe_0", "2.5%"),
        ("population_1", "rv"),
        ("sample_1", "1210"),
        ("moe_1", ""),
        ("population_2", ""),
        ("sample_2", ""),
        ("moe_2", ""),
        ("label_0", "Approve"),
        ("pct_0_0", "41%"),
        ("pct_1_0", "42"),
        ("pct_2_0", ""),
        ("label_1", "Disapprove"),
        ("pct_0_1", "52"),
        ("pct_1_1", "53%"),
        ("pct_2_1", ""),
        ("label_2", ""),
        ("pct_0_2", ""),
        ("pct_1_2", ""),
        ("pct_2_2", ""),
        ("source_url", "https://example.org/may-poll"),
        ("source_title", "Approval steady"),
        ("outlet", "Example Times"),
        ("source_date", "2024-05-15"),
        ("notes", ""),
        ("partisan", "on"),
    ]
}

#[test]
fn a_poll_recorded_through_the_form_is_stored_and_redirected_to() {
    let env = Env::new();
    env.ok(&["init"]);
    let server = Server::start(&env, &[]);
    let form = server.get("/polls/new");
    assert_eq!(form.status, 200);
    let html = form.text();
    for id in [
        "pollster",
        "start",
        "population_0",
        "label_7",
        "pct_2_7",
        "source_url",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    let answer = submit(&server, "/polls/new", &typed_poll());
    assert_eq!(answer.status, 303, "{}", answer.text());
    assert_eq!(answer.header("location"), Some("/polls/1"));
    let listed = env.ok(&["list"]);
    assert!(listed.contains("Example Polling"), "{listed}");
    let shown = env.json(&["show", "1", "--json"]);
    assert_eq!(shown["field_start"], "2024-05-10");
    assert_eq!(shown["field_end"], "2024-05-14");
    assert_eq!(shown["sponsors"], json!(["Example Times", "Example TV"]));
    assert_eq!(shown["partisan"], true);
    assert_eq!(shown["results"][0]["sample_size"], 1500.0);
    assert_eq!(shown["results"][0]["margin_of_error"], 2.5);
    assert_eq!(shown["results"][0]["answers"][0]["pct"], 41.0);
    assert_eq!(shown["results"][1]["population"], "rv");
    assert_eq!(shown["results"][1]["answers"][1]["pct"], 53.0);
    assert_eq!(shown["sources"][0]["title"], "Approval steady");
    let question = env.json(&["question", "show", "us-approval", "--json"]);
    assert_eq!(question["kind"], "approval", "{question}");
}

#[test]
fn a_form_with_a_bad_percentage_comes_back_with_the_problem_beside_it_and_stores_nothing() {
    let env = Env::new();
    env.ok(&["init"]);
    let before = env.snapshot();
    let server = Server::start(&env, &[]);
    let mut fields = typed_poll();
    for field in fields.iter_mut() {
        match field.0 {
            "pct_1_0" => field.1 = "140",
            "start" => field.1 = "05/06/2024",
            _ => {}
        }
    }
    let answer = submit(&server, "/polls/new", &fields);
    assert_eq!(answer.status, 422, "{}", answer.text());
    let html = answer.text();
    let beside = |id: &str| {
        let at = html
            .find(&format!("id=\"{id}-problems\""))
            .unwrap_or_else(|| panic!("no problem beside {id}: {html}"));
        html[at..].split("</div>").next().unwrap().to_string()
    };
    assert!(beside("pct_1_0").contains("percentage 140"), "{html}");
    assert!(beside("start").contains("ambiguous"), "{html}");
    assert!(html.contains("Nothing was stored"), "{html}");
    // What was typed is kept.
    assert!(html.contains("value=\"140\""), "{html}");
    assert!(html.contains("value=\"Example Polling\""), "{html}");
    assert!(html.contains("value=\"1,500\""), "{html}");
    drop(server);
    unchanged(&env, &before, "refused");
}

#[test]
fn a_poll_is_edited_and_deleted_through_its_forms() {
    let env = Env::new();
    add_approval(&env, "Gallup", "2024-03-01", &["--sample", "1000"]);
    let server = Server::start(&env, &[]);
    let form = server.get("/polls/1/edit");
    assert_eq!(form.status, 200, "{}", form.text());
    let html = form.text();
    assert!(html.contains("value=\"Gallup\""), "{html}");
    assert!(html.contains("value=\"1000\""), "{html}");
    let updated_at = env.json(&["show", "1", "--json"])["updated_at"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(html.contains(&format!("value=\"{updated_at}\"")), "{html}");
    let fields = [
        ("pollster", "Gallup"),
        ("published", "2024-03-01"),
        ("question", "us-approval"),
        ("updated_at", updated_at.as_str()),
        ("population_0", "a"),
        ("sample_0", "1000"),
        ("label_0", "Approve"),
        ("pct_0_0", "44"),
        ("label_1", "Disapprove"),
        ("pct_0_1", "50"),
        ("reason", "the release was corrected"),
    ];
    let answer = submit(&server, "/polls/1/edit?question=us-approval", &fields);
    assert_eq!(answer.status, 303, "{}", answer.text());
    assert_eq!(answer.header("location"), Some("/polls/1"));
    let shown = env.json(&["show", "1", "--json"]);
    assert_eq!(shown["results"][0]["answers"][0]["pct"], 44.0);
    let history = env.json(&["history", "1", "--json"]);
    assert_eq!(history[0]["reason"], "the release was corrected");

    let confirm = server.get("/polls/1/delete");
    assert_eq!(confirm.status, 200);
    assert!(
        confirm.text().contains("Delete poll 1?"),
        "{}",
        confirm.text()
    );
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 1);
    let answer = submit(&server, "/polls/1/delete", &[("reason", "not a poll")]);
    assert_eq!(answer.status, 303, "{}", answer.text());
    assert_eq!(answer.header("location"), Some("/polls/1/deleted"));
    assert!(env.json(&["list", "--json"]).as_array().unwrap().is_empty());
    let done = server.get("/polls/1/deleted");
    assert_eq!(done.status, 200);
    assert!(done.text().contains("(not a poll)"), "{}", done.text());
    assert_eq!(server.get("/polls/1/edit").status, 404);
}

/// A `multipart/form-data` body of a file and fields, as a browser sends the import form.
fn multipart(file: &str, fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----polltrackboundary";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"polls.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    ));
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}

#[test]
fn the_import_form_takes_a_file_and_shows_the_report() {
    let env = Env::new();
    env.ok(&["init"]);
    let before = env.snapshot();
    let post = |fields: &[(&str, &str)], file: &str| {
        let server = Server::start(&env, &[]);
        assert_eq!(server.get("/import").status, 200);
        let origin = format!("http://{}", server.address);
        let (content_type, body) = multipart(file, fields);
        server.request(
            "POST",
            "/import",
            &[("Content-Type", &content_type), ("Origin", &origin)],
            &body,
        )
    };
    let dry = post(&[("dry_run", "on"), ("on_conflict", "refuse")], TWO_POLLS);
    assert_eq!(dry.status, 200, "{}", dry.text());
    assert!(dry.text().contains("would add 2 polls"), "{}", dry.text());
    unchanged(&env, &before, "refused");
    let bad = post(&[], &TWO_POLLS.replace("Approve,40", "Approve,140"));
    assert_eq!(bad.status, 422, "{}", bad.text());
    let html = bad.text();
    assert!(
        html.contains("Nothing was imported: 1 poll has problems"),
        "{html}"
    );
    assert!(html.contains("<td class=\"number\">4</td>"), "{html}");
    unchanged(&env, &before, "refused");
    let stored = post(&[("reason", "")], TWO_POLLS);
    assert_eq!(stored.status, 200, "{}", stored.text());
    assert!(stored.text().contains("added 2 polls"), "{}", stored.text());
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 2);
}

#[test]
fn a_name_close_to_a_stored_one_is_refused_beside_it_until_confirmed_as_new() {
    let env = Env::new();
    add_approval(&env, "Gallup", "2024-03-01", &[]);
    let before = env.snapshot();
    let server = Server::start(&env, &[]);
    let mut fields = vec![
        ("pollster", "Galup"),
        ("published", "2024-03-08"),
        ("question", "us-approval"),
        ("label_0", "Aprove"),
        ("pct_0_0", "44"),
    ];
    let answer = submit(&server, "/polls/new", &fields);
    assert_eq!(answer.status, 422, "{}", answer.text());
    let html = answer.text();
    let beside = |id: &str| {
        let at = html
            .find(&format!("id=\"{id}-problems\""))
            .unwrap_or_else(|| panic!("no problem beside {id}: {html}"));
        html[at..].split("</div>").next().unwrap().to_string()
    };
    assert!(
        beside("pollster").contains("did you mean Gallup?"),
        "{html}"
    );
    assert!(
        beside("label_0").contains("did you mean Approve?"),
        "{html}"
    );
    assert!(html.contains("if a name is new on purpose"), "{html}");
    drop(server);
    unchanged(&env, &before, "refused");

    let server = Server::start(&env, &[]);
    fields.extend([("new_pollster", "on"), ("new_answer", "on")]);
    let answer = submit(&server, "/polls/new", &fields);
    assert_eq!(answer.status, 303, "{}", answer.text());
    let shown = env.json(&["show", "2", "--json"]);
    assert_eq!(shown["pollster"], "Galup");
    assert_eq!(shown["results"][0]["answers"][0]["label"], "Aprove");
}
