/** Companies (customers and carriers) of one operator, with their portal access overrides. */

import { isCurrency } from '../../../common/currencies.ts';
import { getFeature, isFeatureId, resolveAccess, type UserType } from '../../../common/features.ts';
import type { TenantCtx } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { audit, diff } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { allocatedChannels } from '../authlists/channel-budget.ts';
import { presentCompany } from './companies.presenter.ts';
import type { CompanyInput } from './companies.schema.ts';

const COLUMNS = [
  'type',
  'name',
  'status',
  'currency',
  'debit_limit',
  'domain_id',
  'portal_access',
  'show',
  'hide',
  'channels',
  'cps',
] as const;

function validate(input: CompanyInput): CompanyInput {
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
  for (const list of ['show', 'hide'] as const) {
    const ids = out[list];
    if (!ids) continue;
    out[list] = [...new Set(ids)];
    const bad = ids.find((id) => !isFeatureId(id));
    if (bad) throw badRequest('unknown_feature', `Unknown feature id “${bad}”`, { field: list });
  }
  return out;
}

async function loadRow(tx: Tx, id: string, lock = false) {
  const rows = await tx.query<Record<string, unknown>>(
    `SELECT * FROM companies WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  if (!rows[0]) throw notFound('Company');
  return rows[0];
}

async function checkDomain(tx: Tx, domainId: string | null | undefined) {
  if (!domainId) return;
  const rows = await tx.query('SELECT 1 FROM portal_domains WHERE id = $1', [domainId]);
  if (!rows[0]) throw badRequest('invalid_domain', 'The domain does not exist', { field: 'domain_id' });
}

export async function listCompanies(
  ctx: TenantCtx,
  q: { q?: string; type?: string; status?: string; domain_id?: string; page: number; page_size: number },
) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const params = [
      q.q ? `%${q.q.toLowerCase()}%` : null,
      q.type ?? null,
      q.status ?? null,
      q.domain_id ?? null,
    ];
    const where = `WHERE ($1::text IS NULL OR lower(name) LIKE $1) AND ($2::text IS NULL OR type = $2)
                     AND ($3::text IS NULL OR status = $3) AND ($4::uuid IS NULL OR domain_id = $4)`;
    const [count] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM companies ${where}`,
      params,
    );
    const rows = await tx.query(
      `SELECT * FROM companies ${where} ORDER BY lower(name), id LIMIT $5 OFFSET $6`,
      [...params, q.page_size, (q.page - 1) * q.page_size],
    );
    return { items: rows.map(presentCompany), total: count?.n ?? 0, page: q.page, page_size: q.page_size };
  });
}

export async function getCompany(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => presentCompany(await loadRow(tx, id)));
}

export async function createCompany(ctx: TenantCtx, raw: CompanyInput) {
  const input = validate(raw);
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await checkDomain(tx, input.domain_id);
    const names = COLUMNS.filter((c) => input[c] !== undefined);
    const [row] = await tx.query(
      `INSERT INTO companies (operator_id, ${names.join(', ')}) VALUES ($1, ${names.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING *`,
      [ctx.operatorId, ...names.map((n) => input[n])],
    );
    const dto = presentCompany(row!);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'company.create',
      entityType: 'company',
      entityId: dto.id,
      after: { ...dto },
    });
    return dto;
  });
}

export async function updateCompany(ctx: TenantCtx, id: string, raw: CompanyInput) {
  const input = validate(raw);
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    // The row lock orders this change after (or before) concurrent SIP user changes of the company.
    const before = presentCompany(await loadRow(tx, id, true));
    await checkDomain(tx, input.domain_id);
    if (input.channels != null && input.channels !== before.channels) {
      const held = await allocatedChannels(tx, id);
      if (held > input.channels)
        throw conflict(
          'channel_limit_below_allocation',
          `The company’s SIP users hold ${held} channels: the channel limit cannot be lower than that. Lower their channels first.`,
          { field: 'channels', allocated: held },
        );
    }
    const names = COLUMNS.filter((c) => input[c] !== undefined);
    const set = names.map((n, i) => `${n} = $${i + 2}`).join(', ');
    const [row] = await tx.query(
      `UPDATE companies SET ${set}${set ? ', ' : ''}updated_at = now() WHERE id = $1 RETURNING *`,
      [id, ...names.map((n) => input[n])],
    );
    const after = presentCompany(row!);
    const changed = diff({ ...before }, { ...after });
    if (Object.keys(changed.after).length > 0) {
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'company.update',
        entityType: 'company',
        entityId: id,
        ...changed,
      });
    }
    return after;
  });
}

/** Every feature's effective state for one company on its domain, with the reason (SPEC section 3). */
export async function companyAccess(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [row] = await tx.query<{
      type: UserType;
      show: string[];
      hide: string[];
      portal_access: boolean;
      features: Record<string, boolean> | null;
      domain: string | null;
    }>(
      `SELECT c.type, c.show, c.hide, c.portal_access, d.features, d.domain
         FROM companies c LEFT JOIN portal_domains d ON d.operator_id = c.operator_id AND d.id = c.domain_id
        WHERE c.id = $1`,
      [id],
    );
    if (!row) throw notFound('Company');
    const access = resolveAccess({
      userType: row.type,
      domainFeatures: row.features ?? {},
      show: row.show,
      hide: row.hide,
    });
    return {
      company_id: id,
      user_type: row.type,
      portal_access: row.portal_access,
      domain: row.domain,
      features: access.map((a) => {
        const f = getFeature(a.id)!;
        return {
          id: a.id,
          label: f.label,
          group: f.group,
          parent: f.parent ?? null,
          effective: a.effective,
          reason: a.reason,
        };
      }),
    };
  });
}
