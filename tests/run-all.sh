#!/usr/bin/env bash
# The one test command: from a fresh clone on a fresh machine, installs what
# the tests need and runs every test of every front end.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n== %s\n' "$*"; }

step "rust toolchain components"
if command -v rustup >/dev/null 2>&1; then
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
fi

step "rust: format"
cargo fmt --all -- --check

step "rust: clippy (workspace lints: no unwrap/expect/panic/indexing in library code)"
cargo clippy -p jindu-core -p jindu-tree -p jindu-cli -p jindu-py -p jindu-wasm --all-targets --features jindu-core/schema -- -D warnings

step "rust: tests (unit, doc, spec cases, invariants, schema freshness, cli)"
cargo test -p jindu-core -p jindu-tree -p jindu-cli --features jindu-core/schema

step "cli: the README's main command"
out="$(mktemp)"
cargo run -q -p jindu-cli -- report > "$out"
head -n 18 "$out"
cargo run -q -p jindu-cli -- rulebook check spec/samples/lianhua-county-extends-pingxiang.json spec/samples/user-county-rectification-months.json

step "invariants, streaming batch, plan agreement: in the cargo tests above"

if [ -f fuzz/smoke.sh ]; then
  step "fuzz smoke (cargo-fuzz on the stable toolchain; every target, FUZZ_SECONDS each)"
  FUZZ_SECONDS="${FUZZ_SECONDS:-60}" bash fuzz/smoke.sh
fi

if [ -f py/ci.sh ]; then
  step "python package"
  bash py/ci.sh
fi

if [ -f wasm/ci.sh ]; then
  step "wasm package, node tests, browser test"
  bash wasm/ci.sh
fi

step "all tests passed"
