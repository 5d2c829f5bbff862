#!/usr/bin/env bash
# Builds the comparison variant for bench.mjs: the same crate with feature
# `swb`, whose `callValue` converts objects with serde-wasm-bindgen instead of
# passing JSON text, into target/jindu-wasm/swb/ (not part of the package).
# Run wasm/build.sh afterwards if you need the package's own build again.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/jindu-wasm/swb"
cd "$root"
cargo build -p jindu-wasm --lib --target wasm32-unknown-unknown --profile release-wasm --features swb
rm -rf "$out" && mkdir -p "$out"
cp "$target/wasm32-unknown-unknown/release-wasm/jindu_wasm.wasm" "$out/raw.wasm"
wasm-bindgen --target nodejs --no-typescript --out-dir "$out" "$out/raw.wasm"
"$here/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue --strip-debug --strip-producers \
  "$out/raw_bg.wasm" -o "$out/raw_bg.wasm"
echo "built $out" >&2
