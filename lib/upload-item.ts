/** One archive in the upload queue, from pre-flight to the function's last answer. */
import type { PreflightReport } from "@/lib/zip-preflight";
import type { ImportedArchive } from "@/lib/imported-archive";
import type { TransferProgress } from "@/lib/transfer-meter";

export type UploadPhase =
  | "checking" // reading the central directory
  | "ready" // pre-flight passed, waiting for the person to start
  | "blocked" // pre-flight found a problem that must be fixed first
  | "waiting" // queued behind another archive
  | "starting" // creating the album, sending the archive's directory
  | "uploading" // segments on the wire
  | "accepted" // every segment is with the server; extraction finishes there
  | "duplicate" // this archive is already imported in another album
  | "failed"
  | "cancelled";

export type UploadItem = {
  key: string;
  file: File;
  phase: UploadPhase;
  /** The album the archive was dropped on, to add to or resume; none for a drop on the home page. */
  target?: string;
  report?: PreflightReport;
  /** The album receiving the archive, once known. */
  albumId?: string;
  progress?: TransferProgress;
  error?: string;
  /** The album that already holds this zip, recognised by its fingerprint before anything was sent. */
  imported?: ImportedArchive;
  /** That album is receiving this very zip right now, from this tab or another. */
  alreadySending?: boolean;
};

/** "Summer_2024.zip" → "Summer 2024". */
export function albumNameFromFile(fileName: string): string {
  const base = fileName.replace(/\.zip$/i, "").replace(/[_]+/g, " ").trim();
  return (base || "Untitled album").slice(0, 200);
}

/** The same file chosen again (same name, size and modification time). */
export function sameFile(a: File, b: File): boolean {
  return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;
}
