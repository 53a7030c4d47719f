#!/usr/bin/env bash
# Starts the whole messenger on embedded defaults (or whatever the environment configures):
# the API on API_PORT (3001) and the web app on PORT (3000). Open http://localhost:3000.
# The first start installs dependencies and builds both apps, which takes a few minutes; the
# build output goes to $DATA_DIR/build.log. Ctrl+C or SIGTERM stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node24.sh

export DATA_DIR="${DATA_DIR:-.data}"
mkdir -p "$DATA_DIR"
build_log="$DATA_DIR/build.log"
: >"$build_log"

say() { printf 'messenger: %s\n' "$*"; }
# Runs a build step with its output in the build log; on failure shows the end of it.
quietly() {
  if ! "$@" >>"$build_log" 2>&1; then
    say "failed: $* — the end of $build_log:" >&2
    tail -n 40 "$build_log" >&2
    exit 1
  fi
}

if [ ! -d node_modules/.bin ]; then
  say "installing dependencies (first start only, a few minutes)…"
  quietly npm ci --no-audit --no-fund
fi
say "building the API…"
quietly node scripts/build-api.mjs
if ! node scripts/build-web.mjs --check; then
  say "building the web app (after a change or on first start, a minute or two)…"
  quietly node scripts/build-web.mjs --if-stale
fi

export NODE_ENV="${NODE_ENV:-production}"
# One readable line per event on this console; LOG_FORMAT=json for machine-read logs.
export LOG_FORMAT="${LOG_FORMAT:-pretty}"
API_PORT="${API_PORT:-3001}"
WEB_PORT="${PORT:-3000}"
export API_PORT
export PUBLIC_URL="${PUBLIC_URL:-http://localhost:${WEB_PORT}}"
# Open websockets must not hold up stopping for the default 30 s.
export NITRO_SHUTDOWN_TIMEOUT="${NITRO_SHUTDOWN_TIMEOUT:-5000}"

children=()
stopping=0
# Stops what this script started and waits for it: the API stops its embedded PostgreSQL.
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  if [ "${#children[@]}" -gt 0 ]; then
    kill -TERM "${children[@]}" 2>/dev/null || true
    wait "${children[@]}" 2>/dev/null || true
  fi
}
trap 'stop_all; say "stopped"; exit 130' INT
trap 'stop_all; say "stopped"; exit 143' TERM
trap 'stop_all' EXIT

node dist/api/apps/api/src/main.js &
api=$!
children+=("$api")

# The API starts PostgreSQL and migrates first; wait until it answers.
for _ in $(seq 1 120); do
  if node -e "fetch('http://127.0.0.1:${API_PORT}/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then break; fi
  kill -0 "$api" 2>/dev/null || { say "the API stopped during start-up" >&2; exit 1; }
  sleep 1
done

NUXT_API_INTERNAL_URL="${NUXT_API_INTERNAL_URL:-http://127.0.0.1:${API_PORT}}" \
PORT="$WEB_PORT" node .output/server/index.mjs &
web=$!
children+=("$web")
say "open http://localhost:${WEB_PORT} (API on port ${API_PORT}, docs at /api/docs; Ctrl+C stops)"
wait -n "$api" "$web"
