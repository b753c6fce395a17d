import type { Database } from "./database.ts";
import type { ProjectConfig } from "../shared/config.ts";

/** `supabase start` creates or updates the buckets declared in config.toml (docs/supabase-behaviour.md#project-configuration); so does this. */
export async function seedConfigBuckets(db: Database, config: ProjectConfig): Promise<void> {
  for (const [id, bucket] of Object.entries(config.storage.buckets)) {
    await db.asSuperuser((tx) =>
      tx.query(
        `insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
         values ($1, $1, $2, $3, $4)
         on conflict (id) do update set public = excluded.public, file_size_limit = excluded.file_size_limit,
           allowed_mime_types = excluded.allowed_mime_types, updated_at = now()`,
        [id, bucket.public, bucket.fileSizeLimit, bucket.allowedMimeTypes],
      ),
    );
  }
}
