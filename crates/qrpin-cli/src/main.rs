//! `qrpin`: the command-line tool for Microsoft Entra "QR code + PIN" sign-in codes.
//!
//! Arguments are parsed into plain structs (`clap` derive) and each subcommand lives in its own
//! module under `cmd/`; failures become exit codes in one place, [`ui::Ui::fail`].
//! The global flags (`--json`, `-q`, `-v`, `--color`) become one [`ui::Ui`] that every
//! subcommand prints its messages through.

mod batch;
mod cmd;
mod error;
mod io;
mod ui;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// The text after the options in `qrpin --help` (and the man page).
const AFTER_HELP: &str = "\
Exit codes: 0 success, 1 a check ran and failed, 2 bad input or usage.

Output: results go to standard output, messages to standard error.
  --json   the result as one JSON value (a line) on standard output; messages as JSON Lines
           ({\"warning\": ...}, {\"note\": ...}, {\"error\": ...}, {\"verbose\": ...}); a failure
           ends with {\"error\": \"...\", \"exit\": N}. Refused by completions and man, and by
           render when the image goes to standard output.
  -q       only results and the final error (batch keeps its summary line)
  -v       also detail: which decoder layer read a code, timings, a line per batch row
  --color  auto (default: colour only on a terminal, never when NO_COLOR is set), always, never";

/// Build, render, scan and check the QR codes of Microsoft Entra's QR code + PIN sign-in.
///
/// Exit codes: 0 success, 1 a check ran and failed, 2 bad input or usage. The global flags
/// (`--json`, `-q`, `-v`, `--color`) are described in [`AFTER_HELP`] and the `ui` module.
#[derive(Debug, Parser)]
#[command(name = "qrpin", version, about, long_about = None, after_help = AFTER_HELP)]
struct Cli {
    #[command(flatten)]
    global: ui::GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Draw a code as SVG, PNG or terminal text at an exact error-correction level.
    ///
    /// Example: qrpin render --upn admin@contoso.com --code-id 44f2f040-ea9d-4283-9e7b-b63ddae391a9 --ecl m -o badge.png
    ///
    /// --json (needs -o FILE): {"output","format","version","ecl","mask","modules","border",
    /// "scale","pixels","dpi","printedMm","bytes","warnings"}
    Render(cmd::render::Args),
    /// Check that an image holds exactly the given code (exit 0 yes, 1 no).
    ///
    /// Example: qrpin verify badge.png --upn admin@contoso.com --code-id 44f2f040-ea9d-4283-9e7b-b63ddae391a9 --ecl l
    ///
    /// --json: {"file","match","expectedEcl","codes":[as decode --json],"reasons":[...]}
    Verify(cmd::verify::Args),
    /// Print the QR codes in image files (PNG, JPEG, GIF, WebP, BMP, SVG).
    ///
    /// Example: qrpin decode --json badge.png
    ///
    /// --json: [{"file","codes":[{"text","version","ecl","mask","corners","payload"}],"error"?}]
    Decode(cmd::decode::Args),
    /// Make a printable badge (code at an exact size, name, UPN, validity) as SVG, PNG or PDF.
    ///
    /// Example: qrpin badge --upn admin@contoso.com --code-id 44f2f040-ea9d-4283-9e7b-b63ddae391a9 --name "Ada Lovelace" --expires 2026-12-19 -o badge.pdf
    ///
    /// --json: {"output","format","version","ecl","modules","qrSizeMm","badgeMm","sheet",
    /// "copies","pages","pageMm","dpi","pixels","bytes","pinPrinted","warnings"} (never the PIN)
    Badge(cmd::badge::Args),
    /// Render every row of a CSV / JSON Lines file (in parallel, atomically, resumably).
    ///
    /// Example: qrpin batch users.csv --out codes/ --format png --verify --report report.jsonl
    ///
    /// --json: the summary, {"summary":{"rows","ok","exists","failed","other_shards","seconds"},
    /// "inputError","out","report"}, instead of the summary line on standard error
    Batch(batch::Args),
    /// Build the text a code holds (`ms-qrpin:v1|<upn>|<codeId>`) from a UPN and a code id.
    ///
    /// Example: qrpin encode --upn admin@contoso.com --code-id 44f2f040-ea9d-4283-9e7b-b63ddae391a9
    ///
    /// --json: {"payload","base64","upn","codeId","bytes"}
    Encode(cmd::encode::Args),
    /// Parse and check the text of a code (argument or stdin).
    ///
    /// Example: qrpin parse --json 'ms-qrpin:v1|admin@contoso.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9'
    ///
    /// --json: {"version","upn","codeId","extraFields"} (extra fields are counted, never shown)
    Parse(cmd::parse::Args),
    /// Check PINs against Entra's rules or generate temporary PINs.
    #[command(subcommand)]
    Pin(cmd::pin::PinCommand),
    /// Check Microsoft Graph qrCode / qrPin / qrCodePinAuthenticationMethod JSON.
    #[command(subcommand)]
    Graph(cmd::graph::GraphCommand),
    /// Create QR codes for a list of users through Microsoft Graph, journal every answer, and
    /// make their badges and PIN slips (resumable; `--status DIR` says where each user stands).
    ///
    /// Example: qrpin provision users.csv --out run/ --tenant contoso.onmicrosoft.com --client-id 3f6d8a2b-51c4-4e0a-9d7e-0a11ce000002 --client-secret-env QRPIN_SECRET
    ///
    /// --json: one line per user, {"userPrincipalName","id","status","codeId","expireDateTime","why"?}
    Provision(Box<cmd::provision::Args>),
    /// Render random payloads, scan them back and compare them bit for bit.
    ///
    /// Example: qrpin roundtrip --count 10000 --seed 7
    ///
    /// --json: {"checked","passed","failed","seed","knownGeometry","seconds","codesPerSecond",
    /// "failures"}
    Roundtrip(cmd::roundtrip::Args),
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
    // Clap prints help and usage errors while parsing, so --color and --json are looked for
    // first; the parsed flags decide everything after that.
    let early = ui::Early::scan(std::env::args_os().skip(1));
    let parsed =
        Cli::command().color(early.color).try_get_matches().and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return ui::clap_error(e, early.json),
    };
    // clap checks the conflict only among flags given at the same level (`-q pin generate -v`
    // passes it), so it is checked again on the merged values.
    if cli.global.quiet && cli.global.verbose {
        let e = Cli::command().color(early.color).error(
            clap::error::ErrorKind::ArgumentConflict,
            "the argument '--quiet' cannot be used with '--verbose'",
        );
        return ui::clap_error(e, early.json);
    }
    let ui = ui::Ui::new(&cli.global);
    let result = match cli.command {
        Command::Encode(args) => cmd::encode::run(args, &ui),
        Command::Parse(args) => cmd::parse::run(args, &ui),
        Command::Pin(c) => cmd::pin::run(c, &ui),
        Command::Graph(c) => cmd::graph::run(c, &ui),
        Command::Decode(args) => cmd::decode::run(args, &ui),
        Command::Verify(args) => cmd::verify::run(args, &ui),
        Command::Roundtrip(args) => cmd::roundtrip::run(args, &ui),
        Command::Render(args) => cmd::render::run(args, &ui),
        Command::Batch(args) => batch::run(args, &ui),
        Command::Provision(args) => cmd::provision::run(*args, &ui),
        Command::Badge(args) => cmd::badge::run(args, &ui),
        Command::Completions(args) => cmd::shell::run_completions(args, Cli::command(), &ui),
        Command::Man(args) => cmd::shell::run_man(args, Cli::command(), &ui),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => ui.fail(e),
    }
}
