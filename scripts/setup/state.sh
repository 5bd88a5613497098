# Pulumi's state backend (sourced). By default the DIY Postgres backend in Gantry's own database
# (schema gantry_state, reached by the role gantry_state: packages/db/src/state-store), so every
# worker on every machine shares it and the database's backups hold it. A GANTRY_STATE_BACKEND_URL
# given by the caller (file://, s3://, postgres://) is used as it is.

setup_state_backend() {
  if [ -n "${GANTRY_STATE_BACKEND_URL:-}" ]; then return; fi
  local password
  password="$(kept_secret state-db-password)"
  GANTRY_STATE_BACKEND_URL="$(cd "$GANTRY_ROOT" && DATABASE_URL="$DATABASE_URL" GANTRY_STATE_DB_PASSWORD="$password" \
    node packages/db/src/state-store/main.ts)" || die "could not set up the state backend's database role"
}

# Stacks of the earlier default (file://<data dir>/state) move into the configured backend here,
# once, before the API or a worker opens them: setup runs first on every start, and alone.
setup_state_migration() {
  [ -d "$GANTRY_DATA_DIR/state/.pulumi" ] || return 0
  case "$GANTRY_STATE_BACKEND_URL" in "file://$GANTRY_DATA_DIR/state" | "file://$GANTRY_DATA_DIR/state/") return 0 ;; esac
  say "moving the stacks of $GANTRY_DATA_DIR/state into the configured state backend"
  (cd "$GANTRY_ROOT" && node packages/engine/src/state/migrate-main.ts) || die "state migration failed"
}
