/** CLI (caller ID) rules of a company: forced caller IDs and allow lists. */
import type { TenantCtx } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { audit, diff } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { requireCompany } from '../authlists/company.ts';
import { normalizeNumber } from '../numbers/numbers.validate.ts';
import { type CliRuleKind, explainCliRules, formatCliPattern, parseCliPattern } from './cli.explain.ts';
import type { CliRuleInput } from './cli.schema.ts';

export interface CliRuleDto {
  id: string;
  company_id: string;
  kind: CliRuleKind;
  pattern: string;
  replacement: string;
  created_at: string;
}

const present = (r: Record<string, unknown>): CliRuleDto => ({
  id: String(r.id),
  company_id: String(r.company_id),
  kind: r.kind as CliRuleKind,
  pattern: String(r.pattern),
  replacement: String(r.replacement),
  created_at: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at),
});

interface CliRuleState {
  kind: CliRuleKind;
  pattern: string;
  replacement: string;
}

function nextState(current: CliRuleState | null, input: CliRuleInput): CliRuleState {
  const kind = input.kind ?? current?.kind ?? 'allow';
  const parsed = parseCliPattern(input.pattern ?? current?.pattern ?? '');
  if ('error' in parsed) throw badRequest('invalid_pattern', parsed.error, { field: 'pattern' });
  let replacement = '';
  if (kind === 'forced') {
    const raw = input.replacement ?? current?.replacement ?? '';
    if (!raw.trim())
      throw badRequest('replacement_required', 'A forced rule needs the caller ID to present', {
        field: 'replacement',
      });
    const n = normalizeNumber(raw);
    if (!n)
      throw badRequest(
        'invalid_replacement',
        `“${raw}” is not a caller ID: use 3–20 digits with the country code`,
        {
          field: 'replacement',
        },
      );
    replacement = n;
  }
  // An allow rule presents the caller's own ID: it has no replacement.
  return { kind, pattern: formatCliPattern(parsed), replacement };
}

async function checkDuplicate(tx: Tx, companyId: string, s: CliRuleState, exceptId: string | null) {
  const rows = await tx.query(
    'SELECT 1 FROM cli_rules WHERE company_id = $1 AND kind = $2 AND pattern = $3 AND id IS DISTINCT FROM $4',
    [companyId, s.kind, s.pattern, exceptId],
  );
  if (rows[0])
    throw conflict('duplicate_rule', `There is already a ${s.kind} rule for ${s.pattern}`, {
      field: 'pattern',
    });
}

async function load(tx: Tx, companyId: string, id: string): Promise<CliRuleDto> {
  await requireCompany(tx, companyId);
  const rows = await tx.query('SELECT * FROM cli_rules WHERE company_id = $1 AND id = $2', [companyId, id]);
  if (!rows[0]) throw notFound('CLI rule');
  return present(rows[0]);
}

const ORDER = 'ORDER BY created_at, id';

/** A page of rules, plus the plain-English explanation of all of the company's rules together. */
export async function listCliRules(
  ctx: TenantCtx,
  companyId: string,
  q: { q?: string; page: number; page_size: number },
) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await requireCompany(tx, companyId);
    const all = (await tx.query(`SELECT * FROM cli_rules WHERE company_id = $1 ${ORDER}`, [companyId])).map(
      present,
    );
    // Rules are few per company: all are read for the explanation, and searched here.
    const needle = q.q?.trim().toLowerCase();
    const matching = needle
      ? all.filter((r) => r.pattern.toLowerCase().includes(needle) || r.replacement.includes(needle))
      : all;
    return {
      items: matching.slice((q.page - 1) * q.page_size, q.page * q.page_size),
      total: matching.length,
      page: q.page,
      page_size: q.page_size,
      explanation: explainCliRules(all),
    };
  });
}

export async function createCliRule(ctx: TenantCtx, companyId: string, input: CliRuleInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await requireCompany(tx, companyId);
    const s = nextState(null, input);
    await checkDuplicate(tx, companyId, s, null);
    const [row] = await tx.query(
      `INSERT INTO cli_rules (operator_id, company_id, kind, pattern, replacement)
       VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [ctx.operatorId, companyId, s.kind, s.pattern, s.replacement],
    );
    const dto = present(row!);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'cli_rule.create',
      entityType: 'cli_rule',
      entityId: dto.id,
      after: { ...dto },
    });
    return dto;
  });
}

export async function updateCliRule(ctx: TenantCtx, companyId: string, id: string, input: CliRuleInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await load(tx, companyId, id);
    const s = nextState(before, input);
    await checkDuplicate(tx, companyId, s, id);
    const [row] = await tx.query(
      'UPDATE cli_rules SET kind = $2, pattern = $3, replacement = $4 WHERE id = $1 RETURNING *',
      [id, s.kind, s.pattern, s.replacement],
    );
    const after = present(row!);
    const changed = diff({ ...before }, { ...after });
    if (Object.keys(changed.after).length > 0)
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'cli_rule.update',
        entityType: 'cli_rule',
        entityId: id,
        ...changed,
      });
    return after;
  });
}

export async function deleteCliRule(ctx: TenantCtx, companyId: string, id: string) {
  await withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await load(tx, companyId, id);
    await tx.query('DELETE FROM cli_rules WHERE id = $1', [id]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'cli_rule.delete',
      entityType: 'cli_rule',
      entityId: id,
      before: { ...before },
    });
  });
}
