/** /api/v1/console/companies/:id/ip-auth and /sip-users: how a company's equipment authenticates. */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../context.ts';
import { consoleCtx } from '../../plugins/scopes.ts';
import {
  CompanyParams,
  EntryParams,
  IpAuthCreate,
  type IpAuthInput,
  IpAuthPatch,
  type ListInput,
  ListQuery,
  SipUserCreate,
  type SipUserInput,
  SipUserPatch,
  UserParams,
} from './authlists.schema.ts';
import { createIpAuth, deleteIpAuth, listIpAuth, updateIpAuth } from './ipauth.service.ts';
import { createSipUser, deleteSipUser, listSipUsers, updateSipUser } from './sipusers.service.ts';

type Id = { Params: { id: string } };
type Entry = { Params: { id: string; entryId: string } };
type User = { Params: { id: string; userId: string } };

export async function registerAuthListRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<Id>(
    '/companies/:id/ip-auth',
    {
      schema: {
        summary: 'IP authentication entries of a company',
        params: CompanyParams,
        querystring: ListQuery,
      },
    },
    async (req) => listIpAuth(consoleCtx(deps, req), req.params.id, req.query as ListInput),
  );
  app.post<Id>(
    '/companies/:id/ip-auth',
    { schema: { summary: 'Add an IP authentication entry', params: CompanyParams, body: IpAuthCreate } },
    async (req, reply) =>
      reply
        .status(201)
        .send(await createIpAuth(consoleCtx(deps, req), req.params.id, req.body as IpAuthInput)),
  );
  app.patch<Entry>(
    '/companies/:id/ip-auth/:entryId',
    { schema: { summary: 'Change an IP authentication entry', params: EntryParams, body: IpAuthPatch } },
    async (req) =>
      updateIpAuth(consoleCtx(deps, req), req.params.id, req.params.entryId, req.body as IpAuthInput),
  );
  app.delete<Entry>(
    '/companies/:id/ip-auth/:entryId',
    { schema: { summary: 'Remove an IP authentication entry', params: EntryParams } },
    async (req, reply) => {
      await deleteIpAuth(consoleCtx(deps, req), req.params.id, req.params.entryId);
      return reply.status(204).send();
    },
  );

  app.get<Id>(
    '/companies/:id/sip-users',
    {
      schema: {
        summary: 'SIP users of a company (never their passwords)',
        params: CompanyParams,
        querystring: ListQuery,
      },
    },
    async (req) => listSipUsers(consoleCtx(deps, req), req.params.id, req.query as ListInput),
  );
  app.post<Id>(
    '/companies/:id/sip-users',
    { schema: { summary: 'Add a SIP user', params: CompanyParams, body: SipUserCreate } },
    async (req, reply) =>
      reply
        .status(201)
        .send(await createSipUser(consoleCtx(deps, req), req.params.id, req.body as SipUserInput)),
  );
  app.patch<User>(
    '/companies/:id/sip-users/:userId',
    {
      schema: {
        summary: 'Change a SIP user (a new username needs a new password)',
        params: UserParams,
        body: SipUserPatch,
      },
    },
    async (req) =>
      updateSipUser(consoleCtx(deps, req), req.params.id, req.params.userId, req.body as SipUserInput),
  );
  app.delete<User>(
    '/companies/:id/sip-users/:userId',
    { schema: { summary: 'Remove a SIP user', params: UserParams } },
    async (req, reply) => {
      await deleteSipUser(consoleCtx(deps, req), req.params.id, req.params.userId);
      return reply.status(204).send();
    },
  );
}
