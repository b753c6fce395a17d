/**
 * The upload queue's effects in the browser: the function's figures, pre-flight, the album row, the
 * progress channel and the requests. Everything else (ordering, retries, resume, progress) lives in
 * the plain modules this wires together.
 */
import { createClient } from "@/lib/supabase/client";
import { env } from "@/lib/env";
import { joinAlbumChannel } from "@/lib/album-channel";
import { deleteAlbumCompletely } from "@/lib/album-deletion";
import { albumWriteMessage } from "@/lib/album-write-errors";
import { directoryStart } from "@/lib/archive-directory";
import { fingerprintOfFile } from "@/lib/archive-fingerprint";
import { findImportedArchive } from "@/lib/imported-archive";
import { UploadCancelled } from "@/lib/upload-error";
import { createUploadClient } from "@/lib/upload-client";
import { DEFAULT_FIGURES, fetchFigures, type UploadFigures } from "@/lib/upload-figures";
import { albumNameFromFile } from "@/lib/upload-item";
import type { QueueDeps } from "@/lib/upload-queue";
import { runUploadSequence, type SequenceDeps } from "@/lib/upload-sequence";
import { runSingleUpload } from "@/lib/upload-single";
import { preflightZip } from "@/lib/zip-preflight";

async function accessToken(): Promise<string> {
  const { data } = await createClient().auth.getSession();
  if (!data.session) throw new Error("You are signed out. Sign in again, then drop the zip again to continue.");
  return data.session.access_token;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new UploadCancelled());
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(new UploadCancelled());
    };
    signal.addEventListener("abort", abort, { once: true });
  });
}

function every(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  return () => clearInterval(timer);
}

export function browserUploadDeps(onAlbumStarted: QueueDeps["onAlbumStarted"]): QueueDeps {
  const { supabaseUrl, supabaseAnonKey } = env();
  const client = createUploadClient({ supabaseUrl, apiKey: supabaseAnonKey, accessToken });
  let figures: Promise<UploadFigures> | null = null;
  // Asked once per tab; if the function cannot be asked, its defaults are the best guess.
  const readFigures = () =>
    (figures ??= accessToken()
      .catch(() => supabaseAnonKey)
      .then((token) => fetchFigures(supabaseUrl, supabaseAnonKey, token))
      .catch(() => DEFAULT_FIGURES));
  const sequenceDeps: SequenceDeps = { client, locateDirectory: directoryStart, now: () => performance.now(), sleep, every };

  return {
    preflight: async (file) => preflightZip(file, (await readFigures()).limits),
    async createAlbum(file) {
      const { data, error } = await createClient()
        .from("albums")
        .insert({ name: albumNameFromFile(file.name), source_name: file.name, source_bytes: file.size })
        .select("id")
        .single();
      // Over a per-user limit or a bound of a column, the database says which (album-write-errors.ts).
      if (error) throw new Error(`Could not create the album: ${albumWriteMessage(error)}`);
      if (!data) throw new Error("Could not create the album: no row returned. Try again.");
      return data.id;
    },
    // Reads the file's directory again (pre-flight's zip.js reader does not keep its bytes): one tail read.
    recognise: async (file) => findImportedArchive(createClient(), await fingerprintOfFile(file)),
    async deleteAlbum(albumId) {
      // Once part of an archive was received the album may hold photos: delete it the full way.
      const supabase = createClient();
      const { data } = await supabase.auth.getSession();
      if (data.session) await deleteAlbumCompletely(supabase, data.session.user.id, albumId);
    },
    async watch(albumId) {
      // If live progress is unavailable the upload still goes ahead: the album view reads the database.
      const channel = joinAlbumChannel(createClient(), albumId, {});
      await channel.joined.catch(() => undefined);
      return channel.leave;
    },
    async upload(run) {
      const { segmented, assumedUploadRate } = await readFigures();
      if (segmented) return runUploadSequence({ ...run, assumedRate: assumedUploadRate }, sequenceDeps);
      const result = await runSingleUpload(run, { client, now: sequenceDeps.now, every });
      run.onPlan();
      return result;
    },
    leave: (albumId, why) => client.leave(albumId, why),
    onAlbumStarted,
  };
}
