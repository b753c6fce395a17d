import { randomUUID } from "node:crypto";
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { signJwt } from "../src/shared/jwt.ts";
import { ANON_KEY, type TestPlatform } from "./support/platform.ts";

export interface StorageUser {
  client: SupabaseClient;
  id: string;
  accessToken: string;
}

/** A signed-in user: through auth when it answers, else a row in auth.users and a JWT minted for it. */
export async function storageUser(tp: TestPlatform): Promise<StorageUser> {
  try {
    const user = await tp.newUser();
    return { client: user.client, id: user.id, accessToken: user.accessToken };
  } catch {
    const id = randomUUID();
    await tp.platform.db.asSuperuser((tx) => tx.query("insert into auth.users (id, email) values ($1, $2)", [id, `${id}@example.com`]));
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await signJwt({ sub: id, role: "authenticated", aud: "authenticated", iat: now, exp: now + 3600 });
    const client = createClient(tp.url, ANON_KEY, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: { headers: { Authorization: `Bearer ${accessToken}` } },
    });
    return { client, id, accessToken };
  }
}

/** Object rows of a bucket, read as superuser (what RLS hides included). */
export async function objectNames(tp: TestPlatform, bucket: string): Promise<string[]> {
  const result = await tp.platform.db.asSuperuser((tx) =>
    tx.query<{ name: string }>("select name from storage.objects where bucket_id = $1 order by name", [bucket]),
  );
  return result.rows.map((row) => row.name);
}

/** Every file the storage service keeps on disk, temp files included. */
export function storedFiles(tp: TestPlatform): string[] {
  const root = join(tp.platform.context.dataDir, "storage");
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

export const storageUrl = (tp: TestPlatform) => `${tp.url}/storage/v1`;
