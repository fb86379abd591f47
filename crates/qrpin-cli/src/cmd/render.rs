//! `qrpin render`: payload → QR code as SVG, PNG or terminal text.
//!
//! Flags are parsed into [`Args`], turned into the render crate's options structs (checking
//! which flags apply to the chosen format), and the bytes are written to standard output or
//! atomically to a file (a temporary file in the same directory, then renamed).
//!
//! `--json` reports what was written (see [`RenderReport`]) on standard output, so it needs
//! `-o FILE`: with the image on standard output it is refused (exit 2) rather than mixed in
//! with the image or moved to standard error.

use std::io::{IsTerminal, Write};
use std::path::Path;

use clap::ValueEnum;
use qrpin_codec::{Ecl, Payload, PayloadBuf};
use qrpin_render::{
    check_dpi, contrast_warning, fit_print, Background, EncodeOptions, Length, PngCompression,
    PngOptions, QrMatrix, RenderOptions, Rgb, SvgOptions, SvgStyle, TextOptions,
};

use crate::cmd::written::{mm, px_to_mm, RenderReport};
use crate::error::{CliError, CliResult};
use crate::ui::Ui;

/// The default resolution when `--size` asks for a physical size of a PNG without `--dpi`.
const DEFAULT_PRINT_DPI: u32 = 300;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// SVG: one path of merged runs (or Entra's markup with --svg-style entra).
    Svg,
    /// PNG: 1-bit greyscale for black on white, else a 1-bit palette.
    Png,
    /// Unicode half blocks for a terminal (to scan from the screen).
    Txt,
}

/// SVG markup styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StyleArg {
    /// Compact: a viewBox in modules and one <path>.
    Plain,
    /// Like Microsoft Graph's images: <svg version="1.1" baseProfile="full" …> with <rect>s.
    Entra,
}

/// Arguments of `qrpin render`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["raw", "upn"])))]
pub struct Args {
    /// Render this exact text (a warning is printed if it is not a valid ms-qrpin payload).
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["upn", "code_id"])]
    pub raw: Option<String>,
    /// Build the payload from this user principal name (with --code-id).
    #[arg(long, requires = "code_id")]
    pub upn: Option<String>,
    /// The qrCode id (a GUID) for the payload (with --upn).
    #[arg(long = "code-id", value_name = "GUID", requires = "upn")]
    pub code_id: Option<String>,
    /// Error-correction level, never raised automatically. Entra's own images use l.
    #[arg(long, default_value = "l", value_name = "l|m|q|h")]
    pub ecl: Ecl,
    /// Output format. Default: from the -o extension (.svg, .png, .txt), else svg.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// SVG markup style.
    #[arg(long = "svg-style", value_enum, default_value = "plain")]
    pub svg_style: StyleArg,
    /// Pixels per module, 1..=100 (default 5). Not with --size.
    #[arg(long, conflicts_with = "size")]
    pub scale: Option<u32>,
    /// Quiet zone in modules on each side, 0..=100.
    #[arg(long, default_value_t = qrpin_render::DEFAULT_BORDER)]
    pub border: u32,
    /// Force the QR version, 1..=40 (error if the payload does not fit). Default: smallest.
    #[arg(long, value_name = "N")]
    pub version: Option<u32>,
    /// Force the mask pattern, 0..=7. Default: lowest penalty.
    #[arg(long, value_name = "N")]
    pub mask: Option<u32>,
    /// Resolution for print, dots per inch: written to the PNG pHYs chunk and used with --size.
    #[arg(long, value_name = "N")]
    pub dpi: Option<u32>,
    /// Printed size of the whole image, quiet zone included: e.g. 2in, 50mm, 1.5cm, 300px.
    /// PNG: the largest whole number of pixels per module that fits (at --dpi, default 300);
    /// SVG: written as the width and height.
    #[arg(long, value_name = "LEN")]
    pub size: Option<String>,
    /// Foreground (dark module) colour, #rgb or #rrggbb.
    #[arg(long, value_name = "HEX")]
    pub fg: Option<String>,
    /// Background colour, #rgb or #rrggbb, or "transparent".
    #[arg(long, value_name = "HEX|transparent")]
    pub bg: Option<String>,
    /// A <title> for the SVG.
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// Text output for a terminal with dark text on a light background (the default suits
    /// light text on a dark background).
    #[arg(long = "light-terminal")]
    pub light_terminal: bool,
    /// Output file, or - for standard output (the default). Files are replaced atomically.
    #[arg(short = 'o', long = "output", value_name = "FILE|-")]
    pub output: Option<String>,
}

/// Runs `qrpin render`.
pub fn run(args: Args, ui: &Ui) -> CliResult {
    let output = args.output.as_deref().filter(|o| *o != "-");
    if ui.json() && output.is_none() {
        return Err(CliError::bad_input(
            "--json reports on standard output, where the image would go; write the image with \
             -o FILE",
        ));
    }
    let bytes = payload_bytes(&args, ui)?;
    let format = match (args.format, output) {
        (Some(f), _) => f,
        (None, Some(path)) => format_from_extension(path)?,
        (None, None) => Format::Svg,
    };
    check_applicable(&args, format)?;
    if format == Format::Png && output.is_none() && std::io::stdout().is_terminal() {
        return Err(CliError::bad_input(
            "refusing to write a binary PNG to a terminal; use -o FILE or redirect standard output",
        ));
    }

    let version = match args.version {
        Some(v) if !(1..=40).contains(&v) => {
            return Err(bad(qrpin_render::RenderError::BadVersion(v)))
        }
        v => v.map(|v| v as u8),
    };
    let mask = match args.mask {
        Some(m) if m > 7 => return Err(bad(qrpin_render::RenderError::BadMask(m))),
        m => m.map(|m| m as u8),
    };
    let matrix =
        QrMatrix::encode(&bytes, &EncodeOptions { ecl: args.ecl, version, mask }).map_err(bad)?;

    let fg: Rgb =
        args.fg.as_deref().map(str::parse).transpose().map_err(bad)?.unwrap_or(Rgb::BLACK);
    let bg: Background =
        args.bg.as_deref().map(str::parse).transpose().map_err(bad)?.unwrap_or_default();
    if let Some(w) = contrast_warning(fg, bg) {
        ui.warn(w);
    }
    let size: Option<Length> = args.size.as_deref().map(str::parse).transpose().map_err(bad)?;
    let dpi = args.dpi.map(check_dpi).transpose().map_err(bad)?;
    let base = RenderOptions {
        scale: args.scale.unwrap_or(RenderOptions::default().scale),
        border: args.border,
        fg,
        bg,
    };
    base.validate().map_err(bad)?;
    let started = std::time::Instant::now();
    let mut scale = Some(base.scale);
    let mut png_dpi = None;
    let mut png_size = None;

    let out: Vec<u8> = match format {
        Format::Svg => {
            let style = match args.svg_style {
                StyleArg::Plain => SvgStyle::Plain,
                StyleArg::Entra => SvgStyle::Entra,
            };
            let opts = SvgOptions { base, style, title: args.title.clone(), size };
            qrpin_render::to_svg(&matrix, &opts).map_err(bad)?.into_bytes()
        }
        Format::Png => {
            let mut base = base;
            let mut dpi = dpi;
            if let Some(size) = size {
                let print_dpi = dpi.unwrap_or(DEFAULT_PRINT_DPI);
                let modules = (matrix.size() + 2 * base.border as usize) as u32;
                let fit = fit_print(modules, size, print_dpi).map_err(bad)?;
                if let Some(note) = fit.note() {
                    ui.note(note);
                }
                base.scale = fit.scale;
                dpi = Some(print_dpi);
            }
            (scale, png_dpi) = (Some(base.scale), dpi);
            // One file: the smallest output is worth the fraction of a millisecond.
            let opts = PngOptions { base, dpi, compression: PngCompression::Small };
            let mut png = Vec::new();
            png_size = Some(qrpin_render::write_png(&matrix, &opts, &mut png).map_err(bad)?);
            png
        }
        Format::Txt => {
            scale = None;
            let opts = TextOptions { border: base.border, light_terminal: args.light_terminal };
            qrpin_render::to_text(&matrix, &opts).map_err(bad)?.into_bytes()
        }
    };

    let Some(path) = output else {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&out)?;
        stdout.flush()?;
        return Ok(());
    };
    crate::io::write_file_atomic(Path::new(path), &out)?;
    if !ui.json() && !ui.is_verbose() {
        return Ok(());
    }
    let side = (matrix.size() + 2 * base.border as usize) as u32;
    let pixels = match format {
        Format::Png => png_size.map(|(w, h)| [w, h]),
        Format::Svg if size.is_none() => scale.map(|s| [side * s, side * s]),
        _ => None,
    };
    let printed_mm = match (format, size, png_dpi, pixels) {
        (Format::Png, _, Some(d), Some([w, _])) => Some(px_to_mm(w, d)),
        (Format::Svg, Some(l), _, _) => Some(mm(qrpin_render::badge::to_mm(l))),
        _ => None,
    };
    let w = RenderReport {
        output: path.to_owned(),
        format: format_name(format),
        version: matrix.version(),
        ecl: matrix.ecl().to_string(),
        mask: matrix.mask(),
        modules: matrix.size(),
        border: base.border,
        scale,
        pixels,
        dpi: png_dpi,
        printed_mm,
        bytes: out.len(),
        warnings: ui.warnings(),
    };
    w.emit(started, ui)
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Svg => "svg",
        Format::Png => "png",
        Format::Txt => "txt",
    }
}

fn bad(e: impl std::fmt::Display) -> CliError {
    CliError::bad_input(e)
}

/// The bytes to encode: `--raw` exactly as given, or the payload built from `--upn`/`--code-id`.
fn payload_bytes(args: &Args, ui: &Ui) -> Result<Vec<u8>, CliError> {
    if let Some(raw) = &args.raw {
        if let Err(e) = Payload::parse(raw) {
            ui.warn(format_args!(
                "--raw text is not a valid ms-qrpin payload ({e}); rendering it as given"
            ));
        }
        return Ok(raw.clone().into_bytes());
    }
    match (&args.upn, &args.code_id) {
        (Some(upn), Some(id)) => {
            Ok(PayloadBuf::build(upn, id).map_err(bad)?.as_str().as_bytes().to_vec())
        }
        _ => Err(CliError::bad_input("give --raw TEXT, or --upn and --code-id")),
    }
}

fn format_from_extension(path: &str) -> Result<Format, CliError> {
    let ext = Path::new(path).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("svg") => Ok(Format::Svg),
        Some("png") => Ok(Format::Png),
        Some("txt") => Ok(Format::Txt),
        _ => Err(CliError::bad_input(format!(
            "cannot tell the format from the file name {path:?}; use a .svg, .png or .txt \
             extension or --format svg|png|txt"
        ))),
    }
}

/// Refuses flags that do nothing for the chosen format, so a typo is not silently ignored.
fn check_applicable(args: &Args, format: Format) -> Result<(), CliError> {
    let name = format_name(format);
    let mut unused = Vec::new();
    let mut flag = |given: bool, flag: &str, formats: &[Format]| {
        if given && !formats.contains(&format) {
            unused.push(flag.to_owned());
        }
    };
    flag(args.svg_style != StyleArg::Plain, "--svg-style", &[Format::Svg]);
    flag(args.title.is_some(), "--title", &[Format::Svg]);
    flag(args.scale.is_some(), "--scale", &[Format::Svg, Format::Png]);
    flag(args.size.is_some(), "--size", &[Format::Svg, Format::Png]);
    flag(args.dpi.is_some(), "--dpi", &[Format::Png]);
    flag(args.fg.is_some(), "--fg", &[Format::Svg, Format::Png]);
    flag(args.bg.is_some(), "--bg", &[Format::Svg, Format::Png]);
    flag(args.light_terminal, "--light-terminal", &[Format::Txt]);
    match unused.len() {
        0 => Ok(()),
        1 => Err(CliError::bad_input(format!("{} does not apply to --format {name}", unused[0]))),
        _ => Err(CliError::bad_input(format!(
            "{} do not apply to --format {name}",
            unused.join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn payload_bytes_of(a: &Args) -> Result<Vec<u8>, CliError> {
        payload_bytes(a, &Ui::default())
    }

    fn parse(argv: &[&str]) -> Args {
        Cli::try_parse_from(std::iter::once("render").chain(argv.iter().copied())).unwrap().args
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(format_from_extension("a/b.PNG").unwrap(), Format::Png);
        assert_eq!(format_from_extension("b.svg").unwrap(), Format::Svg);
        assert_eq!(format_from_extension("b.txt").unwrap(), Format::Txt);
        for bad in ["b.jpg", "b", "dir.png/"] {
            let e = format_from_extension(bad);
            assert!(bad == "dir.png/" || matches!(e, Err(CliError::BadInput(_))), "{bad}");
        }
    }

    #[test]
    fn flags_for_other_formats_are_refused() {
        let a = parse(&["--raw", "x", "--dpi", "300", "--title", "t"]);
        let Err(CliError::BadInput(msg)) = check_applicable(&a, Format::Txt) else { panic!() };
        assert_eq!(msg, "--title, --dpi do not apply to --format txt");
        assert!(check_applicable(&parse(&["--raw", "x", "--dpi", "300"]), Format::Png).is_ok());
        let a = parse(&["--raw", "x", "--light-terminal"]);
        assert!(check_applicable(&a, Format::Txt).is_ok());
        let Err(CliError::BadInput(msg)) = check_applicable(&a, Format::Svg) else { panic!() };
        assert_eq!(msg, "--light-terminal does not apply to --format svg");
    }

    #[test]
    fn input_is_raw_or_built() {
        let sample = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
        let a = parse(&[
            "--upn",
            "admin@xpfq8.onmicrosoft.com",
            "--code-id",
            "44F2F040-EA9D-4283-9E7B-B63DDAE391A9",
        ]);
        assert_eq!(payload_bytes_of(&a).unwrap(), sample.as_bytes());
        assert_eq!(
            payload_bytes_of(&parse(&["--raw", "not a payload"])).unwrap(),
            b"not a payload"
        );
        assert!(payload_bytes_of(&parse(&["--upn", "no-at", "--code-id", "x"])).is_err());
        assert!(Cli::try_parse_from(["render", "--raw", "x", "--upn", "a@b"]).is_err());
        assert!(Cli::try_parse_from(["render", "--upn", "a@b"]).is_err());
        assert!(
            Cli::try_parse_from(["render", "--raw", "x", "--scale", "2", "--size", "2in"]).is_err()
        );
    }

    #[test]
    fn atomic_write_replaces_and_keeps_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.svg");
        crate::io::write_file_atomic(&path, b"one").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        crate::io::write_file_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // Only the output is left behind: no temporary files.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(crate::io::write_file_atomic(&dir.path().join("missing/out.svg"), b"x").is_err());
    }
}
