// The secret input hand-off's read on a real database: a seal that does not open is told apart from
// a read that failed, because the worker refuses a run for the first and retries it for the second.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { useTeamDatabase } from "../../../tests/support/team-database.ts";
import { createDb, handOffSecretInputs, pendingSecretInputs, UnopenableSecretInputs } from "../src/index.ts";

const KEY = randomBytes(32);
const ctx = useTeamDatabase("secret-inputs", 2);
let stackId: string;

beforeAll(async () => {
  stackId = (
    await ctx.db.stack.create({
      data: { teamId: ctx.teamId, kind: "kubernetes-cluster", name: "k", spec: {} },
    })
  ).id;
  await handOffSecretInputs(ctx.db, KEY, stackId, { kubeconfig: "apiVersion: v1" });
});

describe("pendingSecretInputs", () => {
  it("opens the values with the key they were sealed with", async () => {
    expect(await pendingSecretInputs(ctx.db, KEY, stackId)).toEqual({
      values: { kubeconfig: "apiVersion: v1" },
      version: 1,
    });
  });

  it("says a seal cannot be opened without the key or with another one", async () => {
    await expect(pendingSecretInputs(ctx.db, undefined, stackId)).rejects.toThrow(
      new UnopenableSecretInputs(
        "secret inputs are waiting for this stack, but GANTRY_SECRET_INPUT_KEY is not set",
      ),
    );
    const other = pendingSecretInputs(ctx.db, randomBytes(32), stackId);
    await expect(other).rejects.toBeInstanceOf(UnopenableSecretInputs);
    await expect(other).rejects.toThrow(/the seal does not open with this key/);
  });

  it("lets a failed read through as it is, not as a seal that does not open", async () => {
    // Nothing listens on port 1: the read fails as it does when the database's session is cut.
    const unreachable = createDb(ctx.url.replace(/@[^/]+\//, "@127.0.0.1:1/"), { poolSize: 1 });
    try {
      const error = await pendingSecretInputs(unreachable, KEY, stackId).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(UnopenableSecretInputs);
    } finally {
      await unreachable.$disconnect();
    }
  });
});
