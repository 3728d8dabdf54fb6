//! The exercise's log and queue types: every room's records gathered into
//! [`What`], every room's scheduled events into [`Ev`], and the [`Outbox`]
//! through which rooms, which know only their own types, hand theirs over.

use std::any::Any;

use crate::engine::{EventQueue, Priority, SimTime};
use crate::infra::{InfraEv, InfraRecord};
use crate::log::Event;
use crate::opinion::OpinionRecord;
use crate::response::eu::{EuEv, EuRecord};
use crate::response::national::{NationalEv, NationalRecord};
use crate::scenario::catalog::InjectIx;
use crate::threats::cbrn::CbrnRecord;
use crate::threats::cyber::CyberRecord;
use crate::threats::disinfo::DisinfoRecord;
use crate::threats::{CampaignRecord, ThreatEv};
use crate::world::Bus;

use super::control::{ControlEv, ControlRecord};

// The most frequent kinds first: `gather` tries them in this order.
crate::log::records! {
    /// Everything that can happen in an exercise, by the room that logs it.
    pub enum What {
        /// Narratives: launch, amplification and hourly reach.
        Disinfo(DisinfoRecord),
        /// Trust, hourly.
        Opinion(OpinionRecord),
        Infra(InfraRecord),
        Cbrn(CbrnRecord),
        National(NationalRecord),
        Cyber(CyberRecord),
        Campaign(CampaignRecord),
        Control(ControlRecord),
    }
    unions {
        /// The EU and NATO mechanisms, each with its own record type.
        Eu(EuRecord),
    }
}

/// What the exercise schedules on the event queue: its own events, and
/// those of every room.
#[derive(Clone, Copy, Debug)]
pub enum Ev {
    Start,
    /// Hourly update of slow processes (casualties, narratives, trust) and samples.
    Tick,
    Inject(InjectIx),
    /// An exercise controller's action, applied at once (never queued).
    Control(ControlEv),
    End,
    Threat(ThreatEv),
    Infra(InfraEv),
    National(NationalEv),
    Eu(EuEv),
}

impl Ev {
    /// An event a room scheduled, if it is of a room's event type.
    fn from_any(e: &dyn Any) -> Option<Ev> {
        if let Some(e) = e.downcast_ref::<ThreatEv>() {
            Some(Ev::Threat(*e))
        } else if let Some(e) = e.downcast_ref::<InfraEv>() {
            Some(Ev::Infra(*e))
        } else if let Some(e) = e.downcast_ref::<NationalEv>() {
            Some(Ev::National(*e))
        } else {
            e.downcast_ref::<EuEv>().map(|e| Ev::Eu(*e))
        }
    }
}

/// The exercise's log and queue, lent to the rooms as their [`Bus`].
pub struct Outbox<'a> {
    pub log: &'a mut Vec<Event<What>>,
    pub queue: &'a mut EventQueue<Ev>,
}

impl Bus for Outbox<'_> {
    fn record(&mut self, t: SimTime, record: &dyn Any) {
        let what = What::gather(record).unwrap_or_else(|| {
            panic!("a record type is missing from `What` in exercise/record.rs")
        });
        self.log.push(Event { t, what });
    }

    fn schedule(&mut self, at: SimTime, priority: Priority, event: &dyn Any) {
        let ev = Ev::from_any(event)
            .unwrap_or_else(|| panic!("an event type is missing from `Ev` in exercise/record.rs"));
        self.queue.schedule_at(at, priority, ev);
    }
}

#[cfg(test)]
mod tests {
    /// A run keeps every event in memory: records stay a few words. The
    /// largest is an incident's casualties (seven 32-bit figures).
    #[test]
    fn an_event_stays_small() {
        assert!(std::mem::size_of::<crate::log::Event<super::What>>() <= 48);
        assert!(std::mem::size_of::<super::Ev>() <= 24);
    }
}
