//! Responders: who detects, assesses and acts against the threats.
//!
//! Responders watch the event log as it is written ([`observe`]) and act
//! through their own scheduled events ([`handle`]). National responders
//! (CSIRTs, civil protection, health services, government communication)
//! are always present: primary responsibility stays with member states.
//! EU and NATO mechanisms, described by playbooks, plug in here beside them.

pub mod eu;
pub mod national;

use crate::log::Event;
use crate::world::Sim;

/// A responder's own scheduled action.
#[derive(Clone, Copy, Debug)]
pub enum ResponseEv {
    National(national::NationalEv),
    Eu(eu::EuEv),
}

/// Lets every responder see an event that has just been logged.
pub fn observe(sim: &mut Sim, ev: &Event) {
    national::observe(sim, ev);
    eu::observe(sim, ev);
}

/// Carries out a responder's scheduled action.
pub fn handle(sim: &mut Sim, ev: ResponseEv) {
    match ev {
        ResponseEv::National(n) => national::handle(sim, n),
        ResponseEv::Eu(e) => eu::handle(sim, e),
    }
}
