/**
 * Every archive the person has dropped in this tab, from pre-flight to the server's last answer. One
 * queue for the whole signed-in app (its provider sits above the routes), so moving to another page
 * never aborts an upload. Archives go one after another: they share one connection's bandwidth, and
 * each already sends a few segments at once. No React: every effect goes through `deps`; see
 * upload-queue.test.ts.
 */
import type { ImportedArchive } from "@/lib/imported-archive";
import { UploadCancelled, UploadError } from "@/lib/upload-error";
import { sameFile, type UploadItem, type UploadPhase } from "@/lib/upload-item";
import type { TransferProgress } from "@/lib/transfer-meter";
import type { ArchivePlan } from "@/lib/upload-sequence";
import type { PreflightReport } from "@/lib/zip-preflight";

export type UploadRun = {
  file: File;
  albumId: string;
  signal: AbortSignal;
  /** The connection's upload rate measured by an earlier archive (bytes/s). */
  knownRate?: number;
  /** The server holds the archive's directory (or, in one request, the whole archive; no plan then). */
  onPlan(plan?: ArchivePlan): void;
  onProgress(progress: TransferProgress): void;
};

export type QueueDeps = {
  preflight(file: File): Promise<PreflightReport>;
  /** Creates the album a home-page drop goes into; returns its id. */
  createAlbum(file: File): Promise<string>;
  deleteAlbum(albumId: string): Promise<void>;
  /**
   * The album that already holds this zip, found from its fingerprint before anything is sent (a drop on
   * the home page only). Absent, or failing, the function still refuses a duplicate from its directory.
   */
  recognise?(file: File): Promise<ImportedArchive | null>;
  /** Joins the album's progress channel before the first byte, so no event is missed; returns leave(). */
  watch(albumId: string): Promise<() => void>;
  upload(run: UploadRun): Promise<{ sent: number; rate: number }>;
  /**
   * Sending into the album stopped with parts still missing: the page is going away (pagehide) or the
   * person pressed Cancel. The album then reads interrupted, "drop the same zip to continue", at once.
   */
  leave?(albumId: string, why: "closed" | "cancelled"): void;
  /** The server holds an archive's directory: its album now shows it, photos arrive as segments land. */
  onAlbumStarted?(albumId: string, item: UploadItem, queued: readonly UploadItem[]): void;
};

export type QueueSnapshot = { items: readonly UploadItem[]; running: boolean };

/** Phases in which an archive is being sent: dropping the same file again must not start it twice. */
const SENDING: UploadPhase[] = ["waiting", "starting", "uploading"];
const SETTLED: UploadPhase[] = ["accepted", "cancelled", "duplicate"];

let nextKey = 0;

export class UploadQueue {
  private snapshot: QueueSnapshot = { items: [], running: false };
  private readonly listeners = new Set<() => void>();
  /** One per archive being sent, so Cancel stops that archive's requests and no other's. */
  private readonly controllers = new Map<string, AbortController>();
  private running = false;
  private rate: number | undefined;

  constructor(private readonly deps: QueueDeps) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): QueueSnapshot => this.snapshot;

  /** Adds archives dropped on `target` (an album) or on the home page, and pre-flights each one. */
  add(files: File[], target?: string): void {
    const sending = (file: File) => this.snapshot.items.find((i) => SENDING.includes(i.phase) && sameFile(i.file, file));
    // The same file dropped where its upload already shows is one upload; dropped elsewhere (the home
    // page while it goes to an album), it is shown as on its way there rather than ignored.
    const fresh = files.filter((file) => {
      const running = sending(file);
      return !running || running.target !== target;
    });
    const added = fresh.map((file): UploadItem => {
      const running = sending(file);
      if (running) return { key: `u${nextKey++}`, file, target, phase: "duplicate", alreadySending: true, albumId: running.albumId ?? running.target };
      return { key: `u${nextKey++}`, file, target, phase: "checking" };
    });
    const kept = this.snapshot.items.filter((i) => i.target !== target || !SETTLED.includes(i.phase));
    this.set({ items: [...kept, ...added] });
    for (const item of added.filter((i) => i.phase === "checking")) {
      this.deps.preflight(item.file).then(
        async (report) => {
          if (report.blocked) return this.update(item.key, { report, phase: "blocked" });
          const imported = item.target ? null : await this.recognise(item.file);
          this.update(item.key, { report, ...this.recognised(imported) });
        },
        (error: Error) => this.update(item.key, { phase: "failed", error: error.message }),
      );
    }
  }

  private async recognise(file: File): Promise<ImportedArchive | null> {
    return (await this.deps.recognise?.(file).catch(() => null)) ?? null;
  }

  /**
   * A home-page drop of a zip the person already has: a whole one is offered as its album and never
   * sent; one with parts missing continues that album; one being sent right now (from this tab, or from
   * another: a worker holds one of its parts) is shown as such, so nobody is asked to drop a zip again
   * while its first drop is still running.
   */
  private recognised(imported: ImportedArchive | null): Partial<UploadItem> {
    if (!imported) return { phase: "ready" };
    if (imported.complete) return { phase: "duplicate", imported, albumId: imported.albumId };
    if (imported.sending || this.sendingTo(imported.albumId)) return { phase: "duplicate", imported, albumId: imported.albumId, alreadySending: true };
    return { phase: "ready", imported };
  }

  remove(key: string): void {
    this.set({ items: this.snapshot.items.filter((i) => i.key !== key || SENDING.includes(i.phase)) });
  }

  /** Sends every archive ready for `target` (or the home page), one after another. */
  async start(target?: string): Promise<void> {
    const startable = (i: UploadItem) => i.target === target && (i.phase === "ready" || (i.phase === "failed" && !!i.report && !i.report.blocked));
    const queue = this.snapshot.items.filter(startable);
    if (queue.length === 0) return;
    for (const item of queue) this.update(item.key, { phase: "waiting", error: undefined });
    if (this.running) return; // the running loop picks them up
    this.running = true;
    this.set({ running: true });
    try {
      for (let item = this.nextWaiting(); item; item = this.nextWaiting()) {
        const controller = new AbortController();
        this.controllers.set(item.key, controller);
        try {
          await this.send(item, controller.signal);
        } finally {
          this.controllers.delete(item.key);
        }
      }
    } finally {
      this.running = false;
      this.set({ running: false });
    }
  }

  /**
   * Stops these archives: every request of one being sent is aborted (all its segments in flight), one
   * still waiting is not sent. Other archives in the queue carry on.
   */
  cancel(...keys: string[]): void {
    for (const key of keys) {
      const item = this.snapshot.items.find((i) => i.key === key);
      if (item?.phase === "waiting") this.update(key, { phase: "cancelled" });
      this.controllers.get(key)?.abort();
    }
  }

  /**
   * The page is going away: each album still receiving is told at once, so it reads "drop the same zip
   * to continue" instead of looking busy until its workers' leases run out.
   */
  leaveAll(): void {
    for (const item of this.snapshot.items) if (item.albumId && SENDING.includes(item.phase)) this.deps.leave?.(item.albumId, "closed");
  }

  /** The archive being sent into `albumId`, if any. */
  sendingTo(albumId: string): UploadItem | undefined {
    return this.snapshot.items.find((i) => i.albumId === albumId && SENDING.includes(i.phase));
  }

  private nextWaiting(): UploadItem | undefined {
    return this.snapshot.items.find((i) => i.phase === "waiting");
  }

  private async send(item: UploadItem, signal: AbortSignal): Promise<void> {
    this.update(item.key, { phase: "starting", progress: undefined });
    let albumId: string;
    try {
      // A zip recognised as part-sent continues its own album; otherwise a home-page drop gets a new one.
      albumId = item.target ?? item.imported?.albumId ?? (await this.deps.createAlbum(item.file));
    } catch (error) {
      return this.update(item.key, { phase: "failed", error: (error as Error).message });
    }
    this.update(item.key, { albumId });
    const outcome = await this.sendInto(item, albumId, signal);
    if (item.imported && outcome.kind === "sent" && outcome.sent === 0) return this.update(item.key, { phase: "duplicate", error: undefined });
    if (outcome.kind === "already_imported") {
      // Dropped on an album, it stays a question for the person: the link opens the album that has it.
      if (outcome.album === albumId || item.target) return this.update(item.key, { phase: "duplicate", albumId: outcome.album, error: undefined });
      // Recognised by its fingerprint: the album made for it stays empty; the archive's own album
      // takes the drop instead (a resume when parts are missing, else the person is shown that album).
      if (!item.target && !item.imported) await this.deps.deleteAlbum(albumId).catch(() => undefined);
      this.update(item.key, { albumId: outcome.album });
      const again = await this.sendInto(item, outcome.album, signal);
      if (again.kind === "sent" && again.sent > 0) return this.update(item.key, { phase: "accepted" });
      if (again.kind === "sent" || again.kind === "refused" || again.kind === "already_imported") {
        return this.update(item.key, { phase: "duplicate", error: undefined });
      }
      return this.settle(item, again, outcome.album, false);
    }
    this.settle(item, outcome, albumId, !item.target && !item.imported);
  }

  private settle(item: UploadItem, outcome: Exclude<Outcome, { kind: "already_imported" }>, albumId: string, ownsAlbum: boolean): void {
    if (outcome.kind === "sent") return this.update(item.key, { phase: "accepted" });
    // An album the server never took a directory for holds nothing: remove it rather than leave a shell.
    if (ownsAlbum && !outcome.planned) void this.deps.deleteAlbum(albumId).catch(() => undefined);
    if (outcome.kind === "cancelled") {
      if (outcome.planned) this.deps.leave?.(albumId, "cancelled");
      return this.update(item.key, { phase: "cancelled", albumId: ownsAlbum && !outcome.planned ? undefined : albumId });
    }
    this.update(item.key, { phase: "failed", error: outcome.message, albumId: ownsAlbum && !outcome.planned ? undefined : albumId });
  }

  private async sendInto(item: UploadItem, albumId: string, signal: AbortSignal): Promise<Outcome> {
    let planned = false;
    const leave = await this.deps.watch(albumId).catch(() => () => undefined);
    try {
      const result = await this.deps.upload({
        file: item.file, albumId, signal, knownRate: this.rate,
        onPlan: (plan) => {
          planned = true;
          this.update(item.key, { phase: "uploading" });
          // An archive the album already holds whole leaves the person where they are, told so.
          if (plan && plan.segments.every((s) => s.status === "done")) return;
          const current = this.snapshot.items.find((i) => i.key === item.key);
          if (current) this.deps.onAlbumStarted?.(albumId, current, this.snapshot.items);
        },
        onProgress: (progress) => this.update(item.key, { progress }),
      });
      if (result.rate > 0) this.rate = result.rate;
      return { kind: "sent", sent: result.sent };
    } catch (error) {
      if (error instanceof UploadCancelled || signal.aborted) return { kind: "cancelled", planned };
      if (error instanceof UploadError && error.code === "already_imported" && error.album) return { kind: "already_imported", album: error.album };
      return { kind: error instanceof UploadError ? "refused" : "failed", planned, message: (error as Error).message };
    } finally {
      leave();
    }
  }

  private update(key: string, patch: Partial<UploadItem>): void {
    this.set({ items: this.snapshot.items.map((i) => (i.key === key ? { ...i, ...patch } : i)) });
  }

  private set(patch: Partial<QueueSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }
}

type Outcome =
  | { kind: "sent"; sent: number }
  | { kind: "already_imported"; album: string }
  | { kind: "cancelled"; planned: boolean }
  | { kind: "refused" | "failed"; planned: boolean; message: string };
