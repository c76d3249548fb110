/**
 * Balance per SPEC section 7: completed payments (charges for packages and DIDs are negative payments)
 * minus call charges; available = balance + debit limit. Computed in SQL numeric, returned as strings.
 */
import type { Queryable } from '../../db/db.ts';
import { notFound } from '../../lib/errors.ts';

export interface BalanceDto {
  balance: string;
  currency: string;
  debit_limit: string;
  available: string;
}

/** Reads one company's balance inside the caller's tenant transaction. */
export async function companyBalance(tx: Queryable, companyId: string): Promise<BalanceDto> {
  const rows = await tx.query<BalanceDto>(
    `SELECT b.balance::text AS balance, c.currency, c.debit_limit::text AS debit_limit,
            (b.balance + c.debit_limit)::text AS available
       FROM companies c
       CROSS JOIN LATERAL (
         SELECT (COALESCE((SELECT sum(p.amount) FROM payments p
                            WHERE p.operator_id = c.operator_id AND p.company_id = c.id AND p.status = 'completed'), 0)
               - COALESCE((SELECT sum(u.call_charges) FROM company_usage u
                            WHERE u.operator_id = c.operator_id AND u.company_id = c.id), 0))::numeric(20, 4) AS balance
       ) b
      WHERE c.id = $1`,
    [companyId],
  );
  const r = rows[0];
  if (!r) throw notFound('Company');
  return r;
}
