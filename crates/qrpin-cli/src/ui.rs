//! How `qrpin` talks to people and programs: the global flags (`--json`, `-q`, `-v`,
//! `--color`), parsed once into a [`Ui`] that every subcommand prints its messages through, so
//! no subcommand decides on its own what reaches standard error, in which form or colour.
//!
//! | output | default | `-q` | `-v` | `--json` |
//! |---|---|---|---|---|
//! | result (standard output) | text | text | text | one JSON value |
//! | final error (exit 1, 2) | `error: …`¹ | `error: …` | `error: …`¹ | `{"error","exit"}` |
//! | warnings, notes, per-item errors | yes | no | yes | JSON Lines |
//! | detail: decoder layer, timings, rows | no | no | yes | `{"verbose": …}` |
//! | batch's progress bar (on a terminal) | yes | no | yes | yes |
//! | batch's summary line (stderr) | yes | yes | yes | JSON on stdout instead |
//!
//! ¹ Not when the lines before it already explain the failure (a failed graph check's report,
//! decode's "no QR code found" per file, batch's failed rows; [`CliError::Reported`]).
//!
//! `-q` and `-v` conflict (exit 2). With `--json`, standard error is JSON Lines: one object
//! per message, `{"warning": m}`, `{"note": m}`, `{"error": m}` (one item failed),
//! `{"verbose": m}`, and on failure a last `{"error": m, "exit": n}` (the only object with
//! `"exit"`). Without `-v`, a successful run writes nothing there but warnings and notes, and
//! with `-q` a failed one writes exactly the final object.
//!
//! Colour: the `error:` (red), `warning:` (yellow) and `note:` (cyan) prefixes are bold and
//! coloured with `--color always`, never with `--color never`, and with `--color auto` (the
//! default) by anstream's rules, the same as clap's help: not when `NO_COLOR` is set to a
//! non-empty value, forced by `CLICOLOR_FORCE`, off with `CLICOLOR=0`, else only when standard
//! error is a terminal whose `TERM` is not `dumb`. JSON is never coloured.

use std::ffi::OsString;
use std::fmt::Display;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Mutex;

use anstream::AutoStream;
use anstyle::{AnsiColor, Style};
use clap::ColorChoice;
use serde::Serialize;

use crate::error::{CliError, CliResult};

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const NOTE: Style = AnsiColor::Cyan.on_default().bold();

/// The flags every subcommand accepts, before or after its name.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Print the result as one JSON value on standard output, and messages on standard error
    /// as JSON Lines; a failure ends with {"error": "...", "exit": N}.
    #[arg(long, global = true)]
    pub json: bool,
    /// Print only results and the final error: no warnings, notes, per-item lines or progress
    /// bar.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail on standard error: which decoder layer read a code, timings, a line
    /// per batch row.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Colour error/warning prefixes and help: auto (a terminal, and NO_COLOR unset), always
    /// or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    #[arg(default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// How much is said on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `-q`: results and the final error only.
    Quiet,
    /// The default.
    Normal,
    /// `-v`: also detail.
    Verbose,
}

/// The kinds of message on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One item (a file, a row) failed; the command goes on.
    Problem,
    Warning,
    Note,
    Verbose,
}

impl Kind {
    /// The JSON key and, for text, the coloured prefix.
    fn parts(self) -> (&'static str, Option<Style>) {
        match self {
            Kind::Problem => ("error", Some(ERROR)),
            Kind::Warning => ("warning", Some(WARNING)),
            Kind::Note => ("note", Some(NOTE)),
            Kind::Verbose => ("verbose", None),
        }
    }
}

/// The resolved global flags and the one writer of standard error.
#[derive(Debug)]
pub struct Ui {
    json: bool,
    level: Level,
    /// Resolved once: `Always` or `Never`.
    color: anstream::ColorChoice,
    /// Every warning given so far (shown or not), for JSON reports.
    warnings: Mutex<Vec<String>>,
}

impl Default for Ui {
    /// Text, normal verbosity, no colour.
    fn default() -> Ui {
        Ui::with(false, Level::Normal, anstream::ColorChoice::Never)
    }
}

impl Ui {
    /// Resolves the flags; `--color auto` is decided here, once, for standard error.
    pub fn new(args: &GlobalArgs) -> Ui {
        let level = if args.quiet {
            Level::Quiet
        } else if args.verbose {
            Level::Verbose
        } else {
            Level::Normal
        };
        let color = match args.color {
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
            ColorChoice::Auto => match AutoStream::choice(&std::io::stderr()) {
                anstream::ColorChoice::Never => anstream::ColorChoice::Never,
                _ => anstream::ColorChoice::Always,
            },
        };
        Ui::with(args.json, level, color)
    }

    fn with(json: bool, level: Level, color: anstream::ColorChoice) -> Ui {
        Ui { json, level, color, warnings: Mutex::new(Vec::new()) }
    }

    /// `--json`: results as JSON on standard output, messages as JSON Lines on standard error.
    pub fn json(&self) -> bool {
        self.json
    }

    /// `-q`.
    pub fn is_quiet(&self) -> bool {
        self.level == Level::Quiet
    }

    /// `-v`.
    pub fn is_verbose(&self) -> bool {
        self.level == Level::Verbose
    }

    /// A warning (`warning: …`); not with `-q`. Kept for [`Ui::warnings`] either way.
    pub fn warn(&self, msg: impl Display) {
        let msg = msg.to_string();
        self.message(Kind::Warning, &msg);
        self.warnings.lock().unwrap_or_else(|e| e.into_inner()).push(msg);
    }

    /// Something worth knowing that is not wrong (`note: …`); not with `-q`.
    pub fn note(&self, msg: impl Display) {
        self.message(Kind::Note, &msg.to_string());
    }

    /// One item failed and the command goes on (`error: …`); not with `-q`, where the final
    /// error sums it up.
    pub fn problem(&self, msg: impl Display) {
        self.message(Kind::Problem, &msg.to_string());
    }

    /// Detail, only with `-v`. Build costly messages only when [`Ui::is_verbose`].
    pub fn verbose(&self, msg: impl Display) {
        if self.is_verbose() {
            self.message(Kind::Verbose, &msg.to_string());
        }
    }

    /// A human summary line that is a command's result but goes to standard error (batch):
    /// printed even with `-q`, never with `--json` (the command prints its JSON instead).
    pub fn summary(&self, line: impl Display) {
        if !self.json {
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
    }

    /// The warnings given so far, for a JSON report.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Prints a JSON report as one line on standard output.
    pub fn print_json(&self, v: &impl Serialize) -> CliResult {
        let line = serde_json::to_string(v).map_err(CliError::bad_input)?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}")?;
        out.flush()?;
        Ok(())
    }

    /// Refuses `--json` for a command whose output is a document, not a report.
    pub fn refuse_json(&self, why: &str) -> CliResult {
        if self.json {
            return Err(CliError::bad_input(format!("--json does not apply: {why}")));
        }
        Ok(())
    }

    /// The final error: `error: msg` (nothing for an empty text message), or
    /// `{"error": msg, "exit": n}` with `--json`. Always printed, `-q` or not.
    pub fn error(&self, msg: &str, exit: u8) {
        if self.json {
            let msg = if msg.is_empty() { "check failed" } else { msg };
            let v = serde_json::json!({"error": msg, "exit": exit});
            let _ = writeln!(std::io::stderr().lock(), "{v}");
        } else if !msg.is_empty() {
            self.text(Some(("error", ERROR)), msg);
        }
    }

    /// Prints a command's final failure (see `crate::error`) and returns the exit code.
    pub fn fail(&self, e: CliError) -> ExitCode {
        let code = e.exit_code();
        match &e {
            CliError::BrokenPipe => {}
            // Already explained by the lines before it (which -q hides).
            CliError::Reported(_) if !self.json() && !self.is_quiet() => {}
            e => self.error(e.message(), code),
        }
        ExitCode::from(code)
    }

    /// A progress bar on standard error: hidden with `-q` or when standard error is not a
    /// terminal. `None` total makes a spinner.
    pub fn progress_bar(&self, total: Option<u64>, template: &str) -> indicatif::ProgressBar {
        if self.is_quiet() || !std::io::stderr().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let pb = match total {
            Some(t) => indicatif::ProgressBar::new(t),
            None => indicatif::ProgressBar::new_spinner(),
        };
        let style = indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        pb.set_style(style);
        pb
    }

    fn message(&self, kind: Kind, msg: &str) {
        if self.is_quiet() {
            return;
        }
        let (key, style) = kind.parts();
        if self.json {
            let mut obj = serde_json::Map::new();
            obj.insert(key.to_owned(), msg.into());
            let _ = writeln!(std::io::stderr().lock(), "{}", serde_json::Value::Object(obj));
        } else {
            self.text(style.map(|s| (key, s)), msg);
        }
    }

    /// One text line on standard error, with a styled `prefix:` when given. Write errors are
    /// ignored: there is nowhere left to report them.
    fn text(&self, prefix: Option<(&str, Style)>, msg: &str) {
        let mut err = AutoStream::new(std::io::stderr().lock(), self.color);
        let _ = match prefix {
            Some((p, style)) => writeln!(err, "{style}{p}:{style:#} {msg}"),
            None => writeln!(err, "{msg}"),
        };
    }
}

/// What must be known before clap parses (its help and errors are printed while parsing):
/// `--color WHEN` and `--json`, found in the raw arguments up to a `--`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Early {
    /// The last valid `--color` value, else auto.
    pub color: ColorChoice,
    /// Whether `--json` was given.
    pub json: bool,
}

impl Early {
    /// Scans the arguments (without the program name).
    pub fn scan(args: impl IntoIterator<Item = OsString>) -> Early {
        let mut early = Early { color: ColorChoice::Auto, json: false };
        let mut args = args.into_iter();
        while let Some(a) = args.next() {
            let Some(a) = a.to_str() else { continue };
            let value = match a {
                "--" => break,
                "--json" => {
                    early.json = true;
                    continue;
                }
                "--color" => args.next().and_then(|v| v.into_string().ok()),
                _ => a.strip_prefix("--color=").map(str::to_owned),
            };
            if let Some(c) = value.and_then(|v| v.parse::<ColorChoice>().ok()) {
                early.color = c;
            }
        }
        early
    }
}

/// Prints a clap error (or help or version) and returns its exit code. With `--json`, a usage
/// error is one `{"error": "…", "exit": 2}` object instead of clap's text.
pub fn clap_error(e: clap::Error, json: bool) -> ExitCode {
    use clap::error::ErrorKind;
    let code = u8::try_from(e.exit_code()).unwrap_or(2);
    if !json || code == 0 || matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
    {
        let _ = e.print();
        return ExitCode::from(code);
    }
    let msg = if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        "a subcommand is required (see --help)".to_owned()
    } else {
        clap_message(&e.render().to_string())
    };
    Ui::with(true, Level::Normal, anstream::ColorChoice::Never).error(&msg, code);
    ExitCode::from(code)
}

/// The first paragraph of clap's plain-text error, without its `error: ` prefix.
fn clap_message(rendered: &str) -> String {
    let text = rendered.trim();
    let text = text.strip_prefix("error: ").unwrap_or(text);
    text.split("\n\n").next().unwrap_or(text).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(args: &[&str]) -> Early {
        Early::scan(args.iter().map(OsString::from))
    }

    #[test]
    fn early_flags_are_found_before_a_double_dash() {
        assert_eq!(scan(&["parse", "x"]), Early { color: ColorChoice::Auto, json: false });
        assert_eq!(
            scan(&["--color", "never", "parse", "--json"]),
            Early { color: ColorChoice::Never, json: true }
        );
        assert_eq!(scan(&["--color=always", "x"]).color, ColorChoice::Always);
        assert_eq!(scan(&["--color=always", "--color", "never"]).color, ColorChoice::Never);
        assert_eq!(scan(&["--color", "sometimes"]).color, ColorChoice::Auto);
        assert_eq!(scan(&["--", "--json", "--color=always"]), scan(&[]));
    }

    #[test]
    fn clap_messages_lose_prefix_and_usage() {
        let rendered = "error: unexpected argument '--nope' found\n\n  tip: x\n\nUsage: qrpin\n";
        assert_eq!(clap_message(rendered), "unexpected argument '--nope' found");
        assert_eq!(clap_message("plain"), "plain");
    }

    #[test]
    fn levels_and_warnings() {
        let g = |q: bool, v: bool| GlobalArgs {
            json: false,
            quiet: q,
            verbose: v,
            color: ColorChoice::Never,
        };
        assert!(Ui::new(&g(true, false)).is_quiet());
        assert!(Ui::new(&g(false, true)).is_verbose());
        let ui = Ui::new(&g(true, false));
        ui.warn("kept for reports even when quiet");
        assert_eq!(ui.warnings(), ["kept for reports even when quiet"]);
        assert!(ui.refuse_json("x").is_ok());
        let json = Ui::with(true, Level::Normal, anstream::ColorChoice::Never);
        let refused = json.refuse_json("a script");
        assert!(matches!(refused, Err(CliError::BadInput(m)) if m.contains("a script")));
    }
}
