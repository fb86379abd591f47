//! The listener: one task per connection (HTTP/1.1), a switch per connection that drops it
//! without an answer (the `--drop-rate` fault), and a graceful stop.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

use crate::api::{self, App, DropSwitch};
use crate::auth::Auth;
use crate::config::Config;
use crate::error::EmulatorError;
use crate::faults::{Buckets, Faults};
use crate::image::ImageSpec;
use crate::store::Store;

/// A running emulator.
pub struct Emulator {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Emulator {
    /// Opens the state, seeds the users and starts listening. Once this returns, the address
    /// accepts connections.
    ///
    /// # Errors
    /// [`EmulatorError::Config`] for a non-loopback address or a rate outside 0–1,
    /// [`EmulatorError::State`], [`EmulatorError::Listen`].
    pub async fn start(config: Config) -> Result<Emulator, EmulatorError> {
        if !config.listen.ip().is_loopback() {
            return Err(EmulatorError::Config(format!(
                "the emulator listens on loopback addresses only, not {}",
                config.listen.ip()
            )));
        }
        for (name, r) in [("--fault-rate", config.fault_rate), ("--drop-rate", config.drop_rate)] {
            if !(0.0..=1.0).contains(&r) {
                return Err(EmulatorError::Config(format!("{name} must be within 0-1, not {r}")));
            }
        }
        if config.tenant.is_empty()
            || config.client_id.is_empty()
            || config.client_secret.is_empty()
        {
            return Err(EmulatorError::Config(
                "the tenant, client id and client secret must not be empty".into(),
            ));
        }
        let cfg = config.clone();
        let (store, key) = tokio::task::spawn_blocking(move || -> Result<_, EmulatorError> {
            let mut store = Store::open(cfg.state.as_deref())?;
            if !cfg.users.is_empty() || cfg.state.is_none() {
                store.replace_users(&cfg.users)?;
            }
            let key = store.signing_key()?;
            Ok((store, key))
        })
        .await
        .map_err(|e| EmulatorError::Config(format!("opening the state failed: {e}")))??;
        let app = Arc::new(App {
            store: Mutex::new(store),
            auth: Auth {
                key,
                tenant: config.tenant.clone(),
                client_id: config.client_id.clone(),
                client_secret: config.client_secret.clone(),
                roles: config.roles.clone(),
                user_password: config.user_password.clone(),
                lifetime: config.token_lifetime.as_secs(),
            },
            faults: Faults::new(config.fault_rate, config.drop_rate, config.fault_seed),
            buckets: config.throttle.map(Buckets::new),
            fault_retry_after: config.fault_retry_after,
            latency: config.latency,
            image: ImageSpec {
                ecl: config.ecl,
                format: config.image_format,
                svg_style: config.svg_style,
                key_field: !config.no_key_field,
            },
            openapi: crate::openapi::document().to_string(),
        });
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|source| EmulatorError::Listen { addr: config.listen, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Listen { addr: config.listen, source })?;
        let router = Router::new().fallback(api::handle).with_state(app);
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept(listener, router, stopped));
        Ok(Emulator { addr, stop, task })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: the base URL of Graph and of the token endpoint.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests under way finish, and returns when every connection is
    /// closed.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

async fn accept(listener: TcpListener, router: Router, mut stopped: watch::Receiver<bool>) {
    let graceful = GracefulShutdown::new();
    loop {
        let conn = tokio::select! {
            c = listener.accept() => c,
            _ = stopped.changed() => break,
        };
        let Ok((stream, _)) = conn else {
            // Out of file descriptors or a connection reset before it was taken: the next
            // accept may succeed; yield so a persistent error cannot spin this task alone.
            tokio::task::yield_now().await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let switch = DropSwitch(Arc::new(Notify::new()));
        let router = router.clone();
        let dropped = Arc::clone(&switch.0);
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(switch.clone());
            router.clone().oneshot(req.map(axum::body::Body::new))
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            tokio::select! {
                _ = conn => {}
                // Dropping the connection closes the socket with no answer sent.
                _ = dropped.notified() => {}
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
