/**
 * The contact-specific steps of signing in: the IP allow-list, the TOTP second step and "log in as"
 * (an operator user opens a portal session for a contact through a one-time token on the brand host).
 */
import type { Deps, TenantCtx } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { audit } from '../../lib/audit.ts';
import { conflict, forbidden, notFound } from '../../lib/errors.ts';
import { publicUrl } from '../../lib/hosts.ts';
import type { Brand } from '../../plugins/sites.ts';
import { ipAllowed } from './ipallow.ts';
import { companyPortal } from './policy.ts';
import { findLiveToken, issueToken, MFA_MAX_ATTEMPTS, markUsed } from './tokens.ts';
import { verifySecondFactor } from './totp.ts';

export type LoginGate = { kind: 'ok' } | { kind: 'ip_refused' } | { kind: 'mfa'; token: string };

export const ipRefused = (ip: string) =>
  forbidden('ip_not_allowed', `Signing in from your address (${ip}) is not allowed for this account`);

/** After a correct password: refuse addresses outside the allow-list, or ask for the second factor. */
export async function contactLoginGate(
  deps: Deps,
  brand: Brand,
  contactId: string,
  ip: string,
): Promise<LoginGate> {
  return withTenant(deps.db, brand.operatorId, async (tx) => {
    const [c] = await tx.query<{ ip_allow: string[]; totp_secret_enc: string | null }>(
      'SELECT ip_allow, totp_secret_enc FROM contacts WHERE id = $1',
      [contactId],
    );
    if (!c) return { kind: 'ip_refused' } as const;
    if (!ipAllowed(c.ip_allow, ip)) return { kind: 'ip_refused' } as const;
    if (!c.totp_secret_enc) return { kind: 'ok' } as const;
    const token = await issueToken(tx, {
      operatorId: brand.operatorId,
      contactId,
      purpose: 'mfa',
      domainId: brand.domainId,
    });
    return { kind: 'mfa', token } as const;
  });
}

export type MfaResult =
  | { kind: 'ok'; user: { id: string; email: string; name: string } }
  | { kind: 'bad_code'; email: string }
  | { kind: 'invalid' }
  | { kind: 'ip_refused' };

/**
 * The second sign-in step: a TOTP code or a recovery code for the token the password step gave.
 * A token allows a few wrong codes, then it is spent and the password step starts again.
 */
export async function completeMfa(
  deps: Deps,
  brand: Brand,
  token: string,
  code: string,
  ip: string,
): Promise<MfaResult> {
  return withTenant(deps.db, brand.operatorId, async (tx) => {
    const t = await findLiveToken(tx, token, ['mfa'], {
      operatorId: brand.operatorId,
      domainId: brand.domainId,
    });
    if (!t) return { kind: 'invalid' } as const;
    const [c] = await tx.query<{
      operator_id: string;
      id: string;
      email: string;
      name: string;
      ip_allow: string[];
      totp_secret_enc: string | null;
      totp_last_step: string | null;
    }>(
      `SELECT operator_id, id, email, name, ip_allow, totp_secret_enc, totp_last_step
         FROM contacts WHERE id = $1 FOR UPDATE`,
      [t.contact_id],
    );
    if (!c) return { kind: 'invalid' } as const;
    if (!ipAllowed(c.ip_allow, ip)) return { kind: 'ip_refused' } as const;
    const ok = await verifySecondFactor(tx, (s) => deps.box.decrypt(s), c, code);
    if (!ok) {
      await tx.query(
        `UPDATE contact_tokens SET attempts = attempts + 1,
                used_at = CASE WHEN attempts + 1 >= $2 THEN now() ELSE used_at END
          WHERE id = $1`,
        [t.id, MFA_MAX_ATTEMPTS],
      );
      return { kind: 'bad_code', email: c.email } as const;
    }
    await markUsed(tx, t);
    return { kind: 'ok', user: { id: c.id, email: c.email, name: c.name } } as const;
  });
}

/**
 * Console "log in as": a one-time link (valid 2 minutes) to the contact's brand host, where it is
 * exchanged for a portal session marked with the operator user. Audited.
 */
export async function startImpersonation(
  ctx: TenantCtx,
  companyId: string,
  contactId: string,
): Promise<{ url: string; expires_in: number }> {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [c] = await tx.query<{ email: string; portal_access: boolean }>(
      `SELECT c.email, co.portal_access
         FROM contacts c JOIN companies co ON co.operator_id = c.operator_id AND co.id = c.company_id
        WHERE c.company_id = $1 AND c.id = $2`,
      [companyId, contactId],
    );
    if (!c) throw notFound('Contact');
    if (!c.portal_access) {
      throw conflict('portal_access_off', 'Portal access is switched off for this company');
    }
    const portal = await companyPortal(tx, companyId);
    if (!portal) throw conflict('no_portal_domain', 'There is no portal domain this contact can sign in on');
    const token = await issueToken(tx, {
      operatorId: ctx.operatorId,
      contactId,
      purpose: 'impersonate',
      domainId: portal.id,
      actor: { id: ctx.actor.id, label: ctx.actor.label },
    });
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'contact.log_in_as',
      entityType: 'contact',
      entityId: contactId,
      after: { email: c.email, domain: portal.domain },
    });
    return { url: `${publicUrl(ctx.deps.env, portal.domain)}/impersonate#token=${token}`, expires_in: 120 };
  });
}

/** Exchanges a "log in as" token on the brand host; null when invalid, used or expired. */
export async function redeemImpersonation(
  deps: Deps,
  brand: Brand,
  token: string,
): Promise<{ contactId: string; actorId: string | null; actorLabel: string; email: string } | null> {
  return withTenant(deps.db, brand.operatorId, async (tx) => {
    const t = await findLiveToken(tx, token, ['impersonate'], {
      operatorId: brand.operatorId,
      domainId: brand.domainId,
    });
    if (!t) return null;
    await markUsed(tx, t);
    const [c] = await tx.query<{ email: string }>('SELECT email FROM contacts WHERE id = $1', [t.contact_id]);
    if (!c) return null;
    const label = t.actor_label ?? 'operator';
    await audit(
      tx,
      brand.operatorId,
      { type: 'operator_user', id: t.actor_id, label },
      {
        action: 'contact.impersonation_started',
        entityType: 'contact',
        entityId: t.contact_id,
        after: { email: c.email, domain: brand.domain },
      },
    );
    return { contactId: t.contact_id, actorId: t.actor_id, actorLabel: label, email: c.email };
  });
}
