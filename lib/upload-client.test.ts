import { test } from "node:test";
import assert from "node:assert/strict";
import { errorFromAnswer } from "./upload-client.ts";
import { PROBLEM_CODES, PROBLEMS } from "./upload-protocol.ts";

test("every code the function can send becomes an error with that code and a message that says what to do", () => {
  for (const code of PROBLEM_CODES) {
    if (code === "segment_done") continue; // a success, never an error
    const error = errorFromAnswer(PROBLEMS[code].status, { code, message: PROBLEMS[code].message });
    assert.equal(error.code, code);
    assert.ok(error.message.length > 20, `${code} has a message for people`);
    assert.equal(error.retryable, PROBLEMS[code].retry, `${code}: retried exactly when the protocol says`);
  }
});

test("answers from the platform in front of the function, with no function code, are named too", () => {
  assert.equal(errorFromAnswer(546, { code: "WORKER_LIMIT", message: "Worker failed to respond due to a resource limit" }).code, "worker_limit");
  assert.equal(errorFromAnswer(504, {}).code, "timeout");
  assert.equal(errorFromAnswer(0, {}).code, "network");
  assert.equal(errorFromAnswer(502, { msg: "bad gateway" }).code, "internal");
});

test("when to try again comes from the body or the Retry-After header; an imported archive names its album", () => {
  assert.equal(errorFromAnswer(409, { code: "segment_busy", message: "m", retryAfterSeconds: 12 }).retryAfterSeconds, 12);
  assert.equal(errorFromAnswer(503, { code: "tmp_full", message: "m" }, "7").retryAfterSeconds, 7);
  assert.equal(errorFromAnswer(409, { code: "already_imported", message: "m", album: "a-1" }).album, "a-1");
});
