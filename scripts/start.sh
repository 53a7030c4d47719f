#!/usr/bin/env bash
# Starts the whole messenger on embedded defaults (or whatever the environment configures):
# the API on API_PORT (3001) and the web app on PORT (3000). Open http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node24.sh
[ -d node_modules/.bin ] || npm ci --no-audit --no-fund
node scripts/build-api.mjs
node scripts/build-web.mjs --if-stale

export NODE_ENV="${NODE_ENV:-production}"
API_PORT="${API_PORT:-3001}"
WEB_PORT="${PORT:-3000}"
export API_PORT
export PUBLIC_URL="${PUBLIC_URL:-http://localhost:${WEB_PORT}}"

node dist/api/apps/api/src/main.js &
api=$!
trap 'kill $api ${web:-} 2>/dev/null; wait' EXIT INT TERM

# The API starts PostgreSQL and migrates first; wait until it answers.
for _ in $(seq 1 120); do
  if node -e "fetch('http://127.0.0.1:${API_PORT}/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then break; fi
  kill -0 $api 2>/dev/null || { echo "the API stopped during start-up" >&2; exit 1; }
  sleep 1
done

NUXT_API_INTERNAL_URL="${NUXT_API_INTERNAL_URL:-http://127.0.0.1:${API_PORT}}" \
NUXT_PUBLIC_SOCKET_URL="${NUXT_PUBLIC_SOCKET_URL:-http://localhost:${API_PORT}}" \
PORT="$WEB_PORT" node .output/server/index.mjs &
web=$!
echo "messenger: web on http://localhost:${WEB_PORT}, API on http://localhost:${API_PORT}/api (docs: /api/docs)"
wait -n $api $web
