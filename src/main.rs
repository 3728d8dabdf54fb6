//! The `pacesim` command: a thin shell over the library (see `pacesim::cli`).

fn main() -> std::process::ExitCode {
    pacesim::cli::main()
}
