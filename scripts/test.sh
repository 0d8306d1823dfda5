#!/usr/bin/env bash
# The README's test command: set-up (idempotent), format + type check, then every test against
# real Temporal servers and the Milvus stand-in. Extra arguments go to jest (e.g. a path).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
set -a; . .tools/paths.env; set +a

echo "[test] lint: prettier --check + tsc --noEmit"
npm run --silent lint

echo "[test] jest"
results=.tools/jest-results.json
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?
# A closing line any CI can read, whatever the runner prints.
node -e '
  const r = require(process.argv[1]);
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$PWD/$results" || true
exit $status
