// Per-user limits and the check constraints on what signed-in users write (docs/architecture.md#per-user-limits),
// as a user meets them through supabase-js: the PostgREST error code, hint and message each refusal
// carries, and the figures the app turns into its own sentence (lib/album-write-errors.ts).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { deleteAlbumCompletely, type DeletionClient } from "../../lib/album-deletion.ts";
import { albumWriteMessage } from "../../lib/album-write-errors.ts";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg } from "./support/images.ts";
import { createAlbum, eventually, postArchive, readAlbum, type User } from "./support/album-run.ts";
import { withPlatform } from "./support/platform.ts";

const GiB = 1024 ** 3;

describe("per-user limits and check constraints", () => {
  const platform = withPlatform();

  /** How a deployer changes the limits (README, "Per-user limits"): one settings row. */
  async function setLimits(limits: { max_albums_per_user?: number; max_bytes_per_user?: number }) {
    const { error } = await platform.admin.from("album_quota_settings").update(limits).eq("singleton", true);
    assert.equal(error, null, error?.message);
  }

  async function quota(user: User) {
    const { data, error } = await user.client.rpc("my_album_quota");
    assert.equal(error, null, error?.message);
    return (data as { albums: number; bytes: number; max_albums: number; max_bytes: number }[])[0];
  }

  test("the defaults are 1,000 albums and 20 GiB per user, and users can read their own usage", async () => {
    const user = await platform.newUser();
    assert.deepEqual(await quota(user), { albums: 0, bytes: 0, max_albums: 1000, max_bytes: 20 * GiB });
    const settings = await user.client.from("album_quota_settings").select();
    assert.equal(settings.error?.code, "42501", "signed-in users cannot read or change the settings");
  });

  test("every column a user writes is bounded by a check constraint", async () => {
    const user = await platform.newUser();
    const refused = async (row: Record<string, unknown>, constraint: string) => {
      const { error, status } = await user.client.from("albums").insert(row).select();
      assert.equal(status, 400, JSON.stringify(row));
      assert.equal(error?.code, "23514");
      assert.equal(error?.message, `new row for relation "albums" violates check constraint "${constraint}"`);
      assert.notEqual(albumWriteMessage(error!), error!.message, `the app has a sentence for ${constraint}`);
    };
    await refused({ name: "" }, "albums_name_check");
    await refused({ name: "x".repeat(201) }, "albums_name_check");
    await refused({ name: " \t " }, "albums_name_not_blank");
    await refused({ name: "Trip", source_name: "x".repeat(256) + ".zip" }, "albums_source_name_length");
    await refused({ name: "Trip", source_name: "" }, "albums_source_name_length");
    await refused({ name: "Trip", source_bytes: -5 }, "albums_source_bytes_not_negative");

    const ok = await user.client.from("albums")
      .insert({ name: "y".repeat(200), source_name: "z".repeat(251) + ".zip", source_bytes: 0 }).select().single();
    assert.equal(ok.error, null, ok.error?.message);
    const rename = await user.client.from("albums").update({ name: "   " }).eq("id", ok.data.id).select();
    assert.equal(rename.error?.code, "23514");
    // Columns outside the grants stay out of reach whatever their value.
    const status = await user.client.from("albums").update({ status: "ready" }).eq("id", ok.data.id);
    assert.equal(status.error?.code, "42501");
  });

  test("the album limit refuses one more album with a clear message, even for a burst of parallel inserts", async () => {
    await setLimits({ max_albums_per_user: 3 });
    try {
      const user = await platform.newUser();
      const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => user.client.from("albums").insert({ name: `A${i}` }).select()));
      assert.equal(burst.filter((r) => r.error === null).length, 3, "exactly the limit got through");
      const refused = burst.find((r) => r.error !== null)!;
      assert.equal(refused.status, 403);
      assert.equal(refused.error?.code, "PT403");
      assert.equal(refused.error?.hint, "album_limit");
      assert.equal(refused.error?.message, "You have reached the limit of 3 albums. Delete albums you no longer need to make room for new ones.");
      assert.deepEqual(JSON.parse(refused.error!.details), { albums: 3, maxAlbums: 3 });
      assert.equal(albumWriteMessage(refused.error!), "You have reached the limit of 3 albums. Delete albums you no longer need to make room for new ones.");
      assert.equal((await quota(user)).albums, 3);
      // The limit is per user.
      const other = await platform.newUser();
      assert.equal((await other.client.from("albums").insert({ name: "Mine" })).error, null);
      // Deleting one makes room again.
      const { data } = await user.client.from("albums").select("id").limit(1).single();
      assert.ok((await deleteAlbumCompletely(user.client as unknown as DeletionClient, user.id, data!.id)).ok);
      assert.equal((await user.client.from("albums").insert({ name: "Again" })).error, null);
    } finally {
      await setLimits({ max_albums_per_user: 1000 });
    }
  });

  test("the byte quota counts stored photos and archives on their way, and refuses an archive that would not fit", async () => {
    await setLimits({ max_bytes_per_user: 100_000 });
    try {
      const user = await platform.newUser();
      // The archive's declared size is checked when its album is created: before any byte is sent.
      const tooBig = await user.client.from("albums").insert({ name: "Big", source_name: "big.zip", source_bytes: 150_000 }).select();
      assert.equal(tooBig.status, 403);
      assert.equal(tooBig.error?.code, "PT403");
      assert.equal(tooBig.error?.hint, "storage_quota");
      assert.deepEqual(JSON.parse(tooBig.error!.details), { requested: 150_000, used: 0, maxBytes: 100_000 });
      assert.equal(albumWriteMessage(tooBig.error!), "This archive (146 KB) does not fit in your storage: 97.7 KB of 97.7 KB is left. Delete albums you no longer need, then try again.");

      // 60 KB of photos, stored through the function.
      const photos = Array.from({ length: 6 }, (_, i) => jpeg(10_000, i + 1));
      const archive = buildZip(photos.map((data, i) => ({ name: `IMG_${i}.jpg`, data })));
      const { id } = await createAlbum(user);
      assert.equal((await postArchive(platform.url, user.accessToken, id, archive)).status, 202);
      await eventually("the album to be ready", async () => ((await readAlbum(user.client, id)).status === "ready" ? true : undefined));
      assert.equal((await quota(user)).bytes, 60_000, "stored photos count, byte for byte");

      // A second album's archive is reserved while it is on its way.
      const next = await user.client.from("albums").insert({ name: "Next", source_bytes: 30_000 }).select().single();
      assert.equal(next.error, null, next.error?.message);
      assert.equal((await quota(user)).bytes, 90_000);
      const over = await user.client.from("albums").insert({ name: "Over", source_bytes: 10_001 }).select();
      assert.equal(over.error?.hint, "storage_quota");
      assert.deepEqual(JSON.parse(over.error!.details), { requested: 10_001, used: 90_000, maxBytes: 100_000 });

      // Archives recorded on an album (the segmented upload's directory request) are held to the same limit.
      const archiveRow = (album: string, bytes: number) => ({
        album_id: album, ordinal: 1, fingerprint: `${bytes}:${"0".repeat(64)}`, bytes, idx_base: 0, entry_count: 1,
      });
      const refusedArchive = await platform.admin.from("album_archives").insert(archiveRow(next.data.id, 40_001));
      assert.equal(refusedArchive.error?.hint, "storage_quota", refusedArchive.error?.message);
      const allowance = await platform.admin.rpc("album_upload_allowance", { p_album: next.data.id });
      assert.equal(allowance.data, 40_000, "what is left beside the stored photos");
      assert.equal((await platform.admin.from("album_archives").insert(archiveRow(next.data.id, 40_000))).error, null);

      // Deleting the album with the photos gives its bytes back.
      assert.ok((await deleteAlbumCompletely(user.client as unknown as DeletionClient, user.id, id)).ok);
      assert.equal((await quota(user)).bytes, 30_000);
    } finally {
      await setLimits({ max_bytes_per_user: 20 * GiB });
    }
  });

  test("an album that did not declare its archive's size is held to the quota once the function knows it", async () => {
    await setLimits({ max_bytes_per_user: 100_000 });
    try {
      const user = await platform.newUser();
      const { id } = await createAlbum(user); // no source_bytes: nothing reserved, nothing checked yet
      const archive = buildZip(Array.from({ length: 6 }, (_, i) => ({ name: `IMG_${i}.jpg`, data: jpeg(20_000, i + 1) })));
      const answer = await postArchive(platform.url, user.accessToken, id, archive);
      assert.equal(answer.status, 403, JSON.stringify(answer.body));
      assert.equal(answer.body.code, "storage_quota");
      assert.match(String(answer.body.message), /^This archive \([\d.]+ KB\) does not fit in your storage: 97\.7 KB of 97\.7 KB is left\. Delete albums you no longer need, then try again\.$/);
      const album = await readAlbum(user.client, id);
      assert.equal(album.status, "failed");
      assert.equal(album.error, answer.body.message);
      assert.equal((await quota(user)).bytes, 0, "nothing was stored");
    } finally {
      await setLimits({ max_bytes_per_user: 20 * GiB });
    }
  });
});
