// Resolved tokens kept in memory, so a request costs no database round trip to authenticate.
// Revocation stays immediate on every API process: a trigger on api_tokens (and on team renames)
// notifies TOKENS_CHANNEL on commit, and each process drops its whole cache when notified. The
// cache serves only while its LISTEN connection is up: from a break until LISTEN is in effect
// again, every token is read from the database, and the cache starts empty afterwards.
// Expiry needs no notification: the cached row's expiresAt is checked on every request.
import { type Logger, TOKENS_CHANNEL } from "@gantry/core";
import { type ApiTokenModel, listen } from "@gantry/db";

/** A token row with its team's name, as resolution reads it. */
export type TokenRow = ApiTokenModel & { team: { name: string } };

export interface TokenCache {
  get(hash: string): TokenRow | undefined;
  /** A row read from the database; kept only if nothing changed since `generation` was taken. */
  set(hash: string, row: TokenRow, generation: number): void;
  /** Taken before a read, handed back to set(): a notification in between voids the read. */
  generation(): number;
  /** The row's lastUsedAt was written: keep the cached copy in step, so it is written once a minute. */
  touched(hash: string, at: Date): void;
  close(): Promise<void>;
}

/** Far more tokens than a deployment has; past it the cache starts over rather than grow. */
const MAX_ENTRIES = 10_000;

export function createTokenCache(deps: { databaseUrl: string; logger: Logger }): TokenCache {
  const rows = new Map<string, TokenRow>();
  let listening = false;
  let generation = 0;
  const invalidate = () => {
    generation += 1;
    rows.clear();
  };
  const listener = listen(deps.databaseUrl, TOKENS_CHANNEL, invalidate, deps.logger, {
    onListening: () => {
      invalidate();
      listening = true;
    },
    onLost: () => {
      listening = false;
      invalidate();
    },
  });

  return {
    get: (hash) => (listening ? rows.get(hash) : undefined),
    set(hash, row, readAt) {
      if (!listening || readAt !== generation) return;
      if (rows.size >= MAX_ENTRIES) rows.clear();
      rows.set(hash, row);
    },
    generation: () => generation,
    touched(hash, at) {
      const row = rows.get(hash);
      if (row) row.lastUsedAt = at;
    },
    close: () => listener.stop(),
  };
}
