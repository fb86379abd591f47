//! Checks that an image holds exactly a given ms-qrpin code and prints the verdict.
//!
//! With no arguments it renders the sample code at level Q with `qrpin-render` into an in-memory
//! PNG and verifies that (text and level). With `IMAGE [TEXT]` it reads the image file (PNG,
//! JPEG, GIF, WebP, BMP or SVG) and expects TEXT (default: the sample). Exits non-zero unless
//! the image matches.
//!
//! ```text
//! cargo run -p qrpin-scan --example verify_image [image.png ['ms-qrpin:v1|…']]
//! ```

use std::error::Error;

use qrpin_codec::Ecl;
use qrpin_render::{to_png, EncodeOptions, PngOptions, QrMatrix};
use qrpin_scan::{verify, Scanner, Verdict};

const SAMPLE: &str = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args_os().skip(1);
    let (image, expected, ecl) = match args.next() {
        Some(path) => {
            let bytes = std::fs::read(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.to_string_lossy()))?;
            let expected = match args.next() {
                Some(t) => t.into_string().map_err(|_| "the expected text is not UTF-8")?,
                None => SAMPLE.to_owned(),
            };
            println!("image: {} ({} bytes)", path.to_string_lossy(), bytes.len());
            (bytes, expected, None)
        }
        None => {
            let opts = EncodeOptions { ecl: Ecl::Q, ..Default::default() };
            let matrix = QrMatrix::encode(SAMPLE.as_bytes(), &opts)?;
            let png = to_png(&matrix, &PngOptions::default())?;
            println!(
                "image: rendered in memory, version {} level Q, {} PNG bytes",
                matrix.version(),
                png.len()
            );
            (png, SAMPLE.to_owned(), Some(Ecl::Q))
        }
    };
    println!("expect: {expected}");

    match verify(&Scanner::default(), &image, &expected, ecl)? {
        Verdict::Match(code) => {
            println!(
                "verdict: MATCH (version {}, level {}, read by {:?})",
                code.version, code.ecl, code.layer
            );
            Ok(())
        }
        Verdict::NoCode => Err("verdict: NO CODE (no readable QR code in the image)".into()),
        Verdict::Differs { reasons, .. } => {
            for r in &reasons {
                println!("  {r}");
            }
            Err(format!("verdict: DIFFERS ({} code(s) read, none matches)", reasons.len()).into())
        }
    }
}
