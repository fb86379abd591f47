//! Module grid → text: error correction and segment decoding for a sampled symbol.
//!
//! rxing's Java-port decoder corrects the grid first (trying the mirrored reading too; its
//! table-driven Reed–Solomon is several times faster than rqrr's) and its corrected data
//! codewords go through this crate's own segment decoder ([`crate::text`]), which applies ECI and
//! the character-set rules; the mask comes from the format information (rqrr's reader when no copy is exact). Grids it rejects are tried
//! with rqrr's decoder, then with rxing's port of zxing-cpp's decoder (which reads QR Model 1).

use qrpin_codec::Ecl;
use rqrr::BitGrid;

use crate::contain::contain;
use crate::grid::ModuleGrid;
use crate::segments::decode_segments;

/// What one grid says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GridRead {
    pub text: String,
    pub bytes: Vec<u8>,
    pub version: u8,
    pub ecl: Ecl,
    pub mask: Option<u8>,
}

/// Borrowing adapter so rqrr can read a grid without a copy.
struct Ref<'a>(&'a ModuleGrid);

impl BitGrid for Ref<'_> {
    fn size(&self) -> usize {
        self.0.size()
    }
    fn bit(&self, y: usize, x: usize) -> bool {
        self.0.get(x, y)
    }
}

/// The ECL whose two format bits (ISO/IEC 18004 Table 12) rqrr reports as `ecc_level`.
fn ecl_from_format_bits(bits: u16) -> Option<Ecl> {
    Ecl::ALL.into_iter().find(|e| u16::from(e.format_bits()) == bits)
}

/// Decodes one sampled grid; `None` when it does not read (ECC fails, bad format, …).
pub(crate) fn decode_grid(grid: &ModuleGrid) -> Option<GridRead> {
    let n = grid.size();
    if !(21..=177).contains(&n) || !(n - 17).is_multiple_of(4) {
        return None;
    }
    let version = ((n - 17) / 4) as u8;
    let matrix = grid.to_bit_matrix()?;
    // 1. rxing's Java-port decoder: fast table-driven Reed-Solomon, tries the mirrored reading.
    let java = contain("rxing decoding", || {
        rxing::qrcode::decoder::qrcode_decoder::decode_bitmatrix(&matrix)
    })
    .ok()
    .and_then(Result::ok);
    if let Some(res) = java {
        let ecl = parse_ecl(res.getECLevel())?;
        let (text, bytes) = match decode_segments(res.getRawBytes(), usize::from(version)) {
            Ok(t) => (t.text, t.bytes),
            Err(_) => (res.getText().to_string(), res.getRawBytes().clone()),
        };
        return Some(GridRead { text, bytes, version, ecl, mask: read_mask(grid) });
    }
    // 2. rqrr's decoder (a different format-information reader).
    let rq = contain("rqrr decoding", || {
        let mut out = Vec::new();
        rqrr::Grid::new(Ref(grid)).decode_to(&mut out).map(|meta| (meta, out))
    })
    .ok()
    .and_then(Result::ok);
    if let Some((meta, out)) = rq {
        if let Some(ecl) = ecl_from_format_bits(meta.ecc_level) {
            // rqrr drops ECI designators and gives Kanji as Shift JIS bytes: read the bytes by
            // the rules for bytes without a declared character set.
            return Some(GridRead {
                text: crate::segments::guess_text(&out),
                bytes: out,
                version,
                ecl,
                mask: Some(meta.mask as u8),
            });
        }
    }
    // 3. rxing's port of zxing-cpp's decoder, which also reads QR Model 1; its text follows
    // zxing-cpp's character-set rules.
    let res = contain("rxing decoding", || rxing::qrcode::cpp_port::decoder::Decode(&matrix))
        .ok()?
        .ok()?;
    if !res.isValid() {
        return None;
    }
    Some(GridRead {
        text: res.text(),
        bytes: res.content().bytes().to_vec(),
        version,
        ecl: parse_ecl(res.ecLevel())?,
        mask: read_mask(grid),
    })
}

/// rxing reports the level as a letter, or (Java-port decoder) as its two format bits in decimal.
fn parse_ecl(s: &str) -> Option<Ecl> {
    match s.parse::<u16>() {
        Ok(bits) => ecl_from_format_bits(bits),
        Err(_) => s.parse().ok(),
    }
}

/// The mask pattern from the format information (either orientation): an exact copy of a
/// valid format word first, else rqrr's error-correcting format reader.
fn read_mask(grid: &ModuleGrid) -> Option<u8> {
    let n = grid.size();
    let exact = qrpin_render::read_format(n, |x, y| grid.get(x, y))
        .or_else(|| qrpin_render::read_format(n, |x, y| grid.get(y, x)));
    if let Some((_, mask)) = exact {
        return Some(mask);
    }
    let raw = |g: &ModuleGrid| {
        contain("rqrr format", || rqrr::Grid::new(Ref(g)).get_raw_data().map(|(m, _)| m.mask as u8))
            .ok()
            .and_then(Result::ok)
    };
    raw(grid).or_else(|| raw(&grid.transposed()))
}
