# The resolved environment, written to <data dir>/env for `start`, `test`, vitest's global setup
# and anyone's shell (`set -a; . .data/env; set +a`). Values come from the caller's environment
# when given, else from the steps before (local servers) or from secrets kept under the data dir.
# Format: NAME='value' lines (valid shell, easy to parse), then one line that extends PATH.

setup_env() {
  # Engine secrets: a passphrase generated once per data dir (never a default in code).
  PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-$(kept_secret pulumi-passphrase)}"
  # Seals secret input values between the API and the workers (32 bytes as hex; README, Secret inputs).
  GANTRY_SECRET_INPUT_KEY="${GANTRY_SECRET_INPUT_KEY:-$(kept_secret secret-input-key 32)}"
  # Tests create and drop databases on the same server: an admin URL of its `postgres` database.
  GANTRY_TEST_PG_SERVER_URL="${GANTRY_TEST_PG_SERVER_URL:-$(node -e '
    const url = new URL(process.argv[1]); url.pathname = "/postgres"; console.log(url.href);' "$DATABASE_URL")}"
  PULUMI_SKIP_UPDATE_CHECK=true
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export DATABASE_URL REDIS_URL GANTRY_TEST_PG_SERVER_URL GANTRY_PG_SERVER_URL GANTRY_STATE_BACKEND_URL PULUMI_CONFIG_PASSPHRASE \
    GANTRY_SECRET_INPUT_KEY PULUMI_SKIP_UPDATE_CHECK PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION GANTRY_PATH_PREFIX
  local file="$GANTRY_DATA_DIR/env" tmp name
  tmp="$(mktemp "$file.XXXXXX")"
  {
    echo "# Written by scripts/gantry.sh setup on every run; edits are lost."
    for name in GANTRY_DATA_DIR DATABASE_URL REDIS_URL GANTRY_TEST_PG_SERVER_URL GANTRY_PG_SERVER_URL GANTRY_STATE_BACKEND_URL \
      PULUMI_CONFIG_PASSPHRASE GANTRY_SECRET_INPUT_KEY PULUMI_CLI_VERSION PULUMI_VERSION PULUMI_SKIP_UPDATE_CHECK \
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION GANTRY_PATH_PREFIX; do
      printf "%s='%s'\n" "$name" "${!name//\'/\'\\\'\'}"
    done
    # shellcheck disable=SC2016 # expanded by whoever sources the file
    echo 'PATH="$GANTRY_PATH_PREFIX${GANTRY_PATH_PREFIX:+:}$PATH"'
  } >"$tmp"
  chmod 600 "$tmp" && mv "$tmp" "$file"
}
