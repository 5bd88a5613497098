#!/usr/bin/env bash
# Provides the `pulumi` CLI and `pulumi-language-nodejs` at the version of the pinned npm
# @pulumi/pulumi. The CLI cannot be downloaded here, so it is built from Go modules (the only
# source the machine can reach) and cached outside the repo, where every clone reuses it.
# Prints the bin directory to put on PATH.
set -euo pipefail

version="${PULUMI_VERSION:?PULUMI_VERSION is required (e.g. 3.163.0)}"
# The Node.js language host has its own go.mod and no tags: it is taken at the pseudo-version of
# the release commit, which is the one the module proxy serves.
langhost="${PULUMI_LANGUAGE_NODEJS_VERSION:?PULUMI_LANGUAGE_NODEJS_VERSION is required}"
cache="${GANTRY_CACHE:-$HOME/.cache/gantry}/pulumi/v$version"
bin="$cache/bin"

installed_version() { "$1" version 2>/dev/null | tr -d 'v[:space:]'; }

# An installed CLI of the right version (with its language host beside it) wins over a build.
if existing=$(command -v pulumi 2>/dev/null) && [ "$(installed_version "$existing")" = "$version" ] \
  && [ -x "$(dirname "$existing")/pulumi-language-nodejs" ]; then
  dirname "$existing"
  exit 0
fi

if [ ! -x "$bin/pulumi" ] || [ ! -x "$bin/pulumi-language-nodejs" ] || [ "$(installed_version "$bin/pulumi")" != "$version" ]; then
  command -v go >/dev/null || { echo "setup: go is needed to build the pulumi CLI" >&2; exit 1; }
  echo "setup: building pulumi v$version from Go modules (first time only; several minutes)" >&2
  work="$cache/build"
  rm -rf "$work" && mkdir -p "$work"
  cat >"$work/go.mod" <<MOD
module gantry.local/pulumi-build

go 1.24

require (
	github.com/pulumi/pulumi/pkg/v3 v$version
	github.com/pulumi/pulumi/sdk/v3 v$version
	github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 $langhost
)
MOD
  cat >"$work/tools.go" <<'GO'
//go:build tools

// Keeps the two binaries' packages in the module graph.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	_ "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
)
GO
  (
    cd "$work"
    # The proxy here serves these modules but the checksum database has no entry for some of
    # them, so only the pulumi modules skip it; everything else is still verified.
    export GOFLAGS=-mod=mod CGO_ENABLED=0 GONOSUMDB=github.com/pulumi/pulumi GONOSUMCHECK=1
    go mod tidy -e >&2 2>"$work/tidy.log" || { cat "$work/tidy.log" >&2; exit 1; }
    ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
    go build -trimpath -ldflags "$ldflags" -o "$work/out/" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
      github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 >&2
  )
  mkdir -p "$bin"
  mv "$work/out/pulumi" "$bin/pulumi"
  mv "$work/out/v3" "$bin/pulumi-language-nodejs" 2>/dev/null || mv "$work/out/pulumi-language-nodejs" "$bin/pulumi-language-nodejs"
  rm -rf "$work"
fi
echo "$bin"
