#!/usr/bin/env bash
# The README's test command: set-up (idempotent), format + type check, then every test against
# real Temporal servers and the Milvus stand-in. Extra arguments go to jest (e.g. a path).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
set -a; . .tools/paths.env; set +a

echo "[test] lint: prettier --check + tsc --noEmit"
npm run --silent lint

echo "[test] jest (servers', SDK and child output: .test-output/; shown for failing test files only)"
results=.tools/jest-results.json
mkdir -p .test-output
status=0
# The quiet reporter writes to fd 3 (this terminal); everything else jest and its workers print
# (server banners, pytest, SDK warnings of child processes) goes to .test-output/jest.log.
JEST_QUIET=1 node node_modules/jest/bin/jest.js --ci --json --outputFile="$results" "$@" \
  3>&1 >.test-output/jest.log 2>&1 || status=$?
# A closing line any CI can read, whatever the runner prints.
node -e '
  const r = require(process.argv[1]);
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$PWD/$results" || true
exit $status
