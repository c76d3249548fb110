/** /api/v1/console/dids: the operator's DIDs (inbound numbers), one by one or in bulk. */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../context.ts';
import { consoleCtx } from '../../plugins/scopes.ts';
import {
  DidBulk,
  type DidBulkInput,
  DidCreate,
  type DidInput,
  type DidListInput,
  DidListQuery,
  DidParams,
  DidPatch,
} from './numbers.schema.ts';
import { bulkUpdateDids, createDid, deleteDid, getDid, listDids, updateDid } from './numbers.service.ts';

type Id = { Params: { id: string } };

export async function registerNumberRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/dids',
    {
      schema: {
        summary: 'List DIDs (search by number, destination, tag or company)',
        querystring: DidListQuery,
      },
    },
    async (req) => listDids(consoleCtx(deps, req), req.query as DidListInput),
  );
  app.post('/dids', { schema: { summary: 'Add a DID', body: DidCreate } }, async (req, reply) =>
    reply.status(201).send(await createDid(consoleCtx(deps, req), req.body as DidInput)),
  );
  app.post(
    '/dids/bulk',
    {
      schema: {
        summary: 'Change several DIDs at once (all or nothing)',
        body: DidBulk,
      },
    },
    async (req) => bulkUpdateDids(consoleCtx(deps, req), req.body as DidBulkInput),
  );
  app.get<Id>('/dids/:id', { schema: { summary: 'One DID', params: DidParams } }, async (req) =>
    getDid(consoleCtx(deps, req), req.params.id),
  );
  app.patch<Id>(
    '/dids/:id',
    { schema: { summary: 'Change a DID', params: DidParams, body: DidPatch } },
    async (req) => updateDid(consoleCtx(deps, req), req.params.id, req.body as DidInput),
  );
  app.delete<Id>(
    '/dids/:id',
    { schema: { summary: 'Delete a DID', params: DidParams } },
    async (req, reply) => {
      await deleteDid(consoleCtx(deps, req), req.params.id);
      return reply.status(204).send();
    },
  );
}
