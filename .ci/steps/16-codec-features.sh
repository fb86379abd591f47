#!/usr/bin/env bash
# qrpin-codec's features: the core (--no-default-features), each feature alone and all of them
# compile, lint clean, and pass their tests; its dependency tree holds no image, rendering or
# decoding crate whatever the features; and without features it is exactly base64 + thiserror
# (and thiserror's proc-macro). qrpin-render and qrpin-scan use the core alone, so their trees
# hold no csv, serde_json, time or getrandom either. About a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."

combos=(
    "--no-default-features"
    "--no-default-features --features graph"
    "--no-default-features --features rows"
    "--no-default-features --features pin-generate"
    ""
    "--all-features"
)
for f in "${combos[@]}"; do
    echo "-- qrpin-codec ${f:-(default features)}: clippy --all-targets, test"
    # shellcheck disable=SC2086
    cargo clippy -q -p qrpin-codec --all-targets --locked $f -- -D warnings
    # shellcheck disable=SC2086
    out=$(cargo test -p qrpin-codec --locked $f 2>&1) || {
        echo "$out" >&2
        echo "error: cargo test -p qrpin-codec $f failed" >&2
        exit 1
    }
    echo "   $(echo "$out" | awk '/^test result/ { p += $4; f += $6; i += $8 } END {
        printf "%d passed, %d failed, %d ignored", p, f, i }')"
done

echo "-- rustdoc -D warnings (links that a feature removes), no features and all features"
RUSTDOCFLAGS="-D warnings" cargo doc -q -p qrpin-codec --no-deps --locked --no-default-features
RUSTDOCFLAGS="-D warnings" cargo doc -q -p qrpin-codec --no-deps --locked --all-features

heavy='^(image|resvg|usvg|tiny-skia|rqrr|rxing|png|svg2pdf|pdf-writer|qrcodegen|fdeflate|ttf-parser|qrpin-render|qrpin-scan) '
tree() { # the normal dependency tree's crate names, one each
    cargo tree --locked -e normal --prefix none --format '{p}' "$@" | sed 's/ (.*//' | sort -u
}
check_tree() { # label, expected exact set ("" = any), cargo tree args...
    local label=$1 exact=$2
    shift 2
    local names
    names=$(tree "$@")
    echo "-- cargo tree $* ($label):"
    echo "$names" | sed 's/^/   /'
    if echo "$names" | grep -Eq "$heavy"; then
        echo "error: $label pulls in: $(echo "$names" | grep -E "$heavy" | tr '\n' ' ')" >&2
        exit 1
    fi
    if [ -n "$exact" ]; then
        local got
        got=$(echo "$names" | cut -d' ' -f1 | tr '\n' ' ')
        [ "$got" = "$exact" ] || {
            echo "error: $label depends on [$got], expected [$exact]" >&2
            exit 1
        }
    fi
}
check_tree "codec, no features" \
    "base64 proc-macro2 qrpin-codec quote syn thiserror thiserror-impl unicode-ident " \
    -p qrpin-codec --no-default-features
check_tree "codec, default features" "" -p qrpin-codec
check_tree "codec, all features" "" -p qrpin-codec --all-features

# The libraries built on the codec take only its core.
for lib in qrpin-render qrpin-scan; do
    names=$(tree -p "$lib")
    light=$(echo "$names" | grep -E '^(csv|serde_json|time|getrandom) ' || true)
    if [ -n "$light" ]; then
        echo "error: $lib pulls the codec's optional dependencies: $(echo "$light" | tr '\n' ' ')" >&2
        exit 1
    fi
    echo "-- $lib: codec core only ($(echo "$names" | wc -l) crates in its tree)"
done
echo "codec features: ok"
