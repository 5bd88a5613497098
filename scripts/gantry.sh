#!/usr/bin/env bash
# The one entry behind the npm scripts: `setup` makes this machine ready (Node ≥22.18, npm packages,
# pulumi and its resource plugins, Postgres, Redis, Prisma client, migrations) and the other
# commands run it first, so a fresh clone needs nothing but `npm start` or `npm test`. Steps live
# in scripts/setup/; the local test Kubernetes in scripts/kube/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for step in lib node deps tools plugins services database state env console; do
  # shellcheck source=/dev/null
  . "$here/setup/$step.sh"
done
cd "$GANTRY_ROOT"

# What needs no database: Node, npm packages, the console's build, pulumi, the Prisma client (a
# Docker build runs this).
install() {
  mkdir -p "$GANTRY_DATA_DIR/logs" "$GANTRY_DATA_DIR/run"
  setup_node
  setup_deps
  setup_console
  setup_tools
  setup_plugins
  setup_prisma_client
}

setup() {
  local started=$SECONDS
  install
  setup_services
  setup_engine_role
  setup_state_backend
  setup_env
  setup_migrations
  setup_state_migration
  say "ready in $((SECONDS - started))s (environment in ${GANTRY_DATA_DIR#"$GANTRY_ROOT/"}/env)"
}

# The API and the worker in the foreground (or only one of them: `start api`, `start worker`), and
# the Kubernetes controller with them when GANTRY_KUBE_CONTROLLER_KUBECONFIG names a kubeconfig;
# when one stops, or on Ctrl-C / SIGTERM, the others stop too.
start() {
  local which="${1:-both}" host="${HOST:-127.0.0.1}" port="${PORT:-8080}"
  pids=() # global: the EXIT trap reads it after start() returns
  case "$which" in both | api | worker) ;; *) die "start takes api, worker or nothing, not $which" ;; esac
  if [ "$which" != worker ]; then
    node apps/api/src/main.ts &
    pids+=($!)
  fi
  if [ "$which" != api ]; then
    node apps/worker/src/main.ts &
    pids+=($!)
  fi
  if [ "$which" = both ] && [ -n "${GANTRY_KUBE_CONTROLLER_KUBECONFIG:-}" ]; then
    node apps/controller/src/main.ts &
    pids+=($!)
  fi
  trap 'kill -TERM "${pids[@]}" 2>/dev/null || true' INT TERM EXIT
  # Announced once the port answers (polled, not after a fixed delay), unless the API died first.
  if [ "$which" != worker ] && wait_until 60 api_up "${pids[0]}" "$port" && kill -0 "${pids[0]}" 2>/dev/null; then
    echo "Gantry is running: API on http://$host:$port (Ctrl-C stops it)"
  fi
  local status=0
  wait -n "${pids[@]}" || status=$?
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
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
  install) install ;;
  start) start "$@" ;;
  test)
    # The local Kubernetes the kube tests run against (built the first time; left running, as the
    # database is; `npm run stop` stops it too).
    GANTRY_TEST_KUBECONFIG="$(bash scripts/kube/cluster.sh start | tail -n 1)"
    export GANTRY_TEST_KUBECONFIG
    # The browser the console's test drives (installed for tests only).
    setup_chromium
    exec node node_modules/vitest/vitest.mjs run "$@"
    ;;
  kube) exec bash scripts/kube/cluster.sh "$@" ;;
  bench) exec node bench/run.ts "$@" ;;
  admin) exec node apps/api/src/admin.ts "$@" ;;
  # A new migration from the change to prisma/schema.prisma (see packages/db/src/migrate/create.ts).
  migration) exec node packages/db/src/migrate/create.ts "$@" ;;
  # Stops the local Kubernetes, Postgres and Redis this data dir started.
  stop)
    bash scripts/kube/cluster.sh stop
    stop_services
    ;;
  *)
    echo "usage: scripts/gantry.sh <setup|install|start [api|worker]|test|bench|admin|migration|kube|stop> [args]" >&2
    exit 2
    ;;
esac
