//! Connections: accepted within a limit, closed when a client is slow to
//! send its request's headers or leaves a kept-alive connection idle, and
//! stopped gracefully. A connection that sends half a request header, or
//! none, is closed after `header_timeout`; past `max_connections` new ones
//! wait in the listen queue until one ends. Reading a request's body and
//! answering it is bounded by the request timeout of the middleware.

use crate::edge::front_door::{Answer, FrontDoor};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Service;
use tower::util::Oneshot;

/// How long and how many: what a client may hold of the server.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Longest wait for a request's headers, from when the connection is
    /// ready for one: a slow client, or a kept-alive connection left idle.
    pub header_timeout: Duration,
}

/// One connection's way in: requests as axum reads them, with the
/// client's address, to the shared front door.
struct Entrance<S> {
    door: Arc<FrontDoor<S>>,
    peer: SocketAddr,
}

impl<S> hyper::service::Service<hyper::Request<Incoming>> for Entrance<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer<Oneshot<S, Request>>;

    fn call(&self, request: hyper::Request<Incoming>) -> Self::Future {
        let mut request = request.map(Body::new);
        request
            .extensions_mut()
            .insert(ConnectInfo::<SocketAddr>(self.peer));
        self.door.answer(request)
    }
}

/// Serves the front door on `listener` until `shutdown` completes, then
/// lets open requests finish.
pub async fn serve<S>(
    listener: TcpListener,
    door: FrontDoor<S>,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + Sync + 'static,
    S::Future: Send,
{
    let door = Arc::new(door);
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.header_timeout)
        .keep_alive_timeout(limits.header_timeout);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // Wait for a free slot before accepting: past the limit, clients
        // wait in the listen queue instead of costing memory here.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        let Ok(slot) = slot else {
            break;
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors, or a connection reset before it
                // was taken: wait a moment rather than spin.
                tracing::debug!(%error, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let entrance = Entrance {
            door: door.clone(),
            peer,
        };
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), entrance)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::trace!(%error, "connection ended");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
