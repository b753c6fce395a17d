import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";
import { ANON_KEY, startTestPlatform, type TestPlatform } from "./support/platform.ts";
import { signJwt } from "../src/shared/jwt.ts";

interface User {
  client: SupabaseClient;
  id: string;
  token: string;
}

let tp: TestPlatform;
let service: SupabaseClient;
let alice: User;
let bob: User;

async function signedInUser(): Promise<User> {
  const { client, id, accessToken } = await tp.newUser();
  return { client, id, token: accessToken };
}

/** An album owned by `owner`, created with the service role (which may set owner_id and status). */
async function serviceAlbum(owner: string, fields: Record<string, unknown> = {}): Promise<string> {
  const { data, error } = await service.from("albums").insert({ owner_id: owner, name: `album ${randomUUID().slice(0, 8)}`, ...fields }).select("id").single();
  assert.equal(error, null);
  return (data as { id: string }).id;
}

async function rawRest(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${tp.url}/rest/v1/${path}`, { ...init, headers: { apikey: ANON_KEY, ...(init.headers as Record<string, string>) } });
}

before(async () => {
  tp = await startTestPlatform();
  service = tp.service();
  alice = await signedInUser();
  bob = await signedInUser();
});

after(async () => {
  await tp?.close();
});

describe("rest: writes as a signed-in user", () => {
  test("insert returns the new album; owner_id defaults to auth.uid()", async () => {
    const { data, error, status } = await alice.client.from("albums").insert({ name: "Summer" }).select().single();
    assert.equal(error, null);
    assert.equal(status, 201);
    assert.equal(data.owner_id, alice.id);
    assert.equal(data.status, "uploading");
    assert.equal(data.name, "Summer");
  });

  test("insert without select returns no body (return=minimal)", async () => {
    const { data, error, status } = await alice.client.from("albums").insert({ name: "Quiet" });
    assert.equal(error, null);
    assert.equal(status, 201);
    assert.equal(data, null);
  });

  test("renaming is allowed, changing status is not (column not granted → 42501/403)", async () => {
    const id = await serviceAlbum(alice.id);
    const renamed = await alice.client.from("albums").update({ name: "Renamed" }).eq("id", id).select("name").single();
    assert.equal(renamed.error, null);
    assert.equal(renamed.data?.name, "Renamed");
    const forbidden = await alice.client.from("albums").update({ status: "ready" }).eq("id", id);
    assert.equal(forbidden.error?.code, "42501");
    assert.equal(forbidden.status, 403);
    const { data } = await service.from("albums").select("status").eq("id", id).single();
    assert.equal(data?.status, "uploading");
  });

  test("update without representation answers 204", async () => {
    const id = await serviceAlbum(alice.id);
    const { error, status } = await alice.client.from("albums").update({ name: "Plain" }).eq("id", id);
    assert.equal(error, null);
    assert.equal(status, 204);
  });

  test("delete removes the owner's album", async () => {
    const id = await serviceAlbum(alice.id);
    const { error, status, count } = await alice.client.from("albums").delete({ count: "exact" }).eq("id", id);
    assert.equal(error, null);
    assert.equal(status, 204);
    assert.equal(count, 1);
    const { data } = await service.from("albums").select("id").eq("id", id);
    assert.deepEqual(data, []);
  });

  test("a check-constraint violation is a Postgres error with 400", async () => {
    const { error, status } = await alice.client.from("albums").insert({ name: "" });
    assert.equal(error?.code, "23514");
    assert.equal(status, 400);
  });

  test("an unknown column in the body is PGRST204", async () => {
    const { error, status } = await alice.client.from("albums").insert({ name: "x", colour: "red" });
    assert.equal(error?.code, "PGRST204");
    assert.equal(status, 400);
  });
});

describe("rest: reads", () => {
  let owner: User;
  let ownerToken: string;
  before(async () => {
    owner = await signedInUser();
    ownerToken = owner.token;
    const names = ["alpha", "beta", "Gamma", "delta", "epsilon"];
    for (const [i, name] of names.entries()) {
      await serviceAlbum(owner.id, { name, source_bytes: i * 10, source_name: i % 2 ? null : `${name}.zip` });
    }
  });

  test("filters, order, range and count=exact", async () => {
    const { data, error, count, status } = await owner.client.from("albums").select("name", { count: "exact" }).order("source_bytes").range(1, 2);
    assert.equal(error, null);
    assert.equal(count, 5);
    assert.equal(status, 206);
    assert.deepEqual(data, [{ name: "beta" }, { name: "Gamma" }]);
  });

  test("the full page with a count is 200", async () => {
    const { count, status, data } = await owner.client.from("albums").select("id", { count: "exact" });
    assert.equal(count, 5);
    assert.equal(status, 200);
    assert.equal(data?.length, 5);
  });

  test("comparison, pattern, in, is, not and or filters", async () => {
    const names = async (query: PromiseLike<{ data: { name: string }[] | null; error: unknown }>) => {
      const { data, error } = await query;
      assert.equal(error, null);
      return (data ?? []).map((row) => row.name).sort();
    };
    const albums = () => owner.client.from("albums").select("name");
    assert.deepEqual(await names(albums().gt("source_bytes", 20)), ["delta", "epsilon"]);
    assert.deepEqual(await names(albums().lte("source_bytes", 10)), ["alpha", "beta"]);
    assert.deepEqual(await names(albums().neq("name", "alpha").lt("source_bytes", 30)), ["Gamma", "beta"]);
    assert.deepEqual(await names(albums().ilike("name", "%A")), ["Gamma", "alpha", "beta", "delta"]);
    assert.deepEqual(await names(albums().like("name", "*eta")), ["beta"]);
    assert.deepEqual(await names(albums().in("name", ["alpha", "beta", "x,y"])), ["alpha", "beta"]);
    assert.deepEqual(await names(albums().is("source_name", null)), ["beta", "delta"]);
    assert.deepEqual(await names(albums().not("source_name", "is", null)), ["Gamma", "alpha", "epsilon"]);
    assert.deepEqual(await names(albums().or("name.eq.alpha,source_bytes.gte.40")), ["alpha", "epsilon"]);
    assert.deepEqual(await names(albums().or("name.eq.alpha,and(source_bytes.gt.10,source_bytes.lt.30)")), ["Gamma", "alpha"]);
    assert.deepEqual(await names(albums().order("source_bytes", { ascending: false }).limit(2)), ["delta", "epsilon"]);
  });

  test("aliases and casts in select", async () => {
    const { data, error } = await owner.client.from("albums").select("title:name, bytes:source_bytes::text").eq("name", "beta").single();
    assert.equal(error, null);
    assert.deepEqual(data, { title: "beta", bytes: "10" });
  });

  test("HEAD with count returns only the count", async () => {
    const { data, count, error } = await owner.client.from("albums").select("*", { count: "exact", head: true });
    assert.equal(error, null);
    assert.equal(data, null);
    assert.equal(count, 5);
  });

  test("writes echo honoured preferences in Preference-Applied", async () => {
    const response = await fetch(`${tp.url}/rest/v1/albums?select=name`, {
      method: "POST",
      body: JSON.stringify({ name: "Prefer" }),
      headers: { apikey: ANON_KEY, Authorization: `Bearer ${ownerToken}`, "Content-Type": "application/json", Prefer: "return=representation, count=exact" },
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("preference-applied"), "return=representation, count=exact");
    assert.equal(response.headers.get("content-range"), "*/1");
    assert.deepEqual(await response.json(), [{ name: "Prefer" }]);
    await service.from("albums").delete().eq("name", "Prefer");
  });

  test("Content-Range is always present", async () => {
    const response = await rawRest("albums?select=id&limit=2", { headers: { Prefer: "count=exact" } });
    assert.equal(response.headers.get("content-range"), "*/0"); // anon sees no albums
    const empty = await rawRest("albums?select=id");
    assert.equal(empty.headers.get("content-range"), "*/*");
  });

  test(".single() on zero rows is PGRST116 / 406", async () => {
    const { error, status } = await owner.client.from("albums").select().eq("name", "nope").single();
    assert.equal(error?.code, "PGRST116");
    assert.equal(status, 406);
    assert.equal(error?.details, "The result contains 0 rows");
  });

  test(".maybeSingle() on zero rows is null without an error", async () => {
    const { data, error } = await owner.client.from("albums").select().eq("name", "nope").maybeSingle();
    assert.equal(error, null);
    assert.equal(data, null);
  });

  test("unknown table is PGRST205 / 404, unknown column is 42703 / 400", async () => {
    const table = await owner.client.from("no_such_table").select();
    assert.equal(table.error?.code, "PGRST205");
    assert.equal(table.status, 404);
    const column = await owner.client.from("albums").select("nope");
    assert.equal(column.error?.code, "42703");
    assert.equal(column.status, 400);
  });

  test("a schema that is not exposed is PGRST106 / 406", async () => {
    const { error, status } = await owner.client.schema("auth").from("users").select();
    assert.equal(error?.code, "PGRST106");
    assert.equal(status, 406);
  });
});

describe("rest: embedded resources", () => {
  let owner: User;
  let albumId: string;
  before(async () => {
    owner = await signedInUser();
    albumId = await serviceAlbum(owner.id, { name: "Embedded" });
    const entries = [0, 1, 2].map((idx) => ({ album_id: albumId, idx, name: `p${idx}.jpg`, status: idx === 2 ? "failed" : "uploaded", reason: idx === 2 ? "corrupt" : null }));
    const { error } = await service.from("album_entries").insert(entries);
    assert.equal(error, null);
    await serviceAlbum(owner.id, { name: "Empty" });
  });

  test("one-to-many embeds an array", async () => {
    const { data, error } = await owner.client.from("albums").select("*, album_entries(*)").eq("id", albumId).single();
    assert.equal(error, null);
    assert.equal(data.name, "Embedded");
    assert.deepEqual(data.album_entries.map((e: { idx: number }) => e.idx).sort(), [0, 1, 2]);
  });

  test("many-to-one embeds an object, with an alias", async () => {
    const { data, error } = await owner.client.from("album_entries").select("idx, album:albums(name)").eq("album_id", albumId).order("idx");
    assert.equal(error, null);
    assert.deepEqual(data?.[0], { idx: 0, album: { name: "Embedded" } });
  });

  test("!inner with an embedded filter keeps only matching parents; embedded order and limit", async () => {
    const { data, error } = await owner.client
      .from("albums")
      .select("name, entries:album_entries!inner(idx, status)")
      .eq("entries.status", "uploaded")
      .order("idx", { referencedTable: "entries", ascending: false })
      .limit(1, { referencedTable: "entries" });
    assert.equal(error, null);
    assert.deepEqual(data, [{ name: "Embedded", entries: [{ idx: 1, status: "uploaded" }] }]);
  });

  test("count() of an embedded resource", async () => {
    const { data, error } = await owner.client.from("albums").select("name, album_entries(count)").order("name");
    assert.equal(error, null);
    assert.deepEqual(data, [
      { name: "Embedded", album_entries: [{ count: 3 }] },
      { name: "Empty", album_entries: [{ count: 0 }] },
    ]);
  });

  test("an FK hint selects the relationship; a wrong one is PGRST200", async () => {
    const hinted = await owner.client.from("albums").select("name, album_entries!album_entries_album_id_fkey(idx)").eq("id", albumId).single();
    assert.equal(hinted.error, null);
    assert.equal(hinted.data?.album_entries.length, 3);
    const wrong = await owner.client.from("albums").select("name, album_entries!nope(idx)");
    assert.equal(wrong.error?.code, "PGRST200");
    assert.equal(wrong.status, 400);
  });
});

describe("rest: row-level security decides", () => {
  let albumId: string;
  before(async () => {
    albumId = await serviceAlbum(alice.id, { name: "Alice private" });
    await service.from("album_entries").insert({ album_id: albumId, idx: 0, name: "a.jpg" });
  });

  test("another user sees none of the owner's albums or entries", async () => {
    const albums = await bob.client.from("albums").select().eq("id", albumId);
    assert.deepEqual(albums.data, []);
    const entries = await bob.client.from("album_entries").select().eq("album_id", albumId);
    assert.deepEqual(entries.data, []);
  });

  test("another user cannot update or delete them (0 rows affected)", async () => {
    const updated = await bob.client.from("albums").update({ name: "Stolen" }).eq("id", albumId).select();
    assert.equal(updated.error, null);
    assert.deepEqual(updated.data, []);
    const deleted = await bob.client.from("albums").delete({ count: "exact" }).eq("id", albumId);
    assert.equal(deleted.error, null);
    assert.equal(deleted.count, 0);
    const { data } = await service.from("albums").select("name").eq("id", albumId).single();
    assert.equal(data?.name, "Alice private");
  });

  test("a user cannot create an album for someone else", async () => {
    const { error, status } = await bob.client.from("albums").insert({ name: "Forged", owner_id: alice.id });
    assert.equal(error?.code, "42501");
    assert.equal(status, 403);
  });

  test("anon sees nothing and cannot insert", async () => {
    const anon = tp.anon();
    const { data, error } = await anon.from("albums").select();
    assert.equal(error, null);
    assert.deepEqual(data, []);
    const insert = await anon.from("albums").insert({ name: "Anonymous" });
    assert.equal(insert.error?.code, "42501");
    assert.equal(insert.status, 403);
  });

  test("users cannot write album entries; the service role can", async () => {
    const denied = await alice.client.from("album_entries").insert({ album_id: albumId, idx: 5, name: "x.jpg" });
    assert.equal(denied.error?.code, "42501");
    const { data, error } = await service.from("album_entries").insert({ album_id: albumId, idx: 5, name: "x.jpg" }).select("idx").single();
    assert.equal(error, null);
    assert.deepEqual(data, { idx: 5 });
  });

  test("the service role sees every album", async () => {
    const bobAlbum = await serviceAlbum(bob.id);
    const { data, error } = await service.from("albums").select("id").in("id", [albumId, bobAlbum]);
    assert.equal(error, null);
    assert.equal(data?.length, 2);
  });
});

describe("rest: conflicts and upserts", () => {
  let albumId: string;
  before(async () => {
    albumId = await serviceAlbum(alice.id);
    await service.from("album_entries").insert({ album_id: albumId, idx: 0, name: "first.jpg" });
  });

  test("a unique violation is 23505 / 409", async () => {
    const { error, status } = await service.from("album_entries").insert({ album_id: albumId, idx: 0, name: "again.jpg" });
    assert.equal(error?.code, "23505");
    assert.equal(status, 409);
  });

  test("a foreign-key violation is 23503 / 409", async () => {
    const { error, status } = await service.from("album_entries").insert({ album_id: randomUUID(), idx: 0, name: "orphan.jpg" });
    assert.equal(error?.code, "23503");
    assert.equal(status, 409);
  });

  test("upsert merges on the primary key; ignoreDuplicates leaves the row alone", async () => {
    const merged = await service
      .from("album_entries")
      .upsert([{ album_id: albumId, idx: 0, name: "merged.jpg" }, { album_id: albumId, idx: 1, name: "new.jpg" }])
      .select("idx, name")
      .order("idx");
    assert.equal(merged.error, null);
    assert.equal(merged.status, 201);
    assert.deepEqual(
      merged.data?.map((row) => row.name).sort(),
      ["merged.jpg", "new.jpg"],
    );
    const updatedOnly = await service.from("album_entries").upsert({ album_id: albumId, idx: 1, name: "renamed.jpg" }).select("name").single();
    assert.equal(updatedOnly.status, 200);
    assert.deepEqual(updatedOnly.data, { name: "renamed.jpg" });
    const ignored = await service.from("album_entries").upsert({ album_id: albumId, idx: 0, name: "ignored.jpg" }, { onConflict: "album_id,idx", ignoreDuplicates: true });
    assert.equal(ignored.error, null);
    const { data } = await service.from("album_entries").select("name").eq("album_id", albumId).eq("idx", 0).single();
    assert.equal(data?.name, "merged.jpg");
  });

  test("arrays insert with columns=; missing=default keeps column defaults", async () => {
    const { data, error } = await service
      .from("album_entries")
      .insert([{ album_id: albumId, idx: 10, name: "a.jpg", size: 5 }, { album_id: albumId, idx: 11, name: "b.jpg" }], { defaultToNull: false })
      .select("idx, size, status")
      .order("idx");
    assert.equal(error, null);
    assert.deepEqual(
      [...(data ?? [])].sort((a, b) => a.idx - b.idx),
      [{ idx: 10, size: 5, status: "pending" }, { idx: 11, size: 0, status: "pending" }],
    );
  });
});

describe("rest: tables created after start-up", () => {
  before(async () => {
    // Creating a table after the first requests checks that the schema cache notices it.
    await service.from("albums").select("id").limit(1);
    await tp.platform.db.pg.exec(`
      create table public.rest_test_notes (id serial primary key, tags text[] not null default '{}', body text);
      grant all on public.rest_test_notes to service_role;
      grant usage on sequence public.rest_test_notes_id_seq to service_role;
    `);
  });

  test("the new table is found, and array containment filters work", async () => {
    const inserted = await service.from("rest_test_notes").insert([{ tags: ["a", "b"], body: "one" }, { tags: ["b", "c"], body: "two" }, { tags: [], body: "three" }]);
    assert.equal(inserted.error, null);
    const bodies = async (query: PromiseLike<{ data: { body: string }[] | null; error: unknown }>) => {
      const { data, error } = await query;
      assert.equal(error, null);
      return (data ?? []).map((row) => row.body).sort();
    };
    const notes = () => service.from("rest_test_notes").select("body");
    assert.deepEqual(await bodies(notes().contains("tags", ["b"])), ["one", "two"]);
    assert.deepEqual(await bodies(notes().containedBy("tags", ["a", "b"])), ["one", "three"]);
    assert.deepEqual(await bodies(notes().overlaps("tags", ["c", "z"])), ["two"]);
    assert.deepEqual(await bodies(notes().not("tags", "cs", "{a}")), ["three", "two"]);
  });
});

describe("rest: rpc", () => {
  before(async () => {
    await tp.platform.db.pg.exec(`
      create function public.rest_test_add(a integer, b integer default 1) returns integer language sql immutable as $$ select a + b $$;
      create function public.rest_test_my_album_names() returns setof text language sql stable as $$ select name from public.albums order by name $$;
      create function public.rest_test_albums_named(prefix text) returns setof public.albums language sql stable as $$ select * from public.albums where name like prefix || '%' $$;
      create function public.rest_test_album_sizes(p_min integer default 0) returns table (album_name text, letters integer) language sql stable as $$ select name, length(name) from public.albums where length(name) >= p_min $$;
      create function public.rest_test_bump() returns integer language sql volatile as $$ update public.albums set name = name returning 1 $$;
      create function public.rest_test_noop() returns void language sql as $$ select $$;
      create function public.rest_test_fail() returns void language plpgsql as $$ begin raise exception 'nope'; end $$;
    `);
  });

  test("scalar result with named and defaulted arguments", async () => {
    assert.deepEqual((await alice.client.rpc("rest_test_add", { a: 2, b: 3 })).data, 5);
    assert.deepEqual((await alice.client.rpc("rest_test_add", { a: 2 })).data, 3);
    assert.deepEqual((await alice.client.rpc("rest_test_add", { a: 4, b: 4 }, { get: true })).data, 8);
  });

  test("setof runs under the caller's RLS", async () => {
    const owner = await signedInUser();
    await serviceAlbum(owner.id, { name: "zeta" });
    await serviceAlbum(owner.id, { name: "eta" });
    const { data, error } = await owner.client.rpc("rest_test_my_album_names");
    assert.equal(error, null);
    assert.deepEqual(data, ["eta", "zeta"]);
  });

  test("a function returning table rows takes select=, filters, order and count", async () => {
    const owner = await signedInUser();
    for (const name of ["pic-a", "pic-b", "pic-c", "other"]) await serviceAlbum(owner.id, { name });
    const { data, error, count } = await owner.client
      .rpc("rest_test_albums_named", { prefix: "pic-" }, { count: "exact" })
      .select("name, album_entries(idx)")
      .neq("name", "pic-b")
      .order("name", { ascending: false });
    assert.equal(error, null);
    assert.equal(count, 2);
    assert.deepEqual(data, [{ name: "pic-c", album_entries: [] }, { name: "pic-a", album_entries: [] }]);
    const viaGet = await owner.client.rpc("rest_test_albums_named", { prefix: "pic-" }, { get: true }).eq("name", "pic-b").single();
    assert.equal(viaGet.error, null);
    assert.equal((viaGet.data as { name: string }).name, "pic-b");
  });

  test("a function returning table (…) columns takes filters, select=, order and count, as PostgREST does", async () => {
    const owner = await signedInUser();
    for (const name of ["sizes-a", "sizes-bb", "sizes-ccc"]) await serviceAlbum(owner.id, { name });
    const { data, error, count } = await owner.client
      .rpc("rest_test_album_sizes", { p_min: 7 }, { count: "exact" })
      .select("album_name")
      .neq("album_name", "sizes-bb")
      .order("album_name", { ascending: false });
    assert.equal(error, null);
    assert.equal(count, 2);
    assert.deepEqual(data, [{ album_name: "sizes-ccc" }, { album_name: "sizes-a" }]);
    const viaGet = await owner.client.rpc("rest_test_album_sizes", {}, { get: true }).eq("album_name", "sizes-bb").single();
    assert.equal(viaGet.error, null);
    assert.deepEqual(viaGet.data, { album_name: "sizes-bb", letters: 8 });
    const unknown = await owner.client.rpc("rest_test_album_sizes", {}, { get: true }).eq("nope", "x");
    assert.equal(unknown.status, 400);
  });

  test("GET runs read-only: a volatile function that writes is 25006 / 405", async () => {
    const { error, status } = await alice.client.rpc("rest_test_bump", {}, { get: true });
    assert.equal(error?.code, "25006");
    assert.equal(status, 405);
  });

  test("void answers 204; RAISE is P0001 / 400; unknown function is PGRST202 / 404", async () => {
    const noop = await alice.client.rpc("rest_test_noop");
    assert.equal(noop.error, null);
    assert.equal(noop.status, 204);
    const failed = await alice.client.rpc("rest_test_fail");
    assert.equal(failed.error?.code, "P0001");
    assert.equal(failed.error?.message, "nope");
    assert.equal(failed.status, 400);
    const missing = await alice.client.rpc("rest_test_missing", { x: 1 });
    assert.equal(missing.error?.code, "PGRST202");
    assert.equal(missing.status, 404);
  });
});

describe("rest: hostile input", () => {
  let albumId: string;
  before(async () => {
    albumId = await serviceAlbum(alice.id, { name: "Target" });
  });

  test("SQL in filter values is just a value", async () => {
    for (const value of ["x' or '1'='1", "'; drop table public.albums; --", 'a") or true --']) {
      const { data, error } = await bob.client.from("albums").select().eq("name", value);
      assert.equal(error, null);
      assert.deepEqual(data, []);
      const listed = await bob.client.from("albums").select().in("name", [value, "Target"]);
      assert.deepEqual(listed.data, []);
    }
    const { data } = await service.from("albums").select("id").eq("id", albumId);
    assert.equal(data?.length, 1);
  });

  test("SQL in column names, select and order is refused", async () => {
    const filter = await bob.client.from("albums").select().eq('name" = name or true --', "x");
    assert.equal(filter.status, 400);
    const select = await bob.client.from("albums").select("id, name); drop table public.albums; --");
    assert.equal(select.status, 400);
    const order = await bob.client.from("albums").select().order("name; drop table public.albums");
    assert.equal(order.status, 400);
    const cast = await bob.client.from("albums").select("name::text; drop table public.albums");
    assert.equal(cast.status, 400);
    const { data } = await service.from("albums").select("id").eq("id", albumId);
    assert.equal(data?.length, 1);
  });

  test("a bad JSON body is PGRST102", async () => {
    const response = await rawRest("albums", { method: "POST", body: "{not json", headers: { "Content-Type": "application/json" } });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).code, "PGRST102");
    assert.equal(response.headers.get("proxy-status"), "PostgREST; error=PGRST102");
  });

  test("an invalid JWT is PGRST301, an expired one PGRST303, both 401", async () => {
    const forged = await rawRest("albums", { headers: { Authorization: `Bearer ${await signJwt({ role: "service_role" }, "wrong-secret-wrong-secret-wrong-secret")}` } });
    assert.equal(forged.status, 401);
    assert.equal((await forged.json()).code, "PGRST301");
    assert.match(forged.headers.get("www-authenticate") ?? "", /^Bearer error="invalid_token"/);
    const expired = await rawRest("albums", { headers: { Authorization: `Bearer ${await signJwt({ role: "authenticated", exp: 1 })}` } });
    assert.equal(expired.status, 401);
    const body = await expired.json();
    assert.equal(body.code, "PGRST303");
    assert.equal(body.message, "JWT expired");
  });

  test("without any JWT, a privilege error is 401 instead of 403", async () => {
    const response = await fetch(`${tp.url}/rest/v1/albums`, {
      method: "POST",
      body: JSON.stringify({ name: "No token" }),
      headers: { "Content-Type": "application/json" },
    });
    assert.equal(response.status, 401);
    assert.equal((await response.json()).code, "42501");
  });

  test("a JWT naming a role Postgres lacks is 22023 / 401", async () => {
    const response = await rawRest("albums", { headers: { Authorization: `Bearer ${await signJwt({ role: "superman" })}` } });
    assert.equal(response.status, 401);
    assert.equal((await response.json()).code, "22023");
  });
});

