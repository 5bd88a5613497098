#!/usr/bin/env bash
# Builds the local test cluster's programs from Go modules, once per machine, and prints the dir
# holding them: kube-apiserver, kube-controller-manager, kube-scheduler and kubectl
# (k8s.io/kubernetes), etcd (go.etcd.io/etcd/server/v3) and kwok (sigs.k8s.io/kwok, fake nodes),
# plus kwok-stages.yaml, kwok's own Stage objects (how fake nodes and pods change status).
# One wrapper module and one `go build` of all six packages, so shared packages compile once.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/go-build.sh"

k8s="${GANTRY_KUBE_VERSION:-1.36.3}"
etcd="${GANTRY_ETCD_VERSION:-3.6.8}"
kwok="${GANTRY_KWOK_VERSION:-0.8.0}"
minor="${k8s#*.}" && minor="${minor%%.*}"

module_field() { go mod download -json "$1" | sed -n "s/^\t\"$2\": \"\(.*\)\",\{0,1\}$/\1/p"; }

build() {
  cd "$GO_BUILD_WORK"
  # k8s.io/kubernetes replaces each staging module (k8s.io/api, k8s.io/client-go, …) with a local
  # dir, which a dependent module ignores: each gets the published v0.<minor>.<patch> instead.
  local replaces
  replaces="$(sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\) => \./staging/.*#\t\1 => \1 v0.'"${k8s#*.}"'#p' \
    "$(module_field "k8s.io/kubernetes@v$k8s" GoMod)")"
  [ -n "$replaces" ] || { echo "no staging replaces found in k8s.io/kubernetes v$k8s's go.mod" >&2; return 1; }
  cat >go.mod <<MOD
module gantry.local/kube-build

go 1.26.0

require (
	k8s.io/kubernetes v$k8s
	go.etcd.io/etcd/server/v3 v$etcd
	sigs.k8s.io/kwok v$kwok
)

replace (
$replaces
)
MOD
  # Main packages cannot be imported; a file behind a build tag keeps them in the module graph.
  cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
GO
  go mod tidy -e
  # Without the stamp the servers call themselves v0.0.0-master.
  local ldflags="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=v$k8s -X $pkg.gitMajor=${k8s%%.*} -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  go build -trimpath -ldflags "$ldflags" -o "$GO_BUILD_OUT/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl \
    go.etcd.io/etcd/server/v3 sigs.k8s.io/kwok/cmd/kwok
  mv "$GO_BUILD_OUT/server" "$GO_BUILD_OUT/etcd"
  # kwok's standalone binary runs only the stages it is given: its own fast node and pod stages,
  # read from its module (nodes Ready at once, heartbeats through Leases, pods Running at once,
  # completed Jobs, deletions honoured).
  local kwok_dir stage
  kwok_dir="$(module_field "sigs.k8s.io/kwok@v$kwok" Dir)"
  for stage in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
    pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
    echo "---"
    cat "$kwok_dir/kustomize/stage/$stage.yaml"
  done >"$GO_BUILD_OUT/kwok-stages.yaml"
}

cached_go_build kube "v$k8s-etcd$etcd-kwok$kwok" build
