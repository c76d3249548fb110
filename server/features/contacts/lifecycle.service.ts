/**
 * A contact's way in: invitations from the operator, "forgot password" mails, setting a password
 * through a single-use link (which ends every session of the contact).
 */
import type { Actor, Deps, TenantCtx } from '../../context.ts';
import { type Queryable, withTenant } from '../../db/db.ts';
import { queueMail } from '../../emails/outbox.ts';
import { audit } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { publicUrl } from '../../lib/hosts.ts';
import { hashPassword } from '../../lib/passwords.ts';
import type { Brand } from '../../plugins/sites.ts';
import { checkNewPassword, companyPortal } from './policy.ts';
import { findLiveToken, issueToken, markUsed } from './tokens.ts';

const invalidLink = () =>
  badRequest('invalid_token', 'This link is invalid, was already used or has expired. Ask for a new one.');

/**
 * Queues an invitation (a link to set a password, valid 7 days) for a contact, through its company's
 * brand; any earlier invitation link stops working. Runs in the caller's tenant transaction.
 */
export async function queueInvite(
  tx: Queryable,
  deps: Deps,
  operatorId: string,
  actor: Actor,
  contactId: string,
): Promise<{ sent_to: string; domain: string }> {
  const [c] = await tx.query<{
    id: string;
    name: string;
    email: string;
    company_id: string;
    company: string;
  }>(
    `SELECT c.id, c.name, c.email, c.company_id, co.name AS company
       FROM contacts c JOIN companies co ON co.operator_id = c.operator_id AND co.id = c.company_id
      WHERE c.id = $1`,
    [contactId],
  );
  if (!c) throw notFound('Contact');
  const portal = await companyPortal(tx, c.company_id);
  if (!portal) {
    throw conflict(
      'no_portal_domain',
      'There is no portal domain to invite this contact to. Add a domain first, or set a password.',
    );
  }
  const token = await issueToken(tx, { operatorId, contactId, purpose: 'invite', domainId: portal.id });
  await queueMail(tx, {
    operatorId,
    domainId: portal.id,
    to: c.email,
    template: 'invite',
    vars: {
      name: c.name,
      company: c.company,
      url: `${publicUrl(deps.env, portal.domain)}/set-password#token=${token}`,
    },
  });
  await audit(tx, operatorId, actor, {
    action: 'contact.invite',
    entityType: 'contact',
    entityId: contactId,
    after: { email: c.email, domain: portal.domain },
  });
  return { sent_to: c.email, domain: portal.domain };
}

/** Console: sends (again) an invitation to a contact of a company. */
export async function inviteContact(ctx: TenantCtx, companyId: string, contactId: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const rows = await tx.query('SELECT 1 FROM contacts WHERE company_id = $1 AND id = $2', [
      companyId,
      contactId,
    ]);
    if (!rows[0]) throw notFound('Contact');
    return queueInvite(tx, ctx.deps, ctx.operatorId, ctx.actor, contactId);
  });
}

/**
 * Portal "forgot password": queues a reset link (valid 1 hour) when the email belongs to a contact
 * who may sign in on this brand. The caller answers the same whatever happened.
 */
export async function requestPasswordReset(deps: Deps, brand: Brand, email: string): Promise<void> {
  await withTenant(deps.db, brand.operatorId, async (tx) => {
    const [c] = await tx.query<{ id: string; name: string; email: string }>(
      `SELECT c.id, c.name, c.email
         FROM contacts c JOIN companies co ON co.operator_id = c.operator_id AND co.id = c.company_id
        WHERE lower(c.email) = lower($1) AND co.portal_access AND co.status <> 'closed'
          AND (co.domain_id IS NULL OR co.domain_id = $2)`,
      [email, brand.domainId],
    );
    if (!c) return;
    const token = await issueToken(tx, {
      operatorId: brand.operatorId,
      contactId: c.id,
      purpose: 'reset',
      domainId: brand.domainId,
    });
    await queueMail(tx, {
      operatorId: brand.operatorId,
      domainId: brand.domainId,
      to: c.email,
      template: 'password_reset',
      vars: { name: c.name, url: `${publicUrl(deps.env, brand.domain)}/reset-password#token=${token}` },
    });
  });
}

/**
 * Sets a password with an invitation or reset token from a mail: the token is spent, every other
 * such link of the contact stops working, and every session of the contact ends.
 */
export async function setPasswordWithToken(
  deps: Deps,
  brand: Brand,
  token: string,
  password: string,
): Promise<{ email: string }> {
  checkNewPassword(password, '');
  // The hash is computed before the transaction so no row stays locked during the work.
  const hash = await hashPassword(password);
  return withTenant(deps.db, brand.operatorId, async (tx) => {
    const t = await findLiveToken(tx, token, ['invite', 'reset'], {
      operatorId: brand.operatorId,
      domainId: brand.domainId,
    });
    if (!t) throw invalidLink();
    const [c] = await tx.query<{ email: string }>('SELECT email FROM contacts WHERE id = $1 FOR UPDATE', [
      t.contact_id,
    ]);
    if (!c) throw invalidLink();
    checkNewPassword(password, c.email);
    await markUsed(tx, t);
    await tx.query(
      `UPDATE contact_tokens SET used_at = now()
        WHERE contact_id = $1 AND purpose IN ('invite', 'reset') AND used_at IS NULL`,
      [t.contact_id],
    );
    await tx.query('UPDATE contacts SET password_hash = $2, password_changed_at = now() WHERE id = $1', [
      t.contact_id,
      hash,
    ]);
    await tx.query("DELETE FROM sessions WHERE kind = 'contact' AND user_id = $1", [t.contact_id]);
    await audit(
      tx,
      brand.operatorId,
      { type: 'contact', id: t.contact_id, label: c.email },
      {
        action: t.purpose === 'invite' ? 'contact.accept_invite' : 'contact.reset_password_by_link',
        entityType: 'contact',
        entityId: t.contact_id,
      },
    );
    return { email: c.email };
  });
}
