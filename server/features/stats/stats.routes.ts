/**
 * Portal: charts (ACD, ASR, CPS, channels, DTMF), Latest Calls with call detail and Simulate, Dialog and CLI.
 * Console: carrier aliases and whether customers see carrier names.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { FeatureId } from '../../../common/features.ts';
import type { ContactPrincipal, Deps } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { consoleCtx, contactOf } from '../../plugins/scopes.ts';
import { listCliRules } from '../cli/cli.service.ts';
import { callDetail, type LatestQuery, latestCalls } from './calls.ts';
import { getCarrierDisplay, setCarrierAlias, setCarrierDisplay } from './carriers.console.ts';
import { liveCalls } from './dialog.ts';
import { chartRange } from './range.ts';
import { chart, type Metric, type Scope } from './series.ts';
import { type SimulateInput, simulateCall } from './simulate.ts';

const RangeQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 40 })),
  to: Type.Optional(Type.String({ maxLength: 40 })),
  step: Type.Optional(Type.Integer({ minimum: 1 })),
});
const PageQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
});
const LatestQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('connected'), Type.Literal('failed')])),
  before: Type.Optional(Type.String({ maxLength: 400 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
const SimulateBody = Type.Object(
  {
    dest_number: Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9#*+()\\s-]+$' }),
    cli: Type.String({ maxLength: 40 }),
    duration: Type.Integer({ minimum: 0, maximum: 86_400 }),
  },
  { additionalProperties: false },
);

type RangeReq = { Querystring: { from?: string; to?: string; step?: number } };

const CHARTS: { metric: Metric; feature: FeatureId; carrierFeature: FeatureId | null }[] = [
  { metric: 'acd', feature: 'customer_acd', carrierFeature: null },
  { metric: 'asr', feature: 'customer_asr', carrierFeature: null },
  { metric: 'cps', feature: 'customer_cps', carrierFeature: 'carrier_cps' },
  { metric: 'channels', feature: 'customer_channels', carrierFeature: 'carrier_channels' },
  { metric: 'dtmf', feature: 'customer_dtmf', carrierFeature: 'carrier_dtmf' },
];

/**
 * A customer sees its own calls, with a line per carrier when the carrier feature is on; a carrier user
 * sees the calls it carried (one line: other customers are never named).
 */
function scopeOf(c: ContactPrincipal, carrierFeature: FeatureId | null, forceSplit: boolean): Scope {
  if (c.company.type === 'carrier') return { column: 'carrier_id', id: c.company.id, perCarrier: false };
  const split = forceSplit || (carrierFeature !== null && c.features.includes(carrierFeature));
  return { column: 'company_id', id: c.company.id, perCarrier: split };
}

export async function registerStatsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const serve = (metric: Metric, feature: FeatureId, carrierFeature: FeatureId | null, url: string) =>
    app.get<RangeReq>(
      url,
      {
        config: { feature },
        schema: { summary: `${metric.toUpperCase()} over time`, querystring: RangeQuery },
      },
      async (req) => {
        const c = contactOf(req);
        const range = chartRange(req.query);
        const scope = scopeOf(c, carrierFeature, url.includes('/carrier/'));
        // One snapshot: the chart slots and the CDRs after the queued calls must agree.
        return withTenant(deps.db, c.operatorId, (tx) => chart(tx, metric, scope, range), { snapshot: true });
      },
    );
  for (const ch of CHARTS) serve(ch.metric, ch.feature, ch.carrierFeature, `/stats/${ch.metric}`);
  for (const ch of CHARTS)
    if (ch.carrierFeature)
      serve(ch.metric, ch.carrierFeature, ch.carrierFeature, `/stats/carrier/${ch.metric}`);

  app.get<{ Querystring: LatestQuery }>(
    '/calls',
    {
      config: { feature: 'latest_calls' },
      schema: {
        summary: 'Latest call attempts, newest first (keyset paged)',
        querystring: LatestQuerySchema,
      },
    },
    async (req) => {
      const c = contactOf(req);
      return withTenant(deps.db, c.operatorId, (tx) => latestCalls(tx, c.company.id, req.query));
    },
  );
  app.get<{ Params: { callId: string } }>(
    '/calls/:callId',
    {
      config: { feature: 'latest_calls' },
      schema: {
        summary: 'One call: routing attempts, SIP messages and RTCP quality',
        params: Type.Object({ callId: Type.String({ minLength: 1, maxLength: 255 }) }),
      },
    },
    async (req) => {
      const c = contactOf(req);
      return withTenant(deps.db, c.operatorId, (tx) => callDetail(tx, c.company.id, req.params.callId));
    },
  );
  app.post<{ Body: SimulateInput }>(
    '/calls/simulate',
    {
      config: { feature: 'latest_calls' },
      schema: { summary: 'Route and rate a call without placing it', body: SimulateBody },
    },
    async (req) => {
      const c = contactOf(req);
      return withTenant(deps.db, c.operatorId, (tx) => simulateCall(tx, c.company.id, req.body));
    },
  );
  app.get<{ Querystring: { q?: string; page: number; page_size: number } }>(
    '/live-calls',
    { config: { feature: 'dialog' }, schema: { summary: 'Calls in progress', querystring: PageQuery } },
    async (req) => {
      const c = contactOf(req);
      return withTenant(deps.db, c.operatorId, (tx) => liveCalls(tx, c.company.id, req.query));
    },
  );
  app.get<{ Querystring: { q?: string; page: number; page_size: number } }>(
    '/cli',
    {
      config: { feature: 'cli' },
      schema: { summary: 'Caller ID rules of the account, explained', querystring: PageQuery },
    },
    async (req) => {
      const c = contactOf(req);
      const ctx = {
        deps,
        operatorId: c.operatorId,
        actor: { type: 'contact' as const, id: c.userId, label: c.email },
      };
      const out = await listCliRules(ctx, c.company.id, req.query);
      return { ...out, items: out.items.map(({ company_id: _c, ...r }) => r) };
    },
  );
}

export async function registerCarrierDisplayRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.put<{ Params: { id: string }; Body: { alias: string | null } }>(
    '/companies/:id/carrier-alias',
    {
      schema: {
        summary: 'Set the alias customers see for a carrier (null: "Carrier <n>")',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          { alias: Type.Union([Type.String({ maxLength: 60 }), Type.Null()]) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => setCarrierAlias(consoleCtx(deps, req), req.params.id, req.body.alias),
  );
  app.get('/carrier-display', { schema: { summary: 'Whether customers see carrier names' } }, async (req) =>
    getCarrierDisplay(consoleCtx(deps, req)),
  );
  app.put<{ Body: { show_names: boolean } }>(
    '/carrier-display',
    {
      schema: {
        summary: 'Show carriers to customers by name (true) or by alias (false)',
        body: Type.Object({ show_names: Type.Boolean() }, { additionalProperties: false }),
      },
    },
    async (req) => setCarrierDisplay(consoleCtx(deps, req), req.body.show_names),
  );
}
