// The shared upload contract: the directory locator over an archive's last bytes (classic, zip64,
// prepended data, long comments, split parts, fake end records), the fingerprint, and the problem list.
import {
  archiveFingerprint, directoryBytes, type DirectoryLocation, locateDirectory, PROBLEM_CODES, PROBLEMS, problemBody,
  readProblem, TAIL_PROBE_BYTES, uploadPath, UploadProblem,
} from "../_shared/upload-protocol.ts";
import { assert, assertEquals } from "./support/assert.ts";
import { buildZip, fakeJpeg } from "./support/zip-builder.ts";

/** Locates the directory the way the browser does: the last bytes first, then as far back as asked. */
function locate(archive: Uint8Array, head = true): DirectoryLocation {
  let from = Math.max(0, archive.length - TAIL_PROBE_BYTES);
  for (let round = 0; round < 4; round++) {
    const result = locateDirectory(archive.subarray(from), archive.length, head ? archive.subarray(0, 4) : undefined);
    if ("location" in result) return result.location;
    assert(result.readFrom < from, `readFrom ${result.readFrom} must move back from ${from}`);
    from = result.readFrom;
  }
  throw new Error("locator did not settle");
}

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert(error instanceof UploadProblem, `expected an UploadProblem, got ${error}`);
    return error.code;
  }
  throw new Error("expected a refusal");
}

const photos = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `p${i}.jpg`, data: fakeJpeg(500, i) }));

Deno.test("locator finds a classic directory and reports its exact bytes", async () => {
  const archive = await buildZip(photos(3));
  const location = locate(archive);
  assertEquals(location.declaredEntries, 3);
  assertEquals(location.zip64, false);
  assertEquals(location.shift, 0);
  assertEquals(location.endRecordsStart, archive.length - 22);
  assertEquals(location.directoryStart + location.directoryLength, location.endRecordsStart);
  const bytes = directoryBytes(archive.subarray(location.directoryStart), location);
  assertEquals(new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true), 0x02014b50);
});

Deno.test("locator reads zip64 end records", async () => {
  const archive = await buildZip(photos(2), { zip64: true });
  const location = locate(archive);
  assertEquals(location.zip64, true);
  assertEquals(location.declaredEntries, 2);
  assertEquals(location.endRecordsStart, archive.length - 22 - 20 - 56);
});

Deno.test("locator asks for more bytes when the tail does not reach the directory", async () => {
  const many = Array.from({ length: 2000 }, (_, i) => ({ name: `${"folder/".repeat(8)}photo-${i}.jpg`, data: new Uint8Array(1) }));
  const archive = await buildZip(many);
  const first = locateDirectory(archive.subarray(archive.length - TAIL_PROBE_BYTES), archive.length);
  assert("readFrom" in first, "a 2,000-entry directory is larger than the probe");
  const location = locate(archive);
  assertEquals(first.readFrom, location.directoryStart);
});

Deno.test("locator measures the shift of data prepended to the archive", async () => {
  const archive = await buildZip(photos(2));
  const prefixed = new Uint8Array(1000 + archive.length);
  prefixed.set(archive, 1000);
  assertEquals(locate(prefixed, false).shift, 1000);
});

Deno.test("locator skips a comment that contains an end-record signature", async () => {
  const fake = String.fromCharCode(0x50, 0x4b, 5, 6) + "x".repeat(30);
  const archive = await buildZip(photos(1), { comment: fake });
  assertEquals(locate(archive).declaredEntries, 1);
});

Deno.test("the last part of a split set is split whatever its first bytes are", async () => {
  const archive = await buildZip(photos(1), { diskNumber: 2 });
  const body = archive.slice();
  body.set([0x12, 0x34, 0x56, 0x78], 0); // a .zip part continues data: its first bytes are not a signature
  assertEquals(problemOf(() => locateDirectory(body, body.length, body.subarray(0, 4))), "split");
});

Deno.test("a file that merely contains an end-record signature is not a zip", () => {
  const bytes = new Uint8Array(5000).fill(7);
  bytes.set([0x50, 0x4b, 5, 6], 4000); // 22 bytes of zeros after: a plausible record pointing at nothing
  bytes.fill(0, 4004, 4022);
  bytes[4012] = 100; // directory length 100, offset 0: the bytes there are no central record
  assertEquals(problemOf(() => locateDirectory(bytes, bytes.length)), "not_zip");
});

Deno.test("a zip cut short is truncated; other bytes are not a zip", async () => {
  const archive = await buildZip(photos(2));
  const cut = archive.subarray(0, archive.length - 30);
  assertEquals(problemOf(() => locateDirectory(cut, cut.length, cut.subarray(0, 4))), "truncated");
  const text = new TextEncoder().encode("hello, this is not a zip at all".repeat(10));
  assertEquals(problemOf(() => locateDirectory(text, text.length, text.subarray(0, 4))), "not_zip");
  assertEquals(problemOf(() => locateDirectory(new Uint8Array(0), 0)), "empty");
});

Deno.test("an empty archive has an empty directory", async () => {
  const archive = await buildZip([]);
  const location = locate(archive);
  assertEquals(location.declaredEntries, 0);
  assertEquals(location.directoryLength, 0);
});

Deno.test("fingerprint is the size and the directory's SHA-256, identical from any copy of the bytes", async () => {
  const archive = await buildZip(photos(3));
  const location = locate(archive);
  const fromTail = await archiveFingerprint(archive.length, directoryBytes(archive.subarray(location.directoryStart), location));
  const whole = await archiveFingerprint(archive.length, archive.slice(location.directoryStart, location.endRecordsStart));
  assertEquals(fromTail, whole);
  assert(/^\d+:[0-9a-f]{64}$/.test(fromTail), fromTail);
  const other = await buildZip(photos(4));
  const otherLocation = locate(other);
  assert(await archiveFingerprint(other.length, directoryBytes(other.subarray(otherLocation.directoryStart), otherLocation)) !== fromTail);
});

Deno.test("every problem code has a status, a retry decision and a message that says what to do", () => {
  for (const code of PROBLEM_CODES) {
    const spec = PROBLEMS[code];
    assert(Number.isInteger(spec.status), code);
    assert(spec.message.length > 20 && /[.!]$/.test(spec.message), `${code}: ${spec.message}`);
    assertEquals(readProblem(spec.status, problemBody(code)).code, code, `${code} reads back`);
  }
});

Deno.test("answers without a function code map by status", () => {
  assertEquals(readProblem(546, { code: "WORKER_LIMIT", message: "Worker failed to respond due to a resource limit" }).code, "worker_limit");
  assertEquals(readProblem(504, null).code, "timeout");
  assertEquals(readProblem(0, null).retry, true);
  assertEquals(readProblem(401, { msg: "Invalid JWT" }).code, "unauthorized");
  assertEquals(readProblem(502, "<html>").code, "internal");
  assertEquals(readProblem(409, { code: "segment_busy", message: "held" }).message, "held");
});

Deno.test("request paths: every form on the one function, and a leave that says the person cancelled", () => {
  const base = "/functions/v1/album-upload?album=a1";
  assertEquals(uploadPath({ form: "single", album: "a1" }), base);
  assertEquals(uploadPath({ form: "directory", album: "a1" }), `${base}&part=directory`);
  assertEquals(uploadPath({ form: "segment", album: "a1", archive: "x", segment: 3 }), `${base}&archive=x&segment=3`);
  assertEquals(uploadPath({ form: "leave", album: "a1" }), `${base}&part=leave`);
  assertEquals(uploadPath({ form: "leave", album: "a1", reason: "closed" }), `${base}&part=leave`);
  assertEquals(uploadPath({ form: "leave", album: "a1", reason: "cancelled" }), `${base}&part=leave&reason=cancelled`);
});
