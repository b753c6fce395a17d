/**
 * Joining the private progress channel `album:<id>` (docs/architecture.md#progress-protocol). Private channels are authorised
 * by the realtime.messages RLS policy against the user's JWT, so the socket must carry the user's
 * token (setAuth) before the join, or the server checks the anon key and refuses.
 */
import type { RealtimeChannel, SupabaseClient } from "@supabase/supabase-js";
import { albumChannel, PROGRESS_EVENT, STATUS_EVENT, type ProgressPayload, type StatusPayload } from "@/lib/progress";

export type ChannelState = "joining" | "joined" | "error" | "closed";

export type AlbumChannelHandlers = {
  onProgress?: (payload: ProgressPayload) => void;
  onStatus?: (payload: StatusPayload) => void;
  onState?: (state: ChannelState, error?: Error) => void;
};

export type AlbumChannelJoin = {
  /** Resolves once joined; rejects if the server refused or timed out. */
  joined: Promise<void>;
  leave: () => void;
};

type Shared = {
  channel: RealtimeChannel | null;
  listeners: Set<AlbumChannelHandlers>;
  joined: Promise<void>;
  state: ChannelState;
  error?: Error;
};

/**
 * realtime-js keeps one channel object per topic (`supabase.channel(topic)` returns the existing one,
 * and subscribing it twice fails), so the album view and an upload into the same album share one
 * subscription here, and it is removed when the last of them leaves. A join right after the last
 * leave waits for that leave to finish, or it would get the half-closed channel back.
 */
const shared = new Map<string, Shared>();
const leaving = new Map<string, Promise<unknown>>();

/**
 * After the server closed the channel by itself (Realtime shuts channels when the project is over its
 * messages per second; realtime-js does not rejoin then), it is joined again after these pauses, the
 * last one repeating, for as long as someone still listens.
 */
const REJOIN_DELAYS_MS = [2_000, 5_000, 10_000];

function open(supabase: SupabaseClient, topic: string): Shared {
  const entry: Shared = { channel: null, listeners: new Set(), joined: Promise.resolve(), state: "joining" };
  const notify = (state: ChannelState, error?: Error) => {
    entry.state = state;
    entry.error = error;
    for (const listener of entry.listeners) listener.onState?.(state, error);
  };
  let rejoins = 0;
  const subscribe = async (): Promise<void> => {
    // No argument: the token comes from the current session and keeps being refreshed with it.
    await supabase.realtime.setAuth();
    const channel = supabase
      .channel(topic, { config: { private: true } })
      .on("broadcast", { event: PROGRESS_EVENT }, ({ payload }) => {
        for (const listener of entry.listeners) listener.onProgress?.(payload as ProgressPayload);
      })
      .on("broadcast", { event: STATUS_EVENT }, ({ payload }) => {
        for (const listener of entry.listeners) listener.onStatus?.(payload as StatusPayload);
      });
    entry.channel = channel;
    await new Promise<void>((resolve, reject) => {
      channel.subscribe((status, error) => {
        if (status === "SUBSCRIBED") {
          rejoins = 0;
          notify("joined");
          resolve();
        } else if (status === "CHANNEL_ERROR" || status === "TIMED_OUT") {
          const failure = error ?? new Error(status === "TIMED_OUT" ? "The live progress connection timed out." : "Live progress is unavailable.");
          notify("error", failure);
          reject(failure);
        } else if (status === "CLOSED") {
          notify("closed");
          // Closed by the server, not by a leave (a leave removes the entry from `shared` first).
          if (shared.get(topic) === entry && entry.channel === channel) rejoinLater(channel);
        }
      });
    });
  };
  const rejoinLater = (closed: RealtimeChannel) => {
    const delay = REJOIN_DELAYS_MS[Math.min(rejoins, REJOIN_DELAYS_MS.length - 1)];
    rejoins += 1;
    setTimeout(() => {
      if (shared.get(topic) !== entry || entry.channel !== closed) return;
      entry.joined = supabase
        .removeChannel(closed)
        .then(subscribe)
        .catch(() => undefined);
    }, delay);
  };
  entry.joined = subscribe();
  shared.set(topic, entry);
  return entry;
}

export function joinAlbumChannel(supabase: SupabaseClient, albumId: string, handlers: AlbumChannelHandlers): AlbumChannelJoin {
  const topic = albumChannel(albumId);
  let entry: Shared | undefined;
  let left = false;

  const joined = (async () => {
    await leaving.get(topic);
    if (left) return;
    entry = shared.get(topic) ?? open(supabase, topic);
    entry.listeners.add(handlers);
    handlers.onState?.(entry.state, entry.error);
    await entry.joined;
  })();

  const leave = () => {
    if (left) return;
    left = true;
    const current = entry;
    if (!current) return;
    current.listeners.delete(handlers);
    if (current.listeners.size > 0) return;
    shared.delete(topic);
    const removal = current.joined
      .catch(() => undefined)
      .then(() => (current.channel ? supabase.removeChannel(current.channel) : undefined))
      .finally(() => {
        if (leaving.get(topic) === removal) leaving.delete(topic);
      });
    leaving.set(topic, removal);
  };

  return { joined, leave };
}
