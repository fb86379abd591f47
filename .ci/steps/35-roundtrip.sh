#!/usr/bin/env bash
# Round trip: 10,000 random valid payloads at every ECL and scales 1-6, rendered to PNG, scanned
# back and compared (text, ECL, version, mask, every module). Exit 1 on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash .ci/release-build.sh
./target/release/qrpin roundtrip --count 10000 --seed 7
