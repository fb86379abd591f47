//! `qrpin`: the command-line tool for Microsoft Entra "QR code + PIN" sign-in codes.
//!
//! Arguments are parsed into plain structs (`clap` derive) and each subcommand lives in its own
//! module under `cmd/`; failures become exit codes in one place, [`error::CliError::report`].

mod batch;
mod cmd;
mod error;
mod io;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// Build, render, scan and check the QR codes of Microsoft Entra's QR code + PIN sign-in.
///
/// Exit codes: 0 success, 1 a check ran and failed, 2 bad input or usage.
#[derive(Debug, Parser)]
#[command(name = "qrpin", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the text a code holds (`ms-qrpin:v1|<upn>|<codeId>`) from a UPN and a code id.
    ///
    /// Example: qrpin encode --upn admin@contoso.com --code-id 44f2f040-ea9d-4283-9e7b-b63ddae391a9
    Encode(cmd::encode::Args),
    /// Parse and check the text of a code (argument or stdin).
    ///
    /// Example: qrpin parse --json 'ms-qrpin:v1|admin@contoso.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9'
    Parse(cmd::parse::Args),
    /// Check PINs against Entra's rules or generate temporary PINs.
    #[command(subcommand)]
    Pin(cmd::pin::PinCommand),
    /// Check Microsoft Graph qrCode / qrPin / qrCodePinAuthenticationMethod JSON.
    #[command(subcommand)]
    Graph(cmd::graph::GraphCommand),
    /// Print the QR codes in image files (PNG, JPEG, GIF, WebP, BMP, SVG).
    ///
    /// Example: qrpin decode --json badge.png
    Decode(cmd::decode::Args),
    /// Check that an image holds exactly the given code (exit 0 yes, 1 no).
    ///
    /// Example: qrpin verify badge.png --upn admin@contoso.com --code-id 44f2f040-ea9d-4283-9e7b-b63ddae391a9 --ecl l
    Verify(cmd::verify::Args),
    /// Render random payloads, scan them back and compare them bit for bit.
    ///
    /// Example: qrpin roundtrip --count 10000 --seed 7
    Roundtrip(cmd::roundtrip::Args),
    /// Draw a code as SVG, PNG or terminal text at an exact error-correction level.
    ///
    /// Example: qrpin render --upn admin@contoso.com --code-id 44f2f040-ea9d-4283-9e7b-b63ddae391a9 --ecl m -o badge.png
    Render(cmd::render::Args),
    /// Render every row of a CSV / JSON Lines file (in parallel, atomically, resumably).
    ///
    /// Example: qrpin batch users.csv --out codes/ --format png --verify --report report.jsonl
    Batch(batch::Args),
    /// Make a printable badge (code at an exact size, name, UPN, validity) as SVG, PNG or PDF.
    ///
    /// Example: qrpin badge --upn admin@contoso.com --code-id 44f2f040-ea9d-4283-9e7b-b63ddae391a9 --name "Ada Lovelace" --expires 2026-12-19 -o badge.pdf
    Badge(cmd::badge::Args),
    /// Print a shell completion script (bash, zsh, fish or powershell) to standard output.
    ///
    /// Example: qrpin completions bash > ~/.local/share/bash-completion/completions/qrpin
    Completions(cmd::shell::CompletionsArgs),
    /// Print the qrpin man page (roff) to standard output.
    ///
    /// Example: qrpin man > qrpin.1 && man ./qrpin.1
    Man(cmd::shell::ManArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Encode(args) => cmd::encode::run(args),
        Command::Parse(args) => cmd::parse::run(args),
        Command::Pin(c) => cmd::pin::run(c),
        Command::Graph(c) => cmd::graph::run(c),
        Command::Decode(args) => cmd::decode::run(args),
        Command::Verify(args) => cmd::verify::run(args),
        Command::Roundtrip(args) => cmd::roundtrip::run(args),
        Command::Render(args) => cmd::render::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Badge(args) => cmd::badge::run(args),
        Command::Completions(args) => cmd::shell::run_completions(args, Cli::command()),
        Command::Man(args) => cmd::shell::run_man(args, Cli::command()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.report(),
    }
}
