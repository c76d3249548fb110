import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/db.ts';
import { ingestCdrs } from '../../telecom/ingest.ts';
import { compactRollups } from '../../telecom/rollups.ts';
import { generateCalls } from '../../telecom/simulator/generate.ts';
import { ENGINE } from '../../test/db.ts';
import {
  buildCompany,
  buildContact,
  buildDomain,
  buildOperator,
  type Client,
  startTestApp,
  type TenantFixture,
  type TestApp,
} from '../../test/harness.ts';
import { createRateCard, createRoute, importRates } from '../ratecards/ratecards.service.ts';
import { plan } from './breakout.service.ts';
import { cdrCsv } from './cdrs.service.ts';

let t: TestApp;
let op: TenantFixture;
let other: TenantFixture;
let alice: Client;
let bob: Client;
let noBreakout: Client;
let coA: string;
let coB: string;
let carriers: string[];

interface Raw {
  call_id: string;
  company_id: string;
  start_time: Date;
  cli: string;
  dest_number: string;
  duration: number;
  billed_duration: number;
  sip_code: number;
  dtmf: string;
  pdd_ms: number | null;
  dest_code: string | null;
  dest_name: string | null;
  charge: string;
  carrier_id: string | null;
  carrier_cost: string | null;
  source_ip: string | null;
}
let all: Raw[] = [];

const NOW = Date.now();
const FROM = new Date(NOW - 40 * 86_400_000);
const TO = new Date(NOW - 60_000);
const CUSTOMER_FIELDS = [
  'call_id',
  'start_time',
  'cli',
  'dest_number',
  'duration',
  'sip_code',
  'dest_name',
  'charge',
];
const CUSTOMER_COLUMNS = [
  'dest_code',
  'dest_name',
  'attempts',
  'connected',
  'asr',
  'acd',
  'duration',
  'dtmf_calls',
  'dtmf_pct',
];

const DESTS = [
  { prefix: '1', name: 'USA', rate: '0.0090' },
  { prefix: '447', name: 'UK Mobile', rate: '0.0220' },
  { prefix: '44', name: 'UK, landline', rate: '0.0120' },
  { prefix: '91', name: 'India', rate: '0.0280' },
  { prefix: '234', name: 'Nigeria "NG"', rate: '0.1350' },
];

beforeAll(async () => {
  t = await startTestApp();
  op = await buildOperator(t);
  other = await buildOperator(t);
  const d = await buildDomain(op, {
    features: { cdr: true, breakout: true, summary: true },
    cdr_fields: { customer: CUSTOMER_FIELDS, carrier: ['call_id', 'start_time'] },
    breakout_columns: { customer: CUSTOMER_COLUMNS, carrier: ['attempts'] },
  });
  const d2 = await buildDomain(op, { features: { cdr: true, breakout: false, summary: false } });
  coA = (await buildCompany(op, { domain_id: d.id })).id;
  coB = (await buildCompany(op, { domain_id: d.id })).id;
  const coC = (await buildCompany(op, { domain_id: d2.id })).id;
  carriers = [];
  for (let i = 0; i < 2; i++)
    carriers.push((await buildCompany(op, { type: 'carrier', name: `Carrier ${i}` })).id);
  const card = await createRateCard(op.ctx, { name: 'Retail', currency: 'USD' });
  await importRates(
    op.ctx,
    card.id,
    DESTS.map((x) => ({ ...x, mcd: 30, pulse: 6 })),
  );
  for (const c of [coA, coB, coC]) await createRoute(op.ctx, c, { rate_card_id: card.id });
  const spec = {
    customers: [{ id: coA }, { id: coB }],
    destinations: DESTS,
    carriers: carriers.map((id) => ({ id, currency: 'USD' })),
  };
  const rows = [...generateCalls({ ...spec, seed: 'reports', from: FROM, to: TO, count: 6000 })];
  // Half before a compaction and half after: readers must sum compacted and appended rollup rows alike.
  for (const [i, part] of [rows.slice(0, 3000), rows.slice(3000)].entries()) {
    const r = await ingestCdrs(t.deps, op.operatorId, part);
    expect(r.errors).toEqual([]);
    if (i === 0) await compactRollups(t.deps, op.operatorId);
  }
  all = await withTenant(t.deps.db, op.operatorId, (tx) =>
    tx.query<Raw>(
      `SELECT call_id, company_id, start_time, cli, dest_number, duration, billed_duration, sip_code, dtmf, pdd_ms,
              dest_code, dest_name, charge::text AS charge, carrier_id, carrier_cost::text AS carrier_cost, source_ip
         FROM cdrs`,
    ),
  );
  const a = await buildContact(t, op, coA, d.domain);
  await a.login();
  alice = a.portal;
  const b = await buildContact(t, op, coB, d.domain);
  await b.login();
  bob = b.portal;
  const c = await buildContact(t, op, coC, d2.domain);
  await c.login();
  noBreakout = c.portal;
}, 120_000);
afterAll(() => t.close());

const of = (co: string, from: Date, to: Date) =>
  all.filter((r) => r.company_id === co && r.start_time >= from && r.start_time < to);
const qs = (o: Record<string, string | number | boolean>) =>
  new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();

/** Every page of a CDR listing. */
async function walk(c: Client, base: string, q: Record<string, string | number | boolean>) {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const res = await c.get(`${base}?${qs({ ...q, ...(cursor ? { cursor } : {}) })}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    items.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return items;
}

/** The brute-force breakout measures of a set of calls. */
function sums(rows: Raw[]) {
  const connected = rows.filter((r) => r.duration > 0);
  const dur = connected.reduce((s, r) => s + r.duration, 0);
  const pdd = rows.filter((r) => r.pdd_ms !== null);
  const dtmf = connected.filter((r) => r.dtmf !== '').length;
  return {
    attempts: rows.length,
    connected: connected.length,
    asr: rows.length ? Math.round((connected.length * 100 * 100) / rows.length) / 100 : null,
    acd: connected.length ? Math.round((dur * 10) / connected.length) / 10 : null,
    duration: Math.round((dur * 100) / 60) / 100,
    billed_duration: Math.round((rows.reduce((s, r) => s + r.billed_duration, 0) * 100) / 60) / 100,
    dtmf_calls: dtmf,
    dtmf_pct: connected.length ? Math.round((dtmf * 100 * 100) / connected.length) / 100 : null,
    pdd_ms: pdd.length ? Math.round(pdd.reduce((s, r) => s + r.pdd_ms!, 0) / pdd.length) : null,
    charge: rows.reduce((s, r) => s.plus(r.charge), new Decimal(0)).toFixed(),
    carrier_cost: rows.reduce((s, r) => s.plus(r.carrier_cost ?? 0), new Decimal(0)),
  };
}

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    m.set(k, [...(m.get(k) ?? []), r]);
  }
  return m;
}

const localHour = (tz: string, d: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).format(d);
const localDay = (tz: string, d: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);

describe(`CDR report (${ENGINE})`, () => {
  const from = new Date(NOW - 10 * 86_400_000 + 1234);
  const to = new Date(NOW - 2 * 86_400_000 - 98_765);
  const range = { from: from.toISOString(), to: to.toISOString() };

  it('pages through exactly the company’s CDRs, newest first, with only the allowed fields', async () => {
    const items = await walk(alice, '/api/v1/portal/cdrs', { ...range, limit: 97 });
    const expected = of(coA, from, to).sort(
      (x, y) => y.start_time.getTime() - x.start_time.getTime() || (y.call_id < x.call_id ? -1 : 1),
    );
    expect(expected.length).toBeGreaterThan(300);
    expect(items.map((i) => i.call_id)).toEqual(expected.map((r) => r.call_id));
    for (const i of items) expect(Object.keys(i).sort()).toEqual([...CUSTOMER_FIELDS].sort());
    const bIds = new Set(all.filter((r) => r.company_id === coB).map((r) => r.call_id));
    expect(items.some((i) => bIds.has(String(i.call_id)))).toBe(false);
    const first = (await alice.get(`/api/v1/portal/cdrs?${qs({ ...range, limit: 5 })}`)).json();
    expect(first.available_fields).toEqual(CUSTOMER_FIELDS.slice().sort((a, b) => order(a) - order(b)));
    expect(first.items[0].start_time).toBe(expected[0]!.start_time.toISOString());
    expect(first.items[0].charge).toBe(new Decimal(expected[0]!.charge).toFixed(6));
  });

  it('filters by connected, number, destination name and SIP code like a brute-force scan', async () => {
    const base = of(coA, from, to);
    const someCli = base.find((r) => r.cli.length > 6)!.cli.slice(-6);
    const cases: [Record<string, string | number | boolean>, (r: Raw) => boolean][] = [
      [{ connected: true }, (r) => r.duration > 0],
      [{ number: '447' }, (r) => r.dest_number.includes('447') || r.cli.includes('447')],
      [{ number: someCli }, (r) => r.dest_number.includes(someCli) || r.cli.includes(someCli)],
      [{ dest_name: 'uk' }, (r) => (r.dest_name ?? '').toLowerCase().includes('uk')],
      [{ sip_code: 486 }, (r) => r.sip_code === 486],
      [{ connected: true, dest_name: 'India' }, (r) => r.duration > 0 && r.dest_name === 'India'],
    ];
    for (const [q, pred] of cases) {
      const want = base.filter(pred).map((r) => r.call_id);
      expect(want.length, JSON.stringify(q)).toBeGreaterThan(0);
      const got = await walk(alice, '/api/v1/portal/cdrs', { ...range, ...q, limit: 500 });
      expect(got.map((i) => i.call_id).sort(), JSON.stringify(q)).toEqual(want.sort());
      const count = (await alice.get(`/api/v1/portal/cdrs/count?${qs({ ...range, ...q })}`)).json();
      expect(count.count).toBe(want.length);
    }
  });

  it('limits columns to the chooser and refuses fields the brand does not allow', async () => {
    const page = (
      await alice.get(`/api/v1/portal/cdrs?${qs({ ...range, fields: 'duration,call_id' })}`)
    ).json();
    expect(Object.keys(page.items[0]).sort()).toEqual(['call_id', 'duration']);
    for (const f of ['rate', 'source_ip', 'carrier_cost', 'meta']) {
      const res = await alice.get(`/api/v1/portal/cdrs?${qs({ ...range, fields: `call_id,${f}` })}`);
      expect(res.statusCode, f).toBe(400);
      expect(res.json().error).toBe('field_not_allowed');
      const csv = await alice.get(`/api/v1/portal/cdrs.csv?${qs({ ...range, fields: f })}`);
      expect(csv.statusCode, f).toBe(400);
    }
    expect((await alice.get(`/api/v1/portal/cdrs?cursor=${'A'.repeat(40)}`)).json().error).toBe(
      'invalid_cursor',
    );
    expect((await alice.get('/api/v1/portal/cdrs?from=yesterday')).statusCode).toBe(400);
  });

  it('downloads the CSV of the range with the allowed fields only, whatever the batch size', async () => {
    const res = await alice.get(`/api/v1/portal/cdrs.csv?${qs(range)}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="cdrs-.*\.csv"/);
    const lines = res.body.trimEnd().split('\n');
    const fields = CUSTOMER_FIELDS.slice().sort((a, b) => order(a) - order(b));
    expect(lines[0]).toBe(fields.join(','));
    const expected = of(coA, from, to).sort(
      (x, y) => x.start_time.getTime() - y.start_time.getTime() || (x.call_id < y.call_id ? -1 : 1),
    );
    expect(lines.length - 1).toBe(expected.length);
    const rows = lines.slice(1).map(parseCsvLine);
    const ix = (f: string) => fields.indexOf(f);
    expect(rows.map((r) => r[ix('call_id')])).toEqual(expected.map((r) => r.call_id));
    expect(rows[0]![ix('start_time')]).toBe(`${expected[0]!.start_time.toISOString().slice(0, 19)}Z`);
    const names = new Set(rows.map((r) => r[ix('dest_name')]));
    expect(names.has('UK, landline')).toBe(true); // quoted on the way out, read back intact
    expect(names.has('Nigeria "NG"')).toBe(true);
    for (const r of rows) expect(r).toHaveLength(fields.length);
    // Hidden fields never appear: no source IP, carrier or other company's call.
    const body = res.body;
    for (const r of of(coA, from, to).slice(0, 50)) if (r.source_ip) expect(body).not.toContain(r.source_ip);
    for (const id of carriers) expect(body).not.toContain(id);
    for (const r of of(coB, from, to).slice(0, 50)) expect(body).not.toContain(r.call_id);
    // Keyset batches of 7 rows give the same bytes as the default batches.
    let small = '';
    for await (const chunk of cdrCsv(t.deps, op.operatorId, { companyId: coA }, range, fields as never, 7))
      small += chunk;
    expect(small).toBe(res.body);
  });
});

function order(f: string) {
  return [
    'call_id',
    'start_time',
    'company_id',
    'route_id',
    'rate_card_id',
    'cli',
    'tech_prefix',
    'dest_number',
    'lrn',
    'direction',
    'auth_type',
    'auth_ref',
    'source_ip',
    'duration',
    'billed_duration',
    'ring_duration',
    'pdd_ms',
    'sip_code',
    'sip_reason',
    'release_reason',
    'dtmf',
    'dest_code',
    'dest_name',
    'rate',
    'connect_cost',
    'charge',
  ].indexOf(f);
}

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

describe(`breakout and summary (${ENGINE})`, () => {
  // Deliberately unaligned: raw edges, hourly edges and whole days from the daily rollup.
  const day0 = Math.floor(NOW / 86_400_000) * 86_400_000;
  const from = new Date(day0 - 20 * 86_400_000 + 10 * 3_600_000 + 17 * 60_000 + 3_000);
  const to = new Date(day0 - 3 * 86_400_000 + 15 * 3_600_000 + 19 * 60_000);
  const range = { from: from.toISOString(), to: to.toISOString() };

  it('per destination matches a brute-force computation, with weighted totals and only allowed columns', async () => {
    expect(
      plan({ from, to, tz: 'UTC', group: 'destination', operatorView: false }).map((p) => p.source),
    ).toEqual(['raw', 'hourly', 'daily', 'hourly', 'raw']);
    const res = await alice.get(`/api/v1/portal/breakout?${qs({ ...range, group: 'destination' })}`);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.columns).toEqual(CUSTOMER_COLUMNS);
    const rows = of(coA, from, to);
    const byDest = groupBy(rows, (r) => r.dest_code ?? '');
    expect(out.rows).toHaveLength(byDest.size);
    for (const row of out.rows) {
      const s = sums(byDest.get(row.dest_code)!);
      expect(row, row.dest_code).toEqual({
        dest_code: row.dest_code,
        dest_name: byDest.get(row.dest_code)![0]!.dest_name,
        attempts: s.attempts,
        connected: s.connected,
        asr: s.asr,
        acd: s.acd,
        duration: s.duration,
        dtmf_calls: s.dtmf_calls,
        dtmf_pct: s.dtmf_pct,
      });
    }
    const total = sums(rows);
    expect(out.totals).toEqual([
      {
        dest_code: null,
        dest_name: 'Total',
        attempts: total.attempts,
        connected: total.connected,
        asr: total.asr,
        acd: total.acd,
        duration: total.duration,
        dtmf_calls: total.dtmf_calls,
        dtmf_pct: total.dtmf_pct,
      },
    ]);
    // Weighted, not an average of the rows' ratios (which differs on this skewed traffic).
    const meanAsr = out.rows.reduce((s: number, r: { asr: number }) => s + r.asr, 0) / out.rows.length;
    expect(Math.abs(meanAsr - total.asr!)).toBeGreaterThan(0.01);
    expect(res.body).not.toContain('charge');
    expect(res.body).not.toContain('pdd');
    const csv = await alice.get(`/api/v1/portal/breakout.csv?${qs({ ...range, group: 'destination' })}`);
    expect(csv.body.split('\n')[0]).toBe(CUSTOMER_COLUMNS.join(','));
    expect(csv.body).toContain('"UK, landline"');
    expect(csv.body).toContain(`,Total,${total.attempts},`);
  });

  for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
    it(`by day and by hour in ${tz} matches a brute-force grouping`, async () => {
      const rows = of(coA, from, to);
      for (const [group, key] of [
        ['day', localDay],
        ['hour', localHour],
      ] as const) {
        const out = (await alice.get(`/api/v1/portal/breakout?${qs({ ...range, group, tz })}`)).json();
        const want = groupBy(rows, (r) => key(tz, r.start_time));
        expect(out.rows.length, group).toBe(want.size);
        for (const row of out.rows) {
          const k = key(tz, new Date(row.period));
          const s = sums(want.get(k) ?? []);
          expect([row.attempts, row.connected, row.duration, row.dtmf_calls], `${group} ${k}`).toEqual([
            s.attempts,
            s.connected,
            s.duration,
            s.dtmf_calls,
          ]);
        }
        expect(out.totals[0].attempts).toBe(rows.length);
      }
    });
  }

  it('summary: last 24 hours by hour, 30 days by day and 12 months by month', async () => {
    const now = Date.now();
    const hourly = (await alice.get('/api/v1/portal/summary?period=hourly&tz=Europe/Berlin')).json();
    const h0 = Math.floor(now / 3_600_000) * 3_600_000 - 23 * 3_600_000;
    const last24 = all.filter((r) => r.company_id === coA && r.start_time.getTime() >= h0);
    expect(hourly.totals[0].attempts).toBe(last24.length);
    expect(hourly.rows.length).toBeLessThanOrEqual(24);
    for (const row of hourly.rows) {
      const start = new Date(row.period).getTime();
      expect(row.attempts).toBe(
        last24.filter((r) => r.start_time.getTime() >= start && r.start_time.getTime() < start + 3_600_000)
          .length,
      );
    }
    const daily = (await alice.get('/api/v1/portal/summary?period=daily&tz=UTC')).json();
    const d0 = Math.floor(now / 86_400_000) * 86_400_000 - 29 * 86_400_000;
    const last30 = all.filter((r) => r.company_id === coA && r.start_time.getTime() >= d0);
    expect(daily.rows.length).toBe(new Set(last30.map((r) => localDay('UTC', r.start_time))).size);
    expect(daily.totals[0]).toMatchObject({
      attempts: last30.length,
      asr: sums(last30).asr,
      acd: sums(last30).acd,
    });
    const monthly = (await alice.get('/api/v1/portal/summary?period=monthly')).json();
    const mine = all.filter((r) => r.company_id === coA);
    const months = groupBy(mine, (r) => r.start_time.toISOString().slice(0, 7));
    expect(monthly.rows).toHaveLength(months.size);
    for (const row of monthly.rows) {
      const s = sums(months.get(String(row.period).slice(0, 7))!);
      expect([row.attempts, row.connected, row.duration]).toEqual([s.attempts, s.connected, s.duration]);
    }
  });

  it('another company’s data never appears, and gated sections answer 403', async () => {
    const b = (await bob.get(`/api/v1/portal/breakout?${qs({ ...range, group: 'destination' })}`)).json();
    expect(b.totals[0].attempts).toBe(of(coB, from, to).length);
    expect(b.totals[0].attempts).not.toBe(of(coA, from, to).length);
    const items = await walk(bob, '/api/v1/portal/cdrs', { ...range, limit: 500 });
    const aIds = new Set(all.filter((r) => r.company_id === coA).map((r) => r.call_id));
    expect(items.length).toBe(of(coB, from, to).length);
    expect(items.some((i) => aIds.has(String(i.call_id)))).toBe(false);
    for (const url of ['/api/v1/portal/breakout', '/api/v1/portal/summary', '/api/v1/portal/breakout.csv']) {
      const res = await noBreakout.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error).toBe('feature_disabled');
    }
    // Company C has no traffic: an empty page, not someone else's.
    expect((await noBreakout.get('/api/v1/portal/cdrs')).json().items).toEqual([]);
    expect((await alice.get('/api/v1/portal/breakout?tz=Mars/Olympus')).json().error).toBe(
      'invalid_time_zone',
    );
  });
});

describe(`console reports (${ENGINE})`, () => {
  const from = new Date(NOW - 15 * 86_400_000 - 5 * 60_000);
  const to = new Date(NOW - 86_400_000 + 7 * 60_000);
  const range = { from: from.toISOString(), to: to.toISOString() };

  it('breakout per customer and per carrier with carrier cost and profit, like a brute-force sum', async () => {
    const rows = all.filter((r) => r.start_time >= from && r.start_time < to);
    const byCo = (
      await op.console.get(`/api/v1/console/reports/breakout?${qs({ ...range, group: 'company' })}`)
    ).json();
    expect(byCo.columns).toContain('profit');
    expect(byCo.rows.map((r: { id: string }) => r.id).sort()).toEqual([coA, coB].sort());
    for (const row of byCo.rows) {
      const s = sums(rows.filter((r) => r.company_id === row.id));
      expect(row.attempts).toBe(s.attempts);
      expect(new Decimal(row.charge).eq(s.charge)).toBe(true);
      expect(new Decimal(row.carrier_cost).eq(s.carrier_cost)).toBe(true);
      expect(new Decimal(row.profit).eq(new Decimal(s.charge).minus(s.carrier_cost))).toBe(true);
      expect(row.currency).toBe('USD');
    }
    const total = sums(rows);
    expect(byCo.totals).toHaveLength(1);
    expect(byCo.totals[0]).toMatchObject({ attempts: total.attempts, asr: total.asr, acd: total.acd });
    const byCarrier = (
      await op.console.get(`/api/v1/console/reports/breakout?${qs({ ...range, group: 'carrier' })}`)
    ).json();
    for (const row of byCarrier.rows) {
      const mine = rows.filter((r) => (r.carrier_id ?? '00000000-0000-0000-0000-000000000000') === row.id);
      expect(row.attempts).toBe(mine.length);
      expect(new Decimal(row.carrier_cost).eq(sums(mine).carrier_cost)).toBe(true);
    }
    expect(byCarrier.rows.map((r: { carrier: string }) => r.carrier)).toContain('Carrier 0');
  });

  it('lists and exports across customers, filters by company, and refuses another operator’s company', async () => {
    const items = await walk(op.console, '/api/v1/console/reports/cdrs', {
      ...range,
      limit: 500,
      fields: 'call_id',
    });
    expect(items.length).toBe(all.filter((r) => r.start_time >= from && r.start_time < to).length);
    const onlyB = (
      await op.console.get(`/api/v1/console/reports/cdrs/count?${qs({ ...range, company_id: coB })}`)
    ).json();
    expect(onlyB.count).toBe(of(coB, from, to).length);
    const csv = await op.console.get(`/api/v1/console/reports/cdrs.csv?${qs({ ...range, company_id: coB })}`);
    expect(csv.body.trimEnd().split('\n')).toHaveLength(of(coB, from, to).length + 1);
    expect(csv.body.split('\n')[0]).toContain('carrier_cost');
    for (const url of ['reports/cdrs', 'reports/cdrs.csv', 'reports/breakout', 'reports/summary']) {
      const res = await other.console.get(`/api/v1/console/${url}?company_id=${coA}`);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain(coA);
    }
    const empty = (await other.console.get('/api/v1/console/reports/breakout')).json();
    expect(empty.rows).toEqual([]);
  });
});
