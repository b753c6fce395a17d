import { createHash, randomInt, randomUUID } from "node:crypto";
import type { Tx } from "../db/database.ts";
import { AuthError } from "./errors.ts";
import type { UserRow } from "./users.ts";

/** A PKCE link's token carries this prefix, so /verify knows to answer with a code, not tokens. */
export const PKCE_PREFIX = "pkce_";
/** GoTrue lets an issued auth code be exchanged for five minutes. */
const AUTH_CODE_LIFETIME_SECONDS = 300;

/** The six-digit code a mail shows, and the hash GoTrue stores and puts in the link (sha224 of email + code). */
export function newRecoveryCode(email: string): { code: string; tokenHash: string } {
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  return { code, tokenHash: tokenHash(email, code) };
}

export function tokenHash(email: string, code: string): string {
  return createHash("sha224").update(email + code).digest("hex");
}

export interface CodeChallenge {
  challenge: string;
  method: "s256" | "plain";
}

/** `code_challenge` and `code_challenge_method` from a request body: both or neither (implicit flow). */
export function readCodeChallenge(body: Record<string, unknown>): CodeChallenge | null {
  const challenge = body.code_challenge;
  const method = typeof body.code_challenge_method === "string" ? body.code_challenge_method.toLowerCase() : undefined;
  // auth-js sends both as null in the implicit flow.
  if ((challenge === undefined || challenge === null || challenge === "") && method === undefined) return null;
  if (typeof challenge !== "string" || challenge === "" || (method !== "s256" && method !== "plain")) {
    throw new AuthError("validation_failed", "PKCE flow requires code_challenge_method and code_challenge");
  }
  return { challenge, method };
}

/** Remembers the challenge until the emailed link is followed (auth.flow_state). */
export async function saveFlowState(tx: Tx, userId: string, pkce: CodeChallenge, method: string): Promise<void> {
  await tx.query(
    `insert into auth.flow_state (user_id, code_challenge, code_challenge_method, provider_type, authentication_method)
     values ($1, $2, $3, $4, $4)`,
    [userId, pkce.challenge, pkce.method, method],
  );
}

/** The followed link turns the user's newest flow state into a one-time auth code for /token?grant_type=pkce. */
export async function issueAuthCode(tx: Tx, user: UserRow, method: string): Promise<string> {
  const code = randomUUID();
  const { rows } = await tx.query<{ id: string }>(
    `update auth.flow_state set auth_code = $3, auth_code_issued_at = now(), updated_at = now()
      where id = (select id from auth.flow_state where user_id = $1 and authentication_method = $2 order by created_at desc limit 1)
      returning id`,
    [user.id, method, code],
  );
  if (!rows[0]) throw new AuthError("flow_state_not_found");
  return code;
}

/** Checks the verifier against the saved challenge and consumes the flow state; returns who and how. */
export async function redeemAuthCode(tx: Tx, authCode: string, verifier: string): Promise<{ userId: string; method: string }> {
  const { rows } = await tx.query<{ id: string; user_id: string; code_challenge: string; code_challenge_method: string; authentication_method: string; expired: boolean }>(
    `select id, user_id, code_challenge, code_challenge_method, authentication_method,
            auth_code_issued_at + make_interval(secs => $2) < now() as expired
       from auth.flow_state where auth_code = $1`,
    [authCode, AUTH_CODE_LIFETIME_SECONDS],
  );
  const flow = rows[0];
  if (!flow) throw new AuthError("flow_state_not_found");
  if (flow.expired) throw new AuthError("flow_state_expired");
  const expected = flow.code_challenge_method === "s256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
  if (expected !== flow.code_challenge) throw new AuthError("bad_code_verifier");
  await tx.query("delete from auth.flow_state where id = $1", [flow.id]);
  return { userId: flow.user_id, method: flow.authentication_method };
}
