# Building Go programs once per machine (sourced by the build scripts in this dir). A build goes
# into $GANTRY_CACHE/<name>/<key>, shared by every clone; a flock makes parallel clones wait for
# one build instead of racing; the compile cache (GBs) is a temporary GOCACHE removed afterwards,
# while the module cache (downloads) stays for the next build.

GANTRY_CACHE="${GANTRY_CACHE:-$HOME/.cache/gantry}"

build_say() { echo "setup: $*" >&2; }
build_die() { echo "setup: $*" >&2; exit 1; }

# Runs "$@" (which must fill $GO_BUILD_OUT) under the lock of $1/$2 unless $GANTRY_CACHE/$1/$2
# already holds a finished build; prints that dir. $GO_BUILD_WORK is a fresh scratch dir.
cached_go_build() {
  local name=$1 key=$2 dest lock
  shift 2
  dest="$GANTRY_CACHE/$name/$key"
  if [ -f "$dest/.complete" ]; then echo "$dest"; return; fi
  command -v go >/dev/null || build_die "go is needed to build $name $key (the Go module proxy is the only source here)"
  command -v flock >/dev/null || build_die "flock (util-linux) is needed to build $name"
  mkdir -p "$GANTRY_CACHE/$name"
  lock="$GANTRY_CACHE/$name/.lock"
  (
    exec 9>"$lock"
    flock 9
    # Another clone may have finished it while this one waited.
    [ -f "$dest/.complete" ] && exit 0
    GO_BUILD_WORK="$(mktemp -d "$GANTRY_CACHE/$name/build.XXXXXX")"
    GO_BUILD_OUT="$GO_BUILD_WORK/out"
    trap 'chmod -R u+w "$GO_BUILD_WORK" 2>/dev/null; rm -rf "$GO_BUILD_WORK"' EXIT
    mkdir -p "$GO_BUILD_OUT"
    export GO_BUILD_WORK GO_BUILD_OUT GOCACHE="$GO_BUILD_WORK/gocache" CGO_ENABLED=0 GOFLAGS=-mod=mod
    local started=$SECONDS
    build_say "building $name $key from Go modules (first time on this machine; many minutes, log: $GO_BUILD_WORK/build.log)"
    "$@" >"$GO_BUILD_WORK/build.log" 2>&1 || { tail -n 40 "$GO_BUILD_WORK/build.log" >&2; build_die "building $name $key failed"; }
    rm -rf "$dest" && mv "$GO_BUILD_OUT" "$dest"
    touch "$dest/.complete"
    build_say "built $name $key in $((SECONDS - started))s"
  ) || exit 1
  echo "$dest"
}
