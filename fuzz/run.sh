#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each (default 30) and fails on any crash.
#   fuzz/run.sh 3600          # an hour per target
#   fuzz/run.sh 30 base64     # one target
# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain accept
# them (the only toolchain on our machines). Corpora start from seeds/ (copied from testdata and
# a few images), and grow under corpus/ (ignored by git). A crash is saved under artifacts/;
# turn it into a regression input under testdata/fuzz/<target>/ (replayed as a seed by every
# run) before fixing it.
# FUZZ_TIMEOUT (seconds, default 60) is libFuzzer's per-input wall-clock limit, a hang guard: raise it when the
# fuzzers share the machine at a low priority, or starved inputs are reported as timeouts.
# FUZZ_SANITIZER (default address) is cargo-fuzz's --sanitizer. Keep AddressSanitizer (it brings
# LeakSanitizer) for real runs: it catches memory errors in our dependencies' unsafe code that
# would not crash by themselves. `leak` (LeakSanitizer alone, no compile-time instrumentation) or
# `none` build much faster; CI's short runs use `leak` (see .ci/steps/60-fuzz.sh).
# FUZZ_CODEGEN_UNITS (default: cargo-fuzz's 1) is its --codegen-units: more units build faster,
# but the coverage passes then stop inlining across units, so the fuzzers run slower.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-30}
shift || true
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
# A guard against hangs only (the slowest input takes about 1.2 s under ASan on an idle machine);
# starved fuzzers must not report slow inputs as findings.
timeout=${FUZZ_TIMEOUT:-60}
# The same build options for `build` and `run`, or `run` would build the targets again.
build=(-O --sanitizer "${FUZZ_SANITIZER:-address}")
[ -z "${FUZZ_CODEGEN_UNITS:-}" ] || build+=(--codegen-units "$FUZZ_CODEGEN_UNITS")
cargo fuzz build "${build[@]}"
# Seeds are made at run time from testdata/ and a few small images of ../shared/corpus (never
# copied into the repository).
seed() {
    local t=$1 dir="seeds/$t"
    rm -rf "$dir" && mkdir -p "$dir"
    case $t in
        payload_parse) python3 -c 'import json,sys
for i,l in enumerate(open("../testdata/payloads/valid.jsonl").read().splitlines()+open("../testdata/payloads/invalid.jsonl").read().splitlines()):
    c=json.loads(l); d=bytes.fromhex(c["hex"]) if "hex" in c else c["text"].encode()
    open(f"{sys.argv[1]}/{i}","wb").write(d)' "$dir" ;;
        base64) printf 'bXMtcXJwaW4=' >"$dir/a"; printf 'bXMtcXJwaW4' >"$dir/b"; printf 'bXM=
' >"$dir/c" ;;
        graph_json) cp ../testdata/graph/*.json "$dir/" ;;
        pin_check) printf '09599786' >"$dir/a"; printf '12121290' >"$dir/b"; printf '1234567890123' >"$dir/c" ;;
        batch_row) printf 'upn,codeId,displayName,ecl,file
a@b.com,44f2f040-ea9d-4283-9e7b-b63ddae391a9,"Doe, J",h,x
' >"$dir/csv"
                   printf '{"upn":"a@b.com","codeId":"44f2f040-ea9d-4283-9e7b-b63ddae391a9"}
' >"$dir/jsonl" ;;
        image_decode) cp ../testdata/render/*.png "$dir/" 2>/dev/null || true
                      if [ -d ../../shared/corpus ]; then
                          find ../../shared/corpus -type f \( -name '*.png' -o -name '*.webp' -o -name '*.jpg' -o -name '*.gif' \) -size -12k | sort | sed -n 1,12p | while read -r f; do cp "$f" "$dir/$(echo "$f" | tr '/' '_')"; done
                      fi ;;
        svg_decode) cp ../testdata/render/*.svg "$dir/" 2>/dev/null || true ;;
        *) ;;
    esac
    # Inputs that once failed a target stay in every run.
    if [ -d "../testdata/fuzz/$t" ]; then cp ../testdata/fuzz/"$t"/* "$dir/"; fi
}

for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    seed "$t"
    seeds=("seeds/$t")
    echo "== fuzz $t for ${seconds}s"
    cargo fuzz run "${build[@]}" "$t" "corpus/$t" "${seeds[@]}" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout="$timeout" -print_final_stats=1 2>&1 \
        | grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|.*cov:.*DONE)|ERROR|panicked|SUMMARY|Test unit written' || true
    # cargo fuzz exits non-zero on a crash; the pipe above hides it, so check the artifacts.
    if compgen -G "artifacts/$t/crash-*" >/dev/null || compgen -G "artifacts/$t/leak-*" >/dev/null \
        || compgen -G "artifacts/$t/timeout-*" >/dev/null || compgen -G "artifacts/$t/oom-*" >/dev/null; then
        echo "fuzz target $t found a failure: $(ls artifacts/$t)" >&2
        exit 1
    fi
done
