//! The discrete-event core: simulated time, an ordered event queue, and the
//! `Simulation` loop that feeds events to a [`Model`].
//!
//! The core knows nothing about crises. One ordering rule holds everywhere:
//! events fire in order of `(time, priority, sequence number)`, so two events
//! at the same instant fire by priority and then in the order they were
//! scheduled. Time is an integer number of ticks (pacesim scenarios use one
//! tick per second; a queueing model may pick microseconds).
//!
//! ```
//! use pacesim::engine::{EventQueue, Model, Priority, SimTime, Simulation};
//!
//! /// A clock that ticks every 10 ticks and counts its ticks.
//! struct Ticker { ticks: u32 }
//! impl Model for Ticker {
//!     type Event = ();
//!     fn handle(&mut self, queue: &mut EventQueue<()>, _now: SimTime, _ev: ()) {
//!         self.ticks += 1;
//!         queue.schedule_in(10, Priority::NORMAL, ());
//!     }
//! }
//! let mut sim = Simulation::new(Ticker { ticks: 0 });
//! sim.queue.schedule_at(SimTime(0), Priority::NORMAL, ());
//! sim.run_until(SimTime(95));
//! assert_eq!(sim.model.ticks, 10); // t = 0, 10, ..., 90
//! assert_eq!(sim.now(), SimTime(95));
//! ```

mod dist;
mod queue;
mod rng;
mod time;

pub use dist::{Dist, DistError};
pub use queue::{EventQueue, Priority, Scheduled};
pub use rng::{RngStreams, SimRng};
pub use time::{Duration, DurationParseError, SimTime};

/// A model reacts to the events it scheduled, and may schedule more.
pub trait Model {
    /// What the model schedules on the queue.
    type Event;
    /// Handles one event at simulated time `now`.
    fn handle(&mut self, queue: &mut EventQueue<Self::Event>, now: SimTime, event: Self::Event);
}

/// A model and its event queue: `step`, `run_until`, `peek`.
pub struct Simulation<M: Model> {
    pub queue: EventQueue<M::Event>,
    pub model: M,
}

impl<M: Model> Simulation<M> {
    pub fn new(model: M) -> Self {
        Self {
            queue: EventQueue::new(),
            model,
        }
    }

    /// Current simulated time.
    pub fn now(&self) -> SimTime {
        self.queue.now()
    }

    /// Time and priority of the next event, without firing it.
    pub fn peek(&self) -> Option<(SimTime, Priority)> {
        self.queue.peek()
    }

    /// Fires the next event; returns its time, or `None` when the queue is empty.
    pub fn step(&mut self) -> Option<SimTime> {
        let Scheduled { time, event, .. } = self.queue.pop()?;
        self.model.handle(&mut self.queue, time, event);
        Some(time)
    }

    /// Fires every event due at or before `until` (inclusive), then sets the
    /// clock to `until`. Returns the number of events fired.
    pub fn run_until(&mut self, until: SimTime) -> u64 {
        let mut fired = 0;
        while let Some(Scheduled { time, event, .. }) = self.queue.pop_until(until) {
            self.model.handle(&mut self.queue, time, event);
            fired += 1;
        }
        self.queue.advance_to(until);
        fired
    }
}
