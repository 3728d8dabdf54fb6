//! Behaviour of the EU and NATO mechanisms (written by the mechanism tests task).
