#!/usr/bin/env bash
# The README's first command: set-up (idempotent), then one disaster-recovery drill end to end.
# With no TEMPORAL_ADDRESS / MILVUS_ADDRESS it starts a Temporal dev server (with UI) and the
# Milvus stand-in seeded with a demo collection; with them set it drills against those servers.
# Flags go to the drill (bash scripts/drill.sh --help). Exit 0 = pass, 1 = fail, 2 = set-up error.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
set -a; . .tools/paths.env; set +a
# One process, no tsx CLI in front: the CLI relays a Ctrl-C to its child a second time when the
# child has not acknowledged it within 30 ms (a busy machine), and kills it 30 ms later (exit 130).
exec node --require tsx/cjs demo/run-drill.ts "$@"
