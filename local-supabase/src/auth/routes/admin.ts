import { AuthError } from "../errors.ts";
import { requireAdmin } from "../guard.ts";
import { assertStrongPassword, hashPassword } from "../password.ts";
import { normalizeEmail, optionalString, readObject, type AuthRequest, type AuthReply } from "../request.ts";
import { findUserByEmail, findUserById, insertEmailIdentity, insertUser, userJson, type UserRow } from "../users.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The admin subset auth-js' `auth.admin` uses for fixtures: createUser, listUsers, getUserById,
 * deleteUser. Service-role tokens only; `/admin/users/<id>` is matched here, not in the route table.
 */
export async function adminUsers(request: AuthRequest, id: string | null): Promise<AuthReply> {
  await requireAdmin(request);
  const method = request.req.method;
  if (id === null && method === "POST") return createUser(request);
  if (id === null && method === "GET") return listUsers(request);
  if (id === null) throw new AuthError("method_not_allowed");
  if (method !== "GET" && method !== "DELETE") throw new AuthError("method_not_allowed");

  const user = UUID.test(id) ? await request.context.db.asSuperuser((tx) => findUserById(tx, id)) : null;
  if (!user) throw new AuthError("user_not_found", "User not found", { status: 404 });
  if (method === "GET") return { status: 200, body: await request.context.db.asSuperuser((tx) => userJson(tx, user)) };
  await request.context.db.asSuperuser((tx) => tx.query("delete from auth.users where id = $1", [user.id]));
  return { status: 200, body: {} };
}

async function createUser(request: AuthRequest): Promise<AuthReply> {
  const body = await readObject(request);
  const email = optionalString(body, "email");
  if (!email) throw new AuthError("validation_failed", "The local platform creates users by email only");
  const address = normalizeEmail(email);
  const password = optionalString(body, "password");
  if (password) assertStrongPassword(password, request.context.config.auth.minimumPasswordLength);
  const encryptedPassword = password ? await hashPassword(password) : null;
  return request.context.db.asSuperuser(async (tx) => {
    if (await findUserByEmail(tx, address)) throw new AuthError("email_exists");
    const user = await insertUser(tx, {
      email: address,
      encryptedPassword,
      confirmed: body.email_confirm === true,
      userMetadata: objectField(body, "user_metadata"),
      appMetadata: objectField(body, "app_metadata"),
      isAnonymous: false,
    });
    await insertEmailIdentity(tx, user);
    return { status: 200, body: await userJson(tx, user) };
  });
}

/** `{users, aud}` plus GoTrue's `x-total-count` and `link` headers, which auth-js turns into pagination. */
async function listUsers(request: AuthRequest): Promise<AuthReply> {
  const params = request.routed.url.searchParams;
  const perPage = Math.min(Math.max(Number(params.get("per_page")) || 50, 1), 1000);
  const page = Math.max(Number(params.get("page")) || 1, 1);
  return request.context.db.asSuperuser(async (tx) => {
    const { rows } = await tx.query<UserRow>("select * from auth.users order by created_at, id limit $1 offset $2", [
      perPage,
      (page - 1) * perPage,
    ]);
    const total = Number((await tx.query<{ n: number }>("select count(*)::int as n from auth.users")).rows[0].n);
    const users = [];
    for (const user of rows) users.push(await userJson(tx, user));
    const lastPage = Math.max(Math.ceil(total / perPage), 1);
    const link = (n: number, rel: string) => `</admin/users?page=${n}&per_page=${perPage}>; rel="${rel}"`;
    const links = [...(page < lastPage ? [link(page + 1, "next")] : []), link(lastPage, "last")];
    return { status: 200, body: { users, aud: "authenticated" }, headers: { "x-total-count": String(total), link: links.join(", ") } };
  });
}

function objectField(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = body[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new AuthError("validation_failed", `${key} must be an object`);
  return value as Record<string, unknown>;
}
