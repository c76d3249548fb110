/**
 * Bot defences of the sign-up form: a form token (the time the form was issued, sealed with SECRET_KEY so it
 * cannot be forged or moved to another brand) that enforces a minimum fill time, and a per-IP limit on
 * sign-up attempts kept in the database (shared by every node, like the login throttle).
 */
import type { Db } from '../../db/db.ts';
import type { SecretBox } from '../../lib/secrets.ts';

/** A person needs at least this long to fill in the form. */
export const MIN_FILL_MS = 3_000;
/** A form older than this must be reloaded. */
export const MAX_FORM_AGE_MS = 24 * 3_600_000;
/** Sign-up attempts per IP address and window. */
export const IP_LIMIT = 10;
export const IP_WINDOW_MS = 3_600_000;

/** Issues the token the form sends back with the sign-up. */
export function issueFormToken(box: SecretBox, domainId: string, issuedAt = Date.now()): string {
  return box.encrypt(`signup-form:${domainId}:${issuedAt}`);
}

export type FormCheck = 'ok' | 'invalid' | 'too_fast' | 'expired';

/** Checks a form token for this brand at the given time. */
export function checkFormToken(box: SecretBox, domainId: string, token: string, now = Date.now()): FormCheck {
  let plain: string;
  try {
    plain = box.decrypt(token);
  } catch {
    return 'invalid';
  }
  const [tag, domain, at] = plain.split(':');
  const issuedAt = Number(at);
  if (tag !== 'signup-form' || domain !== domainId || !Number.isFinite(issuedAt)) return 'invalid';
  if (now - issuedAt < MIN_FILL_MS) return 'too_fast';
  if (now - issuedAt > MAX_FORM_AGE_MS) return 'expired';
  return 'ok';
}

/**
 * Counts one attempt from an IP and tells whether it is within the limit (atomic, so concurrent attempts all
 * count). Uses the platform-wide throttle table under its own key prefix.
 */
export async function allowSignupAttempt(db: Db, ip: string): Promise<{ ok: boolean; retryAfter: number }> {
  const [row] = await db.query<{ failures: number; window_start: Date }>(
    `INSERT INTO login_throttle (key, window_start, failures) VALUES ($1, now(), 1)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN login_throttle.window_start < now() - $2::interval THEN 1 ELSE login_throttle.failures + 1 END,
       window_start = CASE WHEN login_throttle.window_start < now() - $2::interval THEN now() ELSE login_throttle.window_start END
     RETURNING failures, window_start`,
    [`signup-ip:${ip}`, `${IP_WINDOW_MS / 1000} seconds`],
  );
  if (!row || row.failures <= IP_LIMIT) return { ok: true, retryAfter: 0 };
  const left = new Date(row.window_start).getTime() + IP_WINDOW_MS - Date.now();
  return { ok: false, retryAfter: Math.max(1, Math.ceil(left / 1000)) };
}
