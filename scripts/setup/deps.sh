# npm dependencies (sourced), installed only when package-lock.json changed since the last install:
# its hash is kept in node_modules, so a warm run costs one sha256sum.

deps_hash() { sha256sum <"$GANTRY_ROOT/package-lock.json" | cut -d' ' -f1; }

setup_deps() {
  local stamp="$GANTRY_ROOT/node_modules/.gantry-lock-hash"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(deps_hash)" ]; then return; fi
  # Install scripts stay off (npm's allowScripts): nothing here needs them, and Prisma's would
  # try to download engines. A fresh tree gets exactly the lockfile (`npm ci`); an existing one is
  # updated in place, since `npm ci` would first delete node_modules under running processes.
  if [ -d "$GANTRY_ROOT/node_modules" ]; then
    say "npm install (package-lock.json changed)"
    (cd "$GANTRY_ROOT" && npm install --no-audit --no-fund --loglevel=error >&2)
  else
    say "npm ci"
    # A lockfile written where the registry lacked other platforms' optional packages (biome,
    # turbo) has no entries for them and `npm ci` calls it out of sync; `npm install` then installs
    # the same locked versions, adding only the entries it can find.
    local log="$GANTRY_DATA_DIR/logs/npm-ci.log"
    if ! (cd "$GANTRY_ROOT" && npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1); then
      say "npm ci refused the lockfile (see $log); npm install instead"
      (cd "$GANTRY_ROOT" && npm install --no-audit --no-fund --loglevel=error >&2)
    fi
  fi
  # Hashed after the install: `npm install` may have brought the lockfile up to date.
  deps_hash >"$stamp"
}
