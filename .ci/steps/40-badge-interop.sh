#!/usr/bin/env bash
# Badge interop: `qrpin badge` PDFs rasterised by poppler (pdftoppm) and checked with pdftotext
# and pdfinfo, SVGs rasterised by rsvg-convert, PNGs read directly; every image decoded by
# zxing-cpp and zbarimg, and the printed code size measured. See tests/interop/badge_interop.py.
# Fails if any tool is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in zbarimg rsvg-convert pdftoppm pdftotext pdfinfo python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done

bash .ci/release-build.sh
python3 tests/interop/badge_interop.py --bin target/release/qrpin
