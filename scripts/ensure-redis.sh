#!/usr/bin/env bash
# The two-instance tests need a Redis: the one at TEST_REDIS_URL, one answering on 127.0.0.1:6379,
# or a private redis-server the test setup starts. Install Debian's redis-server when none is there.
set -euo pipefail
[ -n "${TEST_REDIS_URL:-}" ] && exit 0
(exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && exit 0
command -v "${REDIS_SERVER_PATH:-redis-server}" >/dev/null 2>&1 && exit 0
echo "installing redis-server from Debian packages" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
