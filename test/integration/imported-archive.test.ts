// A zip dropped on the home page is recognised before anything is sent: the browser computes the
// archive's fingerprint from the file's last bytes (lib/archive-fingerprint.ts) and finds the album
// holding it through row-level security (lib/imported-archive.ts). Checked against the function's own
// fingerprint, across users, and for an upload the person cancelled with parts still missing.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg } from "./support/images.ts";
import { createAlbum, readAlbum, waitForEnd } from "./support/album-run.ts";
import { withPlatform } from "./support/platform.ts";
import { ANON_KEY } from "../../local-supabase/test/support/platform.ts";
import { bufferSource, sendDirectory, sendSegment, segmentsOf, uploadSegmented } from "./support/segmented-upload.ts";
import { uploadPath } from "../../supabase/functions/_shared/upload-protocol.ts";
import { fingerprintOfFile } from "../../lib/archive-fingerprint.ts";
import { findImportedArchive } from "../../lib/imported-archive.ts";
import type { Database } from "../../lib/database.types.ts";

const MiB = 1024 * 1024;

describe("recognising a zip already imported, before sending it", () => {
  const platform = withPlatform({ tmpBytes: 6 * MiB });
  const photos = Array.from({ length: 12 }, (_, i) => jpeg(300_000 + i * 500, i + 1));
  const archive = buildZip(photos.map((data, i) => ({ name: `IMG_${i}.jpg`, data, method: "store" })));
  const fileOf = (bytes: Buffer, name: string) => new File([new Uint8Array(bytes)], name);
  const typed = (client: SupabaseClient) => client as unknown as SupabaseClient<Database>;

  test("the browser's fingerprint is the function's; the owner's album is found whole, another user's never", async () => {
    const user = await platform.newUser();
    const album = await createAlbum(user, "Trip");
    const options = { url: platform.url, accessToken: user.accessToken, albumId: album.id };
    const fingerprint = await fingerprintOfFile(fileOf(archive, "trip.zip"));
    assert.equal(await findImportedArchive(typed(user.client), fingerprint), null, "nothing imported yet");

    const run = await uploadSegmented(options, bufferSource(archive, "trip.zip"), { readSegments: segmentsOf(user.client) });
    assert.equal(run.directory.body.fingerprint, fingerprint);
    assert.equal((await waitForEnd(user.client, album.id)).status, "ready");
    assert.deepEqual(await findImportedArchive(typed(user.client), fingerprint), { albumId: album.id, albumName: "Trip", complete: true, sending: false });

    const stranger = await platform.newUser();
    assert.equal(await findImportedArchive(typed(stranger.client), fingerprint), null, "row-level security keeps it the owner's");
  });

  test("a cancelled upload is found with parts missing, its album interrupted and saying so", async () => {
    const user = await platform.newUser();
    const album = await createAlbum(user, "Half");
    const options = { url: platform.url, accessToken: user.accessToken, albumId: album.id };
    const directory = await sendDirectory(options, bufferSource(archive, "half.zip"));
    assert.equal(directory.status, 200, JSON.stringify(directory.body));
    const [first] = directory.body.segments;
    assert.equal((await sendSegment(options, directory.body.archive, first, archive.subarray(first.start, first.end))).status, 202);

    const cancelled = await fetch(`${platform.url}${uploadPath({ form: "leave", album: album.id, reason: "cancelled" })}`, {
      method: "POST", headers: { Authorization: `Bearer ${user.accessToken}`, apikey: ANON_KEY },
    });
    assert.equal(cancelled.status, 200);
    const interrupted = await readAlbum(user.client, album.id);
    assert.equal(interrupted.status, "interrupted");
    assert.equal(interrupted.error, "The upload was cancelled. Drop the same zip file on the album to continue.");

    const found = await findImportedArchive(typed(user.client), await fingerprintOfFile(fileOf(archive, "half.zip")));
    // The part received before Cancel may still be extracting under its lease: the album was left all the same.
    assert.deepEqual(found, { albumId: album.id, albumName: "Half", complete: false, sending: false });
  });

  test("a zip whose parts a worker holds right now is being sent, so it is not asked for again", async () => {
    const user = await platform.newUser();
    const album = await createAlbum(user, "Busy");
    const options = { url: platform.url, accessToken: user.accessToken, albumId: album.id };
    const directory = await sendDirectory(options, bufferSource(archive, "busy.zip"));
    assert.equal(directory.status, 200, JSON.stringify(directory.body));
    const fingerprint = await fingerprintOfFile(fileOf(archive, "busy.zip"));
    assert.deepEqual(await findImportedArchive(typed(user.client), fingerprint), { albumId: album.id, albumName: "Busy", complete: false, sending: false });
    // Another tab's request for a part: its worker claimed the part before the first byte arrived.
    const { data: claim } = await platform.admin.rpc("claim_segment", {
      p_album: album.id, p_archive: directory.body.archive, p_segment: directory.body.segments[1].index, p_token: "another-tab", p_lease_seconds: 60,
    });
    assert.equal((claim as { result: string }).result, "claimed");
    assert.deepEqual(await findImportedArchive(typed(user.client), fingerprint), { albumId: album.id, albumName: "Busy", complete: false, sending: true });
  });
});
