//! `cloudready man`: the manual, on standard output or as man pages in a folder.

use super::args::ManArgs;
use super::{Term, shell};
use crate::error::{Error, Result};
use crate::output::{Output, Overwrite, Seal};
use crate::render::table::count;

pub(super) fn run(a: &ManArgs, term: &Term) -> Result<u8> {
    let Some(dir) = &a.dir else {
        Output::stdout().write_text(&shell::man(), Seal::None)?;
        return Ok(0);
    };
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    }
    let pages = shell::man_pages();
    for (name, text) in &pages {
        let out = Output::file(dir.join(name), Overwrite::forced(a.force));
        out.write_bytes(text.as_bytes(), Seal::ROFF)?;
    }
    if !term.quiet {
        let first: Vec<&str> = pages.iter().take(2).map(|(n, _)| n.as_str()).collect();
        let n = count(pages.len(), "man page");
        eprintln!("wrote {n} to {} ({}, ...)", dir.display(), first.join(", "));
    }
    Ok(0)
}
