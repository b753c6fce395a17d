import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { spoolBody } from "../album-upload/spool.ts";
import { UploadProblem } from "../_shared/upload-protocol.ts";

function bodyOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

async function spoolProblem(body: ReadableStream<Uint8Array> | null, max = 1000): Promise<string> {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/a.zip`;
  let problem = "";
  await assertRejects(() => spoolBody(body, path, max), (e) => {
    assert(e instanceof UploadProblem, String(e));
    problem = e.code;
  });
  assert(!await exists(path), "the partial file is removed");
  await Deno.remove(dir, { recursive: true });
  return problem;
}

Deno.test("streams the body to disk in chunks and counts bytes", async () => {
  const dir = await Deno.makeTempDir();
  const chunks = [new Uint8Array([0x50, 0x4b]), new Uint8Array([3, 4, 9, 9]), new Uint8Array(5000).fill(7)];
  const spooled = await spoolBody(bodyOf(...chunks), `${dir}/a.zip`, 10_000);
  assertEquals(spooled.bytes, 5006);
  const written = await Deno.readFile(`${dir}/a.zip`);
  assertEquals([...written.subarray(0, 6)], [0x50, 0x4b, 3, 4, 9, 9]);
  assertEquals(written.length, 5006);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("accepts the end record of an empty zip as a signature", async () => {
  const dir = await Deno.makeTempDir();
  const empty = new Uint8Array(22);
  empty.set([0x50, 0x4b, 5, 6]);
  assertEquals((await spoolBody(bodyOf(empty), `${dir}/e.zip`, 100)).bytes, 22);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("refuses bodies that pass the archive limit, are not zips, split or empty", async () => {
  const zipStart = new Uint8Array([0x50, 0x4b, 3, 4]);
  assertEquals(await spoolProblem(bodyOf(zipStart, new Uint8Array(600), new Uint8Array(600))), "single_too_large");
  assertEquals(await spoolProblem(bodyOf(new TextEncoder().encode("%PDF-1.7 ..."))), "not_zip");
  assertEquals(await spoolProblem(bodyOf(new Uint8Array([0x50, 0x4b, 7, 8, 0x50, 0x4b, 3, 4]))), "split");
  assertEquals(await spoolProblem(bodyOf(new Uint8Array([0x50, 0x4b]))), "not_zip");
  assertEquals(await spoolProblem(bodyOf()), "empty");
  assertEquals(await spoolProblem(null), "empty");
});

/** A byte stream, as request bodies are. */
function byteBodyOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else {
        controller.close();
      }
    },
  });
}

Deno.test("writes byte streams through its 1 MiB buffer across boundaries, byte for byte", async () => {
  const dir = await Deno.makeTempDir();
  // 3.7 MiB in uneven chunks: the 1 MiB buffer fills mid-chunk, and one chunk is larger than the buffer.
  const sizes = [4, 700_000, 65_536, 900_000, 1_000_000, 1_200_000, 10_000, 1];
  const expected = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
  for (let i = 0; i < expected.length; i++) expected[i] = (i * 31 + 7) & 0xff;
  expected.set([0x50, 0x4b, 3, 4]);
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const size of sizes) {
    chunks.push(expected.slice(at, at + size));
    at += size;
  }
  const spooled = await spoolBody(byteBodyOf(...chunks), `${dir}/a.zip`, 10_000_000);
  assertEquals(spooled.bytes, expected.length);
  const written = await Deno.readFile(`${dir}/a.zip`);
  assertEquals(written.length, expected.length);
  assert(written.every((b, i) => b === expected[i]), "the file holds exactly the body");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("refuses byte-stream bodies that pass the limit or are not zips", async () => {
  const zipStart = new Uint8Array([0x50, 0x4b, 3, 4]);
  assertEquals(await spoolProblem(byteBodyOf(zipStart, new Uint8Array(600), new Uint8Array(600))), "single_too_large");
  assertEquals(await spoolProblem(byteBodyOf(new TextEncoder().encode("%PDF-1.7 ..."))), "not_zip");
  assertEquals(await spoolProblem(byteBodyOf()), "empty");
});
