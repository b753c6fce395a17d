// The album zip (docs/architecture.md#downloading-photos-as-a-zip) from real signed URLs of the local
// platform: an album imported by the function, its photos zipped with the app's own code through the
// owner's supabase-js client and Node's fetch, and the zip read back with zip.js — the same names, folders
// kept, and the same bytes. Another user's client cannot sign them, so their zip fails naming the photo.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from "@zip.js/zip.js";
import { signerFor, writeAlbumZip, ZipDownloadError, type ZipPhoto } from "../../lib/album-zip-download.ts";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg } from "./support/images.ts";
import { createAlbum, postArchive, waitForEnd } from "./support/album-run.ts";
import { readEntries } from "./support/album-checks.ts";
import { withPlatform } from "./support/platform.ts";

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function collect() {
  const chunks: Uint8Array[] = [];
  return { stream: new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk.slice()) }), bytes: () => Buffer.concat(chunks) };
}

describe("the album zip from signed URLs", () => {
  const platform = withPlatform();

  test("holds every photo of the album under its path in the archive, byte for byte", async () => {
    const sources = [
      { name: "Day 1/IMG_4001.JPG", data: jpeg(40_000, 1) },
      { name: "Day 1/IMG 4002 (2).JPG", data: jpeg(30_000, 2) },
      { name: "Day 2/Été.jpg", data: jpeg(20_000, 3) },
    ];
    const user = await platform.newUser();
    const { id } = await createAlbum(user);
    assert.equal((await postArchive(platform.url, user.accessToken, id, buildZip(sources))).status, 202);
    assert.equal((await waitForEnd(user.client, id)).status, "ready");
    const photos: ZipPhoto[] = (await readEntries(user.client, id)).map((row) => ({ name: row.name, path: row.path!, size: row.size }));

    const output = collect();
    const progress = await writeAlbumZip(photos, output.stream, { sign: signerFor(user.client.storage.from("photos"), 60) });
    assert.equal(progress.photosDone, 3);

    const reader = new ZipReader(new Uint8ArrayReader(output.bytes()), { useWebWorkers: false });
    const entries = await reader.getEntries();
    const zipped = new Map<string, string>();
    for (const entry of entries) {
      assert.equal(entry.directory, false, `${entry.filename} is a photo, not a folder`);
      if (!entry.directory) zipped.set(entry.filename, sha(await entry.getData(new Uint8ArrayWriter())));
    }
    await reader.close();
    assert.deepEqual(zipped, new Map(sources.map((s) => [s.name, sha(s.data)])));
  });

  test("another user's client cannot sign the photos, and the zip fails naming the first", async () => {
    const owner = await platform.newUser();
    const { id } = await createAlbum(owner);
    assert.equal((await postArchive(platform.url, owner.accessToken, id, buildZip([{ name: "a/IMG_1.jpg", data: jpeg(5_000, 1) }]))).status, 202);
    await waitForEnd(owner.client, id);
    const photos: ZipPhoto[] = (await readEntries(owner.client, id)).map((row) => ({ name: row.name, path: row.path!, size: row.size }));
    const stranger = await platform.newUser();
    await assert.rejects(
      writeAlbumZip(photos, collect().stream, { sign: signerFor(stranger.client.storage.from("photos"), 60), attempts: 2, retryDelayMs: 1 }),
      (error: Error) => error instanceof ZipDownloadError && /^a\/IMG_1\.jpg could not be downloaded after 2 tries \(it could not be signed/.test(error.message),
    );
  });
});
