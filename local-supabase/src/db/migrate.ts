import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "./database.ts";

/**
 * Applies `supabase/migrations/<version>_<name>.sql` in order, recording each in
 * `supabase_migrations.schema_migrations` as `supabase db push` does, so a restart applies only new ones.
 */
export async function applyMigrations(db: Database, migrationsDir: string, log: (line: string) => void = () => {}): Promise<string[]> {
  if (!existsSync(migrationsDir)) return [];
  const files = readdirSync(migrationsDir).filter((file) => /^\d+_.*\.sql$/.test(file)).sort();
  const applied = new Set(
    (await db.pg.query<{ version: string }>("select version from supabase_migrations.schema_migrations")).rows.map((row) => row.version),
  );
  const ran: string[] = [];
  for (const file of files) {
    const [, version, name] = /^(\d+)_(.*)\.sql$/.exec(file)!;
    if (applied.has(version)) continue;
    const sql = readFileSync(join(migrationsDir, file), "utf8");
    await db.pg.transaction(async (tx) => {
      try {
        await tx.exec(sql);
      } catch (error) {
        throw new Error(`migration ${file} failed: ${(error as Error).message}`);
      }
      await tx.query("insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)", [version, name, [sql]]);
    });
    log(`applied migration ${file}`);
    ran.push(file);
  }
  return ran;
}
