// @contract black-box
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { SignJWT } from "jose";
import { startTestPlatform, type ContractPlatform } from "./support/platform.ts";
import { scratchBucket, storageUrl } from "./storage-support.ts";

const decode = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

describe("storage signed URLs (docs/supabase-behaviour.md#signed-urls)", () => {
  let tp: ContractPlatform;
  let vault: string;
  let service: SupabaseClient;
  before(async () => {
    tp = await startTestPlatform();
    service = tp.service();
    vault = await scratchBucket(tp, "vault");
    await service.storage.from(vault).upload("doc one.txt", "signed content", { contentType: "text/plain" });
  });
  after(() => tp.close());

  test("createSignedUrl: token claims, redemption without Authorization, Expires, download", async () => {
    const { data, error } = await service.storage.from(vault).createSignedUrl("doc one.txt", 120);
    assert.equal(error, null);
    const token = new URL(data!.signedUrl).searchParams.get("token")!;
    const claims = decode(token);
    assert.deepEqual(Object.keys(claims), ["url", "scope", "iat", "exp"]);
    assert.deepEqual(JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString("utf8")), { alg: "HS256" });
    assert.equal(claims.url, `${vault}/doc one.txt`);
    assert.equal(claims.scope, "download");
    assert.equal(claims.exp - claims.iat, 120);

    const response = await fetch(data!.signedUrl);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("expires"), new Date(claims.exp * 1000).toUTCString());
    assert.equal(response.headers.get("cache-control"), null);
    assert.equal(await response.text(), "signed content");

    const download = await service.storage.from(vault).createSignedUrl("doc one.txt", 60, { download: "copy.txt" });
    const attachment = await fetch(download.data!.signedUrl);
    assert.equal(attachment.headers.get("content-disposition"), "attachment; filename=copy.txt; filename*=UTF-8''copy.txt");
    await attachment.body?.cancel();
  });

  test("createSignedUrls reports a per-path error", async () => {
    const { data, error } = await service.storage.from(vault).createSignedUrls(["doc one.txt", "missing.txt"], 60);
    assert.equal(error, null);
    assert.equal(data?.[0].error, null);
    assert.equal(data?.[0].path, "doc one.txt");
    assert.equal(await (await fetch(data![0].signedUrl!)).text(), "signed content");
    assert.equal(data?.[1].error, "Either the object does not exist or you do not have access to it");
    // The wire field is `signedURL`; storage-js adds the absolute `signedUrl` beside it (docs/supabase-behaviour.md#signed-urls).
    assert.equal((data?.[1] as { signedURL?: string | null }).signedURL, null);
  });

  test("signing a missing object is the 404-coded NoSuchKey", async () => {
    const { error } = await service.storage.from(vault).createSignedUrl("missing.txt", 60);
    assert.equal((error as { statusCode?: string }).statusCode, "404");
  });

  test("bad, tampered, foreign, expired, misdirected and wrongly scoped tokens are refused", async () => {
    const base = `${storageUrl(tp)}/object/sign/${vault}/doc%20one.txt`;
    const refused = async (query: string) => {
      const response = await fetch(`${base}${query}`);
      assert.equal(response.status, 400, query);
      return response.json();
    };
    const invalidJwt = (message: string) => ({ statusCode: "400", error: "InvalidJWT", message, code: "InvalidJWT" });
    const signedToken = async (path: string, seconds: number) =>
      new URL((await service.storage.from(vault).createSignedUrl(path, seconds)).data!.signedUrl).searchParams.get("token")!;

    assert.deepEqual(await refused(""), { statusCode: "400", error: "Error", message: "querystring must have required property 'token'", code: "InvalidRequest" });
    assert.deepEqual(await refused("?token=garbage"), invalidJwt("Invalid Compact JWS"));

    // The payload rewritten to name the same object for longer: the signature no longer matches.
    const [head, payload, signature] = (await signedToken("doc one.txt", 60)).split(".");
    const longer = Buffer.from(JSON.stringify({ ...decode(`.${payload}`), exp: 4102444800 })).toString("base64url");
    assert.deepEqual(await refused(`?token=${head}.${longer}.${signature}`), invalidJwt("signature verification failed"));
    const now = Math.floor(Date.now() / 1000);
    const foreign = await new SignJWT({ url: `${vault}/doc one.txt`, scope: "download", iat: now, exp: now + 60 })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("another-secret-that-is-at-least-32-chars"));
    assert.deepEqual(await refused(`?token=${foreign}`), invalidJwt("signature verification failed"));

    const shortLived = await signedToken("doc one.txt", 1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    assert.deepEqual(await refused(`?token=${shortLived}`), invalidJwt('"exp" claim timestamp check failed'));

    await service.storage.from(vault).upload("other.txt", "other", { contentType: "text/plain" });
    const forOther = await signedToken("other.txt", 60);
    assert.deepEqual(await refused(`?token=${forOther}`), { statusCode: "400", error: "InvalidSignature", message: "Invalid signature", code: "InvalidSignature" });
    const uploadToken = (await service.storage.from(vault).createSignedUploadUrl("doc one.txt", { upsert: true })).data!.token;
    assert.deepEqual(await refused(`?token=${uploadToken}`), {
      statusCode: "400",
      error: "InvalidSignature",
      message: "Token is not scoped for download",
      code: "InvalidSignature",
    });
  });

  test("uploading to a signed URL without its token is refused", async () => {
    const response = await fetch(`${storageUrl(tp)}/object/upload/sign/${vault}/x.txt`, { method: "PUT", headers: { "Content-Type": "text/plain" }, body: "x" });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { statusCode: "400", error: "Error", message: "querystring must have required property 'token'", code: "InvalidRequest" });
  });

  test("signed upload URL: create, then upload without a session", async () => {
    const signed = await service.storage.from(vault).createSignedUploadUrl("uploads/new.txt");
    assert.equal(signed.error, null);
    const up = await tp.anon().storage.from(vault).uploadToSignedUrl("uploads/new.txt", signed.data!.token, new Blob(["via token"], { type: "text/plain" }));
    assert.equal(up.error, null);
    assert.equal(up.data?.fullPath, `${vault}/uploads/new.txt`);
    assert.equal(await (await service.storage.from(vault).download("uploads/new.txt")).data?.text(), "via token");
    const again = await tp.anon().storage.from(vault).uploadToSignedUrl("uploads/new.txt", signed.data!.token, new Blob(["twice"], { type: "text/plain" }));
    assert.equal((again.error as { statusCode?: string }).statusCode, "409");
    const wrongPath = await tp.anon().storage.from(vault).uploadToSignedUrl("uploads/other.txt", signed.data!.token, new Blob(["x"]));
    assert.equal((wrongPath.error as { statusCode?: string }).statusCode, "400");
  });
});
