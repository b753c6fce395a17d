import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestPlatform, ANON_KEY, type TestPlatform } from "./support/platform.ts";
import { TEST_FUNCTIONS_DIR } from "./functions-support.ts";

const GB = 1024 ** 3;
const CHUNK = new Uint8Array(1024 * 1024).fill(42);

// The proxy buffers neither direction: a 1 GB upload passes through the platform with its memory flat.
// CPU limits are lifted for this file: moving 1 GB through a worker costs more than 2 s of CPU, as it
// would hosted.
describe("functions: streaming proxy", () => {
  let t: TestPlatform;

  before(async () => {
    t = await startTestPlatform({
      functionsDir: TEST_FUNCTIONS_DIR,
      functionLimits: { functionCpuSoftMs: 600_000, functionCpuHardMs: 600_000 },
    });
  });
  after(() => t.close());

  test("a 1 GB request body streams to the function while the platform's memory stays flat", async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= GB) return controller.close();
        controller.enqueue(CHUNK);
        sent += CHUNK.byteLength;
      },
    });
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    try {
      const response = await fetch(`${t.url}/functions/v1/count`, {
        method: "POST",
        body,
        headers: { Authorization: `Bearer ${ANON_KEY}`, "content-type": "application/octet-stream" },
        duplex: "half",
      } as RequestInit);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { bytes: GB });
    } finally {
      clearInterval(sampler);
    }
    const growthMb = (peak - baseline) / 1024 / 1024;
    console.log(`platform RSS growth while streaming 1 GB: ${growthMb.toFixed(1)} MB (baseline ${(baseline / 1024 / 1024).toFixed(0)} MB)`);
    // Buffering would add ~1 GB; socket and stream buffers account for a few tens of MB at most.
    assert.ok(growthMb < 150, `platform RSS grew ${growthMb.toFixed(1)} MB`);
  });
});
