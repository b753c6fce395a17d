import type { PayloadEncoding } from "./serializer.ts";
import type { RateCounter } from "./rate-limit.ts";

/** One broadcast on its way to subscribers. */
export interface BroadcastMessage {
  event: string;
  /** JSON text (encoding 1) or raw bytes (encoding 0), kept as received so relaying never re-encodes. */
  encoding: PayloadEncoding;
  bytes: Buffer;
  /** Socket pushes are relayed as kind-4 binary; REST and SQL messages as JSON text frames (docs/supabase-behaviour.md#realtime-frames). */
  relay: "binary" | "text";
  /** `id` from the REST batch, delivered as `meta.id` (docs/supabase-behaviour.md#rest-broadcast). */
  id?: string;
}

/** What the registry needs from a joined channel. */
export interface Subscriber {
  readonly subTopic: string;
  readonly isPrivate: boolean;
  /** False for a private member whose broadcast-read policy failed (it joined through presence only). */
  canReceiveBroadcast(): boolean;
  deliver(message: BroadcastMessage): void;
  /** Pushes a `system` error and closes the channel (docs/supabase-behaviour.md#server-events). */
  shutdown(reason: string): void;
}

export const TOO_MANY_MESSAGES = "Too many messages per second";

/**
 * Joined channels by topic. Public and private channels with the same name are different topics, as
 * realtime keys them (`<tenant>:<sub>` vs `<tenant>-private:<sub>`, realtime Tenants.tenant_topic): a
 * `private: true` message never reaches a public subscriber and vice versa.
 */
export class Registry<S extends Subscriber = Subscriber> {
  private readonly topics = new Map<string, Set<S>>();

  constructor(readonly rate: RateCounter) {}

  static key(subTopic: string, isPrivate: boolean): string {
    return `${isPrivate ? "private" : "public"}:${subTopic}`;
  }

  add(subscriber: S): void {
    const key = Registry.key(subscriber.subTopic, subscriber.isPrivate);
    const set = this.topics.get(key) ?? new Set();
    set.add(subscriber);
    this.topics.set(key, set);
  }

  remove(subscriber: S): void {
    const key = Registry.key(subscriber.subTopic, subscriber.isPrivate);
    const set = this.topics.get(key);
    set?.delete(subscriber);
    if (set?.size === 0) this.topics.delete(key);
  }

  members(subTopic: string, isPrivate: boolean): S[] {
    return [...(this.topics.get(Registry.key(subTopic, isPrivate)) ?? [])];
  }

  /**
   * Delivers to every member that may read it (`except` is the sender when `self` is off). Each
   * delivery is one event against the project's rate; a member that would exceed it is closed with
   * "Too many messages per second" instead (docs/supabase-behaviour.md#realtime-limits).
   */
  publish(subTopic: string, isPrivate: boolean, message: BroadcastMessage, except?: S): number {
    let delivered = 0;
    for (const member of this.members(subTopic, isPrivate)) {
      if (member === except || !member.canReceiveBroadcast()) continue;
      if (!this.rate.tryAdd(1)) {
        member.shutdown(TOO_MANY_MESSAGES);
        continue;
      }
      member.deliver(message);
      delivered++;
    }
    return delivered;
  }
}
