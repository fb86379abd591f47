//! PIN slips: one fold-over slip per user with the UPN and the temporary PIN, three to a
//! portrait page, as a PDF of their own (a PIN never goes on a badge).
//!
//! Each slip is a third of the page. Its top half names the user and says what the slip is;
//! a dashed line marks the fold; the bottom half holds the PIN, so that folded along the line
//! the PIN faces inward. Solid lines between slips are where to cut. The text is Helvetica
//! (one of PDF's standard fonts, nothing embedded) in plain content streams, so the slips can
//! be searched, copied and checked by any PDF reader.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::sheet::Sheet;
use crate::RenderError;

/// Points per millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;
/// Slips on one page.
pub const SLIPS_PER_PAGE: usize = 3;
/// The most slips one document holds.
pub const MAX_SLIPS: usize = 1_000_000;

/// One user's slip.
#[derive(Clone, PartialEq, Eq)]
pub struct PinSlip {
    /// The user principal name (printed on the outside).
    pub upn: String,
    /// The PIN (printed inside the fold).
    pub pin: String,
    /// Whether the user must choose a new PIN at the first sign-in (Graph's
    /// `forceChangePinNextSignIn`).
    pub change_at_sign_in: bool,
}

impl std::fmt::Debug for PinSlip {
    /// Never prints the PIN.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PinSlip")
            .field("upn", &self.upn)
            .field("pin", &"<redacted>")
            .field("change_at_sign_in", &self.change_at_sign_in)
            .finish()
    }
}

/// Text as Helvetica can show it (WinAnsi): printable ASCII kept, anything else a `?`.
fn ascii(s: &str) -> Vec<u8> {
    s.chars().map(|c| if (' '..='~').contains(&c) { c as u8 } else { b'?' }).collect()
}

fn text(c: &mut Content, font: &[u8], size: f32, x_mm: f32, y_mm: f32, s: &[u8]) {
    c.begin_text();
    c.set_font(Name(font), size);
    c.next_line(x_mm * PT_PER_MM, y_mm * PT_PER_MM);
    c.show(Str(s));
    c.end_text();
}

fn line(c: &mut Content, x0: f32, y: f32, x1: f32) {
    c.move_to(x0 * PT_PER_MM, y * PT_PER_MM);
    c.line_to(x1 * PT_PER_MM, y * PT_PER_MM);
    c.stroke();
}

/// A PDF of PIN slips, [`SLIPS_PER_PAGE`] to a page of `sheet`, in the order given.
///
/// # Errors
/// [`RenderError::Badge`] when there are no slips or more than [`MAX_SLIPS`].
pub fn pin_slips_pdf(slips: &[PinSlip], sheet: Sheet) -> Result<Vec<u8>, RenderError> {
    if slips.is_empty() {
        return Err(RenderError::Badge("a PIN slip PDF needs at least one slip".into()));
    }
    if slips.len() > MAX_SLIPS {
        return Err(RenderError::Badge(format!(
            "{} PIN slips; one PDF holds at most {MAX_SLIPS}",
            slips.len()
        )));
    }
    let (w_mm, h_mm) = sheet.size_mm();
    let (w_mm, h_mm) = (w_mm as f32, h_mm as f32);
    let slip_h = h_mm / SLIPS_PER_PAGE as f32;
    let pages: Vec<&[PinSlip]> = slips.chunks(SLIPS_PER_PAGE).collect();

    let mut alloc = Ref::new(1);
    let catalog = alloc.bump();
    let tree = alloc.bump();
    let regular = alloc.bump();
    let bold = alloc.bump();
    let page_ids: Vec<Ref> = pages.iter().map(|_| alloc.bump()).collect();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(page_ids.len() as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));

    for (page_slips, &page_id) in pages.iter().zip(&page_ids) {
        let mut c = Content::new();
        c.set_line_width(0.5);
        for (i, slip) in page_slips.iter().enumerate() {
            let top = h_mm - slip_h * i as f32;
            let fold = top - slip_h / 2.0;
            let upn = ascii(&slip.upn);
            // Outside: who and what.
            text(&mut c, b"F2", 13.0, 15.0, top - 14.0, b"QR code + PIN sign-in: your PIN");
            text(&mut c, b"F1", 11.0, 15.0, top - 22.0, b"For:");
            text(&mut c, b"F2", 12.0, 26.0, top - 22.0, &upn);
            text(
                &mut c,
                b"F1",
                9.0,
                15.0,
                fold + 8.0,
                b"Fold along the dashed line so the PIN is inside. Give this slip only to its holder.",
            );
            // The fold.
            c.save_state();
            c.set_dash_pattern([4.0, 3.0], 0.0);
            line(&mut c, 8.0, fold, w_mm - 8.0);
            c.restore_state();
            // Inside: the PIN.
            text(&mut c, b"F1", 11.0, 15.0, fold - 14.0, b"PIN for");
            text(&mut c, b"F1", 11.0, 31.0, fold - 14.0, &upn);
            text(&mut c, b"F2", 26.0, 15.0, fold - 28.0, &ascii(&slip.pin));
            if slip.change_at_sign_in {
                text(
                    &mut c,
                    b"F1",
                    10.0,
                    15.0,
                    fold - 38.0,
                    b"You will be asked to choose a new PIN when you first sign in.",
                );
            }
            // The cut between slips.
            if i + 1 < SLIPS_PER_PAGE {
                line(&mut c, 0.0, top - slip_h, w_mm);
            }
        }
        let content_id = alloc.bump();
        pdf.stream(content_id, &c.finish());
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, w_mm * PT_PER_MM, h_mm * PT_PER_MM));
        page.parent(tree);
        page.contents(content_id);
        let mut res = page.resources();
        let mut fonts = res.fonts();
        fonts.pair(Name(b"F1"), regular);
        fonts.pair(Name(b"F2"), bold);
        fonts.finish();
        res.finish();
        page.finish();
    }
    pdf.document_info(alloc.bump()).producer(TextStr("qrpin")).title(TextStr("PIN slips"));
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_hold_their_pins_in_plain_text() {
        let slips: Vec<PinSlip> = (0..7)
            .map(|i| PinSlip {
                upn: format!("user{i}@contoso.com"),
                pin: format!("2719385{i}"),
                change_at_sign_in: true,
            })
            .collect();
        let pdf = pin_slips_pdf(&slips, Sheet::A4).unwrap();
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-"));
        // 7 slips, 3 to a page: 3 pages.
        assert_eq!(
            text.matches("/Type /Page\n").count() + text.matches("/Type /Page ").count(),
            3,
            "{}",
            text.len()
        );
        for s in &slips {
            assert!(text.contains(&format!("({})", s.pin)), "{}", s.upn);
            assert!(text.contains(&format!("({})", s.upn)));
        }
        assert!(!format!("{:?}", slips[0]).contains("27193850"));
        assert!(pin_slips_pdf(&[], Sheet::A4).is_err());
    }
}
