//! `cloudready principles`: the principles, their criteria and sources, or the planning rules.

use super::args::PrinciplesArgs;
use crate::error::Result;
use crate::output::{Output, Seal};
use crate::render::{framework, rules};

pub(super) fn run(a: &PrinciplesArgs) -> Result<u8> {
    let dir = a.principles.as_deref();
    let text = match a.id.as_deref().and_then(rules::Which::parse) {
        Some(which) => rules::render(&crate::plan::PlanRules::load(dir)?, which, a.format),
        None if a.trace => {
            framework::trace(&crate::pack::Packs::load(dir)?, a.id.as_deref(), a.format)?
        }
        None => framework::render(&crate::pack::Packs::load(dir)?, a.id.as_deref(), a.format)?,
    };
    Output::stdout().write_text(&text, Seal::None)?;
    Ok(0)
}
