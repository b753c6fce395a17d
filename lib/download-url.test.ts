import { test } from "node:test";
import assert from "node:assert/strict";
import { withDownloadName } from "./download-url.ts";

test("the download name is appended encoded once, and the URL's query reads it back exactly", () => {
  for (const name of ["IMG_4001.JPG", "Day 1/IMG_4001.JPG", "Été à Zürich (2).jpg", "100% fun & games+1.jpg", "写真#1.jpeg"]) {
    const url = withDownloadName("http://127.0.0.1:54321/storage/v1/object/sign/photos/a/b%20c.jpg?token=abc", name);
    assert.equal(new URL(url).searchParams.get("download"), name);
    assert.equal(new URL(url).searchParams.get("token"), "abc");
  }
});

test("a URL without a query gets one", () => {
  assert.equal(withDownloadName("http://x/y.jpg", "a b.jpg"), "http://x/y.jpg?download=a%20b.jpg");
});
