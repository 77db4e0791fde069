//! `polltrack serve`: the poll desk in a browser, and a JSON API, over the same use cases as
//! the command line (`app`). Routes turn requests into the use cases' typed requests and render
//! their results as HTML pages, JSON or CSV; HTTP statuses live only here.
//!
//! Safe by default: the server binds loopback, answers only requests addressed to the name it
//! serves under (a foreign page cannot reach it through DNS rebinding), refuses writes sent from
//! another origin, and sends a Content Security Policy of its own origin alone
//! ([`security`]). Bound beyond loopback, writes need the token printed at start.

mod api;
mod assets;
mod error;
mod forms;
mod pages;
mod query;
mod security;

use crate::db::Database;
use crate::error::{Error, Result};
use axum::Router;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to bind: loopback (`127.0.0.1`) unless told otherwise.
    pub host: IpAddr,
    /// The port; 0 lets the system choose a free one.
    pub port: u16,
    /// Serve no write at all: no form, no write route.
    pub read_only: bool,
}

/// What every handler shares: the database and how it may be used.
pub(crate) struct Served {
    pub(crate) db: Database,
    pub(crate) read_only: bool,
    /// Required of writes when bound beyond loopback: a request proves it with
    /// `Authorization: Bearer TOKEN` or the cookie set by visiting the printed URL.
    pub(crate) token: Option<String>,
    /// The `Host` header values requests may carry, when bound to loopback.
    pub(crate) hosts: Option<Vec<String>>,
}

pub(crate) type State = Arc<Served>;

/// A bound server, not yet serving: its address is known (a port of 0 has been chosen).
pub struct Server {
    listener: tokio::net::TcpListener,
    served: State,
    url: String,
}

impl Server {
    /// Binds `options`' address and builds the routes over `db`.
    ///
    /// Errors: failed when the address cannot be bound (a port in use, an address not of this
    /// machine), naming it.
    pub async fn bind(mut db: Database, options: &ServeOptions) -> Result<Server> {
        // Requests read side by side, a connection per core (and a few waiting on the disk).
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        db.read_side_by_side(u32::try_from(cores * 2).unwrap_or(8))
            .await?;
        let address = SocketAddr::new(options.host, options.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| Error::Failed(format!("could not listen on {address}: {e}")))?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::Failed(format!("could not listen on {address}: {e}")))?;
        let loopback = options.host.is_loopback();
        let token = (!loopback && !options.read_only).then(security::new_token);
        let hosts = loopback.then(|| security::loopback_hosts(bound.port()));
        let host = match bound.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        let mut url = format!("http://{host}:{}/", bound.port());
        if let Some(token) = &token {
            url.push_str(&format!("?token={token}"));
        }
        let served = Arc::new(Served {
            db,
            read_only: options.read_only,
            token,
            hosts,
        });
        Ok(Server {
            listener,
            served,
            url,
        })
    }

    /// The URL to open: the bound address, with the write token when one is needed.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serves until `shutdown` completes, then finishes the requests under way. Gives back
    /// the database (to be closed by its owner) once no request holds it, and how serving
    /// ended.
    ///
    /// Errors: failed when the server stops on an error of its own.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> (Option<Database>, Result<()>) {
        let Server {
            listener, served, ..
        } = self;
        let ended = axum::serve(listener, routes(served.clone()))
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|e| Error::Failed(format!("the server stopped: {e}")));
        (given_back(served).await, ended)
    }
}

/// The database once no request holds it any more: work a request started on a task of its own
/// (a page's second fit) may still be finishing after the last answer went out. After a few
/// seconds it is left to be dropped unclosed rather than keep the server from stopping.
async fn given_back(mut served: State) -> Option<Database> {
    for _ in 0..250 {
        match Arc::try_unwrap(served) {
            Ok(served) => return Some(served.db),
            Err(shared) => served = shared,
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    None
}

/// Every route, behind the safety checks.
fn routes(served: State) -> Router {
    let writes = match served.read_only {
        true => Router::new(),
        false => forms::routes(),
    };
    Router::new()
        .merge(api::routes(served.read_only))
        .merge(writes)
        .merge(pages::routes())
        .merge(assets::routes())
        .layer(axum::middleware::from_fn_with_state(
            served.clone(),
            security::guard,
        ))
        .with_state(served)
}
