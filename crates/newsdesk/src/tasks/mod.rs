//! The background tasks of a running server. Each is given only the
//! handles it needs, runs until told to stop, and finishes the item in
//! hand before it returns, so a stop never leaves half a job.

pub mod classify;
pub mod drop_folder;
pub mod feed;
pub mod mail;
pub mod poll_sources;
pub mod scheduler;
pub mod search_sync;
pub mod webhooks;
pub mod websub;

use std::future::Future;
use std::sync::atomic::AtomicU64;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Counters of deliveries to other servers, for `/metrics`.
#[derive(Default)]
pub struct Deliveries {
    pub webhooks_sent: AtomicU64,
    pub webhooks_failed: AtomicU64,
    pub websub_sent: AtomicU64,
    pub websub_failed: AtomicU64,
}

/// How long a task may take to finish its item after being told to stop.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// The stop signal, as a task sees it.
#[derive(Clone)]
pub struct Stop(watch::Receiver<bool>);

impl Stop {
    /// Resolves once the tasks are told to stop.
    pub async fn requested(&mut self) {
        // An error means the sender is gone: stop too.
        let _ = self.0.wait_for(|stop| *stop).await;
    }

    pub fn is_requested(&self) -> bool {
        *self.0.borrow()
    }

    /// Waits `wait`; true if the stop came first.
    pub async fn pause(&mut self, wait: Duration) -> bool {
        tokio::select! {
            () = tokio::time::sleep(wait) => false,
            () = self.requested() => true,
        }
    }

    /// The next item of a queue; `None` once the queue is closed or the
    /// stop is asked for.
    pub async fn next<T>(&mut self, queue: &mut tokio::sync::mpsc::Receiver<T>) -> Option<T> {
        tokio::select! {
            item = queue.recv() => item,
            () = self.requested() => None,
        }
    }
}

/// The running tasks; [`Tasks::stop`] tells them all and waits for them.
pub struct Tasks {
    stop: watch::Sender<bool>,
    running: Vec<(&'static str, JoinHandle<()>)>,
}

impl Default for Tasks {
    fn default() -> Self {
        Tasks {
            stop: watch::channel(false).0,
            running: Vec::new(),
        }
    }
}

impl Tasks {
    /// The signal to hand to a task.
    pub fn stop_signal(&self) -> Stop {
        Stop(self.stop.subscribe())
    }

    /// Runs a task on the runtime.
    pub fn spawn(&mut self, name: &'static str, task: impl Future<Output = ()> + Send + 'static) {
        self.running.push((name, tokio::spawn(task)));
    }

    /// Runs a task that has no stopping point of its own: it is dropped
    /// where it waits when the stop comes.
    pub fn spawn_until_stopped(
        &mut self,
        name: &'static str,
        task: impl Future<Output = ()> + Send + 'static,
    ) {
        let mut stop = self.stop_signal();
        self.spawn(name, async move {
            tokio::select! {
                () = task => {}
                () = stop.requested() => {}
            }
        });
    }

    /// Tells every task to stop and waits for each (a few seconds at
    /// most; one that does not finish is aborted and named in the log).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for (name, mut task) in self.running {
            match tokio::time::timeout(STOP_GRACE, &mut task).await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::warn!(task = name, %error, "a background task failed"),
                Err(_) => {
                    tracing::warn!(task = name, "a background task did not stop in time");
                    task.abort();
                }
            }
        }
    }
}
