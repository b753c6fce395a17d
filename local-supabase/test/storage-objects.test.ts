// @contract black-box
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";
import { startTestPlatform, SERVICE_ROLE_KEY, type ContractPlatform } from "./support/platform.ts";
import { scratchBucket, storageUrl, uniqueName } from "./storage-support.ts";

const auth = { Authorization: `Bearer ${SERVICE_ROLE_KEY}` };
const code = (error: unknown) => (error as { statusCode?: string } | null)?.statusCode;

describe("storage objects: upload, download, info, list (docs/supabase-behaviour.md#uploads, #downloads-and-info, #listing)", () => {
  let tp: ContractPlatform;
  let service: SupabaseClient;
  let docs: string;
  let open: string;
  before(async () => {
    tp = await startTestPlatform();
    service = tp.service();
    docs = await scratchBucket(tp, "docs");
    open = await scratchBucket(tp, "open", { public: true });
  });
  after(() => tp.close());

  test("multipart upload as storage-js sends a Blob keeps type, cacheControl and metadata", async () => {
    const up = await service.storage.from(docs).upload("a/b c.txt", new Blob(["hello"], { type: "text/markdown" }), { cacheControl: "60", metadata: { album: "x" } });
    assert.equal(up.error, null);
    assert.equal(up.data?.path, "a/b c.txt");
    assert.equal(up.data?.fullPath, `${docs}/a/b c.txt`);
    const info = await service.storage.from(docs).info("a/b c.txt");
    assert.equal(info.data?.contentType, "text/markdown");
    assert.equal(info.data?.cacheControl, "max-age=60");
    assert.equal(info.data?.size, 5);
    assert.equal(info.data?.etag, `"${createHash("md5").update("hello").digest("hex")}"`);
    assert.deepEqual(info.data?.metadata, { album: "x" });
    assert.equal(info.data?.id, up.data?.id);
  });

  test("raw upload takes content-type, cache-control and x-metadata headers", async () => {
    const up = await service.storage.from(docs).upload("raw.bin", new Uint8Array([1, 2, 3]), { contentType: "application/x-test", metadata: { k: 1 } });
    assert.equal(up.error, null);
    const info = await service.storage.from(docs).info("raw.bin");
    assert.equal(info.data?.contentType, "application/x-test");
    const bare = await service.storage.from(docs).upload("bare.bin", new Uint8Array([1]), { contentType: "application/x-test" });
    assert.equal(bare.error, null);
    assert.deepEqual((await service.storage.from(docs).info("bare.bin")).data?.metadata, {});
    assert.equal(info.data?.cacheControl, "max-age=3600");
    assert.deepEqual(info.data?.metadata, { k: 1 });
    const listed = await service.storage.from(docs).list("", { search: "raw" });
    const metadata = listed.data?.[0].metadata as Record<string, unknown>;
    assert.deepEqual(Object.keys(metadata), ["eTag", "size", "mimetype", "cacheControl", "lastModified", "contentLength", "httpStatusCode"]);
    assert.equal(metadata.size, 3);
    assert.equal(metadata.httpStatusCode, 200);
  });

  test("duplicate without upsert is 409-coded; x-upsert and update (PUT) replace", async () => {
    const bucket = service.storage.from(docs);
    await bucket.upload("dup.txt", "one", { contentType: "text/plain" });
    const again = await bucket.upload("dup.txt", "two", { contentType: "text/plain" });
    assert.equal(code(again.error), "409");
    assert.equal(again.error?.message, "The resource already exists");
    assert.equal((await bucket.upload("dup.txt", "three", { contentType: "text/plain", upsert: true })).error, null);
    assert.equal(await (await bucket.download("dup.txt")).data?.text(), "three");
    assert.equal((await bucket.update("dup.txt", "four", { contentType: "text/plain" })).error, null);
    assert.equal(await (await bucket.download("dup.txt")).data?.text(), "four");
  });

  test("download headers, Range, conditional requests and ?download", async () => {
    await service.storage.from(docs).upload("page.html", "<p>0123456789</p>", { contentType: "text/html" });
    const url = `${storageUrl(tp)}/object/${docs}/page.html`;
    const full = await fetch(url, { headers: auth });
    assert.equal(full.status, 200);
    assert.equal(full.headers.get("content-type"), "text/plain");
    assert.equal(full.headers.get("accept-ranges"), "bytes");
    assert.equal(full.headers.get("x-robots-tag"), "none");
    assert.equal(full.headers.get("cache-control"), "max-age=3600");
    assert.equal(full.headers.get("content-length"), "17");
    const etag = full.headers.get("etag")!;
    const lastModified = full.headers.get("last-modified")!;
    assert.equal(await full.text(), "<p>0123456789</p>");

    const part = await fetch(url, { headers: { ...auth, Range: "bytes=3-6" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), "bytes 3-6/17");
    assert.equal(await part.text(), "0123");
    const suffix = await fetch(url, { headers: { ...auth, Range: "bytes=-4" } });
    assert.equal(await suffix.text(), "</p>");
    const beyond = await fetch(url, { headers: { ...auth, Range: "bytes=100-" } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get("content-range"), null);
    assert.deepEqual(await beyond.json(), { statusCode: "416", error: "invalid_range", message: "invalid range provided", code: "InvalidRange" });

    assert.equal((await fetch(url, { headers: { ...auth, "If-None-Match": etag } })).status, 304);
    assert.equal((await fetch(url, { headers: { ...auth, "If-Modified-Since": lastModified } })).status, 304);
    const stale = await fetch(url, { headers: { ...auth, "If-None-Match": '"other"' } });
    assert.equal(stale.status, 200);
    assert.equal(stale.headers.get("cache-control"), "max-age=3600, stale-while-revalidate=30");
    await stale.body?.cancel();

    const attach = await fetch(`${url}?download`, { headers: auth });
    assert.equal(attach.headers.get("content-disposition"), "attachment;");
    await attach.body?.cancel();
    const named = await fetch(`${url}?download=my%20page.txt`, { headers: auth });
    assert.equal(named.headers.get("content-disposition"), "attachment; filename=my%20page.txt; filename*=UTF-8''my%20page.txt");
    await named.body?.cancel();

    const head = await fetch(url, { method: "HEAD", headers: auth });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), "17");
    const authed = await fetch(`${storageUrl(tp)}/object/authenticated/${docs}/page.html`, { headers: auth });
    assert.equal(await authed.text(), "<p>0123456789</p>");
  });

  test("public and private buckets: /object/public and requests without a JWT", async () => {
    await service.storage.from(open).upload("pic.txt", "public!", { contentType: "text/plain" });
    const publicUrl = service.storage.from(open).getPublicUrl("pic.txt").data.publicUrl;
    assert.equal(await (await fetch(publicUrl)).text(), "public!");
    assert.equal(await (await fetch(`${storageUrl(tp)}/object/${open}/pic.txt`)).text(), "public!");

    await service.storage.from(docs).upload("secret.txt", "shh", { contentType: "text/plain" });
    const noJwt = await fetch(`${storageUrl(tp)}/object/${docs}/secret.txt`);
    assert.equal(noJwt.status, 400);
    assert.deepEqual(await noJwt.json(), { statusCode: "404", error: "Bucket not found", message: "Bucket not found", code: "NoSuchBucket" });
    // The /authenticated/ forms require the header in their route schema, checked before any token.
    for (const path of [`object/authenticated/${docs}/secret.txt`, `object/info/authenticated/${docs}/secret.txt`]) {
      const bare = await fetch(`${storageUrl(tp)}/${path}`);
      assert.equal(bare.status, 400, path);
      assert.deepEqual(await bare.json(), { statusCode: "400", error: "Error", message: "headers must have required property 'authorization'", code: "InvalidRequest" });
    }
    const notPublic = await fetch(`${storageUrl(tp)}/object/public/${docs}/secret.txt`);
    assert.equal((await notPublic.json()).code, "NoSuchBucket");
    const anonKey = await tp.anon().storage.from(docs).download("secret.txt");
    assert.equal(code(anonKey.error), "404");
    assert.equal(anonKey.error?.message, "Object not found");
  });

  test("exists, missing object and missing bucket", async () => {
    const bucket = service.storage.from(docs);
    await bucket.upload("here.txt", "x", { contentType: "text/plain" });
    assert.equal((await bucket.exists("here.txt")).data, true);
    assert.equal((await bucket.exists("not-here.txt")).data, false);
    const missing = await bucket.download("not-here.txt");
    assert.equal(code(missing.error), "404");
    assert.equal((missing.error as { status?: number }).status, 400);
    assert.equal(missing.error?.message, "Object not found");
    const ghost = uniqueName("ghost");
    const noBucket = await service.storage.from(ghost).upload("a.txt", "x");
    assert.equal(noBucket.error?.message, "Bucket not found");
    assert.equal(code((await service.storage.from(ghost).download("a.txt")).error), "404");
  });

  test("list: one level, folders with null id, search, sort, limit and offset", async () => {
    const bucket = service.storage.from(await scratchBucket(tp, "tree"));
    for (const name of ["top.txt", "Zed.txt", "f1/a.txt", "f1/deep/b.txt", "f2/c.txt", "album_1/x.txt"]) {
      await bucket.upload(name, name, { contentType: "text/plain" });
    }
    const root = await bucket.list();
    assert.deepEqual(root.data?.map((e) => e.name), ["album_1", "f1", "f2", "top.txt", "Zed.txt"]);
    const folder = root.data!.find((e) => e.name === "f1")!;
    assert.deepEqual(folder, { name: "f1", id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null });
    assert.deepEqual((await bucket.list("f1")).data?.map((e) => e.name), ["a.txt", "deep"]);
    assert.deepEqual((await bucket.list("f1/")).data?.map((e) => e.name), ["a.txt", "deep"]);
    assert.deepEqual((await bucket.list("", { search: "F" })).data?.map((e) => e.name), ["f1", "f2"]);
    assert.deepEqual((await bucket.list("", { search: "album_" })).data?.map((e) => e.name), ["album_1"]);
    assert.deepEqual((await bucket.list("", { sortBy: { column: "name", order: "desc" } })).data?.map((e) => e.name), ["Zed.txt", "top.txt", "f2", "f1", "album_1"]);
    assert.deepEqual((await bucket.list("", { limit: 2, offset: 1 })).data?.map((e) => e.name), ["f1", "f2"]);
    const bad = await bucket.list("", { sortBy: { column: "size" as never, order: "asc" } });
    assert.equal(code(bad.error), "400");
  });

  test("list as storage-api orders it: a folder where its members sort, prefixes without case, folders first by time", async () => {
    const bucket = service.storage.from(await scratchBucket(tp, "order"));
    for (const name of ["2024/a.jpg", "2024.jpg", "Photos/x.jpg", "photos/y.jpg", "b.jpg"]) {
      assert.equal((await bucket.upload(name, name, { contentType: "image/jpeg" })).error, null, name);
    }
    // "2024.jpg" sorts before "2024/…" ('.' < '/'); Photos/ and photos/ are one folder, named as its first member.
    assert.deepEqual((await bucket.list()).data?.map((e) => e.name), ["2024.jpg", "2024", "b.jpg", "Photos"]);
    assert.deepEqual((await bucket.list("", { sortBy: { column: "name", order: "desc" } })).data?.map((e) => e.name), ["photos", "b.jpg", "2024", "2024.jpg"]);
    assert.deepEqual((await bucket.list("PHOTOS")).data?.map((e) => e.name), ["x.jpg", "y.jpg"]);
    assert.deepEqual((await bucket.list("", { search: "PH" })).data?.map((e) => e.name), ["Photos"]);
    const byTime = (await bucket.list("", { sortBy: { column: "created_at", order: "asc" } })).data!;
    assert.deepEqual(byTime.filter((e) => e.id === null).map((e) => e.name).sort(), ["2024", "Photos", "photos"]);
    assert.deepEqual(byTime.slice(3).map((e) => e.name), ["2024.jpg", "b.jpg"]);
  });

  test("remove, single delete, move and copy", async () => {
    const moves = await scratchBucket(tp, "moves");
    const moves2 = await scratchBucket(tp, "moves2");
    const bucket = service.storage.from(moves);
    await bucket.upload("a.txt", "A", { contentType: "text/plain" });
    await bucket.upload("b.txt", "B", { contentType: "text/plain" });

    const moved = await bucket.move("a.txt", "dir/a2.txt");
    assert.deepEqual(moved, { data: { message: "Successfully moved" }, error: null });
    assert.equal(await (await bucket.download("dir/a2.txt")).data?.text(), "A");
    assert.equal((await bucket.exists("a.txt")).data, false);
    assert.equal((await bucket.move("dir/a2.txt", "elsewhere.txt", { destinationBucket: moves2 })).error, null);
    assert.equal(await (await service.storage.from(moves2).download("elsewhere.txt")).data?.text(), "A");

    const copied = await bucket.copy("b.txt", "b-copy.txt");
    assert.equal(copied.error, null);
    assert.equal(copied.data?.path, `${moves}/b-copy.txt`); // storage-js reports the Key, which includes the bucket
    assert.equal(await (await bucket.download("b-copy.txt")).data?.text(), "B");
    assert.equal(code((await bucket.copy("b.txt", "b-copy.txt")).error), "409");
    await bucket.upload("c.txt", "C", { contentType: "text/plain" });
    // storage-js has no upsert option for copy; the server honours the x-upsert header (docs/supabase-behaviour.md#remove-move-and-copy).
    const upsertCopy = await fetch(`${storageUrl(tp)}/object/copy`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json", "x-upsert": "true" },
      body: JSON.stringify({ bucketId: moves, sourceKey: "c.txt", destinationKey: "b-copy.txt" }),
    });
    const copyBody = await upsertCopy.json();
    assert.equal(copyBody.Key, `${moves}/b-copy.txt`);
    assert.equal(copyBody.name, "b-copy.txt");
    assert.equal(copyBody.owner, "");
    assert.equal(await (await bucket.download("b-copy.txt")).data?.text(), "C");
    assert.equal(code((await bucket.move("nope.txt", "x.txt")).error), "404");

    const removed = await bucket.remove(["b.txt", "not-there.txt"]);
    assert.deepEqual(removed.data?.map((row) => row.name), ["b.txt"]);
    assert.deepEqual(Object.keys(removed.data![0]), ["name", "bucket_id", "owner", "owner_id", "version", "id", "updated_at", "created_at", "last_accessed_at", "metadata", "user_metadata"]);
    // A service-role upload has no owner, and these objects no user metadata: storage-api writes "" and {}.
    assert.equal(removed.data![0].owner, "");
    assert.equal((removed.data![0] as { owner_id?: string }).owner_id, "");
    assert.deepEqual((removed.data![0] as { user_metadata?: unknown }).user_metadata, {});

    const single = await fetch(`${storageUrl(tp)}/object/${moves}/c.txt`, { method: "DELETE", headers: auth });
    assert.deepEqual(await single.json(), { message: "Successfully deleted" });
    const again = await fetch(`${storageUrl(tp)}/object/${moves}/c.txt`, { method: "DELETE", headers: auth });
    assert.equal((await again.json()).code, "NoSuchKey");
    assert.deepEqual((await bucket.listV2()).data?.objects.map((o) => o.name), ["b-copy.txt"]);
  });

  test("requests outside storage-api's route schema are refused in Fastify's words", async () => {
    const tooMany = Array.from({ length: 1001 }, (_, i) => `${i}.txt`);
    const remove = await fetch(`${storageUrl(tp)}/object/${docs}`, {
      method: "DELETE",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ prefixes: tooMany }),
    });
    assert.equal(remove.status, 400);
    assert.deepEqual(await remove.json(), { statusCode: "400", error: "Error", message: "body/prefixes must NOT have more than 1000 items", code: "InvalidRequest" });
    const none = await service.storage.from(docs).createSignedUrls([], 60);
    assert.equal(none.error?.message, "body/paths must NOT have fewer than 1 items");
    const sort = await fetch(`${storageUrl(tp)}/object/list/${docs}`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ prefix: "", sortBy: { column: "size" } }),
    });
    assert.deepEqual(await sort.json(), { statusCode: "400", error: "Error", message: "body/sortBy/column must be equal to one of the allowed values", code: "InvalidRequest" });
  });

  test("invalid keys are refused with InvalidKey", async () => {
    for (const key of ["Ü.jpg", "emoji-😀.png", "100%.txt", "x~y.txt", "a[1].txt", "pipe|.txt"]) {
      const { error } = await service.storage.from(docs).upload(key, "x", { contentType: "text/plain" });
      assert.equal(code(error), "400", key);
      assert.equal((error as { message: string }).message.startsWith("Invalid key: "), true, key);
    }
    const spaces = await service.storage.from(docs).upload("ok: (1) & more, yes!.txt", "x", { contentType: "text/plain" });
    assert.equal(spaces.error, null);
    assert.equal(await (await service.storage.from(docs).download("ok: (1) & more, yes!.txt")).data?.text(), "x");
  });
});
