//! Everything about a QR symbol that depends only on its version, computed once per version and
//! cached: the function patterns, the order data bits are placed in, and the eight mask patterns
//! restricted to the modules a mask applies to. Also the block structure table and the format
//! and version information codes.
//!
//! Coordinates are `(x, y)` = (column, row), the origin at the top-left module.

use std::sync::OnceLock;

use qrpin_codec::Ecl;

use crate::matrix::{size_of_version, MAX_VERSION};

/// The most codewords any symbol holds (version 40: 29,648 data modules / 8).
pub(crate) const MAX_RAW_CODEWORDS: usize = 3706;

/// ISO/IEC 18004 Table 9, per version: `(blocks, error-correction codewords per block)` for
/// levels L, M, Q and H.
const BLOCKS: [[(u8, u8); 4]; 40] = [
    [(1, 7), (1, 10), (1, 13), (1, 17)],      // 1
    [(1, 10), (1, 16), (1, 22), (1, 28)],     // 2
    [(1, 15), (1, 26), (2, 18), (2, 22)],     // 3
    [(1, 20), (2, 18), (2, 26), (4, 16)],     // 4
    [(1, 26), (2, 24), (4, 18), (4, 22)],     // 5
    [(2, 18), (4, 16), (4, 24), (4, 28)],     // 6
    [(2, 20), (4, 18), (6, 18), (5, 26)],     // 7
    [(2, 24), (4, 22), (6, 22), (6, 26)],     // 8
    [(2, 30), (5, 22), (8, 20), (8, 24)],     // 9
    [(4, 18), (5, 26), (8, 24), (8, 28)],     // 10
    [(4, 20), (5, 30), (8, 28), (11, 24)],    // 11
    [(4, 24), (8, 22), (10, 26), (11, 28)],   // 12
    [(4, 26), (9, 22), (12, 24), (16, 22)],   // 13
    [(4, 30), (9, 24), (16, 20), (16, 24)],   // 14
    [(6, 22), (10, 24), (12, 30), (18, 24)],  // 15
    [(6, 24), (10, 28), (17, 24), (16, 30)],  // 16
    [(6, 28), (11, 28), (16, 28), (19, 28)],  // 17
    [(6, 30), (13, 26), (18, 28), (21, 28)],  // 18
    [(7, 28), (14, 26), (21, 26), (25, 26)],  // 19
    [(8, 28), (16, 26), (20, 30), (25, 28)],  // 20
    [(8, 28), (17, 26), (23, 28), (25, 30)],  // 21
    [(9, 28), (17, 28), (23, 30), (34, 24)],  // 22
    [(9, 30), (18, 28), (25, 30), (30, 30)],  // 23
    [(10, 30), (20, 28), (27, 30), (32, 30)], // 24
    [(12, 26), (21, 28), (29, 30), (35, 30)], // 25
    [(12, 28), (23, 28), (34, 28), (37, 30)], // 26
    [(12, 30), (25, 28), (34, 30), (40, 30)], // 27
    [(13, 30), (26, 28), (35, 30), (42, 30)], // 28
    [(14, 30), (28, 28), (38, 30), (45, 30)], // 29
    [(15, 30), (29, 28), (40, 30), (48, 30)], // 30
    [(16, 30), (31, 28), (43, 30), (51, 30)], // 31
    [(17, 30), (33, 28), (45, 30), (54, 30)], // 32
    [(18, 30), (35, 28), (48, 30), (57, 30)], // 33
    [(19, 30), (37, 28), (51, 30), (60, 30)], // 34
    [(19, 30), (38, 28), (53, 30), (63, 30)], // 35
    [(20, 30), (40, 28), (56, 30), (66, 30)], // 36
    [(21, 30), (43, 28), (59, 30), (70, 30)], // 37
    [(22, 30), (45, 28), (62, 30), (74, 30)], // 38
    [(24, 30), (47, 28), (65, 30), (77, 30)], // 39
    [(25, 30), (49, 28), (68, 30), (81, 30)], // 40
];

fn ecl_index(ecl: Ecl) -> usize {
    match ecl {
        Ecl::L => 0,
        Ecl::M => 1,
        Ecl::Q => 2,
        Ecl::H => 3,
    }
}

/// `(blocks, error-correction codewords per block)` at `version` (1..=40) and `ecl`.
pub(crate) fn blocks(version: u8, ecl: Ecl) -> (usize, usize) {
    let (b, e) = BLOCKS[usize::from(version) - 1][ecl_index(ecl)];
    (usize::from(b), usize::from(e))
}

/// Alignment pattern centres on each axis (ISO/IEC 18004 Annex E): 6, then evenly spaced up to
/// `size - 7` with an even step, the spare space going to the first gap. Version 1 has none.
fn alignment_positions(version: u8) -> Vec<usize> {
    if version == 1 {
        return Vec::new();
    }
    let size = size_of_version(version);
    let count = usize::from(version) / 7 + 2;
    // Version 32 is the one version whose step is not the smallest even step that fits.
    let step = if version == 32 { 26 } else { 2 * (size - 13).div_ceil(2 * (count - 1)) };
    let mut p: Vec<usize> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    p.push(6);
    p.reverse();
    p
}

/// Modules left for data and error correction (remainder bits included) at `version`:
/// everything but the finder patterns with separators, timing, alignment, format and version
/// information.
pub(crate) fn raw_data_modules(version: u8) -> usize {
    let size = size_of_version(version);
    let mut n = size * size - 3 * 64 - 2 * (size - 16) - 31;
    if version >= 2 {
        let a = usize::from(version) / 7 + 2;
        // Alignment patterns not on a finder, less those on the timing lines (5 modules each
        // already counted as timing).
        n -= (a * a - 3) * 25 - 2 * (a - 2) * 5;
    }
    if version >= 7 {
        n -= 36;
    }
    n
}

/// Data codewords (excluding error correction) at `version` and `ecl`.
pub(crate) fn data_codewords(version: u8, ecl: Ecl) -> usize {
    let (b, e) = blocks(version, ecl);
    raw_data_modules(version) / 8 - b * e
}

/// The 15-bit format information for `ecl` and `mask`: BCH(15,5) with generator 0x537, XORed
/// with 0x5412 (ISO/IEC 18004 §7.9.1). Bit 14 is the most significant.
pub(crate) fn format_bits(ecl: Ecl, mask: u8) -> u16 {
    let data = u32::from(ecl.format_bits()) << 3 | u32::from(mask);
    let mut rem = data << 10;
    for bit in (10..15).rev() {
        if rem & (1 << bit) != 0 {
            rem ^= 0x537 << (bit - 10);
        }
    }
    ((data << 10 | rem) ^ 0x5412) as u16
}

/// The 18-bit version information: BCH(18,6) with generator 0x1F25 (ISO/IEC 18004 §7.10).
fn version_bits(version: u8) -> u32 {
    let data = u32::from(version);
    let mut rem = data << 12;
    for bit in (12..18).rev() {
        if rem & (1 << bit) != 0 {
            rem ^= 0x1F25 << (bit - 12);
        }
    }
    data << 12 | rem
}

/// A coordinate that may count from the far edge: `(offset, from_far_edge)`, the far-edge one
/// meaning `size - offset`; see [`coord`].
pub(crate) type Coord = (u8, bool);

/// The two copies of the format information: `(x, y, bit index)` of the 30 modules.
pub(crate) const FORMAT_MODULES: [(Coord, Coord, u8); 30] = {
    let mut t = [((0u8, false), (0u8, false), 0u8); 30];
    let mut i = 0;
    while i < 15 {
        // First copy, around the top-left finder: down column 8, then left along row 8.
        t[i] = match i {
            0..=5 => ((8, false), (i as u8, false), i as u8),
            6 => ((8, false), (7, false), 6),
            7 => ((8, false), (8, false), 7),
            8 => ((7, false), (8, false), 8),
            _ => (((14 - i) as u8, false), (8, false), i as u8),
        };
        // Second copy: row 8 from the right edge leftwards (bits 0-7), then column 8 upwards
        // from the bottom (bits 8-14), i.e. rows size-7 ..= size-1.
        t[15 + i] = if i < 8 {
            (((1 + i) as u8, true), (8, false), i as u8)
        } else {
            ((8, false), ((15 - i) as u8, true), i as u8)
        };
        i += 1;
    }
    t
};

/// Resolves a [`FORMAT_MODULES`] coordinate.
#[inline(always)]
pub(crate) fn coord((offset, far): Coord, size: usize) -> usize {
    if far {
        size - usize::from(offset)
    } else {
        usize::from(offset)
    }
}

/// Whether mask pattern `m` inverts the module at column `x`, row `y` (ISO/IEC 18004 Table 10,
/// where i is the row and j the column).
fn mask_inverts(m: u8, x: usize, y: usize) -> bool {
    match m {
        0 => (x + y).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => (y / 2 + x / 3).is_multiple_of(2),
        5 => (x * y) % 2 + (x * y) % 3 == 0,
        6 => ((x * y) % 2 + (x * y) % 3).is_multiple_of(2),
        _ => ((x + y) % 2 + (x * y) % 3).is_multiple_of(2),
    }
}

/// The version-dependent tables; see the module documentation. Bit grids are `size × stride`
/// words, row-major, packed like [`crate::QrMatrix`]; `_t` grids are transposed (word row `x`
/// holds column `x`, bit `y`).
pub(crate) struct Layout {
    pub size: usize,
    pub stride: usize,
    /// Dark function modules, with every format-information module light, transposed.
    pub pattern_t: Vec<u64>,
    /// For each mask, the modules it inverts (never a function module).
    pub planes: [Vec<u64>; 8],
    pub planes_t: [Vec<u64>; 8],
    /// Data modules in placement order (ISO/IEC 18004 §7.7.3), each `y << 8 | x`.
    pub order: Vec<u16>,
    /// Per codeword, how [`crate::place::place`] puts it.
    pub placement: Vec<crate::place::Spot>,
}

static LAYOUTS: [OnceLock<Layout>; MAX_VERSION as usize] =
    [const { OnceLock::new() }; MAX_VERSION as usize];

/// The cached layout of `version` (1..=40), built on first use.
pub(crate) fn layout(version: u8) -> &'static Layout {
    LAYOUTS[usize::from(version) - 1].get_or_init(|| Layout::build(version))
}

impl Layout {
    fn build(version: u8) -> Layout {
        let size = size_of_version(version);
        let mut func = vec![false; size * size];
        let mut dark = vec![false; size * size];
        let mut put = |x: usize, y: usize, d: bool| {
            func[y * size + x] = true;
            dark[y * size + x] = d;
        };
        // Timing patterns along row 6 and column 6.
        for i in 0..size {
            put(6, i, i % 2 == 0);
            put(i, 6, i % 2 == 0);
        }
        // Finder patterns with their light separators, at three corners. Chebyshev distance
        // from the centre: 0-1 dark core, 2 light, 3 dark ring, 4 separator.
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for y in cy.saturating_sub(4)..(cy + 5).min(size) {
                for x in cx.saturating_sub(4)..(cx + 5).min(size) {
                    let d = x.abs_diff(cx).max(y.abs_diff(cy));
                    put(x, y, d != 2 && d != 4);
                }
            }
        }
        // Alignment patterns, except where they would overlap a finder.
        let pos = alignment_positions(version);
        let last = pos.len().saturating_sub(1);
        for (i, &cx) in pos.iter().enumerate() {
            for (j, &cy) in pos.iter().enumerate() {
                if (i, j) == (0, 0) || (i, j) == (0, last) || (i, j) == (last, 0) {
                    continue;
                }
                for y in cy - 2..=cy + 2 {
                    for x in cx - 2..=cx + 2 {
                        put(x, y, x.abs_diff(cx).max(y.abs_diff(cy)) != 1);
                    }
                }
            }
        }
        // Format information: reserved (light) here; the dark module beside it is always dark.
        for &(x, y, _) in &FORMAT_MODULES {
            put(coord(x, size), coord(y, size), false);
        }
        put(8, size - 8, true);
        // Version information: two 6×3 blocks (ISO/IEC 18004 §7.10), bit i at column i / 3
        // and row size - 11 + i % 3 of the bottom-left block; the top-right one is its mirror.
        if version >= 7 {
            let bits = version_bits(version);
            for i in 0..18 {
                let d = (bits >> i) & 1 == 1;
                let (a, b) = (size - 11 + i % 3, i / 3);
                put(a, b, d);
                put(b, a, d);
            }
        }

        let stride = size.div_ceil(64);
        let pack = |f: &dyn Fn(usize, usize) -> bool, transpose: bool| {
            let mut w = vec![0u64; size * stride];
            for y in 0..size {
                for x in 0..size {
                    let (r, c) = if transpose { (x, y) } else { (y, x) };
                    if f(x, y) {
                        w[r * stride + c / 64] |= 1 << (c % 64);
                    }
                }
            }
            w
        };
        let is_dark = |x: usize, y: usize| dark[y * size + x];
        let plane = |m: u8, t: bool| pack(&|x, y| !func[y * size + x] && mask_inverts(m, x, y), t);

        // Placement: two-module-wide columns from the right, alternately upwards and
        // downwards, skipping the vertical timing column.
        let mut order = Vec::with_capacity(raw_data_modules(version));
        let mut right = size - 1;
        loop {
            if right == 6 {
                right = 5;
            }
            let upward = (right + 1) & 2 == 0;
            for v in 0..size {
                let y = if upward { size - 1 - v } else { v };
                for x in [right, right - 1] {
                    if !func[y * size + x] {
                        order.push(((y << 8) | x) as u16);
                    }
                }
            }
            if right < 2 {
                break;
            }
            right -= 2;
        }
        debug_assert_eq!(order.len(), raw_data_modules(version));

        Layout {
            size,
            stride,
            pattern_t: pack(&is_dark, true),
            placement: crate::place::describe(&order),
            planes: std::array::from_fn(|m| plane(m as u8, false)),
            planes_t: std::array::from_fn(|m| plane(m as u8, true)),
            order,
        }
    }
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // Grid tests read best with coordinates.
mod tests {
    use super::*;

    #[test]
    fn data_module_counts_match_the_formula() {
        for v in 1..=MAX_VERSION {
            assert_eq!(layout(v).order.len(), raw_data_modules(v), "v{v}");
        }
        assert_eq!(raw_data_modules(1), 208);
        assert_eq!(raw_data_modules(40), 29648);
        assert_eq!(raw_data_modules(40) / 8, MAX_RAW_CODEWORDS);
    }

    #[test]
    fn known_codes_and_positions() {
        // ISO/IEC 18004 Annex C and D examples.
        assert_eq!(format_bits(Ecl::M, 5), 0b100000011001110);
        assert_eq!(version_bits(7), 0b000111110010010100);
        assert_eq!(alignment_positions(2), [6, 18]);
        assert_eq!(alignment_positions(7), [6, 22, 38]);
        assert_eq!(alignment_positions(32), [6, 34, 60, 86, 112, 138]);
        assert_eq!(alignment_positions(36), [6, 24, 50, 76, 102, 128, 154]);
        assert_eq!(alignment_positions(40), [6, 30, 58, 86, 114, 142, 170]);
    }

    #[test]
    fn planes_avoid_function_modules_and_transpose() {
        let l = layout(8);
        let get = |w: &[u64], x: usize, y: usize| (w[y * l.stride + x / 64] >> (x % 64)) & 1 == 1;
        // pattern_t is transposed: module (x, y) is get(pattern_t, y, x).
        let module = |x: usize, y: usize| get(&l.pattern_t, y, x);
        assert!(module(8, l.size - 8), "the dark module");
        assert!(module(0, 0) && !module(7, 7) && module(l.size - 1, 0) && !module(l.size - 8, 0));
        assert!(module(8, 6) && !module(9, 6) && module(6, 10) && !module(6, 11), "timing");
        for m in 0..8 {
            for y in 0..l.size {
                for x in 0..l.size {
                    let p = get(&l.planes[m], x, y);
                    assert_eq!(p, get(&l.planes_t[m], y, x));
                    if x == 6 || y == 6 || (x < 9 && y < 9) {
                        assert!(!p, "mask {m} over a function module ({x},{y})");
                    }
                }
            }
        }
    }
}
