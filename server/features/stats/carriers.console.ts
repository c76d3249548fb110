/** Console: a carrier's alias, and whether customers see carriers' real names instead of aliases. */
import type { TenantCtx } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { audit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';

export async function setCarrierAlias(ctx: TenantCtx, companyId: string, alias: string | null) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [before] = await tx.query<{ carrier_alias: string | null }>(
      "SELECT carrier_alias FROM companies WHERE id = $1 AND type = 'carrier' FOR UPDATE",
      [companyId],
    );
    if (!before) throw notFound('Carrier');
    const value = alias?.trim() ? alias.trim() : null;
    await tx.query('UPDATE companies SET carrier_alias = $2, updated_at = now() WHERE id = $1', [
      companyId,
      value,
    ]);
    if (before.carrier_alias !== value)
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'carrier.alias',
        entityType: 'company',
        entityId: companyId,
        before: { carrier_alias: before.carrier_alias },
        after: { carrier_alias: value },
      });
    return { id: companyId, carrier_alias: value };
  });
}

export async function getCarrierDisplay(ctx: TenantCtx) {
  const [row] = await withTenant(ctx.deps.db, ctx.operatorId, (tx) =>
    tx.query<{ show_carrier_names: boolean }>('SELECT show_carrier_names FROM operators'),
  );
  return { show_names: row?.show_carrier_names ?? false };
}

export async function setCarrierDisplay(ctx: TenantCtx, showNames: boolean) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [before] = await tx.query<{ show_carrier_names: boolean }>(
      'SELECT show_carrier_names FROM operators FOR UPDATE',
    );
    await tx.query('UPDATE operators SET show_carrier_names = $1', [showNames]);
    if (before?.show_carrier_names !== showNames)
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'carrier.display',
        entityType: 'operator',
        entityId: ctx.operatorId,
        before: { show_carrier_names: before?.show_carrier_names ?? false },
        after: { show_carrier_names: showNames },
      });
    return { show_names: showNames };
  });
}
