import { ERRORS } from "../errors.ts";
import { route, type Route } from "../router.ts";
import { createBucket, deleteBucket, emptyBucket, getBucket, listBuckets, updateBucket } from "../domain/buckets.ts";
import { jsonBody, optionalInt, send } from "./body.ts";

const SORT_COLUMNS = new Set(["id", "name", "created_at", "updated_at"]);

/** `/bucket` routes as storage-js calls them (docs/supabase-behaviour.md#buckets). */
export const bucketRoutes: Route[] = [
  route("GET", "/bucket", "jwt", "storage.bucket.list", async (r) => {
    const query = r.url.searchParams;
    const sortColumn = query.get("sortColumn") ?? "name";
    const sortOrder = (query.get("sortOrder") ?? "asc").toLowerCase();
    if (!SORT_COLUMNS.has(sortColumn)) throw ERRORS.validation("querystring/sortColumn must be equal to one of the allowed values");
    if (sortOrder !== "asc" && sortOrder !== "desc") throw ERRORS.validation("querystring/sortOrder must be equal to one of the allowed values");
    const buckets = await listBuckets(r.scope, {
      limit: optionalInt(query.get("limit"), "querystring/limit", 1),
      offset: optionalInt(query.get("offset"), "querystring/offset", 0),
      search: query.get("search") ?? undefined,
      sortColumn,
      sortOrder,
    });
    send(r, 200, buckets);
  }),
  route("GET", "/bucket/:id", "jwt", "storage.bucket.get", async (r) => send(r, 200, await getBucket(r.scope, r.params.id))),
  route("POST", "/bucket", "jwt", "storage.bucket.create", async (r) => send(r, 200, await createBucket(r.scope, await jsonBody(r)))),
  route("PUT", "/bucket/:id", "jwt", "storage.bucket.update", async (r) =>
    send(r, 200, await updateBucket(r.scope, r.params.id, await jsonBody(r))),
  ),
  route("POST", "/bucket/:id/empty", "jwt", "storage.bucket.empty", async (r) =>
    send(r, 200, await emptyBucket(r.storage, r.scope, r.params.id)),
  ),
  route("DELETE", "/bucket/:id", "jwt", "storage.bucket.delete", async (r) =>
    send(r, 200, await deleteBucket(r.storage, r.scope, r.params.id)),
  ),
];
