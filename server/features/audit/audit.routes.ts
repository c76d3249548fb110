/** /api/v1/console/audit: the operator's audit log, newest first. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { consoleCtx } from '../../plugins/scopes.ts';

const Query = Type.Object({
  entity_type: Type.Optional(Type.String({ maxLength: 40 })),
  entity_id: Type.Optional(Type.String({ format: 'uuid' })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export async function registerAuditRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/audit',
    { schema: { summary: 'Audit log of configuration changes', querystring: Query } },
    async (req) => {
      const ctx = consoleCtx(deps, req);
      const q = req.query as { entity_type?: string; entity_id?: string; page: number; page_size: number };
      return withTenant(deps.db, ctx.operatorId, async (tx) => {
        const params = [q.entity_type ?? null, q.entity_id ?? null];
        const where = 'WHERE ($1::text IS NULL OR entity_type = $1) AND ($2::uuid IS NULL OR entity_id = $2)';
        const [count] = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_log ${where}`,
          params,
        );
        const rows = await tx.query<Record<string, unknown>>(
          `SELECT id, at, actor_type, actor_label, action, entity_type, entity_id, before, after FROM audit_log ${where}
          ORDER BY at DESC, id LIMIT $3 OFFSET $4`,
          [...params, q.page_size, (q.page - 1) * q.page_size],
        );
        return {
          items: rows.map((r) => ({ ...r, at: r.at instanceof Date ? r.at.toISOString() : r.at })),
          total: count?.n ?? 0,
          page: q.page,
          page_size: q.page_size,
        };
      });
    },
  );
}
