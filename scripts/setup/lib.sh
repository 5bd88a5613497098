# Shared by the setup steps (sourced, not run): where things live and how setup talks.
# Every step is idempotent and cheap when its work is already done, so `npm start` and
# `npm test` can run the whole setup every time.

GANTRY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The project's own runtime files (database cluster, logs, pid files, engine state). Relative
# values are taken from the repository root so every command agrees on one place.
GANTRY_DATA_DIR="${GANTRY_DATA_DIR:-.data}"
case "$GANTRY_DATA_DIR" in /*) ;; *) GANTRY_DATA_DIR="$GANTRY_ROOT/$GANTRY_DATA_DIR" ;; esac
# Built tools shared by every clone on this machine (pulumi, Node 24).
GANTRY_CACHE="${GANTRY_CACHE:-$HOME/.cache/gantry}"
export GANTRY_ROOT GANTRY_DATA_DIR GANTRY_CACHE

say() { echo "setup: $*" >&2; }
die() { echo "setup: $*" >&2; exit 1; }

# Polls `"$@"` until it succeeds (readiness checks); gives up after $1 seconds.
wait_until() {
  local timeout=$1 started=$SECONDS
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS - started < timeout)) || return 1
    sleep 0.1
  done
}

# True when something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp, no extra tools).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A random hex secret (local passwords and passphrases, generated once and kept under .data).
random_hex() { od -An -tx1 -N"${1:-16}" /dev/urandom | tr -d ' \n'; }

# A secret kept in a file under the data dir: created on first use, then reused ($2: bytes, default 24).
kept_secret() {
  local file="$GANTRY_DATA_DIR/secrets/$1"
  if [ ! -s "$file" ]; then
    mkdir -p "$(dirname "$file")" && chmod 700 "$(dirname "$file")"
    (umask 077 && random_hex "${2:-24}" >"$file")
  fi
  cat "$file"
}

# Installs Debian packages when a tool is missing. Only root can, and only once per run.
apt_install() {
  [ "$(id -u)" = 0 ] || die "missing $*; install it (Debian: apt-get install $*) or set the URLs in the environment"
  command -v apt-get >/dev/null || die "missing $* and no apt-get to install it"
  if [ -z "${GANTRY_APT_UPDATED:-}" ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    GANTRY_APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# Puts a dir first on PATH and remembers it, so the env file can hand the same PATH on.
GANTRY_PATH_PREFIX="${GANTRY_PATH_PREFIX:-}"
path_prepend() {
  case ":$GANTRY_PATH_PREFIX:" in *":$1:"*) ;; *) GANTRY_PATH_PREFIX="$1${GANTRY_PATH_PREFIX:+:$GANTRY_PATH_PREFIX}" ;; esac
  export PATH="$1:$PATH"
}
