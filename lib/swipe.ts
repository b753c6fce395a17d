/**
 * What a finished touch gesture on the lightbox means. Pure; see swipe.test.ts.
 *
 * A swipe must travel at least `threshold` CSS pixels along its main axis, and that axis must clearly
 * dominate (a diagonal drag is ambiguous and does nothing), so a tap, a wobble or a pinch never steps.
 */
export type SwipeAction = "next" | "previous" | "close" | null;

export type SwipeOptions = {
  /** Least travel, in CSS pixels, along the swipe's axis. */
  threshold?: number;
  /** How many times the main axis' travel must exceed the other's. */
  dominance?: number;
};

export const SWIPE_THRESHOLD = 50;

/** dx, dy: where the pointer was lifted minus where it went down (y grows downwards). */
export function classifySwipe(dx: number, dy: number, { threshold = SWIPE_THRESHOLD, dominance = 1.5 }: SwipeOptions = {}): SwipeAction {
  if (!Number.isFinite(dx) || !Number.isFinite(dy)) return null;
  const ax = Math.abs(dx);
  const ay = Math.abs(dy);
  if (ax >= threshold && ax >= dominance * ay) return dx < 0 ? "next" : "previous";
  // Only downwards closes: pulling the photo away, as phone galleries do. Up is left free.
  if (dy >= threshold && ay >= dominance * ax) return "close";
  return null;
}
