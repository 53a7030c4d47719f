#!/usr/bin/env bash
# The test command: brings Node 24, dependencies, Chromium and Redis if missing, builds the web app
# when its sources changed, then runs every Jest project (unit, integration, realtime, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node24.sh
[ -d node_modules/.bin ] || npm ci --no-audit --no-fund
bash scripts/ensure-chromium.sh
bash scripts/ensure-redis.sh
node scripts/build-web.mjs --if-stale
# The two-instance tests use Redis at TEST_REDIS_URL, else at 127.0.0.1:6379 when one answers
# there, else a private redis-server started by the test setup.
if [ -z "${TEST_REDIS_URL:-}" ] && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  export TEST_REDIS_URL=redis://127.0.0.1:6379
fi
exec node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js "$@"
