import { assert, assertEquals } from "./support/assert.ts";
import { type Entry, ZipReader } from "@zip.js/zip.js";
import { ZipFileReader } from "../_shared/zip-file-reader.ts";
import { buildZip, fakeJpeg, text } from "./support/zip-builder.ts";

async function tempFile(bytes: Uint8Array): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".zip" });
  await Deno.writeFile(path, bytes);
  return path;
}

Deno.test("small reads served from the read-ahead window match the file, across its edges and after large reads", async () => {
  const bytes = Uint8Array.from({ length: 700_000 }, (_, i) => (i * 31) % 253);
  const path = await tempFile(bytes);
  const reader = new ZipFileReader(path);
  try {
    await reader.init();
    // Headers and small entries in file order, a range straddling the window's end, a large slice, and
    // ranges behind and at the end of the file.
    const ranges: [number, number][] = [[0, 30], [30, 20_000], [20_030, 30], [262_100, 200], [300_000, 400_000], [100, 64], [699_990, 100]];
    for (const [at, length] of ranges) {
      const got = await reader.readUint8Array(at, length);
      assertEquals(got.length, Math.max(0, Math.min(length, bytes.length - at)), `${at}+${length}`);
      assert(got.every((x, i) => x === bytes[at + i]), `${at}+${length}`);
    }
    // A range handed out earlier stays intact when a later read loads another window.
    const early = await reader.readUint8Array(10, 50);
    const copy = early.slice();
    await reader.readUint8Array(500_000, 50);
    assertEquals([...early], [...copy]);
  } finally {
    reader.close();
    await Deno.remove(path);
  }
});

Deno.test("reads arbitrary byte ranges of a file, clamped at its end", async () => {
  const bytes = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
  const path = await tempFile(bytes);
  const reader = new ZipFileReader(path);
  try {
    await reader.init();
    assertEquals(reader.size, 5000);
    assertEquals([...await reader.readUint8Array(4990, 5)], [...bytes.subarray(4990, 4995)]);
    assertEquals([...await reader.readUint8Array(0, 3)], [0, 1, 2]);
    assertEquals((await reader.readUint8Array(4998, 100)).length, 2);
    assertEquals((await reader.readUint8Array(6000, 10)).length, 0);
    // Concurrent reads share one cursor; each must still get its own range.
    const ranges = await Promise.all([100, 2000, 7, 4000].map((at) => reader.readUint8Array(at, 300)));
    ranges.forEach((r, i) => assertEquals([...r], [...bytes.subarray([100, 2000, 7, 4000][i], [100, 2000, 7, 4000][i] + 300)]));
  } finally {
    reader.close();
    await Deno.remove(path);
  }
});

Deno.test("zip.js lists and extracts entries through the file reader", async () => {
  const photo = fakeJpeg(300_000);
  const zip = await buildZip([
    { name: "a.jpg", data: photo },
    { name: "b.txt", data: text("hello ".repeat(1000)), method: "deflate" },
  ]);
  const path = await tempFile(zip);
  const reader = new ZipFileReader(path);
  try {
    const zipReader = new ZipReader(reader, { useWebWorkers: false });
    const names: string[] = [];
    let extracted = 0;
    for await (const entry of zipReader.getEntriesGenerator() as AsyncGenerator<Entry>) {
      names.push(entry.filename);
      if (!entry.directory) {
        const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
        const [data] = await Promise.all([new Response(readable).arrayBuffer(), entry.getData(writable)]);
        extracted += data.byteLength;
        if (entry.filename === "a.jpg") assert(new Uint8Array(data).every((b, i) => b === photo[i]));
      }
    }
    assertEquals(names, ["a.jpg", "b.txt"]);
    assertEquals(extracted, photo.length + 6000);
  } finally {
    reader.close();
    await Deno.remove(path);
  }
});
