import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

/** The Deno functions the functions tests run (a test-only functions directory). */
export const TEST_FUNCTIONS_DIR = fileURLToPath(new URL("./functions", import.meta.url));

export type Observation = Record<string, unknown>;

/**
 * A tiny HTTP listener test functions report to (`?report=<url>`): what a worker saw, even after its
 * response or in its last moments, arrives here as an event the test can wait for.
 * `GET /go` is held until `release()`, so a function can prove it keeps working after it answered.
 */
export interface Reporter {
  url: string;
  events: Observation[];
  next(match: (event: Observation) => boolean, timeoutMs?: number): Promise<Observation>;
  release(): void;
  close(): Promise<void>;
}

export async function startReporter(): Promise<Reporter> {
  const events: Observation[] = [];
  const waiters = new Set<() => void>();
  let release: () => void = () => {};
  const go = new Promise<void>((resolve) => (release = resolve));
  const server: Server = createServer((req, res) => {
    if (req.url === "/go") return void go.then(() => res.end("go"));
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      events.push(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
      waiters.forEach((wake) => wake());
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    events,
    release: () => release(),
    next(match, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching report within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
