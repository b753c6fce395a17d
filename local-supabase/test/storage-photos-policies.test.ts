// @contract black-box
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { startTestPlatform, type ContractPlatform } from "./support/platform.ts";
import { storageUser, type StorageUser } from "./storage-support.ts";

const code = (error: unknown) => (error as { statusCode?: string } | null)?.statusCode;
const jpeg = () => new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], { type: "image/jpeg" });

/** The `photos` bucket and its policies from the migration: owners read and delete under `<uid>/`; only the service role writes. */
describe("storage RLS: the photos bucket policies", () => {
  let tp: ContractPlatform;
  let service: SupabaseClient;
  let a: StorageUser;
  let b: StorageUser;
  let path: string;
  const album = "5f0c6e8e-7d1b-4e55-9a51-2f5a4c1d2e3f";

  before(async () => {
    tp = await startTestPlatform();
    service = tp.service();
    a = await storageUser(tp);
    b = await storageUser(tp);
    path = `${a.id}/${album}/x.jpg`;
    tp.defer(() => service.storage.from("photos").remove([path, `${b.id}/${album}/y.jpg`]));
    const { error } = await service.storage.from("photos").upload(path, jpeg());
    assert.equal(error, null);
  });

  /** Every key under user a's folder, as the service role sees them. */
  const keysOfA = async () => (await service.storage.from("photos").listV2({ prefix: `${a.id}/` })).data?.objects.map((o) => o.name);
  after(() => tp.close());

  test("the owner can download, get info, list and sign", async () => {
    const photos = a.client.storage.from("photos");
    assert.equal((await photos.download(path)).data?.size, 7);
    assert.equal((await photos.info(path)).data?.contentType, "image/jpeg");
    assert.equal((await photos.exists(path)).data, true);
    assert.deepEqual((await photos.list(`${a.id}/${album}`)).data?.map((e) => e.name), ["x.jpg"]);
    assert.deepEqual((await photos.list(a.id)).data?.map((e) => e.name), [album]);
    const signed = await photos.createSignedUrl(path, 60);
    assert.equal(signed.error, null);
    assert.equal((await fetch(signed.data!.signedUrl)).status, 200);
  });

  test("another user cannot read, list, sign, download or delete it", async () => {
    const photos = b.client.storage.from("photos");
    const download = await photos.download(path);
    assert.equal(code(download.error), "404");
    assert.equal(download.error?.message, "Object not found");
    assert.equal((await photos.exists(path)).data, false);
    assert.equal(code((await photos.info(path)).error), "404");
    assert.deepEqual((await photos.list(`${a.id}/${album}`)).data, []);
    assert.deepEqual((await photos.list()).data, []);
    assert.equal(code((await photos.createSignedUrl(path, 60)).error), "404");
    assert.equal((await photos.createSignedUrls([path], 60)).data?.[0].error, "Either the object does not exist or you do not have access to it");
    // remove() silently skips rows the caller cannot delete (docs/supabase-behaviour.md#storage-authorisation).
    assert.deepEqual(await photos.remove([path]), { data: [], error: null });
    // A single DELETE checks existence as superuser first, so a refused delete is AccessDenied (storage-api).
    const single = await fetch(`${tp.url}/storage/v1/object/photos/${path}`, { method: "DELETE", headers: { Authorization: `Bearer ${b.accessToken}` } });
    assert.equal(single.status, 400);
    assert.equal((await single.json()).statusCode, "403");
    assert.deepEqual(await keysOfA(), [path]);
  });

  test("anon sees nothing", async () => {
    const photos = tp.anon().storage.from("photos");
    assert.equal(code((await photos.download(path)).error), "404");
    assert.deepEqual((await photos.list(`${a.id}/${album}`)).data, []);
    assert.equal(code((await photos.createSignedUrl(path, 60)).error), "404");
  });

  test("users cannot upload into photos, not even under their own folder (no insert policy)", async () => {
    for (const user of [a, b]) {
      const { error } = await user.client.storage.from("photos").upload(`${user.id}/${album}/mine.jpg`, jpeg());
      assert.equal(code(error), "403");
      assert.equal(error?.message, "new row violates row-level security policy");
    }
    assert.deepEqual(await keysOfA(), [path]);
  });

  test("the service role sees everything", async () => {
    const other = `${b.id}/${album}/y.jpg`;
    assert.equal((await service.storage.from("photos").upload(other, jpeg())).error, null);
    const folders = (await service.storage.from("photos").list("", { limit: 1500 })).data?.map((e) => e.name);
    assert.ok(folders?.includes(a.id) && folders.includes(b.id));
    assert.equal((await service.storage.from("photos").download(path)).error, null);
    assert.deepEqual((await b.client.storage.from("photos").list(`${b.id}/${album}`)).data?.map((e) => e.name), ["y.jpg"]);
    assert.deepEqual((await service.storage.from("photos").remove([other])).data?.map((r) => r.name), [other]);
  });

  test("the owner can remove it", async () => {
    const removed = await a.client.storage.from("photos").remove([path]);
    assert.deepEqual(removed.data?.map((r) => r.name), [path]);
    assert.deepEqual(await keysOfA(), []);
  });
});
