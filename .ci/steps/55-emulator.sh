#!/usr/bin/env bash
# `qrpin graph serve` from Python: codes created over HTTP with `requests` (SVG and PNG images,
# four levels), every image read back by zxing-cpp (SVGs rasterised by rsvg-convert), zbarimg
# and `qrpin decode` as exactly its rawContent, the once-only and one-active-code rules, no PIN
# or token in the log; then schemathesis against /openapi.json (a bounded number of examples per
# operation, a fixed seed): no 5xx, every answer's status, content type and body as described.
# See tests/interop/emulator_check.py. About half a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in rsvg-convert zbarimg st python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done
bash .ci/release-build.sh
python3 tests/interop/emulator_check.py --bin target/release/qrpin --max-examples 25
