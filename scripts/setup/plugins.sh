# Pulumi resource plugins for the engine (sourced), installed into the engine's PULUMI_HOME
# ($GANTRY_DATA_DIR/pulumi-home, see packages/engine/src/config.ts) at the versions the pinned npm
# packages ask for. Each plugin is taken from the first of: already installed there; the operator's
# plugin dir (GANTRY_PLUGIN_DIR, for air-gapped sites); the user's own ~/.pulumi; a download
# (`pulumi plugin install`); and, for kubernetes only, a build from Go modules (scripts/kube).

GANTRY_PLUGIN_DIR="${GANTRY_PLUGIN_DIR:-}"
export GANTRY_PLUGIN_DIR

engine_home() { echo "$GANTRY_DATA_DIR/pulumi-home"; }

# The plugin version a pinned npm package asks for (its package.json's pulumi.version).
npm_plugin_version() {
  (cd "$GANTRY_ROOT" && node -p "const p = require('$1/package.json'); (p.pulumi && p.pulumi.version) || p.version")
}

plugin_installed() {
  local dir
  dir="$(engine_home)/plugins/resource-$1-v$2"
  [ -x "$dir/pulumi-resource-$1" ] && [ ! -e "$dir.partial" ]
}

# `pulumi plugin install … --file` takes a binary, a folder or a tarball.
plugin_install_file() {
  PULUMI_HOME="$(engine_home)" pulumi plugin install resource "$1" "$2" --file "$3" --non-interactive \
    >>"$GANTRY_DATA_DIR/logs/plugins.log" 2>&1
}

# What an operator may put in GANTRY_PLUGIN_DIR: get.pulumi.com's tarball, or the bare binary.
plugin_from_operator_dir() {
  local name=$1 version=$2 arch candidate
  [ -n "$GANTRY_PLUGIN_DIR" ] && [ -d "$GANTRY_PLUGIN_DIR" ] || return 1
  case "$(uname -m)" in aarch64 | arm64) arch=arm64 ;; *) arch=amd64 ;; esac
  for candidate in "pulumi-resource-$name-v$version-linux-$arch.tar.gz" "pulumi-resource-$name-v$version"; do
    if [ -f "$GANTRY_PLUGIN_DIR/$candidate" ]; then
      say "installing the $name plugin v$version from $GANTRY_PLUGIN_DIR/$candidate"
      plugin_install_file "$name" "$version" "$GANTRY_PLUGIN_DIR/$candidate" && return 0
    fi
  done
  return 1
}

plugin_from_user_home() {
  local dir="${PULUMI_USER_HOME:-$HOME/.pulumi}/plugins/resource-$1-v$2"
  [ -x "$dir/pulumi-resource-$1" ] && [ ! -e "$dir.partial" ] || return 1
  say "installing the $1 plugin v$2 from $dir"
  plugin_install_file "$1" "$2" "$dir"
}

# A download is tried once per data dir and version (offline it costs seconds of retries).
plugin_download() {
  local marker
  marker="$(engine_home)/.download-failed-$1-v$2"
  [ -e "$marker" ] && return 1
  if PULUMI_HOME="$(engine_home)" pulumi plugin install resource "$1" "$2" --non-interactive \
    >>"$GANTRY_DATA_DIR/logs/plugins.log" 2>&1; then
    say "downloaded the $1 plugin v$2"
    return 0
  fi
  touch "$marker"
  return 1
}

setup_plugins() {
  mkdir -p "$(engine_home)/plugins"
  local k8s aws
  k8s="$(npm_plugin_version @pulumi/kubernetes)" || die "@pulumi/kubernetes is not installed"
  if ! plugin_installed kubernetes "$k8s"; then
    plugin_from_operator_dir kubernetes "$k8s" || plugin_from_user_home kubernetes "$k8s" \
      || plugin_download kubernetes "$k8s" || {
      local built
      built="$(KUBERNETES_PROVIDER_VERSION="$k8s" bash "$GANTRY_ROOT/scripts/kube/build-provider.sh")" || die "could not build the kubernetes plugin"
      plugin_install_file kubernetes "$k8s" "$built/pulumi-resource-kubernetes"
    } || die "could not install the kubernetes plugin v$k8s (log: $GANTRY_DATA_DIR/logs/plugins.log)"
  fi
  aws="$(npm_plugin_version @pulumi/aws)" || die "@pulumi/aws is not installed"
  if ! plugin_installed aws "$aws"; then
    # Said once per data dir: the run of an AWS kind says it again, with the same remedy.
    local told=0
    [ -e "$(engine_home)/.download-failed-aws-v$aws" ] && told=1
    plugin_from_operator_dir aws "$aws" || plugin_from_user_home aws "$aws" || plugin_download aws "$aws" \
      || [ "$told" = 1 ] || say "the aws plugin v$aws is not installed and cannot be downloaded here: AWS kinds" \
        "will fail until it is (put pulumi-resource-aws-v$aws-linux-amd64.tar.gz in GANTRY_PLUGIN_DIR and run setup again)"
  fi
}
