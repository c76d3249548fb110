/** Alerts on a company's balance or traffic: stored and edited here, evaluated by a later feature. */
import type { TenantCtx } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { audit, diff } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { isEmail } from '../../lib/format.ts';
import { presentAlert } from './catalog.presenter.ts';
import type { AlertInput } from './catalog.schema.ts';

const COLUMNS = [
  'title',
  'recipient',
  'area',
  'comparator',
  'threshold',
  'reset_threshold',
  'sample_minutes',
  'penalty_minutes',
  'repeat_minutes',
  'notice_level',
  'enabled',
] as const;

function validate(input: AlertInput): AlertInput {
  const out = { ...input };
  if (out.title !== undefined) {
    out.title = out.title.trim();
    if (!out.title) throw badRequest('invalid_title', 'The title cannot be empty', { field: 'title' });
  }
  if (out.recipient !== undefined && out.recipient !== null) {
    out.recipient = out.recipient.trim().toLowerCase() || null;
    if (out.recipient && !isEmail(out.recipient))
      throw badRequest('invalid_email', `“${input.recipient}” is not an email address`, {
        field: 'recipient',
      });
  }
  return out;
}

const uniqueTitle = (e: { code?: string }) => {
  if (e.code === '23505')
    throw conflict('title_taken', 'This company already has an alert with that title', { field: 'title' });
  throw e;
};

async function loadRow(tx: Tx, id: string) {
  const [row] = await tx.query<Record<string, unknown>>('SELECT * FROM alerts WHERE id = $1', [id]);
  if (!row) throw notFound('Alert');
  return row;
}

export async function listAlerts(
  ctx: TenantCtx,
  q: { company_id?: string; area?: string; q?: string; page: number; page_size: number },
) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const params = [q.company_id ?? null, q.area ?? null, q.q ? `%${q.q.toLowerCase()}%` : null];
    const where = `WHERE ($1::uuid IS NULL OR a.company_id = $1) AND ($2::text IS NULL OR a.area = $2)
                     AND ($3::text IS NULL OR lower(a.title) LIKE $3 OR lower(c.name) LIKE $3)`;
    const from = 'FROM alerts a JOIN companies c ON c.operator_id = a.operator_id AND c.id = a.company_id';
    const [count] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n ${from} ${where}`, params);
    const rows = await tx.query(
      `SELECT a.*, c.name AS company_name ${from} ${where}
        ORDER BY lower(c.name), lower(a.title), a.id LIMIT $4 OFFSET $5`,
      [...params, q.page_size, (q.page - 1) * q.page_size],
    );
    return {
      items: rows.map((r) => ({ ...presentAlert(r), company_name: String(r.company_name) })),
      total: count?.n ?? 0,
      page: q.page,
      page_size: q.page_size,
    };
  });
}

export async function getAlert(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => presentAlert(await loadRow(tx, id)));
}

export async function createAlert(ctx: TenantCtx, raw: AlertInput) {
  const input = validate(raw);
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [company] = await tx.query('SELECT 1 FROM companies WHERE id = $1', [input.company_id]);
    if (!company) throw badRequest('invalid_company', 'The company does not exist', { field: 'company_id' });
    const names = COLUMNS.filter((c) => input[c] !== undefined);
    const [row] = await tx
      .query(
        `INSERT INTO alerts (operator_id, company_id, ${names.join(', ')})
         VALUES ($1, $2, ${names.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING *`,
        [ctx.operatorId, input.company_id, ...names.map((n) => input[n])],
      )
      .catch(uniqueTitle);
    const dto = presentAlert(row!);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'alert.create',
      entityType: 'alert',
      entityId: dto.id,
      after: { ...dto },
    });
    return dto;
  });
}

export async function updateAlert(ctx: TenantCtx, id: string, raw: AlertInput) {
  const input = validate(raw);
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = presentAlert(await loadRow(tx, id));
    const names = COLUMNS.filter((c) => input[c] !== undefined);
    const set = names.map((n, i) => `${n} = $${i + 2}`).join(', ');
    const [row] = await tx
      .query(`UPDATE alerts SET ${set}${set ? ', ' : ''}updated_at = now() WHERE id = $1 RETURNING *`, [
        id,
        ...names.map((n) => input[n]),
      ])
      .catch(uniqueTitle);
    const after = presentAlert(row!);
    const changed = diff({ ...before }, { ...after });
    if (Object.keys(changed.after).length > 0)
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'alert.update',
        entityType: 'alert',
        entityId: id,
        ...changed,
      });
    return after;
  });
}

export async function deleteAlert(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = presentAlert(await loadRow(tx, id));
    await tx.query('DELETE FROM alerts WHERE id = $1', [id]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'alert.delete',
      entityType: 'alert',
      entityId: id,
      before: { ...before },
    });
  });
}
