#!/usr/bin/env bash
# The fuzz smoke run of the test command: installs cargo-fuzz if missing, seeds
# the corpora from spec/, builds every target (address sanitizer, stable
# toolchain with RUSTC_BOOTSTRAP=1), runs each for FUZZ_SECONDS, FUZZ_JOBS at a
# time, prints per-target figures, and fails on any crash, panic, timeout or
# out-of-memory.
#
#   bash fuzz/smoke.sh                       # every target, 60 s each, 2 at a time
#   FUZZ_SECONDS=10 bash fuzz/smoke.sh fuzz_review fuzz_rulebook
#
# Environment: FUZZ_SECONDS (default 60), FUZZ_JOBS (default 2: the CI machine
# has 2 cores), FUZZ_SANITIZER (default address; none for a faster build),
# CARGO_TARGET_DIR (default target/fuzz of the main workspace).
set -euo pipefail
cd "$(dirname "$0")"
FUZZ_DIR="$PWD"

CARGO_FUZZ_VERSION=0.13.2
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
FUZZ_JOBS="${FUZZ_JOBS:-2}"
FUZZ_SANITIZER="${FUZZ_SANITIZER:-address}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$FUZZ_DIR/../target/fuzz}"
# cargo-fuzz passes -Z flags (sanitizer, coverage passes); the stable compiler
# accepts them with RUSTC_BOOTSTRAP=1, so no nightly toolchain is needed.
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR=never
cargo=cargo
if command -v rustup >/dev/null 2>&1; then
  cargo="cargo +stable"
fi

if [ "$($cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  echo "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  $cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

python3 seed.py

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <($cargo fuzz list)
fi

$cargo fuzz build --sanitizer "$FUZZ_SANITIZER"
bin="$CARGO_TARGET_DIR/$(rustc -vV | sed -n 's/^host: //p')/release"

logs="$CARGO_TARGET_DIR/smoke-logs"
rm -rf "$logs"
mkdir -p "$logs"

# What `cargo fuzz run` does, without a cargo per target: the built binary on
# its corpus (new inputs are added there), crashes written to artifacts/<target>/.
# -timeout: an input taking 10 s is a hang; -rss_limit_mb: libFuzzer's default, said aloud.
run_one() {
  local t="$1"
  mkdir -p "artifacts/$t"
  set +e
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_odr_violation=0}" "$bin/$t" -artifact_prefix="artifacts/$t/" \
    -max_total_time="$FUZZ_SECONDS" -dict=corpus/jindu.dict -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "corpus/$t" >"$logs/$t.log" 2>&1
  echo $? >"$logs/$t.rc"
}
export -f run_one
export FUZZ_SECONDS bin logs

echo "fuzzing ${#targets[@]} targets for ${FUZZ_SECONDS}s each, ${FUZZ_JOBS} at a time"
printf '%s\n' "${targets[@]}" | xargs -P "$FUZZ_JOBS" -I{} bash -c 'run_one "$1"' _ {}

status=0
printf '\n%-20s %10s %9s %7s %7s %7s %8s  %s\n' target execs exec/s cov ft corpus rss_mb result
for t in "${targets[@]}"; do
  log="$logs/$t.log"
  rc="$(cat "$logs/$t.rc" 2>/dev/null || echo '?')"
  stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
  last="$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)"
  field() { sed -n "s/.* $1: \([0-9]*\).*/\1/p" <<<"$last"; }
  result=ok
  if [ "$rc" != 0 ]; then
    result="FAILED (exit $rc)"
    status=1
  fi
  printf '%-20s %10s %9s %7s %7s %7s %8s  %s\n' "$t" "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" \
    "$(field cov)" "$(field ft)" "$(field corp)" "$(stat peak_rss_mb)" "$result"
done

if [ "$status" != 0 ]; then
  for t in "${targets[@]}"; do
    if [ "$(cat "$logs/$t.rc" 2>/dev/null)" != 0 ]; then
      printf '\n== %s: the end of its log (%s)\n' "$t" "$logs/$t.log"
      grep -v '^ *#[0-9]* 0x\|^    at \|^ *[0-9]*: ' "$logs/$t.log" | tail -n 40
    fi
  done
  echo
  echo "fuzzing found a failure: the input is under fuzz/artifacts/<target>/; see fuzz/README.md (\"A crash\")"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no crash"
