//! What `qrpin provision` makes from the journal: a badge per user in `DIR/badges/`, and the
//! PIN slips in `DIR/pin-slips.pdf`.
//!
//! Everything comes from the journal, never from memory of the run, so a resumed run (or a run
//! after a crash) makes exactly what a run without one would. A badge is drawn from
//! `rawContent`; Graph's own `binaryValue` image is decoded first and must hold the same text.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use qrpin_codec::graph::journal::{Event, Record};
use qrpin_codec::graph::{ImageKind, QrCode};
use qrpin_render::badge::{
    badge_pdf, badge_png, build_badge_svg, pin_slips_pdf, FontSet, PinSlip, Sheet,
};
use qrpin_scan::{ScanOptions, Scanner};
use rayon::prelude::*;

use crate::cmd::badge::StyleArgs;
use crate::error::CliError;

/// The PIN slips' file name in DIR.
pub const PIN_SLIPS_FILE: &str = "pin-slips.pdf";
/// The badges' folder in DIR.
pub const BADGES_DIR: &str = "badges";

/// Badge file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BadgeFormat {
    /// Vector PDF, the badge's physical size.
    Pdf,
    /// PNG at --dpi (default 300).
    Png,
    /// SVG.
    Svg,
}

impl BadgeFormat {
    fn extension(self) -> &'static str {
        match self {
            BadgeFormat::Pdf => "pdf",
            BadgeFormat::Png => "png",
            BadgeFormat::Svg => "svg",
        }
    }
}

/// One user's latest code from the journal.
#[derive(Debug, Clone)]
pub struct Journaled {
    /// The created record.
    pub record: Record,
    /// Its code.
    pub code: QrCode,
}

/// The latest created code of each user and kind, in journal order.
pub fn latest_codes(records: &[Record]) -> Vec<Journaled> {
    let mut latest: HashMap<(String, String), usize> = HashMap::new();
    let mut out: Vec<Option<Journaled>> = Vec::new();
    for r in records.iter().filter(|r| r.event == Event::Created) {
        let Some(code) = r.created_code() else { continue };
        let key = (r.user.id.clone(), r.kind.clone().unwrap_or_default());
        if let Some(&i) = latest.get(&key) {
            out[i] = None;
        }
        latest.insert(key, out.len());
        out.push(Some(Journaled { record: r.clone(), code }));
    }
    out.into_iter().flatten().collect()
}

/// A badge problem, by user id.
#[derive(Debug, Clone)]
pub struct BadgeProblem {
    /// The user's object id.
    pub user_id: String,
    /// What is wrong.
    pub why: String,
}

/// What making the badges did.
#[derive(Debug, Default)]
pub struct BadgesMade {
    /// Badges written now.
    pub written: usize,
    /// Badges already there (a resumed run).
    pub kept: usize,
    /// Badges decoded and matched (`--verify`).
    pub verified: usize,
    /// Users whose badge could not be made or checked.
    pub problems: Vec<BadgeProblem>,
    /// Which image formats Graph sent, with counts.
    pub graph_images: HashMap<&'static str, usize>,
}

/// The payload text in a code's `rawContent`.
fn content(code: &QrCode) -> Result<String, String> {
    let raw = code
        .image
        .as_ref()
        .and_then(|i| i.raw_content.as_deref())
        .ok_or("the journaled answer has no image.rawContent")?;
    let bytes = qrpin_codec::base64::decode(raw).map_err(|e| format!("image.rawContent: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "image.rawContent is not UTF-8 text".to_owned())
}

/// Decodes Graph's `binaryValue` and checks it holds `text`; says which format it was.
fn check_graph_image(code: &QrCode, text: &str, scanner: &Scanner) -> Result<&'static str, String> {
    let b64 = code
        .image
        .as_ref()
        .and_then(|i| i.binary_value.as_deref())
        .ok_or("the journaled answer has no image.binaryValue")?;
    let bytes = qrpin_codec::base64::decode(b64).map_err(|e| format!("image.binaryValue: {e}"))?;
    let kind = ImageKind::sniff(&bytes).ok_or_else(|| {
        format!("image.binaryValue: {} bytes that are neither SVG nor PNG", bytes.len())
    })?;
    let codes = scanner
        .scan_bytes(&bytes)
        .map_err(|e| format!("Graph's image ({}) cannot be read: {e}", kind.extension()))?;
    if codes.iter().any(|c| c.text == text) {
        Ok(kind.extension())
    } else {
        Err(format!(
            "Graph's image ({}) does not hold image.rawContent ({} codes found)",
            kind.extension(),
            codes.len()
        ))
    }
}

/// Makes (or keeps) one badge per journaled code.
pub fn make_badges(
    dir: &Path,
    codes: &[Journaled],
    format: BadgeFormat,
    style: &StyleArgs,
    verify: bool,
) -> Result<BadgesMade, CliError> {
    let folder = dir.join(BADGES_DIR);
    create_private_dir(&folder)?;
    let fonts = FontSet::with_system_fallback();
    let scanner = Scanner::new(ScanOptions::default());
    let dpi = style.dpi.unwrap_or(300);
    let results: Vec<Result<(bool, bool, &'static str), BadgeProblem>> = codes
        .par_iter()
        .map(|j| {
            let problem = |why: String| BadgeProblem { user_id: j.record.user.id.clone(), why };
            let id = j.code.id.clone().ok_or_else(|| problem("the code has no id".into()))?;
            id.parse::<qrpin_codec::Guid>()
                .map_err(|_| problem(format!("the code id {id:?} is not a GUID")))?;
            let text = content(&j.code).map_err(problem)?;
            let graph_format = check_graph_image(&j.code, &text, &scanner).map_err(problem)?;
            let path = folder.join(format!("{id}.{}", format.extension()));
            let existed = path.exists();
            let mut spec = crate::cmd::badge::styled_spec(style, text.clone())
                .map_err(|e| problem(e.message().to_owned()))?;
            spec.name = j.record.user.display_name.clone();
            spec.expires = j.code.expire_date_time.as_ref().map(|d| d.date_utc());
            let badge = build_badge_svg(&spec, &fonts).map_err(|e| problem(e.to_string()))?;
            if !existed {
                let bytes = match format {
                    BadgeFormat::Svg => badge.drawing.to_svg().into_bytes(),
                    BadgeFormat::Png => {
                        badge_png(&badge.drawing, dpi).map_err(|e| problem(e.to_string()))?
                    }
                    BadgeFormat::Pdf => {
                        badge_pdf(&badge.drawing).map_err(|e| problem(e.to_string()))?
                    }
                };
                crate::io::write_file_atomic(&path, &bytes)
                    .map_err(|e| problem(e.message().to_owned()))?;
            }
            if verify {
                // The PDF is the same drawing converted to vectors; its pixels are checked
                // through the PNG of that drawing, the SVG and PNG files directly.
                let image = match format {
                    BadgeFormat::Pdf => {
                        badge_png(&badge.drawing, 300).map_err(|e| problem(e.to_string()))?
                    }
                    _ => std::fs::read(&path)
                        .map_err(|e| problem(format!("{}: {e}", path.display())))?,
                };
                let found =
                    scanner.scan_bytes(&image).map_err(|e| problem(format!("badge {id}: {e}")))?;
                if !found.iter().any(|c| c.text == text) {
                    return Err(problem(format!("badge {id} does not decode to its rawContent")));
                }
            }
            Ok((!existed, verify, graph_format))
        })
        .collect();
    let mut made = BadgesMade::default();
    for r in results {
        match r {
            Ok((new, verified, graph_format)) => {
                if new {
                    made.written += 1;
                } else {
                    made.kept += 1;
                }
                made.verified += usize::from(verified);
                *made.graph_images.entry(graph_format).or_default() += 1;
            }
            Err(p) => made.problems.push(p),
        }
    }
    Ok(made)
}

/// The latest PIN of each user, in journal order: from a method create, a PIN reset, or a lost
/// method create (whose PIN was set although its answer was lost).
pub fn latest_pins(records: &[Record]) -> Vec<PinSlip> {
    let mut latest: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Option<PinSlip>> = Vec::new();
    for r in records {
        let pin = match r.event {
            Event::Created | Event::PinReset => r.pin_code(),
            Event::Outcome if r.outcome.as_deref() == Some("lost") => r.pin.clone(),
            _ => None,
        };
        let Some(pin) = pin else { continue };
        let change = force_change(r).unwrap_or(true);
        if let Some(&i) = latest.get(&r.user.id) {
            out[i] = None;
        }
        latest.insert(r.user.id.clone(), out.len());
        out.push(Some(PinSlip {
            upn: r.user.user_principal_name.clone(),
            pin,
            change_at_sign_in: change,
        }));
    }
    out.into_iter().flatten().collect()
}

fn force_change(r: &Record) -> Option<bool> {
    let v: serde_json::Value = serde_json::from_str(r.body.as_deref()?).ok()?;
    let pin = v.get("pin").unwrap_or(&v);
    pin.get("forceChangePinNextSignIn")?.as_bool()
}

/// Writes `DIR/pin-slips.pdf` (mode 0600) with every user's latest PIN; `None` when the journal
/// holds no PIN.
pub fn write_pin_slips(
    dir: &Path,
    records: &[Record],
) -> Result<Option<(PathBuf, usize)>, CliError> {
    let slips = latest_pins(records);
    if slips.is_empty() {
        return Ok(None);
    }
    let pdf = pin_slips_pdf(&slips, Sheet::A4).map_err(CliError::bad_input)?;
    let path = dir.join(PIN_SLIPS_FILE);
    crate::io::write_secret_atomic(&path, &pdf)?;
    Ok(Some((path, slips.len())))
}

/// Creates a folder only its owner can enter (it will hold codes or PINs).
pub fn create_private_dir(path: &Path) -> Result<(), CliError> {
    let fail =
        |e: std::io::Error| CliError::bad_input(format!("cannot create {}: {e}", path.display()));
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(path).map_err(fail)
}
