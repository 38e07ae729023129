#!/usr/bin/env bash
# Makes real PostgreSQL and RabbitMQ available for the tests and prints the
# environment to use (`eval "$(scripts/ensure-services.sh)"`).
#
# - DATABASE_URL / AMQP_URL already set: used as they are, nothing installed.
# - Otherwise, as root on a Debian machine: scripts/setup-services.sh --test (the production set-up
#   script, in test mode) installs `postgresql` / `rabbitmq-server` from Debian's packages when
#   missing, starts them (no systemd and no Docker on CI), creates the `tradelane` role, the
#   `tradelane` and `tradelane_test` databases, the `tradelane` RabbitMQ user and vhost.
#   Progress goes to stderr; only `export` lines go to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

parts=()
[ -z "${DATABASE_URL:-}" ] && parts+=(db)
[ -z "${AMQP_URL:-}" ] && parts+=(mq)
[ ${#parts[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "[services] PostgreSQL/RabbitMQ not configured and not root: run as root, or set DATABASE_URL / AMQP_URL" >&2
  exit 1
fi
urls=$(TRADELANE_SETUP_PARTS=$(IFS=,; echo "${parts[*]}") scripts/setup-services.sh --test)
while IFS= read -r line; do
  case "$line" in
    DATABASE_URL=*)
      echo "export DATABASE_URL=${line#DATABASE_URL=}_test"
      # Outage tests stop/hang and restart the cluster this script runs (version and name).
      echo "export TRADELANE_TEST_PG_CLUSTER=\"$(ls /etc/postgresql | sort -V | tail -1) main\""
      ;;
    AMQP_URL=*)
      echo "export AMQP_URL=${line#AMQP_URL=}"
      echo "export TRADELANE_TEST_RABBITMQCTL=rabbitmqctl"
      ;;
  esac
done <<<"$urls"
