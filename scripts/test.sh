#!/usr/bin/env bash
# Runs the suite. Starts a private redis-server for the tests that claim Celery and pacing
# behaviour (unless TEST_REDIS_URL is already set), and stops it afterwards.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

redis_pid=""
if [ -z "${TEST_REDIS_URL:-}" ] && command -v redis-server >/dev/null 2>&1; then
  port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    >/tmp/dialpad-console-test-redis.log 2>&1 &
  redis_pid=$!
  for _ in $(seq 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  export TEST_REDIS_URL="redis://127.0.0.1:$port/0"
fi
trap '[ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null' EXIT

export DIALPAD_CONSOLE_VAR_DIR=${DIALPAD_CONSOLE_VAR_DIR:-$(mktemp -d)}
$PY -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: treating that as a failure" >&2
  exit 1
fi
exit "$status"
