#!/usr/bin/env bash
# Builds the Pulumi Kubernetes provider plugin (pulumi-resource-kubernetes) labelled
# $KUBERNETES_PROVIDER_VERSION from Go modules, once per machine; prints the dir holding it.
# The module proxy serves the provider module only at one pseudo-version (a day before sdk/v4
# v4.25.0's tag), so that commit is built and stamped 4.25.0, matching npm @pulumi/kubernetes.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/go-build.sh"

version="${KUBERNETES_PROVIDER_VERSION:-4.25.0}"
module=github.com/pulumi/pulumi-kubernetes/provider/v4
module_version="${KUBERNETES_PROVIDER_MODULE_VERSION:-v4.0.0-20260115033456-f47bc2d6f199}"

build() {
  cd "$GO_BUILD_WORK"
  # The provider's go.mod replaces sdk/v4 with ../sdk, which a dependent module ignores: require
  # the tagged sdk instead.
  cat >go.mod <<MOD
module gantry.local/kubernetes-provider-build

go 1.24.7

require (
	$module $module_version
	github.com/pulumi/pulumi-kubernetes/sdk/v4 v$version
)
MOD
  go mod download -json "$module@$module_version" >module.json
  local src
  src="$(node -p 'JSON.parse(require("fs").readFileSync("module.json","utf8")).Dir' 2>/dev/null \
    || sed -n 's/.*"Dir": "\(.*\)",/\1/p' module.json)"
  # The main package embeds schema-embed.json and terraform-mapping-embed.json, which upstream
  # generates at release time (go:generate) and which the module zip lacks: the package is
  # assembled in the scratch dir from the module's own files and its generator run there.
  mkdir -p cmd/pulumi-resource-kubernetes
  cp "$src"/cmd/pulumi-resource-kubernetes/{main.go,generate.go,schema.json,terraform-mapping.json} cmd/pulumi-resource-kubernetes/
  chmod u+w cmd/pulumi-resource-kubernetes/*
  go mod tidy -e
  (cd cmd/pulumi-resource-kubernetes && VERSION="$version" go run generate.go && rm generate.go schema.json terraform-mapping.json)
  go build -trimpath -ldflags "-s -w -X $module/pkg/version.Version=$version" \
    -o "$GO_BUILD_OUT/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes
}

cached_go_build pulumi-kubernetes "v$version" build
