//! `qrpin`: the command-line tool for Microsoft Entra "QR code + PIN" sign-in codes.
//!
//! Arguments are parsed into plain structs (`clap` derive) and each subcommand lives in its own
//! module under `cmd/`; failures become exit codes in one place, [`error::CliError::report`].

mod cmd;
mod error;
mod io;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Encode(args) => cmd::encode::run(args),
        Command::Parse(args) => cmd::parse::run(args),
        Command::Pin(c) => cmd::pin::run(c),
        Command::Graph(c) => cmd::graph::run(c),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.report(),
    }
}
