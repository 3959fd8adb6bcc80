//! `cloudready init`: a starter inventory and settings file.

use super::Term;
use super::args::InitArgs;
use crate::error::Result;

pub(super) fn run(a: &InitArgs, term: &Term) -> Result<u8> {
    let written = crate::init::run(&a.dir, a.agency.as_deref())?;
    if !term.quiet {
        for p in &written {
            eprintln!("wrote {p}");
        }
        let inv = a.dir.join("inventory.yaml");
        eprintln!(
            "next: edit {}, then run `cloudready assess {}` (and `cloudready check` in CI)",
            inv.display(),
            inv.display()
        );
    }
    Ok(0)
}
