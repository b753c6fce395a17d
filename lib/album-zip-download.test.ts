// The album zip is built with the real zip.js and read back with it; only the network is a fake (a
// fetch over a map of URLs that can fail on purpose), since the point is what reaches the zip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Uint8ArrayWriter, ZipReader, Uint8ArrayReader } from "@zip.js/zip.js";
import { archiveNames, writeAlbumZip, ZipDownloadError, type ZipPhoto, type ZipProgress } from "./album-zip-download.ts";

const bytesOf = (seed: number, size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed * 7) & 0xff);

type Served = { bytes: Uint8Array; failures?: ("status" | "short" | "reset")[] };

/** A fetch over signed URLs `https://storage.test/<path>?token=<n>`; each URL's failures are played first. */
function fakeStorage(files: Map<string, Served>) {
  const requests: string[] = [];
  let signings = 0;
  const sign = async (paths: string[]) => {
    signings++;
    return new Map(paths.map((p) => [p, `https://storage.test/${encodeURIComponent(p)}?token=${signings}`]));
  };
  const fetchFake = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    requests.push(url.pathname + url.search);
    const served = files.get(decodeURIComponent(url.pathname.slice(1)));
    if (!served) return new Response(JSON.stringify({ error: "not_found" }), { status: 400 });
    const failure = served.failures?.shift();
    if (failure === "status") return new Response("upstream timeout", { status: 503 });
    if (failure === "short") return new Response(served.bytes.slice(0, served.bytes.length >> 1));
    if (failure === "reset") {
      return new Response(new ReadableStream({
        start(controller) {
          controller.enqueue(served.bytes.slice(0, 100));
          controller.error(new TypeError("network connection lost"));
        },
      }));
    }
    return new Response(served.bytes.slice());
  }) as typeof fetch;
  return { sign, fetch: fetchFake, requests, signings: () => signings };
}

function memoryOutput() {
  const chunks: Uint8Array[] = [];
  let state: "open" | "closed" | "aborted" = "open";
  const stream = new WritableStream<Uint8Array>({
    write: (chunk) => void chunks.push(chunk.slice()),
    close: () => void (state = "closed"),
    abort: () => void (state = "aborted"),
  });
  return { stream, bytes: () => Buffer.concat(chunks), state: () => state };
}

async function readZip(bytes: Uint8Array) {
  const reader = new ZipReader(new Uint8ArrayReader(bytes), { useWebWorkers: false });
  const entries = await reader.getEntries();
  const files = new Map<string, { bytes: Uint8Array; level: number }>();
  for (const entry of entries) {
    if (entry.directory) continue;
    files.set(entry.filename, { bytes: await entry.getData!(new Uint8ArrayWriter()), level: entry.compressionMethod });
  }
  await reader.close();
  return files;
}

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function album(names: string[]) {
  const photos: ZipPhoto[] = names.map((name, i) => ({ name, path: `owner/album/${i}-${name}`, size: 5_000 + i * 777 }));
  const files = new Map(photos.map((photo, i) => [photo.path, { bytes: bytesOf(i, photo.size) } as Served]));
  return { photos, files };
}

test("the zip holds every photo under its path in the archive, stored, with the same bytes", async () => {
  const { photos, files } = album(["Day 1/IMG_4001.JPG", "Day 1/IMG_4002.JPG", "Day 2/IMG_4100.JPG", "cover.jpg"]);
  const storage = fakeStorage(files);
  const output = memoryOutput();
  const seen: ZipProgress[] = [];
  const result = await writeAlbumZip(photos, output.stream, { sign: storage.sign, fetch: storage.fetch, onProgress: (p) => seen.push(p) });

  assert.equal(output.state(), "closed");
  const zip = await readZip(output.bytes());
  assert.deepEqual([...zip.keys()], photos.map((p) => p.name));
  photos.forEach((photo) => {
    const entry = zip.get(photo.name)!;
    assert.equal(sha(entry.bytes), sha(files.get(photo.path)!.bytes), `${photo.name} has its bytes`);
    assert.equal(entry.level, 0, `${photo.name} is stored, not deflated`);
  });
  const total = photos.reduce((sum, p) => sum + p.size, 0);
  assert.deepEqual(result, { photosDone: 4, photosTotal: 4, bytesDone: total, bytesTotal: total });
  assert.deepEqual(seen.map((p) => p.photosDone), [0, 1, 2, 3, 4]);
  assert.equal(storage.signings(), 1, "one signing request for a small album");
});

test("a photo whose fetch fails, arrives short or breaks off is fetched again, and the zip is whole", async () => {
  const { photos, files } = album(["a.jpg", "b.jpg", "c.jpg"]);
  files.get(photos[0].path)!.failures = ["status"];
  files.get(photos[1].path)!.failures = ["short", "reset"];
  const storage = fakeStorage(files);
  const output = memoryOutput();
  await writeAlbumZip(photos, output.stream, { sign: storage.sign, fetch: storage.fetch, retryDelayMs: 1 });
  const zip = await readZip(output.bytes());
  for (const photo of photos) assert.equal(sha(zip.get(photo.name)!.bytes), sha(files.get(photo.path)!.bytes));
  assert.equal(storage.requests.filter((r) => r.includes("1-b.jpg")).length, 3);
});

test("a photo that keeps failing aborts the zip with an error naming it, and nothing is saved", async () => {
  const { photos, files } = album(["a.jpg", "Day 2/b.jpg", "c.jpg"]);
  files.get(photos[1].path)!.failures = ["status", "status", "status"];
  const storage = fakeStorage(files);
  const output = memoryOutput();
  await assert.rejects(
    writeAlbumZip(photos, output.stream, { sign: storage.sign, fetch: storage.fetch, attempts: 3, retryDelayMs: 1 }),
    (error: Error) => error instanceof ZipDownloadError && /Day 2\/b\.jpg could not be downloaded after 3 tries \(Storage answered HTTP 503\)\. The zip was not saved/.test(error.message),
  );
  assert.equal(output.state(), "aborted", "the output is aborted, so a file on disk is discarded");
});

test("a refused URL is signed again before the next try", async () => {
  const { photos, files } = album(["a.jpg"]);
  const storage = fakeStorage(files);
  let refusals = 1;
  const expiring = (async (input: string | URL | Request, init?: RequestInit) => {
    if (String(input).endsWith("token=1") && refusals-- > 0) return new Response('{"statusCode":"400","error":"InvalidJWT","message":"jwt expired"}', { status: 400 });
    return storage.fetch(input, init);
  }) as typeof fetch;
  const output = memoryOutput();
  await writeAlbumZip(photos, output.stream, { sign: storage.sign, fetch: expiring, retryDelayMs: 1 });
  assert.equal(storage.signings(), 2);
  assert.equal((await readZip(output.bytes())).size, 1);
});

test("cancelling stops the fetches and aborts the output", async () => {
  const { photos, files } = album(["a.jpg", "b.jpg", "c.jpg", "d.jpg"]);
  const storage = fakeStorage(files);
  const cancel = new AbortController();
  const output = memoryOutput();
  const run = writeAlbumZip(photos, output.stream, {
    sign: storage.sign, fetch: storage.fetch, signal: cancel.signal,
    onProgress: (p) => { if (p.photosDone === 1) cancel.abort(); },
  });
  await assert.rejects(run, /The download was cancelled; nothing was saved\./);
  assert.equal(output.state(), "aborted");
});

test("large albums are signed a batch at a time as the zip reaches them", async () => {
  const { photos, files } = album(Array.from({ length: 250 }, (_, i) => `IMG_${i}.jpg`).map((n) => n));
  for (const photo of photos) photo.size = 10;
  for (const [i, photo] of photos.entries()) files.set(photo.path, { bytes: bytesOf(i, 10) });
  const storage = fakeStorage(files);
  const output = memoryOutput();
  await writeAlbumZip(photos, output.stream, { sign: storage.sign, fetch: storage.fetch });
  assert.equal(storage.signings(), 3);
  assert.equal((await readZip(output.bytes())).size, 250);
});

test("archive names keep folders, drop what unzip tools refuse, and are unique ignoring case", () => {
  assert.deepEqual(
    archiveNames(["Day 1/IMG_1.JPG", "Day 1/IMG_1.JPG", "day 1/img_1.jpg", "/etc/../x.jpg", "a\\b.jpg", "..", "noext", "noext"]),
    ["Day 1/IMG_1.JPG", "Day 1/IMG_1 (2).JPG", "day 1/img_1 (3).jpg", "etc/x.jpg", "a/b.jpg", "photo", "noext", "noext (2)"],
  );
});
