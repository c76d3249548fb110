/** /api/v1/console/tokens: operator API tokens, shown once, stored hashed, revocable. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { audit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import { isoOrNull } from '../../lib/format.ts';
import { randomToken, sha256 } from '../../lib/secrets.ts';
import { consoleCtx } from '../../plugins/scopes.ts';

const present = (r: Record<string, unknown>) => ({
  id: String(r.id),
  name: String(r.name),
  prefix: String(r.prefix),
  created_at: isoOrNull(r.created_at),
  last_used_at: isoOrNull(r.last_used_at),
  revoked_at: isoOrNull(r.revoked_at),
});

export async function registerTokenRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get('/tokens', { schema: { summary: 'List API tokens (never their values)' } }, async (req) => {
    const ctx = consoleCtx(deps, req);
    const rows = await withTenant(deps.db, ctx.operatorId, (tx) =>
      tx.query('SELECT * FROM api_tokens ORDER BY created_at DESC'),
    );
    return { items: rows.map(present) };
  });

  app.post<{ Body: { name: string } }>(
    '/tokens',
    {
      schema: {
        summary: 'Create an API token; its value is shown in this answer only',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
      },
    },
    async (req, reply) => {
      const ctx = consoleCtx(deps, req);
      const token = `vpp_${randomToken(32)}`;
      const row = await withTenant(deps.db, ctx.operatorId, async (tx) => {
        const [r] = await tx.query(
          'INSERT INTO api_tokens (operator_id, name, prefix, token_hash, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *',
          [
            ctx.operatorId,
            req.body.name.trim(),
            token.slice(0, 10),
            sha256(token),
            ctx.actor.type === 'operator_user' ? ctx.actor.id : null,
          ],
        );
        await audit(tx, ctx.operatorId, ctx.actor, {
          action: 'token.create',
          entityType: 'api_token',
          entityId: String(r!.id),
          after: { name: r!.name, prefix: r!.prefix },
        });
        return r!;
      });
      return reply.status(201).send({ ...present(row), token });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/tokens/:id',
    {
      schema: {
        summary: 'Revoke an API token',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (req, reply) => {
      const ctx = consoleCtx(deps, req);
      await withTenant(deps.db, ctx.operatorId, async (tx) => {
        const rows = await tx.query(
          'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING name',
          [req.params.id],
        );
        if (!rows[0]) throw notFound('Token');
        await audit(tx, ctx.operatorId, ctx.actor, {
          action: 'token.revoke',
          entityType: 'api_token',
          entityId: req.params.id,
        });
      });
      return reply.status(204).send();
    },
  );
}
