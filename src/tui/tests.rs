//! Dashboard tests on a TestBackend (written by the dashboard tests task).
