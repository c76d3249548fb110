/** Login and logout for operator users (console host) and contacts (portal hosts). */
import { effectiveFeatures, type UserType } from '../../../common/features.ts';
import type { Deps } from '../../context.ts';
import { withSystem } from '../../db/db.ts';
import { verifyPassword } from '../../lib/passwords.ts';
import { randomToken, sha256 } from '../../lib/secrets.ts';
import type { Brand } from '../../plugins/sites.ts';
import { contactLoginGate } from '../contacts/signin.service.ts';

export interface LoginResult {
  token: string;
  user: { id: string; email: string; name: string };
}

/** A contact whose password was right but who must give a second factor, or whose address is refused. */
export type ContactLoginStep = { step: 'mfa'; mfaToken: string } | { step: 'ip_refused' };

/** Opens a session and returns its token (only its hash is stored). */
export async function openSession(
  deps: Deps,
  s: {
    operatorId: string;
    kind: 'operator' | 'contact';
    userId: string;
    domainId: string | null;
    /** "Log in as": the operator user who opened this contact session. */
    impersonator?: { id: string | null; label: string };
  },
  meta: { ip: string; userAgent: string },
): Promise<string> {
  const token = randomToken();
  await deps.db.query(
    `INSERT INTO sessions (operator_id, token_hash, kind, user_id, domain_id, expires_at, ip, user_agent,
                           impersonator_id, impersonator_label)
     VALUES ($1, $2, $3, $4, $5, now() + $6::interval, $7, $8, $9, $10)`,
    [
      s.operatorId,
      sha256(token),
      s.kind,
      s.userId,
      s.domainId,
      `${deps.env.sessionMaxHours} hours`,
      meta.ip,
      meta.userAgent.slice(0, 300),
      s.impersonator?.id ?? null,
      s.impersonator?.label ?? null,
    ],
  );
  return token;
}

/** Checks an operator user's credentials; null for any failure (same answer for every cause). */
export async function loginOperator(
  deps: Deps,
  email: string,
  password: string,
  meta: { ip: string; userAgent: string },
): Promise<LoginResult | null> {
  const rows = await withSystem(deps.db, (tx) =>
    tx.query<{ operator_id: string; id: string; email: string; name: string; password_hash: string }>(
      'SELECT operator_id, id, email, name, password_hash FROM operator_users WHERE lower(email) = lower($1)',
      [email],
    ),
  );
  const u = rows[0];
  const ok = await verifyPassword(u?.password_hash ?? null, password);
  if (!u || !ok) return null;
  await deps.db.query('UPDATE operator_users SET last_login_at = now() WHERE operator_id = $1 AND id = $2', [
    u.operator_id,
    u.id,
  ]);
  const token = await openSession(
    deps,
    { operatorId: u.operator_id, kind: 'operator', userId: u.id, domainId: null },
    meta,
  );
  return { token, user: { id: u.id, email: u.email, name: u.name } };
}

/**
 * Checks a contact's credentials on a brand: the contact must belong to the brand's operator,
 * its company must have portal access and be on this domain (or on none).
 */
export async function loginContact(
  deps: Deps,
  brand: Brand,
  email: string,
  password: string,
  meta: { ip: string; userAgent: string },
): Promise<LoginResult | ContactLoginStep | null> {
  const rows = await withSystem(deps.db, (tx) =>
    tx.query<{
      id: string;
      email: string;
      name: string;
      password_hash: string | null;
      portal_access: boolean;
      domain_id: string | null;
      status: string;
      type: UserType;
      show: string[];
      hide: string[];
    }>(
      `SELECT c.id, c.email, c.name, c.password_hash, co.portal_access, co.domain_id, co.status, co.type,
              co.show, co.hide
         FROM contacts c JOIN companies co ON co.operator_id = c.operator_id AND co.id = c.company_id
        WHERE c.operator_id = $1 AND lower(c.email) = lower($2)`,
      [brand.operatorId, email],
    ),
  );
  const c = rows[0];
  const ok = await verifyPassword(c?.password_hash ?? null, password);
  if (!c || !ok) return null;
  if (!c.portal_access || c.status === 'closed') return null;
  if (c.domain_id !== null && c.domain_id !== brand.domainId) return null;
  if (c.type === 'carrier') {
    const access = effectiveFeatures({
      userType: 'carrier',
      domainFeatures: brand.features,
      show: c.show,
      hide: c.hide,
    });
    if (!access.includes('carrier_portal')) return null;
  }
  const gate = await contactLoginGate(deps, brand, c.id, meta.ip);
  if (gate.kind === 'ip_refused') return { step: 'ip_refused' };
  if (gate.kind === 'mfa') return { step: 'mfa', mfaToken: gate.token };
  await deps.db.query('UPDATE contacts SET last_login_at = now() WHERE operator_id = $1 AND id = $2', [
    brand.operatorId,
    c.id,
  ]);
  const token = await openSession(
    deps,
    { operatorId: brand.operatorId, kind: 'contact', userId: c.id, domainId: brand.domainId },
    meta,
  );
  return { token, user: { id: c.id, email: c.email, name: c.name } };
}

/** Ends the session behind a token (no-op when unknown). */
export async function logout(deps: Deps, token: string): Promise<void> {
  await withSystem(deps.db, (tx) => tx.query('DELETE FROM sessions WHERE token_hash = $1', [sha256(token)]));
}
