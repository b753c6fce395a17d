import { Worker } from "node:worker_threads";

/** Messages to and from heif-decode-thread.mjs; `call` pairs each answer with its request. */
export interface DecodeRequest { call: number; path: string; maxPixels: number }
export type DecodeReply =
  | { call: number; width: number; height: number; hasAlpha: boolean; rgba: ArrayBuffer; failure?: undefined }
  | { call: number; failure: "tooManyPixels"; width: number; height: number }
  | { call: number; failure: "undecodable"; message: string };

export interface DecodedHeif { width: number; height: number; hasAlpha: boolean; rgba: Buffer }

/** Why a HEIF source gave no pixels: more than the pixel limit, or not decodable at all. */
export class HeifDecodeError extends Error {
  constructor(readonly reason: "tooManyPixels" | "undecodable", message: string) {
    super(message);
  }
}

/** At most this many HEIF files decode at once: each holds a full RGBA frame (48 MB for 12 MP) and a core. */
const MAX_THREADS = 2;
/** A thread with nothing to do for this long is ended, giving back its WebAssembly heap. */
const IDLE_MS = 30_000;

interface Job { request: Omit<DecodeRequest, "call">; resolve: (decoded: DecodedHeif) => void; reject: (error: Error) => void }
interface Thread { worker: Worker; job: Job | null; idleTimer: NodeJS.Timeout | null }

/**
 * Decodes HEVC-coded HEIF files (heif-source.ts) to RGBA on worker threads, at most MAX_THREADS at a time,
 * others waiting in order. libheif-js is synchronous WebAssembly: on the main thread a 12-megapixel
 * photo would hold every request of the platform for about a second.
 */
export class HeifDecoder {
  private readonly threads: Thread[] = [];
  private readonly queue: Job[] = [];
  private nextCall = 1;
  private closed = false;

  /** Threads alive now: never more than MAX_THREADS, however many decodes wait. */
  get liveThreads(): number {
    return this.threads.length;
  }

  decode(path: string, maxPixels: number): Promise<DecodedHeif> {
    if (this.closed) return Promise.reject(new Error("storage is shutting down"));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { path, maxPixels }, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error("storage is shutting down"));
    await Promise.all(this.threads.splice(0).map((thread) => this.end(thread)));
  }

  private pump(): void {
    while (this.queue.length) {
      const thread = this.threads.find((candidate) => !candidate.job) ?? (this.threads.length < MAX_THREADS ? this.spawn() : null);
      if (!thread) return;
      const job = this.queue.shift()!;
      if (thread.idleTimer) clearTimeout(thread.idleTimer);
      thread.idleTimer = null;
      thread.job = job;
      thread.worker.postMessage({ ...job.request, call: this.nextCall++ } satisfies DecodeRequest);
    }
  }

  private spawn(): Thread {
    const worker = new Worker(new URL("./heif-decode-thread.mjs", import.meta.url));
    const thread: Thread = { worker, job: null, idleTimer: null };
    worker.unref();
    worker.on("message", (reply: DecodeReply) => {
      const job = thread.job;
      thread.job = null;
      if (job) settle(job, reply);
      thread.idleTimer = setTimeout(() => this.retire(thread), IDLE_MS).unref();
      this.pump();
    });
    // A thread that dies (out of memory on a hostile file) fails its job; the next job gets a new thread.
    const fail = (error: Error) => {
      this.threads.splice(this.threads.indexOf(thread) >>> 0, 1);
      thread.job?.reject(new HeifDecodeError("undecodable", error.message));
      thread.job = null;
      this.pump();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (this.threads.includes(thread)) fail(new Error(`HEIF decoder thread exited with code ${code}`));
    });
    this.threads.push(thread);
    return thread;
  }

  private retire(thread: Thread): void {
    if (thread.job) return;
    const at = this.threads.indexOf(thread);
    if (at >= 0) this.threads.splice(at, 1);
    void this.end(thread);
  }

  private async end(thread: Thread): Promise<void> {
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    await thread.worker.terminate();
  }
}

function settle(job: Job, reply: DecodeReply): void {
  if (reply.failure === "tooManyPixels") job.reject(new HeifDecodeError("tooManyPixels", `${reply.width}×${reply.height} is over the pixel limit`));
  else if (reply.failure === "undecodable") job.reject(new HeifDecodeError("undecodable", reply.message));
  else job.resolve({ width: reply.width, height: reply.height, hasAlpha: reply.hasAlpha, rgba: Buffer.from(reply.rgba) });
}
