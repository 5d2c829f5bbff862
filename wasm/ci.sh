#!/usr/bin/env bash
# CI of the WASM package, runnable from a fresh clone on a fresh Debian machine
# with rustup/cargo, Node 20 and npm: installs what it needs, builds the
# package, runs the Node tests, tsc --noEmit on the typed usage files, and the
# browser tests (headless Chromium). Exits non-zero on any failure.
#
#   bash wasm/ci.sh
#
# Installs, each only when missing: the wasm32-unknown-unknown target; the
# wasm-bindgen CLI of exactly the version in Cargo.lock (cargo install, about 5
# minutes on 2 cores the first time); the npm packages of wasm/package-lock.json (npm ci);
# Debian's chromium (and a CJK font for readable screenshots) with apt-get.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
start=$SECONDS
step() { printf '\n=== %s (%ds)\n' "$*" "$((SECONDS - start))"; }

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2
    return 1
  fi
}

step "rust target wasm32-unknown-unknown"
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

step "wasm-bindgen CLI"
want="$(bash "$here/scripts/wasm-bindgen-version.sh")"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$have" != "$want" ]]; then
  echo "installing wasm-bindgen-cli $want (found '${have:-none}')"
  # Only the `wasm-bindgen` binary, without the TLS stack the test runner uses
  # to fetch web drivers (its output is identical; about 1.5 minutes less).
  # --locked first; a registry mirror that lacks one of the CLI's locked
  # dependencies makes that fail, and then the newest compatible ones are used.
  opts=(--version "$want" --no-default-features --bin wasm-bindgen)
  cargo install wasm-bindgen-cli "${opts[@]}" --locked ||
    cargo install wasm-bindgen-cli "${opts[@]}"
fi
wasm-bindgen --version

apt_updated=
apt_install() {
  if [[ -z "$apt_updated" ]]; then
    as_root apt-get update
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

step "chromium"
if [[ ! -x /usr/bin/chromium && -z "${JINDU_CHROMIUM:-}" ]]; then
  apt_install chromium
fi
if ! command -v fc-list >/dev/null || [[ -z "$(fc-list :lang=zh 2>/dev/null)" ]]; then
  # Only for legible screenshots of the Chinese page; the tests do not need it.
  apt_install fonts-wqy-microhei fontconfig ||
    echo "(no CJK font: screenshots will show boxes for Chinese text)"
fi

step "npm ci"
(cd "$here" && npm ci --no-audit --no-fund)

step "cargo test -p jindu-wasm (native unit test)"
cargo test -q -p jindu-wasm --lib

step "build the package"
bash "$here/build.sh"

step "Node tests (every spec case, exact native answers, API, imports, no panic)"
(cd "$here" && JINDU_REQUIRE_GOLDEN=1 node --test tests/)

step "tsc --noEmit (generated .d.ts against typed usage)"
(cd "$here" && npx tsc --noEmit -p tests/types && npx tsc --noEmit -p tests/types/tsconfig.bundler.json)

step "browser tests (headless Chromium: the demo, a Vite bundle)"
(cd "$here" && node --test browser/)

step "done: screenshots in wasm/artifacts/"
