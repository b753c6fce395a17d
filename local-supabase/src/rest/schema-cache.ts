import type { Database } from "../db/database.ts";

export interface Column {
  name: string;
  /** `format_type` spelling, e.g. `text`, `timestamp with time zone`, `text[]`. */
  type: string;
}

export interface Table {
  schema: string;
  name: string;
  columns: Map<string, Column>;
  /** Column lists of the primary key (first) and unique constraints — decide one-to-one embeds and upserts. */
  uniques: string[][];
}

export interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface FunctionArg {
  name: string | null;
  type: string;
  hasDefault: boolean;
}

export interface DbFunction {
  name: string;
  args: FunctionArg[];
  returnsSet: boolean;
  returnsVoid: boolean;
  /** The table whose row type a function returns (`returns setof albums`): its result reads like that table. */
  returnsTable: string | null;
  /** The columns of `returns table (…)` or OUT parameters: such a result reads like a table of them too. */
  outColumns: Column[];
  volatile: boolean;
}

export interface SchemaSnapshot {
  schema: string;
  tables: Map<string, Table>;
  foreignKeys: ForeignKey[];
  functions: Map<string, DbFunction[]>;
}

/**
 * PostgREST's schema cache: tables, columns, foreign keys and functions of one exposed schema, read from
 * pg_catalog (information_schema would hide what the role cannot see, but RLS and grants decide access
 * at query time, docs/supabase-behaviour.md#request-role-and-claims). Migrations do not change at runtime, so a snapshot is kept until a lookup misses;
 * then the caller asks for a fresh one once (tables created after start-up, e.g. by tests).
 */
export class SchemaCache {
  private snapshots = new Map<string, SchemaSnapshot>();

  constructor(private readonly db: Database) {}

  async get(schema: string, fresh = false): Promise<{ snapshot: SchemaSnapshot; reloaded: boolean }> {
    const cached = this.snapshots.get(schema);
    if (cached && !fresh) return { snapshot: cached, reloaded: false };
    const snapshot = await this.db.asSuperuser((tx) => loadSnapshot(tx, schema));
    this.snapshots.set(schema, snapshot);
    return { snapshot, reloaded: true };
  }
}

const CATALOG_SQL = `
with rels as (
  select c.oid, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = $1 and c.relkind in ('r', 'v', 'm', 'f', 'p')
)
select json_build_object(
  'tables', (select coalesce(json_agg(json_build_object(
      'name', r.relname,
      'columns', (select coalesce(json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) order by a.attnum), '[]')
                  from pg_attribute a where a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped),
      'uniques', (select coalesce(json_agg(k.cols order by k.contype), '[]') from (
                  select co.contype, (select json_agg(a.attname order by u.ord) from unnest(co.conkey) with ordinality u(num, ord)
                          join pg_attribute a on a.attrelid = co.conrelid and a.attnum = u.num) as cols
                  from pg_constraint co where co.conrelid = r.oid and co.contype in ('p', 'u')) k)
    )), '[]') from rels r),
  'foreignKeys', (select coalesce(json_agg(json_build_object(
      'name', co.conname, 'table', src.relname, 'refTable', dst.relname,
      'columns', (select json_agg(a.attname order by u.ord) from unnest(co.conkey) with ordinality u(num, ord)
                  join pg_attribute a on a.attrelid = co.conrelid and a.attnum = u.num),
      'refColumns', (select json_agg(a.attname order by u.ord) from unnest(co.confkey) with ordinality u(num, ord)
                  join pg_attribute a on a.attrelid = co.confrelid and a.attnum = u.num)
    )), '[]') from pg_constraint co join rels src on src.oid = co.conrelid join rels dst on dst.oid = co.confrelid
    where co.contype = 'f'),
  'functions', (select coalesce(json_agg(json_build_object(
      'name', p.proname, 'returnsSet', p.proretset, 'returnsVoid', p.prorettype = 'void'::regtype,
      'returnsTable', (select r.relname from pg_class r where r.reltype = p.prorettype and r.relnamespace = p.pronamespace),
      'volatile', p.provolatile = 'v', 'nargs', p.pronargs, 'ndefaults', p.pronargdefaults,
      'args', (select coalesce(json_agg(json_build_object('name', nullif(a.name, ''), 'type', format_type(a.type, null), 'mode', coalesce(a.mode, 'i')) order by a.ord), '[]')
               from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargnames, p.proargmodes::text[]) with ordinality a(type, name, mode, ord))
    )), '[]') from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1 and p.prokind = 'f')
)::text as catalog`;

interface RawCatalog {
  tables: { name: string; columns: Column[]; uniques: (string[] | null)[] }[];
  foreignKeys: ForeignKey[];
  functions: {
    name: string;
    returnsSet: boolean;
    returnsVoid: boolean;
    returnsTable: string | null;
    volatile: boolean;
    nargs: number;
    ndefaults: number;
    args: { name: string | null; type: string; mode: string }[];
  }[];
}

async function loadSnapshot(tx: { query: <T>(sql: string, params?: unknown[]) => Promise<{ rows: T[] }> }, schema: string) {
  const { rows } = await tx.query<{ catalog: string }>(CATALOG_SQL, [schema]);
  const raw = JSON.parse(rows[0].catalog) as RawCatalog;
  const tables = new Map<string, Table>();
  for (const table of raw.tables) {
    tables.set(table.name, {
      schema,
      name: table.name,
      columns: new Map(table.columns.map((column) => [column.name, column])),
      uniques: table.uniques.filter((cols): cols is string[] => Array.isArray(cols)),
    });
  }
  const functions = new Map<string, DbFunction[]>();
  for (const fn of raw.functions) {
    // Only input arguments (modes i, b, v) are passed; the last `ndefaults` of them have defaults.
    const inputs = fn.args.filter((arg) => arg.mode === "i" || arg.mode === "b" || arg.mode === "v");
    const args = inputs.map((arg, i) => ({ name: arg.name, type: arg.type, hasDefault: i >= inputs.length - fn.ndefaults }));
    const list = functions.get(fn.name) ?? [];
    // Modes t (`returns table`), o and b (OUT, INOUT) name the result's columns.
    const outColumns = fn.args
      .filter((arg) => (arg.mode === "t" || arg.mode === "o" || arg.mode === "b") && arg.name !== null)
      .map((arg) => ({ name: arg.name as string, type: arg.type }));
    list.push({ name: fn.name, args, returnsSet: fn.returnsSet, returnsVoid: fn.returnsVoid, returnsTable: fn.returnsTable, outColumns, volatile: fn.volatile });
    functions.set(fn.name, list);
  }
  return { schema, tables, foreignKeys: raw.foreignKeys, functions } satisfies SchemaSnapshot;
}
