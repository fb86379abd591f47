#!/usr/bin/env bash
# Builds the release binaries the CI steps run, target/release/qrpin and target/release/corpus,
# in ONE cargo invocation. .ci/run calls it before the steps, and each step that runs one of
# them calls it again (a no-op of about a second once built), so a step also works alone.
#
# Why one invocation: cargo unifies features over the packages it is asked to build. Built
# apart, `-p qrpin-benches --bin corpus` and `-p qrpin-cli --bin qrpin` give qrpin-codec (and
# bitflags, serde_core, syn, ...) different features, so the three qrpin libraries and the big
# crates above them (image, resvg, usvg, rxing, svg2pdf, ...) were compiled twice with
# `lto = "fat"` and `codegen-units = 1`. Built together, the features are exactly qrpin-cli's
# own (checked with `cargo build --unit-graph`), so a later `cargo build --release -p qrpin-cli`
# (scripts/readme-tour.sh does one) finds qrpin up to date.
#
# The release profile itself is kept: the hostile-input step times the binary a user gets.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p qrpin-cli -p qrpin-benches --bin qrpin --bin corpus
