/** /api/v1/console/mail-jobs: the operator's outgoing mail (queued, sent, failed) with "retry now". */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../context.ts';
import { consoleCtx } from '../../plugins/scopes.ts';
import { listMailJobs, type MailJobQuery, retryMailJob } from './mail.service.ts';

const MailJobsQuery = Type.Object({
  state: Type.Optional(
    Type.Union([
      Type.Literal('queued'),
      Type.Literal('running'),
      Type.Literal('done'),
      Type.Literal('failed'),
    ]),
  ),
  q: Type.Optional(Type.String({ maxLength: 254 })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
});
const JobParams = Type.Object({ jobId: Type.String({ pattern: '^[0-9]{1,18}$' }) });

export async function registerMailRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/mail-jobs',
    { schema: { summary: 'Outgoing mail and its delivery state', querystring: MailJobsQuery } },
    async (req) => listMailJobs(consoleCtx(deps, req), req.query as MailJobQuery),
  );
  app.post<{ Params: { jobId: string } }>(
    '/mail-jobs/:jobId/retry',
    { schema: { summary: 'Send a failed or waiting mail again now', params: JobParams } },
    async (req) => retryMailJob(consoleCtx(deps, req), req.params.jobId),
  );
}
