/**
 * /api/v1/console/ingest/…: the switch feeds live state (registrations, calls in progress, call logs).
 * Each row is validated on its own; the answer is { accepted, errors: [{ index, error, message }] }.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../context.ts';
import { notFound } from '../../lib/errors.ts';
import { consoleCtx } from '../../plugins/scopes.ts';
import { endActiveCall, ingestActiveCalls, ingestCallLogs, ingestRegistrations } from '../../telecom/live.ts';

const MAX_ROWS = 10_000;
const Rows = Type.Array(Type.Unknown(), { maxItems: MAX_ROWS });
const Replace = Type.Optional(Type.Boolean());

const IngestAnswer = Type.Object({
  accepted: Type.Integer(),
  errors: Type.Array(Type.Object({ index: Type.Integer(), error: Type.String(), message: Type.String() })),
});

export async function registerLiveIngestRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.post<{ Body: { registrations: unknown[]; replace?: boolean } }>(
    '/ingest/registrations',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        summary:
          'Upsert live SIP registrations { company_id, username, contact, ip, protocol, nat, user_agent, expires_at }; replace=true removes the ones not listed',
        body: Type.Object({ registrations: Rows, replace: Replace }),
        response: { 200: IngestAnswer },
      },
    },
    async (req) => {
      const ctx = consoleCtx(deps, req);
      return ingestRegistrations(deps, ctx.operatorId, req.body.registrations, req.body.replace ?? false);
    },
  );

  app.post<{ Body: { calls: unknown[]; replace?: boolean } }>(
    '/ingest/active-calls',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        summary:
          'Upsert calls in progress { call_id, company_id, carrier_id?, cli, dest_number, dest_name?, started_at, answered_at? }; replace=true makes the list the complete set',
        body: Type.Object({ calls: Rows, replace: Replace }),
        response: { 200: IngestAnswer },
      },
    },
    async (req) => {
      const ctx = consoleCtx(deps, req);
      return ingestActiveCalls(deps, ctx.operatorId, req.body.calls, req.body.replace ?? false);
    },
  );

  app.delete<{ Params: { callId: string } }>(
    '/ingest/active-calls/:callId',
    {
      schema: {
        summary: 'A call ended: remove it from the calls in progress',
        params: Type.Object({ callId: Type.String({ minLength: 1, maxLength: 255 }) }),
      },
    },
    async (req, reply) => {
      const ctx = consoleCtx(deps, req);
      if (!(await endActiveCall(deps, ctx.operatorId, req.params.callId))) throw notFound('Active call');
      return reply.status(204).send();
    },
  );

  app.post<{ Body: { logs: unknown[] } }>(
    '/ingest/call-logs',
    {
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        summary:
          'Store call logs { call_id, company_id?, attempts: [...], sip_messages: [...], rtcp } (kept 14 days)',
        body: Type.Object({ logs: Rows }),
        response: { 200: IngestAnswer },
      },
    },
    async (req) => {
      const ctx = consoleCtx(deps, req);
      return ingestCallLogs(deps, ctx.operatorId, req.body.logs);
    },
  );
}
