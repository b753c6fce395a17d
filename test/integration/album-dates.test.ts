// The span of dates an album's photos were taken over (docs/architecture.md#photos-in-time-and-folders),
// through supabase-js against the real database: the app's own albumDateSpans() and the SQL function
// behind it, row level security included.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { albumDateSpans } from "../../lib/album-dates.ts";
import type { Database } from "../../lib/database.types.ts";
import { createAlbum, type User } from "./support/album-run.ts";
import { withPlatform } from "./support/platform.ts";

type Row = { idx: number; status: "uploaded" | "skipped" | "pending"; taken_at: string | null };

describe("album date spans", () => {
  const platform = withPlatform();
  const client = (user: User) => user.client as unknown as SupabaseClient<Database>;

  /** An album whose rows are written directly, as extraction would leave them. */
  async function albumWith(user: User, rows: Row[]): Promise<string> {
    const album = await createAlbum(user);
    const { error } = await platform.admin.from("album_entries").insert(rows.map((row) => ({
      album_id: album.id, idx: row.idx, name: `IMG_${row.idx}.jpg`, size: 100, status: row.status, taken_at: row.taken_at,
      path: row.status === "uploaded" ? `${user.id}/${album.id}/IMG_${row.idx}.jpg` : null,
      reason: row.status === "skipped" ? "Not a photo." : null,
    })));
    assert.equal(error, null, error?.message);
    return album.id;
  }

  test("each album's first and last date taken, counting only its photos, nulls without dates", async () => {
    const user = await platform.newUser();
    const trip = await albumWith(user, [
      { idx: 0, status: "uploaded", taken_at: "2024-07-14T09:00:00Z" },
      { idx: 1, status: "uploaded", taken_at: "2024-07-12T18:30:00Z" },
      { idx: 2, status: "uploaded", taken_at: null },
      { idx: 3, status: "skipped", taken_at: "2020-01-01T00:00:00Z" },
      { idx: 4, status: "pending", taken_at: null },
    ]);
    const undated = await albumWith(user, [{ idx: 0, status: "uploaded", taken_at: null }]);
    const empty = (await createAlbum(user, "Empty")).id;

    const spans = await albumDateSpans(client(user));
    assert.equal(spans.size, 3);
    const trips = spans.get(trip)!;
    assert.equal(Date.parse(trips.first!), Date.parse("2024-07-12T18:30:00Z"));
    assert.equal(Date.parse(trips.last!), Date.parse("2024-07-14T09:00:00Z"));
    assert.deepEqual(spans.get(undated), { first: null, last: null });
    assert.deepEqual(spans.get(empty), { first: null, last: null });

    const one = await albumDateSpans(client(user), trip);
    assert.deepEqual([...one.keys()], [trip]);
  });

  test("nobody reads the dates of another user's albums", async () => {
    const owner = await platform.newUser();
    const album = await albumWith(owner, [{ idx: 0, status: "uploaded", taken_at: "2024-07-14T09:00:00Z" }]);
    const stranger = await platform.newUser();
    assert.equal((await albumDateSpans(client(stranger))).size, 0);
    assert.equal((await albumDateSpans(client(stranger), album)).size, 0);
    const { error } = await platform.anon().rpc("album_date_spans");
    assert.ok(error, "the anon role may not call it");
  });
});
