//! Responders: who detects, assesses and acts against the threats.
//!
//! Responders react to records as they are logged (the exercise shows each
//! record to them, see `exercise`) and act through their own scheduled
//! events. National responders (CSIRTs, civil protection, health services,
//! government communication) are always present: primary responsibility
//! stays with member states. EU and NATO mechanisms, described by
//! playbooks, plug in beside them.

pub mod eu;
pub mod national;
