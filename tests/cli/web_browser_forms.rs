//! `polltrack serve`'s forms in headless Chromium, typed into and submitted as a journalist
//! does: a poll recorded from an article shows on its question's page and in `polltrack list`; a
//! bad percentage comes back beside its field with what was typed, storing nothing; writes from
//! a page of another site are refused; a poll is edited and deleted through its pages.

use crate::browser::Browser;
use crate::server::Server;
use crate::web_writes::unchanged;
use crate::*;
use serde_json::json;

/// Types the poll of the article into the form at /polls/new: Example Polling's approval poll
/// of 1,500 adults, 10 to 14 May 2024, Approve `approve`, Disapprove 52.
fn type_poll(browser: &Browser, server: &Server, approve: &str) {
    browser.goto(&format!("http://{}/polls/new", server.address));
    for (field, text) in [
        ("pollster", "Example Polling"),
        ("start", "May 10, 2024"),
        ("end", "2024-05-14"),
        ("question", "us-approval"),
        (
            "wording",
            "Do you approve of the way the president is handling the job?",
        ),
        ("sample_0", "1,500"),
        ("label_0", "Approve"),
        ("pct_0_0", approve),
        ("label_1", "Disapprove"),
        ("pct_0_1", "52%"),
        ("source_url", "https://example.org/may-poll"),
        ("source_title", "Approval steady in May"),
        ("outlet", "Example Times"),
    ] {
        browser.type_into(&format!("#{field}"), text);
    }
    browser.choose("#kind", "approval");
    browser.screenshot("typed-form.png");
}

/// Submits the form and waits for the page that answers it.
fn submit(browser: &Browser, button: &str) {
    browser.execute("document.documentElement.dataset.left = 'yes'; return null;");
    browser.click(button);
    browser.wait_for(
        "return document.readyState === 'complete' && !document.documentElement.dataset.left",
    );
}

/// The text of the element `selector`, or `None`.
fn text_of(browser: &Browser, selector: &str) -> Option<String> {
    let script = format!(
        "var e = document.querySelector({}); return e ? e.innerText : null;",
        json!(selector)
    );
    browser.execute(&script).as_str().map(str::to_string)
}

#[test]
fn a_poll_recorded_through_the_form_shows_on_its_question_page_and_in_list() {
    let env = Env::new();
    env.ok(&["init"]);
    let Some(browser) = Browser::start("the poll form's browser test") else {
        return;
    };
    let server = Server::start(&env, &[]);
    type_poll(&browser, &server, "41");
    submit(&browser, "#submit");

    // Its poll page.
    assert_eq!(
        browser.current_url(),
        format!("http://{}/polls/1", server.address)
    );
    let page = text_of(&browser, "main").unwrap_or_default();
    for shown in [
        "Example Polling",
        "2024-05-10",
        "2024-05-14",
        "Approval steady in May",
    ] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    let source = browser.execute(
        "return Array.from(document.querySelectorAll('a')).map(a => a.href).filter(h => h.startsWith('https://example.org'))",
    );
    assert_eq!(source, json!(["https://example.org/may-poll"]));

    browser.screenshot("recorded-poll.png");

    // Its question's page: the polls table, and the chart's data.
    browser.goto(&format!("http://{}/questions/us-approval", server.address));
    browser.wait_for("return document.querySelector('#chart.drawn') !== null");
    browser.screenshot("recorded-question.png");
    let rows = browser.execute(
        "return Array.from(document.querySelectorAll('table.polls tbody tr')).map(r => r.innerText)",
    );
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = rows[0].as_str().unwrap();
    for shown in ["1", "Example Polling", "Approve 41", "Disapprove 52"] {
        assert!(row.contains(shown), "{shown}: {row}");
    }
    let data = browser.execute(
        "var d = JSON.parse(document.getElementById('chart-data').textContent); \
         return [d.polls.id, d.pollsters, d.answers.map(a => [a.label, a.dots.pct]), d.polls.sample]",
    );
    assert_eq!(
        data,
        json!([
            [1],
            ["Example Polling"],
            [["Approve", [41]], ["Disapprove", [52]]],
            [1500]
        ])
    );

    // And the command line sees it.
    let listed = env.json(&["list", "--json"]);
    let polls = listed.as_array().expect("a list");
    assert_eq!(polls.len(), 1, "{listed}");
    assert_eq!(polls[0]["pollster"], "Example Polling", "{listed}");
    let shown = env.json(&["show", "1", "--json"]);
    assert_eq!(shown["field_start"], "2024-05-10");
    assert_eq!(shown["sources"][0]["url"], "https://example.org/may-poll");
    assert_eq!(shown["sources"][0]["outlet"], "Example Times");
}

#[test]
fn a_bad_percentage_comes_back_beside_its_field_and_nothing_is_stored() {
    let env = Env::new();
    env.ok(&["init"]);
    let before = env.snapshot();
    let Some(browser) = Browser::start("the bad percentage's browser test") else {
        return;
    };
    let server = Server::start(&env, &[]);
    type_poll(&browser, &server, "140");
    submit(&browser, "#submit");

    let problems = text_of(&browser, "#form-problems").unwrap_or_default();
    assert!(problems.contains("Nothing was stored"), "{problems}");
    // The problem is said right after the field, and drawn beside it.
    let beside = browser.execute(
        "var field = document.getElementById('pct_0_0'); \
         var next = field.nextElementSibling; \
         var a = field.getBoundingClientRect(), b = next.getBoundingClientRect(); \
         return [next.id, next.innerText, field.getAttribute('aria-invalid'), \
                 Math.abs(b.left - a.left) < 40 && b.top >= a.top && b.top - a.bottom < 40]",
    );
    assert_eq!(beside[0], "pct_0_0-problems", "{beside}");
    assert!(
        beside[1].as_str().unwrap().contains("percentage 140"),
        "{beside}"
    );
    assert_eq!(beside[2], "true");
    assert_eq!(beside[3], true, "drawn just under the field: {beside}");
    // No other field has a problem.
    let marked = browser.execute(
        "return Array.from(document.querySelectorAll('[aria-invalid=true]')).map(e => e.id)",
    );
    assert_eq!(marked, json!(["pct_0_0"]));
    // What was typed is kept.
    let kept = browser.execute(
        "return ['pollster', 'start', 'sample_0', 'pct_0_0', 'pct_0_1', 'source_url', 'kind'] \
         .map(id => document.getElementById(id).value)",
    );
    assert_eq!(
        kept,
        json!([
            "Example Polling",
            "May 10, 2024",
            "1,500",
            "140",
            "52%",
            "https://example.org/may-poll",
            "approval"
        ])
    );
    browser.execute("document.getElementById('answers').scrollIntoView(); return null;");
    browser.screenshot("bad-percentage.png");
    drop(server);
    unchanged(&env, &before, "refused");
}

#[test]
fn writes_from_a_page_of_another_site_are_refused() {
    let env = Env::new();
    add_approval(&env, "Gallup", "2024-03-01", &[]);
    let foreign_env = Env::new();
    foreign_env.ok(&["init"]);
    let before = env.snapshot();
    let Some(browser) = Browser::start("the foreign site's browser test") else {
        return;
    };
    let server = Server::start(&env, &[]);
    let foreign = Server::start(&foreign_env, &[]);
    assert_ne!(server.address, foreign.address);
    // A hostile site sets no policy keeping its requests home, as polltrack's pages do.
    browser.ignore_page_security_policy();
    browser.goto(&format!("http://{}/questions", foreign.address));

    // (a) Scripts: the API's JSON (the browser asks first, and is not answered yes) and a
    // simple form-encoded POST sent without asking (the browser sends it, the server refuses).
    let target = format!("http://{}", server.address);
    let fetched = browser.execute(&format!(
        "var to = {target}; \
         var json = fetch(to + '/api/polls', {{method: 'POST', \
             headers: {{'Content-Type': 'application/json'}}, \
             body: JSON.stringify({{pollster: 'Foreign', published: '2024-03-02', \
                 question: 'us-approval', answers: {{Approve: 50}}}})}}) \
             .then(r => 'answered ' + r.status, e => 'refused'); \
         var form = fetch(to + '/polls/new', {{method: 'POST', mode: 'no-cors', \
             headers: {{'Content-Type': 'application/x-www-form-urlencoded'}}, \
             body: 'pollster=Foreign&published=2024-03-02&question=us-approval&label_0=Approve&pct_0_0=50'}}) \
             .then(r => 'sent', e => 'refused'); \
         return Promise.all([json, form]);",
        target = json!(target)
    ));
    assert_eq!(fetched, json!(["refused", "sent"]));

    // (b) A form built on the foreign page and submitted to ours.
    let script = format!(
        "var form = document.createElement('form'); \
         form.method = 'post'; form.action = {action}; \
         [['pollster', 'Foreign'], ['published', '2024-03-02'], ['question', 'us-approval'], \
          ['label_0', 'Approve'], ['pct_0_0', '50']].forEach(function (pair) {{ \
             var input = document.createElement('input'); \
             input.type = 'hidden'; input.name = pair[0]; input.value = pair[1]; \
             form.appendChild(input); }}); \
         document.body.appendChild(form); \
         document.documentElement.dataset.left = 'yes'; \
         form.submit(); return null;",
        action = json!(format!("{target}/polls/new"))
    );
    browser.execute(&script);
    browser.wait_for(
        "return document.readyState === 'complete' && !document.documentElement.dataset.left",
    );
    assert_eq!(browser.current_url(), format!("{target}/polls/new"));
    let answer = browser.execute("return document.body.innerText");
    let answer = answer.as_str().unwrap_or_default();
    assert!(
        answer.contains("writes from another site are refused (Sec-Fetch-Site: same-site)"),
        "{answer}"
    );
    let status =
        browser.execute("return performance.getEntriesByType('navigation')[0].responseStatus");
    assert_eq!(status, 403);
    browser.screenshot("foreign-form.png");

    let listed = env.json(&["list", "--json"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    drop(server);
    drop(foreign);
    unchanged(&env, &before, "refused");
}

#[test]
fn a_poll_is_edited_and_deleted_through_its_pages() {
    let env = Env::new();
    add_approval(&env, "Gallup", "2024-03-01", &["--sample", "1000"]);
    let Some(browser) = Browser::start("the edit form's browser test") else {
        return;
    };
    let server = Server::start(&env, &[]);
    browser.goto(&format!("http://{}/polls/1/edit", server.address));
    let kept = browser.execute(
        "return ['pollster', 'sample_0', 'label_0', 'pct_0_0'].map(id => document.getElementById(id).value)",
    );
    assert_eq!(kept, json!(["Gallup", "1000", "Approve", "41"]));
    browser.type_into("#pct_0_0", "44");
    browser.type_into("#sample_0", "1,020");
    browser.type_into("#reason", "the release was corrected");
    browser.screenshot("edit.png");
    submit(&browser, "#submit");
    assert_eq!(
        browser.current_url(),
        format!("http://{}/polls/1", server.address)
    );
    let shown = env.json(&["show", "1", "--json"]);
    assert_eq!(shown["results"][0]["answers"][0]["pct"], 44.0, "{shown}");
    assert_eq!(shown["results"][0]["sample_size"], 1020.0, "{shown}");
    let history = env.json(&["history", "1", "--json"]);
    assert_eq!(history[0]["reason"], "the release was corrected");

    // Delete: from the edit page's link to its confirmation, then confirmed.
    browser.goto(&format!("http://{}/polls/1/edit", server.address));
    submit(&browser, "#delete-link");
    assert_eq!(text_of(&browser, "h1").as_deref(), Some("Delete poll 1?"));
    let listed = env.json(&["list", "--json"]);
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(1),
        "still there: {listed}"
    );
    browser.type_into("#reason", "not a poll");
    submit(&browser, "#confirm-delete");
    assert_eq!(
        browser.current_url(),
        format!("http://{}/polls/1/deleted", server.address)
    );
    let page = text_of(&browser, "main").unwrap_or_default();
    assert!(page.contains("(not a poll)"), "{page}");
    assert_eq!(env.json(&["list", "--json"]), json!([]));
}
