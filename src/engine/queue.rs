//! The event queue: a binary heap ordered by `(time, priority, sequence)`.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::SimTime;

/// Tie-breaker between events at the same instant: lower fires first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Priority(pub u8);

impl Priority {
    /// Control actions (injects, controller decisions) act before the world reacts.
    pub const URGENT: Priority = Priority(0);
    pub const HIGH: Priority = Priority(64);
    pub const NORMAL: Priority = Priority(128);
    /// Bookkeeping that should observe everything else at the same instant.
    pub const LATE: Priority = Priority(255);
}

/// An event taken off the queue.
#[derive(Debug)]
pub struct Scheduled<E> {
    pub time: SimTime,
    pub priority: Priority,
    pub seq: u64,
    pub event: E,
}

struct Entry<E> {
    key: (SimTime, Priority, u64),
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // BinaryHeap is a max-heap: reverse so the smallest key comes out first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// Pending events and the clock. Sequence numbers are unique and increasing,
/// so the order of events is total and independent of the heap's internals.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    now: SimTime,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        Self {
            heap: BinaryHeap::new(),
            now: SimTime(0),
            next_seq: 0,
        }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Schedules `event` at `time`; a time in the past is clamped to now,
    /// because an event can only be caused after its cause. Returns its sequence number.
    pub fn schedule_at(&mut self, time: SimTime, priority: Priority, event: E) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        let time = time.max(self.now);
        self.heap.push(Entry {
            key: (time, priority, seq),
            event,
        });
        seq
    }

    /// Schedules `event` `delay` ticks from now (saturating at the end of time).
    pub fn schedule_in(&mut self, delay: u64, priority: Priority, event: E) -> u64 {
        let at = SimTime(self.now.0.saturating_add(delay));
        self.schedule_at(at, priority, event)
    }

    /// Time and priority of the next event.
    pub fn peek(&self) -> Option<(SimTime, Priority)> {
        self.heap.peek().map(|e| (e.key.0, e.key.1))
    }

    /// Takes the next event and moves the clock to its time.
    pub fn pop(&mut self) -> Option<Scheduled<E>> {
        let Entry {
            key: (time, priority, seq),
            event,
        } = self.heap.pop()?;
        self.now = time;
        Some(Scheduled {
            time,
            priority,
            seq,
            event,
        })
    }

    /// Like [`pop`](Self::pop), but only if the next event is due at or before `until`.
    pub fn pop_until(&mut self, until: SimTime) -> Option<Scheduled<E>> {
        match self.peek() {
            Some((t, _)) if t <= until => self.pop(),
            _ => None,
        }
    }

    /// Moves the clock forward to `t` (never backwards) without firing anything.
    pub fn advance_to(&mut self, t: SimTime) {
        self.now = self.now.max(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_time_then_priority_then_sequence() {
        let mut q = EventQueue::new();
        q.schedule_at(SimTime(5), Priority::NORMAL, "t5-normal-first");
        q.schedule_at(SimTime(5), Priority::NORMAL, "t5-normal-second");
        q.schedule_at(SimTime(5), Priority::URGENT, "t5-urgent");
        q.schedule_at(SimTime(1), Priority::LATE, "t1-late");
        q.schedule_at(SimTime(9), Priority::URGENT, "t9-urgent");
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|s| s.event)).collect();
        assert_eq!(
            order,
            [
                "t1-late",
                "t5-urgent",
                "t5-normal-first",
                "t5-normal-second",
                "t9-urgent"
            ]
        );
    }

    #[test]
    fn clock_follows_popped_events_and_never_runs_backwards() {
        let mut q = EventQueue::new();
        q.schedule_at(SimTime(10), Priority::NORMAL, 1);
        assert_eq!(q.now(), SimTime(0));
        q.pop();
        assert_eq!(q.now(), SimTime(10));
        // An event scheduled "in the past" fires now, not before now.
        q.schedule_at(SimTime(3), Priority::NORMAL, 2);
        let s = q.pop().unwrap();
        assert_eq!((s.time, s.event), (SimTime(10), 2));
        q.advance_to(SimTime(4));
        assert_eq!(q.now(), SimTime(10));
    }

    #[test]
    fn pop_until_is_inclusive_and_leaves_later_events() {
        let mut q = EventQueue::new();
        for t in [3, 7, 7, 8] {
            q.schedule_at(SimTime(t), Priority::NORMAL, t);
        }
        let mut seen = vec![];
        while let Some(s) = q.pop_until(SimTime(7)) {
            seen.push(s.event);
        }
        assert_eq!(seen, [3, 7, 7]);
        assert_eq!(q.peek(), Some((SimTime(8), Priority::NORMAL)));
    }

    #[test]
    fn schedule_in_saturates_instead_of_overflowing() {
        let mut q = EventQueue::new();
        q.schedule_at(SimTime(u64::MAX - 1), Priority::NORMAL, 0);
        q.pop();
        q.schedule_in(u64::MAX, Priority::NORMAL, 1);
        assert_eq!(q.pop().unwrap().time, SimTime(u64::MAX));
    }
}
