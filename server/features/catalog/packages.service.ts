/** Packages (products sold on a schedule) and their assignments to companies; charging comes later. */
import { isCurrency } from '../../../common/currencies.ts';
import type { TenantCtx } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { audit, diff } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { presentPackage, presentPackageAssignment } from './catalog.presenter.ts';
import type { PackageAssignmentInput, PackageInput } from './catalog.schema.ts';

const COLUMNS = [
  'name',
  'description',
  'type',
  'currency',
  'cost',
  'retail',
  'setup_cost',
  'setup_retail',
  'frequency',
  'frequency_match',
  'minimum_days',
  'destination_regex',
  'free_minutes',
  'minimum_spend',
] as const;

function validate(input: PackageInput): PackageInput {
  const out = { ...input };
  if (out.name !== undefined) {
    out.name = out.name.trim();
    if (!out.name) throw badRequest('invalid_name', 'The name cannot be empty', { field: 'name' });
  }
  if (out.currency !== undefined) {
    out.currency = out.currency.toUpperCase();
    if (!isCurrency(out.currency))
      throw badRequest('unknown_currency', `“${input.currency}” is not an ISO 4217 currency code`, {
        field: 'currency',
      });
  }
  if (out.frequency_match) out.frequency_match = [...new Set(out.frequency_match)].sort((a, b) => a - b);
  if (out.destination_regex) {
    try {
      new RegExp(out.destination_regex);
    } catch {
      throw badRequest('invalid_regex', 'The destination pattern is not a valid regular expression', {
        field: 'destination_regex',
      });
    }
  }
  return out;
}

function checkSchedule(p: { frequency: string; frequency_match: number[] }) {
  if (p.frequency === 'weekly' && p.frequency_match.some((d) => d > 7))
    throw badRequest(
      'invalid_frequency_match',
      'Weekly packages are charged on days 1 (Monday) to 7 (Sunday)',
      {
        field: 'frequency_match',
      },
    );
}

const uniqueName = (e: { code?: string }) => {
  if (e.code === '23505')
    throw conflict('name_taken', 'A package with this name already exists', { field: 'name' });
  throw e;
};

async function loadRow(tx: Tx, id: string) {
  const [row] = await tx.query<Record<string, unknown>>('SELECT * FROM packages WHERE id = $1', [id]);
  if (!row) throw notFound('Package');
  return row;
}

export async function listPackages(ctx: TenantCtx, q: { q?: string; page: number; page_size: number }) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const params = [q.q ? `%${q.q.toLowerCase()}%` : null];
    const where = 'WHERE ($1::text IS NULL OR lower(p.name) LIKE $1)';
    const [count] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM packages p ${where}`,
      params,
    );
    const rows = await tx.query(
      `SELECT p.*, (SELECT count(*)::int FROM package_assignments a WHERE a.operator_id = p.operator_id
                      AND a.package_id = p.id) AS assignments
         FROM packages p ${where} ORDER BY lower(p.name), p.id LIMIT $2 OFFSET $3`,
      [...params, q.page_size, (q.page - 1) * q.page_size],
    );
    return {
      items: rows.map((r) => ({ ...presentPackage(r), assignments: Number(r.assignments) })),
      total: count?.n ?? 0,
      page: q.page,
      page_size: q.page_size,
    };
  });
}

export async function getPackage(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => presentPackage(await loadRow(tx, id)));
}

export async function createPackage(ctx: TenantCtx, raw: PackageInput) {
  const input = validate(raw);
  checkSchedule({ frequency: input.frequency ?? 'monthly', frequency_match: input.frequency_match ?? [] });
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const names = COLUMNS.filter((c) => input[c] !== undefined);
    const [row] = await tx
      .query(
        `INSERT INTO packages (operator_id, ${names.join(', ')})
         VALUES ($1, ${names.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING *`,
        [ctx.operatorId, ...names.map((n) => input[n])],
      )
      .catch(uniqueName);
    const dto = presentPackage(row!);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'package.create',
      entityType: 'package',
      entityId: dto.id,
      after: { ...dto },
    });
    return dto;
  });
}

export async function updatePackage(ctx: TenantCtx, id: string, raw: PackageInput) {
  const input = validate(raw);
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = presentPackage(await loadRow(tx, id));
    checkSchedule({
      frequency: input.frequency ?? before.frequency,
      frequency_match: input.frequency_match ?? before.frequency_match,
    });
    const names = COLUMNS.filter((c) => input[c] !== undefined);
    const set = names.map((n, i) => `${n} = $${i + 2}`).join(', ');
    const [row] = await tx
      .query(`UPDATE packages SET ${set}${set ? ', ' : ''}updated_at = now() WHERE id = $1 RETURNING *`, [
        id,
        ...names.map((n) => input[n]),
      ])
      .catch(uniqueName);
    const after = presentPackage(row!);
    const changed = diff({ ...before }, { ...after });
    if (Object.keys(changed.after).length > 0)
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'package.update',
        entityType: 'package',
        entityId: id,
        ...changed,
      });
    return after;
  });
}

export async function deletePackage(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = presentPackage(await loadRow(tx, id));
    const [used] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM package_assignments WHERE package_id = $1',
      [id],
    );
    if (used && used.n > 0)
      throw conflict(
        'package_in_use',
        `The package is assigned to ${used.n} company(ies): remove those first`,
        {
          assignments: used.n,
        },
      );
    await tx.query('DELETE FROM packages WHERE id = $1', [id]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'package.delete',
      entityType: 'package',
      entityId: id,
      before: { ...before },
    });
  });
}

// ---- assignments

const ASSIGNMENT_SELECT = `SELECT a.id, a.company_id, a.package_id, a.quantity, a.start_date::text AS start_date,
       a.end_date::text AS end_date, a.auto_decrement, a.created_at, c.name AS company_name, p.name AS package_name
  FROM package_assignments a
  JOIN companies c ON c.operator_id = a.operator_id AND c.id = a.company_id
  JOIN packages p ON p.operator_id = a.operator_id AND p.id = a.package_id`;

async function requireCompany(tx: Tx, companyId: string) {
  const [c] = await tx.query('SELECT 1 FROM companies WHERE id = $1', [companyId]);
  if (!c) throw notFound('Company');
}

/** Assignments of one company, or of one package (exactly one of the two filters). */
export async function listPackageAssignments(ctx: TenantCtx, by: { companyId?: string; packageId?: string }) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    if (by.companyId) await requireCompany(tx, by.companyId);
    if (by.packageId) await loadRow(tx, by.packageId);
    const rows = await tx.query(
      `${ASSIGNMENT_SELECT} WHERE ($1::uuid IS NULL OR a.company_id = $1) AND ($2::uuid IS NULL OR a.package_id = $2)
        ORDER BY a.start_date DESC, lower(c.name), a.id`,
      [by.companyId ?? null, by.packageId ?? null],
    );
    return { items: rows.map(presentPackageAssignment) };
  });
}

async function loadAssignment(tx: Tx, companyId: string, id: string) {
  const [row] = await tx.query<Record<string, unknown>>(
    `${ASSIGNMENT_SELECT} WHERE a.company_id = $1 AND a.id = $2`,
    [companyId, id],
  );
  if (!row) throw notFound('Package assignment');
  return presentPackageAssignment(row);
}

const badDates = (e: { code?: string }) => {
  if (e.code === '23514')
    throw badRequest('invalid_dates', 'The end date cannot be before the start date', { field: 'end_date' });
  if (e.code === '22008' || e.code === '22007')
    throw badRequest('invalid_date', 'A date is not a valid calendar date', { field: 'start_date' });
  throw e;
};

export async function assignPackage(ctx: TenantCtx, companyId: string, input: PackageAssignmentInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await requireCompany(tx, companyId);
    const [pkg] = await tx.query('SELECT 1 FROM packages WHERE id = $1', [input.package_id]);
    if (!pkg) throw badRequest('invalid_package', 'The package does not exist', { field: 'package_id' });
    const [row] = await tx
      .query<{ id: string }>(
        `INSERT INTO package_assignments (operator_id, company_id, package_id, quantity, start_date, end_date, auto_decrement)
         VALUES ($1, $2, $3, COALESCE($4, 1), COALESCE($5::date, current_date), $6::date, COALESCE($7, true)) RETURNING id`,
        [
          ctx.operatorId,
          companyId,
          input.package_id,
          input.quantity ?? null,
          input.start_date ?? null,
          input.end_date ?? null,
          input.auto_decrement ?? null,
        ],
      )
      .catch(badDates);
    const dto = await loadAssignment(tx, companyId, row!.id);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'package.assign',
      entityType: 'company',
      entityId: companyId,
      after: { ...dto },
    });
    return dto;
  });
}

export async function updatePackageAssignment(
  ctx: TenantCtx,
  companyId: string,
  id: string,
  input: PackageAssignmentInput,
) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await loadAssignment(tx, companyId, id);
    await tx
      .query(
        `UPDATE package_assignments SET quantity = COALESCE($3, quantity), start_date = COALESCE($4::date, start_date),
                end_date = CASE WHEN $5 THEN $6::date ELSE end_date END, auto_decrement = COALESCE($7, auto_decrement)
          WHERE company_id = $1 AND id = $2`,
        [
          companyId,
          id,
          input.quantity ?? null,
          input.start_date ?? null,
          input.end_date !== undefined,
          input.end_date ?? null,
          input.auto_decrement ?? null,
        ],
      )
      .catch(badDates);
    const after = await loadAssignment(tx, companyId, id);
    const changed = diff({ ...before }, { ...after });
    if (Object.keys(changed.after).length > 0)
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'package.assignment_update',
        entityType: 'company',
        entityId: companyId,
        ...changed,
      });
    return after;
  });
}

export async function unassignPackage(ctx: TenantCtx, companyId: string, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await loadAssignment(tx, companyId, id);
    await tx.query('DELETE FROM package_assignments WHERE company_id = $1 AND id = $2', [companyId, id]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'package.unassign',
      entityType: 'company',
      entityId: companyId,
      before: { ...before },
    });
  });
}
