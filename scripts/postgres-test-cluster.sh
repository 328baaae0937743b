#!/usr/bin/env bash
# A throwaway PostgreSQL cluster with PostGIS for the tests: in a temporary directory, on a free port, listening
# on 127.0.0.1 only. Installs nothing: it needs Debian's `postgresql` (15) and `postgresql-15-postgis-3`.
#
#   CLUSTER_ENV=$(scripts/postgres-test-cluster.sh start) && eval "$CLUSTER_ENV"   # exports TEST_DATABASE_URL, POSTGRES_TEST_CLUSTER
#   npx tap test/db/postgres-migrations.test.ts
#   scripts/postgres-test-cluster.sh stop "$POSTGRES_TEST_CLUSTER"
#
# `pause DIR` stops the server (`pg_ctl stop -m fast`: connected sessions are ended with 57P01) and keeps its
# data; `resume DIR` starts it again on the same port. test/db/replicas.test.ts restarts a cluster of its own
# this way, never the shared one other test files are using.
#
# `start` prints only the two `export` lines on stdout (progress goes to stderr). Run as root (as CI is), the
# cluster belongs to the `postgres` user the Debian package creates, since PostgreSQL refuses to run as root.
# Over TCP the superuser `postgres` needs its random password (scram-sha-256); the Unix socket, which this
# script uses to create the template, lies in the cluster's directory, which only its owner can enter. The cluster also
# holds `stodkartan_template`, a template database with PostGIS, from which test/helpers/postgres.ts creates
# one fresh database per test.
set -euo pipefail

PG_VERSION=${PG_VERSION:-15}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$PG_VERSION/bin}
TEMPLATE=stodkartan_template

usage() {
  echo "usage: $0 start | stop DIR | pause DIR | resume DIR" >&2
  exit 2
}

# The server's settings, the same at every start: 127.0.0.1 only, the socket in the cluster's directory.
# Tests create and drop many small databases: durability is not wanted here, speed is.
server_options() {
  local dir=$1 port=$2
  echo "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
}

# Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  # Asks the kernel for a free port on 127.0.0.1 (a bounded retry in `start` covers the race until the
  # server binds it).
  node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "no PostgreSQL $PG_VERSION at $PG_BIN: apt-get install postgresql postgresql-$PG_VERSION-postgis-3" >&2
    exit 1
  fi
  if [ ! -f "/usr/share/postgresql/$PG_VERSION/extension/postgis.control" ]; then
    echo "PostGIS is not installed: apt-get install postgresql-$PG_VERSION-postgis-3" >&2
    exit 1
  fi
  local dir password
  dir=$(mktemp -d "${TMPDIR:-/tmp}/stodkartan-pg.XXXXXX")
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  chmod 700 "$dir"
  password=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" > "$dir/pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/pwfile"; fi
  chmod 600 "$dir/pwfile"

  as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" --auth-host=scram-sha-256 --auth-local=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  rm -f "$dir/pwfile"

  local port attempt started=
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o "$(server_options "$dir" "$port")" >&2; then
      started=1
      break
    fi
    echo "start on port $port failed (attempt $attempt), retrying" >&2
  done
  if [ -z "$started" ]; then
    cat "$dir/server.log" >&2
    exit 1
  fi
  echo "$port" >"$dir/port"

  local url="postgres://postgres:$password@127.0.0.1:$port/postgres"
  as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres >&2 <<SQL
CREATE DATABASE $TEMPLATE;
\connect $TEMPLATE
CREATE EXTENSION postgis;
\connect postgres
ALTER DATABASE $TEMPLATE WITH IS_TEMPLATE true ALLOW_CONNECTIONS false;
SQL
  echo "PostgreSQL $PG_VERSION with PostGIS on 127.0.0.1:$port, data in $dir" >&2
  printf "export TEST_DATABASE_URL='%s'\n" "$url"
  printf "export POSTGRES_TEST_CLUSTER='%s'\n" "$dir"
}

# Refuses anything that is not a cluster this script made.
cluster_dir() {
  local dir=${1:-}
  [ -n "$dir" ] || usage
  case "$dir" in
    */stodkartan-pg.*) ;;
    *)
      echo "not a test cluster directory: $dir" >&2
      exit 2
      ;;
  esac
}

stop() {
  local dir=${1:-}
  cluster_dir "$dir"
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -w -t 60 stop -m fast >&2 || true
  fi
  rm -rf -- "$dir"
}

pause() {
  local dir=${1:-}
  cluster_dir "$dir"
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -w -t 60 stop -m fast >&2
}

resume() {
  local dir=${1:-}
  cluster_dir "$dir"
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "$(server_options "$dir" "$(cat "$dir/port")")" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  pause) pause "${2:-}" ;;
  resume) resume "${2:-}" ;;
  *) usage ;;
esac
