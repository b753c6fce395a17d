/**
 * The lightbox's "Info" panel as text: when the photo was taken and how we know, its camera, its
 * pixel size as it is shown. Pure; see photo-info.test.ts.
 */

export type TakenAtSource = "exif" | "archive";

/**
 * EXIF orientations 5–8 are stored a quarter turn from how they are shown (rotated 90° or 270°,
 * possibly mirrored), so the displayed width is the stored height. 1–4 (and unknown) keep the axes.
 */
export function displayedPixelSize(width: number | null | undefined, height: number | null | undefined, orientation?: number | null): { width: number; height: number } | null {
  if (!(Number(width) > 0) || !(Number(height) > 0)) return null;
  const w = Number(width);
  const h = Number(height);
  return orientation !== null && orientation !== undefined && orientation >= 5 && orientation <= 8 ? { width: h, height: w } : { width: w, height: h };
}

/** "4000 × 3000 px", or null when the size is unknown. */
export function formatPixelSize(size: { width: number; height: number } | null): string | null {
  return size ? `${size.width.toLocaleString("en-US")} × ${size.height.toLocaleString("en-US")} px` : null;
}

const TAKEN_AT_FORMAT = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

/**
 * ISO timestamp → "12 Jul 2024, 14:03". In UTC, because a camera's date carries no zone and is stored
 * as its wall-clock time in UTC: shown in UTC it reads as the camera's clock did, on every screen.
 */
export function formatTakenAt(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : TAKEN_AT_FORMAT.format(date);
}

/** How the date was learnt, in words: the camera's own record, or the zip entry's modification time. */
export function takenAtSourceLabel(source: TakenAtSource | string | null | undefined): string | null {
  if (source === "exif") return "from the camera";
  if (source === "archive") return "from the archive";
  return null;
}

/**
 * "Canon EOS R5" from make "Canon" and model "Canon EOS R5": many cameras repeat the make (or its first
 * word: "NIKON CORPORATION", "NIKON Z 6") in the model, so it is shown once. Either part alone is shown
 * as it is; neither → null.
 */
export function cameraLabel(make: string | null | undefined, model: string | null | undefined): string | null {
  const m = make?.trim() ?? "";
  const n = model?.trim() ?? "";
  if (!m) return n || null;
  if (!n) return m;
  const brand = m.split(/\s+/)[0].toLowerCase();
  return n.toLowerCase().startsWith(brand) ? n : `${m} ${n}`;
}
