//! Differential test of our encoder (own codewords, placement and bit-packed mask scorer) against
//! `qrcodegen`'s automatic mask choice: on random payloads at every level and versions 1–40, the
//! version, the chosen mask and every module must be equal.
//!
//! `cargo test` runs a few thousand cases; the full run is ignored by default:
//! `cargo test --release -p qrpin-render --test mask_differential -- --ignored`.

use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};
use qrpin_render::{byte_capacity, Ecl, EncodeOptions, QrMatrix};

/// SplitMix64, so every failure names a reproducible case.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn qrcodegen_ecc(ecl: Ecl) -> QrCodeEcc {
    match ecl {
        Ecl::L => QrCodeEcc::Low,
        Ecl::M => QrCodeEcc::Medium,
        Ecl::Q => QrCodeEcc::Quartile,
        Ecl::H => QrCodeEcc::High,
    }
}

/// One random case: a level, a target version (half the cases in 1–15, where ms-qrpin payloads
/// land) and a payload long enough to need exactly that version: random bytes, or text in the
/// UPN alphabet (long runs of similar bytes score differently from noise).
fn case(rng: &mut Rng) -> (Ecl, Vec<u8>) {
    let ecl = Ecl::ALL[rng.below(4) as usize];
    let version = if rng.below(2) == 0 { 1 + rng.below(15) } else { 1 + rng.below(40) } as u8;
    let lo = if version == 1 { 0 } else { byte_capacity(version - 1, ecl).unwrap() + 1 };
    let hi = byte_capacity(version, ecl).unwrap();
    let len = lo + rng.below((hi - lo + 1) as u64) as usize;
    let data = match rng.below(3) {
        0 => (0..len).map(|_| rng.next() as u8).collect(),
        1 => {
            let alphabet =
                b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.-_!#^~@|:";
            (0..len).map(|_| alphabet[rng.below(alphabet.len() as u64) as usize]).collect()
        }
        // Few distinct bytes: long same-colour runs and regular structure.
        _ => (0..len).map(|_| [0u8, 0xFF, 0x55][rng.below(3) as usize]).collect(),
    };
    (ecl, data)
}

/// Checks `count` cases from `seed`; returns how many were checked.
fn run(seed: u64, count: usize) -> usize {
    let mut rng = Rng(seed);
    let mut versions = [0usize; 41];
    for i in 0..count {
        let (ecl, data) = case(&mut rng);
        let theirs = QrCode::encode_segments_advanced(
            &[QrSegment::make_bytes(&data)],
            qrcodegen_ecc(ecl),
            Version::MIN,
            Version::MAX,
            None,
            false,
        )
        .expect("fits");
        let ours = QrMatrix::encode(&data, &EncodeOptions { ecl, version: None, mask: None })
            .expect("fits");
        let what = format!("case {i} (seed {seed}): {ecl} len {}", data.len());
        assert_eq!(ours.version(), theirs.version().value(), "version, {what}");
        assert_eq!(ours.mask(), theirs.mask().value(), "mask, {what}");
        let n = ours.size();
        for y in 0..n {
            for x in 0..n {
                assert_eq!(
                    ours.get(x, y),
                    theirs.get_module(x as i32, y as i32),
                    "module ({x},{y}), {what}"
                );
            }
        }
        versions[usize::from(ours.version())] += 1;
    }
    // The generator really spread the cases over every version.
    if count >= 2000 {
        assert!(versions[1..].iter().all(|&c| c > 0), "versions covered: {versions:?}");
    }
    count
}

#[test]
fn auto_mask_equals_qrcodegen_on_random_payloads() {
    assert_eq!(run(0x5EED, 2000), 2000);
}

/// Forcing each mask gives qrcodegen's symbol with that mask, module for module.
#[test]
fn forced_masks_equal_qrcodegen() {
    let mut rng = Rng(7);
    for _ in 0..80 {
        let (ecl, data) = case(&mut rng);
        let mask = rng.below(8) as u8;
        let theirs = QrCode::encode_segments_advanced(
            &[QrSegment::make_bytes(&data)],
            qrcodegen_ecc(ecl),
            Version::MIN,
            Version::MAX,
            Some(qrcodegen::Mask::new(mask)),
            false,
        )
        .expect("fits");
        let ours = QrMatrix::encode(&data, &EncodeOptions { ecl, version: None, mask: Some(mask) })
            .expect("fits");
        assert_eq!(ours.mask(), mask);
        let n = ours.size();
        let same = (0..n * n)
            .all(|i| ours.get(i % n, i / n) == theirs.get_module((i % n) as i32, (i / n) as i32));
        assert!(same, "{ecl} len {} mask {mask}", data.len());
    }
}

/// The full fence: 100,000 random payloads. Run with `--release -- --ignored`.
#[test]
#[ignore = "slow: 100,000 encodes with qrcodegen's automatic mask; run with --release --ignored"]
fn auto_mask_equals_qrcodegen_100k() {
    let checked: usize = (0..4u64)
        .map(|t| std::thread::spawn(move || run(0xC0FFEE + t, 25_000)))
        .map(|h| h.join().expect("worker"))
        .sum();
    assert_eq!(checked, 100_000);
    println!("checked {checked} random payloads");
}
