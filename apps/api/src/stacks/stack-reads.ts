// How the API reads stacks as it shows them (LoadedStack: the row, its dependencies and its latest
// operation): one SQL statement per read, where Prisma's include takes three (the stack, then each
// relation), each row one json value (asJsonRows), on the pool when not in a change's transaction
// (queryRows; batched-stack-reads.ts shares these statements between plain reads that arrive
// together): these are the API's hottest reads (README, API performance). The one place the API
// loads stacks; writes stay with Prisma in stacks-service.ts.
import {
  asJsonRows,
  type OperationModel,
  operationColumns,
  PREPARED,
  Prisma,
  queryRows,
  type RawRunner,
  splitStackRow,
  stackColumns,
} from "@gantry/db";
import { type Cursor, DEFAULT_LIMIT } from "../http/keyset-cursor.ts";
import type { LoadedStack } from "./stack-view.ts";

/** The pool for a plain read; a change's transaction to read what it wrote. */
export type StackReader = RawRunner;

/** The stack columns under Prisma's field names, and the latest operation's under `op_`. */
const COLUMNS = Prisma.sql`${stackColumns("s")}, d.list AS "dependsOn", ${operationColumns("o", "op_")}`;

/**
 * The relations of each row of `s`: newest operation first (as NEWEST_FIRST), dependencies by id
 * (those its dependsOn names now, not the released ones still held until an up without them).
 */
const RELATIONS = Prisma.sql`
  LEFT JOIN LATERAL (
    SELECT * FROM operations WHERE stack_id = s.id ORDER BY created_at DESC, id DESC LIMIT 1
  ) o ON true
  LEFT JOIN LATERAL (
    SELECT COALESCE(json_agg(json_build_object('id', t.id, 'name', t.name, 'kind', t.kind) ORDER BY t.id), '[]') AS list
    FROM stack_dependencies sd JOIN stacks t ON t.id = sd.depends_on_id
    WHERE sd.stack_id = s.id AND sd.released_at IS NULL
  ) d ON true`;

type Row = Omit<LoadedStack, "dependsOn" | "operations"> & {
  dependsOn: { id: string; name: string; kind: string }[];
} & { [column: `op_${string}`]: unknown };

function toLoaded({ row }: { row: Row }): LoadedStack {
  const { stack, operation } = splitStackRow(row);
  // The split's own object, completed (a spread into a new one copied every field again).
  return Object.assign(stack as Omit<LoadedStack, "dependsOn" | "operations">, {
    dependsOn: row.dependsOn.map((dependsOn) => ({ dependsOn })),
    operations: operation ? [operation as OperationModel] : [],
  });
}

/**
 * Stacks by id, whichever team they belong to (the caller checks the team: readStack, or the
 * batched reads, which read several teams' stacks in one statement). Every id must be a UUID.
 */
export async function readStacksById(
  db: StackReader,
  ids: readonly string[],
): Promise<Map<string, LoadedStack>> {
  // The ids go through ARRAY(SELECT …), which the planner cannot see into: under a plain
  // `= ANY($1)` it counted a batch's ids in each custom plan (1–4) and guessed 10 for the generic
  // one, so the generic plan never looked cheaper and the statement was planned at every run
  // (0.4 ms, twice its run). Now both guesses are the same and the generic plan is kept after
  // five runs (the same index scans).
  const rows = await queryRows<{ row: Row }>(
    db,
    Prisma.sql`${PREPARED} ${asJsonRows(Prisma.sql`
      SELECT ${COLUMNS} FROM stacks s ${RELATIONS}
      WHERE s.id = ANY(ARRAY(SELECT unnest(${ids}::uuid[])))`)}`,
  );
  return new Map(rows.map((row) => [row.row.id, toLoaded(row)]));
}

/** One of the team's stacks, or undefined. `id` must be a UUID. */
export async function readStack(
  db: StackReader,
  teamId: string,
  id: string,
): Promise<LoadedStack | undefined> {
  const stack = (await readStacksById(db, [id])).get(id);
  return stack?.teamId === teamId ? stack : undefined;
}

export interface StackFilter {
  kind?: string | undefined;
  status?: string | undefined;
  protected?: boolean | undefined;
  /** Rows after this one, newest first. */
  after?: Cursor | undefined;
  take: number;
}

/** The team's stacks, newest first (createdAt, then id), filtered. */
export async function readStacks(
  db: StackReader,
  teamId: string,
  filter: StackFilter,
): Promise<LoadedStack[]> {
  const conditions = [Prisma.sql`team_id = ${teamId}::uuid`];
  if (filter.kind) conditions.push(Prisma.sql`kind = ${filter.kind}`);
  if (filter.status) conditions.push(Prisma.sql`status = ${filter.status}`);
  if (filter.protected !== undefined) conditions.push(Prisma.sql`protected = ${filter.protected}`);
  if (filter.after)
    conditions.push(
      Prisma.sql`(created_at < ${filter.after.at}::timestamptz OR (created_at = ${filter.after.at}::timestamptz AND id < ${filter.after.id}::uuid))`,
    );
  // The default page (a page and one row more, to know whether another follows), which nearly
  // every list asks for, has its size in the text: under `LIMIT $n` Postgres cannot tell a page
  // from the whole team, so it planned every run anew (0.3–0.5 ms, about as long as the run) and
  // never kept the generic plan.
  const limit =
    filter.take === DEFAULT_LIMIT + 1 ? Prisma.raw(String(filter.take)) : Prisma.sql`${filter.take}`;
  // The page first, then its relations: the lateral joins run for the page's rows only.
  // Prepared: the conditions and the limit make at most 32 statement texts.
  const page = Prisma.sql`
    SELECT ${COLUMNS}
    FROM (
      SELECT * FROM stacks WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY created_at DESC, id DESC LIMIT ${limit}
    ) s ${RELATIONS}`;
  const rows = await queryRows<{ row: Row }>(
    db,
    Prisma.sql`${PREPARED} ${asJsonRows(page, `r."createdAt" DESC, r.id DESC`)}`,
  );
  return rows.map(toLoaded);
}
