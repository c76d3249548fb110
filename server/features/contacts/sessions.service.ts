/** A contact's own sessions (devices) with revoke, and the operator's view of a contact's security. */
import type { ContactPrincipal, Deps, TenantCtx } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { audit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import { normalizeAllowList } from './ipallow.ts';

interface SessionRow {
  id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
  impersonator_label: string | null;
}

/** Live sessions of the signed-in contact, newest activity first; the current one is marked. */
export function listSessions(deps: Deps, p: ContactPrincipal, page: number, pageSize: number) {
  const idleCutoff = new Date(Date.now() - deps.env.sessionIdleMinutes * 60_000);
  return withTenant(deps.db, p.operatorId, async (tx) => {
    const where = "kind = 'contact' AND user_id = $1 AND expires_at > now() AND last_seen_at > $2";
    const [total] = await tx.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM sessions WHERE ${where}`,
      [p.userId, idleCutoff],
    );
    const rows = await tx.query<SessionRow>(
      `SELECT id, created_at, last_seen_at, expires_at, ip, user_agent, impersonator_label
         FROM sessions WHERE ${where}
        ORDER BY (id = $3) DESC, last_seen_at DESC, id LIMIT $4 OFFSET $5`,
      [p.userId, idleCutoff, p.sessionId, pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        current: r.id === p.sessionId,
        ip: r.ip ?? '',
        user_agent: r.user_agent ?? '',
        created_at: r.created_at.toISOString(),
        last_seen_at: r.last_seen_at.toISOString(),
        expires_at: r.expires_at.toISOString(),
        opened_by_operator: r.impersonator_label,
      })),
      total: Number(total?.n ?? 0),
      page,
      page_size: pageSize,
    };
  });
}

/** Ends one of the contact's sessions (the current one too: that is signing out). */
export async function revokeSession(deps: Deps, p: ContactPrincipal, sessionId: string): Promise<void> {
  await withTenant(deps.db, p.operatorId, async (tx) => {
    const rows = await tx.query(
      "DELETE FROM sessions WHERE kind = 'contact' AND user_id = $1 AND id = $2 RETURNING id",
      [p.userId, sessionId],
    );
    if (!rows[0]) throw notFound('Session');
  });
}

/** Ends every session of the contact except the current one; answers how many ended. */
export async function revokeOtherSessions(deps: Deps, p: ContactPrincipal): Promise<{ revoked: number }> {
  return withTenant(deps.db, p.operatorId, async (tx) => {
    const rows = await tx.query(
      "DELETE FROM sessions WHERE kind = 'contact' AND user_id = $1 AND id <> $2 RETURNING id",
      [p.userId, p.sessionId],
    );
    return { revoked: rows.length };
  });
}

interface SecurityRow {
  ip_allow: string[];
  totp_enabled_at: Date | null;
  sessions: number | string;
}

const presentSecurity = (r: SecurityRow) => ({
  ip_allow: r.ip_allow,
  totp_enabled: r.totp_enabled_at !== null,
  totp_enabled_at: r.totp_enabled_at ? r.totp_enabled_at.toISOString() : null,
  active_sessions: Number(r.sessions),
});

const SECURITY_SQL = `SELECT c.ip_allow, c.totp_enabled_at,
       (SELECT count(*) FROM sessions s WHERE s.kind = 'contact' AND s.user_id = c.id AND s.expires_at > now()) AS sessions
  FROM contacts c WHERE c.company_id = $1 AND c.id = $2`;

/** Console: a contact's IP allow-list, 2FA state and number of sessions. */
export function contactSecurity(ctx: TenantCtx, companyId: string, contactId: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [r] = await tx.query<SecurityRow>(SECURITY_SQL, [companyId, contactId]);
    if (!r) throw notFound('Contact');
    return presentSecurity(r);
  });
}

/** Console: replaces a contact's IP allow-list (empty = anywhere). Takes effect on the next request. */
export async function setIpAllowList(ctx: TenantCtx, companyId: string, contactId: string, cidrs: string[]) {
  const list = normalizeAllowList(cidrs);
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [before] = await tx.query<{ ip_allow: string[] }>(
      'SELECT ip_allow FROM contacts WHERE company_id = $1 AND id = $2 FOR UPDATE',
      [companyId, contactId],
    );
    if (!before) throw notFound('Contact');
    await tx.query('UPDATE contacts SET ip_allow = $2::text[] WHERE id = $1', [contactId, list]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'contact.set_ip_allow',
      entityType: 'contact',
      entityId: contactId,
      before: { ip_allow: before.ip_allow },
      after: { ip_allow: list },
    });
    const [r] = await tx.query<SecurityRow>(SECURITY_SQL, [companyId, contactId]);
    return presentSecurity(r!);
  });
}

/** Console: turns a contact's 2FA off (a contact who lost the device and the recovery codes). */
export async function resetContactTotp(ctx: TenantCtx, companyId: string, contactId: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const rows = await tx.query(
      `UPDATE contacts SET totp_secret_enc = NULL, totp_pending_enc = NULL, totp_enabled_at = NULL,
              totp_last_step = NULL
        WHERE company_id = $1 AND id = $2 RETURNING id`,
      [companyId, contactId],
    );
    if (!rows[0]) throw notFound('Contact');
    await tx.query('DELETE FROM contact_recovery_codes WHERE contact_id = $1', [contactId]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'contact.reset_2fa',
      entityType: 'contact',
      entityId: contactId,
    });
    const [r] = await tx.query<SecurityRow>(SECURITY_SQL, [companyId, contactId]);
    return presentSecurity(r!);
  });
}
