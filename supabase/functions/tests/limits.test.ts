import { assert, assertEquals } from "./support/assert.ts";
import { ArchiveBudget, LimitExceeded, RATIO_FLOOR_BYTES } from "../_shared/limits.ts";
import { ConfigError, LIMIT_DEFAULTS, readConfig } from "../album-upload/config.ts";

const MB = 1024 * 1024;
const limits = { archiveBytes: 100 * MB, uncompressedBytes: 120 * MB, bytesPerPhoto: 50 * MB, entryCount: 10, maxRatio: 100 };

function expectLimit(fn: () => void, kind: string) {
  try {
    fn();
  } catch (e) {
    assert(e instanceof LimitExceeded, String(e));
    assertEquals(e.kind, kind);
    return e.message;
  }
  throw new Error("no limit hit");
}

Deno.test("a photo passing the per-photo limit is stopped on produced bytes", () => {
  const meter = new ArchiveBudget(limits).meter(60 * MB);
  meter.add(50 * MB);
  assertEquals(expectLimit(() => meter.add(1), "too_large"), "larger than 50.0 MB");
});

Deno.test("the compression ratio is judged on produced bytes, above a floor", () => {
  const budget = new ArchiveBudget(limits);
  const small = budget.meter(10);
  small.add(RATIO_FLOOR_BYTES); // 100 000:1, but tiny: allowed
  const bomb = budget.meter(10_000);
  bomb.add(RATIO_FLOOR_BYTES);
  assert(expectLimit(() => bomb.add(1), "ratio").includes("suspicious compression ratio"));
});

Deno.test("the archive-wide budget counts every entry", () => {
  const budget = new ArchiveBudget(limits);
  budget.meter(40 * MB).add(40 * MB);
  budget.meter(40 * MB).add(40 * MB);
  const third = budget.meter(40 * MB);
  third.add(39 * MB);
  assert(!budget.exhausted);
  third.add(1 * MB);
  assert(budget.exhausted, "nothing more may be produced");
  expectLimit(() => third.add(1), "budget");
  assert(budget.exhausted);
});

Deno.test("configuration has documented defaults and names a bad variable", () => {
  const env = (extra: Record<string, string>) => (name: string) =>
    ({ SUPABASE_URL: "http://127.0.0.1:54321/", SUPABASE_ANON_KEY: "a", SUPABASE_SERVICE_ROLE_KEY: "s", ...extra })[name];
  const config = readConfig(env({}));
  assertEquals(config.limits, LIMIT_DEFAULTS);
  assertEquals(config.supabaseUrl, "http://127.0.0.1:54321");
  assertEquals(LIMIT_DEFAULTS.archiveBytes, 256 * MB);
  assertEquals(LIMIT_DEFAULTS.bytesPerPhoto, 50 * MB);
  assertEquals(readConfig(env({ ALBUM_MAX_RATIO: "20" })).limits.maxRatio, 20);
  for (const [name, value] of [["ALBUM_MAX_ENTRIES", "many"], ["ALBUM_MAX_ARCHIVE_BYTES", "-1"], ["ALBUM_MAX_RATIO", "1.5"]]) {
    try {
      readConfig(env({ [name]: value }));
      throw new Error("accepted");
    } catch (e) {
      assert(e instanceof ConfigError && e.message.includes(name), String(e));
    }
  }
  try {
    readConfig((n) => n === "SUPABASE_URL" ? "http://x" : undefined);
    throw new Error("accepted");
  } catch (e) {
    assert(e instanceof ConfigError && e.message.includes("SUPABASE_ANON_KEY"), String(e));
  }
});
