// An album's counters as record_entry_results keeps them (docs/architecture.md#entry-counters): it adds
// what each batch changed instead of recounting the album, and must land exactly where a full recount
// (refresh_album_counters) does, whatever the batches hold.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createAlbum } from "./support/album-run.ts";
import { withPlatform } from "./support/platform.ts";

type Result = { idx: number; status: "uploaded" | "skipped" | "failed"; size: number };

describe("album entry counters", () => {
  const platform = withPlatform();

  const counters = async (albumId: string) => {
    const { data, error } = await platform.admin.from("albums")
      .select("entries_total, uploaded, skipped, failed, bytes_done, bytes_total").eq("id", albumId).single();
    assert.equal(error, null, error?.message);
    return data;
  };

  const record = async (albumId: string, results: Result[]) => {
    const { error } = await platform.admin.rpc("record_entry_results", {
      p_album: albumId,
      p_results: results.map((r) => ({
        ...r, name: `IMG_${r.idx}.jpg`, path: r.status === "uploaded" ? `p/${albumId}/IMG_${r.idx}.jpg` : null,
        reason: r.status === "uploaded" ? null : "not a photo", reason_code: r.status === "uploaded" ? null : "not_photo",
        content_type: r.status === "uploaded" ? "image/jpeg" : null,
      })),
    });
    assert.equal(error, null, error?.message);
  };

  test("batches of new, repeated, retried and already uploaded results leave the counters a full recount gives", async () => {
    const user = await platform.newUser();
    const album = await createAlbum(user);
    const rows = Array.from({ length: 40 }, (_, idx) => ({
      idx, name: `IMG_${idx}.jpg`, path: null, size: 1000 + idx, status: "pending", reason: null, reason_code: null,
    }));
    const { error } = await platform.admin.rpc("insert_album_entries", { p_album: album.id, p_rows: rows });
    assert.equal(error, null, error?.message);

    await record(album.id, [{ idx: 0, status: "uploaded", size: 900 }, { idx: 1, status: "skipped", size: 5 }, { idx: 2, status: "failed", size: 0 }]);
    // The same entry twice in one batch, an entry failed before and now uploaded, and one already
    // uploaded (which stays as it was).
    await record(album.id, [
      { idx: 3, status: "uploaded", size: 700 }, { idx: 3, status: "uploaded", size: 700 },
      { idx: 2, status: "uploaded", size: 1002 }, { idx: 0, status: "failed", size: 1 },
    ]);
    await record(album.id, []);
    await record(album.id, Array.from({ length: 30 }, (_, k) => ({ idx: 10 + k, status: k % 3 ? "uploaded" : "skipped", size: 2000 + k })));

    const kept = await counters(album.id);
    assert.deepEqual([kept.uploaded, kept.skipped, kept.failed, kept.entries_total], [3 + 20, 1 + 10, 0, 40]);
    const { error: refreshError } = await platform.admin.rpc("refresh_album_counters", { p_album: album.id });
    assert.equal(refreshError, null, refreshError?.message);
    assert.deepEqual(await counters(album.id), kept, "a full recount finds the same counters");
  });
});
