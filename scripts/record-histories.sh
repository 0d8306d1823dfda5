#!/usr/bin/env bash
# Re-records every committed replay history (test/replay/histories) from real runs: the test files
# that call recordHistory run with RECORD_HISTORIES=1 (through scripts/test.sh: set-up, lint, jest),
# then the replay test checks the new histories against today's workflow code. Fails when a test
# fails, or when a history was not rewritten (its recorder is gone or did not run: delete the file
# or record it again), so a history never silently stays from older code.
# Usage: bash scripts/record-histories.sh   (or npm run record-histories)
set -euo pipefail
cd "$(dirname "$0")/.."

dir=test/replay/histories
mapfile -t recorders < <(grep -rl --include='*.test.ts' 'recordHistory(' test | grep -v '^test/helpers/' | sort)
if [ "${#recorders[@]}" -eq 0 ]; then
  echo "[record-histories] no test file calls recordHistory" >&2
  exit 1
fi
echo "[record-histories] recording from ${#recorders[@]} test files: ${recorders[*]}"

stamp=$(mktemp)
trap 'rm -f "$stamp"' EXIT
sleep 1 # mtimes of files written from here on are newer than the stamp, also on coarse clocks
RECORD_HISTORIES=1 bash scripts/test.sh "${recorders[@]}"

stale=$(find "$dir" -name '*.json' ! -newer "$stamp" | sort)
if [ -n "$stale" ]; then
  echo "[record-histories] not rewritten by any recording test (delete them or record them):" >&2
  echo "$stale" >&2
  exit 1
fi
echo "[record-histories] $(find "$dir" -name '*.json' | wc -l) histories rewritten; replaying them"
set -a; . .tools/paths.env; set +a
JEST_QUIET=1 node node_modules/jest/bin/jest.js --ci test/replay 3>&1 >.test-output/record-histories-replay.log 2>&1 || {
  echo "[record-histories] the new histories do not replay: .test-output/record-histories-replay.log" >&2
  exit 1
}
echo "[record-histories] done: every history re-recorded and replaying"
