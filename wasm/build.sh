#!/usr/bin/env bash
# Builds the npm package `jindu` into wasm/pkg (and the demo's copy of it):
#   1. the wasm32 cdylib with the size profile [profile.release-wasm];
#   2. wasm-bindgen (the exact version pinned in Cargo.lock) for `web` and `nodejs`;
#   3. wasm-opt -Oz (npm `binaryen`, pinned in package-lock.json);
#   4. TypeScript types generated from the Rust types' JSON Schemas;
#   5. the JS wrapper, package.json, README and .d.ts from wasm/npm/;
#   6. native golden answers of every spec case (for the Node tests).
# Needs: rustup target wasm32-unknown-unknown, wasm-bindgen-cli, `npm ci` in wasm/.
# Set JINDU_SKIP_GOLDEN=1 to skip step 6. JINDU_WASM_OPT_LEVEL overrides the
# profile's opt-level ("z", the default: smallest; "2": about 2.3 times faster
# calls for about 20 % more bytes; see README.md, "Size and speed").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
pkg="$here/pkg"
work="$target/jindu-wasm"
cd "$root"

step() { printf '\n== %s\n' "$*" >&2; }

want="$(bash "$here/scripts/wasm-bindgen-version.sh")"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" || true
if [[ "$have" != "$want" ]]; then
  echo "wasm-bindgen $want is needed (Cargo.lock), found '${have:-none}': run wasm/ci.sh or" >&2
  echo "  cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi

step "cargo build (wasm32, release-wasm${JINDU_WASM_OPT_LEVEL:+, opt-level $JINDU_WASM_OPT_LEVEL})"
if [[ -n "${JINDU_WASM_OPT_LEVEL:-}" ]]; then export CARGO_PROFILE_RELEASE_WASM_OPT_LEVEL="$JINDU_WASM_OPT_LEVEL"; fi
cargo build -p jindu-wasm --lib --target wasm32-unknown-unknown --profile release-wasm
raw="$target/wasm32-unknown-unknown/release-wasm/jindu_wasm.wasm"

step "wasm-bindgen $want"
rm -rf "$pkg"
mkdir -p "$pkg/web" "$pkg/node" "$work"
wasm-bindgen --target web --no-typescript --out-dir "$pkg/web" "$raw"
wasm-bindgen --target nodejs --no-typescript --out-dir "$pkg/node" "$raw"

step "wasm-opt -Oz"
wasm_opt="$here/node_modules/.bin/wasm-opt"
# The features Rust enables by default for wasm32-unknown-unknown.
features=(--enable-bulk-memory --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int
          --enable-reference-types --enable-multivalue)
"$wasm_opt" -Oz "${features[@]}" --strip-debug --strip-producers "$pkg/web/jindu_wasm_bg.wasm" -o "$work/opt.wasm"
cp "$work/opt.wasm" "$pkg/web/jindu_wasm_bg.wasm"
"$wasm_opt" -Oz "${features[@]}" --strip-debug --strip-producers "$pkg/node/jindu_wasm_bg.wasm" -o "$work/opt-node.wasm"
cp "$work/opt-node.wasm" "$pkg/node/jindu_wasm_bg.wasm"

step "types from the Rust types' JSON Schemas"
rm -rf "$work/schema"
cargo run -q -p jindu-wasm --example native -- schemas "$work/schema"
node "$here/scripts/gen-types.mjs" "$pkg/types.d.ts" "$root/spec/schema" "$work/schema"

step "JS wrapper, package.json, README"
node "$here/scripts/assemble.mjs" "$pkg"

step "demo's copy of the package"
rm -rf "$here/demo/vendor/jindu"
mkdir -p "$here/demo/vendor/jindu/web"
cp "$pkg/index.mjs" "$pkg/api.mjs" "$here/demo/vendor/jindu/"
cp "$pkg/web/jindu_wasm.js" "$pkg/web/jindu_wasm_bg.wasm" "$pkg/web/package.json" "$here/demo/vendor/jindu/web/"

# The package resolves as `jindu` for the tests, through its exports map.
mkdir -p "$here/node_modules"
ln -sfn ../pkg "$here/node_modules/jindu"

if [[ "${JINDU_SKIP_GOLDEN:-}" != 1 ]]; then
  step "native golden answers of spec/cases"
  cargo run -q -p jindu-wasm --example native -- golden "$root/spec/cases" "$work/golden.json"
fi

bytes=$(stat -c %s "$pkg/web/jindu_wasm_bg.wasm")
gz=$(gzip -9 -c "$pkg/web/jindu_wasm_bg.wasm" | wc -c)
step "built $pkg: jindu_wasm_bg.wasm $bytes bytes, $gz bytes gzip -9"
