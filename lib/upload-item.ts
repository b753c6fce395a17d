/** One archive in the upload queue, from pre-flight to the function's answer. */
import type { PreflightReport } from "@/lib/zip-preflight";

export type UploadPhase =
  | "checking" // reading the central directory
  | "ready" // pre-flight passed, waiting for the person to start
  | "blocked" // pre-flight found a problem that must be fixed first
  | "waiting" // queued behind another archive
  | "starting" // creating the album and joining its channel
  | "uploading" // bytes on the wire
  | "processing" // all bytes sent, the function is reading the archive
  | "accepted" // the function answered 202; extraction runs on the server
  | "failed"
  | "cancelled";

export type UploadItem = {
  key: string;
  file: File;
  phase: UploadPhase;
  report?: PreflightReport;
  albumId?: string;
  sent: number;
  /** Bytes per second over the last seconds. */
  speed: number;
  error?: string;
};

export function isZipName(name: string): boolean {
  return /\.zip$/i.test(name);
}

/** "Summer_2024.zip" → "Summer 2024". */
export function albumNameFromFile(fileName: string): string {
  const base = fileName.replace(/\.zip$/i, "").replace(/[_]+/g, " ").trim();
  return (base || "Untitled album").slice(0, 200);
}
