#!/usr/bin/env bash
# Provides the `pulumi` CLI at its own pinned version and `pulumi-language-nodejs` at the version of
# the pinned npm @pulumi/pulumi. They differ on purpose: the DIY Postgres state backend needs a CLI
# ≥ 3.176, but the module proxy serves the Node.js language host only up to about 3.169, and the
# language host must match the npm SDK it runs programs with (the plugin protocol between CLI and
# language host is versioned, so a newer CLI drives an older host).
# Neither can be downloaded here, so both are built from Go modules (the only source the machine
# can reach) and cached outside the repo, per version, where every clone reuses them.
# Prints the bin directory to put on PATH.
set -euo pipefail

cli_version="${PULUMI_CLI_VERSION:?PULUMI_CLI_VERSION is required (e.g. 3.276.0)}"
sdk_version="${PULUMI_VERSION:?PULUMI_VERSION (the npm @pulumi/pulumi version) is required}"
# The Node.js language host has its own go.mod and no tags: it is taken at the pseudo-version of
# the release commit, which is the one the module proxy serves.
langhost="${PULUMI_LANGUAGE_NODEJS_VERSION:?PULUMI_LANGUAGE_NODEJS_VERSION is required}"
root="${GANTRY_CACHE:-$HOME/.cache/gantry}/pulumi"
cli_dir="$root/cli-v$cli_version"
host_dir="$root/nodejs-$langhost"
# The CLI looks for its bundled language host beside its own (symlink-resolved) binary and warns
# when PATH offers another one; a directory holding both, as hard links, keeps it quiet.
bin="$root/v$cli_version-nodejs-v$sdk_version/bin"

installed_version() { "$1" version 2>/dev/null | tr -d 'v[:space:]'; }

# An installed CLI of the right version (with its language host beside it) wins over a build.
if existing=$(command -v pulumi 2>/dev/null) && [ "$(installed_version "$existing")" = "$cli_version" ] \
  && [ -x "$(dirname "$existing")/pulumi-language-nodejs" ] && [ "$(dirname "$existing")" != "$bin" ]; then
  dirname "$existing"
  exit 0
fi

ready() { [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] && [ "$(installed_version "$bin/pulumi")" = "$cli_version" ]; }
if ready; then echo "$bin"; exit 0; fi

command -v go >/dev/null || { echo "setup: go is needed to build the pulumi CLI" >&2; exit 1; }
mkdir -p "$root"
# Several setups at once (clones, CI jobs) wait for one build instead of building into one dir.
exec 9>"$root/.lock"
flock 9
if ready; then echo "$bin"; exit 0; fi

temp_dirs=()
trap 'rm -rf "${temp_dirs[@]}"' EXIT

# Builds Go packages of a throwaway wrapper module requiring $2 (go.mod lines) into $1, stamped
# with version $3 (without it the Automation API refuses the CLI). The module cache persists (it
# makes the next build minutes faster); the build cache is temporary, it would only grow.
build() {
  local out=$1 requires=$2 stamp=$3 work
  shift 3
  work="$(mktemp -d)"
  temp_dirs+=("$work")
  printf 'module gantry.local/pulumi-build\n\ngo 1.24\n\nrequire (\n%s\n)\n' "$requires" >"$work/go.mod"
  {
    echo '//go:build tools'
    echo
    echo '// Keeps the packages to build in the module graph.'
    echo 'package tools'
    echo
    echo 'import ('
    for pkg in "$@"; do echo "	_ \"$pkg\""; done
    echo ')'
  } >"$work/tools.go"
  (
    cd "$work"
    # The proxy here serves these modules but the checksum database has no entry for some of
    # them, so only the pulumi modules skip it; everything else is still verified.
    export GOFLAGS=-mod=mod CGO_ENABLED=0 GONOSUMDB=github.com/pulumi/pulumi GONOSUMCHECK=1 GOCACHE="$work/gocache"
    go mod tidy -e >"$work/tidy.log" 2>&1 || { cat "$work/tidy.log" >&2; exit 1; }
    go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$stamp" \
      -o "$work/out/" "$@" >&2
  )
  mkdir -p "$out"
  mv "$work/out/"* "$out/"
}

if [ ! -x "$cli_dir/pulumi" ] || [ "$(installed_version "$cli_dir/pulumi")" != "$cli_version" ]; then
  echo "setup: building pulumi v$cli_version from Go modules (first time only; several minutes)" >&2
  # pkg/go.mod replaces the sdk with its local copy; the explicit require of the same tag stands in.
  build "$cli_dir" "	github.com/pulumi/pulumi/pkg/v3 v$cli_version
	github.com/pulumi/pulumi/sdk/v3 v$cli_version" "$cli_version" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
fi

if [ ! -x "$host_dir/pulumi-language-nodejs" ]; then
  # A build of the earlier layout (CLI and host of one version, v<version>/bin) has this very host.
  earlier="$root/v$sdk_version/bin/pulumi-language-nodejs"
  if [ -x "$earlier" ]; then
    mkdir -p "$host_dir" && cp "$earlier" "$host_dir/pulumi-language-nodejs"
  else
    echo "setup: building pulumi-language-nodejs $langhost (v$sdk_version) from Go modules (first time only)" >&2
    build "$host_dir" "	github.com/pulumi/pulumi/pkg/v3 v$sdk_version
	github.com/pulumi/pulumi/sdk/v3 v$sdk_version
	github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 $langhost" "$sdk_version" \
      github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
    # `go build` names a binary after its package path's last element ("v3" here).
    [ -x "$host_dir/v3" ] && mv "$host_dir/v3" "$host_dir/pulumi-language-nodejs"
  fi
fi

mkdir -p "$bin"
for file in "$cli_dir/pulumi" "$host_dir/pulumi-language-nodejs"; do
  ln -f "$file" "$bin/" 2>/dev/null || cp -f "$file" "$bin/"
done
echo "$bin"
