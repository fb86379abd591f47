#!/usr/bin/env bash
# Render interop: `qrpin render` output decoded by zbarimg and zxing-cpp (SVG rasterised by
# rsvg-convert), module grids compared with segno, CLI behaviour, and output sizes next to
# segno's. See tests/interop/render_interop.py. Fails if any tool is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in zbarimg rsvg-convert python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done

# The release binary .ci/run built before the steps (a no-op here then; see the script).
bash .ci/release-build.sh
python3 tests/interop/render_interop.py --bin target/release/qrpin
