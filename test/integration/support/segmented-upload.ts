// A small Node client of the segmented upload protocol (supabase/functions/_shared/upload-protocol.ts),
// for integration tests and the benchmark: it reads only the archive's last bytes to find the central
// directory, sends the directory request, then every segment not yet done, a few at a time, retrying
// what the protocol says can succeed later. The archive is any random-access source: a Buffer, a file.
import { open } from "node:fs/promises";
import type { SupabaseClient } from "@supabase/supabase-js";
import { ANON_KEY } from "../../../local-supabase/test/support/platform.ts";
import {
  type DirectoryAnswer, directoryHeaders, locateDirectory, type PlannedSegment, readProblem, SEGMENTS_IN_FLIGHT,
  TAIL_PROBE_BYTES, uploadPath,
} from "../../../supabase/functions/_shared/upload-protocol.ts";

export interface ArchiveSource {
  size: number;
  name: string;
  read(start: number, end: number): Promise<Uint8Array>;
  close?(): Promise<void>;
}

export function bufferSource(bytes: Uint8Array, name = "photos.zip"): ArchiveSource {
  return { size: bytes.length, name, read: (start, end) => Promise.resolve(bytes.subarray(start, end)) };
}

export async function fileSource(path: string, name = path.split("/").pop() ?? "archive.zip"): Promise<ArchiveSource> {
  const handle = await open(path, "r");
  const { size } = await handle.stat();
  return {
    size, name,
    async read(start, end) {
      const out = Buffer.allocUnsafe(end - start);
      let at = 0;
      while (at < out.length) {
        const { bytesRead } = await handle.read(out, at, out.length - at, start + at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      return out.subarray(0, at);
    },
    close: () => handle.close(),
  };
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T & Record<string, unknown>;
}

export interface ClientOptions {
  url: string;
  accessToken: string;
  albumId: string;
}

async function post<T>(options: ClientOptions, path: string, body: Uint8Array | null, headers: Record<string, string> = {}): Promise<Reply<T>> {
  const response = await fetch(`${options.url}${path}`, {
    method: "POST",
    headers: { apikey: ANON_KEY, Authorization: `Bearer ${options.accessToken}`, "Content-Type": "application/octet-stream", ...headers },
    body: body as Uint8Array<ArrayBuffer> | null,
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { message: text };
  }
  return { status: response.status, body: parsed as T & Record<string, unknown> };
}

/** Where the central directory starts, reading only the archive's last bytes (more only when asked). */
export async function directoryStart(source: ArchiveSource): Promise<number> {
  let from = Math.max(0, source.size - TAIL_PROBE_BYTES);
  for (;;) {
    const located = locateDirectory(await source.read(from, source.size), source.size, await source.read(0, 4));
    if ("location" in located) return located.location.directoryStart;
    from = located.readFrom;
  }
}

export async function sendDirectory(options: ClientOptions, source: ArchiveSource, rate?: number): Promise<Reply<DirectoryAnswer>> {
  const start = await directoryStart(source);
  return post<DirectoryAnswer>(options, uploadPath({ form: "directory", album: options.albumId }), await source.read(start, source.size),
    directoryHeaders(source.size, source.name, rate));
}

export function sendSegment(options: ClientOptions, archive: string, segment: PlannedSegment, bytes: Uint8Array): Promise<Reply> {
  return post(options, uploadPath({ form: "segment", album: options.albumId, archive, segment: segment.index }), bytes);
}

export interface UploadRun {
  directory: Reply<DirectoryAnswer>;
  /** Every segment answer, in the order they came. */
  answers: { index: number; status: number; code?: string }[];
  /** Segments sent again because their worker stopped before finishing them (lease released or expired). */
  resent: number;
}

/** Reads the plan's segments as the owner sees them (PostgREST, RLS): which are done, which are held. */
export type SegmentReader = (archive: string) => Promise<{ idx: number; status: string; lease_expires_at: string | null }[]>;

/**
 * The whole sequence: directory, then every segment that is not `done`, `inFlight` at a time. A
 * retryable refusal (busy, /tmp full, a worker limit) is sent again after a pause; any other refusal stops.
 */
export async function uploadSegmented(
  options: ClientOptions, source: ArchiveSource,
  settings: { inFlight?: number; rate?: number; retries?: number; readSegments?: SegmentReader; timeoutMs?: number } = {},
): Promise<UploadRun> {
  const directory = await sendDirectory(options, source, settings.rate);
  const run: UploadRun = { directory, answers: [], resent: 0 };
  if (directory.status !== 200) return run;
  const byIndex = new Map(directory.body.segments.map((s) => [s.index, s]));
  let queue = directory.body.segments.filter((s) => s.status !== "done");
  const send = async (segment: PlannedSegment) => {
    for (let attempt = 0; ; attempt++) {
      const reply = await sendSegment(options, directory.body.archive, segment, await source.read(segment.start, segment.end));
      const code = typeof reply.body.code === "string" ? reply.body.code : undefined;
      run.answers.push({ index: segment.index, status: reply.status, code });
      if (reply.status === 202 || code === "segment_done") return;
      const problem = readProblem(reply.status, reply.body);
      if (!problem.retry || attempt >= (settings.retries ?? 20)) {
        throw new Error(`segment ${segment.index}: ${reply.status} ${problem.code}: ${problem.message}`);
      }
      const wait = Number(reply.body.retryAfterSeconds) || 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 5) * 1000));
    }
  };
  const sendQueue = () => Promise.all(Array.from({ length: Math.max(1, settings.inFlight ?? SEGMENTS_IN_FLIGHT) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await send(next);
  }));
  await sendQueue();
  // A worker stopped by its limits lets its segment go (or its lease runs out): the plan shows it
  // pending with no live lease, and it is sent again — as the app does while its page is open.
  const deadline = Date.now() + (settings.timeoutMs ?? 30 * 60_000);
  while (settings.readSegments && Date.now() < deadline) {
    const segments = await settings.readSegments(directory.body.archive);
    if (segments.every((s) => s.status === "done")) break;
    const now = Date.now();
    const orphaned = segments.filter((s) => s.status !== "done" && (!s.lease_expires_at || Date.parse(s.lease_expires_at) <= now));
    if (orphaned.length) {
      queue = orphaned.map((s) => byIndex.get(s.idx)!);
      run.resent += queue.length;
      await sendQueue();
    } else {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return run;
}

/** A SegmentReader through the owner's supabase-js client. */
export function segmentsOf(client: SupabaseClient): SegmentReader {
  return async (archive) => {
    const { data, error } = await client.from("album_segments").select("idx, status, lease_expires_at").eq("archive_id", archive);
    if (error) throw new Error(`segments read failed: ${error.message}`);
    return data as { idx: number; status: string; lease_expires_at: string | null }[];
  };
}
