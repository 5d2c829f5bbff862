#!/usr/bin/env bash
# CI of the Python binding: builds the abi3 wheel, installs it in a venv, runs
# the tests (every spec case, the API, the batch path, the examples), the stub
# check and mypy --strict on the examples, and the reporting example.
# Needs rustup/cargo and python3.11 (or $PYTHON). Run from anywhere.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
VENV="$HERE/.venv"
WHEELS="$REPO/target/py-wheels"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"

step() { printf '\n== %s\n' "$*"; }

step "venv ($("$PYTHON" --version))"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$HERE/requirements-ci.txt"

step "wheel (maturin build --release)"
rm -rf "$WHEELS"
# CI builds the release wheel without cross-crate LTO and with parallel codegen:
# a clean build on 2 cores takes ~5 min this way instead of ~9 (the workspace's
# release profile, thin LTO and one codegen unit, is for published wheels; set
# JINDU_PY_FULL_RELEASE=1 to use it here).
if [ -z "${JINDU_PY_FULL_RELEASE:-}" ]; then
    export CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
fi
(cd "$HERE" && "$VENV/bin/maturin" build --release --quiet -o "$WHEELS")
WHEEL="$(ls "$WHEELS"/jindu-*-abi3-*.whl)"
echo "$WHEEL"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"

cd "$HERE"
step "pytest"
"$VENV/bin/python" -m pytest -q tests
"$VENV/bin/python" -m pytest -q --doctest-modules --pyargs jindu -p no:cacheprovider

step "stubtest"
"$VENV/bin/python" -m mypy.stubtest jindu --mypy-config-file pyproject.toml

step "mypy --strict examples"
"$VENV/bin/python" -m mypy --strict --config-file pyproject.toml examples

step "reporting example"
"$VENV/bin/python" examples/report.py --out "$REPO/target/py-report"

echo
echo "py/ci.sh: all passed"
