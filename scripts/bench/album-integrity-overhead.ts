// What the album-integrity guards cost (migration 20261203000100; docs/architecture.md#deleting-an-album,
// #per-user-limits), measured in one run against the same database with the guards switched off, so the
// figures are ratios against a baseline taken side by side:
// - the statement triggers that refuse entry writes for an album being deleted, on the job's two
//   hottest writes (insert_album_entries and record_entry_results, 1,000 rows per call);
// - the per-user quota check on creating an album, for an owner whose folder already holds N objects.
// Run: node --import tsx scripts/bench/album-integrity-overhead.ts [--objects 20000] [--rounds 20]
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Database } from "../../local-supabase/src/db/database.ts";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const OBJECTS = flag("objects", 20_000);
const ROUNDS = flag("rounds", 20);
const ROWS = 1_000;

const ENTRY_GUARDS = ["album_entries_refuse_inserts_while_deleting", "album_entries_refuse_updates_while_deleting"];
const ALBUM_GUARDS = ["albums_refuse_writes_while_deleting"];

const db = await Database.open({ migrationsDir: fileURLToPath(new URL("../../supabase/migrations", import.meta.url)) });
const pg = db.pg;

async function setTriggers(table: string, names: string[], enabled: boolean) {
  for (const name of names) await pg.exec(`alter table public.${table} ${enabled ? "enable" : "disable"} trigger ${name}`);
}

const owner = randomUUID();
await pg.query("insert into auth.users (id, email) values ($1, $2)", [owner, `${owner}@example.com`]);

/** One album filled the way a job fills it: rows in, then every row's result. Returns ms. */
async function fillAlbum(): Promise<number> {
  const { rows } = await pg.query<{ id: string }>("insert into public.albums (owner_id, name) values ($1, 'bench') returning id", [owner]);
  const album = rows[0].id;
  const entries = Array.from({ length: ROWS }, (_, idx) => ({ idx, name: `IMG_${idx}.jpg`, path: null, size: 3_000_000, status: "pending", reason: null, reason_code: null }));
  const results = entries.map((e) => ({ ...e, status: "uploaded", path: `${owner}/${album}/IMG_${e.idx}.jpg`, content_type: "image/jpeg" }));
  const started = performance.now();
  await pg.query("select public.insert_album_entries($1, $2::jsonb)", [album, JSON.stringify(entries)]);
  await pg.query("select public.record_entry_results($1, $2::jsonb)", [album, JSON.stringify(results)]);
  return performance.now() - started;
}

/** One album created by its owner, through the quota trigger (or not). Returns ms. */
async function createAlbum(): Promise<number> {
  const started = performance.now();
  await pg.query("insert into public.albums (owner_id, name, source_bytes) values ($1, 'quota', 1000)", [owner]);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function compare(label: string, run: () => Promise<number>, toggle: (on: boolean) => Promise<void>) {
  const on: number[] = [], off: number[] = [];
  await run(); // warm-up
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate, so drift in the machine's load falls on both sides alike.
    await toggle(false);
    off.push(await run());
    await toggle(true);
    on.push(await run());
  }
  const ratio = median(on) / median(off);
  console.log(`| ${label} | ${median(off).toFixed(2)} ms | ${median(on).toFixed(2)} ms | ${ratio.toFixed(2)}× |`);
}

console.log(`Guards of migration 20261203000100, median of ${ROUNDS} alternating rounds (load average ${(await import("node:os")).loadavg()[0].toFixed(2)})`);
console.log("| Operation | guards off | guards on | ratio |");
console.log("| --- | --- | --- | --- |");
await compare(`insert ${ROWS} entry rows + record ${ROWS} results`, fillAlbum, async (on) => {
  await setTriggers("album_entries", ENTRY_GUARDS, on);
  await setTriggers("albums", ALBUM_GUARDS, on);
});

// The owner's folder: OBJECTS photos of 100 kB (within the default byte quota), as Storage records them.
await pg.query(
  `insert into storage.objects (bucket_id, name, metadata)
   select 'photos', $1 || '/album/IMG_' || i || '.jpg', jsonb_build_object('size', 100000, 'mimetype', 'image/jpeg')
   from generate_series(1, $2::int) i`,
  [owner, OBJECTS],
);
await pg.exec("analyze storage.objects");
await compare(`create an album (owner holds ${OBJECTS.toLocaleString("en-US")} photos)`, createAlbum, (on) => setTriggers("albums", ["albums_enforce_quota"], on));
await db.close();
