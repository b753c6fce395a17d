import { test } from "node:test";
import assert from "node:assert/strict";
import { TransferMeter } from "./transfer-meter.ts";

test("a resumed archive starts with the bytes and parts the server already holds", () => {
  const meter = new TransferMeter(1000, 4, { bytes: 500, parts: 2 });
  assert.deepEqual(meter.snapshot(), { sent: 500, total: 1000, speed: 0, etaSeconds: null, partsDone: 2, partsTotal: 4, awaitingServer: false });
});

test("bytes add up over parts in flight at once, and a finished part counts whole", () => {
  const meter = new TransferMeter(1000, 4);
  meter.start(0, 250);
  meter.start(1, 250);
  meter.progress(0, 100, 0);
  meter.progress(1, 100, 1000);
  meter.progress(0, 250, 2000);
  meter.finished(0, 250);
  const now = meter.snapshot();
  assert.equal(now.sent, 350);
  assert.equal(now.partsDone, 1);
  assert.equal(now.speed, 125, "250 bytes on the wire over the two seconds since the first sample");
  assert.equal(now.etaSeconds, 650 / 125);
});

test("a part that fails gives back its bytes, the speed never goes negative, and while it waits to be sent again the time left falls to unknown", () => {
  const meter = new TransferMeter(1000, 2, undefined, 2000);
  meter.start(0, 500);
  meter.progress(0, 400, 0);
  meter.progress(0, 450, 1000);
  meter.failed(0);
  assert.equal(meter.snapshot().sent, 0, "its bytes will be sent again");
  assert.ok(meter.snapshot().speed > 0);
  // The retry's back-off: no bytes move, the clock does.
  for (let t = 1500; t <= 4000; t += 500) meter.tick(t);
  assert.deepEqual([meter.snapshot().speed, meter.snapshot().etaSeconds], [0, null], "no stale estimate while nothing moves");
  meter.start(0, 500);
  meter.progress(0, 100, 4500);
  meter.progress(0, 300, 5000);
  assert.ok(meter.snapshot().speed > 0, "sending again, the speed comes back");
  assert.equal(meter.snapshot().sent, 300);
});

test("once every part in flight has sent its last byte the upload waits for the server, not for an estimate", () => {
  const meter = new TransferMeter(500, 1);
  meter.start(0, 500);
  meter.progress(0, 500, 0);
  assert.equal(meter.snapshot().awaitingServer, true);
  meter.finished(0, 500);
  assert.deepEqual([meter.snapshot().sent, meter.snapshot().etaSeconds, meter.snapshot().awaitingServer], [500, 0, false]);
});
