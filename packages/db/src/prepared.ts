// Named prepared statements for the hottest raw statements (a stack read, a list page, a create).
// Postgres plans such a statement for 0.4–0.5 ms on every execution and runs it in a tenth of
// that; prepared under a name, each connection parses it once and, after five executions, reuses
// a generic plan (Postgres keeps custom plans when they are cheaper). A statement opts in by
// starting with PREPARED; its name is a hash of its text, so one name is always one statement.
// Only marked statements are named: every named statement stays prepared on its connection for
// the connection's life, so they must be a small fixed set (not, say, an IN list of any length).
import { createHash } from "node:crypto";
import { Prisma } from "./generated/prisma/client.ts";

const MARK = "/* prepared */";

/** Put first in a raw statement: it is prepared under a name on each connection. */
export const PREPARED = Prisma.raw(`${MARK} `);

/** The adapter's statement names (PrismaPg's statementNameGenerator): marked statements only. */
export function preparedStatementName(query: { sql: string }): string {
  if (!query.sql.startsWith(MARK)) return undefined as unknown as string;
  let name = names.get(query.sql);
  if (!name) {
    name = `gantry_${createHash("sha256").update(query.sql).digest("hex").slice(0, 24)}`;
    names.set(query.sql, name);
  }
  return name;
}

/** Names by statement text: the marked statements are few, and each is named on every execution. */
const names = new Map<string, string>();
