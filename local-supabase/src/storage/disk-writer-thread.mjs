// The thread behind disk-writer.ts: opens temp files, md5-hashes and appends the batches it is sent,
// and answers each message once done. Synchronous fs calls are fine here: this thread does nothing else.
// Plain JavaScript because worker threads do not inherit the TypeScript loader (`--import tsx`) in Node 20;
// the message shapes are `Request` and `Reply` in disk-writer.ts.
import { createHash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { parentPort } from "node:worker_threads";

/** @type {Map<number, { fd: number, md5: import("node:crypto").Hash }>} */
const files = new Map();
let nextFile = 1;

parentPort.on("message", (request) => {
  try {
    const [reply, transfer] = handle(request);
    parentPort.postMessage(reply, transfer);
  } catch (error) {
    parentPort.postMessage({ call: request.call, error: { message: error.message, code: error.code } });
  }
});

function handle(request) {
  switch (request.op) {
    case "open": {
      const file = nextFile++;
      files.set(file, { fd: openSync(request.path, "w"), md5: createHash("md5") });
      return [{ call: request.call, file }, []];
    }
    case "write": {
      const open = files.get(request.file);
      if (!open) throw new Error("file is not open");
      const bytes = new Uint8Array(request.buffer, 0, request.length);
      open.md5.update(bytes);
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(open.fd, bytes, offset);
      // The buffer goes back to be filled again.
      return [{ call: request.call, buffer: request.buffer }, [request.buffer]];
    }
    case "close": {
      const open = files.get(request.file);
      files.delete(request.file);
      if (!open) return [{ call: request.call }, []];
      closeSync(open.fd);
      return [{ call: request.call, md5: request.digest ? open.md5.digest("hex") : undefined }, []];
    }
    default:
      throw new Error(`unknown request ${request.op}`);
  }
}
