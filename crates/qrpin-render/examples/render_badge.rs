//! Builds a printable badge for the sample code with [`qrpin_render::badge`] and writes it.
//!
//! With an argument, writes one file there: PNG (300 dpi) if the name ends in `.png`, else SVG.
//! Without one, writes `qrpin-badge.svg` and `qrpin-badge.png` to [`std::env::temp_dir`].
//! Only the embedded font is used, so the output is the same on every machine.
//!
//! ```text
//! cargo run -p qrpin-render --example render_badge [badge.svg|badge.png]
//! ```

use std::error::Error;
use std::path::{Path, PathBuf};

use qrpin_render::badge::{badge_png, build_badge_svg, BadgeSpec, FontSet};

const SAMPLE: &str = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
const DPI: u32 = 300;

fn main() -> Result<(), Box<dyn Error>> {
    let spec = BadgeSpec {
        name: Some("Ada Lovelace".into()),
        org: Some("Contoso Field Operations".into()),
        expires: Some("2026-12-19".into()),
        ..BadgeSpec::new(SAMPLE)
    };
    let badge = build_badge_svg(&spec, &FontSet::embedded_only())?;
    println!("badge: {} lines of text, code at level {}", badge.geometry.lines.len(), spec.ecl);

    let targets: Vec<PathBuf> = match std::env::args_os().nth(1) {
        Some(p) => vec![PathBuf::from(p)],
        None => {
            let dir = std::env::temp_dir();
            vec![dir.join("qrpin-badge.svg"), dir.join("qrpin-badge.png")]
        }
    };
    for path in &targets {
        let bytes = if is_png(path) {
            badge_png(&badge.drawing, DPI)?
        } else {
            badge.drawing.to_svg().into_bytes()
        };
        std::fs::write(path, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}

/// Whether the file name ends in `.png` (any case).
fn is_png(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("png"))
}
