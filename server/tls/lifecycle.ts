/**
 * The life of a custom domain (SPEC section 6): states with a reason and a human sentence, every
 * transition in a timeline, operator notices (console and email), and the scheduling rules.
 */
import type { Deps } from '../context.ts';
import { type Queryable, type Tx, withSystem } from '../db/db.ts';
import { queueMail } from '../emails/outbox.ts';
import { enqueue } from '../jobs/queue.ts';

export type DomainState = 'pending_dns' | 'dns_verified' | 'issuing' | 'active' | 'renewing' | 'failed';

export const CHECK_KIND = 'domain.check';
export const ISSUE_KIND = 'domain.issue';

export interface DomainTls {
  id: string;
  operator_id: string;
  domain: string;
  state: DomainState;
  reason: string | null;
  reason_detail: string | null;
  first_check_at: Date | null;
  check_attempts: number;
  issue_failures: number;
  next_renewal_at: Date | null;
  expiry_notice_days: number | null;
}

export interface CurrentCert {
  id: string;
  serial: string;
  issuer: string;
  not_before: Date;
  not_after: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Pending checks stop after this long without success (Cloudflare's schedule). */
export const CHECK_WINDOW_MS = 7 * DAY;

/** Delay before pending check n: 1 minute growing by 15 % a try, at most 4 hours. */
export function checkBackoffMs(attempt: number): number {
  return Math.min(MINUTE * 1.15 ** Math.max(0, attempt - 1), 4 * HOUR);
}

const ISSUE_BACKOFF = [MINUTE, 5 * MINUTE, 20 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR];
/** Delay after the n-th failed issuance: 1 m, 5 m, 20 m, 1 h, 3 h, then 6 h. */
export const issueBackoffMs = (failures: number) =>
  ISSUE_BACKOFF[Math.min(Math.max(failures, 1), ISSUE_BACKOFF.length) - 1] as number;

/** When to renew: a third of the lifetime before expiry, minus up to 2 % of the lifetime of jitter. */
export function renewalTime(notBefore: Date, notAfter: Date, random = Math.random()): Date {
  const life = notAfter.getTime() - notBefore.getTime();
  return new Date(notAfter.getTime() - life / 3 - life * 0.02 * random);
}

/** Days before expiry at which the operator is warned when the certificate has not been renewed. */
export const EXPIRY_WARNINGS = [21, 7, 3];

const toDate = (v: unknown) => (v == null ? null : new Date(v as string));

export async function loadDomainTls(q: Queryable, id: string): Promise<DomainTls | null> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT id, operator_id, domain, state, reason, reason_detail, first_check_at, check_attempts, issue_failures,
            next_renewal_at, expiry_notice_days
       FROM portal_domains WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: String(r.id),
    operator_id: String(r.operator_id),
    domain: String(r.domain),
    state: r.state as DomainState,
    reason: (r.reason as string | null) ?? null,
    reason_detail: (r.reason_detail as string | null) ?? null,
    first_check_at: toDate(r.first_check_at),
    check_attempts: Number(r.check_attempts),
    issue_failures: Number(r.issue_failures),
    next_renewal_at: toDate(r.next_renewal_at),
    expiry_notice_days: r.expiry_notice_days == null ? null : Number(r.expiry_notice_days),
  };
}

export async function currentCert(q: Queryable, domainId: string): Promise<CurrentCert | null> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT id, serial, issuer, not_before, not_after FROM domain_certificates
      WHERE domain_id = $1 AND superseded_at IS NULL ORDER BY created_at DESC LIMIT 1`,
    [domainId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: String(r.id),
    serial: String(r.serial),
    issuer: String(r.issuer),
    not_before: new Date(r.not_before as string),
    not_after: new Date(r.not_after as string),
  };
}

/**
 * Moves a domain to a state with a reason and a sentence; a change of state or reason is recorded in the
 * timeline (a repeated identical result is not).
 */
export async function transition(
  tx: Queryable,
  d: DomainTls,
  next: { state: DomainState; reason: string | null; message: string; at: Date },
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  const changed = next.state !== d.state || next.reason !== d.reason;
  const cols = { state: next.state, reason: next.reason, reason_detail: next.message, ...extra };
  const names = Object.keys(cols);
  await tx.query(
    `UPDATE portal_domains SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
    [d.id, ...Object.values(cols)],
  );
  if (changed) {
    await tx.query(
      `INSERT INTO domain_events (operator_id, domain_id, at, from_state, to_state, reason, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [d.operator_id, d.id, next.at, d.state, next.state, next.reason, next.message],
    );
  }
  Object.assign(d, { state: next.state, reason: next.reason, reason_detail: next.message });
  return changed;
}

/** Records a console notice and emails the operator's users. */
export async function notifyOperator(
  tx: Tx,
  deps: Deps,
  d: DomainTls,
  notice: { level: 'info' | 'warning' | 'error'; code: string; title: string; message: string; at: Date },
): Promise<void> {
  await tx.query(
    `INSERT INTO domain_notices (operator_id, domain_id, level, code, message, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [d.operator_id, d.id, notice.level, notice.code, notice.message, notice.at],
  );
  const users = await tx.query<{ email: string }>(
    'SELECT email FROM operator_users WHERE operator_id = $1 ORDER BY created_at LIMIT 20',
    [d.operator_id],
  );
  const port = deps.env.port === 80 ? '' : `:${deps.env.port}`;
  for (const u of users) {
    await queueMail(tx, {
      operatorId: d.operator_id,
      domainId: null,
      to: u.email,
      template: 'notice',
      key: `domain:${d.id}:${notice.code}:${u.email}`,
      vars: {
        title: `${d.domain}: ${notice.title}`,
        message: notice.message,
        url: `http://${deps.env.consoleHost}${port}/domains/${d.id}`,
        action: 'Open the domain',
      },
    });
  }
}

/** Schedules (or brings forward) the domain's DNS check. */
export async function scheduleCheck(q: Queryable, d: { id: string; operator_id: string }, at: Date) {
  await q.query('UPDATE portal_domains SET next_check_at = $2 WHERE id = $1', [d.id, at]);
  await enqueue(q, {
    kind: CHECK_KIND,
    key: d.id,
    operatorId: d.operator_id,
    runAt: at,
    sooner: true,
    maxAttempts: 20,
  });
}

/** Schedules the domain's certificate order. */
export async function scheduleIssue(q: Queryable, d: { id: string; operator_id: string }, at: Date) {
  await enqueue(q, {
    kind: ISSUE_KIND,
    key: d.id,
    operatorId: d.operator_id,
    runAt: at,
    sooner: true,
    maxAttempts: 20,
  });
}

export function inSystem<T>(deps: Deps, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withSystem(deps.db, fn);
}
