#!/usr/bin/env bash
# Read performance at the scale of a region (issue 12): builds the release binary, seeds two
# SQLite databases (10 authorities of 10,000 discussions; one authority of 100,000), and runs
# benchmarks/http_read.py on each: one line per target with requests/s, p50, p99 and the share
# of /healthz's requests/s in the same run. Optionally the same on PostgreSQL.
#
#   bash benchmarks/http.sh [SECONDS]            # SQLite, both sizes
#   POSTGRES_URL=postgres://… bash benchmarks/http.sh [SECONDS]   # also PostgreSQL (10,000 per authority)
#
# Needs wrk and sqlite3 (apt-get install wrk sqlite3). Takes about 25 minutes with seeding.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-10}
swift build -c release --product convene >/dev/null
BIN=$(swift build -c release --show-bin-path)/convene
WORK=$(mktemp -d /tmp/convene-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

seed() { # name discussions per-authority [database]
  local db=${4:-$WORK/$1.sqlite}
  "$BIN" seed --discussions "$2" --per-authority "$3" --database "$db" | tail -2 >&2
  echo "$db"
}

small=$(seed regional 100000 10000)
python3 benchmarks/http_read.py "$BIN" "$small" "$SECONDS_PER_TARGET" "SQLite, 10 authorities x 10,000 discussions"
large=$(seed national 100000 100000)
python3 benchmarks/http_read.py "$BIN" "$large" "$SECONDS_PER_TARGET" "SQLite, 1 authority x 100,000 discussions"
if [ -n "${POSTGRES_URL:-}" ]; then
  seed postgres 100000 10000 "$POSTGRES_URL" >/dev/null
  python3 benchmarks/http_read.py "$BIN" "$POSTGRES_URL" "$SECONDS_PER_TARGET" "PostgreSQL, 10 authorities x 10,000 discussions"
fi
