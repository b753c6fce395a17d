import { header } from "../../shared/request-auth.ts";
import { ERRORS } from "../errors.ts";
import { route, type Route } from "../router.ts";
import { copyObject, deleteObject, listObjects, moveObject, removeObjects, type Transfer } from "../domain/manage.ts";
import { listObjectsV2, type ListV2Options } from "../domain/list-v2.ts";
import { jsonBody, optionalInt, requireNameList, requireString, send } from "./body.ts";

const LIST_SORT_COLUMNS = new Set(["name", "updated_at", "created_at", "last_accessed_at"]);
const LIST_V2_SORT_COLUMNS = new Set(["name", "updated_at", "created_at"]);

/** The list-v2 body as storage-api's route schema accepts it; every field is optional. */
function listV2Options(body: Record<string, unknown>): ListV2Options {
  const { prefix, cursor, with_delimiter: withDelimiter, sortBy } = body;
  if (prefix !== undefined && typeof prefix !== "string") throw ERRORS.validation("body/prefix must be string");
  if (cursor !== undefined && typeof cursor !== "string") throw ERRORS.validation("body/cursor must be string");
  if (withDelimiter !== undefined && typeof withDelimiter !== "boolean") throw ERRORS.validation("body/with_delimiter must be boolean");
  let sort: ListV2Options["sortBy"];
  if (sortBy !== undefined) {
    if (!sortBy || typeof sortBy !== "object" || Array.isArray(sortBy)) throw ERRORS.validation("body/sortBy must be object");
    const { column, order } = sortBy as { column?: unknown; order?: unknown };
    if (column === undefined) throw ERRORS.validation("body/sortBy must have required property 'column'");
    if (typeof column !== "string" || !LIST_V2_SORT_COLUMNS.has(column)) throw ERRORS.validation("body/sortBy/column must be equal to one of the allowed values");
    if (order !== undefined && order !== "asc" && order !== "desc") throw ERRORS.validation("body/sortBy/order must be equal to one of the allowed values");
    sort = { column, order: order as string | undefined };
  }
  return { prefix: prefix ?? "", withDelimiter: withDelimiter === true, limit: optionalInt(body.limit, "body/limit", 1), cursor: cursor || undefined, sortBy: sort };
}

function transfer(body: Record<string, unknown>): Transfer {
  const bucketId = requireString(body, "bucketId");
  const destinationBucket = typeof body.destinationBucket === "string" && body.destinationBucket ? body.destinationBucket : bucketId;
  return { bucketId, sourceKey: requireString(body, "sourceKey"), destinationKey: requireString(body, "destinationKey"), destinationBucket };
}

/** List, remove, delete, move, copy (docs/supabase-behaviour.md#listing, #remove-move-and-copy). */
export const manageRoutes: Route[] = [
  route("POST", "/object/list/:bucket", "jwt", "storage.object.list", async (r) => {
    const body = await jsonBody(r);
    const prefix = requireString(body, "prefix");
    const sortBy = (body.sortBy ?? {}) as { column?: unknown; order?: unknown };
    const column = typeof sortBy.column === "string" ? sortBy.column : "name";
    const order = typeof sortBy.order === "string" ? sortBy.order.toLowerCase() : "asc";
    if (!LIST_SORT_COLUMNS.has(column)) throw ERRORS.validation("body/sortBy/column must be equal to one of the allowed values");
    if (order !== "asc" && order !== "desc") throw ERRORS.validation("body/sortBy/order must be equal to one of the allowed values");
    const rows = await listObjects(r.scope, r.params.bucket, {
      prefix,
      limit: optionalInt(body.limit, "body/limit", 1) ?? 100,
      offset: optionalInt(body.offset, "body/offset", 0) ?? 0,
      search: typeof body.search === "string" ? body.search : "",
      sortColumn: column,
      sortOrder: order,
    });
    send(r, 200, rows);
  }),
  route("POST", "/object/list-v2/:bucket", "jwt", "storage.object.list_v2", async (r) =>
    send(r, 200, await listObjectsV2(r.scope, r.params.bucket, listV2Options(await jsonBody(r)))),
  ),
  route("POST", "/object/move", "jwt", "storage.object.move", async (r) => send(r, 200, await moveObject(r.storage, r.scope, transfer(await jsonBody(r))))),
  route("POST", "/object/copy", "jwt", "storage.object.copy", async (r) => {
    const upsert = header(r.req, "x-upsert") === "true";
    send(r, 200, await copyObject(r.storage, r.scope, transfer(await jsonBody(r)), upsert));
  }),
  route("DELETE", "/object/:bucket", "jwt", "storage.object.delete_many", async (r) => {
    const prefixes = requireNameList(await jsonBody(r), "prefixes");
    send(r, 200, await removeObjects(r.storage, r.scope, r.params.bucket, prefixes));
  }),
  route("DELETE", "/object/:bucket/*", "jwt", "storage.object.delete", async (r) => {
    await deleteObject(r.storage, r.scope, r.params.bucket, r.params["*"]);
    send(r, 200, { message: "Successfully deleted" });
  }),
];
