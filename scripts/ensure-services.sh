#!/usr/bin/env bash
# Makes real PostgreSQL and RabbitMQ available for the tests and prints the
# environment to use (`eval "$(scripts/ensure-services.sh)"`).
#
# - DATABASE_URL / AMQP_URL already set: used as they are, nothing installed.
# - Otherwise, as root on a Debian machine: installs `postgresql` and
#   `rabbitmq-server` from Debian's packages when missing, starts them (there
#   is no systemd and no Docker on CI), creates the `tradelane` role and the
#   test database. Progress goes to stderr; only `export` lines go to stdout.
set -euo pipefail

log() { echo "[services] $*" >&2; }
need_apt=()

if [ -z "${DATABASE_URL:-}" ] && ! command -v pg_ctlcluster >/dev/null 2>&1; then need_apt+=(postgresql); fi
if [ -z "${AMQP_URL:-}" ] && ! command -v rabbitmq-server >/dev/null 2>&1; then need_apt+=(rabbitmq-server); fi

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing ${need_apt[*]} and not root: install them or set DATABASE_URL / AMQP_URL"; exit 1
  fi
  log "installing ${need_apt[*]} from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${need_apt[@]}" >&2
fi

if [ -z "${DATABASE_URL:-}" ]; then
  ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  if [ -z "$ver" ]; then log "PostgreSQL installed but no cluster found under /etc/postgresql"; exit 1; fi
  if ! pg_lsclusters -h | awk '$2=="main" && $4=="online"' | grep -q .; then
    log "starting PostgreSQL $ver"
    pg_ctlcluster "$ver" main start >&2
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
  psql_su() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -c \"$1\"" ; }
  if [ "$(psql_su "SELECT 1 FROM pg_roles WHERE rolname='tradelane'")" != 1 ]; then
    psql_su "CREATE ROLE tradelane LOGIN SUPERUSER PASSWORD 'tradelane'" >&2
  fi
  for db in tradelane tradelane_test; do
    if [ "$(psql_su "SELECT 1 FROM pg_database WHERE datname='$db'")" != 1 ]; then
      psql_su "CREATE DATABASE $db OWNER tradelane" >&2
    fi
  done
  echo "export DATABASE_URL=postgres://tradelane:tradelane@127.0.0.1:5432/tradelane_test"
fi

if [ -z "${AMQP_URL:-}" ]; then
  if ! rabbitmqctl -q status >/dev/null 2>&1; then
    log "starting RabbitMQ"
    rabbitmq-server -detached >&2 || true
  fi
  # await_startup fails at once while the node has not registered with epmd yet: retry.
  ok=0
  for _ in $(seq 1 60); do
    if rabbitmqctl -q await_startup --timeout 60 >/dev/null 2>&1; then ok=1; break; fi
    sleep 1
  done
  if [ "$ok" != 1 ]; then log "RabbitMQ did not start; see /var/log/rabbitmq"; exit 1; fi
  # The Erlang node may be up with the app stopped (e.g. a test interrupted mid-outage).
  rabbitmqctl -q start_app >&2 || true
  echo "export AMQP_URL=amqp://guest:guest@127.0.0.1:5672"
  echo "export TRADELANE_TEST_RABBITMQCTL=rabbitmqctl"
fi
