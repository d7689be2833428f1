//! Ctrl-C and termination during a session. Commands run in their own
//! process group (so a timeout can stop all they started), which also keeps
//! a terminal's Ctrl-C from reaching them; pruv catches it instead, stops
//! the running command's group, and ends the session with its bundle
//! written. A second signal ends pruv at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// Set once a signal to stop arrived; cleared of its handlers when dropped.
#[derive(Clone, Default)]
pub struct Interrupt {
    flag: Arc<AtomicBool>,
}

/// Holds the handlers in place while a session runs.
pub struct Watching {
    #[cfg(unix)]
    ids: Vec<signal_hook::SigId>,
}

impl Interrupt {
    /// Starts catching SIGINT, SIGTERM and SIGHUP into this flag.
    pub fn watch(&self) -> Result<Watching> {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let mut ids = Vec::new();
            for signal in [SIGINT, SIGTERM, SIGHUP] {
                let register = |e| Error::io("signal handlers", e);
                // The order matters: the shutdown check sees the flag before this signal sets it.
                ids.push(
                    signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, self.flag.clone())
                        .map_err(register)?,
                );
                ids.push(signal_hook::flag::register(signal, self.flag.clone()).map_err(register)?);
            }
            Ok(Watching { ids })
        }
        #[cfg(not(unix))]
        Ok(Watching {})
    }

    pub fn is_set(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    #[cfg(test)]
    pub fn set(&self) {
        self.flag.store(true, Ordering::SeqCst);
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        #[cfg(unix)]
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}
