//! Writes a synthetic inventory of N workloads (default 1,000) to standard output; see
//! [`cloudready::synth`] for what it contains. `--small` writes small workloads instead (an
//! id, a name and a classification each), the shape of the million-workload runs.
//!
//!     cargo run --release --example gen -- 20000 > big.yaml
//!     cargo run --release --example gen -- 1000000 --small > million.yaml

use std::io::Write as _;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let small = args.iter().any(|a| a == "--small");
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(1000);
    let text = if small {
        cloudready::synth::small_inventory(n)
    } else {
        cloudready::synth::inventory(n)
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    out.write_all(text.as_bytes())?;
    out.flush()
}
