import type { Registry } from "./registry.ts";
import { JSON_ENCODING } from "./serializer.ts";

/**
 * `realtime.send(payload, event, topic, private)` from SQL (docs/supabase-behaviour.md#rest-broadcast): bootstrap.sql's function stores the row
 * and `pg_notify`s channel `realtime_send`, delivered here after the sending transaction commits. The
 * database is trusted, so no write check; private messages reach only members whose read policy passed.
 * Postgres caps a notification at 8000 bytes, so larger payloads fail in SQL.
 */
export const REALTIME_SEND_CHANNEL = "realtime_send";

export function deliverFromDatabase(registry: Registry, notification: string, log: (line: string) => void): void {
  let message: { topic?: unknown; event?: unknown; payload?: unknown; private?: unknown };
  try {
    message = JSON.parse(notification);
  } catch {
    return log(`[realtime] ignored a malformed ${REALTIME_SEND_CHANNEL} notification`);
  }
  if (typeof message.topic !== "string" || typeof message.event !== "string") return;
  const bytes = Buffer.from(JSON.stringify(message.payload ?? {}));
  registry.publish(message.topic, message.private !== false, { event: message.event, encoding: JSON_ENCODING, bytes, relay: "text" });
}
