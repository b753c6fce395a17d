// One album upload as the web app performs it (docs/architecture.md#from-drop-to-album): create the album row, join its private
// progress channel FIRST, POST the archive to the function, then follow the album row until the job
// has ended. Everything goes through supabase-js or plain HTTP against the running platform.
import type { RealtimeChannel, SupabaseClient } from "@supabase/supabase-js";
import { ANON_KEY, type TestPlatform } from "../../../local-supabase/test/support/platform.ts";
import type { AlbumStatus, ProgressPayload, StatusPayload } from "../../../supabase/functions/_shared/progress.ts";
import type { AlbumRow } from "../../../lib/database.types.ts";

export type User = Awaited<ReturnType<TestPlatform["newUser"]>>;

// The one hand-written schema type (rows are read with select(), so every column is there).
export type { AlbumRow };

export type Broadcast =
  | { event: "progress"; payload: ProgressPayload }
  | { event: "status"; payload: StatusPayload };

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const WAIT_MS = 60_000;
const POLL_MS = 50;
const ENDED: AlbumStatus[] = ["ready", "partial", "failed", "interrupted", "cancelled"];

/** Re-runs `check` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export async function createAlbum(user: User, name = "Holiday"): Promise<AlbumRow> {
  const { data, error } = await user.client.from("albums").insert({ name }).select().single();
  if (error) throw new Error(`album insert failed: ${error.message}`);
  return data as AlbumRow;
}

export async function readAlbum(client: SupabaseClient, id: string): Promise<AlbumRow> {
  const { data, error } = await client.from("albums").select().eq("id", id).single();
  if (error) throw new Error(`album read failed: ${error.message}`);
  return data as AlbumRow;
}

/** Polls the album row (the truth, docs/architecture.md#progress-protocol) until the job has ended. */
export async function waitForEnd(client: SupabaseClient, id: string): Promise<AlbumRow> {
  let last: AlbumRow | undefined;
  try {
    return await eventually(`album ${id} to end`, async () => {
      last = await readAlbum(client, id);
      return ENDED.includes(last.status) ? last : undefined;
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; it is still ${last?.status} (${last?.uploaded} of ${last?.entries_total} uploaded)`);
  }
}

/** POSTs the archive the way the app does: raw body, the user's JWT and the anon key. */
export async function postArchive(url: string, token: string, albumId: string, archive: Buffer): Promise<Answer> {
  const response = await fetch(`${url}/functions/v1/album-upload?album=${albumId}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, apikey: ANON_KEY, "Content-Type": "application/zip" },
    body: archive as Uint8Array<ArrayBuffer>, // a Buffer is never backed by a SharedArrayBuffer
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    throw new Error(`HTTP ${response.status} answered with a body that is not JSON: ${text.slice(0, 300)}`);
  }
}

/** The owner's subscription to `album:<id>`, joined before anything is sent. */
export class AlbumFeed {
  readonly received: Broadcast[] = [];
  readonly #wakers = new Set<() => void>();

  private constructor(readonly channel: RealtimeChannel) {}

  static async join(user: User, albumId: string): Promise<AlbumFeed> {
    await user.client.realtime.setAuth(user.accessToken);
    const channel = user.client.channel(`album:${albumId}`, { config: { private: true } });
    const feed = new AlbumFeed(channel);
    for (const event of ["progress", "status"] as const) {
      channel.on("broadcast", { event }, (message) => {
        feed.received.push({ event, payload: message.payload } as Broadcast);
        feed.#wakers.forEach((wake) => wake());
      });
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`album:${albumId} was not joined within 10 s`)), 10_000);
      channel.subscribe((status, error) => {
        if (status === "CLOSED") return;
        clearTimeout(timer);
        if (status === "SUBSCRIBED") resolve();
        else reject(error ?? new Error(`join failed: ${status}`));
      });
    });
    return feed;
  }

  get progress(): ProgressPayload[] {
    return this.received.flatMap((b) => (b.event === "progress" ? [b.payload] : []));
  }

  get statuses(): StatusPayload[] {
    return this.received.flatMap((b) => (b.event === "status" ? [b.payload] : []));
  }

  /** Waits for a `status` broadcast announcing `status` (it follows the database write). */
  waitForStatus(status: AlbumStatus, timeoutMs = 10_000): Promise<StatusPayload> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.statuses.find((s) => s.status === status);
        if (!found) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no "${status}" status broadcast within ${timeoutMs} ms; got ${JSON.stringify(this.statuses)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#wakers.delete(check);
      };
      this.#wakers.add(check);
      check();
    });
  }

  async leave(): Promise<void> {
    await this.channel.unsubscribe();
  }
}
