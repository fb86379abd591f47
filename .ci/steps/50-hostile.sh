#!/usr/bin/env bash
# Hostile inputs through the release binary (issue 8): each ends in its expected exit code
# within 512 MB, never a panic (times are printed, not judged). See tests/hostile/hostile.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash .ci/release-build.sh
python3 tests/hostile/hostile.py target/release/qrpin ../shared/corpus
