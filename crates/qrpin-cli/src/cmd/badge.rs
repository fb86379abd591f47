//! `qrpin badge`: a printable badge (code at an exact size, name, UPN, validity, organisation,
//! logo) as SVG, PNG or PDF, alone or N-up on A4/Letter sheets.
//!
//! Flags are parsed into [`Args`], turned into a [`BadgeSpec`], built by the render crate's
//! badge module, and written atomically to the `-o` file, whose extension picks the format.
//! `--json` and `-v` report what was written ([`BadgeReport`]); a PIN is never in a report.

use std::path::Path;

use clap::ValueEnum;
use qrpin_codec::graph::{parse_object, GraphObject};
use qrpin_codec::{Ecl, Payload, PayloadBuf};
use qrpin_render::badge::{
    badge_pdf, badge_png, build_badge_svg, pdf_document, sheet_pages, BadgeSpec, FontSet, Layout,
    Logo, Sheet,
};
use qrpin_render::{check_dpi, Length};

use crate::cmd::badge_input::{expiry_date, parse_badge_size, read_logo};
use crate::cmd::written::{mm, png_dimensions, BadgeReport};
use crate::error::{CliError, CliResult};
use crate::ui::Ui;

/// Badge shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// ID-1 card, 85.6 × 54 mm, code on the left.
    Card,
    /// ID-1 card, 54 × 85.6 mm, code on top.
    CardPortrait,
    /// A label of --badge-size.
    Label,
}

/// Paper sizes for --sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SheetArg {
    /// 210 × 297 mm.
    A4,
    /// 8.5 × 11 in.
    Letter,
}

/// Arguments of `qrpin badge`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["raw", "upn", "graph"])))]
pub struct Args {
    /// Encode this exact text (a warning is printed if it is not a valid ms-qrpin payload).
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["upn", "code_id", "graph"])]
    pub raw: Option<String>,
    /// Build the payload from this user principal name (with --code-id).
    #[arg(long, requires = "code_id", conflicts_with = "graph")]
    pub upn: Option<String>,
    /// The qrCode id (a GUID) for the payload (with --upn).
    #[arg(long = "code-id", value_name = "GUID", requires = "upn")]
    pub code_id: Option<String>,
    /// A Microsoft Graph qrCode (or qrCodePinAuthenticationMethod) JSON file, or - for stdin:
    /// the payload comes from image.rawContent and the expiry from expireDateTime. A
    /// `qrpin provision` journal gives one badge per user (with --sheet).
    #[arg(long, value_name = "RESPONSE.json")]
    pub graph: Option<String>,
    /// The holder's display name.
    #[arg(long)]
    pub name: Option<String>,
    /// Last day of validity: an RFC 3339 date-time (printed as its UTC date) or YYYY-MM-DD.
    /// Overrides expireDateTime from --graph.
    #[arg(long, value_name = "DATETIME")]
    pub expires: Option<String>,
    /// How the badge looks.
    #[command(flatten)]
    pub style: StyleArgs,
    /// Place the badges N-up on sheets of this paper size, with crop marks.
    #[arg(long, value_enum)]
    pub sheet: Option<SheetArg>,
    /// How many copies of the badge to place on the sheets (with --sheet).
    #[arg(long, value_name = "N", requires = "sheet")]
    pub copies: Option<usize>,
    /// Print this temporary PIN on the badge (off by default; prints a warning).
    #[arg(long = "with-pin", value_name = "PIN")]
    pub with_pin: Option<String>,
    /// Output file: .svg, .png or .pdf (replaced atomically).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: String,
}

/// The look of a badge: shared by `qrpin badge` and `qrpin provision`.
#[derive(Debug, Clone, clap::Args)]
pub struct StyleArgs {
    /// An organisation line.
    #[arg(long, value_name = "TEXT")]
    pub org: Option<String>,
    /// A logo, PNG or SVG (told apart by content; at most 2 MiB).
    #[arg(long, value_name = "FILE")]
    pub logo: Option<String>,
    /// Badge shape.
    #[arg(long, value_enum, default_value = "card")]
    pub layout: LayoutArg,
    /// Size of a label, e.g. 100x60mm or 4inx2.5in (implies --layout label).
    #[arg(long = "badge-size", value_name = "WxH")]
    pub badge_size: Option<String>,
    /// Printed size of the code including its 4-module quiet zone, e.g. 2in, 40mm.
    #[arg(long = "qr-size", value_name = "LEN", default_value = "2in")]
    pub qr_size: String,
    /// Error-correction level, never raised automatically.
    #[arg(long, default_value = "m", value_name = "l|m|q|h")]
    pub ecl: Ecl,
    /// Resolution of PNG output, dots per inch (written to pHYs).
    #[arg(long, value_name = "N")]
    pub dpi: Option<u32>,
}

/// Output formats, from the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Svg,
    Png,
    Pdf,
}

/// The most copies one command places on sheets.
const MAX_COPIES: usize = 10_000;
/// The default resolution of PNG output.
const DEFAULT_DPI: u32 = 300;

/// Runs `qrpin badge`.
pub fn run(args: Args, ui: &Ui) -> CliResult {
    let started = std::time::Instant::now();
    let format = format_from_extension(&args.output)?;
    if args.style.dpi.is_some() && format != Format::Png {
        return Err(CliError::bad_input("--dpi applies only to .png output"));
    }
    let dpi = check_dpi(args.style.dpi.unwrap_or(DEFAULT_DPI)).map_err(bad)?;
    let journal = journal_specs(&args, ui)?;
    let spec = match journal.first() {
        Some(first) => first.clone(),
        None => spec_from_args(&args, ui)?,
    };
    if journal.len() > 1 && args.sheet.is_none() {
        return Err(CliError::bad_input(format!(
            "{}: the journal holds {} codes; print them on sheets with --sheet a4 (or letter), \
             or one file each with qrpin batch {0} --out DIR",
            args.graph.as_deref().unwrap_or("-"),
            journal.len()
        )));
    }
    if spec.pin.is_some() {
        ui.warn(
            "the PIN will be printed on the badge; anyone who sees the badge can sign in as this \
             user",
        );
    }
    let fonts = FontSet::with_system_fallback();
    let badge = build_badge_svg(&spec, &fonts).map_err(bad)?;
    for w in &badge.warnings {
        ui.warn(w);
    }
    let mut written = BadgeReport {
        output: args.output.clone(),
        format: match format {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Pdf => "pdf",
        },
        version: badge.geometry.qr_version,
        ecl: spec.ecl.to_string(),
        modules: badge.geometry.qr_modules,
        qr_size_mm: mm(badge.geometry.qr.w),
        badge_mm: [mm(badge.drawing.width_mm()), mm(badge.drawing.height_mm())],
        sheet: None,
        copies: 1,
        pages: 1,
        page_mm: [mm(badge.drawing.width_mm()), mm(badge.drawing.height_mm())],
        dpi: (format == Format::Png).then_some(dpi),
        pixels: None,
        bytes: 0,
        pin_printed: spec.pin.is_some(),
        warnings: Vec::new(),
    };
    let bytes = match args.sheet {
        None => match format {
            Format::Svg => badge.drawing.to_svg().into_bytes(),
            Format::Png => badge_png(&badge.drawing, dpi).map_err(bad)?,
            Format::Pdf => badge_pdf(&badge.drawing).map_err(bad)?,
        },
        Some(sheet) => {
            let copies = args.copies.unwrap_or(1);
            if copies == 0 || copies > MAX_COPIES {
                return Err(CliError::bad_input(format!(
                    "--copies {copies} is out of range (expected 1..={MAX_COPIES})"
                )));
            }
            let (sheet, name) = match sheet {
                SheetArg::A4 => (Sheet::A4, "a4"),
                SheetArg::Letter => (Sheet::Letter, "letter"),
            };
            let badges = if journal.len() > 1 {
                if args.copies.is_some() {
                    return Err(CliError::bad_input(
                        "--copies applies to one badge; a journal gives one badge per user",
                    ));
                }
                let mut all = vec![badge];
                for spec in &journal[1..] {
                    let b = build_badge_svg(spec, &fonts).map_err(bad)?;
                    for w in &b.warnings {
                        ui.warn(w);
                    }
                    all.push(b);
                }
                all
            } else {
                vec![badge; copies]
            };
            let copies = badges.len();
            let pages = sheet_pages(&badges, sheet).map_err(bad)?;
            written.sheet = Some(name);
            written.copies = copies;
            written.pages = pages.len();
            if let Some(p) = pages.first() {
                written.page_mm = [mm(p.width_mm()), mm(p.height_mm())];
            }
            match (format, pages.as_slice()) {
                (Format::Pdf, _) => pdf_document(&pages).map_err(bad)?,
                (Format::Svg, [page]) => page.to_svg().into_bytes(),
                (Format::Png, [page]) => badge_png(page, dpi).map_err(bad)?,
                (_, _) => {
                    return Err(CliError::bad_input(format!(
                        "{copies} badges need {} pages; write a .pdf for more than one page",
                        pages.len()
                    )))
                }
            }
        }
    };
    crate::io::write_file_atomic(Path::new(&args.output), &bytes)?;
    if ui.json() || ui.is_verbose() {
        written.pixels = png_dimensions(&bytes).map(|(w, h)| [w, h]);
        written.bytes = bytes.len();
        written.warnings = ui.warnings();
        written.emit(started, ui)?;
    }
    Ok(())
}

fn bad(e: impl std::fmt::Display) -> CliError {
    CliError::bad_input(e)
}

/// The badge description from the flags (reads --graph and --logo files).
fn spec_from_args(args: &Args, ui: &Ui) -> Result<BadgeSpec, CliError> {
    let (payload, graph_expiry) = payload_and_expiry(args, ui)?;
    let mut spec = styled_spec(&args.style, payload)?;
    spec.name = args.name.clone();
    spec.pin = args.with_pin.clone();
    spec.expires = match &args.expires {
        Some(e) => Some(expiry_date(e)?),
        None => graph_expiry,
    };
    Ok(spec)
}

/// A badge of `payload` in `style` (reads the --logo file); name, expiry and PIN are unset.
pub fn styled_spec(style: &StyleArgs, payload: String) -> Result<BadgeSpec, CliError> {
    let mut spec = BadgeSpec::new(payload);
    spec.ecl = style.ecl;
    spec.org = style.org.clone();
    spec.qr_size = style.qr_size.parse::<Length>().map_err(|e| bad(format!("--qr-size: {e}")))?;
    spec.layout = match (style.layout, &style.badge_size) {
        (LayoutArg::Card, None) => Layout::Card,
        (LayoutArg::CardPortrait, None) => Layout::CardPortrait,
        (LayoutArg::Label | LayoutArg::Card, Some(size)) => {
            let (width, height) = parse_badge_size(size)?;
            Layout::Label { width, height }
        }
        (LayoutArg::Label, None) => {
            return Err(CliError::bad_input("--layout label needs --badge-size WxH"))
        }
        (LayoutArg::CardPortrait, Some(_)) => {
            return Err(CliError::bad_input(
                "--badge-size is for labels; cards are always 85.6 x 54 mm",
            ))
        }
    };
    if let Some(path) = &style.logo {
        let data = read_logo(path)?;
        spec.logo = Some(Logo::sniff(data).map_err(|e| bad(format!("{path}: {e}")))?);
    }
    Ok(spec)
}

/// With `--graph` naming a `qrpin provision` journal: one badge spec per user's latest code
/// (name from the journal, expiry from the code). Empty for any other input.
fn journal_specs(args: &Args, ui: &Ui) -> Result<Vec<BadgeSpec>, CliError> {
    let Some(path) = &args.graph else { return Ok(Vec::new()) };
    if path == "-" {
        return Ok(Vec::new());
    }
    let bytes = crate::io::read_file_or_stdin(path)?;
    let first = bytes.split(|&b| b == b'\n').find(|l| !l.iter().all(u8::is_ascii_whitespace));
    let is_journal = first.is_some_and(|l| {
        serde_json::from_slice::<serde_json::Value>(l)
            .is_ok_and(|v| v.get("journal").is_some() && v.get("event").is_some())
    });
    if !is_journal {
        return Ok(Vec::new());
    }
    if args.with_pin.is_some() {
        return Err(bad("--with-pin cannot be used with a journal: its PINs go on PIN slips"));
    }
    let j = qrpin_codec::graph::journal::read_journal(&bytes)
        .map_err(|e| bad(format!("{path}: {e}")))?;
    if let Some(t) = j.torn {
        ui.warn(format_args!("{path}: line {} is a record torn by a crash; ignored", t.line));
    }
    let codes = crate::cmd::provision::outputs::latest_codes(&j.records);
    if codes.is_empty() {
        return Err(bad(format!("{path}: the journal holds no created code")));
    }
    let mut specs = Vec::with_capacity(codes.len());
    for c in codes {
        let raw =
            c.code.image.as_ref().and_then(|i| i.raw_content.as_deref()).ok_or_else(|| {
                bad(format!("{path}: record {}: the answer has no image.rawContent", c.record.seq))
            })?;
        let text = qrpin_codec::base64::decode(raw)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| {
                bad(format!("{path}: record {}: image.rawContent is not base64 text", c.record.seq))
            })?;
        let mut spec = styled_spec(&args.style, text)?;
        spec.name = args.name.clone().or(c.record.user.display_name.clone());
        spec.pin = args.with_pin.clone();
        spec.expires = match &args.expires {
            Some(e) => Some(expiry_date(e)?),
            None => c.code.expire_date_time.as_ref().map(|d| d.date_utc()),
        };
        specs.push(spec);
    }
    Ok(specs)
}

/// The payload text, and the expiry date from --graph if any.
fn payload_and_expiry(args: &Args, ui: &Ui) -> Result<(String, Option<String>), CliError> {
    if let Some(raw) = &args.raw {
        if let Err(e) = Payload::parse(raw) {
            ui.warn(format_args!(
                "--raw text is not a valid ms-qrpin payload ({e}); using it as given"
            ));
        }
        return Ok((raw.clone(), None));
    }
    if let (Some(upn), Some(id)) = (&args.upn, &args.code_id) {
        return Ok((PayloadBuf::build(upn, id).map_err(bad)?.into_string(), None));
    }
    let Some(path) = &args.graph else {
        return Err(CliError::bad_input("give --raw TEXT, --upn and --code-id, or --graph FILE"));
    };
    let json = crate::io::read_file_or_stdin(path)?;
    let obj = parse_object(&json).map_err(|e| bad(format!("{path}: {e}")))?;
    let code = match obj {
        GraphObject::QrCode(c) => c,
        GraphObject::Method(m) => m.standard_qr_code.or(m.temporary_qr_code).ok_or_else(|| {
            bad(format!("{path}: the qrCodePinAuthenticationMethod holds no qrCode"))
        })?,
        GraphObject::QrPin(_) => {
            return Err(bad(format!("{path}: a qrPin has no code to print; give a qrCode")))
        }
    };
    let raw = code
        .image
        .as_ref()
        .and_then(|i| i.raw_content.as_deref())
        .ok_or_else(|| bad(format!("{path}: the qrCode has no image.rawContent")))?;
    let bytes = qrpin_codec::base64::decode(raw)
        .map_err(|e| bad(format!("{path}: image.rawContent: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| bad(format!("{path}: image.rawContent is not UTF-8 text")))?;
    if let Err(e) = Payload::parse(&text) {
        ui.warn(format_args!("{path}: image.rawContent is not a valid ms-qrpin payload ({e})"));
    }
    let expiry = code.expire_date_time.filter(|d| !d.is_min_value()).map(|d| d.date_utc());
    Ok((text, expiry))
}

fn format_from_extension(path: &str) -> Result<Format, CliError> {
    let ext = Path::new(path).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("svg") => Ok(Format::Svg),
        Some("png") => Ok(Format::Png),
        Some("pdf") => Ok(Format::Pdf),
        _ => Err(bad(format!(
            "cannot tell the format from the file name {path:?}; use .svg, .png or .pdf"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    const SAMPLE: &str =
        "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn run_with(argv: &[&str]) -> CliResult {
        let cli = Cli::try_parse_from(std::iter::once("badge").chain(argv.iter().copied()))
            .map_err(|e| CliError::bad_input(e.to_string()))?;
        run(cli.args, &Ui::default())
    }

    #[test]
    fn writes_every_format_and_it_decodes() {
        let dir = tempfile::tempdir().unwrap();
        let scanner = qrpin_scan::Scanner::default();
        for ext in ["svg", "png", "pdf"] {
            let out = dir.path().join(format!("b.{ext}"));
            let out = out.to_str().unwrap();
            run_with(&[
                "--upn",
                "admin@xpfq8.onmicrosoft.com",
                "--code-id",
                "44f2f040-ea9d-4283-9e7b-b63ddae391a9",
                "--name",
                "<b>&\"'",
                "--expires",
                "2026-12-19",
                "-o",
                out,
            ])
            .unwrap();
            let bytes = std::fs::read(out).unwrap();
            match ext {
                "pdf" => assert!(bytes.starts_with(b"%PDF-")),
                _ => assert!(qrpin_scan::verify(&scanner, &bytes, SAMPLE, Some(Ecl::M))
                    .unwrap()
                    .is_match()),
            }
            if ext == "svg" {
                let svg = String::from_utf8(bytes).unwrap();
                assert!(
                    svg.contains("&lt;b&gt;&amp;&quot;&apos;")
                        && svg.contains("valid until 2026-12-19")
                );
                assert!(!svg.contains("PIN"));
            }
        }
        // Only the outputs: no temporary files left.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    }

    #[test]
    fn graph_response_gives_payload_and_expiry() {
        let dir = tempfile::tempdir().unwrap();
        let graph = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/graph/qrcode-create-response.json"
        );
        let out = dir.path().join("g.svg");
        run_with(&["--graph", graph, "-o", out.to_str().unwrap()]).unwrap();
        let svg = std::fs::read_to_string(&out).unwrap();
        assert!(svg.contains("valid until 2025-12-19"), "{svg}");
        assert!(svg.contains("admin@xpfq8.onmicrosoft.com"));
        let v = qrpin_scan::verify(&qrpin_scan::Scanner::default(), svg.as_bytes(), SAMPLE, None);
        assert!(v.unwrap().is_match());
    }

    #[test]
    fn sheets_and_bad_input() {
        let dir = tempfile::tempdir().unwrap();
        let p = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
        let base = ["--raw", SAMPLE, "--name", "Ann"];
        let with = |extra: &[&str]| -> CliResult {
            let mut v: Vec<&str> = base.to_vec();
            v.extend_from_slice(extra);
            run_with(&v)
        };
        with(&["--sheet", "a4", "--copies", "9", "-o", &p("s.pdf")]).unwrap();
        with(&["--sheet", "letter", "--copies", "2", "-o", &p("s.png"), "--dpi", "100"]).unwrap();
        let bad = |extra: &[&str], needle: &str| match with(extra) {
            Err(CliError::BadInput(msg)) => assert!(msg.contains(needle), "{msg}"),
            other => panic!("{extra:?}: {other:?}"),
        };
        bad(&["--sheet", "a4", "--copies", "9", "-o", &p("s.png")], "pages");
        bad(&["--sheet", "a4", "--copies", "0", "-o", &p("s.pdf")], "--copies 0");
        bad(&["--layout", "label", "-o", &p("l.svg")], "--badge-size");
        bad(&["--badge-size", "20x20mm", "-o", &p("l.svg")], "does not fit");
        bad(&["--dpi", "300", "-o", &p("x.svg")], "--dpi");
        bad(&["-o", &p("x.jpg")], "format");
        bad(&["--qr-size", "2ft", "-o", &p("x.svg")], "--qr-size");
        bad(&["--logo", &p("missing.png"), "-o", &p("x.svg")], "cannot open");
        std::fs::write(p("logo.gif"), b"GIF89a").unwrap();
        bad(&["--logo", &p("logo.gif"), "-o", &p("x.svg")], "neither a PNG nor an SVG");
        bad(&["--expires", "soon", "-o", &p("x.svg")], "--expires");
        assert!(std::fs::metadata(p("x.svg")).is_err(), "nothing written on error");
    }

    #[test]
    fn formats() {
        assert_eq!(format_from_extension("a/B.PDF").unwrap(), Format::Pdf);
        assert!(format_from_extension("b.txt").is_err());
    }
}
