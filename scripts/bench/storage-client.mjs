// Uploads slices of one file to Storage as separate objects, IN_FLIGHT at a time, from a process of its
// own (as the function's worker is): `node storage-client.mjs <objectUrlPrefix> <file> <bytes> <objects>
// <inFlight> <serviceKey>`. Prints nothing on success; exits non-zero with the first error.
import { createReadStream } from "node:fs";
import { request } from "node:http";

const [prefix, path, bytesArg, objectsArg, inFlightArg, key] = process.argv.slice(2);
const bytes = Number(bytesArg), objects = Number(objectsArg);

function upload(url, start, end) {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      // As album-upload sends its photos (photo-storage.ts): service role, upsert.
      headers: {
        apikey: key, Authorization: `Bearer ${key}`, "content-type": "image/jpeg", "content-length": String(end - start),
        "x-upsert": "true", "cache-control": "max-age=3600",
      },
    });
    req.on("response", (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode} ${Buffer.concat(chunks)}`))));
    });
    req.on("error", reject);
    createReadStream(path, { start, end: end - 1, highWaterMark: 1024 * 1024 }).pipe(req);
  });
}

let next = 0;
async function lane() {
  for (let i = next++; i < objects; i = next++) {
    // Even slices by rounding each boundary: a ceiling-sized slice would run out of bytes before the
    // last objects of an archive with tens of thousands of files.
    await upload(`${prefix}/${i}.jpg`, Math.floor((i * bytes) / objects), Math.floor(((i + 1) * bytes) / objects));
  }
}
try {
  await Promise.all(Array.from({ length: Number(inFlightArg) }, lane));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
