// Whole rows of stacks and operations for raw SQL, under Prisma's field names. The lists come from
// the generated client's field enums (every column is its field's snake_case), so a column added
// to the schema is read by every raw statement at once, not only by those someone remembered.
import { Prisma } from "./generated/prisma/client.ts";

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function columns(fields: readonly string[], alias: string, prefix: string): Prisma.Sql {
  return Prisma.raw(fields.map((field) => `${alias}.${snake(field)} AS "${prefix}${field}"`).join(", "));
}

/** Every column of `stacks` as `alias`, named as Prisma names the fields. */
export function stackColumns(alias: string): Prisma.Sql {
  return columns(Object.values(Prisma.StackScalarFieldEnum), alias, "");
}

/**
 * Every column of `operations` as `alias`, each field name after `prefix`, except the saved plan:
 * the engine's plan file (large, its secrets sealed) is read only by the worker that applies it.
 */
export function operationColumns(alias: string, prefix: string): Prisma.Sql {
  const fields = Object.values(Prisma.OperationScalarFieldEnum).filter((field) => field !== "plan");
  return columns(fields, alias, prefix);
}
