#!/usr/bin/env bash
# The test command (README, CI): real PostgreSQL + RabbitMQ (installed and started when missing,
# or DATABASE_URL / AMQP_URL), a real OpenSSH SFTP server (scripts/ensure-sftp.sh), Chromium
# (scripts/ensure-chromium.sh), static checks,
# then unit, medium and e2e tests.
# Ends with one line: `tests: N passed, M failed` (Jest tests plus each static check counted as one).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
rm -f .tmp/jest-*.json
passed=0
failed=0

step() {
  local name=$1
  shift
  echo "== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "!! FAILED: $name"
  fi
}

finish() {
  echo
  echo "tests: ${passed} passed, ${failed} failed"
  if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
  exit 0
}

[ -d node_modules ] || npm ci --no-audit --no-fund

echo "== services"
own_services=$([ -z "${DATABASE_URL:-}${AMQP_URL:-}" ] && echo 1 || echo 0)
if ! services_env=$(scripts/ensure-services.sh); then
  failed=$((failed + 1))
  echo "!! FAILED: PostgreSQL/RabbitMQ could not be started"
  finish
fi
eval "$services_env"
# A real OpenSSH SFTP server for the SFTP pickup and delivery tests (installed and started as root
# when missing, or SFTP_TEST_* pointing at one).
if sftp_env=$(scripts/ensure-sftp.sh); then
  eval "$sftp_env"
else
  echo "!! no SFTP test server: the SFTP e2e test will fail"
fi

# A real headless Chromium for the web console and portal tests (apt-get installs Debian's package),
# fetched in the background while the static checks and unit tests run; awaited before the e2e tests.
(scripts/ensure-chromium.sh >.tmp/chromium.env 2>.tmp/chromium.log) &
chromium_job=$!
await_chromium() {
  if wait "$chromium_job"; then
    eval "$(cat .tmp/chromium.env)"
  else
    cat .tmp/chromium.log
    echo "!! no Chromium: the browser tests will fail"
  fi
}

# The production set-up script, run a second time over the first: it must leave a working set-up.
setup_again() {
  [ "$own_services" = 1 ] || return 0
  env -u DATABASE_URL -u AMQP_URL scripts/ensure-services.sh >/dev/null &&
    psql "$DATABASE_URL" -qAtc 'SELECT 1' >/dev/null &&
    node -e 'require("amqplib").connect(process.env.AMQP_URL).then((c) => c.close())'
}

step "setup-services.sh is idempotent" setup_again
step "lint" npm run -s lint
step "format" npm run -s format:check
step "type-check" npm run -s check
step "dependency rules (docs/architecture.md)" npm run -s deps:check
step "contract schemas up to date" npm run -s contracts:check
step "OpenAPI document up to date" npm run -s openapi:check
step "web client matches the OpenAPI document" npm run -s web:client:check
step "env example names every variable" npx ts-node --transpile-only scripts/env-check.ts
step "entities and migrations agree" npx ts-node -r tsconfig-paths/register --transpile-only scripts/schema-drift.ts
step "build" npm run -s build

jest_run() {
  local out=$1
  shift
  # --experimental-vm-modules: PGlite (the embedded database) loads its WASM through dynamic import().
  TRADELANE_SKIP_BUILD=true NODE_OPTIONS="--experimental-vm-modules --no-warnings=ExperimentalWarning" \
    npx jest "$@" --json --outputFile="$out"

  if [ -f "$out" ]; then
    local counts
    counts=$(node -e 'const r=require(require("path").resolve(process.argv[1])); console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites||0))' "$out")
    passed=$((passed + ${counts% *}))
    failed=$((failed + ${counts#* }))
  else
    failed=$((failed + 1))
    echo "!! FAILED: jest $* wrote no results"
  fi
}

echo "== unit tests"
jest_run .tmp/jest-unit.json --selectProjects unit
await_chromium

# Suites that stop or freeze a whole server (RabbitMQ, PostgreSQL) or change cluster-wide roles:
# they run after the others, one at a time, with nothing beside them.
EXCLUSIVE=(
  libs/messaging/src/outbox/outbox.medium-spec.ts
  libs/access/src/database-roles.medium-spec.ts
  test/e2e/database-outage.e2e-spec.ts
)

# One RabbitMQ vhost per Jest worker (libs/testing testServices), so two suites can run side by
# side; possible only where this script runs RabbitMQ itself (rabbitmqctl at hand).
worker_vhosts() {
  [ -n "${TRADELANE_TEST_RABBITMQCTL:-}" ] || return 1
  local user vhost
  user=$(node -e 'console.log(decodeURIComponent(new URL(process.env.AMQP_URL).username))')
  vhost=$(node -e 'console.log(decodeURIComponent(new URL(process.env.AMQP_URL).pathname.slice(1)) || "tradelane")')
  for w in 1 2; do
    "$TRADELANE_TEST_RABBITMQCTL" -q list_vhosts | grep -qxF "${vhost}_w$w" ||
      "$TRADELANE_TEST_RABBITMQCTL" -q add_vhost "${vhost}_w$w" >/dev/null || return 1
    "$TRADELANE_TEST_RABBITMQCTL" -q set_permissions -p "${vhost}_w$w" "$user" '.*' '.*' '.*' >/dev/null || return 1
  done
}

# Workers are recycled once they hold more than 1.5 GB: a single in-band process for 70 suites grew
# past Node's heap limit (ts-jest module registries pile up).
if worker_vhosts; then
  echo "== medium and e2e tests (real PostgreSQL and RabbitMQ, two suites at a time)"
  mapfile -t shared < <(npx jest --selectProjects medium e2e --listTests 2>/dev/null | grep -E '\.ts$' |
    grep -vF "$(printf '%s\n' "${EXCLUSIVE[@]}")" | sort)
  TRADELANE_TEST_VHOST_PER_WORKER=1 jest_run .tmp/jest-integration.json --selectProjects medium e2e \
    --maxWorkers=2 --workerIdleMemoryLimit=1536MB --runTestsByPath "${shared[@]}"
  echo "== medium and e2e tests that stop a server (one at a time)"
  jest_run .tmp/jest-exclusive.json --selectProjects medium e2e --maxWorkers=1 --runTestsByPath "${EXCLUSIVE[@]}"
else
  echo "== medium and e2e tests (real PostgreSQL and RabbitMQ, one at a time)"
  jest_run .tmp/jest-integration.json --selectProjects medium e2e --maxWorkers=1 --workerIdleMemoryLimit=1536MB
fi

finish
