//! The encoder: one byte-mode segment → codewords with error correction → modules, then the
//! mask with the lowest penalty (ISO/IEC 18004 §7.8.3, scored as `qrcodegen` scores it).
//!
//! The unmasked symbol is built once, in rows and in columns; each of the eight candidates is
//! that XOR a cached mask plane, plus its format information, scored on bit-packed rows. Apart
//! from the first use of a version (which builds its [`Layout`]), nothing is allocated but the
//! result.

use qrpin_codec::Ecl;

use crate::bitrow::BitRow;
use crate::layout::{self, coord, Layout, FORMAT_MODULES, MAX_RAW_CODEWORDS};
use crate::matrix::MAX_VERSION;
use crate::penalty;

/// The most modules per side (version 40).
const MAX_SIZE: usize = 177;

/// Whether `len` bytes fit one byte-mode segment at `version` and `ecl`.
pub(crate) fn fits(len: usize, version: u8, ecl: Ecl) -> bool {
    let count_bits = count_bits(version);
    len < 1 << count_bits && 4 + count_bits + 8 * len <= 8 * layout::data_codewords(version, ecl)
}

/// The most bytes one byte-mode segment holds at `version` and `ecl`.
pub(crate) fn capacity(version: u8, ecl: Ecl) -> usize {
    (8 * layout::data_codewords(version, ecl) - 4 - count_bits(version)) / 8
}

/// Width of the byte-mode character count (ISO/IEC 18004 Table 3).
fn count_bits(version: u8) -> usize {
    if version <= 9 {
        8
    } else {
        16
    }
}

/// Encodes `data` at `version` (which it must fit, see [`fits`]) and `ecl`; `mask` forces a
/// mask, `None` picks the lowest penalty (the lowest-numbered mask on a tie). Returns the chosen
/// mask and the rows packed as in [`crate::QrMatrix`].
pub(crate) fn encode(data: &[u8], version: u8, ecl: Ecl, mask: Option<u8>) -> (u8, Vec<u64>) {
    debug_assert!((1..=MAX_VERSION).contains(&version) && fits(data.len(), version, ecl));
    let mut codewords = [0u8; MAX_RAW_CODEWORDS];
    let n = codewords_into(data, version, ecl, &mut codewords);
    let l = layout::layout(version);
    match l.stride {
        1 => symbol::<1>(l, ecl, &codewords[..n], mask),
        2 => symbol::<2>(l, ecl, &codewords[..n], mask),
        _ => symbol::<3>(l, ecl, &codewords[..n], mask),
    }
}

/// Writes the final codeword sequence (data and error correction, interleaved across blocks,
/// ISO/IEC 18004 §7.6) into `out` and returns its length.
fn codewords_into(data: &[u8], version: u8, ecl: Ecl, out: &mut [u8; MAX_RAW_CODEWORDS]) -> usize {
    // The data codewords: mode 0100, the count, the bytes (shifted by the 4-bit mode), a 4-bit
    // terminator, then pad bytes. Header and data are 4 bits short of whole bytes, and a
    // fitting segment always leaves room for the terminator, which completes the last byte.
    let total_data = layout::data_codewords(version, ecl);
    let mut buf = [0u8; MAX_RAW_CODEWORDS];
    let len = data.len();
    let mut i;
    let mut nibble;
    if count_bits(version) == 8 {
        buf[0] = 0x40 | (len >> 4) as u8;
        i = 1;
    } else {
        buf[0] = 0x40 | (len >> 12) as u8;
        buf[1] = (len >> 4) as u8;
        i = 2;
    }
    nibble = (len & 0xF) as u8;
    for &b in data {
        buf[i] = nibble << 4 | b >> 4;
        nibble = b & 0xF;
        i += 1;
    }
    buf[i] = nibble << 4;
    i += 1;
    for (k, p) in buf[i..total_data].iter_mut().enumerate() {
        *p = if k % 2 == 0 { 0xEC } else { 0x11 };
    }

    // Split into blocks (the short ones first, the long ones one codeword longer), add each
    // block's error correction, and interleave: codeword i of every block in turn.
    let (blocks, ecc_len) = layout::blocks(version, ecl);
    let raw = layout::raw_data_modules(version) / 8;
    let short_blocks = blocks - raw % blocks;
    let short_data = raw / blocks - ecc_len;
    let mut start = 0;
    let mut ecc = [0u8; crate::rs::MAX_DEGREE];
    for b in 0..blocks {
        let dlen = short_data + usize::from(b >= short_blocks);
        let block = &buf[start..start + dlen];
        start += dlen;
        for (j, &c) in block.iter().enumerate() {
            // Column j < short_data holds every block; the last column only the long ones.
            let at = if j < short_data {
                j * blocks + b
            } else {
                short_data * blocks + b - short_blocks
            };
            out[at] = c;
        }
        crate::rs::remainder(block, &mut ecc[..ecc_len]);
        for (j, &c) in ecc[..ecc_len].iter().enumerate() {
            out[total_data + j * blocks + b] = c;
        }
    }
    debug_assert_eq!(start, total_data);
    raw
}

/// Builds the symbol with rows of `N` words.
fn symbol<const N: usize>(
    l: &Layout,
    ecl: Ecl,
    codewords: &[u8],
    mask: Option<u8>,
) -> (u8, Vec<u64>) {
    let size = l.size;
    // Function patterns and data in columns, then the rows by transposing.
    let mut cols = [BitRow::<N>::ZERO; MAX_SIZE];
    for (i, c) in cols[..size].iter_mut().enumerate() {
        *c = BitRow::load(&l.pattern_t[i * N..]);
    }
    crate::place::place(codewords, &l.placement, &l.order, &mut cols[..size]);
    let mut rows = [BitRow::<N>::ZERO; MAX_SIZE];
    crate::bitrow::transpose(&cols[..size], &mut rows[..size]);

    let chosen = match mask {
        Some(m) => m,
        None => {
            let mut masked = [BitRow::<N>::ZERO; MAX_SIZE];
            let mut masked_t = [BitRow::<N>::ZERO; MAX_SIZE];
            let mut best = (u32::MAX, 0u8);
            for m in 0..8u8 {
                apply(l, ecl, m, &rows[..size], &mut masked[..size], false);
                apply(l, ecl, m, &cols[..size], &mut masked_t[..size], true);
                let s = penalty::score(&masked[..size], &masked_t[..size]);
                if s < best.0 {
                    best = (s, m);
                }
            }
            best.1
        }
    };
    let mut fin = [BitRow::<N>::ZERO; MAX_SIZE];
    apply(l, ecl, chosen, &rows[..size], &mut fin[..size], false);
    let mut bits = Vec::with_capacity(size * N);
    for r in &fin[..size] {
        bits.extend_from_slice(&r.0);
    }
    (chosen, bits)
}

/// `out` = `base` with mask `m` applied and the format information for (`ecl`, `m`) drawn, in
/// rows or (`transposed`) in columns.
#[inline]
fn apply<const N: usize>(
    l: &Layout,
    ecl: Ecl,
    m: u8,
    base: &[BitRow<N>],
    out: &mut [BitRow<N>],
    transposed: bool,
) {
    let plane = if transposed { &l.planes_t } else { &l.planes }[usize::from(m)].as_slice();
    for (i, (o, &b)) in out.iter_mut().zip(base).enumerate() {
        *o = b ^ BitRow::load(&plane[i * N..]);
    }
    let format = layout::format_bits(ecl, m);
    for &(x, y, i) in &FORMAT_MODULES {
        let (x, y) = (coord(x, l.size), coord(y, l.size));
        let bit = u64::from(format >> i & 1);
        if transposed {
            out[x].or_bit(y, bit);
        } else {
            out[y].or_bit(x, bit);
        }
    }
}
