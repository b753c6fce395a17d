/**
 * The span of an album's dates for its header and its card: "12–14 Jul 2024", "30 Jun – 2 Jul 2024",
 * "Dec 2023 – Jan 2024" (docs/architecture.md#photos-in-time-and-folders). Intl's range formatting
 * gives each locale its own shape; dates are read in UTC like the day sections (photo-timeline.ts).
 * Pure; see date-span.test.ts.
 */

/** Spans longer than this are named by month: the days of a year-long album say nothing. */
export const DAY_PRECISION_MAX_DAYS = 31;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `first`..`last` (ISO timestamps) as a short range in `locale` (undefined: the runtime's default); one
 * day reads as that day. Null when either date is missing or unreadable.
 */
export function formatDateSpan(first: string | null | undefined, last: string | null | undefined, locale?: string): string | null {
  if (!first || !last) return null;
  let start = new Date(first);
  let end = new Date(last);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return null;
  if (end < start) [start, end] = [end, start];
  const days = (utcDay(end) - utcDay(start)) / DAY_MS;
  const format = new Intl.DateTimeFormat(locale, days <= DAY_PRECISION_MAX_DAYS
    ? { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }
    : { month: "short", year: "numeric", timeZone: "UTC" });
  return format.formatRange(start, end);
}

function utcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}
