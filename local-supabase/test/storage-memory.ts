// Memory check for the storage service: a 1 GB object is uploaded (raw, then as a multipart form) and
// downloaded as streams while the process RSS is sampled every 100 ms.
// Run: node --import tsx local-supabase/test/storage-memory.ts [MiB]
// It fails (exit 1) when any transfer grows RSS by 64 MB or more, or the bytes do not round-trip.
import { createHash } from "node:crypto";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { startTestPlatform, SERVICE_ROLE_KEY } from "./support/platform.ts";

const MiB = 1024 * 1024;
const TOTAL = Number(process.argv[2] ?? 1024) * MiB;
const CHUNK = MiB;
const LIMIT = 64 * 1e6;

/** Pseudo-random bytes (xorshift32), made one chunk at a time as the socket asks for more. */
function generated(total: number, md5: ReturnType<typeof createHash>): Readable {
  let produced = 0;
  let state = 0x9e3779b9;
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (produced >= total) return void this.push(null);
      const size = Math.min(CHUNK, total - produced);
      const chunk = Buffer.allocUnsafe(size);
      for (let i = 0; i + 4 <= size; i += 4) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        chunk.writeUInt32LE(state >>> 0, i);
      }
      produced += size;
      md5.update(chunk);
      this.push(chunk);
    },
  });
}

/**
 * node:http rather than fetch: client and platform share this process, and undici's fetch reads a
 * streamed request body ahead of the socket (measured: RSS grew by the whole object), which would be
 * charged to the platform. node:http honours backpressure, so what is measured is the service.
 */
function send(url: URL, method: string, headers: Record<string, string>, body?: Readable): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, resolve);
    req.on("error", reject);
    if (body) pipeline(body, req).catch(reject);
    else req.end();
  });
}

async function readText(res: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of res) text += chunk;
  return text;
}

function sampler() {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

const tp = await startTestPlatform();
try {
  const service = tp.service();
  const { error } = await service.storage.createBucket("memory-check", { public: false, fileSizeLimit: null as never });
  if (error) throw error;
  // Lift the project-wide limit (config.toml says 50MiB) for this process only.
  tp.platform.context.config.storage.fileSizeLimit = 2 * TOTAL;
  const url = new URL(`${tp.url}/storage/v1/object/memory-check/big.bin`);
  const headers = { Authorization: `Bearer ${SERVICE_ROLE_KEY}`, apikey: SERVICE_ROLE_KEY };

  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  console.log(`baseline RSS ${mb(baseline)}; object ${mb(TOTAL)}`);

  const sentMd5 = createHash("md5");
  let sample = sampler();
  let started = Date.now();
  const upload = await send(url, "POST", { ...headers, "Content-Type": "application/octet-stream" }, generated(TOTAL, sentMd5));
  const uploadBody = await readText(upload);
  const uploadPeak = sample.stop();
  if (upload.statusCode !== 200) throw new Error(`upload failed: ${upload.statusCode} ${uploadBody}`);
  console.log(`upload:   peak RSS growth ${mb(uploadPeak - baseline)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const gotMd5 = createHash("md5");
  let received = 0;
  sample = sampler();
  started = Date.now();
  const download = await send(url, "GET", headers);
  if (download.statusCode !== 200) throw new Error(`download failed: ${download.statusCode}`);
  for await (const chunk of download as AsyncIterable<Buffer>) {
    received += chunk.length;
    gotMd5.update(chunk);
  }
  const downloadPeak = sample.stop();
  console.log(`download: peak RSS growth ${mb(downloadPeak - baseline)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const sent = sentMd5.digest("hex");
  const got = gotMd5.digest("hex");
  console.log(`size ${received === TOTAL ? "ok" : `MISMATCH ${received}`}; md5 ${sent === got ? `ok ${got}` : `MISMATCH ${sent} != ${got}`}`);

  // The same object as storage-js sends a Blob: multipart/form-data, parsed by busboy as it arrives.
  const formMd5 = createHash("md5");
  const boundary = "----shoebox-memory-check";
  const form = Readable.from(
    (async function* () {
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="cacheControl"\r\n\r\n3600\r\n--${boundary}\r\nContent-Disposition: form-data; name=""; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      yield* generated(TOTAL, formMd5);
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    })(),
  );
  const formUrl = new URL(`${tp.url}/storage/v1/object/memory-check/big-form.bin`);
  sample = sampler();
  started = Date.now();
  const formUpload = await send(formUrl, "POST", { ...headers, "Content-Type": `multipart/form-data; boundary=${boundary}` }, form);
  const formBody = await readText(formUpload);
  const formPeak = sample.stop();
  if (formUpload.statusCode !== 200) throw new Error(`multipart upload failed: ${formUpload.statusCode} ${formBody}`);
  console.log(`multipart upload: peak RSS growth ${mb(formPeak - baseline)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const stored = createHash("md5");
  for await (const chunk of (await send(formUrl, "GET", headers)) as AsyncIterable<Buffer>) stored.update(chunk);
  const formSent = formMd5.digest("hex");
  const formGot = stored.digest("hex");
  console.log(`multipart md5 ${formSent === formGot ? `ok ${formGot}` : `MISMATCH ${formSent} != ${formGot}`}`);

  const ok = received === TOTAL && sent === got && formSent === formGot && uploadPeak - baseline < LIMIT && downloadPeak - baseline < LIMIT && formPeak - baseline < LIMIT;
  console.log(ok ? "PASS: RSS growth stayed under 64 MB" : "FAIL");
  process.exitCode = ok ? 0 : 1;
} finally {
  await tp.close();
}
