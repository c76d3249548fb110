/**
 * The two job kinds of a custom domain. `domain.check` is the domain's own schedule: DNS checks with
 * backoff while pending, a daily re-check while serving, renewal and expiry warnings. `domain.issue` orders
 * a certificate under a per-hostname lease, after the rate limits, DNS, CAA and the self-probe pass.
 */
import crypto from 'node:crypto';
import type { Deps } from '../context.ts';
import { withSystem } from '../db/db.ts';
import { type Job, RetryAt } from '../jobs/queue.ts';
import { isLocalName } from '../lib/hosts.ts';
import { announceDomainChange } from '../plugins/sites.ts';
import { type AcmeFailure, AcmeOrderError, classifyProblem, orderCertificate } from './acme.ts';
import { tlsClock } from './clock.ts';
import { checkDns } from './dns.ts';
import { announceCertChange } from './events.ts';
import {
  CHECK_WINDOW_MS,
  checkBackoffMs,
  currentCert,
  DAY,
  EXPIRY_WARNINGS,
  issueBackoffMs,
  loadDomainTls,
  notifyOperator,
  renewalTime,
  scheduleCheck,
  scheduleIssue,
  transition,
} from './lifecycle.ts';
import { checkLimits, limitsFrom, recordLimitEvent } from './limits.ts';
import { selfProbe } from './probe.ts';

const later = (now: Date, ms: number) => new Date(now.getTime() + ms);

function dnsOptions(deps: Deps) {
  return {
    servers: deps.env.dnsServers,
    target: deps.env.portalCnameTarget,
    caaIdentities: deps.env.acmeCaaIdentities,
  };
}

/** One DNS check of a domain and what follows from it. */
export async function runCheck(job: Job, deps: Deps): Promise<void> {
  const now = tlsClock.now();
  const d = await withSystem(deps.db, (tx) => loadDomainTls(tx, String(job.key)));
  if (!d || isLocalName(d.domain)) return;
  if (d.state === 'dns_verified' || d.state === 'issuing') {
    await withSystem(deps.db, (tx) => scheduleIssue(tx, d, now));
    return;
  }
  const verdict = await checkDns(d.domain, dnsOptions(deps));
  const seen = JSON.stringify(verdict.seen);
  if (d.state === 'active' || d.state === 'renewing') return serving(deps, d, verdict, seen, now);

  // pending_dns or failed: looking for the record.
  const next = await withSystem(deps.db, async (tx) => {
    const first = d.first_check_at ?? now;
    await tx.query(
      'UPDATE portal_domains SET dns_seen = $2::jsonb, dns_checked_at = $3, first_check_at = $4, check_attempts = check_attempts + 1 WHERE id = $1',
      [d.id, seen, now, first],
    );
    if (verdict.ok) {
      await transition(tx, d, {
        state: 'dns_verified',
        reason: null,
        message: `The CNAME points at ${deps.env.portalCnameTarget}; requesting a certificate.`,
        at: now,
      });
      await scheduleIssue(tx, d, now);
      return null;
    }
    if (now.getTime() - first.getTime() >= CHECK_WINDOW_MS) {
      await transition(tx, d, {
        state: 'failed',
        reason: verdict.reason,
        message: `${verdict.message} Checks stopped after 7 days; press “Check now” once the record is in place.`,
        at: now,
      });
      return null;
    }
    await transition(tx, d, {
      state: 'pending_dns',
      reason: verdict.reason,
      message: verdict.message,
      at: now,
    });
    const at = later(now, checkBackoffMs(d.check_attempts + 1));
    await tx.query('UPDATE portal_domains SET next_check_at = $2 WHERE id = $1', [d.id, at]);
    return at;
  });
  if (next) throw new RetryAt(next, verdict.ok ? 'verified' : verdict.message);
}

async function serving(
  deps: Deps,
  d: NonNullable<Awaited<ReturnType<typeof loadDomainTls>>>,
  verdict: Awaited<ReturnType<typeof checkDns>>,
  seen: string,
  now: Date,
): Promise<void> {
  const next = await withSystem(deps.db, async (tx) => {
    await tx.query('UPDATE portal_domains SET dns_seen = $2::jsonb, dns_checked_at = $3 WHERE id = $1', [
      d.id,
      seen,
      now,
    ]);
    const cert = await currentCert(tx, d.id);
    if (verdict.ok && d.reason === 'dns_lost') {
      await transition(tx, d, {
        state: d.state,
        reason: null,
        message: 'The CNAME points at us again.',
        at: now,
      });
    } else if (!verdict.ok && !verdict.transient && d.reason !== 'dns_lost') {
      await transition(tx, d, {
        state: d.state,
        reason: 'dns_lost',
        message: `${verdict.message} The current certificate keeps serving until it expires, but it will not be renewed.`,
        at: now,
      });
      await notifyOperator(tx, deps, d, {
        level: 'warning',
        code: 'dns_lost',
        title: 'DNS no longer points at the platform',
        message: verdict.message,
        at: now,
      });
    }
    if (!cert) return later(now, DAY);
    if (cert.not_after <= now) {
      await transition(tx, d, {
        state: 'failed',
        reason: 'expired',
        message: `The certificate expired on ${cert.not_after.toISOString()} and was not renewed.`,
        at: now,
      });
      await notifyOperator(tx, deps, d, {
        level: 'error',
        code: 'expired',
        title: 'certificate expired',
        message: `The certificate of ${d.domain} expired; the domain is no longer served over HTTPS.`,
        at: now,
      });
      return 'changed';
    }
    const daysLeft = (cert.not_after.getTime() - now.getTime()) / DAY;
    const due = EXPIRY_WARNINGS.filter((t) => daysLeft <= t && (d.expiry_notice_days ?? Infinity) > t);
    const threshold = due.length > 0 ? Math.min(...due) : null;
    if (threshold !== null) {
      await tx.query('UPDATE portal_domains SET expiry_notice_days = $2 WHERE id = $1', [d.id, threshold]);
      await notifyOperator(tx, deps, d, {
        level: threshold <= 7 ? 'error' : 'warning',
        code: `expiry_${threshold}`,
        title: `certificate expires in ${Math.max(0, Math.floor(daysLeft))} days`,
        message: `The certificate of ${d.domain} expires on ${cert.not_after.toISOString().slice(0, 10)} and has not been renewed yet${d.reason ? ` (${d.reason_detail ?? d.reason})` : ''}.`,
        at: now,
      });
    }
    const renewAt = d.next_renewal_at ?? renewalTime(cert.not_before, cert.not_after, 0.5);
    if (d.state === 'active' && d.reason !== 'dns_lost' && renewAt <= now) {
      await transition(tx, d, {
        state: 'renewing',
        reason: null,
        message: `Renewing the certificate (expires ${cert.not_after.toISOString()}).`,
        at: now,
      });
      await scheduleIssue(tx, d, now);
    }
    // Next look: tomorrow, or earlier at the renewal time, the next warning or the expiry.
    const candidates = [later(now, DAY), cert.not_after];
    if (renewAt > now) candidates.push(renewAt);
    for (const t of EXPIRY_WARNINGS) {
      const at = new Date(cert.not_after.getTime() - t * DAY);
      if (at > now) candidates.push(at);
    }
    const at = new Date(Math.min(...candidates.map((c) => c.getTime())));
    await tx.query('UPDATE portal_domains SET next_check_at = $2 WHERE id = $1', [d.id, at]);
    return at;
  });
  if (next === 'changed') {
    await announceCertChange(deps.db, d.domain);
    await announceDomainChange(deps.db, deps.sites, d.domain);
    return;
  }
  throw new RetryAt(next, 'next check');
}

/** Takes the per-hostname lease; false when another node holds it. */
async function lease(deps: Deps, hostname: string, holder: string, now: Date): Promise<boolean> {
  const rows = await deps.db.query<{ holder: string }>(
    `INSERT INTO acme_locks (hostname, holder, expires_at) VALUES ($1, $2, $3)
     ON CONFLICT (hostname) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE acme_locks.expires_at < $4
     RETURNING holder`,
    [hostname, holder, later(now, 10 * 60_000), now],
  );
  return rows[0]?.holder === holder;
}

/** Orders (or renews) the certificate of one domain. */
export async function runIssue(job: Job, deps: Deps): Promise<void> {
  const now = tlsClock.now();
  const id = String(job.key);
  const first = await withSystem(deps.db, (tx) => loadDomainTls(tx, id));
  if (!first || isLocalName(first.domain)) return;
  if (!['dns_verified', 'issuing', 'renewing', 'failed'].includes(first.state)) return;
  if (!deps.env.acmeDirectoryUrl) {
    throw new RetryAt(later(now, 60 * 60_000), 'ACME_DIRECTORY_URL is not set');
  }
  const hostname = first.domain;
  const holder = crypto.randomUUID();
  if (!(await lease(deps, hostname, holder, now))) {
    throw new RetryAt(later(now, 30_000), 'another node is ordering this name');
  }
  try {
    // Re-read under the lease: another node may have finished meanwhile.
    const d = await withSystem(deps.db, (tx) => loadDomainTls(tx, id));
    if (!d || !['dns_verified', 'issuing', 'renewing', 'failed'].includes(d.state)) return;
    const limits = limitsFrom(deps.env.acmeRateLimits);
    const allowed = await withSystem(deps.db, (tx) => checkLimits(tx, hostname, limits, now));
    if (!allowed.ok) {
      await withSystem(deps.db, (tx) =>
        transition(tx, d, {
          state: d.state,
          reason: 'acme_rate_limited',
          message: `${allowed.message}; the next attempt is at ${allowed.retryAt.toISOString()}.`,
          at: now,
        }),
      );
      throw new RetryAt(allowed.retryAt, allowed.message);
    }
    const verdict = await checkDns(hostname, dnsOptions(deps));
    if (!verdict.ok) {
      if (verdict.transient) throw new RetryAt(later(now, 5 * 60_000), verdict.message);
      await withSystem(deps.db, async (tx) => {
        await tx.query('UPDATE portal_domains SET dns_seen = $2::jsonb, dns_checked_at = $3 WHERE id = $1', [
          d.id,
          JSON.stringify(verdict.seen),
          now,
        ]);
        const hasCert = d.state === 'renewing' && (await currentCert(tx, d.id));
        if (hasCert) {
          await transition(tx, d, {
            state: 'active',
            reason: 'dns_lost',
            message: `${verdict.message} Not renewing while DNS does not point at us.`,
            at: now,
          });
          await scheduleCheck(tx, d, later(now, DAY));
        } else {
          await transition(tx, d, {
            state: 'pending_dns',
            reason: verdict.reason,
            message: verdict.message,
            at: now,
          });
          await tx.query('UPDATE portal_domains SET check_attempts = 0, first_check_at = $2 WHERE id = $1', [
            d.id,
            now,
          ]);
          await scheduleCheck(tx, d, later(now, checkBackoffMs(1)));
        }
      });
      return;
    }
    const probe = await selfProbe(deps, hostname);
    if (!probe.ok) {
      return await fail(deps, d, now, {
        reason: 'challenge_invalid',
        message: `${probe.message}. Requests for http://${hostname}/.well-known/acme-challenge/ must reach the platform (no redirect, firewall or proxy in between); no certificate was requested yet.`,
        retryAt: null,
        failedValidation: false,
      });
    }
    if (d.state !== 'renewing' && d.state !== 'issuing') {
      await withSystem(deps.db, (tx) =>
        transition(tx, d, {
          state: 'issuing',
          reason: null,
          message: 'Requesting a certificate from the certificate authority.',
          at: now,
        }),
      );
    }
    await withSystem(deps.db, (tx) => recordLimitEvent(tx, 'order', hostname, now));
    let cert: Awaited<ReturnType<typeof orderCertificate>>;
    try {
      cert = await orderCertificate(deps, hostname);
    } catch (err) {
      const failure =
        err instanceof AcmeOrderError
          ? classifyProblem(err.problem, err.message, now)
          : classifyProblem(null, err instanceof Error ? err.message : String(err), now);
      return await fail(deps, d, now, failure);
    }
    await withSystem(deps.db, async (tx) => {
      const renewed = d.state === 'renewing';
      await tx.query(
        'UPDATE domain_certificates SET superseded_at = $2 WHERE domain_id = $1 AND superseded_at IS NULL',
        [d.id, now],
      );
      await tx.query(
        `INSERT INTO domain_certificates (operator_id, domain_id, hostname, serial, issuer, not_before, not_after, chain_pem, key_pem_enc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          d.operator_id,
          d.id,
          hostname,
          cert.serial,
          cert.issuer,
          cert.notBefore,
          cert.notAfter,
          cert.chainPem,
          deps.box.encrypt(cert.keyPem),
        ],
      );
      // Superseded keys are not kept: only the serving certificate's key stays (sealed).
      await tx.query(`DELETE FROM domain_certificates WHERE domain_id = $1 AND superseded_at IS NOT NULL`, [
        d.id,
      ]);
      await recordLimitEvent(tx, 'cert', hostname, now);
      const renewAt = renewalTime(cert.notBefore, cert.notAfter);
      d.state = renewed ? 'renewing' : d.state;
      await transition(
        tx,
        d,
        {
          state: 'active',
          reason: null,
          message: `${renewed ? 'Certificate renewed' : 'Certificate issued'} by ${cert.issuer}, valid until ${cert.notAfter.toISOString()}.`,
          at: now,
        },
        { issue_failures: 0, next_renewal_at: renewAt, expiry_notice_days: null },
      );
      await scheduleCheck(tx, d, new Date(Math.min(renewAt.getTime(), now.getTime() + DAY)));
    });
    await announceCertChange(deps.db, hostname);
    await announceDomainChange(deps.db, deps.sites, hostname);
  } finally {
    await deps.db
      .query('DELETE FROM acme_locks WHERE hostname = $1 AND holder = $2', [hostname, holder])
      .catch(() => undefined);
  }
}

/** Records a failed attempt, tells the operator, and retries later (never taking a serving domain down). */
async function fail(
  deps: Deps,
  d: NonNullable<Awaited<ReturnType<typeof loadDomainTls>>>,
  now: Date,
  failure: AcmeFailure,
): Promise<never> {
  const failures = d.issue_failures + 1;
  const retryAt = failure.retryAt ?? later(now, issueBackoffMs(failures));
  await withSystem(deps.db, async (tx) => {
    if (failure.failedValidation) await recordLimitEvent(tx, 'failed', d.domain, now);
    const cert = await currentCert(tx, d.id);
    const stillValid = cert !== null && cert.not_after > now;
    const renewal = d.state === 'renewing' || (d.state === 'failed' && stillValid);
    let state: typeof d.state;
    if (stillValid) state = 'renewing';
    else if (failure.reason) state = 'failed';
    else state = d.state === 'issuing' ? 'dns_verified' : d.state;
    await transition(
      tx,
      d,
      {
        state,
        reason: failure.reason ?? d.reason,
        message: `${failure.message} Next attempt at ${retryAt.toISOString()}.`,
        at: now,
      },
      { issue_failures: failures },
    );
    if (failure.reason) {
      await notifyOperator(tx, deps, d, {
        level: 'error',
        code: `${renewal ? 'renewal' : 'issuance'}_failed`,
        title: renewal ? 'certificate renewal failed' : 'certificate could not be issued',
        message: `${failure.message}${stillValid ? ` The current certificate keeps serving until ${cert?.not_after.toISOString()}.` : ''} We will try again at ${retryAt.toISOString()}.`,
        at: now,
      });
    }
  });
  throw new RetryAt(retryAt, failure.message);
}
