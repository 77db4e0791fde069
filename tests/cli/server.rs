//! `polltrack serve` run as a user runs it, on a free port, and spoken to over plain HTTP/1.1:
//! each request on its own connection, every header as given (a test can send a foreign
//! `Host` or `Origin`), the answer read whole.

use crate::Env;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

/// Five approval polls (ids 1 to 5) of three pollsters, a day apart from 2024-03-01 (Gallup,
/// YouGov, Ipsos, Gallup, YouGov), each with `extra` options.
pub fn five_approval_polls(env: &Env, extra: &[&str]) {
    for (pollster, date) in [
        ("Gallup", "2024-03-01"),
        ("YouGov", "2024-03-02"),
        ("Ipsos", "2024-03-03"),
        ("Gallup", "2024-03-04"),
        ("YouGov", "2024-03-05"),
    ] {
        crate::add_approval(env, pollster, date, extra);
    }
}

/// A running server, stopped (as Ctrl-C stops it) when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    pub address: String,
    /// The first lines it printed.
    pub printed: String,
}

/// An answer: its status, headers (names in lower case) and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("a UTF-8 body")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

impl Server {
    /// Starts `polltrack serve --port 0` with `args` in `env`, and waits for its address.
    pub fn start(env: &Env, args: &[&str]) -> Server {
        let mut child = env
            .cmd()
            .args(["serve", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("polltrack serve starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("its output"));
        let mut printed = String::new();
        let mut line = String::new();
        while stdout.read_line(&mut line).expect("its output") > 0 {
            printed.push_str(&line);
            if line.contains("Ctrl-C") {
                break;
            }
            line.clear();
        }
        let address = printed
            .split_whitespace()
            .find_map(|word| word.strip_prefix("http://"))
            .and_then(|rest| rest.split('/').next())
            .map(str::to_string);
        let Some(address) = address else {
            let mut stderr = String::new();
            if let Some(mut err) = child.stderr.take() {
                let _ = err.read_to_string(&mut stderr);
            }
            let _ = child.kill();
            panic!("serve printed no address: {printed}{stderr}");
        };
        Server {
            child,
            address,
            printed,
        }
    }

    /// `GET path` as a browser on this machine sends it.
    pub fn get(&self, path: &str) -> Answer {
        self.request("GET", path, &[], b"")
    }

    /// A request with the server's own `Host` (unless `headers` give one) and `headers`.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Answer {
        let mut stream = TcpStream::connect(&self.address).expect("connects");
        let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {}\r\n", self.address));
        }
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        stream.write_all(head.as_bytes()).expect("sends");
        stream.write_all(body).expect("sends");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("reads the answer");
        parse(&raw)
    }

    /// Stops the server as Ctrl-C does and returns what it printed on standard error.
    pub fn stop(mut self) -> (std::process::ExitStatus, String) {
        interrupt(&self.child);
        let status = self.child.wait().expect("it stops");
        let mut stderr = String::new();
        if let Some(mut err) = self.child.stderr.take() {
            let _ = err.read_to_string(&mut stderr);
        }
        (status, stderr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            interrupt(&self.child);
            let _ = self.child.wait();
        }
    }
}

fn interrupt(child: &Child) {
    // SIGINT, as Ctrl-C sends.
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
}

fn parse(raw: &[u8]) -> Answer {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole answer");
    let head = String::from_utf8_lossy(&raw[..end]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = unchunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") else {
            return body;
        };
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            return body;
        }
        let start = line_end + 2;
        body.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
}
