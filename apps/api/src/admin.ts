// Operator CLI. `token create --team <team> --role <viewer|operator|admin> [--name x] [--expires-in-days n]`
// prints the new token as its last line (scripts take it from there); `token revoke <prefix>`;
// `token list --team <team>`.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { ROLES } from "@gantry/core";
import { createDb } from "@gantry/db";
import { createAuditService } from "./audit/audit-service.ts";
import { isRole } from "./auth/roles.ts";
import { createTokensService, type TokenInfo } from "./auth/tokens-service.ts";
import { loadConfig } from "./config.ts";

const USAGE = `usage:
  admin token create --team <team> --role <${ROLES.join("|")}> [--name <name>] [--expires-in-days <n>]
  admin token revoke <prefix>
  admin token list --team <team>`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      team: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      "expires-in-days": { type: "string" },
    },
  });
  const [group, command, ...rest] = positionals;
  if (group !== "token") throw new UsageError(`unknown command "${positionals.join(" ")}"`);

  const db = createDb(loadConfig().databaseUrl, { poolSize: 1 });
  const tokens = createTokensService({ db });
  const audit = createAuditService({ db });
  /** Token changes from the CLI are audited too: the actor is the CLI, run by whoever holds DATABASE_URL. */
  const recordChange = (teamId: string, action: string, targetId: string) =>
    audit.record({
      teamId,
      actor: "admin-cli",
      role: null,
      action,
      method: "CLI",
      route: `admin token ${action.split(".")[1]}`,
      targetId,
      requestId: randomUUID(),
      statusCode: 200,
      result: "ok",
      ip: null,
    });
  try {
    if (command === "create") {
      const { team, role, name } = values;
      if (!team) throw new UsageError("--team is required");
      if (!role || !isRole(role)) throw new UsageError(`--role must be one of: ${ROLES.join(", ")}`);
      const days = values["expires-in-days"];
      const expiresInDays = days === undefined ? undefined : Number(days);
      if (expiresInDays !== undefined && !(Number.isInteger(expiresInDays) && expiresInDays > 0)) {
        throw new UsageError("--expires-in-days must be a positive whole number");
      }
      const created = await tokens.create({ teamName: team, role, name, expiresInDays });
      await recordChange(created.teamId, "token.create", created.prefix);
      const expiry = created.expiresAt ? `expires ${created.expiresAt.toISOString()}` : "does not expire";
      process.stdout.write(`Created ${role} token ${created.prefix}… for team "${team}" (${expiry}).\n`);
      process.stdout.write("It is shown only once; store it now:\n");
      process.stdout.write(`${created.token}\n`);
    } else if (command === "list") {
      if (!values.team) throw new UsageError("--team is required");
      const team = await db.team.findUnique({ where: { name: values.team } });
      if (!team) throw new UsageError(`no team "${values.team}"`);
      for (const t of await tokens.list(team.id)) process.stdout.write(`${tokenLine(t)}\n`);
    } else if (command === "revoke" && rest.length === 1 && rest[0]) {
      const revoked = await tokens.revoke(rest[0]);
      const row = await db.apiToken.findUnique({ where: { prefix: rest[0] } });
      if (revoked && row) await recordChange(row.teamId, "token.revoke", row.prefix);
      process.stdout.write(
        revoked ? `Revoked token ${rest[0]}.\n` : `No active token with prefix ${rest[0]}.\n`,
      );
      if (!revoked) process.exitCode = 1;
    } else {
      throw new UsageError(`unknown command "${positionals.join(" ")}"`);
    }
  } finally {
    await db.$disconnect();
  }
}

function tokenLine(t: TokenInfo): string {
  const state = t.revokedAt
    ? `revoked ${t.revokedAt.toISOString()}`
    : t.expiresAt
      ? `expires ${t.expiresAt.toISOString()}`
      : "no expiry";
  const used = t.lastUsedAt ? `last used ${t.lastUsedAt.toISOString()}` : "never used";
  return [t.prefix, t.role.padEnd(8), state, used, t.name ?? ""].join("  ");
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  if (err instanceof UsageError) process.stderr.write(`${USAGE}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
}
