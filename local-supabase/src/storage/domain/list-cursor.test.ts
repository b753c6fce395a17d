import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeListCursor, encodeListCursor } from "./list-cursor.ts";

test("a list-v2 cursor is base64 of the parts that are set, one per line", () => {
  const token = encodeListCursor({ startAfter: "a/b c.jpg", sortOrder: "desc", sortColumn: "created_at", sortColumnAfter: "2026-01-02T03:04:05.006Z" });
  assert.equal(Buffer.from(token, "base64").toString(), "l:a/b c.jpg\no:desc\nc:created_at\na:2026-01-02T03:04:05.006Z");
  assert.equal(Buffer.from(encodeListCursor({ startAfter: "x" }), "base64").toString(), "l:x");
});

test("decoding round-trips and defaults the order to asc", () => {
  const cursor = { startAfter: "photos/1.jpg", sortOrder: "desc", sortColumn: "updated_at", sortColumnAfter: "2026-01-01T00:00:00.000Z" };
  assert.deepEqual(decodeListCursor(encodeListCursor(cursor)), cursor);
  assert.deepEqual(decodeListCursor(encodeListCursor({ startAfter: "x" })), { startAfter: "x", sortOrder: "asc" });
});

test("anything else is refused as an invalid continuation token", () => {
  for (const token of ["not-a-cursor", Buffer.from("q:x").toString("base64"), Buffer.from("l:x\n\nc:name").toString("base64")]) {
    assert.throws(() => decodeListCursor(token), { code: "InvalidParameter", message: "Invalid Parameter continuation token" });
  }
});
