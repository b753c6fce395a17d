/**
 * The album as a timeline (docs/architecture.md#photos-in-time-and-folders): photos in the order they
 * were taken, oldest first so a trip reads in order, in one section per day. Dates are the camera's
 * wall clock stored as UTC (docs/architecture.md#photo-metadata), so days are cut and named in UTC: a
 * photo taken at 23:30 stays on its own evening whatever zone the viewer is in. Pure; see
 * photo-timeline.test.ts.
 */

/** What ordering needs of a photo: its place in the archive and when it was taken (null: unknown). */
export type Timed = { idx: number; takenAt?: string | null };

/** The key of the section holding photos without a date; it always comes last. */
export const UNDATED = "undated";

export type DaySection<T> = {
  /** `YYYY-MM-DD` (UTC) of the day, or UNDATED. */
  key: string;
  photos: T[];
};

/** Milliseconds since the epoch of a photo's date, or null when it has none (or an unreadable one). */
export function takenAtMs(photo: Timed): number | null {
  if (!photo.takenAt) return null;
  const ms = Date.parse(photo.takenAt);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Photos by date taken, then archive order (a burst shot in one second keeps its order); photos without
 * a date after all dated ones, in archive order. A new array; the input is left as it is.
 */
export function inTimeOrder<T extends Timed>(photos: readonly T[]): T[] {
  const keyed = photos.map((photo) => ({ photo, ms: takenAtMs(photo) }));
  keyed.sort((a, b) => {
    if (a.ms !== b.ms) {
      if (a.ms === null) return 1;
      if (b.ms === null) return -1;
      return a.ms - b.ms;
    }
    return a.photo.idx - b.photo.idx;
  });
  return keyed.map((k) => k.photo);
}

/** `YYYY-MM-DD` of the UTC day a photo was taken, or UNDATED. */
export function dayKey(photo: Timed): string {
  const ms = takenAtMs(photo);
  return ms === null ? UNDATED : new Date(ms).toISOString().slice(0, 10);
}

/** Photos already in time order (inTimeOrder) cut into consecutive days; the undated ones last. */
export function daySections<T extends Timed>(ordered: readonly T[]): DaySection<T>[] {
  const sections: DaySection<T>[] = [];
  for (const photo of ordered) {
    const key = dayKey(photo);
    const last = sections.at(-1);
    if (last && last.key === key) last.photos.push(photo);
    else sections.push({ key, photos: [photo] });
  }
  return sections;
}

/**
 * A section's heading: "Saturday, 13 July 2024" in en-GB, "Saturday, July 13, 2024" in en-US — the
 * viewer's locale (undefined: the runtime's default), always the UTC day. "No date" for undated photos.
 */
export function dayHeading(key: string, locale?: string): string {
  if (key === UNDATED) return "No date";
  const date = new Date(`${key}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return "No date";
  return new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
}
