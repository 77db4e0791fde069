//! Headless Chromium for the browser tests, driven through `chromedriver` with the `fantoccini`
//! WebDriver client (a runtime of its own, so that tests stay plain `#[test]` functions). Without
//! `chromium` or `chromedriver` a test says so and skips. Each browser is stopped when dropped:
//! its session closed, its driver killed, its profile removed.

use axum::http::Method;
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tokio::runtime::Runtime;

/// Chromium's flags for tests: headless, no sandbox (tests may run as root in containers), no
/// GPU, nothing fetched from the network, a profile of its own.
pub fn chromium_flags(profile: &std::path::Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,1000",
    ]
    .iter()
    .map(|flag| flag.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

/// Where `program` is on the PATH, if it is.
fn find(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
    })
}

/// A browser session, closed (and its driver killed) when dropped.
pub struct Browser {
    runtime: Runtime,
    client: Option<Client>,
    driver: Child,
    _profile: TempDir,
}

impl Browser {
    /// Starts `chromedriver` on a free port and a headless Chromium session; `None`, saying
    /// why, when either program is missing.
    pub fn start(test: &str) -> Option<Browser> {
        let (Some(chromium), Some(chromedriver)) = (find("chromium"), find("chromedriver")) else {
            eprintln!(
                "skipped {test}: it needs chromium and chromedriver (Debian's chromium and chromium-driver packages)"
            );
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(chromedriver)
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let mut browser = Browser {
            runtime,
            client: None,
            driver,
            _profile: TempDir::new().expect("a profile folder"),
        };
        // The driver listens a moment after it starts.
        let waited = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                waited.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": chromium_flags(browser._profile.path()),
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("an object")
        };
        // chromedriver is on loopback: plain HTTP, no TLS.
        let client = browser.runtime.block_on(
            ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities)
                .connect(&format!("http://127.0.0.1:{port}")),
        );
        browser.client = Some(client.unwrap_or_else(|e| panic!("no session: {e}")));
        Some(browser)
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("a session")
    }

    /// Opens `url` and waits for it to load.
    pub fn goto(&self, url: &str) {
        let done = self.runtime.block_on(self.client().goto(url));
        done.unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// The address of the page shown.
    pub fn current_url(&self) -> String {
        let url = self.runtime.block_on(self.client().current_url());
        url.expect("the current address").to_string()
    }

    /// Runs `script` (a function body: `return` gives its value) in the page.
    pub fn execute(&self, script: &str) -> Value {
        self.try_execute(script)
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    fn try_execute(&self, script: &str) -> Result<Value, fantoccini::error::CmdError> {
        self.runtime.block_on(self.client().execute(script, vec![]))
    }

    /// Runs `script` until it gives something other than null or false, for at most 10 s. A
    /// script failing is waited out too: a page being left for the next has no document to
    /// run it in for a moment.
    pub fn wait_for(&self, script: &str) -> Value {
        let waited = Instant::now();
        loop {
            let last = match self.try_execute(script) {
                Ok(value) if !value.is_null() && value != Value::Bool(false) => return value,
                Ok(value) => value.to_string(),
                Err(e) => e.to_string(),
            };
            assert!(
                waited.elapsed() < Duration::from_secs(10),
                "waited 10 s for: {script} (last: {last})"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Moves the mouse to a point of the window (CSS pixels from its top left).
    pub fn move_to(&self, x: f64, y: f64) {
        let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
            duration: Some(Duration::ZERO),
            x: x.round(),
            y: y.round(),
        });
        let done = self.runtime.block_on(self.client().perform_actions(mouse));
        done.expect("the mouse moves");
    }

    /// Clicks the first element matching the CSS `selector`.
    pub fn click(&self, selector: &str) {
        self.runtime
            .block_on(async {
                self.client()
                    .find(Locator::Css(selector))
                    .await?
                    .click()
                    .await
            })
            .unwrap_or_else(|e| panic!("click {selector}: {e}"));
    }

    /// Types `text` into the field matching the CSS `selector`, replacing what it held.
    pub fn type_into(&self, selector: &str, text: &str) {
        self.runtime
            .block_on(async {
                let field = self.client().find(Locator::Css(selector)).await?;
                field.clear().await?;
                field.send_keys(text).await
            })
            .unwrap_or_else(|e| panic!("type into {selector}: {e}"));
    }

    /// Chooses the option of value `value` in the list matching the CSS `selector`.
    pub fn choose(&self, selector: &str, value: &str) {
        self.runtime
            .block_on(async {
                let list = self.client().find(Locator::Css(selector)).await?;
                list.select_by_value(value).await
            })
            .unwrap_or_else(|e| panic!("choose {value} in {selector}: {e}"));
    }

    /// Lets the pages opened next ignore their Content Security Policy (Chromium's DevTools
    /// `Page.setBypassCSP`): a page of another polltrack server can then stand for a foreign
    /// site, which sets no policy of its own stopping its scripts and forms from reaching ours.
    pub fn ignore_page_security_policy(&self) {
        let command = DevTools {
            method: "Page.setBypassCSP",
            params: json!({"enabled": true}),
        };
        let done = self.runtime.block_on(self.client().issue_cmd(command));
        done.expect("the policy set aside");
    }

    /// Keeps what the browser shows as `name` (a PNG) in the folder
    /// `POLLTRACK_TEST_SCREENSHOTS` names, when it names one: to look at a page as a test saw it.
    pub fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("POLLTRACK_TEST_SCREENSHOTS") else {
            return;
        };
        let png = self.runtime.block_on(self.client().screenshot());
        let path = std::path::Path::new(&dir).join(name);
        std::fs::write(path, png.expect("a screenshot")).expect("the screenshot saved");
    }
}

/// A Chromium DevTools command, sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct DevTools {
    method: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.expect("a session");
        base_url.join(&format!("session/{session}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _: &url::Url) -> (Method, Option<String>) {
        let body = json!({"cmd": self.method, "params": self.params});
        (Method::POST, Some(body.to_string()))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            // Closing the session ends Chromium; a failure here must not hide the test's own.
            let _ = self.runtime.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
