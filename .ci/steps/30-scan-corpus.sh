#!/usr/bin/env bash
# Corpus runner: qrpin-scan's pass counts over ../shared/corpus per set at 0/90/180/270 degrees,
# next to rqrr alone, rxing alone (0 degrees) and zxing-cpp's published counts. Fails when a count
# drops below benches/corpus-floors.txt, a negative set gives a code, an image rqrr or rxing alone
# reads is lost, or zxing-cpp/qrcode-1..6 at 0 degrees falls under 123/137. About 1.5 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=../shared/corpus
if [ ! -f "$corpus/README.md" ]; then
    echo "error: $corpus is missing (the corpus runner needs ../shared beside the checkout)" >&2
    exit 1
fi
# Built with qrpin by .ci/run, in one cargo invocation (see the script).
bash .ci/release-build.sh
./target/release/corpus "$corpus" --floors benches/corpus-floors.txt
