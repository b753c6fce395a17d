import { request } from "node:http";
import { createReadStream } from "node:fs";

/**
 * POSTs a file as the raw request body with its Content-Length, streamed from disk as a browser sends a
 * dropped file. Resolves with the response even when the server answers before reading everything
 * (a worker killed mid-upload answers 546 while the body is still going out).
 */
export function postFile(url: string, path: string, size: number, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { ...headers, "content-type": "application/zip", "content-length": String(size) } });
    const timer = setTimeout(() => req.destroy(new Error(`no complete answer within ${timeoutMs / 1000} s`)), timeoutMs);
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("error", (error) => {
      clearTimeout(timer);
      if (!answered) reject(error);
    });
    const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
    file.on("error", reject);
    file.pipe(req);
  });
}
