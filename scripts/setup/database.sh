# The Prisma client and the database schema (sourced).
# `prisma generate` needs no schema engine, but Prisma's CLI insists on locating one: any
# executable in PRISMA_SCHEMA_ENGINE_BINARY satisfies it, and the engine cannot be downloaded here.
# Migrations go through packages/db/src/migrate, which uses `prisma migrate deploy` when a real
# engine is configured and applies the same files itself otherwise.

export CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1

setup_prisma_client() {
  local out="$GANTRY_ROOT/packages/db/src/generated/prisma" stamp hash
  stamp="$out/.gantry-schema-hash"
  hash="$(cat "$GANTRY_ROOT/prisma/schema.prisma" "$GANTRY_ROOT/node_modules/prisma/package.json" | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then return; fi
  say "prisma generate"
  (cd "$GANTRY_ROOT" && PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/true}" \
    node node_modules/prisma/build/index.js generate >"$GANTRY_DATA_DIR/logs/prisma-generate.log" 2>&1) \
    || { cat "$GANTRY_DATA_DIR/logs/prisma-generate.log" >&2; die "prisma generate failed"; }
  echo "$hash" >"$stamp"
}

setup_migrations() {
  (cd "$GANTRY_ROOT" && node packages/db/src/migrate/main.ts) || die "migrations failed"
}

# The engine's own role (packages/db/src/engine-role): the engine gets GANTRY_PG_SERVER_URL with it,
# never Gantry's DATABASE_URL. A GANTRY_PG_SERVER_URL given by the caller is used as it is.
setup_engine_role() {
  if [ -n "${GANTRY_PG_SERVER_URL:-}" ]; then return; fi
  local password
  password="$(kept_secret engine-db-password)"
  GANTRY_PG_SERVER_URL="$(cd "$GANTRY_ROOT" && DATABASE_URL="$DATABASE_URL" GANTRY_ENGINE_DB_PASSWORD="$password" \
    node packages/db/src/engine-role/main.ts)" || die "could not set up the engine's database role"
}
