#!/usr/bin/env bash
# Runs the suite twice: on SQLite, then on PostgreSQL (DATABASE_URL), each run failing on its
# own (pytest's "no tests collected", exit 5, counts as a failure). The PostgreSQL pass skips
# the browser tests and those marked database_free (tests/conftest.py).
#
# Services, all private to this run and stopped afterwards:
# - Redis: a redis-server on a free port (TEST_REDIS_URL) unless TEST_REDIS_URL is set.
# - PostgreSQL: the server on 127.0.0.1:5432 when one answers, with database names of this
#   run only; otherwise a throwaway cluster (initdb into a temporary folder, a free port, run
#   as an unprivileged user when we are root). TEST_POSTGRES_URL names a server to use instead
#   (a URL of its maintenance database, e.g. postgres://postgres@127.0.0.1:5432/postgres).
#
# TEST_DATABASES=sqlite|postgres|both (default both) picks the runs; arguments go to pytest.
# Both passes run side by side (TEST_PASSES_IN_PARALLEL=0: one after the other).
# The PostgreSQL run takes PG_PYTEST_ARGS instead of the arguments when it is set.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
TEST_DATABASES=${TEST_DATABASES:-both}

free_port() {
  $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c"; done' EXIT

# --- Redis ------------------------------------------------------------------------------------
if [ -z "${TEST_REDIS_URL:-}" ] && command -v redis-server >/dev/null 2>&1; then
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    >/tmp/dialpad-console-test-redis.log 2>&1 &
  redis_pid=$!
  cleanup+=("kill $redis_pid 2>/dev/null")
  for _ in $(seq 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  export TEST_REDIS_URL="redis://127.0.0.1:$port/0"
fi

# --- PostgreSQL -------------------------------------------------------------------------------
pg_bin() {  # the folder of Debian's PostgreSQL server binaries (newest), or nothing
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

start_throwaway_postgres() {
  local bin dir port user run
  bin=$(pg_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "test.sh: no PostgreSQL server binaries (.ci/run installs Debian's postgresql)" >&2
    return 1
  fi
  dir=$(mktemp -d /tmp/dialpad-console-pg.XXXXXX)
  port=$(free_port)
  run=()
  if [ "$(id -u)" = 0 ]; then  # initdb and postgres refuse to run as root
    user=nobody
    chown "$user" "$dir"
    run=(setpriv --reuid="$user" --regid=nogroup --clear-groups --)
  fi
  "${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
  cleanup+=("${run[*]} $bin/pg_ctl -D $dir/data -m immediate stop >/dev/null 2>&1; rm -rf $dir")
  export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "test.sh: started a throwaway PostgreSQL cluster on port $port ($dir)"
}

postgres_answers() {  # $1: URL of a maintenance database
  $PY - "$1" <<'EOF' >/dev/null 2>&1
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
EOF
}

if [ "$TEST_DATABASES" != sqlite ] && [ -z "${TEST_POSTGRES_URL:-}" ]; then
  if [ -z "${TEST_PG_THROWAWAY:-}" ] && postgres_answers "postgres://postgres@127.0.0.1:5432/postgres"; then
    export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/postgres"
  else
    start_throwaway_postgres || exit 1
  fi
fi

export DIALPAD_CONSOLE_VAR_DIR=${DIALPAD_CONSOLE_VAR_DIR:-$(mktemp -d)}

run_pytest() {  # $1: label; the rest: pytest arguments
  local label=$1 status
  shift
  echo "=== $label ==="
  $PY -m pytest "$@"
  status=$?
  if [ "$status" -eq 5 ]; then
    echo "$label: pytest collected no tests: treating that as a failure" >&2
    return 1
  fi
  return "$status"
}

pg_pass() {
  # A database name of this run only: pytest-django creates and drops test_<name>, and other
  # runs may share the server.
  local db="dialpad_console_$(date +%s)_$$"
  local pg_url="${TEST_POSTGRES_URL%/*}/$db"
  if [ -n "${PG_PYTEST_ARGS:-}" ]; then
    # shellcheck disable=SC2086  # word splitting wanted: a list of pytest arguments
    DATABASE_URL=$pg_url run_pytest "PostgreSQL" $PG_PYTEST_ARGS
  else
    DATABASE_URL=$pg_url run_pytest "PostgreSQL" "$@"
  fi
}

# Its own Redis database and var dir (the embedded broker's folder) for each pass, so that
# two passes at once never take each other's Celery tasks.
with_pass_resources() {  # $1: Redis database number; the rest: the command
  local n=$1
  shift
  TEST_REDIS_URL=${TEST_REDIS_URL:+${TEST_REDIS_URL%/*}/$n} \
    DIALPAD_CONSOLE_VAR_DIR=$(mktemp -d) "$@"
}

overall=0
if [ "$TEST_DATABASES" = both ] && [ "${TEST_PASSES_IN_PARALLEL:-1}" = 1 ]; then
  # The two passes share nothing but the machine: run them side by side (2 cores), the
  # SQLite pass's output shown when both have ended.
  sqlite_log=$(mktemp)
  cleanup+=("rm -f $sqlite_log")
  with_pass_resources 0 run_pytest "SQLite" "$@" >"$sqlite_log" 2>&1 &
  sqlite_pid=$!
  with_pass_resources 1 pg_pass "$@" || overall=1
  wait "$sqlite_pid" || overall=1
  cat "$sqlite_log"
else
  if [ "$TEST_DATABASES" != postgres ]; then
    run_pytest "SQLite" "$@" || overall=1
  fi
  if [ "$TEST_DATABASES" != sqlite ]; then
    pg_pass "$@" || overall=1
  fi
fi
exit "$overall"
