//! The checks every request passes before its route, and the headers every answer carries.
//!
//! - **DNS rebinding**: a page on any site can make a browser send requests to a name that
//!   resolves to 127.0.0.1. Bound to loopback, the server answers only requests whose `Host` is
//!   a loopback name with its port.
//! - **Cross-site writes**: a write (any method but GET, HEAD and OPTIONS) is refused when the
//!   browser says it comes from another site (`Sec-Fetch-Site`), or, from browsers that do not
//!   send that, when its `Origin` is not the server's own.
//! - **Read-only**: with `--read-only` no write is served at all.
//! - **Beyond loopback**: writes need the token printed at start, as `Authorization: Bearer`
//!   or the cookie set by opening the printed URL.
//! - **Content Security Policy** of the server's own origin alone: nothing inline runs, nothing
//!   is fetched elsewhere.

use super::State;
use super::error::refusal;
use axum::extract::{Request, State as Shared};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// The cookie a browser proves the write token with.
const TOKEN_COOKIE: &str = "polltrack_token";

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// A new write token: 128 random bits as hex.
pub(super) fn new_token() -> String {
    let mut bytes = [0u8; 16];
    // Without the system's randomness, the clock: weaker, but a server still starts. It only
    // matters bound beyond loopback, and the system's source does not fail on the systems
    // polltrack runs on.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes = nanos.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `Host` values of a server bound to loopback on `port`.
pub(super) fn loopback_hosts(port: u16) -> Vec<String> {
    ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .map(|name| format!("{name}:{port}"))
        .collect()
}

/// Runs the checks, then the route, then adds the security headers.
pub(super) async fn guard(Shared(served): Shared<State>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    // A browser navigating (a form, a link) asks for HTML; scripts and the API do not.
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if let Some(hosts) = &served.hosts
        && !hosts
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(&host))
    {
        return secured(refusal(
            StatusCode::FORBIDDEN,
            format!(
                "this server answers only requests addressed to {} (this one was addressed \
                 to \"{host}\")",
                hosts.join(" or ")
            ),
            wants_html,
        ));
    }
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if writes {
        if served.read_only {
            return secured(refusal(
                StatusCode::METHOD_NOT_ALLOWED,
                "this server is read-only: it serves no writes".into(),
                wants_html,
            ));
        }
        if let Some(site) = foreign_site(headers, &host) {
            return secured(refusal(
                StatusCode::FORBIDDEN,
                format!("writes from another site are refused ({site})"),
                wants_html,
            ));
        }
        if let Some(token) = &served.token
            && !proves_token(headers, token)
        {
            return secured(refusal(
                StatusCode::UNAUTHORIZED,
                "writes to this server need the token it printed when it started: open the \
                 URL it printed, or send the header \"Authorization: Bearer TOKEN\""
                    .into(),
                wants_html,
            ));
        }
    }
    // Opening the printed URL (`?token=...`) keeps the token in a cookie for the forms.
    let offered = served
        .token
        .as_ref()
        .filter(|token| query_token(request.uri().query()) == Some(token.as_str()))
        .cloned();
    let mut response = next.run(request).await;
    if let Some(token) = offered
        && let Ok(cookie) = HeaderValue::from_str(&format!(
            "{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
        ))
    {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    secured(response)
}

/// Why a write comes from another site, if it does: `Sec-Fetch-Site` when the browser sends
/// it, else `Origin` against `Host`. A request with neither (a script, `curl`) is no browser's
/// cross-site request.
fn foreign_site(headers: &HeaderMap, host: &str) -> Option<String> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text("sec-fetch-site") {
        return match site {
            "same-origin" | "none" => None,
            other => Some(format!("Sec-Fetch-Site: {other}")),
        };
    }
    let origin = text("origin")?;
    let origin_host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    match origin_host {
        Some(origin_host) if origin_host.eq_ignore_ascii_case(host) => None,
        _ => Some(format!("Origin: {origin}")),
    }
}

fn proves_token(headers: &HeaderMap, token: &str) -> bool {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix(TOKEN_COOKIE)?.strip_prefix('='))
        .next();
    bearer
        .or(cookie)
        .is_some_and(|given| same_secret(given, token))
}

/// Compares a given token with the server's in a time that does not depend on where they
/// first differ, so the token cannot be guessed a character at a time by timing answers.
fn same_secret(given: &str, token: &str) -> bool {
    given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |differ, (a, b)| differ | (a ^ b))
            == 0
}

fn query_token(query: Option<&str>) -> Option<&str> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
}

/// Adds the headers every answer carries.
fn secured(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}
