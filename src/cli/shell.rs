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

/// The man page, cloudready(1), in roff; every subcommand is listed under SUBCOMMANDS.
pub fn man() -> String {
    let cmd = Cli::command();
    let mut buf = Vec::new();
    // Rendering into a Vec cannot fail.
    let _ = clap_mangen::Man::new(cmd).render(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
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
