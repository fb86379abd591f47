//! The shortcut of [`crate::verify`]: is a clean render, module for module, the symbol qrpin
//! itself would draw for the expected text?
//!
//! Verifying our own renders is the hot path of batch work, and there the answer is known in
//! advance. A grid sampled by known geometry ([`crate::known`]) names its version (its size) and
//! its level and mask (its format information, read exactly). Encoding the expected text with
//! those three fixed gives one symbol; if every module of the sample equals it, the image holds
//! that symbol, which decodes to the expected text (the encoder is checked against qrcodegen and
//! against independent decoders). Anything else — another encoder's choices, one flipped module,
//! a different text — is not a mismatch here, only "not settled": the caller falls back to the
//! full decoder, which error-corrects and reports what the image really holds.

use qrpin_codec::Ecl;
use qrpin_render::{read_format, EncodeOptions, QrMatrix};

use crate::grid::ModuleGrid;
use crate::known::KnownHit;
use crate::{Decoded, Layer};

/// The decoded code when `hit` is exactly qrpin's symbol for `expected` (at `ecl` when given);
/// `None` when that is not certain.
pub(crate) fn exact_render(hit: &KnownHit, expected: &str, ecl: Option<Ecl>) -> Option<Decoded> {
    // A byte segment of ASCII reads back as the same text under every character-set rule of
    // the decoder (see `segments.rs`); other text is left to the full decoder.
    if !expected.is_ascii() {
        return None;
    }
    let grid = &hit.grid;
    let n = grid.size();
    let (level, mask) = read_format(n, |x, y| grid.get(x, y))?;
    if ecl.is_some_and(|e| e != level) {
        return None;
    }
    let version = u8::try_from((n - 17) / 4).ok()?;
    let opts = EncodeOptions { ecl: level, version: Some(version), mask: Some(mask) };
    let symbol = QrMatrix::encode(expected.as_bytes(), &opts).ok()?;
    same_modules(grid, &symbol).then(|| Decoded {
        text: expected.to_owned(),
        bytes: expected.as_bytes().to_vec(),
        version,
        ecl: level,
        mask: Some(mask),
        corners: hit.corners,
        modules: grid.clone(),
        layer: Layer::KnownGeometry,
    })
}

/// Every module of `grid` equals the one of `m` (and the sizes agree).
fn same_modules(grid: &ModuleGrid, m: &QrMatrix) -> bool {
    let n = grid.size();
    n == m.size() && (0..n).all(|y| grid.row(y) == m.row(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";

    fn hit_of(m: &QrMatrix) -> KnownHit {
        KnownHit {
            grid: ModuleGrid::from_fn(m.size(), |x, y| m.get(x, y)),
            corners: [(0.0, 0.0); 4],
            alone: true,
        }
    }

    fn encode(text: &str, ecl: Ecl, version: Option<u8>, mask: Option<u8>) -> QrMatrix {
        QrMatrix::encode(text.as_bytes(), &EncodeOptions { ecl, version, mask }).unwrap()
    }

    #[test]
    fn our_symbol_matches_at_every_level_and_mask() {
        for ecl in Ecl::ALL {
            for mask in 0..8 {
                let m = encode(TEXT, ecl, None, Some(mask));
                let d = exact_render(&hit_of(&m), TEXT, Some(ecl)).expect("exact");
                assert_eq!(
                    (d.text.as_str(), d.ecl, d.mask, d.version),
                    (TEXT, ecl, Some(mask), m.version())
                );
                assert!(exact_render(&hit_of(&m), TEXT, None).is_some());
            }
        }
        // A larger version than needed is still exactly ours.
        let m = encode(TEXT, Ecl::M, Some(12), None);
        assert!(exact_render(&hit_of(&m), TEXT, None).is_some());
    }

    #[test]
    fn anything_else_is_not_settled_here() {
        let m = encode(TEXT, Ecl::M, None, None);
        // Another text, another level asked for, non-ASCII text.
        let other = TEXT.replace("admin", "admim");
        assert!(exact_render(&hit_of(&m), &other, None).is_none());
        assert!(exact_render(&hit_of(&m), TEXT, Some(Ecl::L)).is_none());
        assert!(exact_render(&hit_of(&m), "ms-qrpin:v1|é", None).is_none());
        // Any single module flipped, anywhere (format modules included): never exact.
        for y in 0..m.size() {
            for x in 0..m.size() {
                let mut hit = hit_of(&m);
                hit.grid.set(x, y, !m.get(x, y));
                assert!(exact_render(&hit, TEXT, None).is_none(), "flip at ({x}, {y})");
            }
        }
    }
}
