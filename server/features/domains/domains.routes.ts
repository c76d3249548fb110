/** /api/v1/console/domains: list, create, read, update, delete, send a test email. */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { loadBrandMail } from '../../emails/outbox.ts';
import { renderMail } from '../../emails/templates.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { consoleCtx } from '../../plugins/scopes.ts';
import {
  DomainCreate,
  type DomainInput,
  DomainPatch,
  IdParams,
  ListQuery,
  NoticeQuery,
  TestEmailBody,
} from './domains.schema.ts';
import { createDomain, deleteDomain, listDomains, updateDomain } from './domains.service.ts';
import { checkNow, getDomainDetail, listNotices } from './domains.tls.ts';

type Id = { Params: { id: string } };

export async function registerDomainRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get('/domains', { schema: { summary: 'List portal domains', querystring: ListQuery } }, async (req) => {
    const q = req.query as { q?: string; page: number; page_size: number };
    return listDomains(consoleCtx(deps, req), q);
  });

  app.post(
    '/domains',
    { schema: { summary: 'Create a portal domain', body: DomainCreate } },
    async (req, reply) => {
      const dto = await createDomain(
        consoleCtx(deps, req),
        req.body as DomainInput & { domain: string; brand_name: string },
      );
      return reply.status(201).send(dto);
    },
  );

  app.get<Id>(
    '/domains/:id',
    {
      schema: {
        summary: 'One portal domain with its deployment: expected record, DNS seen, certificate, timeline',
        params: IdParams,
      },
    },
    async (req) => getDomainDetail(consoleCtx(deps, req), req.params.id),
  );

  app.post<Id>(
    '/domains/:id/check',
    { schema: { summary: 'Re-run the DNS and certificate checks now (once per 10 s)', params: IdParams } },
    async (req) => checkNow(consoleCtx(deps, req), req.params.id),
  );

  app.get<Id>(
    '/domains/:id/notices',
    {
      schema: {
        summary: 'Notices about the domain (failed issuance, expiry warnings), newest first',
        params: IdParams,
        querystring: NoticeQuery,
      },
    },
    async (req) =>
      listNotices(
        consoleCtx(deps, req),
        req.params.id,
        req.query as { page: number; page_size: number; level?: string },
      ),
  );

  app.patch<Id>(
    '/domains/:id',
    { schema: { summary: 'Change a portal domain', params: IdParams, body: DomainPatch } },
    async (req) => updateDomain(consoleCtx(deps, req), req.params.id, req.body as DomainInput),
  );

  app.delete<Id>(
    '/domains/:id',
    { schema: { summary: 'Delete a portal domain', params: IdParams } },
    async (req, reply) => {
      await deleteDomain(consoleCtx(deps, req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.post<Id & { Body: { to: string } }>(
    '/domains/:id/test-email',
    {
      schema: {
        summary: 'Send a test email through the domain’s SMTP and report the server’s answer',
        params: IdParams,
        body: TestEmailBody,
      },
    },
    async (req) => {
      const ctx = consoleCtx(deps, req);
      const exists = await withTenant(deps.db, ctx.operatorId, (tx) =>
        tx.query('SELECT 1 FROM portal_domains WHERE id = $1', [req.params.id]),
      );
      if (exists.length === 0) throw notFound('Domain');
      const { brand, smtp } = await loadBrandMail(deps, ctx.operatorId, req.params.id);
      if (!smtp) {
        throw badRequest('smtp_not_configured', 'Set an SMTP host for this domain first', {
          field: 'smtp.host',
        });
      }
      return deps.mailer.send(smtp, { to: req.body.to, ...renderMail('test', brand, {}) });
    },
  );
}
