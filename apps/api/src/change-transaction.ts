// How long a change may wait for its turn. Changes to one stack (and cancels of one operation)
// queue on a row lock: a burst of requests for one row waits for a pool connection, then for the
// lock, instead of failing after Prisma's 2 s default. A wait longer than this answers 503 (P2028).
export const CHANGE_TX = { maxWait: 30_000, timeout: 30_000 };
