//! `omniroute completions SHELL`: a completion script on stdout.

use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;

/// Arguments of `omniroute completions`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  omniroute completions bash > ~/.local/share/bash-completion/completions/omniroute\n  omniroute completions zsh > ~/.zfunc/_omniroute\n  omniroute completions fish > ~/.config/fish/completions/omniroute.fish"
)]
pub struct Args {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Prints the script.
pub fn run(args: &Args) -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    clap_complete::generate(
        args.shell,
        &mut crate::Cli::command(),
        "omniroute",
        &mut out,
    );
    out.flush()?;
    Ok(crate::EXIT_OK)
}
