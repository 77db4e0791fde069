//! The question page in headless Chromium: its chart is drawn (uPlot's canvas with a line per
//! answer), pointing at a poll's dot shows that poll (pollster, field dates, sample, the
//! answer's share, a link to its page), and the legend hides an answer's line.

use crate::browser::Browser;
use crate::server::Server;
use crate::*;

/// Five approval polls of three pollsters; Ipsos's (poll 3) with a field period.
fn five_polls(env: &Env) {
    for (pollster, date, extra) in [
        ("Gallup", "2024-03-01", vec![]),
        ("YouGov", "2024-03-02", vec![]),
        (
            "Ipsos",
            "2024-03-05",
            vec!["--start", "2024-03-02", "--end", "2024-03-04"],
        ),
        ("Gallup", "2024-03-04", vec![]),
        ("YouGov", "2024-03-05", vec![]),
    ] {
        let mut extra = extra;
        extra.extend(["--sample", "1000"]);
        add_approval(env, pollster, date, &extra);
    }
}

/// Opens the question page and waits for its chart.
fn open_chart(browser: &Browser, server: &Server) {
    browser.goto(&format!("http://{}/questions/us-approval", server.address));
    browser.wait_for("return document.querySelector('#chart.drawn') !== null");
    browser.execute("document.getElementById('chart').scrollIntoView(); return null;");
}

#[test]
fn the_question_page_draws_its_chart_and_shows_a_poll_on_hover() {
    let env = Env::new();
    five_polls(&env);
    let Some(browser) = Browser::start("the chart's browser test") else {
        return;
    };
    let server = Server::start(&env, &[]);
    open_chart(&browser, &server);

    let canvases =
        browser.execute("return document.querySelectorAll('#chart .uplot canvas').length");
    assert_eq!(canvases, 1, "uPlot's canvas");
    let series = browser.execute(
        "return window.polltrackChart.plot.series.filter(s => s.stroke && !s.label.endsWith(' low') && !s.label.endsWith(' high')).map(s => s.label)",
    );
    assert_eq!(series, serde_json::json!(["Approve", "Disapprove"]));

    // Pointing at the Ipsos poll's Approve dot shows it, with a link to its page.
    let at = browser.execute("return window.polltrackChart.dotAt(3, 'Approve')");
    browser.move_to(at["x"].as_f64().unwrap(), at["y"].as_f64().unwrap());
    let tip = browser.wait_for(
        "var t = document.querySelector('.chart-tip'); \
         return t && !t.hidden ? [t.innerText, t.querySelector('a').getAttribute('href')] : null",
    );
    let text = tip[0].as_str().unwrap();
    for shown in [
        "Ipsos",
        "Field: 2024-03-02 to 2024-03-04",
        "Sample: 1000",
        "Approve: 41%",
        "Poll 3",
    ] {
        assert!(text.contains(shown), "{shown}: {text}");
    }
    assert_eq!(tip[1], "/polls/3");

    // Pointing at the line shows the day's estimates and bands.
    let readout = browser.execute("return document.querySelector('.chart-readout').textContent");
    assert!(
        readout.as_str().unwrap().contains("Approve 41.0"),
        "{readout}"
    );
}

#[test]
fn the_legend_hides_an_answers_line() {
    let env = Env::new();
    five_polls(&env);
    let Some(browser) = Browser::start("the legend's browser test") else {
        return;
    };
    let server = Server::start(&env, &[]);
    open_chart(&browser, &server);
    // The canvas pixel in the middle of Disapprove's line, on the third day.
    let pixel = "var u = window.polltrackChart.plot; \
        var x = Math.round(u.valToPos(u.data[0][2], 'x', true)); \
        var y = Math.round(u.valToPos(u.data[4][2], 'y', true)); \
        return Array.from(u.ctx.getImageData(x, y, 1, 1).data);";
    let before = browser.execute(pixel);
    assert!(
        before[3].as_u64().unwrap() > 200,
        "the line is drawn: {before}"
    );

    browser.click("button.chart-answer[data-answer='Disapprove']");
    let after = browser
        .wait_for("return window.polltrackChart.plot.series[4].show === false ? true : null");
    assert_eq!(after, true);
    let state = browser.execute(
        "var s = window.polltrackChart.plot.series; \
         return [s[1].show, s[4].show, s[5].show, s[6].show, \
         document.querySelector(\"button[data-answer='Disapprove']\").getAttribute('aria-pressed')]",
    );
    assert_eq!(
        state,
        serde_json::json!([true, false, false, false, "false"])
    );
    let hidden = browser.execute(pixel);
    assert!(
        hidden[3].as_u64().unwrap() < 60,
        "the line is gone: {hidden}"
    );

    // And back.
    browser.click("button.chart-answer[data-answer='Disapprove']");
    browser.wait_for("return window.polltrackChart.plot.series[4].show === true");
    let again = browser.execute(pixel);
    assert!(
        again[3].as_u64().unwrap() > 200,
        "the line is back: {again}"
    );
}
