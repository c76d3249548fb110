/** DIDs (inbound numbers) of one operator: stock numbers and those assigned to a company. */
import type { TenantCtx } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { audit, diff } from '../../lib/audit.ts';
import { badRequest, conflict, HttpError, notFound } from '../../lib/errors.ts';
import { likePattern } from '../authlists/company.ts';
import { type DidDto, presentDid } from './numbers.presenter.ts';
import type { DidBulkInput, DidInput, DidListInput } from './numbers.schema.ts';
import {
  checkDestination,
  type DestinationType,
  normalizeNumber,
  normalizeTags,
} from './numbers.validate.ts';

/** The stored fields of a DID. */
interface DidState {
  number: string;
  company_id: string | null;
  destination_type: DestinationType;
  destination: string;
  destination_locked: boolean;
  tags: string[];
  enabled: boolean;
}

const DEFAULTS: Omit<DidState, 'number'> = {
  company_id: null,
  destination_type: 'uri',
  destination: '',
  destination_locked: false,
  tags: [],
  enabled: true,
};

const SELECT = `SELECT d.*, c.name AS company_name
                  FROM dids d LEFT JOIN companies c ON c.operator_id = d.operator_id AND c.id = d.company_id`;

/**
 * Applies input to a DID's current state and validates the result as a whole (a new destination
 * type re-checks the existing destination). Throws a 400 naming the field.
 */
function nextState(current: DidState | null, input: DidInput, label = ''): DidState {
  const prefix = label ? `${label}: ` : '';
  let number = current?.number;
  if (input.number !== undefined) {
    const n = normalizeNumber(input.number);
    if (!n)
      throw badRequest('invalid_number', `${prefix}“${input.number}” is not a number: use 3–20 digits`, {
        field: 'number',
      });
    number = n;
  }
  if (!number) throw badRequest('invalid_number', 'A number is required', { field: 'number' });
  const base = current ?? { ...DEFAULTS, number };
  let tags = base.tags;
  if (input.tags !== undefined) {
    const t = normalizeTags(input.tags);
    if (!t.ok) throw badRequest('invalid_tags', `${prefix}${t.message}`, { field: 'tags' });
    tags = t.value;
  }
  const next: DidState = {
    number,
    company_id: input.company_id !== undefined ? input.company_id : base.company_id,
    destination_type: input.destination_type ?? base.destination_type,
    destination: input.destination ?? base.destination,
    destination_locked: input.destination_locked ?? base.destination_locked,
    tags,
    enabled: input.enabled ?? base.enabled,
  };
  const dest = checkDestination(next.destination_type, next.destination, next.company_id !== null);
  if (!dest.ok) throw badRequest(dest.code, `${prefix}${dest.message}`, { field: 'destination' });
  next.destination = dest.value;
  return next;
}

async function checkCompany(tx: Tx, companyId: string | null | undefined) {
  if (!companyId) return;
  const rows = await tx.query('SELECT 1 FROM companies WHERE id = $1', [companyId]);
  if (!rows[0]) throw badRequest('invalid_company', 'The company does not exist', { field: 'company_id' });
}

async function loadDid(tx: Tx, id: string): Promise<DidDto> {
  const rows = await tx.query(`${SELECT} WHERE d.id = $1`, [id]);
  if (!rows[0]) throw notFound('DID');
  return presentDid(rows[0]);
}

const takenNumber = (number: string) => (e: { code?: string }) => {
  if (e.code === '23505')
    throw conflict('number_taken', `The number ${number} already exists`, { field: 'number' });
  throw e;
};

export async function listDids(ctx: TenantCtx, q: DidListInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const text = likePattern(q.q);
    const digits = q.q
      ? q.q
          .trim()
          .replace(/^\+/, '')
          .replace(/[\s\-()]/g, '')
      : '';
    const params = [
      text,
      /^[0-9]+$/.test(digits) ? `%${digits}%` : null,
      q.company_id && q.company_id !== 'none' ? q.company_id : null,
      q.company_id === 'none',
      q.enabled ?? null,
      q.tag?.trim() || null,
    ];
    const where = `WHERE ($1::text IS NULL OR d.number LIKE $2 OR lower(d.destination) LIKE $1
                          OR lower(c.name) LIKE $1 OR EXISTS (SELECT 1 FROM unnest(d.tags) t WHERE lower(t) LIKE $1))
                     AND ($3::uuid IS NULL OR d.company_id = $3)
                     AND (NOT $4::boolean OR d.company_id IS NULL)
                     AND ($5::boolean IS NULL OR d.enabled = $5)
                     AND ($6::text IS NULL OR lower($6) = ANY (SELECT lower(t) FROM unnest(d.tags) t))`;
    const [count] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM dids d
         LEFT JOIN companies c ON c.operator_id = d.operator_id AND c.id = d.company_id ${where}`,
      params,
    );
    const rows = await tx.query(`${SELECT} ${where} ORDER BY d.number LIMIT $7 OFFSET $8`, [
      ...params,
      q.page_size,
      (q.page - 1) * q.page_size,
    ]);
    return { items: rows.map(presentDid), total: count?.n ?? 0, page: q.page, page_size: q.page_size };
  });
}

export async function getDid(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, (tx) => loadDid(tx, id));
}

export async function createDid(ctx: TenantCtx, input: DidInput) {
  const s = nextState(null, input);
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await checkCompany(tx, s.company_id);
    const [row] = await tx
      .query<{ id: string }>(
        `INSERT INTO dids (operator_id, number, company_id, destination_type, destination, destination_locked, tags, enabled)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          ctx.operatorId,
          s.number,
          s.company_id,
          s.destination_type,
          s.destination,
          s.destination_locked,
          s.tags,
          s.enabled,
        ],
      )
      .catch(takenNumber(s.number));
    const dto = await loadDid(tx, row!.id);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'did.create',
      entityType: 'did',
      entityId: dto.id,
      after: { ...dto },
    });
    return dto;
  });
}

async function writeDid(tx: Tx, id: string, s: DidState) {
  await tx
    .query(
      `UPDATE dids SET number = $2, company_id = $3, destination_type = $4, destination = $5,
              destination_locked = $6, tags = $7, enabled = $8
        WHERE id = $1`,
      [
        id,
        s.number,
        s.company_id,
        s.destination_type,
        s.destination,
        s.destination_locked,
        s.tags,
        s.enabled,
      ],
    )
    .catch(takenNumber(s.number));
}

export async function updateDid(ctx: TenantCtx, id: string, input: DidInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await loadDid(tx, id);
    const s = nextState(before, input);
    if (input.company_id !== undefined) await checkCompany(tx, s.company_id);
    await writeDid(tx, id, s);
    const after = await loadDid(tx, id);
    const changed = diff({ ...before }, { ...after });
    if (Object.keys(changed.after).length > 0) {
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'did.update',
        entityType: 'did',
        entityId: id,
        ...changed,
      });
    }
    return after;
  });
}

export async function deleteDid(ctx: TenantCtx, id: string) {
  await withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await loadDid(tx, id);
    await tx.query('DELETE FROM dids WHERE id = $1', [id]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'did.delete',
      entityType: 'did',
      entityId: id,
      before: { ...before },
    });
  });
}

/**
 * Applies one patch to many DIDs in one transaction: every DID is validated with the patch applied
 * and nothing is written unless all of them pass (the 400 names the first DID that does not).
 */
export async function bulkUpdateDids(ctx: TenantCtx, input: DidBulkInput) {
  const ids = [...new Set(input.ids)];
  const { add_tags, remove_tags, ...patch } = input.patch;
  for (const [field, list] of [
    ['add_tags', add_tags],
    ['remove_tags', remove_tags],
  ] as const) {
    if (list) {
      const t = normalizeTags(list);
      if (!t.ok) throw badRequest('invalid_tags', t.message, { field: `patch.${field}` });
    }
  }
  if (patch.tags && (add_tags || remove_tags))
    throw badRequest('invalid_request', 'Send either tags (replace) or add_tags/remove_tags', {
      field: 'patch.tags',
    });
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const rows = await tx.query(`${SELECT} WHERE d.id = ANY ($1::uuid[]) ORDER BY d.number`, [ids]);
    const byId = new Map(rows.map((r) => [String(r.id), presentDid(r)]));
    const missing = ids.find((id) => !byId.has(id));
    if (missing)
      throw badRequest('unknown_did', `DID ${missing} does not exist`, { field: 'ids', id: missing });
    if (patch.company_id !== undefined) await checkCompany(tx, patch.company_id);

    // Validate everything first, then write: a failure leaves every DID as it was.
    const plans: { before: DidDto; next: DidState }[] = [];
    for (const before of byId.values()) {
      let tags = patch.tags;
      if (add_tags || remove_tags) {
        const drop = new Set((remove_tags ?? []).map((t) => t.trim().toLowerCase()));
        tags = [...before.tags, ...(add_tags ?? [])].filter((t) => !drop.has(t.trim().toLowerCase()));
      }
      try {
        plans.push({ before, next: nextState(before, { ...patch, tags }, `DID ${before.number}`) });
      } catch (e) {
        throw e instanceof HttpError
          ? new HttpError(e.status, e.code, e.message, { ...e.extra, id: before.id })
          : e;
      }
    }
    const items: DidDto[] = [];
    for (const { before, next } of plans) {
      await writeDid(tx, before.id, next);
      const after = await loadDid(tx, before.id);
      items.push(after);
      const changed = diff({ ...before }, { ...after });
      if (Object.keys(changed.after).length > 0) {
        await audit(tx, ctx.operatorId, ctx.actor, {
          action: 'did.bulk_update',
          entityType: 'did',
          entityId: before.id,
          ...changed,
        });
      }
    }
    return { updated: items.length, items };
  });
}
