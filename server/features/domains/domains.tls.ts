/**
 * The deployment side of a portal domain (SPEC section 6) for the console: the detail view (expected record,
 * what DNS said, certificate, timeline), "check now", notices, tombstones of removed names.
 */
import crypto from 'node:crypto';
import type { Page } from '../../../common/api.ts';
import type { TenantCtx } from '../../context.ts';
import { type Queryable, type Tx, withSystem, withTenant } from '../../db/db.ts';
import { HttpError, notFound } from '../../lib/errors.ts';
import { isLocalName } from '../../lib/hosts.ts';
import { tlsClock } from '../../tls/clock.ts';
import { makeResolver } from '../../tls/dns.ts';
import { type DomainState, scheduleCheck } from '../../tls/lifecycle.ts';
import { type DomainRow, presentDomain } from './domains.presenter.ts';

/** Seconds between two manual checks of one domain. */
export const MANUAL_CHECK_INTERVAL_S = 10;
/** How long a removed hostname stays reserved for its former operator. */
export const TOMBSTONE_DAYS = 30;

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

/** The TXT value an operator publishes to claim a hostname another operator removed recently. */
export const ownershipToken = (operatorId: string, hostname: string) =>
  `portal-verify=${crypto.createHash('sha256').update(`${operatorId}:${hostname}`).digest('hex').slice(0, 32)}`;

/** Refuses a hostname tombstoned by another operator unless its TXT ownership proof is in DNS. */
export async function checkTombstone(ctx: TenantCtx, hostname: string): Promise<void> {
  if (isLocalName(hostname)) return;
  const rows = await withSystem(ctx.deps.db, (tx) =>
    tx.query<{ former_owner: string }>(
      'SELECT former_owner FROM domain_tombstones WHERE hostname = $1 AND expires_at > $2',
      [hostname, tlsClock.now()],
    ),
  );
  const stone = rows[0];
  if (!stone || stone.former_owner === ctx.operatorId) return;
  const value = ownershipToken(ctx.operatorId, hostname);
  const name = `_portal-verify.${hostname}`;
  const txt = await makeResolver(ctx.deps.env.dnsServers)
    .resolveTxt(name)
    .then((r) => r.map((parts) => parts.join('')))
    .catch(() => [] as string[]);
  if (txt.includes(value)) return;
  throw new HttpError(
    409,
    'domain_recently_removed',
    `${hostname} was removed from another account less than ${TOMBSTONE_DAYS} days ago. To claim it, prove you control its DNS: create a TXT record ${name} with the value ${value}, then add the domain again.`,
    { field: 'domain', verification: { name, type: 'TXT', value } },
  );
}

/** Records the tombstone of a removed hostname (in the caller's system transaction). */
export async function tombstone(q: Queryable, hostname: string, operatorId: string): Promise<void> {
  if (isLocalName(hostname)) return;
  const now = tlsClock.now();
  await q.query(
    `INSERT INTO domain_tombstones (hostname, former_owner, removed_at, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (hostname) DO UPDATE SET former_owner = EXCLUDED.former_owner, removed_at = EXCLUDED.removed_at,
       expires_at = EXCLUDED.expires_at`,
    [hostname, operatorId, now, new Date(now.getTime() + TOMBSTONE_DAYS * 86_400_000)],
  );
}

/** Starts the checks of a new (or renamed) domain: timeline entry and a check right away. */
export async function startDeployment(tx: Tx, ctx: TenantCtx, d: { id: string; domain: string }) {
  if (isLocalName(d.domain)) return;
  const now = tlsClock.now();
  await tx.query(
    `UPDATE portal_domains SET state = 'pending_dns', reason = NULL, reason_detail = NULL, dns_seen = NULL,
       dns_checked_at = NULL, first_check_at = NULL, check_attempts = 0, issue_failures = 0, next_renewal_at = NULL,
       expiry_notice_days = NULL WHERE id = $1`,
    [d.id],
  );
  await tx.query('DELETE FROM domain_certificates WHERE domain_id = $1', [d.id]);
  await tx.query(
    `INSERT INTO domain_events (operator_id, domain_id, at, from_state, to_state, reason, message)
     VALUES ($1, $2, $3, NULL, 'pending_dns', NULL, $4)`,
    [
      ctx.operatorId,
      d.id,
      now,
      `Added ${d.domain}; waiting for its CNAME record to point at ${ctx.deps.env.portalCnameTarget}.`,
    ],
  );
  await scheduleCheck(tx, { id: d.id, operator_id: ctx.operatorId }, now);
}

export interface DomainEventDto {
  id: string;
  at: string;
  from_state: string | null;
  to_state: string;
  reason: string | null;
  message: string;
}

/** Plain words for what the operator should do next, by state and reason. */
export function nextStep(state: DomainState, reason: string | null, domain: string, target: string): string {
  if (isLocalName(domain)) return 'Local names are served without DNS or certificates.';
  if (reason === 'dns_lost')
    return `DNS for ${domain} no longer points at ${target}. Restore the CNAME record, or the certificate will expire and the portal will stop working.`;
  switch (state) {
    case 'pending_dns':
      return `Create the CNAME record below at your DNS provider. We check automatically (more often at first); press “Check now” once the record is in place.`;
    case 'dns_verified':
    case 'issuing':
      return 'DNS is correct. A certificate is being requested; this usually takes a few seconds.';
    case 'active':
      return `The portal is live at https://${domain}. Nothing to do.`;
    case 'renewing':
      return 'The certificate is being renewed; the current one keeps serving meanwhile.';
    case 'failed':
      return reason === 'expired'
        ? 'The certificate expired. Make sure the CNAME record is in place and press “Check now”.'
        : 'Fix the problem described below, then press “Check now” to start again.';
  }
}

/** The domain with its deployment details: expected record, DNS seen, certificate and timeline. */
export async function getDomainDetail(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, (tx) => detail(tx, ctx, id));
}

async function detail(tx: Tx, ctx: TenantCtx, id: string) {
  const rows = await tx.query<DomainRow>('SELECT * FROM portal_domains WHERE id = $1', [id]);
  const row = rows[0];
  if (!row) throw notFound('Domain');
  const base = presentDomain(row);
  const target = ctx.deps.env.portalCnameTarget;
  const [cert] = await tx.query<Record<string, unknown>>(
    `SELECT serial, issuer, not_before, not_after FROM domain_certificates
      WHERE domain_id = $1 AND superseded_at IS NULL ORDER BY created_at DESC LIMIT 1`,
    [id],
  );
  const events = await tx.query<Record<string, unknown>>(
    `SELECT id, at, from_state, to_state, reason, message FROM domain_events WHERE domain_id = $1 ORDER BY at DESC, seq DESC LIMIT 50`,
    [id],
  );
  const [unread] = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM domain_notices WHERE domain_id = $1 AND read_at IS NULL',
    [id],
  );
  const local = isLocalName(base.domain);
  return {
    ...base,
    reason_message: (row.reason_detail as string | null) ?? null,
    next_step: nextStep(base.state, base.reason, base.domain, target),
    expected_record: local ? null : { name: base.domain, type: 'CNAME' as const, target, ttl: 300 },
    dns: {
      checked_at: iso(row.dns_checked_at),
      next_check_at: iso(row.next_check_at),
      seen: (typeof row.dns_seen === 'string' ? JSON.parse(row.dns_seen) : row.dns_seen) ?? null,
    },
    certificate: cert
      ? {
          issuer: String(cert.issuer),
          serial: String(cert.serial),
          not_before: iso(cert.not_before),
          not_after: iso(cert.not_after),
          renew_at: iso(row.next_renewal_at),
        }
      : null,
    unread_notices: unread?.n ?? 0,
    events: events.map(
      (e): DomainEventDto => ({
        id: String(e.id),
        at: iso(e.at) ?? '',
        from_state: (e.from_state as string | null) ?? null,
        to_state: String(e.to_state),
        reason: (e.reason as string | null) ?? null,
        message: String(e.message),
      }),
    ),
  };
}

/** "Check now": re-runs the checks at once and restarts the backoff (at most once per 10 s per domain). */
export async function checkNow(ctx: TenantCtx, id: string) {
  const now = tlsClock.now();
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const rows = await tx.query<{ domain: string; state: string; manual_check_at: Date | string | null }>(
      'SELECT domain, state, manual_check_at FROM portal_domains WHERE id = $1 FOR UPDATE',
      [id],
    );
    const row = rows[0];
    if (!row) throw notFound('Domain');
    if (isLocalName(row.domain)) {
      throw new HttpError(400, 'local_domain', 'Local names are served without DNS checks');
    }
    const last = row.manual_check_at ? new Date(row.manual_check_at).getTime() : 0;
    const wait = Math.ceil((last + MANUAL_CHECK_INTERVAL_S * 1000 - now.getTime()) / 1000);
    if (wait > 0) {
      throw new HttpError(429, 'check_rate_limited', `A check ran moments ago; try again in ${wait} s`, {
        retry_after: wait,
      });
    }
    await tx.query(
      'UPDATE portal_domains SET manual_check_at = $2, check_attempts = 0, first_check_at = NULL WHERE id = $1',
      [id, now],
    );
    if (row.state === 'failed') {
      await tx.query(`UPDATE portal_domains SET state = 'pending_dns', issue_failures = 0 WHERE id = $1`, [
        id,
      ]);
      await tx.query(
        `INSERT INTO domain_events (operator_id, domain_id, at, from_state, to_state, reason, message)
         VALUES ($1, $2, $3, 'failed', 'pending_dns', NULL, 'Checks restarted from the console.')`,
        [ctx.operatorId, id, now],
      );
    }
    await scheduleCheck(tx, { id, operator_id: ctx.operatorId }, now);
    return detail(tx, ctx, id);
  });
}

/** The domain's notices, newest first, paged; reading them marks them read. */
export async function listNotices(
  ctx: TenantCtx,
  id: string,
  q: { page: number; page_size: number; level?: string },
) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const exists = await tx.query('SELECT 1 FROM portal_domains WHERE id = $1', [id]);
    if (!exists[0]) throw notFound('Domain');
    const where = 'WHERE domain_id = $1 AND ($2::text IS NULL OR level = $2)';
    const [count] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM domain_notices ${where}`, [
      id,
      q.level ?? null,
    ]);
    const rows = await tx.query<Record<string, unknown>>(
      `SELECT id, level, code, message, created_at, read_at FROM domain_notices ${where}
        ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
      [id, q.level ?? null, q.page_size, (q.page - 1) * q.page_size],
    );
    await tx.query('UPDATE domain_notices SET read_at = now() WHERE domain_id = $1 AND read_at IS NULL', [
      id,
    ]);
    return {
      items: rows.map((r) => ({
        id: String(r.id),
        level: String(r.level),
        code: String(r.code),
        message: String(r.message),
        created_at: iso(r.created_at) ?? '',
        read: r.read_at != null,
      })),
      total: count?.n ?? 0,
      page: q.page,
      page_size: q.page_size,
    } satisfies Page<unknown>;
  });
}
