import { test } from "node:test";
import assert from "node:assert/strict";
import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { PassThrough } from "node:stream";
import { delayUpgrades, parseLatency } from "./latency.ts";

test("latency takes milliseconds with or without a unit, and seconds", () => {
  assert.equal(parseLatency("40ms"), 40);
  assert.equal(parseLatency("40"), 40);
  assert.equal(parseLatency(" 25 MS "), 25);
  assert.equal(parseLatency("0.04s"), 40);
  assert.equal(parseLatency("0"), 0);
});

test("no latency given means none", () => {
  assert.equal(parseLatency(undefined), 0);
  assert.equal(parseLatency(""), 0);
});

test("anything else is refused with the forms that work", () => {
  for (const bad of ["fast", "-5ms", "40 minutes", "1e3"]) {
    assert.throws(() => parseLatency(bad), /not a duration: give milliseconds such as 40ms/, bad);
  }
});

test("a delayed socket reports its data, end and close later but in the order they happened", async () => {
  const socket = new PassThrough();
  const seen: string[] = [];
  const handled = new Promise<void>((resolve) => {
    delayUpgrades(30, (_req, upgraded) => {
      upgraded.on("data", (chunk: Buffer) => seen.push(`data:${chunk.toString()}`));
      upgraded.on("end", () => seen.push("end"));
      upgraded.on("close", () => {
        seen.push("close");
        resolve();
      });
      seen.push("handshake");
    })(new IncomingMessage(new Socket()), socket, Buffer.alloc(0));
  });
  socket.emit("data", Buffer.from("a"));
  socket.emit("data", Buffer.from("b"));
  socket.emit("end");
  socket.emit("close");
  assert.deepEqual(seen, [], "nothing is reported before the delay");
  await handled;
  assert.deepEqual(seen, ["handshake", "data:a", "data:b", "end", "close"]);
});
