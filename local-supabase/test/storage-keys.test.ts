// @contract black-box
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { startTestPlatform, SERVICE_ROLE_KEY, type ContractPlatform } from "./support/platform.ts";
import { scratchBucket, storageUrl } from "./storage-support.ts";

const code = (error: unknown) => (error as { statusCode?: string } | null)?.statusCode;
const dotError = (key: string) => ({ statusCode: "400", error: "InvalidKey", message: `Invalid key: ${key} contains dot path segment`, code: "InvalidKey" });

/**
 * Keys with `.` or `..` segments are refused by every write (upload, copy, move, signed upload URL), so
 * no stored key can climb out of its folder. A browser's URL parser removes dot segments from a path
 * before sending it (and so does the gateway), so in a URL they reach Storage only behind encoded
 * slashes (`%2F`); in a JSON body (move, copy) they arrive as they are.
 */
describe("storage keys with dot path segments", () => {
  let tp: ContractPlatform;
  let service: SupabaseClient;
  let dots: string;
  const bucket = () => service.storage.from(dots);

  before(async () => {
    tp = await startTestPlatform();
    service = tp.service();
    dots = await scratchBucket(tp, "dots");
    assert.equal((await bucket().upload("user/a.jpg", "A", { contentType: "image/jpeg" })).error, null);
  });
  after(() => tp.close());

  /** Every key in the bucket, walking the folders the listing reports. */
  async function allKeys(prefix = ""): Promise<string[]> {
    const { data, error } = await bucket().list(prefix, { limit: 1000 });
    assert.equal(error, null);
    const keys: string[] = [];
    for (const entry of data!) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      keys.push(...(entry.id === null ? await allKeys(path) : [path]));
    }
    return keys.sort();
  }

  test("move to a key with `..` is refused and the object stays where it was", async () => {
    const key = "user/../../../escape.jpg";
    const moved = await bucket().move("user/a.jpg", key);
    assert.equal(code(moved.error), "400");
    assert.equal(moved.error?.message, `Invalid key: ${key} contains dot path segment`);
    assert.deepEqual(await allKeys(), ["user/a.jpg"]);
    assert.equal(await (await bucket().download("user/a.jpg")).data?.text(), "A");
  });

  test("the wire body is storage-api's InvalidKey error", async () => {
    const key = "user/./a2.jpg";
    const response = await fetch(`${storageUrl(tp)}/object/move`, {
      method: "POST",
      headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ bucketId: dots, sourceKey: "user/a.jpg", destinationKey: key }),
    });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), dotError(key));
  });

  test("copy to a key with a `.` or `..` segment is refused", async () => {
    for (const key of ["user/./copy.jpg", "../copy.jpg", "user/..", "."]) {
      const copied = await bucket().copy("user/a.jpg", key);
      assert.equal(code(copied.error), "400", key);
      assert.equal(copied.error?.message, `Invalid key: ${key} contains dot path segment`, key);
    }
    assert.deepEqual(await allKeys(), ["user/a.jpg"]);
  });

  test("upload through encoded slashes is refused", async () => {
    const uploaded = await bucket().upload("user%2F..%2F..%2Fescape.jpg", "x", { contentType: "image/jpeg" });
    assert.equal(code(uploaded.error), "400");
    assert.equal(uploaded.error?.message, "Invalid key: user/../../escape.jpg contains dot path segment");
    const updated = await bucket().update("user%2F.%2Fa.jpg", "x", { contentType: "image/jpeg" });
    assert.equal(updated.error?.message, "Invalid key: user/./a.jpg contains dot path segment");
    assert.deepEqual(await allKeys(), ["user/a.jpg"]);
  });

  test("a signed upload URL for a key with `..` is refused", async () => {
    const signed = await bucket().createSignedUploadUrl("user%2F..%2Fescape.jpg");
    assert.equal(code(signed.error), "400");
    assert.equal(signed.error?.message, "Invalid key: user/../escape.jpg contains dot path segment");
  });

  test("dots inside a segment are ordinary characters", async () => {
    for (const key of ["user/..hidden.jpg", "user/a..b.jpg", "user/.../x.jpg", "user/.profile"]) {
      assert.equal((await bucket().upload(key, "ok", { contentType: "image/jpeg" })).error, null, key);
    }
    assert.equal((await bucket().move("user/a..b.jpg", "user/...b.jpg")).error, null);
    assert.deepEqual(await allKeys(), ["user/...b.jpg", "user/.../x.jpg", "user/..hidden.jpg", "user/.profile", "user/a.jpg"].sort());
  });
});
