#!/usr/bin/env bash
# Every fuzz target briefly (issue 8): fails on any crash, leak or timeout. Long runs:
# `fuzz/run.sh 3600`.
set -euo pipefail
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2 >/dev/null 2>&1
bash fuzz/run.sh "${QRPIN_FUZZ_SECONDS:-15}"
