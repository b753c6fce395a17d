import { expect, test } from "./fixtures/test.ts";
import { SUPABASE_ANON_KEY, SUPABASE_URL } from "./fixtures/platform.ts";
import { photoSet, zipOf } from "./fixtures/zips.ts";

/**
 * Anyone holding the public anon key can spend the project's Realtime messages per second. While three
 * loops do so as fast as they can, the function's progress broadcasts are refused (429) and the album
 * channel is closed for "Too many messages per second"; the album page must still reach its final
 * state on its own, from the database, without a reload.
 */
function floodBroadcasts(until: () => boolean) {
  const answers = new Map<number, number>();
  const loop = async () => {
    while (!until()) {
      const messages = Array.from({ length: 5 }, (_, n) => ({ topic: `spam:${n}`, event: "spam", payload: { n }, private: false }));
      const response = await fetch(`${SUPABASE_URL}/realtime/v1/api/broadcast`, {
        method: "POST",
        headers: { apikey: SUPABASE_ANON_KEY, Authorization: `Bearer ${SUPABASE_ANON_KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify({ messages }),
      }).catch(() => null);
      if (response) {
        await response.body?.cancel();
        answers.set(response.status, (answers.get(response.status) ?? 0) + 1);
      }
    }
  };
  const running = Promise.all([loop(), loop(), loop()]);
  return { answers, done: running };
}

test("an album extracted while Realtime is flooded still reaches its final state without a reload", async ({ page, loginPage, albumsPage, albumPage, files, probe }) => {
  const photos = photoSet(40, { folder: "Flood/", width: 320, height: 240 });
  const path = await files.write("Flood.zip", await zipOf(photos));

  await loginPage.goto();
  await loginPage.continueAsGuest();
  await albumsPage.choose(path);
  await albumsPage.expectReady("Flood.zip", photos.length);

  let stop = false;
  const deadline = Date.now() + 60_000;
  const flood = floodBroadcasts(() => stop || Date.now() > deadline);
  try {
    // The project's second is already spent when the upload starts.
    await expect.poll(() => flood.answers.get(429) ?? 0).toBeGreaterThan(0);
    const albumId = await albumsPage.startUpload();
    await expect(albumPage.heading("Flood")).toBeVisible();
    const loads: string[] = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) loads.push(frame.url());
    });

    // The row reaches `ready` while the flood goes on, and the page follows it there on its own.
    await expect.poll(async () => (await probe.album(albumId))?.status, { timeout: 60_000 }).toBe("ready");
    await albumPage.waitForAllDone({ added: photos.length, skipped: 0, failed: 0 });
    expect(stop || Date.now() > deadline, "the flood was still running when the page got there").toBe(false);
    expect(loads, "the page was not reloaded").toEqual([]);
  } finally {
    stop = true;
    await flood.done;
  }
  expect(flood.answers.get(429) ?? 0, "Realtime refused the flood's batches once the rate was spent").toBeGreaterThan(10);
});

test("when the album's events stop arriving while its channel stays joined, the page reads the database and still finishes", async ({ page, loginPage, albumsPage, albumPage, files, probe }) => {
  // Whatever keeps broadcasts from the browser (refused for the rate, lost on the way), the socket and
  // the channel stay up: only the broadcast frames are dropped between the platform and the page.
  let dropped = 0;
  await page.routeWebSocket(/\/realtime\/v1\/websocket/, (socket) => {
    const server = socket.connectToServer();
    server.onMessage((message) => {
      if (typeof message === "string" && JSON.parse(message)[3] === "broadcast") {
        dropped += 1;
        return;
      }
      socket.send(message);
    });
  });
  const photos = photoSet(30, { folder: "Quiet/", width: 320, height: 240 });
  const path = await files.write("Quiet.zip", await zipOf(photos));

  await loginPage.goto();
  await loginPage.continueAsGuest();
  await albumsPage.choose(path);
  await albumsPage.expectReady("Quiet.zip", photos.length);
  const albumId = await albumsPage.startUpload();
  await expect(albumPage.heading("Quiet")).toBeVisible();

  await expect.poll(async () => (await probe.album(albumId))?.status, { timeout: 60_000 }).toBe("ready");
  const readyAt = Date.now();
  // Well before an extraction would count as stalled (a minute): the page asks the database on its own.
  await albumPage.waitForAllDone({ added: photos.length, skipped: 0, failed: 0 }, 20_000);
  expect(Date.now() - readyAt).toBeLessThan(20_000);
  expect(dropped, "progress broadcasts were sent and kept from the page").toBeGreaterThan(0);
});
