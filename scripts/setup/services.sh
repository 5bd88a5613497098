# Postgres and Redis (sourced). Given URLs (DATABASE_URL, REDIS_URL) are used as they are;
# otherwise setup runs its own servers on loopback, with data under <data dir>/postgres and
# <data dir>/redis/<port> and ports, pid files and logs under <data dir>/run and <data dir>/logs,
# installing Debian's packages when the servers are missing. A server that is already running is
# reused, so a warm run only checks that it answers.

# The port to start a server of this data dir on: the requested one, else the one it had before,
# else the default; when another program holds that one (say, another clone's server, started
# while ours was stopped), the next free one. Called only when our server is not running.
choose_port() {
  local name=$1 wanted=$2 port=$3 file="$GANTRY_DATA_DIR/run/$1.port"
  if [ -n "$wanted" ]; then port=$wanted
  else
    [ -s "$file" ] && port="$(cat "$file")"
    while port_open "$port"; do port=$((port + 1)); done
  fi
  echo "$port" >"$file"
  echo "$port"
}

pg_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && echo "$dir" && return
  done
  if command -v initdb >/dev/null; then dirname "$(readlink -f "$(command -v initdb)")"; fi
}

# Postgres refuses to run as root, so root runs it as the `postgres` OS user; others as themselves.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The postgres user must reach the cluster inside the project; a checkout under a private dir
# (mktemp -d makes 0700 dirs) needs search permission (x, not read) on each parent.
grant_path_to_postgres() {
  local dir=$1
  while [ "$dir" != / ]; do
    runuser -u postgres -- test -x "$dir" 2>/dev/null || chmod o+x "$dir"
    dir="$(dirname "$dir")"
  done
}

pg_psql() {
  PGPASSWORD="$pg_password" PGCONNECT_TIMEOUT=5 "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres \
    -X -q -v ON_ERROR_STOP=1 "$@"
}

pg_init_cluster() {
  local cluster=$1
  # Never remove what is there: a non-empty dir without a cluster is someone's data.
  if [ -d "$cluster" ] && [ -n "$(ls -A "$cluster")" ]; then
    die "$cluster is not empty but holds no Postgres cluster; move it away or set GANTRY_DATA_DIR"
  fi
  say "initdb $cluster"
  mkdir -p "$cluster" && chmod 700 "$cluster"
  # The superuser password reaches initdb through a file only the server's owner can read.
  local pwfile
  pwfile="$(mktemp)"
  echo "$pg_password" >"$pwfile"
  if [ "$(id -u)" = 0 ]; then chown postgres "$cluster" "$pwfile"; fi
  as_pg_owner "$pg_bin/initdb" -D "$cluster" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$GANTRY_DATA_DIR/logs/initdb.log" 2>&1 || {
    rm -f "$pwfile"
    cat "$GANTRY_DATA_DIR/logs/initdb.log" >&2
    die "initdb failed"
  }
  rm -f "$pwfile"
}

# True when $1 is the URL setup itself gave out for this data dir's server (a shell that sourced
# .data/env passes it back): that server is still ours to start.
ours() {
  local port_file="$GANTRY_DATA_DIR/run/$2.port" secret="$GANTRY_DATA_DIR/secrets/postgres-password"
  [ -s "$port_file" ] || return 1
  case "$2" in
    postgres) [ -s "$secret" ] && [ "$1" = "postgresql://postgres:$(cat "$secret")@127.0.0.1:$(cat "$port_file")/gantry" ] ;;
    redis) [ "$1" = "redis://127.0.0.1:$(cat "$port_file")" ] ;;
  esac
}

setup_postgres() {
  if [ -n "${DATABASE_URL:-}" ] && ! ours "$DATABASE_URL" postgres; then return; fi
  pg_bin="$(pg_bindir)"
  if [ -z "$pg_bin" ]; then apt_install postgresql && pg_bin="$(pg_bindir)"; fi
  local cluster="$GANTRY_DATA_DIR/postgres" log="$GANTRY_DATA_DIR/logs/postgres.log"
  pg_password="$(kept_secret postgres-password)"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "no \`postgres\` OS user to run the server as"
    grant_path_to_postgres "$GANTRY_DATA_DIR"
    touch "$log" && chown postgres "$log"
  fi
  [ -s "$cluster/PG_VERSION" ] || pg_init_cluster "$cluster"
  if as_pg_owner "$pg_bin/pg_ctl" status -D "$cluster" >/dev/null 2>&1; then
    # Running already: its port is the 4th line of postmaster.pid.
    pg_port="$(sed -n 4p "$cluster/postmaster.pid")"
  else
    pg_port="$(choose_port postgres "${GANTRY_PG_PORT:-}" 5433)"
    say "starting postgres on 127.0.0.1:$pg_port (log: $log)"
    # Loopback TCP only: no unix socket, whose path a deep checkout would make too long. Enough
    # connections for parallel test files, each with API, worker and engine pools.
    as_pg_owner "$pg_bin/pg_ctl" start -D "$cluster" -l "$log" -W -o "-p $pg_port \
      -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 \
      -c synchronous_commit=off" >/dev/null 8>&-
  fi
  wait_until 60 pg_psql -d postgres -c 'select 1' \
    || { tail -n 20 "$log" >&2; die "postgres did not accept connections on port $pg_port"; }
  if [ "$(pg_psql -d postgres -tAc "select 1 from pg_database where datname = 'gantry'")" != 1 ]; then
    pg_psql -d postgres -c 'create database gantry'
  fi
  DATABASE_URL="postgresql://postgres:$pg_password@127.0.0.1:$pg_port/gantry"
}

redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]; }

setup_redis() {
  if [ -n "${REDIS_URL:-}" ] && ! ours "$REDIS_URL" redis; then return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  local port dir pidfile="$GANTRY_DATA_DIR/run/redis.pid" log="$GANTRY_DATA_DIR/logs/redis.log"
  local port_file="$GANTRY_DATA_DIR/run/redis.port"
  if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && [ -s "$port_file" ]; then
    port="$(cat "$port_file")"
  else
    port="$(choose_port redis "${GANTRY_REDIS_PORT:-}" 6380)"
    # One dir per port: two servers must never share append-only files.
    dir="$GANTRY_DATA_DIR/redis/$port"
    mkdir -p "$dir"
    say "starting redis on 127.0.0.1:$port (log: $log)"
    # Queue data only: an append-only file keeps jobs across restarts; no RDB snapshots.
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --pidfile "$pidfile" --logfile "$log" \
      --daemonize yes --save '' --appendonly yes --maxmemory-policy noeviction 8>&-
  fi
  wait_until 30 redis_ping "$port" || { tail -n 20 "$log" >&2; die "redis did not answer on port $port"; }
  REDIS_URL="redis://127.0.0.1:$port"
}

# Postgres and Redis, each reused or started. Two setups at once (two clones, or CI jobs on one
# machine) would both find the same port free and both start on it, and one server would fail to
# bind: a port is chosen and its server started under one lock for the machine, which the servers
# themselves do not inherit (8>&-).
setup_services() {
  mkdir -p "$GANTRY_CACHE"
  exec 8>"$GANTRY_CACHE/ports.lock"
  flock 8
  setup_postgres
  setup_redis
  exec 8>&-
}

# Stops the servers this data dir started (`scripts/gantry.sh stop`).
stop_services() {
  local cluster="$GANTRY_DATA_DIR/postgres" pidfile="$GANTRY_DATA_DIR/run/redis.pid" pid
  pg_bin="$(pg_bindir)"
  if [ -n "$pg_bin" ] && [ -s "$cluster/postmaster.pid" ]; then
    as_pg_owner "$pg_bin/pg_ctl" stop -D "$cluster" -m fast >/dev/null && say "postgres stopped"
  fi
  if [ -s "$pidfile" ] && pid="$(cat "$pidfile")" && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    wait_until 30 bash -c "! kill -0 $pid" && say "redis stopped"
  fi
}
