//! Writes a synthetic inventory of N workloads (default 1,000) to standard output; see
//! [`cloudready::synth`] for what it contains.
//!
//!     cargo run --release --example gen -- 20000 > big.yaml

use std::io::Write as _;

fn main() -> std::io::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let text = cloudready::synth::inventory(n);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    out.write_all(text.as_bytes())?;
    out.flush()
}
