// Uploads one photo to the private `photos` bucket as a streamed request body (docs/supabase-behaviour.md#uploads,
// variant 3: raw body + content-type, `duplex: "half"` for streams). `x-upsert: true` makes a rerun
// overwrite the same deterministic key instead of failing with a duplicate (idempotent jobs).

export interface PhotoUploader {
  upload(key: string, body: ReadableStream<Uint8Array>, contentType: string): Promise<void>;
}

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
      // Storage reports most errors as HTTP 400 with the real code in `statusCode` (docs/supabase-behaviour.md#storage-errors).
      const text = await response.text();
      let statusCode = String(response.status), message = text || response.statusText;
      try {
        const parsed = JSON.parse(text);
        statusCode = String(parsed.statusCode ?? statusCode);
        message = parsed.message ?? parsed.error ?? message;
      } catch {
        // not JSON; keep the text
      }
      throw new UploadError(message, statusCode);
    },
  };
}
