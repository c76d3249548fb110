/**
 * Reports: CDRs, breakout and summary. Portal routes show the contact's own company only, with the fields and
 * columns its brand allows for its user type; console routes (/reports/…) span the operator's customers and
 * add carrier cost and profit.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CDR_FIELDS } from '../../../common/features.ts';
import type { Deps } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { consoleCtx, contactOf } from '../../plugins/scopes.ts';
import {
  type CdrQuery,
  type CdrScope,
  checkScope,
  countCdrs,
  exportCdrCsv,
  listCdrs,
  readFilter,
} from './cdrs.service.ts';
import { allowedFields, chooseFields } from './fields.ts';
import {
  ConsoleBreakoutQuery,
  ConsoleCdrCsvQuery,
  ConsoleCdrQuery,
  ConsoleSummaryQuery,
  Count,
  PortalBreakoutQuery,
  PortalCdrCsvQuery,
  PortalCdrQuery,
  PortalSummaryQuery,
} from './reports.schema.ts';
import {
  allowedColumns,
  breakoutRequest,
  reportTable,
  sendCsv,
  stamp,
  summaryRequest,
  tableCsv,
} from './reports.ts';

type Q<T> = { Querystring: T };
type ConsoleCdrQ = CdrQuery & { company_id?: string; carrier_id?: string };
type BreakoutQ = { from?: string; to?: string; tz?: string; group?: string; company_id?: string };
type SummaryQ = { period?: string; tz?: string; company_id?: string };

/** What a contact may read: its company, the brand's fields and columns for its user type. */
function reader(req: FastifyRequest) {
  const c = contactOf(req);
  const brand = req.site?.kind === 'portal' ? req.site.brand : null;
  return {
    c,
    fields: allowedFields(brand?.cdrFields, c.company.type, c.features),
    columns: allowedColumns(brand?.breakoutColumns, c.company.type),
  };
}

/** The contact's own time zone (profile), used when the request names none. */
async function contactZone(tx: Tx, contactId: string): Promise<string | undefined> {
  const [r] = await tx.query<{ tz: string | null }>('SELECT time_zone AS tz FROM contacts WHERE id = $1', [
    contactId,
  ]);
  return r?.tz ?? undefined;
}

export async function registerPortalReportRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<Q<CdrQuery>>(
    '/cdrs',
    {
      config: { feature: 'cdr' },
      schema: { summary: 'The company’s CDRs, newest first (keyset pages)', querystring: PortalCdrQuery },
    },
    async (req) => {
      const { c, fields } = reader(req);
      const chosen = chooseFields(req.query.fields, fields);
      const page = await withTenant(deps.db, c.operatorId, (tx) =>
        listCdrs(deps, tx, { companyId: c.company.id }, req.query, chosen, { recordingUrl: true }),
      );
      return { ...page, available_fields: fields };
    },
  );
  app.get<Q<CdrQuery>>(
    '/cdrs/count',
    {
      config: { feature: 'cdr' },
      schema: {
        summary: 'How many CDRs match the filters',
        querystring: PortalCdrCsvQuery,
        response: { 200: Count },
      },
    },
    async (req) => {
      const { c } = reader(req);
      const count = await withTenant(deps.db, c.operatorId, (tx) =>
        countCdrs(tx, { companyId: c.company.id }, req.query),
      );
      return { count };
    },
  );
  app.get<Q<CdrQuery>>(
    '/cdrs.csv',
    {
      config: { feature: 'cdr' },
      schema: { summary: 'The matching CDRs as CSV (UTC times), streamed', querystring: PortalCdrCsvQuery },
    },
    async (req, reply) => {
      const { c, fields } = reader(req);
      const chosen = chooseFields(req.query.fields, fields);
      const f = readFilter(req.query); // refuses a bad filter before the reply starts
      return sendCsv(
        reply,
        `cdrs-${stamp(f.from)}-${stamp(f.to)}.csv`,
        exportCdrCsv(deps, c.operatorId, { companyId: c.company.id }, req.query, chosen),
      );
    },
  );
  const breakout = async (req: FastifyRequest<Q<BreakoutQ>>) => {
    const { c, columns } = reader(req);
    return withTenant(deps.db, c.operatorId, async (tx) => {
      const r = breakoutRequest({ ...req.query, tz: req.query.tz ?? (await contactZone(tx, c.userId)) });
      return reportTable(tx, { ...r, companyId: c.company.id, allowed: columns });
    });
  };
  app.get<Q<BreakoutQ>>(
    '/breakout',
    {
      config: { feature: 'breakout' },
      schema: {
        summary: 'Traffic per destination, day or hour with weighted totals',
        querystring: PortalBreakoutQuery,
      },
    },
    breakout,
  );
  app.get<Q<BreakoutQ>>(
    '/breakout.csv',
    {
      config: { feature: 'breakout' },
      schema: { summary: 'The breakout as CSV', querystring: PortalBreakoutQuery },
    },
    async (req, reply) => {
      const t = await breakout(req);
      return sendCsv(reply, `breakout-${t.group}-${stamp(new Date(t.from))}.csv`, tableCsv(t));
    },
  );
  app.get<Q<SummaryQ>>(
    '/summary',
    {
      config: { feature: 'summary' },
      schema: {
        summary: 'Last 24 hours by hour, 30 days by day or 12 months by month',
        querystring: PortalSummaryQuery,
      },
    },
    async (req) => {
      const { c, columns } = reader(req);
      return withTenant(deps.db, c.operatorId, async (tx) => {
        const r = summaryRequest(req.query.period, req.query.tz ?? (await contactZone(tx, c.userId)));
        return reportTable(tx, { ...r, companyId: c.company.id, allowed: columns });
      });
    },
  );
}

export async function registerConsoleReportRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const scopeOf = (q: ConsoleCdrQ): CdrScope => ({
    ...(q.company_id ? { companyId: q.company_id } : {}),
    ...(q.carrier_id ? { carrierId: q.carrier_id } : {}),
  });
  app.get<Q<ConsoleCdrQ>>(
    '/reports/cdrs',
    {
      schema: { summary: 'CDRs across customers, newest first (keyset pages)', querystring: ConsoleCdrQuery },
    },
    async (req) => {
      const ctx = consoleCtx(deps, req);
      const chosen = chooseFields(req.query.fields, CDR_FIELDS);
      const page = await withTenant(deps.db, ctx.operatorId, async (tx) => {
        await checkScope(tx, scopeOf(req.query));
        return listCdrs(deps, tx, scopeOf(req.query), req.query, chosen, { companyName: true });
      });
      return { ...page, available_fields: CDR_FIELDS };
    },
  );
  app.get<Q<ConsoleCdrQ>>(
    '/reports/cdrs/count',
    { schema: { summary: 'How many CDRs match', querystring: ConsoleCdrCsvQuery, response: { 200: Count } } },
    async (req) => {
      const ctx = consoleCtx(deps, req);
      const count = await withTenant(deps.db, ctx.operatorId, async (tx) => {
        await checkScope(tx, scopeOf(req.query));
        return countCdrs(tx, scopeOf(req.query), req.query);
      });
      return { count };
    },
  );
  app.get<Q<ConsoleCdrQ>>(
    '/reports/cdrs.csv',
    { schema: { summary: 'CDRs as CSV (UTC times), streamed', querystring: ConsoleCdrCsvQuery } },
    async (req, reply) => {
      const ctx = consoleCtx(deps, req);
      const chosen = chooseFields(req.query.fields, CDR_FIELDS);
      const f = readFilter(req.query);
      await withTenant(deps.db, ctx.operatorId, (tx) => checkScope(tx, scopeOf(req.query)));
      return sendCsv(
        reply,
        `cdrs-${stamp(f.from)}-${stamp(f.to)}.csv`,
        exportCdrCsv(deps, ctx.operatorId, scopeOf(req.query), req.query, chosen),
      );
    },
  );
  const breakout = async (req: FastifyRequest<Q<BreakoutQ>>) => {
    const ctx = consoleCtx(deps, req);
    const r = breakoutRequest(req.query);
    const companyId = req.query.company_id;
    return withTenant(deps.db, ctx.operatorId, async (tx) => {
      if (companyId) await checkScope(tx, { companyId });
      return reportTable(tx, { ...r, ...(companyId ? { companyId } : {}), allowed: null });
    });
  };
  app.get<Q<BreakoutQ>>(
    '/reports/breakout',
    {
      schema: {
        summary: 'Traffic per destination, day, hour, customer or carrier with carrier cost and profit',
        querystring: ConsoleBreakoutQuery,
      },
    },
    breakout,
  );
  app.get<Q<BreakoutQ>>(
    '/reports/breakout.csv',
    { schema: { summary: 'The breakout as CSV', querystring: ConsoleBreakoutQuery } },
    async (req, reply) => {
      const t = await breakout(req);
      return sendCsv(reply, `breakout-${t.group}-${stamp(new Date(t.from))}.csv`, tableCsv(t));
    },
  );
  app.get<Q<SummaryQ>>(
    '/reports/summary',
    {
      schema: { summary: 'Summary by hour, day or month across customers', querystring: ConsoleSummaryQuery },
    },
    async (req) => {
      const ctx = consoleCtx(deps, req);
      const r = summaryRequest(req.query.period, req.query.tz);
      const companyId = req.query.company_id;
      return withTenant(deps.db, ctx.operatorId, async (tx) => {
        if (companyId) await checkScope(tx, { companyId });
        return reportTable(tx, { ...r, ...(companyId ? { companyId } : {}), allowed: null });
      });
    },
  );
}
