// @contract black-box
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestPlatform, SERVICE_ROLE_KEY, type ContractPlatform } from "./support/platform.ts";
import { removeBucket, storageUrl, storageUser, uniqueName } from "./storage-support.ts";

/** Polls until `check` holds: hosted empties a bucket in a background job, the local platform at once. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("storage buckets (docs/supabase-behaviour.md#buckets)", () => {
  let tp: ContractPlatform;
  before(async () => {
    tp = await startTestPlatform();
  });
  after(() => tp.close());

  test("create, get, list with options, update, empty, delete", async () => {
    const storage = tp.service().storage;
    // One run's buckets share a token, so a search finds exactly them on a target shared with others.
    const run = randomUUID().slice(0, 8);
    const [alpha, beta] = [`alpha-${run}`, `beta-${run}`];
    tp.defer(() => removeBucket(tp, alpha));
    tp.defer(() => removeBucket(tp, beta));
    assert.deepEqual(await storage.createBucket(alpha, { public: true, fileSizeLimit: "1MB", allowedMimeTypes: ["image/*"] }), { data: { name: alpha }, error: null });
    await storage.createBucket(beta, { public: false });
    const got = await storage.getBucket(alpha);
    assert.equal(got.error, null);
    assert.equal(got.data?.public, true);
    assert.equal(got.data?.file_size_limit, 1_000_000);
    assert.deepEqual(got.data?.allowed_mime_types, ["image/*"]);
    // storage-api selects no owner_id or type for one bucket, and writes a missing owner as "".
    assert.deepEqual(Object.keys(got.data!), ["id", "name", "owner", "public", "file_size_limit", "allowed_mime_types", "created_at", "updated_at"]);
    assert.equal(got.data?.owner, "");

    const all = await storage.listBuckets();
    assert.ok(all.data?.some((b) => b.id === "photos"));
    assert.deepEqual((await storage.listBuckets({ search: run })).data?.map((b) => b.id).sort(), [alpha, beta]);
    const listed = all.data!.find((b) => b.id === alpha)!;
    assert.deepEqual(Object.keys(listed), ["id", "name", "owner", "public", "type", "file_size_limit", "allowed_mime_types", "created_at", "updated_at"]);
    assert.equal(listed.owner, "");
    assert.equal(listed.type, "STANDARD");
    const page = await storage.listBuckets({ search: run, limit: 1, offset: 1, sortColumn: "name", sortOrder: "desc" });
    assert.deepEqual(page.data?.map((b) => b.id), [alpha]);
    const search = await storage.listBuckets({ search: "pho" });
    assert.ok(search.data?.some((b) => b.id === "photos"));

    assert.deepEqual(await storage.updateBucket(beta, { public: true, fileSizeLimit: 10, allowedMimeTypes: ["text/plain"] }), { data: { message: "Successfully updated" }, error: null });
    const updated = await storage.getBucket(beta);
    assert.equal(updated.data?.public, true);
    assert.equal(updated.data?.file_size_limit, 10);

    await storage.from(beta).upload("x.txt", "0123", { contentType: "text/plain" });
    const notEmpty = await storage.deleteBucket(beta);
    assert.equal(notEmpty.error?.message, "The bucket you tried to delete is not empty");
    assert.equal((notEmpty.error as { statusCode?: string }).statusCode, "409");
    assert.equal((notEmpty.error as { status?: number }).status, 400);

    assert.deepEqual(await storage.emptyBucket(beta), { data: { message: "Empty bucket has been queued. Completion may take up to an hour." }, error: null });
    await eventually(async () => (await storage.from(beta).list()).data?.length === 0);
    assert.deepEqual(await storage.deleteBucket(beta), { data: { message: "Successfully deleted" }, error: null });
    const gone = await storage.getBucket(beta);
    assert.equal((gone.error as { statusCode?: string }).statusCode, "404");
    assert.equal(gone.error?.message, "Bucket not found");
  });

  test("errors: duplicate, invalid name, bad size, missing bucket", async () => {
    const storage = tp.service().storage;
    const dup = uniqueName("dup");
    tp.defer(() => removeBucket(tp, dup));
    await storage.createBucket(dup);
    const duplicate = await storage.createBucket(dup);
    assert.equal((duplicate.error as { statusCode?: string }).statusCode, "409");
    assert.equal(duplicate.error?.message, "The resource already exists");

    const invalid = await storage.createBucket("no/slash");
    assert.equal((invalid.error as { statusCode?: string }).statusCode, "400");
    assert.equal(invalid.error?.message, "Bucket name invalid");

    const size = await storage.createBucket(uniqueName("badsize"), { public: false, fileSizeLimit: "ten" });
    assert.match(size.error?.message ?? "", /Invalid file size format/);

    const nope = uniqueName("nope");
    const missing = await storage.deleteBucket(nope);
    assert.equal((missing.error as { statusCode?: string }).statusCode, "404");
    assert.equal((await storage.updateBucket(nope, { public: true })).error?.message, "Bucket not found");
  });

  test("buckets run as the caller: RLS hides and refuses without policies", async () => {
    const user = await storageUser(tp);
    const created = await user.client.storage.createBucket(uniqueName("mine"));
    assert.equal((created.error as { statusCode?: string }).statusCode, "403");
    assert.equal(created.error?.message, "new row violates row-level security policy");
    assert.deepEqual((await user.client.storage.listBuckets()).data, []);
    assert.equal((await tp.anon().storage.getBucket("photos")).error?.message, "Bucket not found");
  });

  test("empty bucket is service_role only, with a real HTTP 403", async () => {
    const user = await storageUser(tp);
    const { error } = await user.client.storage.emptyBucket("photos");
    assert.equal((error as { status?: number }).status, 403);
    assert.equal((error as { statusCode?: string }).statusCode, "403");
  });

  test("a bad JWT is a 403-coded AccessDenied with the body shape of docs/supabase-behaviour.md#storage-errors", async () => {
    const response = await fetch(`${storageUrl(tp)}/bucket`, { headers: { Authorization: "Bearer not-a-jwt" } });
    assert.equal(response.status, 400);
    const body = await response.json();
    assert.deepEqual(Object.keys(body), ["statusCode", "error", "message", "code"]);
    assert.equal(body.statusCode, "403");
    assert.equal(body.error, "Unauthorized");
    assert.equal(body.code, "AccessDenied");
    assert.equal(body.message, "Invalid Compact JWS");
  });

  test("an unknown route is a real 404", async () => {
    const response = await fetch(`${storageUrl(tp)}/nothing/here?x=1`, { headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` } });
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { statusCode: "404", error: "Not Found", message: "Route GET:/nothing/here?x=1 not found", code: "InvalidRequest" });
  });
});
