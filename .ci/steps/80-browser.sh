#!/usr/bin/env bash
# A real browser in the loop: our plain and Entra-style SVGs and a badge SVG shown by headless
# Chromium at zoom 50%, 100%, 137% and 300%, each screenshot decoded by zxing-cpp (exact text),
# plus a hairline-gap check of the finder cores. See tests/interop/browser_check.py.
# .ci/run installs Debian's chromium (with the other tools, in one apt-get call); fails if it
# is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in chromium python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install chromium)" >&2; exit 1; }
done

bash .ci/release-build.sh
python3 tests/interop/browser_check.py --bin target/release/qrpin "$@"
