// Whole rows of stacks and operations for raw SQL, under Prisma's field names. The lists come from
// the generated client's field enums (every column is its field's snake_case), so a column added
// to the schema is read by every raw statement at once, not only by those someone remembered.
import { Prisma } from "./generated/prisma/client.ts";
import type { OperationModel, StackModel } from "./generated/prisma/models.ts";

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function columns(fields: readonly string[], alias: string, prefix: string): Prisma.Sql {
  return Prisma.raw(fields.map((field) => `${alias}.${snake(field)} AS "${prefix}${field}"`).join(", "));
}

const STACK_FIELDS: readonly string[] = Object.values(Prisma.StackScalarFieldEnum);
const OPERATION_FIELDS: readonly string[] = Object.values(Prisma.OperationScalarFieldEnum).filter(
  (field) => field !== "plan",
);

/** Every column of `stacks` as `alias`, named as Prisma names the fields. */
export function stackColumns(alias: string): Prisma.Sql {
  return columns(STACK_FIELDS, alias, "");
}

/**
 * Every column of `operations` as `alias`, each field name after `prefix`, except the saved plan:
 * the engine's plan file (large, its secrets sealed) is read only by the worker that applies it.
 */
export function operationColumns(alias: string, prefix: string): Prisma.Sql {
  return columns(OPERATION_FIELDS, alias, prefix);
}

/** A model's fields of type Date (nullable or not). */
type DateFields<Model> = {
  [F in keyof Model]-?: NonNullable<Model[F]> extends Date ? F : never;
}[keyof Model];

const STACK_DATES = [
  "driftCheckedAt",
  "driftNextCheckAt",
  "expiresAt",
  "expiryWarnedAt",
  "createdAt",
  "updatedAt",
] as const satisfies readonly DateFields<StackModel>[];
const OPERATION_DATES = [
  "leaseUntil",
  "cancelRequestedAt",
  "notBefore",
  "createdAt",
  "startedAt",
  "finishedAt",
] as const satisfies readonly DateFields<OperationModel>[];
// A date column added to either model and missing above fails to compile here.
type Unlisted =
  | Exclude<DateFields<StackModel>, (typeof STACK_DATES)[number]>
  | Exclude<DateFields<OperationModel>, (typeof OPERATION_DATES)[number]>;
const everyDateListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyDateListed;

/**
 * A select's rows as one `json` column each (`row`), under the select's column names: one value to
 * decode per row where node-postgres would decode every column on its own (about forty-five for a
 * stack with its operation), and JSON.parse is native. Dates come back as text: splitStackRow turns
 * them back into Dates. `orderBy` is the outer order, by the select's names.
 */
export function asJsonRows(select: Prisma.Sql, orderBy?: string): Prisma.Sql {
  const order = orderBy ? Prisma.raw(` ORDER BY ${orderBy}`) : Prisma.empty;
  return Prisma.sql`SELECT row_to_json(r) AS row FROM (${select}) r${order}`;
}

function toDate(value: unknown): unknown {
  return typeof value === "string" ? new Date(value) : value;
}

type Split = (row: Record<string, unknown>) => {
  stack: Record<string, unknown>;
  operation: Record<string, unknown> | undefined;
};

/**
 * The body of splitStackRow, generated from the field lists (as serialization's copies are): each
 * object one literal with its fields in order, so every stack read shares one shape. Built key by
 * key in a loop, the split was 7% of a list page's CPU. Keys are written with JSON.stringify, so
 * any field name is a string literal.
 */
function compileSplit(): Split {
  const fields = (names: readonly string[], prefix: string, dates: ReadonlySet<string>) =>
    names
      .map((field) => {
        const value = `row[${JSON.stringify(prefix + field)}]`;
        return `${JSON.stringify(field)}: ${dates.has(field) ? `toDate(${value})` : value}`;
      })
      .join(", ");
  const stack = fields(STACK_FIELDS, "", new Set(STACK_DATES));
  const operation = fields(OPERATION_FIELDS, "op_", new Set(OPERATION_DATES));
  return new Function(
    "toDate",
    `return function splitStackRow(row) {
      const stack = { ${stack} };
      if (row.op_id === null || row.op_id === undefined) return { stack, operation: undefined };
      return { stack, operation: { ${operation} } };
    };`,
  )(toDate) as Split;
}

/**
 * A row read with stackColumns and operationColumns(…, "op_") split into the stack's fields and
 * the operation's (undefined when a left join found none), by the known field lists. Dates read as
 * text (asJsonRows) become Dates again. The row is left as it was.
 */
export const splitStackRow: Split = compileSplit();
