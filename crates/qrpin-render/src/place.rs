//! Putting codewords into the symbol's columns (ISO/IEC 18004 §7.7.3), four bits at a time
//! where it can be.
//!
//! Codewords fill two-module-wide vertical strips, most significant bit first, alternating
//! between the two columns and moving one row up or down after each pair. So bits 7, 5, 3, 1 of
//! most codewords are four adjacent modules of one column and bits 6, 4, 2, 0 four adjacent
//! modules of the other. In the transposed symbol (one bit row per column) a lookup table and
//! one shift place each such group. The rest (codewords split by a function pattern or a turn
//! of the strip) go bit by bit.

use crate::bitrow::BitRow;

/// Where a codeword's bits go: bits 7, 5, 3, 1 into column `a` from row `a_top`, bits 6, 4, 2, 0
/// into column `b` from row `b_top`, four rows each (see [`describe`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spot {
    a: u8,
    a_top: u8,
    b: u8,
    b_top: u8,
    /// 0: bit by bit; 1: downwards (bit 7 in the top row); 2: upwards.
    kind: u8,
}

/// For each codeword, given the positions of its eight bits (`y << 8 | x`, most significant
/// first), whether and where its two four-bit groups go (see the module documentation).
pub(crate) fn describe(order: &[u16]) -> Vec<Spot> {
    order
        .chunks_exact(8)
        .map(|p| {
            let at = |i: usize| (usize::from(p[i] & 0xFF), usize::from(p[i] >> 8));
            // The rows of one group, if they are four adjacent modules of one column, in
            // one direction, inside one 64-bit word: (column, top row, upwards).
            let group = |first: usize| {
                let (x, y0) = at(first);
                let (_, y1) = at(first + 2);
                let up = y1 < y0;
                let top = if up { y0.checked_sub(3)? } else { y0 };
                let same =
                    (0..4).all(|k| at(first + 2 * k) == (x, if up { y0 - k } else { y0 + k }));
                (same && top % 64 <= 60).then_some((x, top, up))
            };
            match (group(0), group(1)) {
                (Some((a, a_top, up)), Some((b, b_top, b_up))) if up == b_up => Spot {
                    a: a as u8,
                    a_top: a_top as u8,
                    b: b as u8,
                    b_top: b_top as u8,
                    kind: if up { 2 } else { 1 },
                },
                _ => Spot { a: 0, a_top: 0, b: 0, b_top: 0, kind: 0 },
            }
        })
        .collect()
}

/// `NIBBLES[t][c]`: four bits of codeword `c` as they land in one column, lowest row first:
/// t = 0 bits 7, 5, 3, 1 going down, 1 bits 6, 4, 2, 0 going down, 2 and 3 the same going up
/// (row order reversed).
const NIBBLES: [[u8; 256]; 4] = {
    let mut t = [[0u8; 256]; 4];
    let mut c = 0;
    while c < 256 {
        let mut k = 0;
        while k < 4 {
            let odd = ((c >> (7 - 2 * k)) & 1) as u8;
            let even = ((c >> (6 - 2 * k)) & 1) as u8;
            t[0][c] |= odd << k;
            t[1][c] |= even << k;
            t[2][c] |= odd << (3 - k);
            t[3][c] |= even << (3 - k);
            k += 1;
        }
        c += 1;
    }
    t
};

/// ORs `codewords` into the transposed symbol `cols` (bit y of `cols[x]` = module (x, y)).
#[inline]
pub(crate) fn place<const N: usize>(
    codewords: &[u8],
    spots: &[Spot],
    order: &[u16],
    cols: &mut [BitRow<N>],
) {
    for (i, (&c, s)) in codewords.iter().zip(spots).enumerate() {
        if s.kind != 0 {
            let t = if s.kind == 2 { 2 } else { 0 };
            let c = usize::from(c);
            let (a, at) = (usize::from(s.a), usize::from(s.a_top));
            let (b, bt) = (usize::from(s.b), usize::from(s.b_top));
            cols[a].0[at / 64] |= u64::from(NIBBLES[t][c]) << (at % 64);
            cols[b].0[bt / 64] |= u64::from(NIBBLES[t + 1][c]) << (bt % 64);
        } else {
            for (j, &p) in order[8 * i..8 * i + 8].iter().enumerate() {
                let bit = u64::from(c >> (7 - j) & 1);
                cols[usize::from(p & 0xFF)].or_bit(usize::from(p >> 8), bit);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // Grid tests read best with coordinates.
mod tests {
    use super::*;
    use crate::layout::layout;

    #[test]
    fn table_placement_equals_bit_by_bit() {
        for v in [1, 2, 7, 13, 16, 27] {
            let l = layout(v);
            let n = l.order.len() / 8;
            let codewords: Vec<u8> = (0..n).map(|i| (i * 151 + 7) as u8).collect();
            let desc = describe(&l.order);
            let regular = desc.iter().filter(|s| s.kind != 0).count();
            assert!(regular * 10 > n * 6, "v{v}: most codewords go by table ({regular} of {n})");
            let mut fast = vec![BitRow::<2>::ZERO; l.size];
            place(&codewords, &desc, &l.order, &mut fast);
            let mut slow = vec![BitRow::<2>::ZERO; l.size];
            for (k, &p) in l.order[..8 * n].iter().enumerate() {
                let bit = u64::from(codewords[k / 8] >> (7 - k % 8) & 1);
                slow[usize::from(p & 0xFF)].or_bit(usize::from(p >> 8), bit);
            }
            assert_eq!(fast, slow, "v{v}");
        }
    }
}
