//! A fixed-width row of bits for the encoder's inner loops: `N` `u64` words, module `x` at bit
//! `x % 64` of word `x / 64` (the [`crate::QrMatrix`] packing). `N` is 1 up to version 11, 2 up to
//! version 27 and 3 beyond, so every operation compiles to a few straight-line word operations.
//!
//! Shifts move bits *towards* lower (`shr`) or higher (`shl`) module indices and always fill with
//! zeros, so a shifted row reads "light" wherever it looks past either edge of the symbol.

use std::ops::{BitAnd, BitOr, BitXor, Not};

/// `N` little-endian words of bits; see the module documentation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct BitRow<const N: usize>(pub [u64; N]);

impl<const N: usize> BitRow<N> {
    /// No bits set.
    pub const ZERO: Self = BitRow([0; N]);

    /// Bits `0..n` set (`n <= 64 * N`).
    pub fn ones(n: usize) -> Self {
        let mut w = [0u64; N];
        for (i, word) in w.iter_mut().enumerate() {
            let lo = i * 64;
            if n >= lo + 64 {
                *word = u64::MAX;
            } else if n > lo {
                *word = (1u64 << (n - lo)) - 1;
            }
        }
        BitRow(w)
    }

    /// Copies the first `N` words of `words`.
    #[inline]
    pub fn load(words: &[u64]) -> Self {
        let mut w = [0u64; N];
        w.copy_from_slice(&words[..N]);
        BitRow(w)
    }

    /// Bit `x` of the result is bit `x + k` of `self` (zeros shifted in from the top).
    #[inline(always)]
    pub fn shr(self, k: usize) -> Self {
        let (ws, bs) = (k / 64, k % 64);
        let mut out = [0u64; N];
        for (i, o) in out.iter_mut().enumerate() {
            let j = i + ws;
            if j < N {
                let mut w = self.0[j] >> bs;
                if bs != 0 && j + 1 < N {
                    w |= self.0[j + 1] << (64 - bs);
                }
                *o = w;
            }
        }
        BitRow(out)
    }

    /// Bit `x` of the result is bit `x - k` of `self` (zeros shifted in from the bottom).
    #[inline(always)]
    pub fn shl(self, k: usize) -> Self {
        let (ws, bs) = (k / 64, k % 64);
        let mut out = [0u64; N];
        for (i, o) in out.iter_mut().enumerate() {
            if i >= ws {
                let j = i - ws;
                let mut w = self.0[j] << bs;
                if bs != 0 && j >= 1 {
                    w |= self.0[j - 1] >> (64 - bs);
                }
                *o = w;
            }
        }
        BitRow(out)
    }

    /// The number of set bits.
    #[inline(always)]
    pub fn count(self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    /// Whether no bit is set.
    #[inline(always)]
    pub fn is_zero(self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    /// The number of set bits from bit 0 up to the first clear one.
    pub fn trailing_ones(self) -> usize {
        let mut n = 0;
        for w in self.0 {
            n += w.trailing_ones() as usize;
            if w != u64::MAX {
                break;
            }
        }
        n
    }

    /// Clears the lowest set bit and returns its position, or `None` when no bit is set.
    pub fn take_lowest(&mut self) -> Option<usize> {
        let i = self.0.iter().position(|&w| w != 0)?;
        let w = &mut self.0[i];
        let b = w.trailing_zeros() as usize;
        *w &= *w - 1;
        Some(i * 64 + b)
    }

    /// ORs `bit` (0 or 1) into position `x`.
    #[inline(always)]
    pub fn or_bit(&mut self, x: usize, bit: u64) {
        self.0[x / 64] |= bit << (x % 64);
    }
}

/// Writes the transpose of the `rows.len()` × `rows.len()` bit matrix `rows` into `cols`
/// (bit y of `cols[x]` = bit x of `rows[y]`), by 64 × 64 blocks.
pub(crate) fn transpose<const N: usize>(rows: &[BitRow<N>], cols: &mut [BitRow<N>]) {
    let size = rows.len();
    for bi in 0..N {
        for bj in 0..N {
            let mut block = [0u64; 64];
            for (r, b) in block.iter_mut().enumerate() {
                if let Some(row) = rows.get(bi * 64 + r) {
                    *b = row.0[bj];
                }
            }
            transpose64(&mut block);
            for (c, &b) in block.iter().enumerate() {
                if bj * 64 + c < size {
                    cols[bj * 64 + c].0[bi] = b;
                }
            }
        }
    }
}

/// Transposes a 64 × 64 bit matrix in place (bit x of word y ↔ bit y of word x): swap the
/// off-diagonal halves, then quarters within each half, and so on down to single bits.
fn transpose64(a: &mut [u64; 64]) {
    let mut width = 32;
    let mut low: u64 = 0x0000_0000_FFFF_FFFF;
    while width != 0 {
        let mut k = 0;
        while k < 64 {
            // Row k's high `width` bits of each pair of blocks ↔ row k + width's low ones.
            let t = ((a[k] >> width) ^ a[k + width]) & low;
            a[k] ^= t << width;
            a[k + width] ^= t;
            k = (k + width + 1) & !width;
        }
        width >>= 1;
        low ^= low << width;
    }
}

macro_rules! bitwise {
    ($tr:ident, $f:ident, $op:tt) => {
        impl<const N: usize> $tr for BitRow<N> {
            type Output = Self;
            #[inline(always)]
            fn $f(self, rhs: Self) -> Self {
                let mut out = self.0;
                for (o, r) in out.iter_mut().zip(rhs.0) {
                    *o $op r;
                }
                BitRow(out)
            }
        }
    };
}
bitwise!(BitAnd, bitand, &=);
bitwise!(BitOr, bitor, |=);
bitwise!(BitXor, bitxor, ^=);

impl<const N: usize> Not for BitRow<N> {
    type Output = Self;
    #[inline(always)]
    fn not(self) -> Self {
        BitRow(self.0.map(|w| !w))
    }
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // Grid tests read best with coordinates.
mod tests {
    use super::*;

    fn bits<const N: usize>(r: BitRow<N>) -> Vec<usize> {
        (0..64 * N).filter(|&x| (r.0[x / 64] >> (x % 64)) & 1 == 1).collect()
    }

    fn from<const N: usize>(xs: &[usize]) -> BitRow<N> {
        let mut r = BitRow::<N>::ZERO;
        for &x in xs {
            r.or_bit(x, 1);
        }
        r
    }

    #[test]
    fn shifts_cross_words_and_fill_with_zeros() {
        let r = from::<3>(&[0, 63, 64, 100, 191]);
        assert_eq!(bits(r.shr(1)), [62, 63, 99, 190]);
        assert_eq!(bits(r.shl(1)), [1, 64, 65, 101]);
        assert_eq!(bits(r.shr(64)), [0, 36, 127]);
        assert_eq!(bits(r.shl(70)), [70, 133, 134, 170]);
        assert!(r.shr(192).is_zero() && r.shl(200).is_zero());
        assert_eq!(bits(from::<1>(&[5]).shl(64)), Vec::<usize>::new());
        assert_eq!(bits(from::<2>(&[5, 70]).shr(3)), [2, 67]);
    }

    #[test]
    fn transposes_any_size() {
        for size in [21, 64, 65, 129, 177] {
            let mut rows = vec![BitRow::<3>::ZERO; size];
            for y in 0..size {
                for x in 0..size {
                    rows[y].or_bit(x, u64::from((x * 7 + y * y * 3) % 5 == 1));
                }
            }
            let mut cols = vec![BitRow::<3>::ZERO; size];
            transpose(&rows, &mut cols);
            for y in 0..size {
                for x in 0..size {
                    assert_eq!(
                        (cols[x].0[y / 64] >> (y % 64)) & 1,
                        (rows[y].0[x / 64] >> (x % 64)) & 1
                    );
                }
            }
        }
    }

    #[test]
    fn ones_counts_and_logic() {
        assert_eq!(BitRow::<3>::ones(130).count(), 130);
        assert_eq!(BitRow::<1>::ones(64).count(), 64);
        assert_eq!(BitRow::<2>::ones(0), BitRow::ZERO);
        let a = from::<2>(&[1, 2, 65]);
        let b = from::<2>(&[2, 65, 66]);
        assert_eq!(bits(a & b), [2, 65]);
        assert_eq!(bits(a | b), [1, 2, 65, 66]);
        assert_eq!(bits(a ^ b), [1, 66]);
        assert_eq!((!a).count(), 125);
        assert_eq!(BitRow::<2>::load(&[1, 2, 3]), BitRow([1, 2]));
        assert_eq!(BitRow::<3>::ones(130).trailing_ones(), 130);
        assert_eq!(BitRow::<3>::ones(192).trailing_ones(), 192);
        assert_eq!(from::<2>(&[1]).trailing_ones(), 0);
        let mut c = from::<3>(&[3, 130]);
        assert_eq!((c.take_lowest(), c.take_lowest(), c.take_lowest()), (Some(3), Some(130), None));
    }
}
