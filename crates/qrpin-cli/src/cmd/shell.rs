//! `qrpin completions <shell>` and `qrpin man`: shell completion scripts (clap_complete) and a
//! roff man page (clap_mangen), both generated from the same `clap` definition as the parser.

use std::io::Write;

use clap_complete::Shell;

use crate::error::{CliError, CliResult};
use crate::ui::Ui;

/// Arguments of `qrpin completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to write a completion script for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Arguments of `qrpin man` (none).
#[derive(Debug, clap::Args)]
pub struct ManArgs {}

/// Writes the completion script for `args.shell` to standard output.
///
/// `cmd` is the whole `qrpin` command (`Cli::command()`). The script is built in memory first:
/// clap_complete panics on write errors, and a closed pipe must stay a quiet success.
/// `--json` is refused: the output is a script, not a report.
pub fn run_completions(args: CompletionsArgs, mut cmd: clap::Command, ui: &Ui) -> CliResult {
    ui.refuse_json("completions prints a shell script")?;
    let name = cmd.get_name().to_string();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, name, &mut buf);
    write_stdout(&buf)
}

/// Writes a roff man page for `qrpin` (all subcommands listed) to standard output.
///
/// `cmd` is the whole `qrpin` command (`Cli::command()`). `--json` is refused.
pub fn run_man(_args: ManArgs, cmd: clap::Command, ui: &Ui) -> CliResult {
    ui.refuse_json("man prints a man page")?;
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut buf)
        .map_err(|e| CliError::bad_input(format!("cannot render the man page: {e}")))?;
    write_stdout(&buf)
}

/// Writes `bytes` to standard output and flushes it.
fn write_stdout(bytes: &[u8]) -> CliResult {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}
