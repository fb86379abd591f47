#!/usr/bin/env bash
# A real browser in the loop: our plain and Entra-style SVGs and a badge SVG shown by headless
# Chromium at zoom 50%, 100%, 137% and 300%, each screenshot decoded by zxing-cpp (exact text),
# plus a hairline-gap check of the finder cores. See tests/interop/browser_check.py.
# Installs Debian's chromium when it is missing; fails if it cannot.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null; then
    echo "installing chromium (apt)"
    apt-get install -y -qq chromium >/dev/null || {
        apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    }
fi
for tool in chromium python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done

cargo build -q -p qrpin-cli --bin qrpin
python3 tests/interop/browser_check.py --bin target/debug/qrpin "$@"
