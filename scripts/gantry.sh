#!/usr/bin/env bash
# The one entry behind the npm scripts: `setup` makes this machine ready (Node ≥22, npm packages,
# pulumi, Postgres, Redis, Prisma client, migrations) and the other commands run it first, so a
# fresh clone needs nothing but `npm start` or `npm test`. Steps live in scripts/setup/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for step in lib node deps tools services database env; do
  # shellcheck source=/dev/null
  . "$here/setup/$step.sh"
done
cd "$GANTRY_ROOT"

setup() {
  local started=$SECONDS
  mkdir -p "$GANTRY_DATA_DIR/logs" "$GANTRY_DATA_DIR/run"
  setup_node
  setup_deps
  setup_tools
  setup_postgres
  setup_redis
  setup_env
  setup_prisma_client
  setup_migrations
  say "ready in $((SECONDS - started))s (environment in ${GANTRY_DATA_DIR#"$GANTRY_ROOT/"}/env)"
}

# API and worker in the foreground; when either stops (or on Ctrl-C / SIGTERM) both stop.
start() {
  local host="${HOST:-127.0.0.1}" port="${PORT:-8080}" api worker
  node --import tsx apps/api/src/main.ts &
  api=$!
  node --import tsx apps/worker/src/main.ts &
  worker=$!
  trap 'kill -TERM "$api" "$worker" 2>/dev/null || true' INT TERM EXIT
  # Announced once the port answers (not after a fixed delay); skipped if the API died first.
  wait_until 60 api_up "$api" "$port" && kill -0 "$api" 2>/dev/null \
    && echo "Gantry is running: API on http://$host:$port (Ctrl-C stops the API and the worker)"
  local status=0
  wait -n "$api" "$worker" || status=$?
  kill -TERM "$api" "$worker" 2>/dev/null || true
  wait "$api" "$worker" 2>/dev/null || true
  return "$status"
}

# True once the API's port accepts connections, or as soon as the API process is gone.
api_up() { ! kill -0 "$1" 2>/dev/null || port_open "$2"; }

cmd="${1:-}"
[ $# -gt 0 ] && shift
# `setup` runs as a command of its own, never in an `&&` list, where bash would ignore `set -e`.
case "$cmd" in setup | start | test | bench | admin | migration) setup ;; esac
case "$cmd" in
  setup) ;;
  start) start ;;
  test) exec node node_modules/vitest/vitest.mjs run "$@" ;;
  bench) exec node --import tsx bench/run.ts "$@" ;;
  admin) exec node --import tsx apps/api/src/admin.ts "$@" ;;
  # A new migration from the change to prisma/schema.prisma (see packages/db/src/migrate/create.ts).
  migration) exec node --import tsx packages/db/src/migrate/create.ts "$@" ;;
  # Stops the local Postgres and Redis this data dir started.
  stop) stop_services ;;
  *)
    echo "usage: scripts/gantry.sh <setup|start|test|bench|admin|migration|stop> [args]" >&2
    exit 2
    ;;
esac
