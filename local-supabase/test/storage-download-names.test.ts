// @contract black-box
// The name a signed URL's `download` query gives the saved file (docs/supabase-behaviour.md#download-names).
// Storage reads the query decoded once and answers `attachment; filename=<enc>; filename*=UTF-8''<enc>`
// with <enc> = encodeURIComponent(name): a name sent encoded once is saved as itself (a folder slash, a
// space, a non-ASCII letter, a percent sign). storage-js's own `download` option encodes the name twice,
// so Storage sees `Day 1%2FIMG_4001.JPG`; the app appends the name itself (lib/download-url.ts).
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { startTestPlatform, type ContractPlatform } from "./support/platform.ts";
import { scratchBucket } from "./storage-support.ts";
import { withDownloadName } from "../../lib/download-url.ts";

/** The file name a browser takes from `filename*=UTF-8''…` (RFC 5987: percent-decoded UTF-8). */
function savedName(disposition: string | null): string {
  const match = /filename\*=UTF-8''([^;]*)/.exec(disposition ?? "");
  assert.ok(match, `a filename* parameter in ${disposition}`);
  return decodeURIComponent(match[1]);
}

describe("storage download names", () => {
  let tp: ContractPlatform;
  let bucket: string;
  let service: SupabaseClient;
  before(async () => {
    tp = await startTestPlatform();
    service = tp.service();
    bucket = await scratchBucket(tp, "names");
    await service.storage.from(bucket).upload("Day 1/IMG_4001.JPG", "photo bytes", { contentType: "text/plain" });
  });
  after(() => tp.close());

  const NAMES = ["IMG_4001.JPG", "Day 1/IMG_4001.JPG", "Été à Zürich (2).jpg", "100% fun & games.jpg", "写真.jpeg"];

  for (const name of NAMES) {
    test(`a signed URL with download=${JSON.stringify(name)} encoded once saves under that name`, async () => {
      const { data, error } = await service.storage.from(bucket).createSignedUrl("Day 1/IMG_4001.JPG", 60);
      assert.equal(error, null);
      const response = await fetch(withDownloadName(data!.signedUrl, name));
      assert.equal(response.status, 200);
      const disposition = response.headers.get("content-disposition");
      const encoded = encodeURIComponent(name);
      assert.equal(disposition, `attachment; filename=${encoded}; filename*=UTF-8''${encoded}`);
      assert.equal(savedName(disposition), name);
      assert.equal(await response.text(), "photo bytes");
    });
  }

  test("storage-js's download option encodes the name twice, and Storage decodes it once", async () => {
    // The reason the app does not use the option for names beyond plain ASCII letters, digits and `_.-`.
    const plain = await service.storage.from(bucket).createSignedUrl("Day 1/IMG_4001.JPG", 60, { download: "IMG_4001.JPG" });
    const plainResponse = await fetch(plain.data!.signedUrl);
    assert.equal(savedName(plainResponse.headers.get("content-disposition")), "IMG_4001.JPG");
    await plainResponse.body?.cancel();
    const folder = await service.storage.from(bucket).createSignedUrl("Day 1/IMG_4001.JPG", 60, { download: "Day 1/IMG_4001.JPG" });
    const folderResponse = await fetch(folder.data!.signedUrl);
    assert.equal(savedName(folderResponse.headers.get("content-disposition")), "Day 1%2FIMG_4001.JPG");
    await folderResponse.body?.cancel();
  });

  test("download without a name only marks the response as an attachment", async () => {
    const { data } = await service.storage.from(bucket).createSignedUrl("Day 1/IMG_4001.JPG", 60, { download: true });
    const response = await fetch(data!.signedUrl);
    assert.equal(response.headers.get("content-disposition"), "attachment;");
    await response.body?.cancel();
  });
});
