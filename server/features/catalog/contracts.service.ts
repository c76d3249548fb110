/**
 * Contracts with immutable revisions, and their assignments to companies: one revision each, a grace date and
 * a required flag. A new revision never changes an assignment by itself; moving one to the latest revision
 * clears its approval, since the company must approve the new text.
 */
import type { TenantCtx } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { audit, diff } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { presentContract, presentContractAssignment, presentRevision } from './catalog.presenter.ts';
import type { ContractAssignmentInput } from './catalog.schema.ts';

const CONTRACT_SELECT = `SELECT k.*,
       (SELECT max(r.revision) FROM contract_revisions r WHERE r.operator_id = k.operator_id AND r.contract_id = k.id)
         AS latest_revision,
       (SELECT count(*)::int FROM contract_assignments a WHERE a.operator_id = k.operator_id AND a.contract_id = k.id)
         AS assignments
  FROM contracts k`;

const uniqueName = (e: { code?: string }) => {
  if (e.code === '23505')
    throw conflict('name_taken', 'A contract with this name already exists', { field: 'name' });
  throw e;
};

async function loadContract(tx: Tx, id: string) {
  const [row] = await tx.query<Record<string, unknown>>(`${CONTRACT_SELECT} WHERE k.id = $1`, [id]);
  if (!row) throw notFound('Contract');
  return presentContract(row);
}

function cleanName(name: string): string {
  const out = name.trim();
  if (!out) throw badRequest('invalid_name', 'The name cannot be empty', { field: 'name' });
  return out;
}

function cleanBody(body: string): string {
  if (!body.trim()) throw badRequest('invalid_body', 'The contract text cannot be empty', { field: 'body' });
  return body.replace(/\r\n/g, '\n');
}

export async function listContracts(ctx: TenantCtx, q: { q?: string; page: number; page_size: number }) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const params = [q.q ? `%${q.q.toLowerCase()}%` : null];
    const where = 'WHERE ($1::text IS NULL OR lower(k.name) LIKE $1)';
    const [count] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM contracts k ${where}`,
      params,
    );
    const rows = await tx.query(
      `${CONTRACT_SELECT} ${where} ORDER BY lower(k.name), k.id LIMIT $2 OFFSET $3`,
      [...params, q.page_size, (q.page - 1) * q.page_size],
    );
    return { items: rows.map(presentContract), total: count?.n ?? 0, page: q.page, page_size: q.page_size };
  });
}

/** One contract with all its revisions, newest first. */
export async function getContract(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const contract = await loadContract(tx, id);
    const revisions = await tx.query(
      'SELECT * FROM contract_revisions WHERE contract_id = $1 ORDER BY revision DESC',
      [id],
    );
    return { ...contract, revisions: revisions.map(presentRevision) };
  });
}

export async function createContract(ctx: TenantCtx, input: { name: string; body: string }) {
  const name = cleanName(input.name);
  const body = cleanBody(input.body);
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [row] = await tx
      .query<{ id: string }>('INSERT INTO contracts (operator_id, name) VALUES ($1, $2) RETURNING id', [
        ctx.operatorId,
        name,
      ])
      .catch(uniqueName);
    await tx.query(
      'INSERT INTO contract_revisions (operator_id, contract_id, revision, body) VALUES ($1, $2, 1, $3)',
      [ctx.operatorId, row!.id, body],
    );
    const dto = await loadContract(tx, row!.id);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'contract.create',
      entityType: 'contract',
      entityId: dto.id,
      after: { name: dto.name, revision: 1 },
    });
    return dto;
  });
}

export async function renameContract(ctx: TenantCtx, id: string, input: { name: string }) {
  const name = cleanName(input.name);
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await loadContract(tx, id);
    await tx
      .query('UPDATE contracts SET name = $2, updated_at = now() WHERE id = $1', [id, name])
      .catch(uniqueName);
    const after = await loadContract(tx, id);
    if (before.name !== after.name)
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'contract.update',
        entityType: 'contract',
        entityId: id,
        before: { name: before.name },
        after: { name: after.name },
      });
    return after;
  });
}

/** Adds a revision (never edits one); the contract row is locked so revision numbers never collide. */
export async function addRevision(ctx: TenantCtx, id: string, input: { body: string }) {
  const body = cleanBody(input.body);
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [locked] = await tx.query('SELECT 1 FROM contracts WHERE id = $1 FOR UPDATE', [id]);
    if (!locked) throw notFound('Contract');
    const [row] = await tx.query(
      `INSERT INTO contract_revisions (operator_id, contract_id, revision, body)
       SELECT $1, $2, COALESCE(max(revision), 0) + 1, $3 FROM contract_revisions WHERE contract_id = $2
       RETURNING *`,
      [ctx.operatorId, id, body],
    );
    await tx.query('UPDATE contracts SET updated_at = now() WHERE id = $1', [id]);
    const dto = presentRevision(row!);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'contract.revise',
      entityType: 'contract',
      entityId: id,
      after: { revision: dto.revision },
    });
    return dto;
  });
}

export async function deleteContract(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await loadContract(tx, id);
    if (before.assignments > 0)
      throw conflict(
        'contract_in_use',
        `The contract is assigned to ${before.assignments} company(ies): remove those first`,
        { assignments: before.assignments },
      );
    await tx.query('DELETE FROM contracts WHERE id = $1', [id]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'contract.delete',
      entityType: 'contract',
      entityId: id,
      before: { name: before.name },
    });
  });
}

// ---- assignments

export const ASSIGNMENT_SELECT = `SELECT a.*, c.name AS company_name, k.name AS contract_name, r.revision,
       (SELECT max(x.revision) FROM contract_revisions x WHERE x.operator_id = a.operator_id
           AND x.contract_id = a.contract_id) AS latest_revision
  FROM contract_assignments a
  JOIN companies c ON c.operator_id = a.operator_id AND c.id = a.company_id
  JOIN contracts k ON k.operator_id = a.operator_id AND k.id = a.contract_id
  JOIN contract_revisions r ON r.operator_id = a.operator_id AND r.id = a.revision_id`;

async function requireCompany(tx: Tx, companyId: string) {
  const [c] = await tx.query('SELECT 1 FROM companies WHERE id = $1', [companyId]);
  if (!c) throw notFound('Company');
}

export async function listContractAssignments(
  ctx: TenantCtx,
  by: { companyId?: string; contractId?: string },
) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    if (by.companyId) await requireCompany(tx, by.companyId);
    if (by.contractId) await loadContract(tx, by.contractId);
    const rows = await tx.query(
      `${ASSIGNMENT_SELECT} WHERE ($1::uuid IS NULL OR a.company_id = $1) AND ($2::uuid IS NULL OR a.contract_id = $2)
        ORDER BY a.assigned_at DESC, a.id`,
      [by.companyId ?? null, by.contractId ?? null],
    );
    return { items: rows.map(presentContractAssignment) };
  });
}

async function loadAssignment(tx: Tx, companyId: string, id: string) {
  const [row] = await tx.query<Record<string, unknown>>(
    `${ASSIGNMENT_SELECT} WHERE a.company_id = $1 AND a.id = $2`,
    [companyId, id],
  );
  if (!row) throw notFound('Contract assignment');
  return presentContractAssignment(row);
}

/** Assigns a contract's latest revision to a company, unapproved. */
export async function assignContract(ctx: TenantCtx, companyId: string, input: ContractAssignmentInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await requireCompany(tx, companyId);
    const [latest] = await tx.query<{ id: string }>(
      'SELECT id FROM contract_revisions WHERE contract_id = $1 ORDER BY revision DESC LIMIT 1',
      [input.contract_id],
    );
    if (!latest)
      throw badRequest('invalid_contract', 'The contract does not exist', { field: 'contract_id' });
    const [row] = await tx
      .query<{ id: string }>(
        `INSERT INTO contract_assignments (operator_id, company_id, contract_id, revision_id, grace_date, required)
         VALUES ($1, $2, $3, $4, $5, COALESCE($6, true)) RETURNING id`,
        [
          ctx.operatorId,
          companyId,
          input.contract_id,
          latest.id,
          input.grace_date ?? null,
          input.required ?? null,
        ],
      )
      .catch((e: { code?: string }) => {
        if (e.code === '23505')
          throw conflict('already_assigned', 'The company already has this contract', {
            field: 'contract_id',
          });
        throw e;
      });
    const dto = await loadAssignment(tx, companyId, row!.id);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'contract.assign',
      entityType: 'company',
      entityId: companyId,
      after: { ...dto },
    });
    return dto;
  });
}

export async function updateContractAssignment(
  ctx: TenantCtx,
  companyId: string,
  id: string,
  input: ContractAssignmentInput,
) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await loadAssignment(tx, companyId, id);
    await tx.query(
      `UPDATE contract_assignments SET
              grace_date = CASE WHEN $3 THEN $4::timestamptz ELSE grace_date END,
              required = COALESCE($5, required)
        WHERE company_id = $1 AND id = $2`,
      [companyId, id, input.grace_date !== undefined, input.grace_date ?? null, input.required ?? null],
    );
    if (input.latest_revision && before.revision !== before.latest_revision) {
      await tx.query(
        `UPDATE contract_assignments a SET approved_at = NULL, approved_by_name = NULL, approved_by_contact_id = NULL,
                assigned_at = now(),
                revision_id = (SELECT r.id FROM contract_revisions r WHERE r.contract_id = a.contract_id
                                ORDER BY r.revision DESC LIMIT 1)
          WHERE company_id = $1 AND id = $2`,
        [companyId, id],
      );
    }
    const after = await loadAssignment(tx, companyId, id);
    const changed = diff({ ...before }, { ...after });
    if (Object.keys(changed.after).length > 0)
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'contract.assignment_update',
        entityType: 'company',
        entityId: companyId,
        ...changed,
      });
    return after;
  });
}

export async function unassignContract(ctx: TenantCtx, companyId: string, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await loadAssignment(tx, companyId, id);
    await tx.query('DELETE FROM contract_assignments WHERE company_id = $1 AND id = $2', [companyId, id]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'contract.unassign',
      entityType: 'company',
      entityId: companyId,
      before: { ...before },
    });
  });
}
