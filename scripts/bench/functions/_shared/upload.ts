// Uploads one object to the private `photos` bucket through the Storage REST API with the service role
// (docs/supabase-behaviour.md#uploads: raw body + content-type; a stream body needs `duplex: "half"`).

const url = Deno.env.get("SUPABASE_URL")!;
const key = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!;

export async function uploadPhoto(path: string, body: ReadableStream<Uint8Array> | Blob): Promise<void> {
  const response = await fetch(`${url}/storage/v1/object/photos/${path.split("/").map(encodeURIComponent).join("/")}`, {
    method: "POST",
    headers: { apikey: key, Authorization: `Bearer ${key}`, "content-type": "image/jpeg", "x-upsert": "true" },
    body,
    duplex: "half",
  } as RequestInit);
  if (!response.ok) throw new Error(`upload of ${path} failed: ${response.status} ${await response.text()}`);
  await response.body?.cancel();
}

/** Where a run's objects go: `?prefix=<owner>/<album>` from the benchmark. */
export function prefixOf(req: Request): string {
  return new URL(req.url).searchParams.get("prefix") ?? "bench";
}
