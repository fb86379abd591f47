#!/usr/bin/env bash
# Every fuzz target for 30 s (issue 8): fails on any crash, leak or timeout. Long runs:
# `fuzz/run.sh 3600` (with AddressSanitizer, the default).
#
# CI builds the targets with LeakSanitizer alone (FUZZ_SANITIZER=leak): ASan instruments every
# dependency, and that build was the longest part of CI. Measured cold on 2 busy cores:
# `cargo fuzz build -O` 897 s with ASan, 573 s with `--sanitizer leak`; in the same seconds the
# fuzzers also run 2.5-3x more inputs. The trade-off: our crates have no `unsafe`, so there ASan finds
# nothing a panic would not; in our dependencies' unsafe code (image and font decoders,
# tiny-skia, ...) a stray read or write that does not crash goes unseen here and is left to the
# long ASan runs. Leaks are still found (LeakSanitizer writes leak-* artifacts; with
# `--sanitizer none` they would not be). Not taken: `--codegen-units 16` (641 s: slower on 2
# cores) and opt-level 1 (535 s: 7% off the build, a quarter fewer image_decode inputs run).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v cargo-fuzz >/dev/null; then
    log=$(mktemp)
    cargo install cargo-fuzz --locked --version 0.13.2 >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
    rm -f "$log"
fi
FUZZ_SANITIZER=${FUZZ_SANITIZER:-leak} bash fuzz/run.sh "${QRPIN_FUZZ_SECONDS:-30}"
