#!/usr/bin/env bash
# Builds the helm CLI (helm.sh/helm/v4) from Go modules, once per machine, and prints the dir
# holding it. The chart's test lints and renders deploy/helm/gantry with it; nothing else needs it.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/go-build.sh"

helm_version="${GANTRY_HELM_VERSION:-4.3.2}"

build() {
  cd "$GO_BUILD_WORK"
  cat >go.mod <<MOD
module gantry.local/helm-build

go 1.26.0

require helm.sh/helm/v4 v$helm_version
MOD
  # Main packages cannot be imported; a file behind a build tag keeps helm's in the module graph.
  cat >tools.go <<'GO'
//go:build tools

package tools

import _ "helm.sh/helm/v4/cmd/helm"
GO
  go mod tidy -e
  # Without the stamp `helm version` says v4.3 and charts' kubeVersion checks see a bare minor.
  go build -trimpath -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=v$helm_version" \
    -o "$GO_BUILD_OUT/" helm.sh/helm/v4/cmd/helm
}

cached_go_build helm "v$helm_version" build
