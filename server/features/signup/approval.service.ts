/** The operator's side of sign-ups: the list of sign-ups (pending first) and approve / reject. */
import type { TenantCtx } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { audit } from '../../lib/audit.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { isoOrNull } from '../../lib/format.ts';
import { queueWelcome } from './signup.service.ts';

const SELECT = `SELECT s.id, s.type, s.country, s.ip, s.created_at, s.email_verified_at, s.decision, s.decided_at,
       s.decided_by, s.company_id, c.name AS company_name, c.status, c.currency, s.contact_id, k.name AS contact_name,
       k.email, k.phone, s.domain_id, d.domain, d.brand_name, s.template_company_id
  FROM signups s
  JOIN companies c ON c.operator_id = s.operator_id AND c.id = s.company_id
  JOIN contacts k ON k.operator_id = s.operator_id AND k.id = s.contact_id
  LEFT JOIN portal_domains d ON d.operator_id = s.operator_id AND d.id = s.domain_id`;

function present(r: Record<string, unknown>) {
  return {
    id: String(r.id),
    type: String(r.type),
    company_id: String(r.company_id),
    company_name: String(r.company_name),
    status: String(r.status),
    currency: String(r.currency),
    contact_id: String(r.contact_id),
    contact_name: String(r.contact_name),
    email: String(r.email),
    phone: r.phone == null ? null : String(r.phone),
    country: String(r.country),
    ip: r.ip == null ? null : String(r.ip),
    domain_id: r.domain_id == null ? null : String(r.domain_id),
    domain: r.domain == null ? null : String(r.domain),
    brand_name: r.brand_name == null ? null : String(r.brand_name),
    cloned_from_template: r.template_company_id != null,
    created_at: isoOrNull(r.created_at)!,
    email_verified_at: isoOrNull(r.email_verified_at),
    decision: r.decision == null ? null : String(r.decision),
    decided_at: isoOrNull(r.decided_at),
    decided_by: r.decided_by == null ? null : String(r.decided_by),
  };
}

export type SignupDto = ReturnType<typeof present>;

/** Sign-ups, newest first; `state` pending = the company still waits for approval. */
export async function listSignups(
  ctx: TenantCtx,
  q: { state?: 'pending' | 'approved' | 'rejected' | 'all'; q?: string; page: number; page_size: number },
) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const state = q.state ?? 'all';
    const params = [state, q.q ? `%${q.q.toLowerCase()}%` : null];
    const where = `WHERE ($1 = 'all' OR ($1 = 'pending' AND c.status = 'pending_approval' AND s.decision IS NULL)
                          OR s.decision = $1)
                     AND ($2::text IS NULL OR lower(c.name) LIKE $2 OR lower(k.email) LIKE $2 OR lower(k.name) LIKE $2)`;
    const [count] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (${SELECT} ${where}) x`,
      params,
    );
    const [pending] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM signups s JOIN companies c ON c.operator_id = s.operator_id AND c.id = s.company_id
        WHERE c.status = 'pending_approval' AND s.decision IS NULL`,
    );
    const rows = await tx.query(`${SELECT} ${where} ORDER BY s.created_at DESC, s.id LIMIT $3 OFFSET $4`, [
      ...params,
      q.page_size,
      (q.page - 1) * q.page_size,
    ]);
    return {
      items: rows.map(present),
      total: count?.n ?? 0,
      pending: pending?.n ?? 0,
      page: q.page,
      page_size: q.page_size,
    };
  });
}

async function load(tx: Tx, id: string, lock: boolean) {
  if (lock) {
    const [locked] = await tx.query('SELECT 1 FROM signups WHERE id = $1 FOR UPDATE', [id]);
    if (!locked) throw notFound('Sign-up');
  }
  const [row] = await tx.query<Record<string, unknown>>(`${SELECT} WHERE s.id = $1`, [id]);
  if (!row) throw notFound('Sign-up');
  return present(row);
}

export async function getSignup(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, (tx) => load(tx, id, false));
}

/** Approves or rejects a sign-up that is still waiting; the company becomes active or closed. */
export async function decideSignup(ctx: TenantCtx, id: string, decision: 'approved' | 'rejected') {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await load(tx, id, true);
    if (before.decision !== null || before.status !== 'pending_approval')
      throw conflict(
        'already_decided',
        before.decision
          ? `This sign-up was already ${before.decision}`
          : 'This company is not waiting for approval any more',
      );
    const status = decision === 'approved' ? 'active' : 'closed';
    await tx.query('UPDATE companies SET status = $2, updated_at = now() WHERE id = $1', [
      before.company_id,
      status,
    ]);
    await tx.query('UPDATE signups SET decision = $2, decided_at = now(), decided_by = $3 WHERE id = $1', [
      id,
      decision,
      ctx.actor.label,
    ]);
    if (decision === 'rejected')
      await tx.query('DELETE FROM sessions WHERE user_id = $1', [before.contact_id]);
    const after = await load(tx, id, false);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: decision === 'approved' ? 'signup.approve' : 'signup.reject',
      entityType: 'company',
      entityId: before.company_id,
      before: { status: before.status },
      after: { status: after.status },
    });
    if (decision === 'approved' && after.email_verified_at)
      await queueWelcome(tx, ctx.deps, ctx.operatorId, after.domain_id, {
        signupId: id,
        name: after.contact_name,
        email: after.email,
        domain: after.domain,
      });
    return after;
  });
}

/**
 * The operator confirms a sign-up's email address by hand (e.g. after checking it by phone, or where no SMTP
 * server is set up yet): the password chosen at sign-up becomes the contact's, as if the link had been opened.
 */
export async function confirmSignupEmail(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await load(tx, id, true);
    if (before.email_verified_at)
      throw conflict('already_confirmed', 'This email address is already confirmed');
    const [link] = await tx.query<{ id: string; password_hash: string | null }>(
      `SELECT id, password_hash FROM email_verifications
        WHERE contact_id = $1 AND used_at IS NULL ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
      [before.contact_id],
    );
    if (!link?.password_hash)
      throw conflict(
        'nothing_to_confirm',
        'This sign-up has no pending confirmation: the contact can reset the password',
      );
    await tx.query('UPDATE contacts SET password_hash = $2 WHERE id = $1', [
      before.contact_id,
      link.password_hash,
    ]);
    await tx.query(
      'UPDATE email_verifications SET used_at = now(), password_hash = NULL WHERE contact_id = $1 AND used_at IS NULL',
      [before.contact_id],
    );
    await tx.query('UPDATE signups SET email_verified_at = now() WHERE id = $1', [id]);
    const after = await load(tx, id, false);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'signup.confirm_email',
      entityType: 'contact',
      entityId: before.contact_id,
      before: { email_verified: false },
      after: { email_verified: true },
    });
    if (after.status === 'active')
      await queueWelcome(tx, ctx.deps, ctx.operatorId, after.domain_id, {
        signupId: id,
        name: after.contact_name,
        email: after.email,
        domain: after.domain,
      });
    return after;
  });
}
