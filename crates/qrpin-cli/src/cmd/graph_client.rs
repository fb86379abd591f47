//! The flags every command that talks to Graph shares (`provision`, `pin reset`, `graph get`,
//! `graph delete`), and the client they make. Secrets come from the environment, a file or
//! standard input, never from the command line (where `ps` and shell history would show them).

use std::io::BufRead;

use qrpin_graph::{Client, ClientConfig, Credentials, Endpoints, Secret};

use crate::error::CliError;
use crate::ui::Ui;

/// Where Graph is and how to sign in.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Microsoft Graph")]
pub struct GraphArgs {
    /// Graph's base URL (a `qrpin graph serve` URL serves as both this and --login-url).
    #[arg(long = "graph-url", value_name = "URL", default_value = qrpin_graph::GRAPH_URL)]
    pub graph_url: String,
    /// The identity platform's base URL (the token endpoint is {URL}/{tenant}/oauth2/v2.0/token).
    #[arg(long = "login-url", value_name = "URL", default_value = qrpin_graph::LOGIN_URL)]
    pub login_url: String,
    /// The tenant id or domain (client credentials).
    #[arg(long, value_name = "TENANT")]
    pub tenant: Option<String>,
    /// The app registration's application (client) id; it needs the application permission
    /// UserAuthMethod-QR.ReadWrite.All.
    #[arg(long = "client-id", value_name = "GUID")]
    pub client_id: Option<String>,
    /// Read the client secret from this environment variable.
    #[arg(long = "client-secret-env", value_name = "VAR", conflicts_with = "client_secret_file")]
    pub client_secret_env: Option<String>,
    /// Read the client secret from this file (its first line).
    #[arg(long = "client-secret-file", value_name = "FILE")]
    pub client_secret_file: Option<String>,
    /// Use the bearer token in this environment variable instead of client credentials.
    #[arg(long = "token-env", value_name = "VAR", conflicts_with_all = ["client_secret_env", "client_secret_file", "token_stdin"])]
    pub token_env: Option<String>,
    /// Read a bearer token from the first line of standard input.
    #[arg(long = "token-stdin", conflicts_with_all = ["client_secret_env", "client_secret_file"])]
    pub token_stdin: bool,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
}

impl GraphArgs {
    /// The client these flags describe.
    pub fn client(&self, ui: &Ui) -> Result<Client, CliError> {
        fn bad(m: impl std::fmt::Display) -> CliError {
            CliError::bad_input(m)
        }
        let credentials = if let Some(var) = &self.token_env {
            Credentials::Bearer(secret_from_env(var, "--token-env")?)
        } else if self.token_stdin {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| bad(format!("--token-stdin: cannot read standard input: {e}")))?;
            let token = Secret::new(line);
            if token.is_empty() {
                return Err(bad("--token-stdin: standard input holds no token"));
            }
            Credentials::Bearer(token)
        } else {
            let (Some(tenant), Some(client_id)) = (&self.tenant, &self.client_id) else {
                return Err(bad(
                    "sign in with --tenant, --client-id and --client-secret-env VAR or \
                     --client-secret-file FILE, or give a token with --token-env VAR or --token-stdin",
                ));
            };
            let secret = match (&self.client_secret_env, &self.client_secret_file) {
                (Some(var), _) => secret_from_env(var, "--client-secret-env")?,
                (None, Some(path)) => secret_from_file(path, ui)?,
                (None, None) => {
                    return Err(bad(
                        "--client-id needs its secret: --client-secret-env VAR or --client-secret-file FILE \
                         (never on the command line)",
                    ))
                }
            };
            Credentials::ClientSecret {
                tenant: tenant.clone(),
                client_id: client_id.clone(),
                secret,
            }
        };
        let endpoints = Endpoints::new(&self.graph_url, &self.login_url).map_err(bad)?;
        let mut config = ClientConfig::new(credentials);
        config.endpoints = endpoints;
        config.concurrency = usize::from(self.jobs);
        Client::new(config).map_err(bad)
    }
}

fn secret_from_env(var: &str, flag: &str) -> Result<Secret, CliError> {
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => Ok(Secret::new(v)),
        Ok(_) => {
            Err(CliError::bad_input(format!("{flag}: the environment variable {var} is empty")))
        }
        Err(std::env::VarError::NotPresent) => {
            Err(CliError::bad_input(format!("{flag}: the environment variable {var} is not set")))
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(CliError::bad_input(format!("{flag}: the environment variable {var} is not UTF-8")))
        }
    }
}

fn secret_from_file(path: &str, ui: &Ui) -> Result<Secret, CliError> {
    let bad = |m: String| CliError::bad_input(format!("--client-secret-file {path}: {m}"));
    let meta = std::fs::metadata(path).map_err(|e| bad(e.to_string()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            ui.warn(format_args!(
                "--client-secret-file {path} is mode {mode:o}: others can read the secret (chmod 600 it)"
            ));
        }
    }
    if meta.len() > 64 * 1024 {
        return Err(bad(format!("{} bytes; a secret file holds one short line", meta.len())));
    }
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let first = text.lines().next().unwrap_or("");
    if first.trim().is_empty() {
        return Err(bad("the first line is empty".into()));
    }
    Ok(Secret::new(first))
}

/// A multi-threaded runtime for the Graph commands.
pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::bad_input(format!("cannot start the async runtime: {e}")))
}
