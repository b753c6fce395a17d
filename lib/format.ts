/** Human-readable numbers for the upload and album views. Pure; see format.test.ts. */
import { formatBytes } from "../supabase/functions/_shared/byte-size.ts";

// Byte sizes have one formatter, shared with the function's messages (docs/architecture.md#byte-sizes).
export { formatBytes };

/** Bytes per second → "2.4 MB/s". */
export function formatSpeed(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return "—";
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Seconds → "45 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, "0")} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Time left for the remaining bytes at the current speed, or "—" while the speed is unknown. */
export function formatEta(remainingBytes: number, bytesPerSecond: number): string {
  if (remainingBytes <= 0) return "0 s";
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return "—";
  return formatDuration(remainingBytes / bytesPerSecond);
}

/** done/total → whole percent, never 100 before the end (a stuck "100 %" looks broken). */
export function formatPercent(done: number, total: number): string {
  if (total <= 0) return "0 %";
  const percent = Math.floor((done / total) * 100);
  return `${Math.min(percent, done >= total ? 100 : 99)} %`;
}

/** "1 photo", "2 photos". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

const DATE_FORMAT = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** ISO timestamp → "27 Nov 2026". Fixed locale and zone so server and browser render the same text. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : DATE_FORMAT.format(date);
}
