// The database schema.prisma describes, derived from Prisma's own reading of it (the DMMF, from
// Prisma's schema parser) with Prisma's PostgreSQL conventions: type mapping, default names of
// keys, indexes and foreign keys, referential actions, and what Prisma leaves to the client.
import { readFile } from "node:fs/promises";
import { getDMMF } from "@prisma/get-dmmf";
import type { Column, ForeignKey, Schema, Table } from "./introspect.ts";

type Document = Exclude<ReturnType<typeof getDMMF>, { type: "wasm-error" | "parse-json" }>;
type Model = Document["datamodel"]["models"][number];
type Field = Model["fields"][number];

export async function readDmmf(schemaPath: string): Promise<Document> {
  const result = getDMMF({ datamodel: await readFile(schemaPath, "utf8") });
  if ("reason" in result) throw new Error(`schema.prisma does not parse: ${result.reason}`);
  return result;
}

/** Prisma scalar types without @db.*: the Postgres type Prisma creates. */
const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Boolean: "boolean",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

/** @db.* native types, as Postgres' format_type() prints them. */
function nativeType([name, args]: readonly [string, readonly string[]]): string {
  const [a, b] = args;
  switch (name) {
    case "Uuid":
      return "uuid";
    case "Text":
      return "text";
    case "VarChar":
      return a ? `character varying(${a})` : "character varying";
    case "Char":
      return `character(${a ?? 1})`;
    case "Timestamptz":
      return `timestamp(${a ?? 6}) with time zone`;
    case "Timestamp":
      return `timestamp(${a ?? 6}) without time zone`;
    case "Date":
      return "date";
    case "Integer":
      return "integer";
    case "SmallInt":
      return "smallint";
    case "BigInt":
      return "bigint";
    case "Boolean":
      return "boolean";
    case "JsonB":
      return "jsonb";
    case "Json":
      return "json";
    case "Inet":
      return "inet";
    case "Decimal":
      return a ? `numeric(${a},${b ?? 0})` : "numeric";
    default:
      throw new Error(`@db.${name} is not mapped in this test yet: add it to nativeType()`);
  }
}

function columnName(field: Field): string {
  return field.dbName ?? field.name;
}

function columnType(field: Field): string {
  const base = field.nativeType ? nativeType(field.nativeType) : SCALAR_TYPES[field.type];
  if (!base) throw new Error(`${field.name}: type ${field.type} is not mapped in this test yet`);
  return field.isList ? `${base}[]` : base;
}

/**
 * The column default Postgres reports for a Prisma default. uuid()/cuid()/@updatedAt are filled
 * in by the client, so the database has none.
 */
function columnDefault(table: string, field: Field, type: string): string | null {
  const value = field.default;
  if (value === undefined) return null;
  if (Array.isArray(value)) {
    if (value.length > 0)
      throw new Error(`${field.name}: non-empty list defaults are not mapped in this test yet`);
    return `ARRAY[]::${type}`;
  }
  if (typeof value === "object" && value !== null && "name" in value) {
    switch (value.name) {
      case "autoincrement":
        return `nextval('${table}_${columnName(field)}_seq'::regclass)`;
      case "now":
        return "CURRENT_TIMESTAMP";
      case "uuid":
      case "cuid":
        return null;
      case "dbgenerated":
        // The SQL expression as written in schema.prisma, e.g. clock_timestamp().
        return String(value.args[0] ?? "");
      default:
        throw new Error(`${field.name}: default ${value.name}() is not mapped in this test yet`);
    }
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const cast = type.startsWith("character varying") ? "character varying" : type;
  return `'${String(value).replaceAll("'", "''")}'::${cast}`;
}

function column(table: string, field: Field): Column {
  const type = columnType(field);
  // Prisma creates scalar lists without NOT NULL, whatever the field says.
  return { type, nullable: field.isList || !field.isRequired, default: columnDefault(table, field, type) };
}

/** Prisma's default constraint and index names: table, columns, suffix, cut to Postgres' 63 bytes. */
function defaultName(table: string, columns: readonly string[], suffix: string): string {
  const base = `${table}_${columns.join("_")}`;
  return `${base.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}

// Prisma's defaults when a relation names no action: Restrict for a required relation, SetNull
// for an optional one; updates cascade.
function foreignKey(models: readonly Model[], model: Model, relation: Field): ForeignKey {
  const target = models.find((m) => m.name === relation.type);
  if (!target) throw new Error(`${model.name}.${relation.name}: no model ${relation.type}`);
  const col = (m: Model, name: string) => {
    const f = m.fields.find((x) => x.name === name);
    if (!f) throw new Error(`${m.name}.${name} missing`);
    return columnName(f);
  };
  return {
    columns: (relation.relationFromFields ?? []).map((f) => col(model, f)),
    references: {
      table: target.dbName ?? target.name,
      columns: (relation.relationToFields ?? []).map((f) => col(target, f)),
    },
    onDelete: relation.relationOnDelete ?? (relation.isRequired ? "Restrict" : "SetNull"),
    onUpdate: relation.relationOnUpdate ?? "Cascade",
  };
}

export function expectedSchema(dmmf: Document): Schema {
  const { models, indexes } = dmmf.datamodel;
  const tables: Schema["tables"] = {};
  for (const model of models) {
    const name = model.dbName ?? model.name;
    const fieldColumn = (fieldName: string) => {
      const field = model.fields.find((f) => f.name === fieldName);
      if (!field) throw new Error(`${model.name}.${fieldName} missing`);
      return columnName(field);
    };
    const table: Table = { columns: {}, primaryKey: null, uniques: {}, indexes: {}, foreignKeys: {} };
    for (const field of model.fields) {
      if (field.kind === "scalar") table.columns[columnName(field)] = column(name, field);
      if (field.kind === "object" && field.relationFromFields?.length) {
        const fk = foreignKey(models, model, field);
        table.foreignKeys[defaultName(name, fk.columns, "fkey")] = fk;
      }
    }
    for (const index of indexes.filter((i) => i.model === model.name)) {
      const columns = index.fields.map((f) => fieldColumn(f.name));
      if (index.type === "id") table.primaryKey = { name: index.dbName ?? `${name}_pkey`, columns };
      else if (index.type === "unique")
        table.uniques[index.dbName ?? defaultName(name, columns, "key")] = columns;
      else if (index.type === "normal")
        table.indexes[index.dbName ?? defaultName(name, columns, "idx")] = columns;
      else throw new Error(`${model.name}: ${index.type} indexes are not mapped in this test yet`);
    }
    tables[name] = table;
  }
  return { tables, unmodelled: [] };
}
