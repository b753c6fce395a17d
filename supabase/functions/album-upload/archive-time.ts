// When the archive says a file was last modified: read from the entry's local header, so the whole-archive
// job and a segment job (which has only the directory's rows, and the bytes) read it the same way. It is
// a photo's date taken when the photo has no EXIF date (docs/architecture.md#photo-metadata).
//
// In order of preference: the extended timestamp (extra field 0x5455: Unix seconds, UTC), the NTFS times
// (0x000a: Windows FILETIME, UTC), else the DOS date and time every entry has. DOS time has no zone and
// two-second steps; it is read as UTC, like an EXIF date without an offset.
import type { RandomAccess } from "./central-directory.ts";

const LOCAL_HEADER = 0x04034b50, LOCAL_HEADER_LENGTH = 30;
const EXTENDED_TIMESTAMP = 0x5455, NTFS = 0x000a;
/** FILETIME counts 100 ns steps from 1601-01-01; Unix time starts 11,644,473,600 s later. */
const FILETIME_UNIX_EPOCH_SECONDS = 11_644_473_600;

/** The modification time as an ISO string (UTC), or null when the header is missing or holds no valid time. */
export async function archiveModifiedAt(file: RandomAccess, localHeaderOffset: number): Promise<string | null> {
  try {
    const header = await file.readUint8Array(localHeaderOffset, LOCAL_HEADER_LENGTH);
    if (header.length < LOCAL_HEADER_LENGTH) return null;
    const v = new DataView(header.buffer, header.byteOffset, header.byteLength);
    if (v.getUint32(0, true) !== LOCAL_HEADER) return null;
    const nameLength = v.getUint16(26, true), extraLength = v.getUint16(28, true);
    if (extraLength >= 4) {
      const extra = await file.readUint8Array(localHeaderOffset + LOCAL_HEADER_LENGTH + nameLength, extraLength);
      const fromExtra = extraFieldTime(extra);
      if (fromExtra) return fromExtra;
    }
    return dosTime(v.getUint16(12, true), v.getUint16(10, true));
  } catch {
    return null; // unreadable bytes are the extraction's to report, not the date's
  }
}

/** The modification time an extra field block carries (0x5455 or 0x000a), or null. */
export function extraFieldTime(extra: Uint8Array): string | null {
  const v = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let at = 0; at + 4 <= extra.length;) {
    const id = v.getUint16(at, true), length = v.getUint16(at + 2, true);
    const body = at + 4, end = Math.min(body + length, extra.length);
    if (id === EXTENDED_TIMESTAMP && end - body >= 5 && (extra[body] & 1)) {
      const found = isoOrNull(v.getInt32(body + 1, true) * 1000);
      if (found) return found;
    } else if (id === NTFS) {
      // 4 reserved bytes, then attributes: tag 1 holds modification, access and creation FILETIMEs.
      for (let t = body + 4; t + 4 <= end;) {
        const tag = v.getUint16(t, true), size = v.getUint16(t + 2, true);
        if (tag === 1 && size >= 8 && t + 12 <= end) {
          const filetime = v.getUint32(t + 4, true) + v.getUint32(t + 8, true) * 2 ** 32;
          const found = isoOrNull((filetime / 1e7 - FILETIME_UNIX_EPOCH_SECONDS) * 1000);
          if (found) return found;
        }
        t += 4 + size;
      }
    }
    at = body + length;
  }
  return null;
}

/** DOS date and time fields as UTC, or null for a zero or impossible date (month 13, 31 February). */
export function dosTime(date: number, time: number): string | null {
  const year = 1980 + (date >> 9), month = (date >> 5) & 15, day = date & 31;
  const hour = time >> 11, minute = (time >> 5) & 63, second = (time & 31) * 2;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return at.getUTCDate() === day ? at.toISOString() : null;
}

/** Times before photography or past year 9999 are not a date anyone took a photo on. */
function isoOrNull(ms: number): string | null {
  if (!Number.isFinite(ms) || ms < Date.UTC(1826, 0, 1) || ms >= Date.UTC(10000, 0, 1)) return null;
  return new Date(Math.round(ms / 1000) * 1000).toISOString();
}
