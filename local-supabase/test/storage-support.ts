import { randomUUID } from "node:crypto";
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { ContractPlatform, TestPlatform } from "./support/platform.ts";

export interface StorageUser {
  client: SupabaseClient;
  id: string;
  accessToken: string;
}

/** A signed-in user: signed up through auth, as the app's users are. */
export async function storageUser(tp: TestPlatform): Promise<StorageUser> {
  const user = await tp.newUser();
  return { client: user.client, id: user.id, accessToken: user.accessToken };
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

/** `base` made unique to this run, so runs against a shared target never meet each other's buckets. */
export function uniqueName(base: string): string {
  return `${base}-${randomUUID().slice(0, 8)}`;
}

/**
 * A bucket of the test's own under a unique name, removed with everything in it on close. Objects are
 * removed through the API page by page (hosted empties a bucket in a background job, which would leave
 * the bucket undeletable for a while).
 */
export async function scratchBucket(tp: ContractPlatform, base: string, options: { public: boolean; fileSizeLimit?: number | string; allowedMimeTypes?: string[] } = { public: false }): Promise<string> {
  const name = uniqueName(base);
  const { error } = await tp.service().storage.createBucket(name, options);
  if (error) throw error;
  tp.defer(() => removeBucket(tp, name));
  return name;
}

/** Deletes a bucket and every object in it; a bucket already gone is fine. */
export async function removeBucket(tp: ContractPlatform, name: string): Promise<void> {
  const bucket = tp.service().storage.from(name);
  for (;;) {
    const { data, error } = await bucket.listV2({ limit: 1000 });
    if (error || !data || data.objects.length === 0) break;
    await bucket.remove(data.objects.map((object) => object.name));
  }
  await tp.service().storage.deleteBucket(name);
}
