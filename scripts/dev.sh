#!/usr/bin/env bash
# A local stack that stays up: Temporal dev server (Web UI, persistent history), the Milvus stand-in
# (persistent, demo_items seeded once) and a worker (metrics endpoint). Prints the UI and metrics
# URLs and the `export TEMPORAL_ADDRESS=… MILVUS_ADDRESS=…` line; Ctrl-C stops everything.
# Flags: bash scripts/dev.sh --help.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
set -a; . .tools/paths.env; set +a
exec node --require tsx/cjs demo/dev-stack.ts "$@"
