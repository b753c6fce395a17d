import { randomUUID } from "node:crypto";

/** The parts of a `phx_join` payload realtime reads (docs/supabase-behaviour.md#joining-a-channel). */
export interface JoinConfig {
  self: boolean;
  ack: boolean;
  presenceEnabled: boolean;
  presenceKey: string;
  isPrivate: boolean;
  /** The token the channel acts with. */
  token: string;
}

type Json = Record<string, unknown>;

const object = (value: unknown): Json => (value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});

/** realtime accepts booleans and their string forms ("true"/"false"). */
const flag = (value: unknown): boolean => value === true || value === "true";

/**
 * Token precedence is `user_token` > `access_token` > the connect-time apikey, and an opaque `sb_…` key
 * stands for the connect-time token (docs/supabase-behaviour.md#joining-a-channel).
 */
export function parseJoinConfig(payload: unknown, connectToken: string): JoinConfig {
  const body = object(payload);
  const config = object(body.config);
  const broadcast = object(config.broadcast);
  const presence = object(config.presence);
  const given = [body.user_token, body.access_token].find((value): value is string => typeof value === "string" && value !== "");
  const token = !given || given.startsWith("sb_") ? connectToken : given;
  const key = typeof presence.key === "string" ? presence.key : "";
  return {
    self: flag(broadcast.self),
    ack: flag(broadcast.ack),
    presenceEnabled: flag(presence.enabled),
    presenceKey: key || randomUUID(),
    isPrivate: flag(config.private),
    token,
  };
}
