#!/usr/bin/env bash
# The runs behind docs/benchmarks.md, one after another (about 20-30 min on an idle machine;
# each run waits for the shared machine to be quiet first). Pass extra runner options after the
# script name, e.g. `bash bench/suite.sh --duration 60`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node24.sh
ulimit -n "$(ulimit -Hn)"
run() { node bench/run.mjs "$@" "${EXTRA[@]}"; }
EXTRA=("$@")
run --contender C  --profile P1
run --contender C  --profile P2
run --contender C+ --profile P1
run --contender C+ --profile P2
run --contender C+ --profile P2 --rate-factor 0.5
run --contender O  --profile P1
run --contender O  --profile P2
run --contender O  --profile P2 --rate-factor 0.3
run --contender O  --profile P2 --rate-factor 0.2
run --contender O  --profile P2 --rate-factor 0.1
