//! `qrpin batch --badge`: a printable badge per row, or all badges on N-up sheets.
//!
//! Each badge is built from the row (display name, UPN from the payload, "valid until" from
//! `expireDateTime`) with the render crate's badge module. With `--verify`, a badge is
//! rasterised at 150 dpi and must decode to the row's code before it is written. With
//! `--sheet`, the badges of the rows that succeeded are kept in input order and written as one
//! PDF of sheets, `DIR/badges.pdf`, at the end (memory then grows with the number of badges:
//! split very large inputs with `--shard`).

use qrpin_codec::rows::Row;
use qrpin_render::badge::{
    badge_pdf, badge_png, build_badge_svg, sheet_pdf, BadgeSpec, Layout, Sheet,
};
use qrpin_render::Length;

use super::report::{RowReport, Status};
use super::{failed, output, Args, BadgeFormat, BadgeLayout, Config, Done, Worker};
use crate::cmd::badge::SheetArg;
use crate::error::CliError;

/// Resolution of badge PNGs when --dpi is not given.
const DEFAULT_DPI: u32 = 300;
/// Resolution at which a badge is rasterised for --verify.
const VERIFY_DPI: u32 = 150;
/// The sheet file's name in --out.
pub const SHEETS_FILE: &str = "badges.pdf";

/// Badge settings, checked.
pub struct BadgeConfig {
    format: BadgeFormat,
    layout: Layout,
    qr_size: Length,
    org: Option<String>,
    sheet: Option<Sheet>,
    dpi: u32,
}

impl BadgeConfig {
    /// `None` without `--badge`.
    pub fn from_args(args: &Args) -> Result<Option<BadgeConfig>, CliError> {
        if !args.badge {
            return Ok(None);
        }
        let qr_size = args
            .qr_size
            .parse::<Length>()
            .map_err(|e| CliError::bad_input(format!("--qr-size: {e}")))?;
        let dpi = args.dpi.unwrap_or(DEFAULT_DPI);
        if args.format != super::OutFormat::Png {
            return Err(CliError::bad_input(
                "--format does not apply with --badge; use --badge-format",
            ));
        }
        if args.sheet.is_some() && args.badge_format != BadgeFormat::Pdf {
            return Err(CliError::bad_input(
                "--sheet writes one PDF; drop --badge-format or set it to pdf",
            ));
        }
        Ok(Some(BadgeConfig {
            format: args.badge_format,
            layout: match args.layout {
                BadgeLayout::Card => Layout::Card,
                BadgeLayout::CardPortrait => Layout::CardPortrait,
            },
            qr_size,
            org: args.org.clone(),
            sheet: args.sheet.map(|s| match s {
                SheetArg::A4 => Sheet::A4,
                SheetArg::Letter => Sheet::Letter,
            }),
            dpi,
        }))
    }

    fn extension(&self) -> &'static str {
        match self.format {
            BadgeFormat::Pdf => "pdf",
            BadgeFormat::Png => "png",
            BadgeFormat::Svg => "svg",
        }
    }
}

/// Builds (verifies) and writes one row's badge, or keeps it for the sheets.
pub(super) fn process(row: &Row, stem: &str, cfg: &Config, w: &mut Worker) -> Done {
    let Some(b) = &cfg.badge else { unreachable!("badges::process runs only with --badge") };
    let key = Some(row.payload.code_id().to_owned());
    let fail = |m: String| Done { report: failed(row.row, row.line, key.clone(), m), sheet: None };
    let Some(fonts) = &w.fonts else { return fail("no fonts loaded".into()) };
    let mut spec = BadgeSpec::new(row.payload.as_str());
    spec.ecl = row.ecl.unwrap_or(cfg.ecl);
    spec.name = row.display_name.clone();
    spec.org = b.org.clone();
    spec.expires = row.expire.as_ref().map(|d| d.date_utc());
    spec.layout = b.layout;
    spec.qr_size = b.qr_size;
    let badge = match build_badge_svg(&spec, fonts) {
        Ok(badge) => badge,
        Err(e) => return fail(e.to_string()),
    };
    if cfg.verify {
        let ok = badge_png(&badge.drawing, VERIFY_DPI).map_err(|e| e.to_string()).and_then(|png| {
            qrpin_scan::verify(&w.scanner, &png, row.payload.as_str(), Some(spec.ecl))
                .map_err(|e| e.to_string())
        });
        match ok {
            Ok(v) if v.is_match() => {}
            Ok(_) => {
                return fail("verify: the badge's code does not read back as the row's code".into())
            }
            Err(e) => return fail(format!("verify: {e}")),
        }
    }
    let report = |output: Vec<String>| RowReport {
        row: row.row,
        line: row.line,
        key: key.clone(),
        output,
        status: Status::Ok,
        error: None,
    };
    if b.sheet.is_some() {
        let out = cfg.out.join(SHEETS_FILE).display().to_string();
        return Done { report: report(vec![out]), sheet: Some(badge) };
    }
    let name = format!("{stem}.{}", b.extension());
    let bytes = match b.format {
        BadgeFormat::Pdf => badge_pdf(&badge.drawing),
        BadgeFormat::Png => badge_png(&badge.drawing, b.dpi),
        BadgeFormat::Svg => Ok(badge.drawing.to_svg().into_bytes()),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(e) => return fail(e.to_string()),
    };
    match output::write_atomic(&cfg.out, &name, &bytes, &cfg.temp_prefix) {
        Ok(path) => Done { report: report(vec![path.display().to_string()]), sheet: None },
        Err(e) => fail(format!("cannot write {name}: {e}")),
    }
}

/// With `--sheet`: writes every kept badge, in input order, as one PDF of sheets.
pub(super) fn write_sheets(
    b: &BadgeConfig,
    badges: &[qrpin_render::badge::BadgeSvg],
    cfg: &Config,
) -> Result<(), CliError> {
    let Some(sheet) = b.sheet else { return Ok(()) };
    if badges.is_empty() {
        return Ok(());
    }
    let pdf = sheet_pdf(badges, sheet)
        .map_err(|e| CliError::bad_input(format!("cannot lay out the sheets: {e}")))?;
    output::write_atomic(&cfg.out, SHEETS_FILE, &pdf, &cfg.temp_prefix)
        .map_err(|e| CliError::bad_input(format!("cannot write {SHEETS_FILE}: {e}")))?;
    Ok(())
}
