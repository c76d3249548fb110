/** Rate cards with immutable revisions (one active, future ones scheduled by date_live), and routes. */
import { parse } from 'csv-parse/sync';
import { isCurrency } from '../../../common/currencies.ts';
import type { TenantCtx } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { audit } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { isoOrNull } from '../../lib/format.ts';
import type { Rounding } from '../../telecom/rating.ts';

export const KEEP_REVISIONS = 8;
const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;

export interface RateCardInput {
  name: string;
  currency: string;
  precision?: number;
  rounding?: Rounding;
  direction?: 'termination' | 'origination';
}

export interface RateInput {
  prefix: string;
  name: string;
  rate: string;
  connect_cost?: string;
  mcd?: number;
  pulse?: number;
  grace?: number;
  status?: 'active' | 'blocked';
}

export interface RateRowError {
  line: number;
  field: string;
  message: string;
}

export function presentCard(r: Record<string, unknown>) {
  return {
    id: String(r.id),
    name: String(r.name),
    currency: String(r.currency),
    precision: Number(r.precision),
    rounding: r.rounding as Rounding,
    direction: String(r.direction),
    created_at: isoOrNull(r.created_at),
    active_revision: r.active_revision_id
      ? {
          id: String(r.active_revision_id),
          revision: Number(r.active_revision),
          date_live: isoOrNull(r.active_date_live),
          rate_count: Number(r.active_rate_count),
        }
      : null,
  };
}

const ACTIVE = `LEFT JOIN LATERAL (
    SELECT id AS active_revision_id, revision AS active_revision, date_live AS active_date_live, rate_count AS active_rate_count
      FROM rate_card_revisions v WHERE v.operator_id = c.operator_id AND v.rate_card_id = c.id AND v.date_live <= now()
     ORDER BY v.date_live DESC, v.revision DESC LIMIT 1) a ON true`;

async function loadCard(tx: Tx, id: string) {
  const [row] = await tx.query(`SELECT c.*, a.* FROM rate_cards c ${ACTIVE} WHERE c.id = $1`, [id]);
  if (!row) throw notFound('Rate card');
  return row;
}

export async function createRateCard(ctx: TenantCtx, input: RateCardInput) {
  const currency = input.currency.toUpperCase();
  if (!isCurrency(currency))
    throw badRequest('unknown_currency', `“${input.currency}” is not an ISO 4217 currency code`, {
      field: 'currency',
    });
  const name = input.name.trim();
  if (!name) throw badRequest('invalid_name', 'The rate card needs a name', { field: 'name' });
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [row] = await tx.query(
      `INSERT INTO rate_cards (operator_id, name, currency, precision, rounding, direction) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        ctx.operatorId,
        name,
        currency,
        input.precision ?? 4,
        input.rounding ?? 'half_up',
        input.direction ?? 'termination',
      ],
    );
    const dto = presentCard(row!);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'rate_card.create',
      entityType: 'rate_card',
      entityId: dto.id,
      after: { ...dto },
    });
    return dto;
  });
}

export async function listRateCards(ctx: TenantCtx, q: { q?: string; page: number; page_size: number }) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const filter = q.q ? `%${q.q.toLowerCase()}%` : null;
    const [count] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM rate_cards WHERE $1::text IS NULL OR lower(name) LIKE $1',
      [filter],
    );
    const rows = await tx.query(
      `SELECT c.*, a.* FROM rate_cards c ${ACTIVE} WHERE $1::text IS NULL OR lower(c.name) LIKE $1 ORDER BY lower(c.name) LIMIT $2 OFFSET $3`,
      [filter, q.page_size, (q.page - 1) * q.page_size],
    );
    return { items: rows.map(presentCard), total: count?.n ?? 0, page: q.page, page_size: q.page_size };
  });
}

export async function getRateCard(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const card = presentCard(await loadCard(tx, id));
    const revisions = await tx.query<Record<string, unknown>>(
      'SELECT id, revision, date_live, rate_count, created_at FROM rate_card_revisions WHERE rate_card_id = $1 ORDER BY revision DESC',
      [id],
    );
    return {
      ...card,
      revisions: revisions.map((r) => ({
        id: String(r.id),
        revision: Number(r.revision),
        date_live: isoOrNull(r.date_live),
        rate_count: Number(r.rate_count),
        created_at: isoOrNull(r.created_at),
      })),
    };
  });
}

/** Parses a CSV with header prefix,name,rate,connect_cost,mcd,pulse,grace[,status] into rate inputs. */
export function parseRatesCsv(text: string): Record<string, string>[] {
  try {
    return parse(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (err) {
    throw badRequest('invalid_csv', `The CSV could not be read: ${(err as Error).message}`);
  }
}

const int = (v: unknown, dflt: number) => (v === undefined || v === null || v === '' ? dflt : Number(v));

/** Checks every row; returns the clean rates and a report of every problem (line numbers count the header as 1). */
export function validateRates(raw: Record<string, unknown>[]): {
  rates: Required<RateInput>[];
  errors: RateRowError[];
} {
  const errors: RateRowError[] = [];
  const rates: Required<RateInput>[] = [];
  const seen = new Set<string>();
  raw.forEach((r, i) => {
    const line = i + 2;
    const err = (field: string, message: string) => errors.push({ line, field, message });
    const prefix = String(r.prefix ?? '').trim();
    const name = String(r.name ?? '').trim();
    const rate = String(r.rate ?? '').trim();
    const connect = String(r.connect_cost ?? '0').trim() || '0';
    const mcd = int(r.mcd, 0);
    const pulse = int(r.pulse, 1);
    const grace = int(r.grace, 0);
    const status = String(r.status ?? 'active').trim() || 'active';
    if (!/^\d{1,20}$/.test(prefix)) err('prefix', `“${prefix}” is not a prefix of 1 to 20 digits`);
    else if (seen.has(prefix)) err('prefix', `The prefix ${prefix} appears twice`);
    seen.add(prefix);
    if (!name || name.length > 100) err('name', 'The destination name must have 1 to 100 characters');
    if (!DECIMAL.test(rate)) err('rate', `“${rate}” is not a non-negative decimal with at most 6 places`);
    if (!DECIMAL.test(connect))
      err('connect_cost', `“${connect}” is not a non-negative decimal with at most 6 places`);
    if (!Number.isInteger(mcd) || mcd < 0 || mcd > 3600)
      err('mcd', 'The minimum call duration must be 0 to 3600 seconds');
    if (!Number.isInteger(pulse) || pulse < 1 || pulse > 3600)
      err('pulse', 'The pulse must be 1 to 3600 seconds');
    if (!Number.isInteger(grace) || grace < 0 || grace > 3600)
      err('grace', 'The grace period must be 0 to 3600 seconds');
    if (status !== 'active' && status !== 'blocked') err('status', 'The status must be active or blocked');
    rates.push({
      prefix,
      name,
      rate,
      connect_cost: connect,
      mcd,
      pulse,
      grace,
      status: status as 'active' | 'blocked',
    });
  });
  if (raw.length === 0) errors.push({ line: 1, field: 'file', message: 'No rates were given' });
  return { rates, errors };
}

/**
 * Makes a new revision from the rates (all or nothing), live at dateLive. By default the first revision
 * applies to every call (so traffic older than the card is rated too) and later ones from now on.
 */
export async function importRates(
  ctx: TenantCtx,
  rateCardId: string,
  raw: Record<string, unknown>[],
  opts: { dateLive?: Date } = {},
) {
  const { rates, errors } = validateRates(raw);
  if (errors.length > 0) {
    throw badRequest('invalid_rates', `${errors.length} problem(s) in the rates; nothing was imported`, {
      errors: errors.slice(0, 500),
    });
  }
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await loadCard(tx, rateCardId);
    const [max] = await tx.query<{ n: number }>(
      'SELECT coalesce(max(revision), 0)::int AS n FROM rate_card_revisions WHERE rate_card_id = $1',
      [rateCardId],
    );
    const revision = (max?.n ?? 0) + 1;
    const [rev] = await tx.query<{ id: string; date_live: Date }>(
      `INSERT INTO rate_card_revisions (operator_id, rate_card_id, revision, date_live, rate_count)
       VALUES ($1, $2, $3, coalesce($4::timestamptz, CASE WHEN $3 = 1 THEN 'epoch'::timestamptz ELSE now() END), $5)
       RETURNING id, date_live`,
      [ctx.operatorId, rateCardId, revision, opts.dateLive?.toISOString() ?? null, rates.length],
    );
    const col = <K extends keyof RateInput>(k: K) => rates.map((r) => r[k]);
    await tx.query(
      `INSERT INTO rates (operator_id, revision_id, prefix, name, rate, connect_cost, mcd, pulse, grace, status)
       SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::int[], $8::int[], $9::int[], $10::text[])`,
      [
        ctx.operatorId,
        rev!.id,
        col('prefix'),
        col('name'),
        col('rate'),
        col('connect_cost'),
        col('mcd'),
        col('pulse'),
        col('grace'),
        col('status'),
      ],
    );
    // Keep the newest revisions; the one live now always survives.
    await tx.query(
      `DELETE FROM rate_card_revisions WHERE rate_card_id = $1 AND revision <= $2
         AND id <> (SELECT id FROM rate_card_revisions WHERE rate_card_id = $1 AND date_live <= now() ORDER BY date_live DESC, revision DESC LIMIT 1)`,
      [rateCardId, revision - KEEP_REVISIONS],
    );
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'rate_card.import',
      entityType: 'rate_card',
      entityId: rateCardId,
      after: { revision, rate_count: rates.length, date_live: isoOrNull(rev!.date_live) },
    });
    return { revision_id: rev!.id, revision, rate_count: rates.length, date_live: isoOrNull(rev!.date_live) };
  });
}

export async function listRates(
  ctx: TenantCtx,
  rateCardId: string,
  q: { revision_id?: string; q?: string; page: number; page_size: number },
) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const card = presentCard(await loadCard(tx, rateCardId));
    const revisionId = q.revision_id ?? card.active_revision?.id ?? null;
    if (!revisionId) return { items: [], total: 0, page: q.page, page_size: q.page_size, revision_id: null };
    const [rev] = await tx.query('SELECT 1 FROM rate_card_revisions WHERE id = $1 AND rate_card_id = $2', [
      revisionId,
      rateCardId,
    ]);
    if (!rev) throw notFound('Revision');
    const filter = q.q ? `${q.q.toLowerCase()}%` : null;
    const where = `WHERE revision_id = $1 AND ($2::text IS NULL OR prefix LIKE $2 OR lower(name) LIKE $2)`;
    const [count] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM rates ${where}`, [
      revisionId,
      filter,
    ]);
    const rows = await tx.query<Record<string, unknown>>(
      `SELECT prefix, name, rate::text, connect_cost::text, mcd, pulse, grace, status FROM rates ${where} ORDER BY prefix LIMIT $3 OFFSET $4`,
      [revisionId, filter, q.page_size, (q.page - 1) * q.page_size],
    );
    return {
      items: rows,
      total: count?.n ?? 0,
      page: q.page,
      page_size: q.page_size,
      revision_id: revisionId,
    };
  });
}

export interface RouteInput {
  rate_card_id?: string;
  tech_prefix?: string;
  channels?: number | null;
  cps?: number | null;
  max_duration?: number | null;
  public_note?: string;
  private_note?: string;
  enabled?: boolean;
}

export function presentRoute(r: Record<string, unknown>) {
  return {
    id: String(r.id),
    company_id: String(r.company_id),
    rate_card_id: String(r.rate_card_id),
    rate_card_name: r.rate_card_name == null ? undefined : String(r.rate_card_name),
    tech_prefix: String(r.tech_prefix),
    channels: (r.channels as number | null) ?? null,
    cps: (r.cps as number | null) ?? null,
    max_duration: (r.max_duration as number | null) ?? null,
    public_note: String(r.public_note),
    private_note: String(r.private_note),
    enabled: Boolean(r.enabled),
    created_at: isoOrNull(r.created_at),
  };
}

async function checkCardForCompany(tx: Tx, companyId: string, rateCardId: string) {
  const [co] = await tx.query<{ currency: string }>('SELECT currency FROM companies WHERE id = $1', [
    companyId,
  ]);
  if (!co) throw notFound('Company');
  const [card] = await tx.query<{ currency: string }>('SELECT currency FROM rate_cards WHERE id = $1', [
    rateCardId,
  ]);
  if (!card) throw badRequest('unknown_rate_card', 'The rate card does not exist', { field: 'rate_card_id' });
  if (card.currency !== co.currency) {
    throw badRequest(
      'currency_mismatch',
      `The rate card is in ${card.currency} but the company is billed in ${co.currency}`,
      { field: 'rate_card_id' },
    );
  }
}

const uniqueRoute = (e: { code?: string }) => {
  if (e.code === '23505')
    throw conflict('tech_prefix_taken', 'The company already has a route with this tech prefix', {
      field: 'tech_prefix',
    });
  throw e;
};

export async function listRoutes(ctx: TenantCtx, companyId: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [co] = await tx.query('SELECT 1 FROM companies WHERE id = $1', [companyId]);
    if (!co) throw notFound('Company');
    const rows = await tx.query(
      `SELECT r.*, c.name AS rate_card_name FROM routes r JOIN rate_cards c ON c.operator_id = r.operator_id AND c.id = r.rate_card_id
        WHERE r.company_id = $1 ORDER BY r.tech_prefix`,
      [companyId],
    );
    return { items: rows.map(presentRoute) };
  });
}

export async function createRoute(
  ctx: TenantCtx,
  companyId: string,
  input: RouteInput & { rate_card_id: string },
) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await checkCardForCompany(tx, companyId, input.rate_card_id);
    const [row] = await tx
      .query(
        `INSERT INTO routes (operator_id, company_id, rate_card_id, tech_prefix, channels, cps, max_duration, public_note, private_note, enabled)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [
          ctx.operatorId,
          companyId,
          input.rate_card_id,
          input.tech_prefix ?? '',
          input.channels ?? null,
          input.cps ?? null,
          input.max_duration ?? null,
          input.public_note ?? '',
          input.private_note ?? '',
          input.enabled ?? true,
        ],
      )
      .catch(uniqueRoute);
    const dto = presentRoute(row!);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'route.create',
      entityType: 'route',
      entityId: dto.id,
      after: { ...dto },
    });
    return dto;
  });
}

const ROUTE_COLUMNS = [
  'rate_card_id',
  'tech_prefix',
  'channels',
  'cps',
  'max_duration',
  'public_note',
  'private_note',
  'enabled',
] as const;

export async function updateRoute(ctx: TenantCtx, companyId: string, routeId: string, input: RouteInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [current] = await tx.query('SELECT * FROM routes WHERE company_id = $1 AND id = $2', [
      companyId,
      routeId,
    ]);
    if (!current) throw notFound('Route');
    if (input.rate_card_id) await checkCardForCompany(tx, companyId, input.rate_card_id);
    const names = ROUTE_COLUMNS.filter((c) => input[c] !== undefined);
    const set = names.map((n, i) => `${n} = $${i + 3}`).join(', ');
    const [row] = set
      ? await tx
          .query(`UPDATE routes SET ${set} WHERE company_id = $1 AND id = $2 RETURNING *`, [
            companyId,
            routeId,
            ...names.map((n) => input[n]),
          ])
          .catch(uniqueRoute)
      : [current];
    const before = presentRoute(current);
    const after = presentRoute(row!);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'route.update',
      entityType: 'route',
      entityId: routeId,
      before: { ...before },
      after: { ...after },
    });
    return after;
  });
}

export async function deleteRoute(ctx: TenantCtx, companyId: string, routeId: string) {
  await withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [row] = await tx.query('DELETE FROM routes WHERE company_id = $1 AND id = $2 RETURNING *', [
      companyId,
      routeId,
    ]);
    if (!row) throw notFound('Route');
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'route.delete',
      entityType: 'route',
      entityId: routeId,
      before: presentRoute(row),
    });
  });
}
