#!/usr/bin/env bash
# Prints the wasm-bindgen version the crate is built with: the one in
# Cargo.lock, which equals the exact pin `wasm-bindgen = "=X"` in
# wasm/Cargo.toml (the pin, when the lock has no entry yet).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pin="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' "$here/Cargo.toml")"
lock="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' "$here/../Cargo.lock" 2>/dev/null || true)"
if [[ -z "$pin" ]]; then echo "wasm/Cargo.toml must pin wasm-bindgen exactly (\"=X.Y.Z\")" >&2; exit 1; fi
if [[ -n "$lock" && "$lock" != "$pin" ]]; then echo "Cargo.lock has wasm-bindgen $lock but wasm/Cargo.toml pins $pin" >&2; exit 1; fi
echo "$pin"
