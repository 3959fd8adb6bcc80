use clap::Parser;

fn main() {
    let cli = cloudready::cli::Cli::parse();
    std::process::exit(cloudready::cli::run(cli));
}
