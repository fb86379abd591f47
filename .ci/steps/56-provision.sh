#!/usr/bin/env bash
# `qrpin provision` against `qrpin graph serve` with faults and dropped answers, checked with
# other people's tools: every badge PDF rasterised by pdftoppm and read by zxing-cpp and
# zbarimg as its journaled rawContent, Graph's SVG and PNG images too, the PIN slips read by
# pdftotext, no secret in any output. See tests/interop/provision_check.py. About a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in pdftoppm pdftotext rsvg-convert zbarimg python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done
bash .ci/release-build.sh
python3 tests/interop/provision_check.py --bin target/release/qrpin --users 200
