// Drives the album-upload handler the way the platform will — a Request in, a Response out, the
// background job through waitUntil — over in-memory fakes for the database, Storage and Realtime.
import { createHandler } from "../../album-upload/handler.ts";
import type { ExtractionJob } from "../../album-upload/job.ts";
import type { UploadLimits } from "../../_shared/limits.ts";
import { FIGURE_DEFAULTS, invocationFigures, LIMIT_DEFAULTS } from "../../album-upload/config.ts";
import { Broadcasts, MemoryBucket, MemoryStore } from "./fakes.ts";

export const OWNER = "0b7a6c1e-1111-4c3e-9d7a-000000000001";
export const STRANGER = "0b7a6c1e-2222-4c3e-9d7a-000000000002";

export class Harness {
  store = new MemoryStore();
  bucket = new MemoryBucket();
  broadcasts = new Broadcasts();
  jobs = new Map<string, ExtractionJob>();
  tasks: Promise<unknown>[] = [];
  logs: string[] = [];
  handler: (req: Request) => Promise<Response>;

  constructor(readonly spoolDir: string, limits: Partial<UploadLimits> = {}) {
    this.handler = createHandler({
      config: {
        supabaseUrl: "http://127.0.0.1:54321", anonKey: "anon", serviceRoleKey: "service",
        limits: { ...LIMIT_DEFAULTS, ...limits }, spoolDir,
        figures: invocationFigures({ ...LIMIT_DEFAULTS, ...limits }, FIGURE_DEFAULTS),
      },
      authenticate: (jwt) => Promise.resolve(jwt.startsWith("user:") ? jwt.slice(5) : null),
      findAlbum: (jwt, id) => {
        const album = this.store.albums.get(id);
        return Promise.resolve(album && `user:${album.owner_id}` === jwt ? { ...album } : null);
      },
      store: this.store,
      uploader: this.bucket,
      broadcaster: this.broadcasts.send,
      waitUntil: (task) => this.tasks.push(task),
      jobs: this.jobs,
      log: (m) => this.logs.push(m),
    });
  }

  static async create(limits: Partial<UploadLimits> = {}): Promise<Harness> {
    return new Harness(await Deno.makeTempDir({ prefix: "album-upload-" }), limits);
  }

  album(status: "uploading" | "interrupted" | "ready" = "uploading"): string {
    const id = crypto.randomUUID();
    this.store.addAlbum(id, OWNER, status);
    return id;
  }

  async post(albumId: string, body: Uint8Array | null, user = OWNER) {
    const response = await this.handler(new Request(`http://localhost/album-upload?album=${albumId}`, {
      method: "POST",
      headers: { Authorization: `Bearer user:${user}`, "Content-Type": "application/octet-stream" },
      body: body as Uint8Array<ArrayBuffer> | null,
    }));
    return { status: response.status, body: await response.json() };
  }

  /** Waits for every background task handed to waitUntil. */
  async settle(): Promise<void> {
    while (this.tasks.length) await Promise.all(this.tasks.splice(0));
  }

  async spoolFiles(): Promise<string[]> {
    const names: string[] = [];
    for await (const entry of Deno.readDir(this.spoolDir)) names.push(entry.name);
    return names;
  }

  rows(albumId: string) {
    return this.store.entries(albumId);
  }

  row(albumId: string, name: string) {
    const row = this.rows(albumId).find((r) => r.name === name);
    if (!row) throw new Error(`no row named ${name}`);
    return row;
  }

  async close(): Promise<void> {
    await this.settle();
    await Deno.remove(this.spoolDir, { recursive: true });
  }
}

/** Runs `fn` with a fresh harness, and closes it (settling every background job) whatever `fn` did. */
export async function withHarness(fn: (h: Harness) => Promise<void>, limits: Partial<UploadLimits> = {}): Promise<void> {
  const h = await Harness.create(limits);
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}
