import type { Database } from "../db/database.ts";

/**
 * The parts of hosted `auth` that password recovery needs: the recovery columns of auth.users and
 * auth.flow_state, which holds a PKCE code challenge until its auth code is exchanged. Added with
 * `if not exists` when the service starts, so a data directory made before them gains them too.
 */
const RECOVERY_SCHEMA = `
alter table auth.users add column if not exists recovery_token text;
alter table auth.users add column if not exists recovery_sent_at timestamptz;
create table if not exists auth.flow_state (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references auth.users (id) on delete cascade,
  auth_code text,
  code_challenge_method text not null,
  code_challenge text not null,
  provider_type text not null,
  authentication_method text not null,
  auth_code_issued_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists flow_state_auth_code_idx on auth.flow_state (auth_code);
`;

export async function ensureAuthSchema(db: Database): Promise<void> {
  await db.asSuperuser((tx) => tx.exec(RECOVERY_SCHEMA));
}
