// The secret input hand-off's read on a real database: a seal that does not open is told apart from
// a read that failed, because the worker refuses a run for the first and retries it for the second.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";
import {
  createDb,
  type Db,
  handOffSecretInputs,
  pendingSecretInputs,
  UnopenableSecretInputs,
} from "../src/index.ts";

const KEY = randomBytes(32);
let database: TestDatabase;
let db: Db;
let stackId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { poolSize: 2 });
  const team = await db.team.create({ data: { name: "secret-inputs" } });
  stackId = (
    await db.stack.create({ data: { teamId: team.id, kind: "kubernetes-cluster", name: "k", spec: {} } })
  ).id;
  await handOffSecretInputs(db, KEY, stackId, { kubeconfig: "apiVersion: v1" });
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe("pendingSecretInputs", () => {
  it("opens the values with the key they were sealed with", async () => {
    expect(await pendingSecretInputs(db, KEY, stackId)).toEqual({
      values: { kubeconfig: "apiVersion: v1" },
      version: 1,
    });
  });

  it("says a seal cannot be opened without the key or with another one", async () => {
    await expect(pendingSecretInputs(db, undefined, stackId)).rejects.toThrow(
      new UnopenableSecretInputs(
        "secret inputs are waiting for this stack, but GANTRY_SECRET_INPUT_KEY is not set",
      ),
    );
    const other = pendingSecretInputs(db, randomBytes(32), stackId);
    await expect(other).rejects.toBeInstanceOf(UnopenableSecretInputs);
    await expect(other).rejects.toThrow(/the seal does not open with this key/);
  });

  it("lets a failed read through as it is, not as a seal that does not open", async () => {
    // Nothing listens on port 1: the read fails as it does when the database's session is cut.
    const unreachable = createDb(database.url.replace(/@[^/]+\//, "@127.0.0.1:1/"), { poolSize: 1 });
    try {
      const error = await pendingSecretInputs(unreachable, KEY, stackId).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(UnopenableSecretInputs);
    } finally {
      await unreachable.$disconnect();
    }
  });
});
