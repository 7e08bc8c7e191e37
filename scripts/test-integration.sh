#!/usr/bin/env bash
# The integration tests, inside a private keyring (with-keyring.sh), in two passes:
#  1. most files two at a time: they spend their time waiting on git, Claude Code and the fake API;
#  2. the files that prove a deadline (agents gone 5 s after a kill, a ping within 200 ms, a 20 MB
#     line within a minute) one at a time, so no other test's load can make them miss it.
# With arguments (files, -t …), one pass runs just those, one file at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -gt 0 ]]; then
  exec scripts/with-keyring.sh npx vitest run --project integration --maxWorkers 1 "$@"
fi
TIMED=(
  test/integration/process/
  test/integration/recovery/
  test/integration/engine/
  test/integration/electron/
  test/integration/terminal/
  test/integration/host/contract-fuzz.test.ts
  test/integration/runtime/big-output.test.ts
)
excludes=()
for path in "${TIMED[@]}"; do
  if [[ "$path" == */ ]]; then excludes+=(--exclude "${path}**"); else excludes+=(--exclude "$path"); fi
done
scripts/with-keyring.sh npx vitest run --project integration --maxWorkers 2 "${excludes[@]}"
scripts/with-keyring.sh npx vitest run --project integration --maxWorkers 1 "${TIMED[@]}"
