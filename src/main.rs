use clap::Parser;

fn main() -> std::process::ExitCode {
    cloudready::cli::run(cloudready::cli::Cli::parse())
}
