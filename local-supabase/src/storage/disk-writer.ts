import { Worker } from "node:worker_threads";

const BATCH_BYTES = 1024 * 1024;
/** Batch buffers kept for reuse between uploads (1 MiB each). */
const MAX_SPARE = 4;

/** Messages to and from disk-writer-thread.mjs; `call` pairs each answer with its request. */
export type Request =
  | { call: number; op: "open"; path: string }
  | { call: number; op: "write"; file: number; buffer: ArrayBuffer; length: number }
  | { call: number; op: "close"; file: number; digest: boolean };
export interface Reply {
  call: number;
  file?: number;
  buffer?: ArrayBuffer;
  md5?: string;
  error?: { message: string; code?: string };
}

/**
 * Writes uploads to disk and md5-hashes them on a thread of their own.
 *
 * Why a thread: hashing (the eTag is the md5 of the bytes, docs/supabase-behaviour.md#uploads) costs about 2 s of CPU per
 * GB, and on the main thread it competed with everything else the platform does (HTTP, PGlite), which
 * capped upload speed. Why 1 MiB batches: request chunks are ~16–64 KiB, and one message or write per
 * chunk costs more than the copy into a batch. The batches are transferred, not copied, and come back
 * to be reused, so request chunks die young and cheap to collect.
 */
export class DiskWriter {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private nextCall = 1;
  private readonly spare: Buffer[] = [];
  private closed = false;

  /**
   * Starts the thread now rather than at the first upload: it is a fixed cost of the platform (an
   * isolate, ~20 MB RSS), and paying it up front keeps it out of any single request's latency and memory.
   */
  start(): void {
    this.thread();
  }

  /** A temp file to append to; `finish` returns its md5, `abandon` just closes it. */
  async open(path: string): Promise<FileWriter> {
    const { file } = await this.call({ op: "open", path });
    return new FileWriter(this, file!);
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  /** @internal */
  call(request: DistributiveOmit<Request, "call">, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error("storage is shutting down"));
    const worker = this.thread();
    const call = this.nextCall++;
    return new Promise((resolve, reject) => {
      this.pending.set(call, { resolve, reject });
      worker.postMessage({ ...request, call }, transfer);
    });
  }

  /** @internal */
  takeBuffer(): Buffer {
    return this.spare.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES);
  }

  /** @internal */
  giveBuffer(buffer: Buffer): void {
    if (this.spare.length < MAX_SPARE) this.spare.push(buffer);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("./disk-writer-thread.mjs", import.meta.url));
    worker.on("message", (reply: Reply) => {
      const waiter = this.pending.get(reply.call);
      this.pending.delete(reply.call);
      if (!waiter) return;
      if (reply.error) waiter.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else waiter.resolve(reply);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", () => fail(new Error("disk writer thread stopped")));
    // After the listeners: adding a 'message' listener refs the port again. The thread never keeps the
    // process alive; pending uploads are kept alive by their HTTP requests.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** One temp file being written: chunks are copied into a batch; one batch is written while the next fills. */
export class FileWriter {
  private current: Buffer | null = null;
  private filled = 0;
  /** The batch in flight; resolves to its error, never rejects, so no rejection goes unhandled. */
  private inFlight: Promise<Error | null> = Promise.resolve(null);
  private closed = false;

  constructor(
    private readonly writer: DiskWriter,
    private readonly file: number,
  ) {}

  async add(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      this.current ??= this.writer.takeBuffer();
      const copied = chunk.copy(this.current, this.filled, offset);
      this.filled += copied;
      offset += copied;
      if (this.filled === BATCH_BYTES) await this.flush();
    }
  }

  /** Writes what is left, closes the file and returns the md5 (hex) of everything written. */
  async finish(): Promise<string> {
    await this.flush();
    await this.wait();
    this.closed = true;
    const { md5 } = await this.writer.call({ op: "close", file: this.file, digest: true });
    return md5!;
  }

  /** After a failure: lets the batch in flight end and closes the file (the caller removes it). */
  async abandon(): Promise<void> {
    await this.inFlight;
    if (this.current) this.writer.giveBuffer(this.current);
    this.current = null;
    if (this.closed) return;
    this.closed = true;
    await this.writer.call({ op: "close", file: this.file, digest: false }).catch(() => {});
  }

  private async flush(): Promise<void> {
    await this.wait();
    if (this.filled === 0) return;
    const buffer = this.current!;
    const length = this.filled;
    this.current = null;
    this.filled = 0;
    // allocUnsafeSlow buffers own their whole ArrayBuffer, so it can be transferred.
    this.inFlight = this.writer.call({ op: "write", file: this.file, buffer: buffer.buffer as ArrayBuffer, length }, [buffer.buffer as ArrayBuffer]).then(
      (reply) => {
        this.writer.giveBuffer(Buffer.from(reply.buffer!));
        return null;
      },
      (error: Error) => error,
    );
  }

  private async wait(): Promise<void> {
    const error = await this.inFlight;
    this.inFlight = Promise.resolve(null);
    if (error) throw error;
  }
}
