// `npm run admin -- token create|list|revoke`: the token is the last line, listings show no
// secrets, and every change is in the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../../tests/e2e/processes.ts";
import { hashToken } from "../src/auth/tokens.ts";
import { startApi, type TestApi, unique } from "./support.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

const admin = (...args: string[]) =>
  runCommand(["apps/api/src/admin.ts", "token", ...args], { DATABASE_URL: api.url });

describe("the admin CLI", () => {
  it("creates, lists and revokes tokens, and audits the changes", async () => {
    const team = unique("cli");
    const token = (await admin("create", "--team", team, "--role", "operator", "--name", "deploy"))
      .trim()
      .split("\n")
      .at(-1) as string;
    expect(token).toMatch(/^gnt_[A-Za-z0-9_-]{43}$/);
    const row = await api.db.apiToken.findUniqueOrThrow({ where: { hash: hashToken(token) } });

    const listed = await admin("list", "--team", team);
    expect(listed).toContain(row.prefix);
    expect(listed).toMatch(/operator/);
    expect(listed).not.toContain(token);

    expect(await admin("revoke", row.prefix)).toContain(`Revoked token ${row.prefix}`);
    expect(await admin("list", "--team", team)).toMatch(/revoked \d{4}-/);

    const entries = await api.db.auditEntry.findMany({
      where: { teamId: row.teamId },
      orderBy: { at: "asc" },
    });
    expect(entries.map((e) => [e.actor, e.action, e.targetId])).toEqual([
      ["admin-cli", "token.create", row.prefix],
      ["admin-cli", "token.revoke", row.prefix],
    ]);
  });
});
