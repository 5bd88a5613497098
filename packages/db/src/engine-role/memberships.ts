// The engine's role memberships, put right by setup: exactly the roles the role functions manage,
// without ADMIN OPTION. Older Gantrys gave the engine CREATEROLE and it made its stacks' roles
// itself (then joined each one): those are adopted into the functions' registry. Anything else it
// joined, as a CREATEROLE role could (pg_execute_server_program, another team's role), is revoked.
import type pg from "pg";
import { ROLE_FUNCTIONS_OWNER } from "./role-functions.ts";

interface Membership {
  role: string;
  grantor: string;
  admin: boolean;
  managed: boolean;
}

/** Postgres 16 records one membership per grantor, and revoking one must name its grantor. */
async function serverMajor(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Math.floor(Number(rows[0]?.v) / 10000);
}

/** Registers the stack roles an older engine made: roles it joined, named g_…, with no attribute. */
async function adoptLegacyRoles(client: pg.Client, engineRole: string, major: number): Promise<void> {
  await client.query(
    `DELETE FROM gantry_roles.managed_roles m
     WHERE NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.oid = m.role_oid AND r.rolname = m.role_name)`,
  );
  const { rows } = await client.query<{ name: string }>(
    `INSERT INTO gantry_roles.managed_roles (role_oid, role_name)
     SELECT DISTINCT r.oid, r.rolname FROM pg_auth_members m
     JOIN pg_roles r ON r.oid = m.roleid
     WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = $1)
       AND r.rolname ~ '^g_[a-z0-9_]{1,61}$'
       AND NOT (r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls)
     ON CONFLICT DO NOTHING
     RETURNING role_name AS name`,
    [engineRole],
  );
  // From 16, CREATEROLE governs only roles one holds ADMIN OPTION on: the functions' owner gets it
  // on the roles it did not create itself (neither inheriting their rights nor able to SET to them).
  if (major < 16) return;
  for (const { name } of rows) {
    await client.query(
      `GRANT ${client.escapeIdentifier(name)} TO ${ROLE_FUNCTIONS_OWNER} WITH ADMIN OPTION, INHERIT FALSE, SET FALSE`,
    );
  }
}

async function engineMemberships(client: pg.Client, engineRole: string): Promise<Membership[]> {
  const { rows } = await client.query<Membership>(
    `SELECT r.rolname AS role, g.rolname AS grantor, m.admin_option AS admin,
            EXISTS (SELECT 1 FROM gantry_roles.managed_roles x WHERE x.role_oid = r.oid) AS managed
     FROM pg_auth_members m
     JOIN pg_roles r ON r.oid = m.roleid
     LEFT JOIN pg_roles g ON g.oid = m.grantor
     WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
    [engineRole],
  );
  return rows;
}

/** Adopts the legacy roles, then leaves the engine in the managed roles only, without ADMIN OPTION. */
export async function settleEngineMemberships(client: pg.Client, engineRole: string): Promise<void> {
  const major = await serverMajor(client);
  await adoptLegacyRoles(client, engineRole, major);
  const engine = client.escapeIdentifier(engineRole);
  for (const membership of await engineMemberships(client, engineRole)) {
    if (membership.managed && !membership.admin) continue;
    const role = client.escapeIdentifier(membership.role);
    const grantedBy =
      major >= 16 && membership.grantor ? ` GRANTED BY ${client.escapeIdentifier(membership.grantor)}` : "";
    // CASCADE: grants the engine made with that ADMIN OPTION go with it.
    const what = membership.managed ? `ADMIN OPTION FOR ${role}` : role;
    await client.query(`REVOKE ${what} FROM ${engine}${grantedBy} CASCADE`);
  }
  // From 16 the admin-only membership an older engine got for each role it created lets it neither
  // use the role's rights nor SET to it: the membership the engine needs is granted explicitly.
  if (major >= 16) {
    for (const membership of await engineMemberships(client, engineRole)) {
      if (!membership.managed) continue;
      await client.query(
        `GRANT ${client.escapeIdentifier(membership.role)} TO ${engine} WITH INHERIT TRUE, SET TRUE`,
      );
    }
  }
}
