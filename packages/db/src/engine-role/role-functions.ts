// The only way the engine manages roles: three SECURITY DEFINER functions in schema `gantry_roles`
// of the database the engine connects to, owned by `gantry_role_admin` (NOLOGIN, CREATEROLE and
// nothing else, so a flaw in them is worth CREATEROLE at most, never superuser). They create,
// change and drop LOGIN roles named like physical names (g_…) and refuse any role they did not
// create: the registry holds each one's oid, so a role dropped and re-made by someone else under
// the same name is not theirs. Installed, and replaced when changed, by setup (engine-role.ts).
import type pg from "pg";

export const ROLE_FUNCTIONS_SCHEMA = "gantry_roles";
export const ROLE_FUNCTIONS_OWNER = "gantry_role_admin";

/** A physical name (packages/stacks physical-name.ts); anything else is refused before any DDL. */
const NAME_PATTERN = "^g_[a-z0-9_]{1,61}$";
/** What libpq's PQencryptPasswordConn makes: a plaintext password never reaches the functions. */
const VERIFIER_PATTERN =
  "^SCRAM-SHA-256\\$[0-9]{1,7}:[A-Za-z0-9+/]+={0,2}\\$[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}$";

// Every function pins search_path: a SECURITY DEFINER function resolving names in the caller's
// path (pg_temp first, unless listed) would run the caller's look-alike tables or functions.
const PINNED = "SET search_path = pg_catalog, pg_temp";

const HELPERS = `
CREATE OR REPLACE FUNCTION gantry_roles.checked_args(login_name text, connection_limit integer)
RETURNS void LANGUAGE plpgsql ${PINNED} AS $fn$
BEGIN
  IF login_name IS NULL OR login_name !~ '${NAME_PATTERN}' THEN
    RAISE EXCEPTION 'not a name Gantry manages on Postgres' USING ERRCODE = '22023';
  END IF;
  IF connection_limit IS NULL OR connection_limit < -1 THEN
    RAISE EXCEPTION 'not a connection limit' USING ERRCODE = '22023';
  END IF;
  -- One call at a time per role: the checks below and the DDL after them see the same role.
  PERFORM pg_advisory_xact_lock(hashtext('gantry_roles:' || login_name));
END $fn$;

CREATE OR REPLACE FUNCTION gantry_roles.require_managed(login_name text)
RETURNS void LANGUAGE plpgsql ${PINNED} AS $fn$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM gantry_roles.managed_roles m
    JOIN pg_catalog.pg_roles r ON r.oid = m.role_oid AND r.rolname = m.role_name
    WHERE m.role_name = login_name
      AND NOT (r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls)
  ) THEN
    RAISE EXCEPTION 'role % exists and is not one Gantry manages', login_name USING ERRCODE = '42501';
  END IF;
END $fn$;
`;

const ENTRY_POINTS = `
CREATE OR REPLACE FUNCTION gantry_roles.create_login(login_name text, password_verifier text, connection_limit integer)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER ${PINNED} AS $fn$
BEGIN
  PERFORM gantry_roles.checked_args(login_name, connection_limit);
  IF password_verifier IS NULL OR password_verifier !~ '${VERIFIER_PATTERN}' THEN
    RAISE EXCEPTION 'the password must be a SCRAM-SHA-256 verifier' USING ERRCODE = '22023';
  END IF;
  -- Rows of roles dropped behind Gantry's back name nothing any more.
  DELETE FROM gantry_roles.managed_roles m
  WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.oid = m.role_oid AND r.rolname = m.role_name);
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = login_name) THEN
    -- Left by an interrupted run of the same stack: adopted with the new password, if it is ours.
    PERFORM gantry_roles.require_managed(login_name);
    EXECUTE format('ALTER ROLE %I WITH LOGIN CONNECTION LIMIT %s PASSWORD %L',
      login_name, connection_limit, password_verifier);
  ELSE
    EXECUTE format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION '
      'NOBYPASSRLS INHERIT CONNECTION LIMIT %s PASSWORD %L', login_name, connection_limit, password_verifier);
    INSERT INTO gantry_roles.managed_roles (role_oid, role_name)
      SELECT oid, rolname FROM pg_catalog.pg_roles WHERE rolname = login_name;
  END IF;
  -- The engine creates, hands over and drops the role's database itself (CREATE DATABASE cannot
  -- run in a function), which takes membership of the owner: of the roles made here, and only those.
  EXECUTE format('GRANT %I TO %I', login_name, session_user);
END $fn$;

CREATE OR REPLACE FUNCTION gantry_roles.alter_login(login_name text, connection_limit integer)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER ${PINNED} AS $fn$
BEGIN
  PERFORM gantry_roles.checked_args(login_name, connection_limit);
  PERFORM gantry_roles.require_managed(login_name);
  EXECUTE format('ALTER ROLE %I WITH LOGIN CONNECTION LIMIT %s', login_name, connection_limit);
END $fn$;

CREATE OR REPLACE FUNCTION gantry_roles.drop_login(login_name text)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER ${PINNED} AS $fn$
BEGIN
  PERFORM gantry_roles.checked_args(login_name, 0);
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = login_name) THEN
    DELETE FROM gantry_roles.managed_roles WHERE role_name = login_name;
    RETURN false;
  END IF;
  PERFORM gantry_roles.require_managed(login_name);
  EXECUTE format('DROP ROLE %I', login_name);
  DELETE FROM gantry_roles.managed_roles WHERE role_name = login_name;
  RETURN true;
END $fn$;
`;

const FUNCTIONS = [
  "checked_args(text, integer)",
  "require_managed(text)",
  "create_login(text, text, integer)",
  "alter_login(text, integer)",
  "drop_login(text)",
];
/** What the engine may call. */
const ENTRY_POINT_SIGNATURES = FUNCTIONS.slice(2);

/**
 * Creates or updates the owner role, the schema, the registry and the functions, and lets
 * `engineRole` (and nobody else) call the entry points. Runs on a client connected to the
 * engine's database, in the caller's transaction.
 */
export async function installRoleFunctions(client: pg.Client, engineRole: string): Promise<void> {
  const engine = client.escapeIdentifier(engineRole);
  const owner = ROLE_FUNCTIONS_OWNER;
  const { rows } = await client.query<{ exists: boolean; superuser: boolean; member: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists,
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1 AND pg_has_role(current_user, oid, 'MEMBER')) AS member`,
    [owner],
  );
  const state = rows[0];
  await client.query(`${state?.exists ? "ALTER" : "CREATE"} ROLE ${owner} WITH NOLOGIN CREATEROLE`);
  // An admin that is not a superuser (a managed server's) may hand objects to a role it belongs to.
  if (!state?.superuser && !state?.member) await client.query(`GRANT ${owner} TO CURRENT_USER`);
  await client.query(`CREATE SCHEMA IF NOT EXISTS gantry_roles AUTHORIZATION ${owner}`);
  await client.query(`ALTER SCHEMA gantry_roles OWNER TO ${owner}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS gantry_roles.managed_roles (
       role_oid oid PRIMARY KEY,
       role_name name NOT NULL UNIQUE,
       registered_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  await client.query(`ALTER TABLE gantry_roles.managed_roles OWNER TO ${owner}`);
  await client.query(HELPERS);
  await client.query(ENTRY_POINTS);
  await client.query(`REVOKE ALL ON SCHEMA gantry_roles FROM PUBLIC`);
  await client.query(`REVOKE ALL ON TABLE gantry_roles.managed_roles FROM PUBLIC`);
  for (const signature of FUNCTIONS) {
    await client.query(`ALTER FUNCTION gantry_roles.${signature} OWNER TO ${owner}`);
    await client.query(`REVOKE ALL ON FUNCTION gantry_roles.${signature} FROM PUBLIC`);
  }
  await client.query(`GRANT USAGE ON SCHEMA gantry_roles TO ${engine}`);
  for (const signature of ENTRY_POINT_SIGNATURES)
    await client.query(`GRANT EXECUTE ON FUNCTION gantry_roles.${signature} TO ${engine}`);
}
