/**
 * Login throttling kept in the database (shared by every node): failures per IP and per account
 * in a fixed window; a key over its limit is refused before any password is checked.
 */
import type { Db } from '../../db/db.ts';

export const WINDOW_MS = 15 * 60_000;
export const LIMITS = { ip: 30, account: 8 } as const;

export interface ThrottleKeys {
  ip: string;
  account: string;
}

const keysOf = (k: ThrottleKeys) => [`ip:${k.ip}`, `acct:${k.account}`];

/** Seconds until the caller may try again, or 0 when allowed. */
export async function retryAfter(db: Db, k: ThrottleKeys): Promise<number> {
  const rows = await db.query<{ key: string; window_start: Date; failures: number }>(
    'SELECT key, window_start, failures FROM login_throttle WHERE key = ANY($1)',
    [keysOf(k)],
  );
  let wait = 0;
  for (const r of rows) {
    const limit = r.key.startsWith('ip:') ? LIMITS.ip : LIMITS.account;
    const left = r.window_start.getTime() + WINDOW_MS - Date.now();
    if (r.failures >= limit && left > 0) wait = Math.max(wait, Math.ceil(left / 1000));
  }
  return wait;
}

/** Counts one failed attempt against both keys (atomically, so concurrent attempts all count). */
export async function recordFailure(db: Db, k: ThrottleKeys): Promise<void> {
  await db.query(
    `INSERT INTO login_throttle (key, window_start, failures)
     SELECT unnest($1::text[]), now(), 1
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN login_throttle.window_start < now() - $2::interval THEN 1 ELSE login_throttle.failures + 1 END,
       window_start = CASE WHEN login_throttle.window_start < now() - $2::interval THEN now() ELSE login_throttle.window_start END`,
    [keysOf(k), `${WINDOW_MS / 1000} seconds`],
  );
}

/** A successful login clears the account's counter (the IP's stays). */
export async function clearAccount(db: Db, k: ThrottleKeys): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE key = $1', [`acct:${k.account}`]);
}
