/** Contacts of a company: people who log in to the portal. */
import type { TenantCtx } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { audit } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { isEmail } from '../../lib/format.ts';
import { hashPassword } from '../../lib/passwords.ts';
import { queueInvite } from '../contacts/lifecycle.service.ts';
import { presentContact } from './companies.presenter.ts';

async function requireCompany(tx: Tx, companyId: string) {
  const rows = await tx.query('SELECT 1 FROM companies WHERE id = $1', [companyId]);
  if (!rows[0]) throw notFound('Company');
}

export async function listContacts(ctx: TenantCtx, companyId: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await requireCompany(tx, companyId);
    const rows = await tx.query('SELECT * FROM contacts WHERE company_id = $1 ORDER BY lower(name)', [
      companyId,
    ]);
    return { items: rows.map(presentContact) };
  });
}

export async function createContact(
  ctx: TenantCtx,
  companyId: string,
  input: { name: string; email: string; password?: string },
) {
  const email = input.email.trim().toLowerCase();
  if (!isEmail(email))
    throw badRequest('invalid_email', `“${input.email}” is not an email address`, { field: 'email' });
  const name = input.name.trim();
  if (!name) throw badRequest('invalid_name', 'The name cannot be empty', { field: 'name' });
  const hash = input.password ? await hashPassword(input.password) : null;
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await requireCompany(tx, companyId);
    const [row] = await tx
      .query(
        'INSERT INTO contacts (operator_id, company_id, name, email, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING *',
        [ctx.operatorId, companyId, name, email, hash],
      )
      .catch((e: { code?: string }) => {
        if (e.code === '23505')
          throw conflict('email_taken', `A contact with the email ${email} already exists`, {
            field: 'email',
          });
        throw e;
      });
    const dto = presentContact(row!);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'contact.create',
      entityType: 'contact',
      entityId: dto.id,
      after: { ...dto, password_set: hash !== null },
    });
    // No password: the contact gets an invitation to choose one.
    if (hash === null) await queueInvite(tx, ctx.deps, ctx.operatorId, ctx.actor, dto.id);
    return dto;
  });
}

/** Sets a new password and ends every session of the contact. */
export async function resetContactPassword(
  ctx: TenantCtx,
  companyId: string,
  contactId: string,
  password: string,
) {
  const hash = await hashPassword(password);
  await withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const rows = await tx.query(
      'UPDATE contacts SET password_hash = $3 WHERE company_id = $1 AND id = $2 RETURNING id',
      [companyId, contactId, hash],
    );
    if (!rows[0]) throw notFound('Contact');
    await tx.query("DELETE FROM sessions WHERE kind = 'contact' AND user_id = $1", [contactId]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'contact.reset_password',
      entityType: 'contact',
      entityId: contactId,
    });
  });
}
