/** Portal domain (brand) configuration for one operator. */
import type { Page } from '../../../common/api.ts';
import { BREAKOUT_COLUMNS, CARRIER_SIDE_CDR_FIELDS, CDR_FIELDS, FEATURES } from '../../../common/features.ts';
import type { TenantCtx } from '../../context.ts';
import { type Tx, withSystem, withTenant } from '../../db/db.ts';
import { audit, diff } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { isLocalName } from '../../lib/hosts.ts';
import { announceDomainChange } from '../../plugins/sites.ts';
import { announceCertChange } from '../../tls/events.ts';
import { type DomainRow, presentDomain } from './domains.presenter.ts';
import type { DomainInput } from './domains.schema.ts';
import { checkTombstone, startDeployment, tombstone } from './domains.tls.ts';
import { validateDomainInput } from './domains.validate.ts';

/** Features a new domain starts with: the everyday reporting and account sections. */
export const DEFAULT_FEATURES = new Set([
  'balance',
  'cdr',
  'breakout',
  'summary',
  'rate_cards',
  'payments',
  'invoice',
  'customer_asr',
  'customer_acd',
]);

function defaults() {
  const customerCdr = CDR_FIELDS.filter((f) => !CARRIER_SIDE_CDR_FIELDS.includes(f) && f !== 'company_id');
  return {
    features: Object.fromEntries(FEATURES.map((f) => [f.id, DEFAULT_FEATURES.has(f.id)])),
    breakout_columns: { customer: [...BREAKOUT_COLUMNS], carrier: [...BREAKOUT_COLUMNS] },
    cdr_fields: { customer: customerCdr, carrier: [...CDR_FIELDS] },
  };
}

async function load(tx: Tx, id: string): Promise<DomainRow> {
  const rows = await tx.query<DomainRow>('SELECT * FROM portal_domains WHERE id = $1', [id]);
  if (!rows[0]) throw notFound('Domain');
  return rows[0];
}

async function checkTemplate(tx: Tx, id: string | null | undefined) {
  if (!id) return;
  const rows = await tx.query<{ type: string }>('SELECT type FROM companies WHERE id = $1', [id]);
  if (rows[0]?.type !== 'customer') {
    throw badRequest('invalid_template_customer', 'The template customer must be one of your customers', {
      field: 'template_customer_id',
    });
  }
}

/** Column values for the fields present in the input. */
function columns(ctx: TenantCtx, input: DomainInput): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  const plain = [
    'domain',
    'brand_name',
    'customer_signup',
    'carrier_signup',
    'currencies',
    'template_customer_id',
    'custom_js',
    'custom_css',
    'logo_file_id',
    'footer',
  ] as const;
  for (const k of plain) if (input[k] !== undefined) c[k] = input[k];
  for (const k of ['features', 'breakout_columns', 'cdr_fields'] as const) {
    if (input[k] !== undefined) c[k] = JSON.stringify(input[k]);
  }
  const s = input.smtp;
  if (s) {
    if (s.host !== undefined) c.smtp_host = s.host || null;
    if (s.port !== undefined) c.smtp_port = s.port;
    if (s.security !== undefined) c.smtp_security = s.security;
    if (s.username !== undefined) c.smtp_username = s.username || null;
    if (s.from !== undefined) c.smtp_from = s.from || null;
    if (s.password !== undefined && s.password !== null) {
      c.smtp_password_enc = s.password === '' ? null : ctx.deps.box.encrypt(s.password);
    }
  }
  return c;
}

function mapUnique(err: unknown, domain: string | undefined): never {
  if ((err as { code?: string }).code === '23505' && domain) {
    throw conflict('domain_taken', `The domain ${domain} is already in use`, { field: 'domain' });
  }
  throw err;
}

export async function listDomains(ctx: TenantCtx, q: { q?: string; page: number; page_size: number }) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const filter = q.q ? `%${q.q.toLowerCase()}%` : null;
    const where = 'WHERE ($1::text IS NULL OR domain LIKE $1 OR lower(brand_name) LIKE $1)';
    const [count] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM portal_domains ${where}`, [
      filter,
    ]);
    const rows = await tx.query<DomainRow>(
      `SELECT * FROM portal_domains ${where} ORDER BY domain LIMIT $2 OFFSET $3`,
      [filter, q.page_size, (q.page - 1) * q.page_size],
    );
    return {
      items: rows.map(presentDomain),
      total: count?.n ?? 0,
      page: q.page,
      page_size: q.page_size,
    } satisfies Page<unknown>;
  });
}

export async function getDomain(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => presentDomain(await load(tx, id)));
}

export async function createDomain(
  ctx: TenantCtx,
  raw: DomainInput & { domain: string; brand_name: string },
) {
  const input = validateDomainInput(ctx.deps.env, raw);
  const d = defaults();
  const full: DomainInput = {
    ...input,
    features: { ...d.features, ...input.features },
    breakout_columns: input.breakout_columns ?? d.breakout_columns,
    cdr_fields: input.cdr_fields ?? d.cdr_fields,
  };
  const cols = columns(ctx, full);
  cols.state = isLocalName(input.domain!) ? 'active' : 'pending_dns';
  await checkTombstone(ctx, input.domain!);
  const row = await withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await checkTemplate(tx, input.template_customer_id);
    const names = Object.keys(cols);
    const [created] = await tx
      .query<DomainRow>(
        `INSERT INTO portal_domains (operator_id, ${names.join(', ')})
         VALUES ($1, ${names.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING *`,
        [ctx.operatorId, ...Object.values(cols)],
      )
      .catch((e) => mapUnique(e, input.domain));
    const dto = presentDomain(created!);
    await startDeployment(tx, ctx, dto);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'domain.create',
      entityType: 'domain',
      entityId: dto.id,
      after: { ...dto },
    });
    return dto;
  });
  await announceDomainChange(ctx.deps.db, ctx.deps.sites, row.domain);
  return row;
}

export async function updateDomain(ctx: TenantCtx, id: string, raw: DomainInput) {
  const { before, after } = await withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const current = await load(tx, id);
    if (raw.domain !== undefined && raw.domain !== current.domain) {
      const name = validateDomainInput(ctx.deps.env, { domain: raw.domain }).domain;
      if (name && name !== current.domain) await checkTombstone(ctx, name);
    }
    const input = validateDomainInput(ctx.deps.env, raw, {
      customer_signup: Boolean(current.customer_signup),
      carrier_signup: Boolean(current.carrier_signup),
      currencies: current.currencies as string[],
    });
    await checkTemplate(tx, input.template_customer_id);
    if (input.features)
      input.features = { ...(current.features as Record<string, boolean>), ...input.features };
    const cols = columns(ctx, input);
    if (input.domain !== undefined && input.domain !== current.domain) {
      cols.state = isLocalName(input.domain) ? 'active' : 'pending_dns';
      cols.reason = null;
    }
    const names = Object.keys(cols);
    const set = names.map((n, i) => `${n} = $${i + 2}`).join(', ');
    const [updated] = await tx
      .query<DomainRow>(
        `UPDATE portal_domains SET ${set}${set ? ', ' : ''}updated_at = now() WHERE id = $1 RETURNING *`,
        [id, ...Object.values(cols)],
      )
      .catch((e) => mapUnique(e, input.domain));
    if (input.domain !== undefined && input.domain !== current.domain) {
      await startDeployment(tx, ctx, updated!);
      await withSystem(ctx.deps.db, (sys) => tombstone(sys, current.domain, ctx.operatorId));
    }
    const b = presentDomain(current);
    const a = presentDomain(updated!);
    const changed = diff({ ...b, updated_at: null }, { ...a, updated_at: null });
    // The password itself is never logged; a replaced password is recorded as a change.
    if (cols.smtp_password_enc !== undefined) {
      changed.after.smtp_login = cols.smtp_password_enc ? 'password changed' : 'password cleared';
    }
    if (Object.keys(changed.after).length > 0) {
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'domain.update',
        entityType: 'domain',
        entityId: id,
        ...changed,
      });
    }
    return { before: b, after: a };
  });
  await announceDomainChange(ctx.deps.db, ctx.deps.sites, before.domain);
  if (after.domain !== before.domain) {
    await announceCertChange(ctx.deps.db, before.domain);
    await announceDomainChange(ctx.deps.db, ctx.deps.sites, after.domain);
  }
  return after;
}

export async function deleteDomain(ctx: TenantCtx, id: string) {
  const dto = await withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const current = presentDomain(await load(tx, id));
    // Its certificates and keys go with it (ON DELETE CASCADE); the name stays reserved for a while.
    await tx.query('DELETE FROM portal_domains WHERE id = $1', [id]);
    await tx.query('DELETE FROM jobs WHERE key = $1 AND kind IN ($2, $3) AND state = $4', [
      id,
      'domain.check',
      'domain.issue',
      'queued',
    ]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'domain.delete',
      entityType: 'domain',
      entityId: id,
      before: { ...current },
    });
    return current;
  });
  await withSystem(ctx.deps.db, (tx) => tombstone(tx, dto.domain, ctx.operatorId));
  await announceCertChange(ctx.deps.db, dto.domain);
  await announceDomainChange(ctx.deps.db, ctx.deps.sites, dto.domain);
}
