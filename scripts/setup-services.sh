#!/usr/bin/env bash
# Sets up what Tradelane needs from PostgreSQL and RabbitMQ on a Debian machine, as root. Idempotent:
# run it again at any time (after an upgrade, to change a password); it never drops anything.
#
#   sudo TRADELANE_DB_PASSWORD=... TRADELANE_MQ_PASSWORD=... scripts/setup-services.sh
#   scripts/setup-services.sh --test      # the test command's set-up (fixed passwords, test database)
#
# 1. installs `postgresql` and `rabbitmq-server` from Debian's packages when missing;
# 2. starts them when they are not running (systemd when it runs, else pg_ctlcluster / rabbitmq-server -detached);
# 3. PostgreSQL: two roles, the schema's owner (runs the migrations: DATABASE_MIGRATION_URL) and the
#    application's (owns no table, no BYPASSRLS, member of tradelane_app: row-level security binds it);
#    --test: one SUPERUSER role, since the suites create a database each; the database (owner: the
#    owner role) and the extension the migrations use (pgcrypto, for gen_random_uuid on PostgreSQL < 13);
# 4. RabbitMQ: the vhost, the user, its permissions on the vhost (configure, write, read: everything);
#    with --test also on the default vhost "/".
# TRADELANE_SETUP_PARTS=db,mq (default both): set up only PostgreSQL (db) or only RabbitMQ (mq).
# Settings: TRADELANE_DB_USER (tradelane), TRADELANE_DB_NAME (tradelane), TRADELANE_DB_PASSWORD,
# TRADELANE_DB_OWNER (<user>_owner), TRADELANE_DB_OWNER_PASSWORD (default: TRADELANE_DB_PASSWORD),
# TRADELANE_MQ_USER (tradelane), TRADELANE_MQ_VHOST (tradelane), TRADELANE_MQ_PASSWORD.
# Progress goes to stderr; stdout gets the lines for the environment file (DATABASE_URL,
# DATABASE_MIGRATION_URL, AMQP_URL).
set -euo pipefail

log() { echo "[setup] $*" >&2; }
die() { echo "[setup] ERROR: $*" >&2; exit 1; }

parts=",${TRADELANE_SETUP_PARTS:-db,mq},"
want() { [[ "$parts" == *",$1,"* ]]; }
test_mode=0
[ "${1:-}" = "--test" ] && test_mode=1
db_user=${TRADELANE_DB_USER:-tradelane}
db_name=${TRADELANE_DB_NAME:-tradelane}
mq_user=${TRADELANE_MQ_USER:-tradelane}
mq_vhost=${TRADELANE_MQ_VHOST:-tradelane}
if [ "$test_mode" = 1 ]; then
  db_password=${TRADELANE_DB_PASSWORD:-tradelane}
  mq_password=${TRADELANE_MQ_PASSWORD:-tradelane}
else
  db_password=${TRADELANE_DB_PASSWORD:-}
  mq_password=${TRADELANE_MQ_PASSWORD:-}
  ! want db || [ -n "$db_password" ] || die "set TRADELANE_DB_PASSWORD (the PostgreSQL password of $db_user)"
  ! want mq || [ -n "$mq_password" ] || die "set TRADELANE_MQ_PASSWORD (the RabbitMQ password of $mq_user)"
fi
for v in "$db_user" "$db_name" "$mq_user" "$mq_vhost"; do
  [[ "$v" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "\"$v\": names are lower-case letters, digits and _"
done
[ "$(id -u)" = 0 ] || die "run as root (it installs packages and creates users)"
has_systemd() { [ -d /run/systemd/system ]; }
enc() { node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"; }

# 1. packages
need=()
want db && ! command -v pg_ctlcluster >/dev/null 2>&1 && need+=(postgresql)
want mq && ! command -v rabbitmq-server >/dev/null 2>&1 && need+=(rabbitmq-server)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]} from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${need[@]}" >&2
fi

# 2. running
if want db; then
ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
[ -n "$ver" ] || die "PostgreSQL installed but no cluster under /etc/postgresql (pg_createcluster)"
if ! pg_lsclusters -h | awk '$2=="main" && $4=="online"' | grep -q .; then
  log "starting PostgreSQL $ver"
  if has_systemd; then systemctl enable --now "postgresql@$ver-main" >&2; else pg_ctlcluster "$ver" main start >&2; fi
fi
for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
pg_isready -q -h 127.0.0.1 || die "PostgreSQL does not accept connections on 127.0.0.1"
fi

if want mq; then
if ! rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting RabbitMQ"
  if has_systemd; then systemctl enable --now rabbitmq-server >&2; else rabbitmq-server -detached >&2 || true; fi
fi
ok=0
# await_startup fails at once while the node has not registered with epmd yet: retry.
for _ in $(seq 1 60); do
  if rabbitmqctl -q await_startup --timeout 60 >/dev/null 2>&1; then ok=1; break; fi
  sleep 1
done
[ "$ok" = 1 ] || die "RabbitMQ did not start; see /var/log/rabbitmq"
# The Erlang node may be up with the app stopped (e.g. a test interrupted mid-outage).
rabbitmqctl -q start_app >&2 || true
fi

# 3. PostgreSQL role, database, extension
if want db; then
psql_su() { su postgres -c "PGOPTIONS='-c client_min_messages=warning' psql -v ON_ERROR_STOP=1 -qAt -d \"${2:-postgres}\" -c \"$1\""; }
pw=${db_password//\'/\'\'}
ensure_role() { # name, flags, password
  if [ "$(psql_su "SELECT 1 FROM pg_roles WHERE rolname='$1'")" != 1 ]; then
    log "PostgreSQL: creating role $1"
    psql_su "CREATE ROLE $1 $2 PASSWORD '$3'" >&2
  else
    psql_su "ALTER ROLE $1 $2 PASSWORD '$3'" >&2
  fi
}
if [ "$test_mode" = 1 ]; then
  # The suites create a database each, and one of them creates roles: one SUPERUSER role.
  ensure_role "$db_user" "LOGIN SUPERUSER" "$pw"
  owner=$db_user
else
  # Two roles: the owner of the schema, who runs the migrations (DATABASE_MIGRATION_URL), and the
  # application's, which owns no table and has no BYPASSRLS, so row-level security binds it; it gets
  # its rights through tradelane_app, the role the policies and grants name.
  owner=${TRADELANE_DB_OWNER:-${db_user}_owner}
  owner_pw=${TRADELANE_DB_OWNER_PASSWORD:-$db_password}
  ensure_role "$owner" "LOGIN NOSUPERUSER NOBYPASSRLS" "${owner_pw//\'/\'\'}"
  ensure_role "$db_user" "LOGIN NOSUPERUSER NOBYPASSRLS" "$pw"
  psql_su "DO \\\$\\\$ BEGIN CREATE ROLE tradelane_app NOLOGIN NOSUPERUSER NOBYPASSRLS; EXCEPTION WHEN duplicate_object THEN NULL; END \\\$\\\$" >&2
  psql_su "GRANT tradelane_app TO $db_user" >&2
  # Partner requests run as tradelane_partner; the login role reaches it through a NOINHERIT gate,
  # so that it never inherits the partner policies for its own work.
  psql_su "DO \\\$\\\$ BEGIN CREATE ROLE tradelane_partner NOLOGIN NOSUPERUSER NOBYPASSRLS; EXCEPTION WHEN duplicate_object THEN NULL; END \\\$\\\$" >&2
  psql_su "DO \\\$\\\$ BEGIN CREATE ROLE tradelane_partner_gate NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT; EXCEPTION WHEN duplicate_object THEN NULL; END \\\$\\\$" >&2
  psql_su "GRANT tradelane_partner TO tradelane_partner_gate" >&2
  psql_su "GRANT tradelane_partner_gate TO $db_user" >&2
fi
dbs=("$db_name")
[ "$test_mode" = 1 ] && dbs+=("${db_name}_test")
for db in "${dbs[@]}"; do
  if [ "$(psql_su "SELECT 1 FROM pg_database WHERE datname='$db'")" != 1 ]; then
    log "PostgreSQL: creating database $db"
    psql_su "CREATE DATABASE $db OWNER $owner" >&2
  fi
  psql_su "CREATE EXTENSION IF NOT EXISTS pgcrypto" "$db" >&2
  if [ "$owner" != "$db_user" ]; then
    # An install from before the owner role: what the application's role created moves to the owner.
    psql_su "ALTER DATABASE $db OWNER TO $owner" >&2
    psql_su "REASSIGN OWNED BY $db_user TO $owner" "$db" >&2
    psql_su "ALTER SCHEMA public OWNER TO $owner" "$db" >&2
    psql_su "GRANT USAGE ON SCHEMA public TO tradelane_app; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tradelane_app; GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO tradelane_app; ALTER DEFAULT PRIVILEGES FOR ROLE $owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tradelane_app; ALTER DEFAULT PRIVILEGES FOR ROLE $owner IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO tradelane_app" "$db" >&2
  fi
done
echo "DATABASE_URL=postgres://$db_user:$(enc "$db_password")@127.0.0.1:5432/$db_name"
if [ "$owner" != "$db_user" ]; then echo "DATABASE_MIGRATION_URL=postgres://$owner:$(enc "${owner_pw}")@127.0.0.1:5432/$db_name"; fi
fi

# 4. RabbitMQ vhost, user, permissions
if want mq; then
vhosts=("$mq_vhost")
[ "$test_mode" = 1 ] && vhosts+=("/")
for vh in "${vhosts[@]}"; do
  rabbitmqctl -q list_vhosts | grep -qxF "$vh" || { log "RabbitMQ: creating vhost $vh"; rabbitmqctl -q add_vhost "$vh" >&2; }
done
if rabbitmqctl -q list_users | awk '{print $1}' | grep -qxF "$mq_user"; then
  rabbitmqctl -q change_password "$mq_user" "$mq_password" >/dev/null 2>&1
else
  log "RabbitMQ: creating user $mq_user"
  rabbitmqctl -q add_user "$mq_user" "$mq_password" >/dev/null 2>&1
fi
for vh in "${vhosts[@]}"; do rabbitmqctl -q set_permissions -p "$vh" "$mq_user" '.*' '.*' '.*' >&2; done
# rabbitmqctl needs the test's list_queues (queue clean-up) and stop_app (outage tests): an administrator tag.
if [ "$test_mode" = 1 ]; then rabbitmqctl -q set_user_tags "$mq_user" administrator >&2; fi
echo "AMQP_URL=amqp://$mq_user:$(enc "$mq_password")@127.0.0.1:5672/$(enc "$mq_vhost")"
fi
log "ready: $(echo "${parts//,/ }" | xargs)"
