//! `simulate`: runs a scenario and writes the report (see the README's "What the main command
//! shows").

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{}", simulator::cli::USAGE);
        return ExitCode::SUCCESS;
    }
    match simulator::cli::main(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
