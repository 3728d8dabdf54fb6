//! Journal and replay tests (written by the dashboard tests task).
