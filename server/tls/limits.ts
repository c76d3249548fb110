/**
 * ACME rate limits modelled on Let's Encrypt's, counted in the database so every node shares them:
 * orders per account per minute and per 3 hours, certificates per registered domain per week, failed
 * validations per hostname per hour. Sliding windows over an event table, with the caller's clock.
 */
import { getDomain } from 'tldts';
import type { Queryable } from '../db/db.ts';

export interface AcmeLimits {
  ordersPerMinute: number;
  ordersPer3h: number;
  certsPerDomainWeek: number;
  failedPerHostHour: number;
}

/** Below Let's Encrypt's published limits (300 orders / 3 h, 50 certificates / week, 5 failures / hour). */
export const DEFAULT_LIMITS: AcmeLimits = {
  ordersPerMinute: 10,
  ordersPer3h: 250,
  certsPerDomainWeek: 40,
  failedPerHostHour: 3,
};

const KEYS: Record<string, keyof AcmeLimits> = {
  orders_per_minute: 'ordersPerMinute',
  orders_per_3h: 'ordersPer3h',
  certs_per_domain_week: 'certsPerDomainWeek',
  failed_per_host_hour: 'failedPerHostHour',
};

/** The limits with the overrides from ACME_RATE_LIMITS applied. */
export function limitsFrom(overrides: Record<string, number>): AcmeLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const [k, v] of Object.entries(overrides)) {
    const key = KEYS[k];
    if (!key)
      throw new Error(`ACME_RATE_LIMITS: unknown limit ${k} (known: ${Object.keys(KEYS).join(', ')})`);
    out[key] = v;
  }
  return out;
}

/** The registered domain (eTLD+1) a certificate counts against. */
export const registeredDomain = (hostname: string) => getDomain(hostname) ?? hostname;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Rule {
  bucket: 'order' | 'cert' | 'failed';
  key: string;
  limit: number;
  windowMs: number;
  what: string;
}

function rules(hostname: string, limits: AcmeLimits): Rule[] {
  const reg = registeredDomain(hostname);
  return [
    {
      bucket: 'failed',
      key: hostname,
      limit: limits.failedPerHostHour,
      windowMs: HOUR,
      what: `failed validations for ${hostname} in the last hour`,
    },
    {
      bucket: 'order',
      key: 'account',
      limit: limits.ordersPerMinute,
      windowMs: MINUTE,
      what: 'certificate orders in the last minute',
    },
    {
      bucket: 'order',
      key: 'account',
      limit: limits.ordersPer3h,
      windowMs: 3 * HOUR,
      what: 'certificate orders in the last 3 hours',
    },
    {
      bucket: 'cert',
      key: reg,
      limit: limits.certsPerDomainWeek,
      windowMs: 7 * 24 * HOUR,
      what: `certificates for ${reg} this week`,
    },
  ];
}

export type LimitVerdict = { ok: true } | { ok: false; retryAt: Date; message: string };

/** Whether an order for hostname may be placed now; when not, the earliest time it may. */
export async function checkLimits(
  q: Queryable,
  hostname: string,
  limits: AcmeLimits,
  now: Date,
): Promise<LimitVerdict> {
  for (const rule of rules(hostname, limits)) {
    const since = new Date(now.getTime() - rule.windowMs);
    const rows = await q.query<{ n: number; oldest: Date | string | null }>(
      `SELECT count(*)::int AS n, min(at) AS oldest FROM acme_rate_events WHERE bucket = $1 AND key = $2 AND at > $3 AND at <= $4`,
      [rule.bucket, rule.key, since, now],
    );
    const r = rows[0];
    if (r && r.n >= rule.limit) {
      const oldest = r.oldest ? new Date(r.oldest) : now;
      return {
        ok: false,
        retryAt: new Date(Math.max(oldest.getTime() + rule.windowMs, now.getTime() + 1000)),
        message: `Limit reached: ${r.n} ${rule.what} (at most ${rule.limit})`,
      };
    }
  }
  return { ok: true };
}

/** Counts one event (an order placed, a certificate issued, a failed validation). */
export async function recordLimitEvent(
  q: Queryable,
  bucket: 'order' | 'cert' | 'failed',
  hostname: string,
  now: Date,
): Promise<void> {
  if (bucket === 'order') {
    // The per-host count is not a limit; it lets tests and the console tell how many orders a name cost.
    await q.query(`INSERT INTO acme_rate_events (bucket, key, at) VALUES ('order_host', $1, $2)`, [
      hostname,
      now,
    ]);
  }
  const key = bucket === 'order' ? 'account' : bucket === 'cert' ? registeredDomain(hostname) : hostname;
  await q.query('INSERT INTO acme_rate_events (bucket, key, at) VALUES ($1, $2, $3)', [bucket, key, now]);
  if (Math.random() < 0.01) {
    await q.query('DELETE FROM acme_rate_events WHERE at < $1', [new Date(now.getTime() - 8 * 24 * HOUR)]);
  }
}

/** How many ACME orders were placed for one hostname. */
export async function countOrders(q: Queryable, hostname: string): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM acme_rate_events WHERE bucket = 'order_host' AND key = $1`,
    [hostname],
  );
  return rows[0]?.n ?? 0;
}
