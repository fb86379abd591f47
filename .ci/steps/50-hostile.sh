#!/usr/bin/env bash
# Hostile inputs through the release binary (issue 8): each ends in its expected exit code
# within 2 s and 512 MB, never a panic. See tests/hostile/hostile.py.
set -euo pipefail
cargo build --release -p qrpin-cli >/dev/null 2>&1 || cargo build --release -p qrpin-cli
python3 tests/hostile/hostile.py target/release/qrpin ../shared/corpus
