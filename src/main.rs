//! The `pacesim` command: a thin shell over the library (see `pacesim::commands`).

fn main() -> std::process::ExitCode {
    pacesim::commands::main()
}
