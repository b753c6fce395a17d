// The thread behind heif-decoder.ts: decodes one HEIF file at a time with libheif (libheif-js, WebAssembly,
// synchronous) into interleaved RGBA, so a 12-megapixel photo's second of decoding never stalls the
// platform's event loop. libheif applies the file's transformations (irot, imir, clap) while decoding.
// Plain JavaScript because worker threads do not inherit the TypeScript loader (`--import tsx`) in Node 20;
// the message shapes are `DecodeRequest` and `DecodeReply` in heif-decoder.ts.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parentPort } from "node:worker_threads";

const libheif = createRequire(import.meta.url)("libheif-js/wasm-bundle");

// libheif-js reports failures with console.log; keep the last line as the reason instead of printing it.
let lastLog = "";
console.log = (...parts) => {
  lastLog = parts.map((part) => (typeof part === "string" ? part : part?.message ?? "")).filter(Boolean).join(" ");
};

parentPort.on("message", async (request) => {
  try {
    const [reply, transfer] = await decode(request);
    parentPort.postMessage(reply, transfer);
  } catch (error) {
    parentPort.postMessage({ call: request.call, failure: "undecodable", message: String(error?.message ?? error) });
  }
});

async function decode({ call, path, maxPixels }) {
  lastLog = "";
  const decoder = new libheif.HeifDecoder();
  const images = decoder.decode(readFileSync(path));
  try {
    const image = images.find((candidate) => candidate.is_primary()) ?? images[0];
    if (!image) return [{ call, failure: "undecodable", message: lastLog || "no image in the file" }, []];
    // ispe states the size before any decoding, so an oversized source is refused without paying for it.
    const width = image.get_width();
    const height = image.get_height();
    if (width * height > maxPixels) return [{ call, failure: "tooManyPixels", width, height }, []];
    const rgba = new Uint8ClampedArray(width * height * 4);
    const shown = await new Promise((resolve) => image.display({ data: rgba, width, height }, resolve));
    if (!shown) return [{ call, failure: "undecodable", message: lastLog || "decoding failed" }, []];
    return [{ call, width, height, hasAlpha: image.has_alpha_channel(), rgba: rgba.buffer }, [rgba.buffer]];
  } finally {
    for (const image of images) image.free();
    if (decoder.decoder) libheif.heif_context_free(decoder.decoder);
    decoder.decoder = null;
  }
}
