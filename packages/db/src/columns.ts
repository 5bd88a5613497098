// Whole rows of stacks and operations for raw SQL, under Prisma's field names. The lists come from
// the generated client's field enums (every column is its field's snake_case), so a column added
// to the schema is read by every raw statement at once, not only by those someone remembered.
import { Prisma } from "./generated/prisma/client.ts";

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

const PREFIXED_OPERATION_FIELDS = OPERATION_FIELDS.map((field) => [field, `op_${field}`] as const);

/**
 * A row read with stackColumns and operationColumns(…, "op_") split into the stack's fields and
 * the operation's (undefined when a left join found none), by the known field lists: a list page
 * splits a few thousand columns, and scanning each row's keys by prefix was a tenth of its CPU.
 */
export function splitStackRow(row: Record<string, unknown>): {
  stack: Record<string, unknown>;
  operation: Record<string, unknown> | undefined;
} {
  const stack: Record<string, unknown> = {};
  for (const field of STACK_FIELDS) stack[field] = row[field];
  if (row.op_id === null || row.op_id === undefined) return { stack, operation: undefined };
  const operation: Record<string, unknown> = {};
  for (const [field, column] of PREFIXED_OPERATION_FIELDS) operation[field] = row[column];
  return { stack, operation };
}
