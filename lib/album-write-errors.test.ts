import { test } from "node:test";
import assert from "node:assert/strict";
import { albumWriteMessage, storageQuotaMessage } from "./album-write-errors.ts";

const GiB = 1024 ** 3;

test("the album limit names the limit and what to do", () => {
  const message = albumWriteMessage({
    code: "PT403", hint: "album_limit", details: '{"albums": 1000, "maxAlbums": 1000}',
    message: "You have reached the limit of 1000 albums. Delete albums you no longer need to make room for new ones.",
  });
  assert.equal(message, "You have reached the limit of 1,000 albums. Delete albums you no longer need to make room for new ones.");
});

test("the storage quota says how large the archive is and how much room is left", () => {
  const message = albumWriteMessage({
    code: "PT403", hint: "storage_quota", message: "This archive (…) does not fit",
    details: JSON.stringify({ requested: 3 * GiB, used: 18.5 * GiB, maxBytes: 20 * GiB }),
  });
  assert.equal(message, "This archive (3.0 GB) does not fit in your storage: 1.5 GB of 20.0 GB is left. Delete albums you no longer need, then try again.");
});

test("a quota refusal without figures still says what to do", () => {
  assert.equal(storageQuotaMessage({}), "This archive does not fit in your storage. Delete albums you no longer need, then try again.");
  assert.equal(
    storageQuotaMessage({ requested: 5 * GiB, used: 30 * GiB, maxBytes: 20 * GiB }),
    "This archive (5.0 GB) does not fit in your storage: 0 B of 20.0 GB is left. Delete albums you no longer need, then try again.",
  );
});

test("each check constraint a person can hit has its own sentence", () => {
  const violation = (name: string) => albumWriteMessage({
    code: "23514", details: null, hint: null, message: `new row for relation "albums" violates check constraint "${name}"`,
  });
  assert.equal(violation("albums_name_check"), "An album name needs 1 to 200 characters.");
  assert.equal(violation("albums_name_not_blank"), "An album name needs at least one letter, digit or sign, not only spaces.");
  assert.equal(violation("albums_source_name_length"), "The archive's file name is too long: at most 255 characters. Rename the file, then try again.");
  assert.equal(violation("albums_source_bytes_not_negative"), "The archive's size could not be read. Choose the file again.");
  assert.equal(violation("some_future_check"), 'new row for relation "albums" violates check constraint "some_future_check"');
});

test("an album being deleted cannot be renamed", () => {
  assert.equal(albumWriteMessage({ code: "PT410", hint: "album_deleting", message: "Album x is being deleted." }), "This album is being deleted.");
});

test("anything else keeps the database's own message", () => {
  assert.equal(albumWriteMessage({ code: "42501", message: "permission denied for table albums" }), "permission denied for table albums");
});
