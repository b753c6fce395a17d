import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { startTestPlatform, ANON_KEY, type TestPlatform } from "./support/platform.ts";

const SUPABASE_DIR = fileURLToPath(new URL("../../supabase", import.meta.url));

describe("auth admin API (/auth/v1/admin/users) through supabase-js", () => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform({ supabaseDir: SUPABASE_DIR });
  });
  after(async () => {
    await platform?.close();
  });

  test("createUser, getUserById, listUsers and deleteUser with the service key", async () => {
    const admin = platform.service().auth.admin;
    const email = `admin-made-${randomUUID()}@example.com`;
    const created = await admin.createUser({ email, password: "long enough", email_confirm: true, user_metadata: { name: "Fixture" } });
    assert.equal(created.error, null);
    const id = created.data.user!.id;
    assert.ok(created.data.user?.email_confirmed_at);
    assert.deepEqual(created.data.user?.user_metadata, { name: "Fixture" });

    const signedIn = await platform.anon().auth.signInWithPassword({ email, password: "long enough" });
    assert.equal(signedIn.data.user?.id, id);

    assert.equal((await admin.getUserById(id)).data.user?.email, email);
    const duplicate = await admin.createUser({ email, password: "long enough" });
    assert.equal(duplicate.error?.code, "email_exists");

    const listed = await admin.listUsers({ page: 1, perPage: 1000 });
    assert.equal(listed.error, null);
    assert.ok(listed.data.users.some((user) => user.id === id));

    assert.equal((await admin.deleteUser(id)).error, null);
    const gone = await admin.getUserById(id);
    assert.equal(gone.error?.code, "user_not_found");
    assert.equal(gone.error?.status, 404);
  });

  test("the admin API refuses user and anon tokens", async () => {
    const asAnon = await platform.anon().auth.admin.listUsers();
    assert.equal(asAnon.error?.code, "not_admin");
    // auth.admin always sends the client's key, so a user token has to be sent by hand.
    const { accessToken } = await platform.newUser();
    const asUser = await fetch(`${platform.url}/auth/v1/admin/users`, {
      headers: { apikey: ANON_KEY, Authorization: `Bearer ${accessToken}`, "X-Supabase-Api-Version": "2024-01-01" },
    });
    assert.equal(asUser.status, 403);
    assert.equal((await asUser.json()).code, "not_admin");
  });
});
