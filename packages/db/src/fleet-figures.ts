// The fleet's figures for the metrics endpoint, in one round trip: operations waiting or running
// (by kind, with the oldest one's age), stacks by drift status, and the outboxes' backlog. Each
// part reads an index or a small table, so a scrape costs about a millisecond however large the
// operations' history grows (finished operations are counted by the workers as they end).
import type { Db } from "./client.ts";

export interface FleetFigures {
  /** Operations queued or running, per operation kind, with the age of the oldest (seconds). */
  activeOperations: { kind: string; status: string; count: number; oldestAgeSeconds: number }[];
  /** Stacks that exist (not destroyed) per drift status. */
  driftStatuses: { status: string; count: number }[];
  /** Rows not yet handed on, and the age of the oldest (0 when none). */
  outbox: { pending: number; oldestAgeSeconds: number };
  webhookOutbox: { pending: number; oldestAgeSeconds: number };
}

interface Row {
  part: "active" | "drift" | "outbox" | "webhooks";
  a: string | null;
  b: string | null;
  n: number;
  age: number | null;
}

export async function readFleetFigures(db: Pick<Db, "$queryRaw">): Promise<FleetFigures> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT 'active' AS part, kind AS a, status AS b, count(*)::int AS n,
           extract(epoch FROM clock_timestamp() - min(created_at))::float8 AS age
      FROM operations WHERE status IN ('queued', 'running') GROUP BY kind, status
    UNION ALL
    SELECT 'drift', drift_status, NULL, count(*)::int, NULL
      FROM stacks WHERE status <> 'destroyed' GROUP BY drift_status
    UNION ALL
    SELECT 'outbox', NULL, NULL, count(*)::int,
           extract(epoch FROM clock_timestamp() - min(created_at))::float8
      FROM outbox WHERE dispatched_at IS NULL
    UNION ALL
    SELECT 'webhooks', NULL, NULL, count(*)::int,
           extract(epoch FROM clock_timestamp() - min(occurred_at))::float8
      FROM webhook_outbox`;
  const backlog = (part: Row["part"]) => {
    const row = rows.find((r) => r.part === part);
    return { pending: row?.n ?? 0, oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
  };
  return {
    activeOperations: rows
      .filter((r) => r.part === "active")
      .map((r) => ({
        kind: r.a ?? "",
        status: r.b ?? "",
        count: r.n,
        oldestAgeSeconds: Math.max(0, r.age ?? 0),
      })),
    driftStatuses: rows.filter((r) => r.part === "drift").map((r) => ({ status: r.a ?? "", count: r.n })),
    outbox: backlog("outbox"),
    webhookOutbox: backlog("webhooks"),
  };
}
