//! Printable badges: the code at an exact physical size with the holder's name, UPN, validity
//! and an optional organisation line and logo, as SVG, PNG (with `pHYs`) or vector PDF, alone
//! or N-up on A4/Letter sheets with crop marks.
//!
//! Pipeline: [`BadgeSpec`] → [`build_badge_svg`] (layout in millimetres, text fitted with the
//! real font layout, all text XML-escaped) → [`BadgeSvg`] → [`Drawing::to_svg`], [`badge_png`],
//! [`badge_pdf`]; many badges → [`sheet_pages`] / [`sheet_pdf`].
//!
//! ```
//! use qrpin_render::badge::{badge_png, build_badge_svg, BadgeSpec, FontSet};
//!
//! let text = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
//! let spec = BadgeSpec { name: Some("Ada <Admin>".into()), ..BadgeSpec::new(text) };
//! let badge = build_badge_svg(&spec, &FontSet::embedded_only())?;
//! let svg = badge.drawing.to_svg();
//! assert!(svg.contains("Ada &lt;Admin&gt;") && svg.contains("admin@xpfq8.onmicrosoft.com"));
//! assert!(!badge.geometry.lines.iter().any(|l| l.rect.overlaps(&badge.geometry.qr)));
//! let png = badge_png(&badge.drawing, 150)?;
//! # assert!(png.starts_with(b"\x89PNG"));
//! # Ok::<(), qrpin_render::RenderError>(())
//! ```
//!
//! The temporary PIN is printed only when [`BadgeSpec::pin`] is set; it never appears in
//! warnings or `Debug` output.

mod export;
mod fonts;
mod layout;
mod logo;
mod pdf;
mod sheet;
mod slips;
mod svg;
mod text;

use std::sync::Arc;

pub use export::badge_png;
pub use fonts::{FontSet, FAMILY, FAMILY_LIST};
pub use layout::{
    to_mm, Layout, PlacedLine, RectMm, CARD_HEIGHT_MM, CARD_RADIUS_MM, CARD_WIDTH_MM,
};
pub use logo::{Logo, LogoKind, MAX_LOGO_BYTES, MAX_LOGO_SIDE};
pub use pdf::{badge_pdf, pdf_document};
pub use sheet::{
    sheet_grid, sheet_pages, sheet_pdf, Sheet, SheetGrid, SHEET_GAP_MM, SHEET_MARGIN_MM,
};
pub use slips::{pin_slips_pdf, PinSlip, MAX_SLIPS, SLIPS_PER_PAGE};
pub use svg::Drawing;
pub use text::{clean_text, TextRole, ELLIPSIS};

use crate::{Ecl, EncodeOptions, Length, QrMatrix, RenderError};
use layout::LineSpec;

/// Everything printed on one badge.
#[derive(Clone, PartialEq)]
pub struct BadgeSpec {
    /// The exact text the code holds (normally `ms-qrpin:v1|<upn>|<codeId>`).
    pub payload: String,
    /// Error-correction level, never raised. Default `M`: a printed badge gets scuffed.
    pub ecl: Ecl,
    /// The holder's display name (largest line).
    pub name: Option<String>,
    /// The UPN to print; `None` takes it from the payload when that is a valid ms-qrpin text.
    pub upn: Option<String>,
    /// An organisation line above the name.
    pub org: Option<String>,
    /// A logo above the text.
    pub logo: Option<Logo>,
    /// The last valid day (e.g. `2026-12-19`), printed as "valid until …".
    pub expires: Option<String>,
    /// The temporary PIN, printed only when set. Default `None`.
    pub pin: Option<String>,
    /// The badge shape. Default [`Layout::Card`].
    pub layout: Layout,
    /// The printed size of the code, 4-module quiet zone included. Default 2 in.
    pub qr_size: Length,
}

impl BadgeSpec {
    /// A card for `payload` with everything else at its default.
    pub fn new(payload: impl Into<String>) -> BadgeSpec {
        BadgeSpec {
            payload: payload.into(),
            ecl: Ecl::M,
            name: None,
            upn: None,
            org: None,
            logo: None,
            expires: None,
            pin: None,
            layout: Layout::Card,
            qr_size: Length::TWO_INCHES,
        }
    }
}

impl std::fmt::Debug for BadgeSpec {
    /// Like a derived `Debug`, except that the PIN is never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BadgeSpec")
            .field("payload", &self.payload)
            .field("ecl", &self.ecl)
            .field("name", &self.name)
            .field("upn", &self.upn)
            .field("org", &self.org)
            .field("logo", &self.logo)
            .field("expires", &self.expires)
            .field("pin", &self.pin.as_ref().map(|_| "<redacted>"))
            .field("layout", &self.layout)
            .field("qr_size", &self.qr_size)
            .finish()
    }
}

/// Where things ended up on a badge, in mm from its top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    /// The badge's width and height.
    pub size: (f64, f64),
    /// The code, quiet zone included.
    pub qr: RectMm,
    /// The text lines, top to bottom.
    pub lines: Vec<PlacedLine>,
    /// The logo, if any.
    pub logo: Option<RectMm>,
    /// The code's version and modules per side (quiet zone excluded).
    pub qr_version: u8,
    /// Modules per side of the symbol.
    pub qr_modules: usize,
}

/// A built badge: the drawing, where its parts are, and warnings for the user (shortened or
/// dropped lines, removed control characters, glyphs no font has).
#[derive(Debug, Clone)]
pub struct BadgeSvg {
    /// The drawing, to write as SVG or export.
    pub drawing: Drawing,
    /// The computed layout.
    pub geometry: Geometry,
    /// Things the user should know; never contains the PIN.
    pub warnings: Vec<String>,
}

/// Font sizes (em, mm): (max, min) per line.
const NAME_SIZE: (f64, f64) = (4.6, 2.2);
const UPN_SIZE: (f64, f64) = (2.8, 1.7);
const SMALL_SIZE: (f64, f64) = (2.6, 1.7);
const PIN_SIZE: (f64, f64) = (3.2, 2.0);

/// Lays out and draws a badge.
///
/// # Errors
/// [`RenderError::DataTooLong`] when the payload does not fit a code at that level,
/// [`RenderError::BadLength`] when the code does not fit the badge or its modules would be
/// under 0.1 mm, [`RenderError::Badge`] for an unusable logo or text that cannot be laid out.
pub fn build_badge_svg(spec: &BadgeSpec, fonts: &FontSet) -> Result<BadgeSvg, RenderError> {
    let matrix = QrMatrix::encode(
        spec.payload.as_bytes(),
        &EncodeOptions { ecl: spec.ecl, ..EncodeOptions::default() },
    )?;
    let q = to_mm(spec.qr_size);
    let modules = matrix.size() + 2 * svg::QUIET;
    if q / (modules as f64) < 0.1 {
        return Err(RenderError::BadLength {
            value: spec.qr_size.to_string(),
            reason: format!(
                "too small: {modules} modules (quiet zone included) would each be under 0.1 mm"
            ),
        });
    }
    let frame = layout::frame(spec.layout, q)?;
    let mut warnings = Vec::new();

    let mut clean = |role: TextRole, s: &Option<String>| -> Option<String> {
        let (t, removed) = clean_text(s.as_deref()?);
        if removed > 0 {
            warnings.push(format!(
                "removed {removed} control or bidirectional-override character(s) from the {}",
                role.as_str()
            ));
        }
        (!t.is_empty()).then_some(t)
    };
    let upn_given = spec
        .upn
        .clone()
        .or_else(|| qrpin_codec::Payload::parse(&spec.payload).ok().map(|p| p.upn().to_owned()));
    let name = clean(TextRole::Name, &spec.name);
    let upn = clean(TextRole::Upn, &upn_given);
    let org = clean(TextRole::Org, &spec.org);
    let expires = clean(TextRole::Expires, &spec.expires).map(|d| format!("valid until {d}"));
    let pin = clean(TextRole::Pin, &spec.pin).map(|p| format!("PIN {p}"));

    // In order of importance: lines that do not fit are dropped from the end.
    let mut specs = Vec::new();
    let mut add = |role, text: Option<String>, bold, (max, min): (f64, f64), splittable| {
        if let Some(text) = text {
            specs.push(LineSpec { role, text, bold, max, min, splittable });
        }
    };
    add(TextRole::Name, name, true, NAME_SIZE, false);
    add(TextRole::Upn, upn, false, UPN_SIZE, true);
    add(TextRole::Pin, pin, true, PIN_SIZE, false);
    add(TextRole::Expires, expires, false, SMALL_SIZE, false);
    add(TextRole::Org, org, false, SMALL_SIZE, false);

    let all_text: String = specs.iter().map(|s| s.text.as_str()).collect();
    let (blobs, missing) = fonts.resolve(&all_text);
    for c in missing {
        let role = specs.iter().find(|s| s.text.contains(c)).map_or(TextRole::Name, |s| s.role);
        if role == TextRole::Pin {
            warnings.push("no font has a glyph for a character of the PIN".into());
            continue;
        }
        warnings.push(format!(
            "no font has a glyph for U+{:04X} in the {}; it will print as a blank or a box",
            u32::from(c),
            role.as_str()
        ));
    }
    let logo = spec.logo.as_ref().map(logo::decode).transpose()?.map(Arc::new);

    let (mut lines, logo_rect) = match frame.column {
        Some(col) => {
            let m = text::Measurer::new(&blobs);
            let aspect = logo.as_ref().map(|l| f64::from(l.width) / f64::from(l.height));
            layout::place_text(&m, col, frame.centred, aspect, &specs, &mut warnings)?
        }
        None => {
            if !specs.is_empty() || logo.is_some() {
                warnings
                    .push("no room for text or a logo beside the code on this badge size".into());
            }
            (Vec::new(), None)
        }
    };
    // Display order: organisation, name, UPN, validity, PIN.
    let rank = |r: TextRole| match r {
        TextRole::Org => 0,
        TextRole::Name => 1,
        TextRole::Upn => 2,
        TextRole::Expires => 3,
        TextRole::Pin => 4,
    };
    if !lines.is_empty() {
        let top = lines[0].rect.y;
        lines.sort_by_key(|l| rank(l.role));
        let mut y = top;
        for l in &mut lines {
            l.baseline += y - l.rect.y;
            l.rect.y = y;
            y += l.rect.h;
        }
    }
    for l in lines.iter().filter(|l| l.ellipsised) {
        let what = l.role.as_str();
        if l.role == TextRole::Pin {
            warnings.push("the PIN did not fit and was shortened".into());
        } else {
            warnings.push(format!("the {what} did not fit and was shortened to {:?}", l.text));
        }
    }

    let mut body = String::with_capacity(4096 + matrix.size() * matrix.size() * 4);
    svg::outline(&mut body, frame.w, frame.h, frame.radius);
    svg::qr(&mut body, &matrix, frame.qr);
    for l in &lines {
        svg::text(&mut body, l, frame.centred);
    }
    let logos = match (logo_rect, logo) {
        (Some(r), Some(l)) => vec![(r, l)],
        _ => Vec::new(),
    };
    Ok(BadgeSvg {
        drawing: Drawing { w: frame.w, h: frame.h, body, logos, fonts: blobs },
        geometry: Geometry {
            size: (frame.w, frame.h),
            qr: frame.qr,
            lines,
            logo: logo_rect,
            qr_version: matrix.version(),
            qr_modules: matrix.size(),
        },
        warnings,
    })
}
