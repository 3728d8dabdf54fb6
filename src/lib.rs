pub mod cli;
pub mod diag;
pub mod engine;
pub mod run;
pub mod scenario;
