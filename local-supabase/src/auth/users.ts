import type { Tx } from "../db/database.ts";

/** A row of auth.users as this service reads it. */
export interface UserRow {
  id: string;
  aud: string;
  role: string;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  phone: string | null;
  raw_app_meta_data: Record<string, unknown>;
  raw_user_meta_data: Record<string, unknown>;
  is_anonymous: boolean;
  last_sign_in_at: Date | null;
  banned_until: Date | null;
  email_change: string | null;
  email_change_sent_at: Date | null;
  recovery_token: string | null;
  recovery_sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Record<string, unknown>;
  provider: string;
  email: string | null;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** app_metadata of an email user; anonymous users get none (docs/supabase-behaviour.md#sessions-and-users). */
export const EMAIL_APP_METADATA = { provider: "email", providers: ["email"] };

export async function findUserByEmail(tx: Tx, email: string): Promise<UserRow | null> {
  const { rows } = await tx.query<UserRow>("select * from auth.users where lower(email) = lower($1)", [email]);
  return rows[0] ?? null;
}

export async function findUserById(tx: Tx, id: string): Promise<UserRow | null> {
  const { rows } = await tx.query<UserRow>("select * from auth.users where id = $1", [id]);
  return rows[0] ?? null;
}

export interface NewUser {
  email: string | null;
  encryptedPassword: string | null;
  confirmed: boolean;
  userMetadata: Record<string, unknown>;
  isAnonymous: boolean;
  /** Merged over the provider keys (admin API only). */
  appMetadata?: Record<string, unknown>;
}

export async function insertUser(tx: Tx, user: NewUser): Promise<UserRow> {
  const { rows } = await tx.query<UserRow>(
    `insert into auth.users (email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, is_anonymous)
     values ($1, $2, case when $3::boolean then now() end, $4::jsonb, $5::jsonb, $6) returning *`,
    [
      user.email,
      user.encryptedPassword,
      user.confirmed,
      JSON.stringify({ ...(user.isAnonymous ? {} : EMAIL_APP_METADATA), ...user.appMetadata }),
      JSON.stringify(user.userMetadata),
      user.isAnonymous,
    ],
  );
  return rows[0];
}

/** Email identities use the user id as provider_id, as GoTrue does. */
export async function insertEmailIdentity(tx: Tx, user: UserRow): Promise<void> {
  const identityData = { sub: user.id, email: user.email, email_verified: user.email_confirmed_at !== null, phone_verified: false };
  await tx.query(
    `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at)
     values ($1::text, $1::text::uuid, $2::jsonb, 'email', now())
     on conflict (provider_id, provider) do update set identity_data = excluded.identity_data, updated_at = now()`,
    [user.id, JSON.stringify(identityData)],
  );
}

export async function recordSignIn(tx: Tx, userId: string): Promise<UserRow> {
  const { rows } = await tx.query<UserRow>(
    "update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1 returning *",
    [userId],
  );
  return rows[0];
}

/** The user object GoTrue returns (docs/supabase-behaviour.md#sessions-and-users): always `email`/`phone` strings, optional timestamps omitted. */
export async function userJson(tx: Tx, user: UserRow): Promise<Record<string, unknown>> {
  const { rows } = await tx.query<IdentityRow>(
    "select * from auth.identities where user_id = $1 order by created_at",
    [user.id],
  );
  const confirmedAt = user.email_confirmed_at?.toISOString();
  return {
    id: user.id,
    aud: user.aud,
    role: user.role,
    email: user.email ?? "",
    ...(confirmedAt ? { email_confirmed_at: confirmedAt } : {}),
    phone: user.phone ?? "",
    ...(confirmedAt ? { confirmed_at: confirmedAt } : {}),
    ...(user.email_change ? { new_email: user.email_change } : {}),
    ...(user.recovery_sent_at ? { recovery_sent_at: user.recovery_sent_at.toISOString() } : {}),
    ...(user.email_change_sent_at ? { email_change_sent_at: user.email_change_sent_at.toISOString() } : {}),
    ...(user.last_sign_in_at ? { last_sign_in_at: user.last_sign_in_at.toISOString() } : {}),
    app_metadata: user.raw_app_meta_data,
    user_metadata: user.raw_user_meta_data,
    identities: rows.map((identity) => ({
      identity_id: identity.id,
      id: identity.provider_id,
      user_id: identity.user_id,
      identity_data: identity.identity_data,
      provider: identity.provider,
      ...(identity.last_sign_in_at ? { last_sign_in_at: identity.last_sign_in_at.toISOString() } : {}),
      created_at: identity.created_at.toISOString(),
      updated_at: identity.updated_at.toISOString(),
      email: identity.email ?? "",
    })),
    created_at: user.created_at.toISOString(),
    updated_at: user.updated_at.toISOString(),
    is_anonymous: user.is_anonymous,
  };
}
