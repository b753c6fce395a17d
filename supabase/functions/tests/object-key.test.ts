import { assert, assertEquals } from "./support/assert.ts";
import { displayName, KeyAllocator, MAX_RELATIVE_KEY, objectKey, sanitiseEntryPath } from "../_shared/object-key.ts";

const STORAGE_KEY = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]+$/;

Deno.test("sanitised keys keep plain names and folders", () => {
  assertEquals(sanitiseEntryPath("Holiday 2024/IMG_0001.JPG"), "Holiday 2024/IMG_0001.JPG");
});

Deno.test("accents are transliterated, other characters replaced", () => {
  assertEquals(sanitiseEntryPath("Été/Crème brûlée #1 [final].jpg"), "Ete/Creme brulee _1 _final_.jpg");
  assertEquals(sanitiseEntryPath("Straße/Øresund.jpg"), "Strasse/Oresund.jpg");
  assertEquals(sanitiseEntryPath("日本/写真.jpg"), "_/_.jpg");
  assert(STORAGE_KEY.test(sanitiseEntryPath("emoji 😀 %20 ~ ^ | \\ \" < > ?.png")));
});

Deno.test("path traversal, absolute paths and empty segments never survive", () => {
  for (const name of ["../../etc/passwd.jpg", "/abs/x.jpg", "a//b/./c.jpg", "..\\..\\win.jpg", "...", "./"]) {
    const key = sanitiseEntryPath(name);
    assert(!key.startsWith("/"), key);
    assert(!key.split("/").some((s) => s === "" || s === "." || s === ".."), `${name} -> ${key}`);
    assert(STORAGE_KEY.test(key), key);
  }
  assertEquals(sanitiseEntryPath("../../etc/passwd.jpg"), "etc/passwd.jpg");
  assertEquals(sanitiseEntryPath("..\\..\\win.jpg"), "win.jpg");
  assertEquals(sanitiseEntryPath("..."), "file");
});

Deno.test("control characters and NUL are replaced in keys and display names", () => {
  const name = "bad\u0000name\u0007.jpg";
  assertEquals(sanitiseEntryPath(name), "bad_name_.jpg");
  assertEquals(displayName(name), "bad\uFFFDname\uFFFD.jpg");
});

Deno.test("very long names are cut but keep their extension", () => {
  const key = sanitiseEntryPath(`${"x".repeat(500)}.jpeg`);
  assert(key.length <= 120 && key.endsWith(".jpeg"), key);
  const deep = sanitiseEntryPath(`${"folder/".repeat(60)}photo.jpg`);
  assert(deep.length <= MAX_RELATIVE_KEY && deep.endsWith("photo.jpg"), deep);
  assert(displayName("y".repeat(5000)).length <= 1024);
});

Deno.test("collisions ignoring case get numbered suffixes, deterministically", () => {
  const names = ["a/IMG.jpg", "a/img.JPG", "a/Img.jpg", "a/img (2).jpg", "b/img.jpg", "noext", "NOEXT"];
  const run = () => {
    const keys = new KeyAllocator();
    return names.map((n) => keys.allocate(n));
  };
  const first = run();
  assertEquals(first, ["a/IMG.jpg", "a/img (2).JPG", "a/Img (3).jpg", "a/img (2) (2).jpg", "b/img.jpg", "noext", "NOEXT (2)"]);
  assertEquals(new Set(first.map((k) => k.toLowerCase())).size, names.length);
  assertEquals(run(), first);
});

Deno.test("object keys live under owner and album", () => {
  assertEquals(objectKey("u1", "a1", "x.jpg"), "u1/a1/x.jpg");
});
