//! `keeper`: see `keeper --help`.

use std::process::ExitCode;

use keeper::cli::{parse_args, run, SECRET_ENV};

fn main() -> ExitCode {
    let cli = match parse_args(std::env::args().skip(1), std::env::var(SECRET_ENV).ok()) {
        Ok(cli) => cli,
        Err(message) => {
            eprintln!("keeper: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&cli, &mut std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("keeper: {message}");
            ExitCode::FAILURE
        }
    }
}
