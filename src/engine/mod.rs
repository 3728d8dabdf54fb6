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

pub mod math;
pub mod models;
pub mod sample;

pub use dist::{Dist, DistError};
pub use queue::{EventQueue, Priority, Scheduled};
pub use rng::{RngStreams, SimRng};
pub use time::{Duration, DurationParseError, SimTime, show_at, show_secs};

/// A count, or the position of something a run creates as it goes (an
/// incident, a note, a decision point, a request), as a `u32`: a list that
/// long would have filled memory long before, so it saturates rather than wraps.
pub fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A count shown in a record (a queue's length), saturating at `u16::MAX`.
pub fn count_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// A count shown in a record, saturating at `u8::MAX`.
pub fn count_u8(n: usize) -> u8 {
    u8::try_from(n).unwrap_or(u8::MAX)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what fired when; event `n > 0` schedules `n - 1` at the same instant.
    struct Recorder {
        fired: Vec<(u64, u32)>,
    }
    impl Model for Recorder {
        type Event = u32;
        fn handle(&mut self, queue: &mut EventQueue<u32>, now: SimTime, ev: u32) {
            self.fired.push((now.0, ev));
            if ev > 0 {
                queue.schedule_in(0, Priority::NORMAL, ev - 1);
            }
        }
    }

    #[test]
    fn step_fires_one_event_and_reports_its_time() {
        let mut sim = Simulation::new(Recorder { fired: vec![] });
        assert_eq!(sim.step(), None);
        sim.queue.schedule_at(SimTime(4), Priority::NORMAL, 0);
        assert_eq!(sim.peek(), Some((SimTime(4), Priority::NORMAL)));
        assert_eq!(sim.now(), SimTime(0), "peek does not move the clock");
        assert_eq!(sim.step(), Some(SimTime(4)));
        assert_eq!(sim.now(), SimTime(4));
        assert_eq!(sim.step(), None);
    }

    #[test]
    fn events_caused_at_the_same_instant_fire_after_their_cause() {
        let mut sim = Simulation::new(Recorder { fired: vec![] });
        sim.queue.schedule_at(SimTime(1), Priority::NORMAL, 2);
        sim.queue.schedule_at(SimTime(1), Priority::NORMAL, 10);
        sim.run_until(SimTime(1));
        let order: Vec<u32> = sim.model.fired.iter().map(|f| f.1).collect();
        // FIFO among equals: 2 and 10 were queued first, their children after.
        assert_eq!(order[..2], [2, 10]);
        assert_eq!(sim.model.fired.len(), 3 + 11);
        assert!(sim.model.fired.iter().all(|f| f.0 == 1));
    }

    #[test]
    fn run_until_is_inclusive_resumable_and_moves_the_clock() {
        let mut sim = Simulation::new(Recorder { fired: vec![] });
        for t in [10, 20, 30] {
            sim.queue.schedule_at(SimTime(t), Priority::NORMAL, 0);
        }
        assert_eq!(sim.run_until(SimTime(20)), 2);
        assert_eq!(sim.now(), SimTime(20));
        assert_eq!(sim.run_until(SimTime(25)), 0);
        assert_eq!(sim.now(), SimTime(25));
        assert_eq!(sim.run_until(SimTime(100)), 1);
        assert_eq!(sim.model.fired, [(10, 0), (20, 0), (30, 0)]);
    }
}
