// What a database actually holds, read from pg_catalog, in a shape that compares with `toEqual`:
// tables with columns (Postgres' own type names), primary keys, unique and plain indexes, and
// foreign keys. `_prisma_migrations` is left out: it is bookkeeping, not the schema.
import pg from "pg";

export interface Column {
  type: string;
  nullable: boolean;
  default: string | null;
}

export interface ForeignKey {
  columns: string[];
  references: { table: string; columns: string[] };
  onDelete: string;
  onUpdate: string;
}

export interface Table {
  columns: Record<string, Column>;
  primaryKey: { name: string; columns: string[] } | null;
  /** Unique indexes (other than the primary key), by name: their columns in order. */
  uniques: Record<string, string[]>;
  /** Non-unique indexes, by name: their columns in order. */
  indexes: Record<string, string[]>;
  foreignKeys: Record<string, ForeignKey>;
}

export interface Schema {
  tables: Record<string, Table>;
  /** Objects schema.prisma cannot describe (checks, views, enums, …), which none should be. */
  unmodelled: string[];
}

const ACTIONS: Record<string, string> = {
  a: "NoAction",
  r: "Restrict",
  c: "Cascade",
  n: "SetNull",
  d: "SetDefault",
};

export async function introspect(databaseUrl: string): Promise<Schema> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables: Schema["tables"] = {};
    const table = (name: string): Table => {
      tables[name] ??= { columns: {}, primaryKey: null, uniques: {}, indexes: {}, foreignKeys: {} };
      return tables[name];
    };

    const columns = await client.query<{
      table: string;
      column: string;
      type: string;
      notnull: boolean;
      default: string | null;
    }>(`
      SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
             a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS default
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
       WHERE c.relkind = 'r' AND c.relname <> '_prisma_migrations'
       ORDER BY c.relname, a.attnum`);
    for (const row of columns.rows) {
      table(row.table).columns[row.column] = { type: row.type, nullable: !row.notnull, default: row.default };
    }

    const indexes = await client.query<{
      table: string;
      name: string;
      unique: boolean;
      primary: boolean;
      columns: string[];
    }>(`
      SELECT t.relname AS table, i.relname AS name, x.indisunique AS unique, x.indisprimary AS primary,
             array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
        FROM pg_index x
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
       WHERE t.relname <> '_prisma_migrations'
         -- Partial indexes are raw SQL in migrations (schema.prisma cannot express them); the
         -- tests of what each one guards check it.
         AND x.indpred IS NULL`);
    for (const row of indexes.rows) {
      const t = table(row.table);
      if (row.primary) t.primaryKey = { name: row.name, columns: row.columns };
      else if (row.unique) t.uniques[row.name] = row.columns;
      else t.indexes[row.name] = row.columns;
    }

    const foreignKeys = await client.query<{
      table: string;
      name: string;
      columns: string[];
      target: string;
      target_columns: string[];
      on_delete: string;
      on_update: string;
    }>(`
      SELECT t.relname AS table, c.conname AS name, f.relname AS target,
             array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
             array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS target_columns,
             c.confdeltype AS on_delete, c.confupdtype AS on_update
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN pg_class f ON f.oid = c.confrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
       WHERE c.contype = 'f'`);
    for (const row of foreignKeys.rows) {
      table(row.table).foreignKeys[row.name] = {
        columns: row.columns,
        references: { table: row.target, columns: row.target_columns },
        onDelete: ACTIONS[row.on_delete] ?? row.on_delete,
        onUpdate: ACTIONS[row.on_update] ?? row.on_update,
      };
    }

    // Anything else that could hold schema has no counterpart in schema.prisma today.
    const unmodelled = await client.query<{ what: string }>(`
      SELECT 'check constraint ' || conname AS what FROM pg_constraint c
        JOIN pg_namespace n ON n.oid = c.connamespace AND n.nspname = 'public' WHERE contype IN ('c', 'x', 't')
      UNION ALL
      SELECT 'relation ' || n.nspname || '.' || relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE (relkind IN ('v', 'm', 'p', 'f') OR (relkind = 'r' AND n.nspname <> 'public'))
         AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      UNION ALL
      SELECT 'type ' || typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = 'public'
       WHERE typtype IN ('e', 'd', 'c') AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)`);
    return { tables, unmodelled: unmodelled.rows.map((r) => r.what).sort() };
  } finally {
    await client.end();
  }
}
