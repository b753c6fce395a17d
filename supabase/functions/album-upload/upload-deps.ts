// What the directory and segment requests need from the outside world; index.ts wires the real ones,
// tests may pass their own. The worker's identity and deadline make segment leases end with the worker.
import type { Broadcaster } from "./progress-reporter.ts";
import type { AlbumStore } from "./album-store.ts";
import type { ArchiveStore } from "./archive-store.ts";
import type { FunctionConfig } from "./config.ts";
import type { PhotoUploader } from "./photo-storage.ts";

/** A running segment extraction, for beforeunload. */
export interface InterruptibleJob {
  interrupt(reason: string): Promise<void>;
}

export interface SegmentedDeps {
  config: FunctionConfig;
  store: AlbumStore;
  archives: ArchiveStore;
  uploader: PhotoUploader;
  broadcaster: Broadcaster;
  waitUntil(task: Promise<unknown>): void;
  /** Segment jobs running in this worker, by `<archive>:<segment>`. */
  segmentJobs: Map<string, InterruptibleJob>;
  /** Identifies this worker in segment leases. */
  workerId: string;
  /** When this worker's wall clock runs out (epoch ms): no lease outlives it. */
  workerDeadline: number;
  now?: () => number;
  log: (message: string) => void;
}
