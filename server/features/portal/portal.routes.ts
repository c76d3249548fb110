/** Portal API for contacts; each route declares the feature that gates it. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { contactOf } from '../../plugins/scopes.ts';
import { companyBalance } from '../companies/balance.service.ts';

const Balance = Type.Object({
  balance: Type.String(),
  currency: Type.String(),
  debit_limit: Type.String(),
  available: Type.String(),
});

export async function registerPortalRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/balance',
    {
      config: { feature: 'balance' },
      schema: { summary: 'The company’s balance', response: { 200: Balance } },
    },
    async (req) => {
      const c = contactOf(req);
      return withTenant(deps.db, c.operatorId, (tx) => companyBalance(tx, c.company.id));
    },
  );
}
