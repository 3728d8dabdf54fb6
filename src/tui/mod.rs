//! `pacesim tui`: the exercise controller's dashboard.
//!
//! [`app`] holds the state and reacts to keys; [`ui`] draws it; this module
//! owns the terminal. The loop is generic over ratatui's backend and over
//! where keys come from, so tests run it on a `TestBackend` with synthetic
//! keys. Between frames the engine runs for at most [`app::SLICE`], so the
//! screen stays responsive at any speed. The terminal is restored on quit,
//! on error, on panic (ratatui's hook) and on SIGTERM or SIGHUP.

pub mod app;
#[cfg(test)]
mod tests;
pub mod ui;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEvent, KeyEventKind};
use ratatui::Terminal;
use ratatui::backend::Backend;

use app::App;

/// Time between frames when nothing happens.
pub const FRAME: Duration = Duration::from_millis(50);

/// Where keys come from: the real terminal, or a test's script.
pub trait Keys {
    /// Waits up to `timeout` for the next key press; `Ok(None)` when none came.
    fn next(&mut self, timeout: Duration) -> std::io::Result<Option<KeyEvent>>;
}

/// Keys from the terminal (crossterm).
pub struct TerminalKeys;

impl Keys for TerminalKeys {
    fn next(&mut self, timeout: Duration) -> std::io::Result<Option<KeyEvent>> {
        if event::poll(timeout)? {
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => return Ok(Some(k)),
                // A resize is drawn at the next frame.
                _ => {}
            }
        }
        Ok(None)
    }
}

/// Runs the dashboard until the controller quits or `stop` is raised.
pub fn run<B: Backend, K: Keys>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    keys: &mut K,
    stop: &AtomicBool,
) -> std::io::Result<()>
where
    B::Error: std::fmt::Display,
{
    let draw_err = |e: B::Error| std::io::Error::other(e.to_string());
    while !app.quit && !stop.load(Ordering::Relaxed) {
        let frame_start = Instant::now();
        app.tick(frame_start);
        terminal.draw(|f| ui::draw(f, app)).map_err(draw_err)?;
        let spent = frame_start.elapsed();
        app.frame = spent;
        if let Some(k) = keys.next(FRAME.saturating_sub(spent))? {
            app.key(k, Instant::now());
            // Drain what else is waiting, so typing never lags behind.
            while let Some(k) = keys.next(Duration::ZERO)? {
                app.key(k, Instant::now());
                if app.quit {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Runs the dashboard on the real terminal and restores it however the run ends.
pub fn run_terminal(app: &mut App) -> std::io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(sig, stop.clone())?;
    }
    // ratatui::init enters raw mode and the alternate screen and installs a
    // panic hook that restores the terminal before the panic is printed.
    let mut terminal = ratatui::try_init()?;
    watchdog(stop.clone());
    let result = run(&mut terminal, app, &mut TerminalKeys, &stop);
    if stop.load(Ordering::Relaxed) && !app.quit {
        // Stopped by a signal: record where, so the hash printed replays.
        app.stopped();
    }
    ratatui::try_restore()?;
    result
}

/// When the terminal goes away (a closed window, a dropped ssh session),
/// crossterm can block reading a terminal that is no more, so the loop never
/// sees the hangup. Every action is on disk already: after a grace period
/// the process simply ends.
fn watchdog(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(200));
        }
        std::thread::sleep(Duration::from_secs(2));
        std::process::exit(i32::from(crate::error::TERMINAL_GONE));
    });
}
