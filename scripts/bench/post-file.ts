import { execFileSync, spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { request } from "node:http";

export interface Posted {
  status: number;
  body: string;
}

/**
 * POSTs a file as the raw request body with its Content-Length, streamed from disk as a browser sends a
 * dropped file. The sender is a separate `curl` process when there is one: a browser is never inside
 * the platform's process, and a client sharing the platform's single event loop would slow the very
 * gateway and Storage being measured (and bill its own CPU to them). Resolves with the response even
 * when the server answers before reading everything (a worker killed mid-upload answers 546 early).
 */
export function postFile(url: string, path: string, size: number, headers: Record<string, string>, timeoutMs: number): Promise<Posted> {
  return hasCurl() ? postWithCurl(url, path, headers, timeoutMs) : postInProcess(url, path, size, headers, timeoutMs);
}

let curlFound: boolean | undefined;
function hasCurl(): boolean {
  if (curlFound === undefined) {
    try {
      execFileSync("curl", ["--version"], { stdio: "ignore" });
      curlFound = true;
    } catch {
      curlFound = false;
      console.warn("curl not found (apt-get install -y curl): the archive is sent from inside the platform's process.");
    }
  }
  return curlFound;
}

const STATUS_MARK = "\n@@status ";

function postWithCurl(url: string, path: string, headers: Record<string, string>, timeoutMs: number): Promise<Posted> {
  const args = [
    "--silent", "--show-error", "--request", "POST", "--upload-file", path, "--max-time", String(timeoutMs / 1000),
    // No "Expect: 100-continue" round trip: a browser does not wait for one either.
    "--header", "Expect:", "--header", "content-type: application/zip",
    ...Object.entries(headers).flatMap(([name, value]) => ["--header", `${name}: ${value}`]),
    "--write-out", `${STATUS_MARK}%{http_code}`, url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("curl", args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", () => {
      const text = Buffer.concat(out).toString("utf8");
      const mark = text.lastIndexOf(STATUS_MARK);
      const status = mark < 0 ? 0 : Number(text.slice(mark + STATUS_MARK.length));
      if (status > 0) resolve({ status, body: text.slice(0, mark) });
      else reject(new Error(Buffer.concat(err).toString("utf8").trim() || "curl sent nothing"));
    });
  });
}

function postInProcess(url: string, path: string, size: number, headers: Record<string, string>, timeoutMs: number): Promise<Posted> {
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
