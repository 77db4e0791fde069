//! Headless Chromium for the browser tests, driven through `chromedriver` by WebDriver's JSON
//! over plain HTTP (a handful of its commands: open a page, run a script, move the pointer,
//! click). Without `chromium` or `chromedriver` a test says so and skips. Each browser is
//! stopped when dropped: its session closed, its driver killed, its profile removed.

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

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
    driver: Child,
    port: u16,
    session: String,
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
        let profile = TempDir::new().expect("a profile folder");
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
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
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": chromium_flags(browser._profile.path()),
            },
        }}});
        let created = browser.call("POST", "/session", &capabilities);
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        Some(browser)
    }

    /// One WebDriver command; its `value`. Panics on a WebDriver error, with its message.
    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let body = body.to_string();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("chromedriver");
        // One request a connection, closed after the answer (which chromedriver sends with
        // its length, never chunked).
        let request = format!(
            "{method} {path} HTTP/1.1\r\nConnection: close\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("a request");
        let (head, body) = read_answer(&mut stream);
        let (head, body) = (head.as_str(), body.as_str());
        let value: Value = serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {head}\n{body}"));
        if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
            panic!("{method} {path}: {head}\n{}", value["value"]);
        }
        value["value"].clone()
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    /// Opens `url` and waits for it to load.
    pub fn goto(&self, url: &str) {
        self.call("POST", &self.session_path("/url"), &json!({ "url": url }));
    }

    /// Runs `script` (a function body: `return` gives its value) in the page.
    pub fn execute(&self, script: &str) -> Value {
        let body = json!({ "script": script, "args": [] });
        self.call("POST", &self.session_path("/execute/sync"), &body)
    }

    /// Runs `script` until it gives something other than null or false, for at most 10 s.
    pub fn wait_for(&self, script: &str) -> Value {
        let waited = Instant::now();
        loop {
            let value = self.execute(script);
            if !value.is_null() && value != Value::Bool(false) {
                return value;
            }
            assert!(
                waited.elapsed() < Duration::from_secs(10),
                "waited 10 s for: {script}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Moves the mouse to a point of the window (CSS pixels from its top left).
    pub fn move_to(&self, x: f64, y: f64) {
        let actions = json!({"actions": [{
            "type": "pointer",
            "id": "mouse",
            "parameters": {"pointerType": "mouse"},
            "actions": [{
                "type": "pointerMove",
                "duration": 0,
                "origin": "viewport",
                "x": x.round() as i64,
                "y": y.round() as i64,
            }],
        }]});
        self.call("POST", &self.session_path("/actions"), &actions);
    }

    /// Clicks the first element matching the CSS `selector`.
    pub fn click(&self, selector: &str) {
        let found = self.call(
            "POST",
            &self.session_path("/element"),
            &json!({"using": "css selector", "value": selector}),
        );
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {selector}: {found}"))
            .to_string();
        self.call(
            "POST",
            &self.session_path(&format!("/element/{id}/click")),
            &json!({}),
        );
    }
}

/// An HTTP answer's head and body: the head up to its blank line, then as many bytes as its
/// `Content-Length` says (chromedriver may keep the connection open after them).
fn read_answer(stream: &mut TcpStream) -> (String, String) {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let read = stream.read(&mut buffer).expect("an answer");
        bytes.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&bytes).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if body.len() >= length || read == 0 {
                return (head.to_string(), body.to_string());
            }
        }
        assert!(read > 0, "chromedriver closed the connection mid-answer");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            // Closing the session ends Chromium; a failure here must not hide the test's own.
            let path = self.session_path("");
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.call("DELETE", &path, &json!({}))
            }));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
