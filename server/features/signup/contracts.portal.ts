/**
 * The portal's contracts: a contact sees the company's contracts with their text and approves each one by
 * typing their name and ticking "I agree"; the approval is recorded with the time and the contact.
 */
import type { ContactPrincipal, Deps } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { audit } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { isoOrNull } from '../../lib/format.ts';

const SELECT = `SELECT a.id, k.name, r.revision, r.body, a.required, a.grace_date, a.assigned_at, a.approved_at,
       a.approved_by_name
  FROM contract_assignments a
  JOIN contracts k ON k.operator_id = a.operator_id AND k.id = a.contract_id
  JOIN contract_revisions r ON r.operator_id = a.operator_id AND r.id = a.revision_id`;

function present(r: Record<string, unknown>) {
  return {
    id: String(r.id),
    name: String(r.name),
    revision: Number(r.revision),
    body: String(r.body),
    required: Boolean(r.required),
    grace_date: isoOrNull(r.grace_date),
    created_at: isoOrNull(r.assigned_at)!,
    approved_at: isoOrNull(r.approved_at),
    approved_by_name: r.approved_by_name == null ? null : String(r.approved_by_name),
  };
}

export type PortalContractDto = ReturnType<typeof present>;

/** The company's contracts: waiting ones first (required before optional), then approved ones. */
export async function listCompanyContracts(deps: Deps, c: ContactPrincipal) {
  return withTenant(deps.db, c.operatorId, async (tx) => {
    const rows = await tx.query(
      `${SELECT} WHERE a.company_id = $1
        ORDER BY (a.approved_at IS NOT NULL), a.required DESC, a.grace_date NULLS LAST, lower(k.name), a.id`,
      [c.company.id],
    );
    const items = rows.map(present);
    return { items, pending_required: items.filter((i) => i.required && !i.approved_at).length };
  });
}

/** Approves one contract of the contact's own company. */
export async function approveContract(
  deps: Deps,
  c: ContactPrincipal,
  id: string,
  input: { name: string; agree: boolean },
) {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (!name) throw badRequest('name_required', 'Type your full name to sign', { field: 'name' });
  if (input.agree !== true)
    throw badRequest('agreement_required', 'Tick “I agree” to approve', { field: 'agree' });
  return withTenant(deps.db, c.operatorId, async (tx) => {
    const [row] = await tx.query<{ approved_at: Date | null }>(
      'SELECT approved_at FROM contract_assignments WHERE company_id = $1 AND id = $2 FOR UPDATE',
      [c.company.id, id],
    );
    if (!row) throw notFound('Contract');
    if (row.approved_at) throw conflict('already_approved', 'This contract is already approved');
    await tx.query(
      `UPDATE contract_assignments SET approved_at = now(), approved_by_name = $3, approved_by_contact_id = $4
        WHERE company_id = $1 AND id = $2`,
      [c.company.id, id, name, c.userId],
    );
    const [after] = await tx.query(`${SELECT} WHERE a.company_id = $1 AND a.id = $2`, [c.company.id, id]);
    const dto = present(after!);
    await audit(
      tx,
      c.operatorId,
      { type: 'contact', id: c.userId, label: c.email },
      {
        action: 'contract.approve',
        entityType: 'company',
        entityId: c.company.id,
        after: { contract: dto.name, revision: dto.revision, approved_by_name: name },
      },
    );
    return dto;
  });
}
