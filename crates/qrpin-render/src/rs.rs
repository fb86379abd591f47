//! Reed–Solomon error-correction codewords for QR symbols (ISO/IEC 18004 §7.5.2): arithmetic in
//! GF(2⁸) modulo x⁸ + x⁴ + x³ + x² + 1 (0x11D), generator polynomial ∏ (x − αⁱ) for
//! i = 0..degree, α = 2. The field tables are computed at compile time; each generator's table
//! of products on first use.

use std::sync::OnceLock;

/// The largest number of error-correction codewords per block (ISO/IEC 18004 Table 9).
pub(crate) const MAX_DEGREE: usize = 30;

/// `EXP[i] = αⁱ`, doubled so a sum of two logarithms needs no reduction modulo 255.
const EXP: [u8; 512] = {
    let mut t = [0u8; 512];
    let mut x: u16 = 1;
    let mut i = 0;
    while i < 512 {
        t[i] = x as u8;
        x <<= 1;
        if x & 0x100 != 0 {
            x ^= 0x11D;
        }
        i += 1;
    }
    t
};

/// `LOG[αⁱ] = i`; `LOG[0]` is unused.
const LOG: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 255 {
        t[EXP[i] as usize] = i as u8;
        i += 1;
    }
    t
};

const fn mul(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        0
    } else {
        EXP[LOG[a as usize] as usize + LOG[b as usize] as usize]
    }
}

/// `GEN_LOG[d][i]`: the logarithm of the coefficient of x^(d-1-i) of the degree-`d` generator
/// (its leading coefficient, 1, is left out). Every such coefficient is non-zero.
const GEN_LOG: [[u8; MAX_DEGREE]; MAX_DEGREE + 1] = {
    let mut t = [[0u8; MAX_DEGREE]; MAX_DEGREE + 1];
    let mut d = 1;
    while d <= MAX_DEGREE {
        // c[0] is the leading coefficient; multiply by (x + αʳ) for r in 0..d.
        let mut c = [0u8; MAX_DEGREE + 1];
        c[0] = 1;
        let mut r = 0;
        while r < d {
            let root = EXP[r];
            let mut j = r + 1;
            while j >= 1 {
                c[j] ^= mul(c[j - 1], root);
                j -= 1;
            }
            r += 1;
        }
        let mut i = 0;
        while i < d {
            assert!(c[i + 1] != 0, "generator coefficients are non-zero");
            t[d][i] = LOG[c[i + 1] as usize];
            i += 1;
        }
        d += 1;
    }
    t
};

/// For one generator: `row[f][i]` = f × (coefficient i of the generator), zero past the degree,
/// so one division step is a shift and a 32-byte XOR.
type Products = [[u8; 32]; 256];

static PRODUCTS: [OnceLock<Box<Products>>; MAX_DEGREE + 1] =
    [const { OnceLock::new() }; MAX_DEGREE + 1];

fn products(d: usize) -> &'static Products {
    PRODUCTS[d].get_or_init(|| {
        let mut t = Box::new([[0u8; 32]; 256]);
        for (f, row) in t.iter_mut().enumerate().skip(1) {
            let lf = usize::from(LOG[f]);
            for (p, &gl) in row.iter_mut().zip(&GEN_LOG[d][..d]) {
                *p = EXP[lf + usize::from(gl)];
            }
        }
        t
    })
}

/// Writes the `ecc.len()` (1..=[`MAX_DEGREE`]) error-correction codewords of `data` into `ecc`:
/// the remainder of `data(x) · x^degree` divided by the generator.
pub(crate) fn remainder(data: &[u8], ecc: &mut [u8]) {
    let d = ecc.len();
    let table = products(d);
    // rem[0] is the coefficient of the highest power; rem[d..] stays zero.
    let mut rem = [0u8; 32];
    for &b in data {
        let row = &table[usize::from(b ^ rem[0])];
        let mut next = [0u8; 32];
        next[..31].copy_from_slice(&rem[1..]);
        for (n, p) in next.iter_mut().zip(row) {
            *n ^= p;
        }
        rem = next;
    }
    ecc.copy_from_slice(&rem[..d]);
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // Grid tests read best with coordinates.
mod tests {
    use super::*;

    /// Multiplication by shift-and-add, to check the tables against.
    fn slow_mul(mut a: u8, mut b: u8) -> u8 {
        let mut p = 0u8;
        while b != 0 {
            if b & 1 == 1 {
                p ^= a;
            }
            let carry = a & 0x80 != 0;
            a <<= 1;
            if carry {
                a ^= 0x1D;
            }
            b >>= 1;
        }
        p
    }

    #[test]
    fn tables_agree_with_plain_multiplication() {
        for a in 0..=255u8 {
            for b in [0u8, 1, 2, 3, 0x53, 0x8E, 0xFF, a] {
                assert_eq!(mul(a, b), slow_mul(a, b), "{a} * {b}");
            }
        }
    }

    #[test]
    fn codeword_is_divisible_by_the_generator() {
        // data · x^d + remainder is a multiple of the generator, so it vanishes at every root.
        let data: Vec<u8> = (0..40u32).map(|i| (i * 37 + 11) as u8).collect();
        for d in [7, 10, 17, 22, 30] {
            let mut ecc = vec![0u8; d];
            remainder(&data, &mut ecc);
            let word: Vec<u8> = data.iter().chain(&ecc).copied().collect();
            for r in 0..d {
                let root = EXP[r];
                let value = word.iter().fold(0u8, |acc, &c| slow_mul(acc, root) ^ c);
                assert_eq!(value, 0, "degree {d} root α^{r}");
            }
        }
    }

    #[test]
    fn known_vector() {
        // ISO/IEC 18004 Annex I: "01234567" in version 1-M.
        let data = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
            0xEC, 0x11,
        ];
        let mut ecc = [0u8; 10];
        remainder(&data, &mut ecc);
        assert_eq!(ecc, [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55]);
    }
}
