# The web console (sourced): its static build, which the API serves at /ui, and, for the tests
# only, the Chromium that drives it. The build runs again only when its sources, the typed client's
# or the lockfile changed since the last one (a hash kept beside the build), so a warm run costs
# one sha256sum.

console_sources_hash() {
  (
    cd "$GANTRY_ROOT"
    # The console bundles the typed client's sources too.
    find apps/console packages/client/src -path apps/console/dist -prune -o -path '*/node_modules' -prune \
      -o -type f -print | LC_ALL=C sort | xargs sha256sum
    sha256sum package-lock.json
  ) | sha256sum | cut -d' ' -f1
}

setup_console() {
  local stamp="$GANTRY_ROOT/apps/console/dist/.gantry-src-hash" hash
  hash="$(console_sources_hash)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then return; fi
  say "building the web console (apps/console)"
  (cd "$GANTRY_ROOT" && npm run -s build -w @gantry/console >"$GANTRY_DATA_DIR/logs/console-build.log" 2>&1) \
    || { tail -n 30 "$GANTRY_DATA_DIR/logs/console-build.log" >&2; die "the console build failed"; }
  echo "$hash" >"$stamp"
}

# Debian's Chromium for the console's browser test (playwright-core drives it by its path);
# installed when missing and setup runs as root, like Postgres. GANTRY_CHROMIUM names another.
# Without one, only that test fails (saying so), not the whole run.
setup_chromium() {
  if [ -z "${GANTRY_CHROMIUM:-}" ]; then
    if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ]; then apt_install chromium; fi
    GANTRY_CHROMIUM="$(command -v chromium || true)"
    [ -n "$GANTRY_CHROMIUM" ] || say "no chromium: install Debian's (apt-get install chromium) or set GANTRY_CHROMIUM for the console's test"
  fi
  export GANTRY_CHROMIUM
}
