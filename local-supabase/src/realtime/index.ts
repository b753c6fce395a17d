import { WebSocketServer } from "ws";
import type { PlatformContext, Service } from "../service-contract.ts";
import { handleBroadcastApi } from "./broadcast-api.ts";
import type { Channel, RealtimeCore } from "./channel.ts";
import { acceptSocket } from "./connect.ts";
import { deliverFromDatabase, REALTIME_SEND_CHANNEL } from "./database-send.ts";
import { PresenceBook } from "./presence.ts";
import { RateCounter } from "./rate-limit.ts";
import { Registry } from "./registry.ts";
import type { RealtimeSocket } from "./socket.ts";

/** realtime's endpoint accepts frames up to this size (docs/supabase-behaviour.md#realtime-connection). */
const MAX_FRAME_BYTES = 5_000_000;
/** realtime answers every refused join after this pause (CHANNEL_ERROR_BACKOFF_MS, default 5 s). */
const JOIN_ERROR_BACKOFF_MS = 5_000;

/**
 * `/realtime/v1`: the Phoenix websocket (broadcast, presence, private channels authorised by RLS on
 * `realtime.messages`) and the REST broadcast API, with the plan's messages-per-second limit (docs/supabase-behaviour.md#realtime).
 */
export async function createRealtimeService(context: PlatformContext): Promise<Service> {
  const registry = new Registry<Channel>(new RateCounter(context.plan.realtimeMessagesPerSecond));
  const core: RealtimeCore = {
    db: context.db,
    registry,
    presence: new PresenceBook(registry),
    plan: context.plan,
    keys: context.keys,
    joinRate: new RateCounter(context.plan.realtimeJoinsPerSecond),
    // A test of public channels may turn the project's setting off for itself.
    privateOnly: (context.options.realtimePrivateOnly as boolean | undefined) ?? context.config.realtime.privateOnly,
    // Hosted waits 5 s; tests of refusals may shorten it, as realtime's own test configuration does.
    joinErrorBackoffMs: (context.options.realtimeJoinErrorBackoffMs as number | undefined) ?? JOIN_ERROR_BACKOFF_MS,
    log: context.log,
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sockets = new Set<RealtimeSocket>();
  const unlisten = await context.db.pg.listen(REALTIME_SEND_CHANNEL, (payload) => deliverFromDatabase(registry, payload, context.log));

  return {
    handle: (req, res, routed) => handleBroadcastApi(core, req, res, routed),
    upgrade: (req, socket, head, routed) => {
      const accepted = acceptSocket(core, wss, sockets, req, socket, head, routed);
      accepted?.catch((error: unknown) => {
        context.log(`[realtime] upgrade failed: ${(error as Error).stack ?? error}`);
        socket.destroy();
      });
    },
    async close() {
      await unlisten();
      for (const socket of [...sockets]) socket.terminate();
      await new Promise<void>((done) => wss.close(() => done()));
    },
  };
}
