// Secret input hand-off (README, Secret inputs): the values of a stack's writeOnly spec fields
// travel from the API to the engine sealed with AES-256-GCM under GANTRY_SECRET_INPUT_KEY, a key
// the database never holds, in one row per stack. The API merges each change's values into it in
// the transaction that queues the change; a run reads them, puts them into the stack's encrypted
// Pulumi state, and deletes the row if no newer hand-off came meanwhile.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Prisma } from "./generated/prisma/client.ts";

type Tx = Pick<Prisma.TransactionClient, "secretInputHandoff">;

/** The key from its configured form: 64 hex characters (32 bytes). */
export function secretInputKey(hex: string): Buffer {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error("GANTRY_SECRET_INPUT_KEY must be 64 hex characters");
  return Buffer.from(hex, "hex");
}

function seal(key: Buffer, stackId: string, values: Record<string, string>): Uint8Array<ArrayBuffer> {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  // Bound to its stack: a row copied to another stack does not open.
  cipher.setAAD(Buffer.from(stackId));
  const body = Buffer.concat([cipher.update(JSON.stringify(values), "utf8"), cipher.final()]);
  return new Uint8Array(Buffer.concat([nonce, cipher.getAuthTag(), body]));
}

function open(key: Buffer, stackId: string, sealed: Uint8Array): Record<string, string> {
  const bytes = Buffer.from(sealed);
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(stackId));
  decipher.setAuthTag(bytes.subarray(12, 28));
  const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  return JSON.parse(text) as Record<string, string>;
}

/** Adds `values` to the stack's pending hand-off (newer values win). Call within the change's transaction. */
export async function handOffSecretInputs(
  tx: Tx,
  key: Buffer,
  stackId: string,
  values: Record<string, string>,
): Promise<void> {
  const pending = await tx.secretInputHandoff.findUnique({ where: { stackId } });
  const merged = { ...(pending ? open(key, stackId, pending.sealed) : {}), ...values };
  const sealed = seal(key, stackId, merged);
  await tx.secretInputHandoff.upsert({
    where: { stackId },
    create: { stackId, sealed },
    update: { sealed, version: { increment: 1 }, updatedAt: new Date() },
  });
}

export interface PendingSecretInputs {
  values: Record<string, string>;
  version: number;
}

/**
 * A hand-off that is there but cannot be opened (no key, another key, a row not sealed for this
 * stack). Retrying does not help, unlike a failed read, which this never stands for.
 */
export class UnopenableSecretInputs extends Error {
  override name = "UnopenableSecretInputs";
}

/**
 * The values handed off and not yet in the state; undefined when there are none. Throws
 * UnopenableSecretInputs when they cannot be opened, and the database's own error when the read fails.
 */
export async function pendingSecretInputs(
  db: Tx,
  key: Buffer | undefined,
  stackId: string,
): Promise<PendingSecretInputs | undefined> {
  const pending = await db.secretInputHandoff.findUnique({ where: { stackId } });
  if (!pending) return undefined;
  if (!key)
    throw new UnopenableSecretInputs(
      "secret inputs are waiting for this stack, but GANTRY_SECRET_INPUT_KEY is not set",
    );
  try {
    return { values: open(key, stackId, pending.sealed), version: pending.version };
  } catch (err) {
    throw new UnopenableSecretInputs(`the seal does not open with this key (${(err as Error).message})`);
  }
}

/**
 * After a run put them into the state: deletes the hand-off unless a newer one replaced it
 * (`version` omitted: whatever is there, as after a destroy).
 */
export async function clearSecretInputs(db: Tx, stackId: string, version?: number): Promise<void> {
  await db.secretInputHandoff.deleteMany({
    where: { stackId, ...(version === undefined ? {} : { version }) },
  });
}
