"use client";

import { useRef, useState, type PointerEvent } from "react";
import { classifySwipe, type SwipeAction } from "@/lib/swipe";

type Gesture = { id: number; x: number; y: number; follow: boolean };

/**
 * Touch and pen swipes on one element, through pointer events (a mouse drag is not a swipe). While the
 * finger is down the element may follow it (`offset`), unless the person asked for reduced motion;
 * when it lifts, `onSwipe` gets what the gesture meant. A second finger (a pinch) cancels the gesture.
 * The element needs `touch-action` that leaves pans to the page (e.g. `touch-pinch-zoom`), or the
 * browser takes the pan over and cancels the pointer.
 */
export function useSwipe(onSwipe: (action: Exclude<SwipeAction, null>) => void) {
  const gesture = useRef<Gesture | null>(null);
  const [offset, setOffset] = useState<{ x: number; y: number } | null>(null);

  const end = () => {
    gesture.current = null;
    setOffset(null);
  };

  const handlers = {
    onPointerDown(event: PointerEvent) {
      if (event.pointerType === "mouse") return;
      if (!event.isPrimary) return end();
      const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      gesture.current = { id: event.pointerId, x: event.clientX, y: event.clientY, follow: !reduced };
    },
    onPointerMove(event: PointerEvent) {
      const g = gesture.current;
      if (!g || g.id !== event.pointerId || !g.follow) return;
      const dx = event.clientX - g.x;
      const dy = event.clientY - g.y;
      // Follow along the axis the finger is mostly moving on; up is not a gesture, so it does not move.
      setOffset(Math.abs(dx) >= Math.abs(dy) ? { x: dx, y: 0 } : { x: 0, y: Math.max(0, dy) });
    },
    onPointerUp(event: PointerEvent) {
      const g = gesture.current;
      if (!g || g.id !== event.pointerId) return;
      end();
      const action = classifySwipe(event.clientX - g.x, event.clientY - g.y);
      if (action) onSwipe(action);
    },
    onPointerCancel: end,
  };

  return { handlers, offset };
}
