import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fresh PGlite spends seconds in initdb. In-memory platforms (tests) start from a dump of a database that
 * is already bootstrapped and migrated, cached in the OS temp dir and keyed by everything that shaped it,
 * so a changed migration or bootstrap can never be served from a stale snapshot.
 */
export function snapshotPath(bootstrapSql: string, migrationsDir: string): string {
  const hash = createHash("sha256").update(bootstrapSql);
  const pglite = JSON.parse(readFileSync(new URL("../package.json", import.meta.resolve("@electric-sql/pglite")), "utf8")).version;
  hash.update(pglite);
  if (existsSync(migrationsDir)) {
    for (const file of readdirSync(migrationsDir).sort()) {
      hash.update(file).update(readFileSync(join(migrationsDir, file)));
    }
  }
  return join(tmpdir(), `shoebox-pglite-${hash.digest("hex").slice(0, 16)}.tar`);
}

export function readSnapshot(path: string): Blob | undefined {
  return existsSync(path) ? new Blob([readFileSync(path)]) : undefined;
}

export async function writeSnapshot(path: string, dump: Blob): Promise<void> {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, path); // atomic: parallel test files never read half a snapshot
}
