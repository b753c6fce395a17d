import { randomBytes } from "node:crypto";
import { Registry, TOO_MANY_MESSAGES, type Subscriber } from "./registry.ts";

/** A joined channel as presence sees it. */
export interface PresenceMember extends Subscriber {
  /** `config.presence.key`, or a random key when the client left it empty (as realtime does). */
  readonly presenceKey: string;
  presenceEnabled: boolean;
  /** False for a private member whose presence-read policy failed. */
  canReceivePresence(): boolean;
  push(event: string, payload: unknown): void;
}

type Metas = Record<string, { metas: Record<string, unknown>[] }>;

interface Tracked {
  ref: string;
  meta: Record<string, unknown>;
}

/**
 * Phoenix Presence as realtime-js consumes it (docs/supabase-behaviour.md#client-events, #server-events): one tracked meta per channel; a joining
 * member gets `presence_state`, every change goes out as `presence_diff` `{joins, leaves}` keyed by
 * presence key, each meta carrying a `phx_ref` the client uses to tell updates apart.
 */
export class PresenceBook {
  private readonly tracked = new Map<PresenceMember, Tracked>();

  constructor(private readonly registry: Registry<PresenceMember>) {}

  /** The whole topic's state, for `presence_state` right after a join. */
  state(subTopic: string, isPrivate: boolean): Metas {
    const state: Metas = {};
    for (const member of this.registry.members(subTopic, isPrivate)) {
      const entry = this.tracked.get(member);
      if (!entry) continue;
      (state[member.presenceKey] ??= { metas: [] }).metas.push({ ...entry.meta, phx_ref: entry.ref });
    }
    return state;
  }

  track(member: PresenceMember, meta: Record<string, unknown>): void {
    const previous = this.tracked.get(member);
    const ref = randomBytes(9).toString("base64url");
    this.tracked.set(member, { ref, meta });
    const joined = { ...meta, phx_ref: ref, ...(previous ? { phx_ref_prev: previous.ref } : {}) };
    const leaves: Metas = previous ? { [member.presenceKey]: { metas: [{ ...previous.meta, phx_ref: previous.ref }] } } : {};
    this.announce(member, { joins: { [member.presenceKey]: { metas: [joined] } }, leaves });
  }

  untrack(member: PresenceMember): void {
    const previous = this.tracked.get(member);
    if (!previous) return;
    this.tracked.delete(member);
    this.announce(member, { joins: {}, leaves: { [member.presenceKey]: { metas: [{ ...previous.meta, phx_ref: previous.ref }] } } });
  }

  private announce(source: PresenceMember, diff: { joins: Metas; leaves: Metas }): void {
    for (const member of this.registry.members(source.subTopic, source.isPrivate)) {
      if (!member.presenceEnabled || !member.canReceivePresence()) continue;
      // Presence deliveries are messages to a client like any other (docs/supabase-behaviour.md#realtime-limits).
      if (!this.registry.rate.tryAdd(1)) {
        member.shutdown(TOO_MANY_MESSAGES);
        continue;
      }
      member.push("presence_diff", diff);
    }
  }
}
