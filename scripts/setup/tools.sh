# The pulumi CLI, its Node.js language host and the dynamic-provider script, in one bin dir under
# the data dir (sourced). CLI and host come from scripts/setup/pulumi.sh (cached per machine);
# the provider script ships inside the npm @pulumi/pulumi and must sit on PATH beside pulumi.

# The CLI's own version: ≥ 3.176 for the DIY Postgres state backend (see pulumi.sh for the mix).
export PULUMI_CLI_VERSION="${PULUMI_CLI_VERSION:-3.276.0}"
# Versions the language host must match: the pinned npm @pulumi/pulumi (package.json overrides),
# and the host's pseudo-version of that release's commit (it has no tags of its own).
export PULUMI_VERSION="${PULUMI_VERSION:-3.163.0}"
export PULUMI_LANGUAGE_NODEJS_VERSION="${PULUMI_LANGUAGE_NODEJS_VERSION:-v3.0.0-20250417110128-49fb14839a5a}"

# The module version a pulumi-language-nodejs binary was built from (its Go build info; the stamped
# version itself is not kept there under -trimpath). Without Go on the machine (a host installed
# rather than built) it cannot be read: "unknown".
langhost_version() {
  command -v go >/dev/null || { echo unknown; return; }
  go version -m "$1" 2>/dev/null | awk '$1 == "mod" && $2 ~ /pulumi-language-nodejs/ { print $3; exit }'
}

setup_tools() {
  local npm_version cli_dir bin="$GANTRY_DATA_DIR/bin"
  local provider="$GANTRY_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  npm_version="$(node -p 'require("@pulumi/pulumi/package.json").version' 2>/dev/null)" \
    || die "@pulumi/pulumi is not installed"
  [ "$npm_version" = "$PULUMI_VERSION" ] \
    || die "npm @pulumi/pulumi is $npm_version but PULUMI_VERSION is $PULUMI_VERSION: keep them equal"
  cli_dir="$(bash "$GANTRY_ROOT/scripts/setup/pulumi.sh")"
  # The CLI found on PATH may be our own link (a shell that sourced .data/env): link to its target.
  cli_dir="$(dirname "$(readlink -f "$cli_dir/pulumi")")"
  [ -f "$provider" ] || die "$provider is missing"
  # npm does not keep the executable bit of non-bin files when install scripts are off.
  [ -x "$provider" ] || chmod +x "$provider"
  mkdir -p "$bin"
  ln -sfn "$cli_dir/pulumi" "$bin/pulumi"
  ln -sfn "$cli_dir/pulumi-language-nodejs" "$bin/pulumi-language-nodejs"
  ln -sfn "$provider" "$bin/pulumi-resource-pulumi-nodejs"
  path_prepend "$bin"
  [ "$(pulumi version)" = "v$PULUMI_CLI_VERSION" ] \
    || die "pulumi version prints $(pulumi version), expected v$PULUMI_CLI_VERSION"
  local host_version
  host_version="$(langhost_version "$(readlink -f "$bin/pulumi-language-nodejs")")"
  [ "$host_version" = "$PULUMI_LANGUAGE_NODEJS_VERSION" ] || [ "$host_version" = unknown ] \
    || die "pulumi-language-nodejs is ${host_version:-of an unknown version}, expected $PULUMI_LANGUAGE_NODEJS_VERSION (of npm @pulumi/pulumi $PULUMI_VERSION)"
}
