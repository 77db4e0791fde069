use super::Ctx;
use super::database::missing_file;
use polltrack::Result;
use polltrack::web::{ServeOptions, Server};
use std::io::Write;
use std::net::IpAddr;

/// Serve the database in a browser, with a JSON API, until Ctrl-C.
///
/// Pages of questions with their trend charts, polls, pollsters and sources, and forms to
/// record, edit and import polls; every table has a .json and a .csv twin (the CSV as `export`
/// writes it), and a JSON API lives under /api/ (described at /api/openapi.json). Everything the
/// pages need is inside polltrack: no network is used. The server binds loopback and answers
/// only requests addressed to it there; bound to another address, writes need the token it
/// prints.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack serve\n  \
    polltrack serve --open\n  \
    polltrack serve --read-only --port 8080\n  \
    polltrack --db postgres://desk@db.newsroom.example/polls serve --host 0.0.0.0")]
pub struct Args {
    /// The address to listen on (127.0.0.1 serves this machine only; 0.0.0.0 every network,
    /// with writes needing the printed token)
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    host: IpAddr,
    /// The port to listen on (0 for any free one)
    #[arg(long, default_value_t = 8001)]
    port: u16,
    /// Serve no writes at all: no forms, no write routes
    #[arg(long)]
    read_only: bool,
    /// Open the served address in the default browser
    #[arg(long)]
    open: bool,
}

impl Args {
    pub fn writes(&self) -> bool {
        !self.read_only
    }
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    // A server does not create a database: one to serve is made by `init` or `demo` first.
    missing_file(ctx).await?;
    let options = ServeOptions {
        host: args.host,
        port: args.port,
        read_only: args.read_only,
    };
    let db = ctx.take_db().await?;
    let server = Server::bind(db, &options).await?;
    let stopped = stop_signal()?;
    let url = server.url().to_string();
    let mut out = std::io::stdout();
    writeln!(out, "Serving {} at {url}", ctx.location.describe())?;
    if args.read_only {
        writeln!(out, "Read-only: no writes are served.")?;
    } else if !args.host.is_loopback() {
        writeln!(
            out,
            "Writes need the token in this address: share it only with those who may write."
        )?;
    }
    writeln!(out, "Press Ctrl-C to stop.")?;
    out.flush()?;
    if args.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("polltrack: could not open a browser ({e}); open {url} yourself");
    }
    let (db, served) = server.run(stopped).await;
    if let Some(db) = db {
        ctx.give_back(db);
    }
    served
}

/// Completes on Ctrl-C, or on a request to stop from the system (SIGTERM). The signals are
/// caught from the call on, before the address is printed: whoever read it may stop the
/// server at once.
#[cfg(unix)]
fn stop_signal() -> Result<impl Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let failed =
        |e: std::io::Error| polltrack::Error::Failed(format!("could not catch Ctrl-C: {e}"));
    let mut interrupt = signal(SignalKind::interrupt()).map_err(failed)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(failed)?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn stop_signal() -> Result<impl Future<Output = ()> + Send + 'static> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
