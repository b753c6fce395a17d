// The app's album channel (lib/album-channel.ts) against the real platform: when Realtime closes the
// channel because the project is over its messages per second, realtime-js does not join it again by
// itself; the album channel does, after a pause, and live progress resumes on the same subscription.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { joinAlbumChannel, type ChannelState } from "../../lib/album-channel.ts";
import type { ProgressPayload } from "../../lib/progress.ts";
import { SERVICE_ROLE_KEY } from "../../local-supabase/test/support/platform.ts";
import { eventually } from "./support/album-run.ts";
import { withPlatform } from "./support/platform.ts";

async function broadcast(url: string, messages: unknown[]): Promise<number> {
  const response = await fetch(`${url}/realtime/v1/api/broadcast`, {
    method: "POST",
    headers: { apikey: SERVICE_ROLE_KEY, Authorization: `Bearer ${SERVICE_ROLE_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ messages }),
  });
  await response.body?.cancel();
  return response.status;
}

const progress = (uploaded: number) => ({ total: 2, uploaded, skipped: 0, failed: 0, bytesDone: uploaded, bytesTotal: 2, status: "extracting", entries: [] });

describe("the album channel after Realtime closed it for the message rate", () => {
  const platform = withPlatform();

  test("is joined again, and progress arrives on it once more", async () => {
    const owner = await platform.newUser();
    const { data, error } = await owner.client.from("albums").insert({ name: "Rate" }).select("id").single();
    assert.equal(error, null);
    const albumId = (data as { id: string }).id;
    const topic = `album:${albumId}`;

    const states: ChannelState[] = [];
    const received: ProgressPayload[] = [];
    const join = joinAlbumChannel(owner.client, albumId, {
      onState: (state) => states.push(state),
      onProgress: (payload) => received.push(payload),
    });
    await join.joined;

    // The project's second is spent by other traffic; the next message for the album cannot be
    // delivered, and Realtime closes the channel with "Too many messages per second".
    const limit = platform.platform.context.plan.realtimeMessagesPerSecond;
    await new Promise((done) => setTimeout(done, 1_100));
    const filler = Array.from({ length: limit - 1 }, (_, n) => ({ topic: `other:${n}`, event: "x", payload: {}, private: false }));
    assert.equal(await broadcast(platform.url, filler), 202);
    assert.equal(await broadcast(platform.url, [{ topic, event: "progress", payload: progress(1), private: true }]), 202);
    await eventually("the channel to be closed by the server", async () => (states.includes("closed") ? true : undefined), 10_000);

    // Joined again after the pause, with nothing done by the page.
    await eventually("the channel to be joined again", async () => (states.lastIndexOf("joined") > states.indexOf("closed") ? true : undefined), 15_000);
    await new Promise((done) => setTimeout(done, 1_100)); // the rate's second has passed
    assert.equal(await broadcast(platform.url, [{ topic, event: "progress", payload: progress(2), private: true }]), 202);
    await eventually("progress on the rejoined channel", async () => (received.some((p) => p.uploaded === 2) ? true : undefined), 10_000);
    join.leave();
  });
});
