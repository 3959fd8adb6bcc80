//! Shell completions (clap_complete) and the man page (clap_mangen), both generated from the
//! same argument definitions the binary parses, so they cannot fall out of date.

use clap::CommandFactory;

use super::Cli;

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "cloudready", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The man page, cloudready(1), in roff; every subcommand is listed under SUBCOMMANDS, as a
/// page `man --dir` writes.
pub fn man() -> String {
    man_pages().swap_remove(0).1
}

/// Every man page: `cloudready.1` and one per subcommand (`cloudready-assess.1`, ...), which
/// the top page's SUBCOMMANDS section names. Returned as (file name, roff) in a fixed order.
pub fn man_pages() -> Vec<(String, String)> {
    // As clap_mangen::generate_to does, so that subcommands get their `cloudready-` titles.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push(page(sub.clone()));
    }
    pages.insert(0, page(cmd));
    pages
}

fn page(cmd: clap::Command) -> (String, String) {
    let man = clap_mangen::Man::new(cmd);
    let mut buf = Vec::new();
    // Rendering into a Vec cannot fail.
    let _ = man.render(&mut buf);
    (
        man.get_filename(),
        String::from_utf8_lossy(&buf).into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_and_man_name_the_subcommands() {
        let bash = completions(clap_complete::Shell::Bash);
        assert!(
            bash.contains("assess") && bash.contains("import"),
            "bash script"
        );
        let man = man();
        assert!(man.starts_with(".ie") || man.contains(".TH"), "roff");
        assert!(man.contains("diff"), "subcommands listed");
    }
}
