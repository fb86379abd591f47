//! `qrpin graph serve`: a local Microsoft Graph for QR code + PIN (the `qrpin-emulator` crate).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use qrpin_codec::Ecl;
use qrpin_emulator::{
    load_users, Config, Emulator, ImageFormat, Throttle, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
    DEFAULT_TENANT, DEFAULT_USER_PASSWORD, ROLE_METHOD_READ_WRITE, ROLE_POLICY_READ_WRITE,
};

use crate::error::{CliError, CliResult};
use crate::ui::Ui;

/// The text after the options in `qrpin graph serve --help`.
pub const AFTER_HELP: &str = concat!(
    "Prints one line on standard output once it accepts connections: its base URL\n",
    "(http://127.0.0.1:PORT), which serves Graph (/beta/..., /v1.0/...), the token endpoint\n",
    "(/{tenant}/oauth2/v2.0/token) and /openapi.json. Logs go to standard error, one line\n",
    "per request, never a token, PIN or code content. Ctrl-C or SIGTERM stops it.\n\n",
    "Defaults for local use (not secrets):\n",
    "  tenant         7d5a0c9e-5c2b-4f4e-9a43-0a11ce000001\n",
    "  client id      3f6d8a2b-51c4-4e0a-9d7e-0a11ce000002\n",
    "  client secret  qrpin-local-secret\n",
    "  user password  qrpin-local-password (password grant, any seeded user)\n\n",
    "Example:\n",
    "  qrpin graph serve --users users.csv --state graph.db --fault-rate 0.1 --fault-seed 7\n\n",
    "See docs/emulator.md for every endpoint, rule and choice."
);

/// The error-correction levels, as flags.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum EclArg {
    /// 7 % (Graph's default).
    L,
    /// 15 %.
    M,
    /// 25 %.
    Q,
    /// 30 %.
    H,
}

/// What `image.binaryValue` holds.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ImageFormatArg {
    /// An SVG (the beta documentation's example).
    Svg,
    /// A PNG (the v1.0 documentation's example).
    Png,
}

/// The SVG markup.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SvgStyleArg {
    /// As Graph's images: a rect per run, pixel units.
    Entra,
    /// qrpin's compact path.
    Plain,
}

/// Arguments of `qrpin graph serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to listen: a loopback address and port (0 = any free port).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// The directory's users: CSV or JSON Lines with id, userPrincipalName, displayName.
    #[arg(long, value_name = "FILE")]
    pub users: Option<PathBuf>,
    /// Keep state in this SQLite file (mode 0600; every acknowledged write survives a crash).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// The tenant id tokens are issued for.
    #[arg(long, value_name = "ID", default_value = DEFAULT_TENANT)]
    pub tenant: String,
    /// The app's client id.
    #[arg(long, value_name = "ID", default_value = DEFAULT_CLIENT_ID)]
    pub client_id: String,
    /// The app's client secret (a local test value; see also --client-secret-env).
    #[arg(long, value_name = "SECRET", conflicts_with = "client_secret_env")]
    pub client_secret: Option<String>,
    /// Read the app's client secret from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub client_secret_env: Option<String>,
    /// Application permissions of client-credentials tokens, comma-separated.
    #[arg(long, value_name = "ROLES", value_delimiter = ',')]
    pub roles: Option<Vec<String>>,
    /// The password of every seeded user (password grant).
    #[arg(long, value_name = "PASSWORD", default_value = DEFAULT_USER_PASSWORD)]
    pub user_password: String,
    /// Access token lifetime in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    pub token_lifetime: u64,
    /// Error-correction level of the codes' images.
    #[arg(long, value_enum, default_value = "l")]
    pub ecl: EclArg,
    /// What image.binaryValue holds.
    #[arg(long, value_enum, default_value = "svg")]
    pub image_format: ImageFormatArg,
    /// The SVG markup of the images.
    #[arg(long, value_enum, default_value = "entra")]
    pub svg_style: SvgStyleArg,
    /// Leave the opaque key field out of the codes' content.
    #[arg(long)]
    pub no_key_field: bool,
    /// Share (0-1) of Graph requests answered 429 / 503 / 504 without doing anything.
    #[arg(long, value_name = "R", default_value_t = 0.0)]
    pub fault_rate: f64,
    /// Share (0-1) of successful writes whose connection is dropped after the write.
    #[arg(long, value_name = "R", default_value_t = 0.0)]
    pub drop_rate: f64,
    /// Seed of the fault draws.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fault_seed: u64,
    /// Retry-After of injected 429 and 503 answers, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 1)]
    pub fault_retry_after: u64,
    /// A token bucket per app: N requests per SECONDS (429 with Retry-After beyond it).
    #[arg(long, value_name = "N/SECONDS")]
    pub throttle: Option<Throttle>,
    /// Delay every answer by this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,
}

/// Runs `qrpin graph serve` until Ctrl-C or SIGTERM.
pub fn run(a: Args, ui: &Ui) -> CliResult {
    let client_secret = match (&a.client_secret, &a.client_secret_env) {
        (Some(s), _) => s.clone(),
        (None, Some(var)) => std::env::var(var).map_err(|_| {
            CliError::bad_input(format!("--client-secret-env: the variable {var} is not set"))
        })?,
        (None, None) => DEFAULT_CLIENT_SECRET.to_owned(),
    };
    let users = match &a.users {
        Some(p) => load_users(p).map_err(CliError::bad_input)?,
        None => Vec::new(),
    };
    let config = Config {
        listen: a.listen,
        users,
        state: a.state,
        tenant: a.tenant,
        client_id: a.client_id,
        client_secret,
        roles: a
            .roles
            .unwrap_or_else(|| vec![ROLE_METHOD_READ_WRITE.into(), ROLE_POLICY_READ_WRITE.into()]),
        user_password: a.user_password,
        token_lifetime: Duration::from_secs(a.token_lifetime.max(1)),
        ecl: match a.ecl {
            EclArg::L => Ecl::L,
            EclArg::M => Ecl::M,
            EclArg::Q => Ecl::Q,
            EclArg::H => Ecl::H,
        },
        image_format: match a.image_format {
            ImageFormatArg::Svg => ImageFormat::Svg,
            ImageFormatArg::Png => ImageFormat::Png,
        },
        svg_style: match a.svg_style {
            SvgStyleArg::Entra => qrpin_render::SvgStyle::Entra,
            SvgStyleArg::Plain => qrpin_render::SvgStyle::Plain,
        },
        no_key_field: a.no_key_field,
        fault_rate: a.fault_rate,
        drop_rate: a.drop_rate,
        fault_seed: a.fault_seed,
        fault_retry_after: a.fault_retry_after,
        throttle: a.throttle,
        latency: Duration::from_millis(a.latency),
    };
    let users = config.users.len();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::bad_input(format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(async {
        let emulator = Emulator::start(config).await.map_err(CliError::bad_input)?;
        // The handlers are in place before the URL is printed: a client that stops the server
        // as soon as it has the URL gets a clean stop, never the signal's default (death).
        let stop = StopSignal::install()?;
        let url = emulator.base_url();
        ui.note(format!("graph serve: {url} ({users} users); Ctrl-C stops it"));
        let mut out = std::io::stdout().lock();
        writeln!(out, "{url}")?;
        out.flush()?;
        drop(out);
        stop.wait().await;
        ui.note("graph serve: stopping");
        emulator.shutdown().await;
        Ok(())
    })
}

/// Ctrl-C (SIGINT) and SIGTERM, listened for from [`StopSignal::install`] on.
struct StopSignal {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl StopSignal {
    fn install() -> Result<StopSignal, CliError> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let fail = |e: std::io::Error| {
                CliError::bad_input(format!("cannot listen for stop signals: {e}"))
            };
            Ok(StopSignal {
                int: signal(SignalKind::interrupt()).map_err(fail)?,
                term: signal(SignalKind::terminate()).map_err(fail)?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(StopSignal {})
        }
    }

    /// Waits for either signal.
    async fn wait(mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.int.recv() => {}
                _ = self.term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = &mut self;
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
