/** /api/v1/console/rate-cards (cards, revisions, rates CSV/JSON import) and /companies/:id/routes. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../context.ts';
import { badRequest } from '../../lib/errors.ts';
import { consoleCtx } from '../../plugins/scopes.ts';
import {
  createRateCard,
  createRoute,
  deleteRoute,
  getRateCard,
  importRates,
  listRateCards,
  listRates,
  listRoutes,
  parseRatesCsv,
  type RouteInput,
  updateRoute,
} from './ratecards.service.ts';

const Uuid = Type.String({ format: 'uuid' });
const Paging = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
};
const CardBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    currency: Type.String({ minLength: 3, maxLength: 3 }),
    precision: Type.Optional(Type.Integer({ minimum: 0, maximum: 6 })),
    rounding: Type.Optional(
      Type.Union([
        Type.Literal('up'),
        Type.Literal('down'),
        Type.Literal('half_up'),
        Type.Literal('half_down'),
      ]),
    ),
    direction: Type.Optional(Type.Union([Type.Literal('termination'), Type.Literal('origination')])),
  },
  { additionalProperties: false },
);
const Nullable = (t: ReturnType<typeof Type.Integer>) => Type.Union([Type.Null(), t]);
const RouteFields = {
  rate_card_id: Uuid,
  tech_prefix: Type.String({ pattern: '^[0-9#*]{0,20}$' }),
  channels: Nullable(Type.Integer({ minimum: 0, maximum: 100000 })),
  cps: Nullable(Type.Integer({ minimum: 0, maximum: 100000 })),
  max_duration: Nullable(Type.Integer({ minimum: 0, maximum: 86400 })),
  public_note: Type.String({ maxLength: 2000 }),
  private_note: Type.String({ maxLength: 2000 }),
  enabled: Type.Boolean(),
};
const RoutePatch = Type.Partial(Type.Object(RouteFields, { additionalProperties: false }));
const RouteCreate = Type.Intersect([Type.Object({ rate_card_id: Uuid }), RoutePatch]);

export async function registerRateCardRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.addContentTypeParser(
    ['text/csv', 'text/plain'],
    { parseAs: 'string', bodyLimit: 64 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.get(
    '/rate-cards',
    {
      schema: {
        summary: 'List rate cards with their active revision',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), ...Paging }),
      },
    },
    async (req) =>
      listRateCards(consoleCtx(deps, req), req.query as { q?: string; page: number; page_size: number }),
  );
  app.post('/rate-cards', { schema: { summary: 'Create a rate card', body: CardBody } }, async (req, reply) =>
    reply
      .status(201)
      .send(await createRateCard(consoleCtx(deps, req), req.body as Parameters<typeof createRateCard>[1])),
  );
  app.get<{ Params: { id: string } }>(
    '/rate-cards/:id',
    { schema: { summary: 'A rate card with its revisions', params: Type.Object({ id: Uuid }) } },
    async (req) => getRateCard(consoleCtx(deps, req), req.params.id),
  );
  app.post<{ Params: { id: string }; Querystring: { date_live?: string } }>(
    '/rate-cards/:id/rates',
    {
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        summary:
          'Import rates as a new revision: CSV (prefix,name,rate,connect_cost,mcd,pulse,grace[,status]) or a JSON array; all or nothing, with a validation report',
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object({ date_live: Type.Optional(Type.String({ format: 'date-time' })) }),
      },
    },
    async (req, reply) => {
      const raw = typeof req.body === 'string' ? parseRatesCsv(req.body) : req.body;
      if (!Array.isArray(raw))
        throw badRequest('invalid_request', 'Send the rates as CSV (text/csv) or as a JSON array');
      const dateLive = req.query.date_live ? new Date(req.query.date_live) : undefined;
      return reply
        .status(201)
        .send(await importRates(consoleCtx(deps, req), req.params.id, raw, { dateLive }));
    },
  );
  app.get<{ Params: { id: string } }>(
    '/rate-cards/:id/rates',
    {
      schema: {
        summary: 'Rates of a revision (the active one by default)',
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object({
          revision_id: Type.Optional(Uuid),
          q: Type.Optional(Type.String({ maxLength: 100 })),
          ...Paging,
        }),
      },
    },
    async (req) =>
      listRates(consoleCtx(deps, req), req.params.id, req.query as Parameters<typeof listRates>[2]),
  );

  const CompanyParams = Type.Object({ id: Uuid });
  const RouteParams = Type.Object({ id: Uuid, routeId: Uuid });
  app.get<{ Params: { id: string } }>(
    '/companies/:id/routes',
    { schema: { summary: 'Routes of a company', params: CompanyParams } },
    async (req) => listRoutes(consoleCtx(deps, req), req.params.id),
  );
  app.post<{ Params: { id: string } }>(
    '/companies/:id/routes',
    {
      schema: {
        summary: 'Add a route (rate card assignment) to a company',
        params: CompanyParams,
        body: RouteCreate,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await createRoute(
            consoleCtx(deps, req),
            req.params.id,
            req.body as RouteInput & { rate_card_id: string },
          ),
        ),
  );
  app.patch<{ Params: { id: string; routeId: string } }>(
    '/companies/:id/routes/:routeId',
    { schema: { summary: 'Change a route', params: RouteParams, body: RoutePatch } },
    async (req) =>
      updateRoute(consoleCtx(deps, req), req.params.id, req.params.routeId, req.body as RouteInput),
  );
  app.delete<{ Params: { id: string; routeId: string } }>(
    '/companies/:id/routes/:routeId',
    { schema: { summary: 'Remove a route', params: RouteParams } },
    async (req, reply) => {
      await deleteRoute(consoleCtx(deps, req), req.params.id, req.params.routeId);
      return reply.status(204).send();
    },
  );
}
