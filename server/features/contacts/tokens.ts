/**
 * Single-use, expiring contact tokens (invites, password resets, the second sign-in step, "log in as").
 * Only the SHA-256 of a token is stored; the token itself exists in the mail, the link or the answer.
 */
import type { Queryable } from '../../db/db.ts';
import { randomToken, sha256 } from '../../lib/secrets.ts';

export type TokenPurpose = 'invite' | 'reset' | 'mfa' | 'impersonate';

/** How long each kind of token stays valid. */
export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  invite: 7 * 24 * 3600_000,
  reset: 3600_000,
  mfa: 5 * 60_000,
  impersonate: 2 * 60_000,
};

/** Wrong codes allowed against one second-step token before it is spent. */
export const MFA_MAX_ATTEMPTS = 5;

export interface IssueInput {
  operatorId: string;
  contactId: string;
  purpose: TokenPurpose;
  domainId: string | null;
  actor?: { id: string | null; label: string };
}

/** Stores a new token's hash and returns the token. Earlier unused tokens of the same purpose end. */
export async function issueToken(q: Queryable, input: IssueInput): Promise<string> {
  const token = randomToken();
  if (input.purpose === 'invite' || input.purpose === 'reset') {
    await q.query(
      `UPDATE contact_tokens SET used_at = now()
        WHERE operator_id = $1 AND contact_id = $2 AND purpose = $3 AND used_at IS NULL`,
      [input.operatorId, input.contactId, input.purpose],
    );
  }
  await q.query(
    `INSERT INTO contact_tokens (operator_id, contact_id, purpose, token_hash, domain_id, expires_at, actor_id, actor_label)
     VALUES ($1, $2, $3, $4, $5, now() + $6::interval, $7, $8)`,
    [
      input.operatorId,
      input.contactId,
      input.purpose,
      sha256(token),
      input.domainId,
      `${TOKEN_TTL_MS[input.purpose] / 1000} seconds`,
      input.actor?.id ?? null,
      input.actor?.label ?? null,
    ],
  );
  return token;
}

export interface TokenRow {
  operator_id: string;
  id: string;
  contact_id: string;
  purpose: TokenPurpose;
  domain_id: string | null;
  attempts: number;
  actor_id: string | null;
  actor_label: string | null;
}

/**
 * Finds a live token of one of the purposes for this operator (and brand, when the token names one)
 * and locks it; null when unknown, used, expired or issued elsewhere.
 */
export async function findLiveToken(
  q: Queryable,
  token: string,
  purposes: readonly TokenPurpose[],
  where: { operatorId: string; domainId: string },
): Promise<TokenRow | null> {
  if (!token || token.length > 200) return null;
  const rows = await q.query<TokenRow>(
    `SELECT operator_id, id, contact_id, purpose, domain_id, attempts, actor_id, actor_label
       FROM contact_tokens
      WHERE token_hash = $1 AND purpose = ANY($2::text[]) AND used_at IS NULL AND expires_at > now()
        AND operator_id = $3 AND (domain_id IS NULL OR domain_id = $4)
      FOR UPDATE`,
    [sha256(token), purposes, where.operatorId, where.domainId],
  );
  return rows[0] ?? null;
}

/** Spends a token (single use). */
export async function markUsed(q: Queryable, row: TokenRow): Promise<void> {
  await q.query('UPDATE contact_tokens SET used_at = now() WHERE operator_id = $1 AND id = $2', [
    row.operator_id,
    row.id,
  ]);
}
