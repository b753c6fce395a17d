// In-memory stand-ins for the function's dependencies: an album store with the same semantics as the
// SQL functions in migrations 20261127000100 and 20261127000200, a Storage bucket that really consumes the streamed
// bodies, and a broadcaster that records messages. They let the job run with real zip.js and real
// files, and let tests check the invariant exactly.
import { assert, assertEquals } from "./assert.ts";
import type { AlbumCounters, AlbumStatus } from "../../_shared/progress.ts";
import { AlbumGone, type AlbumStore, type ClaimResult, type EntryResult, type EntryRow, type FinishResult } from "../../album-upload/album-store.ts";
import type { PhotoUploader } from "../../album-upload/photo-storage.ts";
import type { BroadcastMessage } from "../../album-upload/progress-reporter.ts";

export interface FakeAlbum {
  id: string;
  owner_id: string;
  status: AlbumStatus;
  source_fingerprint: string | null;
  source_bytes: number | null;
  error: string | null;
  /** Seconds until an `extracting` album's job counts as dead (migration 20261127000200); 0 = dead. */
  stale_in?: number;
  /** Marked for deletion (migration 20261203000100): every write is refused with AlbumGone. */
  deleting?: boolean;
}

type Row = EntryRow & { content_type?: string | null };

const NOT_LOST = new Set(["junk", "not_photo", "symlink", "nested_archive"]);

export class MemoryStore implements AlbumStore {
  albums = new Map<string, FakeAlbum>();
  rows = new Map<string, Map<number, Row>>();
  calls: string[] = [];

  addAlbum(id: string, owner: string, status: AlbumStatus = "uploading"): FakeAlbum {
    const album = { id, owner_id: owner, status, source_fingerprint: null, source_bytes: null, error: null };
    this.albums.set(id, album);
    this.rows.set(id, new Map());
    return album;
  }

  entries(albumId: string): Row[] {
    return [...this.rows.get(albumId)!.values()].sort((a, b) => a.idx - b.idx);
  }

  counters(albumId: string): Promise<AlbumCounters> {
    this.calls.push("counters");
    return Promise.resolve(this.countersNow(albumId));
  }

  countersNow(albumId: string): AlbumCounters {
    const rows = this.entries(albumId);
    const count = (s: string) => rows.filter((r) => r.status === s).length;
    return {
      total: rows.length, uploaded: count("uploaded"), skipped: count("skipped"), failed: count("failed"),
      bytesDone: rows.filter((r) => r.status !== "pending").reduce((n, r) => n + r.size, 0),
      bytesTotal: rows.reduce((n, r) => n + r.size, 0),
      status: this.albums.get(albumId)!.status,
    };
  }

  claim(albumId: string, fingerprint: string, bytes: number): Promise<ClaimResult> {
    this.calls.push("claim");
    const album = this.albums.get(albumId);
    if (!album) return Promise.resolve("not_found");
    const deadJob = album.status === "extracting" && album.stale_in === 0;
    if (album.status !== "uploading" && album.status !== "interrupted" && !deadJob) return Promise.resolve("wrong_status");
    if (album.source_fingerprint && album.source_fingerprint !== fingerprint) return Promise.resolve("different_archive");
    Object.assign(album, { status: "extracting", source_fingerprint: fingerprint, source_bytes: bytes, error: null, stale_in: 600 });
    return Promise.resolve("claimed");
  }

  /** Heartbeats received per album (not in `calls`: they come on a timer, not in a fixed order). */
  heartbeats = new Map<string, number>();

  heartbeat(albumId: string): Promise<boolean> {
    this.heartbeats.set(albumId, (this.heartbeats.get(albumId) ?? 0) + 1);
    return Promise.resolve(this.albums.get(albumId)?.status === "extracting");
  }

  staleIn(albumId: string): Promise<number | null> {
    this.calls.push("staleIn");
    const album = this.albums.get(albumId);
    return Promise.resolve(album?.status === "extracting" ? album.stale_in ?? 600 : null);
  }

  /** Writes to an album marked for deletion, or to one whose row is gone, are refused. */
  #refuseIfGone(albumId: string, fn: string): void {
    const album = this.albums.get(albumId);
    if (!album || album.deleting) throw new AlbumGone(albumId, `${fn}: refused`);
  }

  insertEntries(albumId: string, rows: EntryRow[]): Promise<AlbumCounters> {
    this.calls.push(`insert:${rows.length}`);
    this.#refuseIfGone(albumId, "insert_album_entries");
    const table = this.rows.get(albumId)!;
    for (const row of JSON.parse(JSON.stringify(rows)) as Row[]) {
      assert(!row.name.includes("\u0000"), "Postgres text cannot hold NUL");
      if (row.status === "skipped" || row.status === "failed") assert(row.reason, `row ${row.idx} needs a reason`);
      if (!table.has(row.idx)) table.set(row.idx, row);
    }
    this.#checkUniquePaths(albumId);
    return Promise.resolve(this.countersNow(albumId));
  }

  unfinishedIndexes(albumId: string): Promise<number[]> {
    return Promise.resolve(this.entries(albumId).filter((r) => r.status === "pending" || r.status === "failed").map((r) => r.idx));
  }

  recordResults(albumId: string, results: EntryResult[]): Promise<AlbumCounters> {
    this.calls.push(`record:${results.length}`);
    try {
      this.#refuseIfGone(albumId, "record_entry_results");
    } catch (error) {
      return Promise.reject(error);
    }
    const table = this.rows.get(albumId)!;
    for (const r of JSON.parse(JSON.stringify(results)) as EntryResult[]) {
      const row = table.get(r.idx);
      assert(row, `result for unknown entry ${r.idx}`);
      if (r.status !== "uploaded") assert(r.reason, `result ${r.idx} (${r.status}) needs a reason`);
      if (row.status === "uploaded") continue;
      Object.assign(row, r);
    }
    this.#checkUniquePaths(albumId);
    return Promise.resolve(this.countersNow(albumId));
  }

  setStatus(albumId: string, status: AlbumStatus, error: string | null): Promise<AlbumCounters> {
    this.calls.push(`status:${status}`);
    try {
      this.#refuseIfGone(albumId, "set_album_status");
    } catch (error) {
      return Promise.reject(error);
    }
    const album = this.albums.get(albumId)!;
    if (["uploading", "extracting", "interrupted"].includes(album.status)) Object.assign(album, { status, error });
    return Promise.resolve(this.countersNow(albumId));
  }

  finish(albumId: string): Promise<FinishResult> {
    this.calls.push("finish");
    try {
      this.#refuseIfGone(albumId, "finish_album");
    } catch (error) {
      return Promise.reject(error);
    }
    const rows = this.entries(albumId);
    for (const row of rows) {
      if (row.status === "pending") Object.assign(row, { status: "failed", reason: "not extracted", reason_code: "not_extracted", path: null });
    }
    const uploaded = rows.filter((r) => r.status === "uploaded").length;
    const lost = rows.filter((r) => r.status === "failed" || (r.status === "skipped" && !NOT_LOST.has(r.reason_code ?? ""))).length;
    const status: AlbumStatus = lost === 0 ? "ready" : uploaded > 0 ? "partial" : "failed";
    const error = lost === 0 ? null : `${lost} lost`;
    const album = this.albums.get(albumId)!;
    if (album.status === "extracting" || album.status === "interrupted") Object.assign(album, { status, error });
    return Promise.resolve({ ...this.countersNow(albumId), error });
  }

  #checkUniquePaths(albumId: string) {
    const seen = new Set<string>();
    for (const row of this.entries(albumId)) {
      if (!row.path) continue;
      assert(!seen.has(row.path), `duplicate path ${row.path}`);
      seen.add(row.path);
    }
  }
}

export interface StoredObject {
  bytes: Uint8Array;
  contentType: string;
}

/** Consumes upload bodies for real; `failFor` makes chosen keys fail after reading their body. */
export class MemoryBucket implements PhotoUploader {
  objects = new Map<string, StoredObject>();
  uploads = 0;
  failFor: (key: string) => string | null = () => null;
  /** Keys whose upload fails at once, before reading a byte (a refused connection). */
  refuse: (key: string) => string | null = () => null;

  async upload(key: string, body: ReadableStream<Uint8Array>, contentType: string): Promise<void> {
    this.uploads++;
    const refused = this.refuse(key);
    if (refused) throw new Error(refused);
    const bytes = new Uint8Array(await new Response(body).arrayBuffer());
    const failure = this.failFor(key);
    if (failure) throw new Error(failure);
    assert(/^[A-Za-z0-9_/!.*'() &$=@;:+,?-]+$/.test(key), `Storage would reject key ${key}`);
    assert(!key.split("/").some((s) => s === "" || s === ".." || s === "."), `bad segments in ${key}`);
    this.objects.set(key, { bytes, contentType });
  }

  removed: string[] = [];

  remove(keys: string[]): Promise<void> {
    for (const key of keys) {
      this.objects.delete(key);
      this.removed.push(key);
    }
    return Promise.resolve();
  }
}

export class Broadcasts {
  messages: BroadcastMessage[] = [];
  /** One item per REST call, with when it was made (for the rate limit, not for speed). */
  sends: { at: number; events: string[] }[] = [];
  send = (messages: BroadcastMessage[]) => {
    this.messages.push(...messages);
    this.sends.push({ at: performance.now(), events: messages.map((m) => m.event) });
    return Promise.resolve();
  };
  events(name: string) {
    return this.messages.filter((m) => m.event === name);
  }
}

/** docs/architecture.md#nothing-is-lost-silently: total = uploaded + skipped + failed + pending, reasons given, objects exact. */
export function assertInvariant(store: MemoryStore, bucket: MemoryBucket, albumId: string) {
  const rows = store.entries(albumId);
  const c = store.countersNow(albumId);
  const pending = rows.filter((r) => r.status === "pending").length;
  assertEquals(c.total, c.uploaded + c.skipped + c.failed + pending);
  for (const row of rows) {
    if (row.status === "skipped" || row.status === "failed") {
      assert(row.reason && row.reason.length > 3, `entry ${row.idx} (${row.name}) has no reason`);
    }
    if (row.status === "uploaded") {
      const object = bucket.objects.get(row.path!);
      assert(object, `uploaded entry ${row.idx} has no object at ${row.path}`);
      assertEquals(object.bytes.length, row.size, `object size of ${row.path}`);
      assert(object.contentType.startsWith("image/"), `content type of ${row.path}`);
    }
  }
}
