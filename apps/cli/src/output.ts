// What commands print: a table for people or JSON for programs (-o json), on stdout; progress and
// notes on stderr, so `gantry … -o json | jq` always gets clean JSON.

export type Format = "table" | "json";

export interface Output {
  format: Format;
  /** stderr is a terminal: show progress. */
  interactive: boolean;
  /** A line on stdout. */
  line(text: string): void;
  /** A note on stderr (never part of the result). */
  note(text: string): void;
  json(value: unknown): void;
  /** Rows as aligned columns under a header; "-" for empty cells. */
  table(header: readonly string[], rows: readonly (readonly unknown[])[]): void;
}

export function createOutput(format: Format): Output {
  const line = (text: string) => void process.stdout.write(`${text}\n`);
  return {
    format,
    interactive: Boolean(process.stderr.isTTY),
    line,
    note: (text) => void process.stderr.write(`${text}\n`),
    json: (value) => line(JSON.stringify(value, null, 2)),
    table: (header, rows) => {
      for (const row of formatTable(header, rows)) line(row);
    },
  };
}

/**
 * kubectl-style columns (two spaces apart, no borders): easy to read and to cut or awk. Simple
 * enough that a table library would add more than it saves.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly unknown[])[]): string[] {
  const cells = [header, ...rows.map((row) => row.map(cell))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => String(row[i] ?? "").length)));
  return cells.map((row) =>
    row
      .map((value, i) => (i === row.length - 1 ? String(value) : String(value).padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

function cell(value: unknown): string {
  if (value === null || value === undefined || value === "") return "-";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** "3m12s ago"-style age of an ISO timestamp, for tables. */
export function age(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "-";
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}
