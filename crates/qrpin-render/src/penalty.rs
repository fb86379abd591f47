//! The mask penalty score of ISO/IEC 18004 §7.8.3, on bit-packed rows, scoring exactly what
//! `qrcodegen` scores (its automatic mask choice is the reference our choice must equal):
//!
//! - **N1** (3 + k): each run of k + 5 ≥ 5 same-coloured modules in a row or column.
//! - **N2** (3): each 2×2 block of one colour, overlapping blocks counted separately.
//! - **N3** (40): each finder-like pattern in a row or column: dark, light, dark, light, dark
//!   runs of exactly n, n, 3n, n, n modules (any n ≥ 1) with at least 4n light modules on one
//!   side and at least n on the other. Both sides having 4n counts twice. Beyond the symbol
//!   edge counts as light (qrcodegen adds the symbol width as light border at either end,
//!   always at least 4n).
//! - **N4** (10 k): k is the smallest integer ≥ 0 with the dark share within (45 − 5k)% to
//!   (55 + 5k)%.
//!
//! Runs are found with shifted ANDs and population counts: bit x of `d.shr(k)` is module x + k.
//! Columns are scored on a transposed copy, so they are rows too.

use crate::bitrow::BitRow;

const N1: u32 = 3;
const N2: u32 = 3;
const N3: u32 = 40;
const N4: u32 = 10;

/// Per-size constants for [`line`].
struct Bands<const N: usize> {
    size: usize,
    /// Bit x for x in 0..size-1: the pairs (x, x+1) inside the symbol.
    pairs: BitRow<N>,
    /// Bit x for x in 0..=size-5: where five modules fit.
    fives: BitRow<N>,
    /// Where the middle run (3n) of a finder-like pattern with n >= 2 can start: 2n modules
    /// from the start and 5n from the end, so x in 4..=size-10.
    middles: BitRow<N>,
}

/// The penalty of a symbol given as `size` rows and the same symbol's `size` columns (column
/// `x` holding module `(x, y)` at bit `y`). Bits past `size` must be zero.
pub(crate) fn score<const N: usize>(rows: &[BitRow<N>], cols: &[BitRow<N>]) -> u32 {
    let size = rows.len();
    debug_assert_eq!(cols.len(), size);
    let bands = Bands {
        size,
        pairs: BitRow::ones(size - 1),
        fives: BitRow::ones(size - 4),
        middles: BitRow::ones(size - 9) & !BitRow::ones(4),
    };
    let mut total = 0;
    let mut dark = 0;
    let mut above: Option<(BitRow<N>, BitRow<N>)> = None;
    for &r in rows {
        let (s, eq) = line(r, &bands);
        total += s;
        dark += r.count();
        if let Some((top, top_eq)) = above {
            total += N2 * blocks(top, top_eq, r);
        }
        above = Some((r, eq));
    }
    for &c in cols {
        total += line(c, &bands).0;
    }
    total + N4 * balance(dark as usize, size * size)
}

/// N1 and N3 for one row or column `d` (dark = set); also returns `eq` (bit x: modules x and
/// x + 1 are the same colour) for N2.
#[inline(always)]
fn line<const N: usize>(d: BitRow<N>, bands: &Bands<N>) -> (u32, BitRow<N>) {
    // t: bit x set where module x + 1 differs from module x (past the edge is light), and
    // u[k] = t shifted by k: a change between x + k and x + k + 1.
    let t = d ^ d.shr(1);
    let u = [t, t.shr(1), t.shr(2), t.shr(3), t.shr(4), t.shr(5), t.shr(6), t.shr(7)];
    let eq = !t & bands.pairs;

    // N1. five: modules x..x+4 all equal. A run of L >= 5 has L - 4 such starting points and
    // costs N1 + (L - 5) = (L - 4) + (N1 - 1), the N1 - 1 charged at the run's first module
    // (x = 0, or a change between x - 1 and x).
    let five = !(u[0] | u[1] | u[2] | u[3]) & bands.fives;
    let first = five & (t.shl(1) | BitRow::ones(1));
    let mut score = five.count() + (N1 - 1) * first.count();

    // N3 at n = 1, anchored at the pattern's first module x: dark x, then changes after x,
    // x+1, x+4 and x+5 only (1:1:3:1:1).
    let core = d & u[0] & u[1] & !u[2] & !u[3] & u[4] & u[5];
    if !core.is_zero() {
        let (before1, after1) = (d.shl(1), d.shr(7));
        let before4 = before1 | d.shl(2) | d.shl(3) | d.shl(4);
        let after4 = after1 | d.shr(8) | d.shr(9) | d.shr(10);
        score += N3 * ((core & !before1 & !after4).count() + (core & !before4 & !after1).count());
    }

    // N3 at n >= 2, anchored at the middle run's first module s (3n >= 6 dark, starting where
    // one can). Necessary conditions, bit-parallel, before the exact check: light at s-1 (a run
    // starts) and s-2; and for n = 2 exactly six dark, light s+6, s+7, dark s+8 and s-3; for
    // n >= 3 at least nine dark and light at s-3.
    let six = first & !u[4] & d & bands.middles;
    let (b2, b3) = (t.shl(2), t.shl(3));
    let n2 = u[5] & !u[6] & u[7] & b3;
    let n3 = !(u[5] | u[6] | u[7] | b3);
    let starts = six & !b2 & (n2 | n3);
    if !starts.is_zero() {
        score += N3 * scaled_finders(d, bands.size, starts);
    }
    (score, eq)
}

/// Finder-like patterns at scales n >= 2 whose middle run starts at a bit of `starts`.
#[cold]
#[inline(never)]
fn scaled_finders<const N: usize>(d: BitRow<N>, size: usize, mut starts: BitRow<N>) -> u32 {
    let ones = BitRow::<N>::ones;
    let mut count = 0;
    while let Some(s) = starts.take_lowest() {
        let len = d.shr(s).trailing_ones();
        let n = len / 3;
        if !len.is_multiple_of(3) || s < 2 * n || s + 5 * n > size {
            continue;
        }
        // Seen from the pattern's first module x: dark [0, n), light [n, 2n), dark [2n, 5n),
        // light [5n, 6n), dark [6n, 7n). Past the symbol's edge is light.
        let x = s - 2 * n;
        let w = d.shr(x);
        let pattern = ones(n) | (ones(5 * n) & !ones(2 * n)) | (ones(7 * n) & !ones(6 * n));
        if w & ones(7 * n) != pattern {
            continue;
        }
        let after = |k: usize| (w & ones(7 * n + k) & !ones(7 * n)).is_zero();
        let before = |k: usize| {
            if x >= k {
                (d.shr(x - k) & ones(k)).is_zero()
            } else {
                (d & ones(x)).is_zero()
            }
        };
        count += u32::from(before(n) && after(4 * n)) + u32::from(before(4 * n) && after(n));
    }
    count
}

/// N2: 2×2 blocks of one colour with their top-left module in row `top` (whose `eq` is
/// `top_eq`) and the row `below` it.
#[inline(always)]
fn blocks<const N: usize>(top: BitRow<N>, top_eq: BitRow<N>, below: BitRow<N>) -> u32 {
    let vertical = !(top ^ below);
    (vertical & vertical.shr(1) & top_eq).count()
}

/// N4's k for `dark` dark modules out of `total`.
fn balance(dark: usize, total: usize) -> u32 {
    // Smallest k with |dark/total - 1/2| <= k/20, i.e. ceil(|20 dark - 10 total| / total) - 1,
    // never below 0 (total is odd, so the share is never exactly half).
    let off = (20 * dark).abs_diff(10 * total);
    (off.div_ceil(total) - 1) as u32
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // Grid tests read best with coordinates.
mod tests {
    use super::*;

    /// The rules applied module by module, as plainly as possible, for comparison.
    fn reference(grid: &[Vec<bool>]) -> u32 {
        let size = grid.len();
        let mut total = 0;
        let lines: Vec<Vec<bool>> = (0..size)
            .map(|y| grid[y].clone())
            .chain((0..size).map(|x| (0..size).map(|y| grid[y][x]).collect()))
            .collect();
        for line in &lines {
            // N1 over maximal runs.
            let mut runs: Vec<(bool, usize)> = Vec::new();
            for &m in line {
                match runs.last_mut() {
                    Some((c, l)) if *c == m => *l += 1,
                    _ => runs.push((m, 1)),
                }
            }
            total += runs.iter().filter(|r| r.1 >= 5).map(|r| r.1 as u32 - 2).sum::<u32>();
            // N3: pad with `size` light modules each side, then look at every dark run start.
            let mut padded: Vec<(bool, usize)> = vec![(false, size)];
            for &(c, l) in &runs {
                match padded.last_mut() {
                    Some((pc, pl)) if *pc == c => *pl += l,
                    _ => padded.push((c, l)),
                }
            }
            match padded.last_mut() {
                Some((false, pl)) => *pl += size,
                _ => padded.push((false, size)),
            }
            for w in padded.windows(7) {
                let n = w[1].1;
                let shape = [false, true, false, true, false, true, false];
                if w.iter().zip(shape).any(|(r, c)| r.0 != c) {
                    continue;
                }
                if [w[2].1, w[3].1, w[4].1, w[5].1] == [n, 3 * n, n, n] {
                    total += N3 * u32::from(w[0].1 >= 4 * n && w[6].1 >= n);
                    total += N3 * u32::from(w[6].1 >= 4 * n && w[0].1 >= n);
                }
            }
        }
        for y in 0..size - 1 {
            for x in 0..size - 1 {
                let c = grid[y][x];
                if grid[y][x + 1] == c && grid[y + 1][x] == c && grid[y + 1][x + 1] == c {
                    total += N2;
                }
            }
        }
        let dark = grid.iter().flatten().filter(|&&m| m).count();
        total + N4 * balance(dark, size * size)
    }

    fn packed<const N: usize>(grid: &[Vec<bool>]) -> (Vec<BitRow<N>>, Vec<BitRow<N>>) {
        let size = grid.len();
        let mut rows = vec![BitRow::<N>::ZERO; size];
        let mut cols = vec![BitRow::<N>::ZERO; size];
        for y in 0..size {
            for x in 0..size {
                let b = u64::from(grid[y][x]);
                rows[y].or_bit(x, b);
                cols[x].or_bit(y, b);
            }
        }
        (rows, cols)
    }

    /// Random grids with planted finder-like patterns of several scales near edges and words.
    fn grid(size: usize, seed: u64) -> Vec<Vec<bool>> {
        let mut s = seed;
        let mut next = move || {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            s >> 33
        };
        let density = next() % 5;
        let mut g: Vec<Vec<bool>> =
            (0..size).map(|_| (0..size).map(|_| next() % 8 < 2 + density).collect()).collect();
        for _ in 0..6 {
            let n = 1 + (next() % 4) as usize;
            let flank = (next() % 5) as usize * n;
            let len = 7 * n + 2 * flank;
            if len > size {
                continue;
            }
            let (start, y) = ((next() as usize) % (size - len + 1), (next() as usize) % size);
            let pattern = [0, 1, 0, 1, 1, 1, 0, 1, 0];
            for i in 0..len {
                let unit =
                    if i < flank || i >= flank + 7 * n { 0 } else { pattern[1 + (i - flank) / n] };
                g[y][start + i] = unit == 1;
            }
        }
        g
    }

    #[test]
    fn equals_the_plain_rules() {
        for seed in 0..300u64 {
            for size in [21, 25, 45, 61, 63, 65, 69, 129, 177] {
                let g = grid(size, seed * 1000 + size as u64);
                let want = reference(&g);
                let got = match size.div_ceil(64) {
                    1 => {
                        let (r, c) = packed::<1>(&g);
                        score(&r, &c)
                    }
                    2 => {
                        let (r, c) = packed::<2>(&g);
                        score(&r, &c)
                    }
                    _ => {
                        let (r, c) = packed::<3>(&g);
                        score(&r, &c)
                    }
                };
                assert_eq!(got, want, "size {size} seed {seed}");
            }
        }
    }

    #[test]
    fn balance_steps() {
        assert_eq!(balance(220, 441), 0);
        assert_eq!(balance(0, 441), 9);
        assert_eq!(balance(441, 441), 9);
        assert_eq!(balance(199, 441), 0); // 45.1%
        assert_eq!(balance(198, 441), 1); // 44.9%
    }
}
