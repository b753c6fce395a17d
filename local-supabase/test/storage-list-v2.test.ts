// @contract black-box
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { startTestPlatform, SERVICE_ROLE_KEY, type ContractPlatform } from "./support/platform.ts";
import { scratchBucket, storageUrl, storageUser } from "./storage-support.ts";

const code = (error: unknown) => (error as { statusCode?: string } | null)?.statusCode;
const names = (entries: { name: string }[] | undefined) => entries?.map((entry) => entry.name);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Folders and objects in one list, oldest first (storage-js types folders without their dates). */
const byCreation = (data: { folders: object[]; objects: object[] }) =>
  ([...data.folders, ...data.objects] as { name: string; created_at: string }[])
    .sort((x, y) => Date.parse(x.created_at) - Date.parse(y.created_at))
    .map((entry) => entry.name);

/** storage-js `listV2` → `POST /object/list-v2/{bucket}`, a cursor-paged listing with full keys. */
describe("storage listV2", () => {
  let tp: ContractPlatform;
  let service: SupabaseClient;
  let tree: string;
  const bucket = () => service.storage.from(tree);
  // Uploaded in this order, a few milliseconds apart, so created_at orders them as listed here.
  const keys = ["b/2.txt", "a.txt", "b/1.txt", "B.txt", "a/x.txt", "a/deep/y.txt", "ab.txt", "c/3.txt", "x_1.txt", "xy.txt"];

  before(async () => {
    tp = await startTestPlatform();
    service = tp.service();
    tree = await scratchBucket(tp, "tree-v2");
    for (const key of keys) {
      assert.equal((await bucket().upload(key, key, { contentType: "text/plain" })).error, null, key);
      await pause(5);
    }
  });
  after(() => tp.close());

  test("flat: every object under the prefix, full keys, bytewise name order, no folders", async () => {
    const { data, error } = await bucket().listV2();
    assert.equal(error, null);
    assert.equal(data?.hasNext, false);
    assert.equal(data?.nextCursor, undefined);
    assert.deepEqual(data?.folders, []);
    assert.deepEqual(names(data?.objects), ["B.txt", "a.txt", "a/deep/y.txt", "a/x.txt", "ab.txt", "b/1.txt", "b/2.txt", "c/3.txt", "x_1.txt", "xy.txt"]);
    assert.deepEqual(Object.keys(data!.objects[0]), ["id", "name", "metadata", "updated_at", "created_at", "last_accessed_at"]);
    assert.equal((data!.objects[0].metadata as { size?: number }).size, 5);

    assert.deepEqual(names((await bucket().listV2({ prefix: "a" })).data?.objects), ["a.txt", "a/deep/y.txt", "a/x.txt", "ab.txt"]);
    assert.deepEqual(names((await bucket().listV2({ prefix: "a/" })).data?.objects), ["a/deep/y.txt", "a/x.txt"]);
    // The prefix is literal: `_` is a character of a key, not a pattern.
    assert.deepEqual(names((await bucket().listV2({ prefix: "x_" })).data?.objects), ["x_1.txt"]);
  });

  test("with the delimiter: one level, folders once as `<key>/`, files and folders in key order", async () => {
    const root = await bucket().listV2({ with_delimiter: true });
    assert.equal(root.error, null);
    assert.deepEqual(names(root.data?.folders), ["a/", "b/", "c/"]);
    assert.deepEqual(names(root.data?.objects), ["B.txt", "a.txt", "ab.txt", "x_1.txt", "xy.txt"]);
    assert.deepEqual(root.data?.folders[0], { key: "a", name: "a/", id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null });
    assert.deepEqual(Object.keys(root.data!.objects[0]), ["key", "name", "id", "updated_at", "created_at", "last_accessed_at", "metadata"]);

    const inA = await bucket().listV2({ prefix: "a/", with_delimiter: true });
    assert.deepEqual(inA.data?.folders.map((f) => [f.key, f.name]), [["deep", "a/deep/"]]);
    assert.deepEqual(inA.data?.objects.map((o) => [o.key, o.name]), [["x.txt", "a/x.txt"]]);
    // Without the slash the prefix matches names: the folder `a/` and the files that start with "a".
    const startsA = await bucket().listV2({ prefix: "a", with_delimiter: true });
    assert.deepEqual(names(startsA.data?.folders), ["a/"]);
    assert.deepEqual(names(startsA.data?.objects), ["a.txt", "ab.txt"]);
  });

  test("paging with a cursor visits every entry once, flat and delimited, in both orders", async () => {
    for (const withDelimiter of [false, true]) {
      for (const order of ["asc", "desc"] as const) {
        const all = await bucket().listV2({ with_delimiter: withDelimiter, sortBy: { column: "name", order } });
        const expected = [...all.data!.folders, ...all.data!.objects].map((e) => e.name).sort();
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const { data, error } = await bucket().listV2({ with_delimiter: withDelimiter, limit: 2, cursor, sortBy: { column: "name", order } });
          assert.equal(error, null);
          assert.ok(data!.folders.length + data!.objects.length <= 2);
          seen.push(...data!.folders.map((f) => f.name), ...data!.objects.map((o) => o.name));
          assert.equal(typeof data!.nextCursor === "string", data!.hasNext);
          cursor = data!.nextCursor;
          pages++;
        } while (cursor && pages < 20);
        assert.deepEqual([...seen].sort(), expected, `delimiter ${withDelimiter}, ${order}`);
        assert.equal(new Set(seen).size, seen.length);
      }
    }
  });

  test("the cursor carries the sort, and the last page says hasNext false", async () => {
    const first = await bucket().listV2({ limit: 3, sortBy: { column: "name", order: "desc" } });
    assert.deepEqual(names(first.data?.objects), ["xy.txt", "x_1.txt", "c/3.txt"]);
    assert.equal(first.data?.hasNext, true);
    assert.equal(first.data?.nextCursor, Buffer.from("l:c/3.txt\no:desc\nc:name").toString("base64"));
    // No sortBy on the next call: the cursor keeps the descending order.
    const second = await bucket().listV2({ limit: 3, cursor: first.data!.nextCursor });
    assert.deepEqual(names(second.data?.objects), ["b/2.txt", "b/1.txt", "ab.txt"]);
    const third = await bucket().listV2({ limit: 3, cursor: second.data!.nextCursor });
    assert.deepEqual(names(third.data?.objects), ["a/x.txt", "a/deep/y.txt", "a.txt"]);
    const last = await bucket().listV2({ limit: 3, cursor: third.data!.nextCursor });
    assert.deepEqual(last.data, { hasNext: false, folders: [], objects: last.data!.objects });
    assert.deepEqual(names(last.data?.objects), ["B.txt"]);
  });

  test("sort by created_at, flat and delimited, pages by time", async () => {
    const flat = await bucket().listV2({ sortBy: { column: "created_at", order: "asc" } });
    assert.deepEqual(names(flat.data?.objects), keys);
    const newest = await bucket().listV2({ limit: 4, sortBy: { column: "created_at", order: "desc" } });
    assert.deepEqual(names(newest.data?.objects), [...keys].reverse().slice(0, 4));
    const next = await bucket().listV2({ limit: 4, cursor: newest.data!.nextCursor });
    assert.deepEqual(names(next.data?.objects), [...keys].reverse().slice(4, 8));

    // A folder is dated by its oldest member: b/ by b/2.txt (first upload), a/ by a/x.txt, c/ by c/3.txt.
    const delimited = await bucket().listV2({ with_delimiter: true, sortBy: { column: "created_at", order: "asc" } });
    const order = byCreation(delimited.data!);
    assert.deepEqual(order, ["b/", "a.txt", "B.txt", "a/", "ab.txt", "c/", "x_1.txt", "xy.txt"]);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await bucket().listV2({ with_delimiter: true, limit: 3, cursor, sortBy: { column: "created_at", order: "asc" } });
      paged.push(...byCreation(data!));
      cursor = data!.nextCursor;
    } while (cursor);
    assert.deepEqual(paged, order);
  });

  test("limit defaults to and is capped at 1000", async () => {
    const many = service.storage.from(await scratchBucket(tp, "many-v2"));
    const uploads = Array.from({ length: 1002 }, (_, i) => `f/${String(i).padStart(4, "0")}.txt`);
    for (let i = 0; i < uploads.length; i += 50) {
      await Promise.all(uploads.slice(i, i + 50).map((key) => many.upload(key, "x", { contentType: "text/plain" })));
    }
    const page = await many.listV2();
    assert.equal(page.data?.objects.length, 1000);
    assert.equal(page.data?.hasNext, true);
    const capped = await many.listV2({ limit: 5000 });
    assert.equal(capped.data?.objects.length, 1000);
    const rest = await many.listV2({ cursor: capped.data!.nextCursor });
    assert.deepEqual(names(rest.data?.objects), ["f/1000.txt", "f/1001.txt"]);
    assert.equal(rest.data?.hasNext, false);
  });

  test("bad input: limit, sort column, cursor", async () => {
    const zero = await bucket().listV2({ limit: 0 });
    assert.equal(code(zero.error), "400");
    const column = await bucket().listV2({ sortBy: { column: "size" as never } });
    assert.equal(column.error?.message, "body/sortBy/column must be equal to one of the allowed values");
    const cursor = await bucket().listV2({ cursor: "not-a-cursor" });
    assert.equal(cursor.error?.message, "Invalid Parameter continuation token");
  });

  test("runs as the caller: RLS hides what the caller may not select", async () => {
    const user = await storageUser(tp);
    const { data, error } = await user.client.storage.from(tree).listV2({ with_delimiter: true });
    assert.equal(error, null);
    assert.deepEqual(data, { hasNext: false, folders: [], objects: [] });
  });

  test("list-v2 is a route, never a bucket named list-v2", async () => {
    const response = await fetch(`${storageUrl(tp)}/object/list-v2/${tree}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ prefix: "c/" }),
    });
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.deepEqual(Object.keys(body), ["hasNext", "folders", "objects"]);
    assert.deepEqual(names(body.objects), ["c/3.txt"]);
  });
});
