import type { ChannelHost, RealtimeCore } from "./channel.ts";

/** Why a join is refused before its token or policies are looked at, and whether the socket goes too. */
export interface JoinRefusal {
  reason: string;
  disconnect: boolean;
}

export const PRIVATE_ONLY = "PrivateOnly: This project only allows private channels";
export const TOO_MANY_JOINS = "ClientJoinRateLimitReached: Too many joins per second";
export const TOO_MANY_CHANNELS = "ChannelRateLimitReached: Too many channels";

/**
 * The project-level checks realtime makes before a join touches the database, in its order: public
 * channels when the project allows private ones only, the joins-per-second limit (the socket is closed
 * with the refusal), and the channels-per-connection limit. A join refused for the joins rate is not
 * counted, so a refused flood does not keep the project over its limit.
 */
export function joinRefusal(core: RealtimeCore, host: ChannelHost, isPrivate: boolean): JoinRefusal | null {
  if (core.privateOnly && !isPrivate) return { reason: PRIVATE_ONLY, disconnect: false };
  if (!core.joinRate.tryAdd(1)) return { reason: TOO_MANY_JOINS, disconnect: true };
  if (host.channelCount >= core.plan.realtimeChannelsPerConnection) return { reason: TOO_MANY_CHANNELS, disconnect: false };
  return null;
}
