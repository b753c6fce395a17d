// Byte sizes as people read them, for every message Shoebox shows: the function's reasons and refusals
// and the app's views use this one formatter, so a limit reads the same before and after an upload.
// The convention (docs/architecture.md#byte-sizes): binary units under the familiar symbols, 1 KB =
// 1,024 bytes, 1 MB = 1,024 KB, with one decimal below 100 in a unit. The 50 MiB photo limit is "50.0 MB".
// No imports on purpose: the function (Deno) and the app (Next.js) both import this file as is.

const UNITS = ["B", "KB", "MB", "GB", "TB"];

/** 1536 → "1.5 KB"; 52,428,800 → "50.0 MB". Not a size (negative, NaN) → "—". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} B`;
  // A whole number below 100 in a unit would hide progress, so one decimal until then.
  return `${value.toFixed(value < 100 ? 1 : 0)} ${UNITS[unit]}`;
}
