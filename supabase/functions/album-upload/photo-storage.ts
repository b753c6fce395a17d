// Uploads one photo to the private `photos` bucket as a streamed request body (docs/supabase-behaviour.md#uploads,
// variant 3: raw body + content-type, `duplex: "half"` for streams). `x-upsert: true` makes a rerun
// overwrite the same deterministic key instead of failing with a duplicate (idempotent jobs).

export interface PhotoUploader {
  upload(key: string, body: ReadableStream<Uint8Array>, contentType: string): Promise<void>;
  /** Removes these objects (missing ones are no error); for an album deleted during its extraction. */
  remove(keys: string[]): Promise<void>;
}

/** Storage's bulk delete takes at most 1000 keys per request. */
export const REMOVE_BATCH = 1000;

export class UploadError extends Error {
  constructor(message: string, readonly statusCode: string) {
    super(message);
  }
}

/** Storage keys go into the URL path one segment at a time (spaces and the like are escaped). */
export function encodeKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

export function storageUploader(supabaseUrl: string, serviceRoleKey: string, fetchFn = fetch): PhotoUploader {
  return {
    async upload(key, body, contentType) {
      const response = await fetchFn(`${supabaseUrl}/storage/v1/object/photos/${encodeKey(key)}`, {
        method: "POST",
        headers: {
          apikey: serviceRoleKey,
          Authorization: `Bearer ${serviceRoleKey}`,
          "x-upsert": "true",
          "content-type": contentType,
          "cache-control": "max-age=3600",
        },
        body,
        duplex: "half",
      } as RequestInit);
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      throw await storageError(response);
    },
    async remove(keys) {
      // DELETE /object/<bucket> with `prefixes` (exact keys, despite the name); unknown keys are skipped.
      for (let i = 0; i < keys.length; i += REMOVE_BATCH) {
        const response = await fetchFn(`${supabaseUrl}/storage/v1/object/photos`, {
          method: "DELETE",
          headers: { apikey: serviceRoleKey, Authorization: `Bearer ${serviceRoleKey}`, "content-type": "application/json" },
          body: JSON.stringify({ prefixes: keys.slice(i, i + REMOVE_BATCH) }),
        });
        if (!response.ok) throw await storageError(response);
        await response.body?.cancel();
      }
    },
  };
}

/** Storage reports most errors as HTTP 400 with the real code in `statusCode` (docs/supabase-behaviour.md#storage-errors). */
async function storageError(response: Response): Promise<UploadError> {
  const text = await response.text();
  let statusCode = String(response.status), message = text || response.statusText;
  try {
    const parsed = JSON.parse(text);
    statusCode = String(parsed.statusCode ?? statusCode);
    message = parsed.message ?? parsed.error ?? message;
  } catch {
    // not JSON; keep the text
  }
  return new UploadError(message, statusCode);
}
