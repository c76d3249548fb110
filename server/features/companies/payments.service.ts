/** Payments of a company (minimal ledger until the billing engine lands): completed ones count toward the balance. */
import type { TenantCtx } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { audit } from '../../lib/audit.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { companyBalance } from './balance.service.ts';
import { presentPayment } from './companies.presenter.ts';

export interface PaymentInput {
  amount: string;
  currency: string;
  method: string;
  status: 'pending' | 'completed' | 'cancelled';
  description?: string;
}

export async function listPayments(ctx: TenantCtx, companyId: string, page: number, pageSize: number) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [c] = await tx.query('SELECT 1 FROM companies WHERE id = $1', [companyId]);
    if (!c) throw notFound('Company');
    const [count] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM payments WHERE company_id = $1',
      [companyId],
    );
    const rows = await tx.query(
      'SELECT * FROM payments WHERE company_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3',
      [companyId, pageSize, (page - 1) * pageSize],
    );
    return { items: rows.map(presentPayment), total: count?.n ?? 0, page, page_size: pageSize };
  });
}

/** Records a payment in the company's currency, in one transaction with its audit entry. */
export async function createPayment(ctx: TenantCtx, companyId: string, input: PaymentInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [c] = await tx.query<{ currency: string }>('SELECT currency FROM companies WHERE id = $1', [
      companyId,
    ]);
    if (!c) throw notFound('Company');
    const currency = input.currency.toUpperCase();
    if (currency !== c.currency) {
      throw badRequest('currency_mismatch', `Payments for this company must be in ${c.currency}`, {
        field: 'currency',
      });
    }
    const [row] = await tx.query(
      `INSERT INTO payments (operator_id, company_id, amount, currency, method, status, description)
       VALUES ($1, $2, $3::numeric, $4, $5, $6, $7) RETURNING *`,
      [
        ctx.operatorId,
        companyId,
        input.amount,
        currency,
        input.method,
        input.status,
        input.description ?? '',
      ],
    );
    const dto = presentPayment(row!);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'payment.create',
      entityType: 'payment',
      entityId: dto.id,
      after: { ...dto, company_id: companyId },
    });
    return dto;
  });
}

export async function getBalance(ctx: TenantCtx, companyId: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, (tx) => companyBalance(tx, companyId));
}
