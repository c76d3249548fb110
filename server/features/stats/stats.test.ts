/**
 * Charts, Latest Calls, Simulate, Dialog and CLI in the portal: every aggregation against a brute-force
 * computation over the same generated calls, company and carrier scoping, aliases and feature gating.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/db.ts';
import { ingestCdrs } from '../../telecom/ingest.ts';
import { ingestActiveCalls, ingestCallLogs } from '../../telecom/live.ts';
import { chargeFor } from '../../telecom/rating.ts';
import { foldChunk, foldRollups, rebuildRollups, sweepChunk } from '../../telecom/rollups.ts';
import { createRng } from '../../telecom/simulator/prng.ts';
import { ENGINE } from '../../test/db.ts';
import {
  buildCompany,
  buildContact,
  buildDomain,
  buildOperator,
  startTestApp,
  type TenantFixture,
  type TestApp,
} from '../../test/harness.ts';
import { createCliRule } from '../cli/cli.service.ts';
import { createRateCard, createRoute, importRates } from '../ratecards/ratecards.service.ts';
import { chartRange } from './range.ts';

interface Call {
  call_id: string;
  company_id: string;
  carrier_id: string | null;
  s: number;
  e: number;
  duration: number;
  dtmf: string;
}

let t: TestApp;
let op: TenantFixture;
let acme: string;
let globex: string;
let carriers: string[];
let carrierNames: string[];
let alice: Awaited<ReturnType<typeof buildContact>>;
let bob: Awaited<ReturnType<typeof buildContact>>;
let dave: Awaited<ReturnType<typeof buildContact>>;
const calls: Call[] = [];
const T0 = Date.UTC(2026, 9, 5); // charts look at [T0, T0 + 2 days)
const FEATURES = [
  'customer_acd',
  'customer_asr',
  'customer_cps',
  'customer_channels',
  'customer_dtmf',
  'carrier_portal',
  'carrier_cps',
  'carrier_channels',
  'latest_calls',
  'cli',
  'dialog',
];

/**
 * Random calls of one company, from 3 hours before T0 to T0 + 2 days (or over [start, start + span)), some in
 * bursts within one second.
 */
function generate(
  companyId: string,
  n: number,
  seed: string,
  start = T0 - 3 * 3600_000,
  span = 2 * 86_400_000 + 3 * 3600_000,
) {
  const rng = createRng(seed);
  const rows: Record<string, unknown>[] = [];
  let burst = 0;
  for (let i = 0; i < n; i++) {
    const s: number =
      burst > 0 && rows.length
        ? Math.floor(Date.parse(rows[rows.length - 1]!.start_time as string) / 1000) * 1000 +
          Math.floor(rng() * 999)
        : start + Math.floor(rng() * span);
    burst = burst > 0 ? burst - 1 : rng() < 0.05 ? 4 : 0;
    const connected = rng() < 0.6;
    const duration = connected ? 1 + Math.floor(rng() * (rng() < 0.1 ? 9000 : 600)) : 0;
    const ring = Math.floor(rng() * 20);
    const pdd = rng() < 0.1 ? null : 100 + Math.floor(rng() * 2900);
    const carrier = rng() < 0.1 ? null : carriers[Math.floor(rng() * carriers.length)]!;
    const dtmf = connected && rng() < 0.3 ? '12#' : '';
    const call_id = `${seed}-${i}`;
    rows.push({
      call_id,
      start_time: new Date(s).toISOString(),
      company_id: companyId,
      dest_number: rng() < 0.5 ? `4420${i}` : `4479${i}`,
      cli: `1555${1000 + i}`,
      duration,
      ring_duration: ring,
      ...(pdd === null ? {} : { pdd_ms: pdd }),
      sip_code: connected ? 200 : rng() < 0.5 ? 486 : 503,
      sip_reason: connected ? 'OK' : 'Busy Here',
      dtmf,
      ...(carrier ? { carrier_id: carrier } : {}),
    });
    calls.push({
      call_id,
      company_id: companyId,
      carrier_id: carrier,
      s,
      e: s + (pdd ?? 0) + (ring + duration) * 1000,
      duration,
      dtmf,
    });
  }
  return rows;
}

beforeAll(async () => {
  t = await startTestApp();
  op = await buildOperator(t);
  const features = Object.fromEntries(FEATURES.map((f) => [f, true]));
  const d = await buildDomain(op, { features });
  const card = await createRateCard(op.ctx, { name: 'Retail USD', currency: 'USD' });
  await importRates(op.ctx, card.id, [
    { prefix: '44', name: 'UK', rate: '0.0100', mcd: 30, pulse: 6 },
    { prefix: '447', name: 'UK Mobile', rate: '0.0450', connect_cost: '0.01', mcd: 1, pulse: 1 },
    { prefix: '4470', name: 'UK Personal', rate: '0.5', status: 'blocked' },
  ]);
  acme = (await buildCompany(op, { name: 'Acme Stats', domain_id: d.id })).id;
  globex = (await buildCompany(op, { name: 'Globex Stats', domain_id: d.id })).id;
  await createRoute(op.ctx, acme, { rate_card_id: card.id });
  await createRoute(op.ctx, acme, { rate_card_id: card.id, tech_prefix: '99' });
  await createRoute(op.ctx, globex, { rate_card_id: card.id });
  carrierNames = ['Zeta Wholesale', 'Alpha Transit'];
  carriers = [];
  for (const name of carrierNames)
    carriers.push((await buildCompany(op, { type: 'carrier', name, domain_id: d.id })).id);
  for (const [company, n, seed] of [
    [acme, 700, 'acme'],
    [globex, 300, 'globex'],
  ] as const) {
    const out = await ingestCdrs(t.deps, op.operatorId, generate(company, n, seed));
    expect(out.errors).toEqual([]);
  }
  alice = await buildContact(t, op, acme, d.domain);
  bob = await buildContact(t, op, globex, d.domain);
  dave = await buildContact(t, op, carriers[0]!, d.domain);
  for (const c of [alice, bob, dave]) expect((await c.login()).statusCode).toBe(200);
});
afterAll(() => t.close());

const round2 = (v: number) => Math.round(v * 100) / 100;

/** The brute-force figures of one bucket [bs, be) over a set of calls. */
function brute(metric: string, list: Call[], bs: number, be: number): number | null {
  const inBucket = list.filter((c) => c.s >= bs && c.s < be);
  const connected = inBucket.filter((c) => c.duration > 0);
  switch (metric) {
    case 'asr':
      return inBucket.length ? round2((connected.length / inBucket.length) * 100) : null;
    case 'acd':
      return connected.length
        ? round2(connected.reduce((a, c) => a + c.duration, 0) / connected.length)
        : null;
    case 'dtmf':
      return connected.length
        ? round2((connected.filter((c) => c.dtmf !== '').length / connected.length) * 100)
        : null;
    case 'cps': {
      const perSecond = new Map<number, number>();
      for (const c of inBucket)
        perSecond.set(Math.floor(c.s / 1000), (perSecond.get(Math.floor(c.s / 1000)) ?? 0) + 1);
      return Math.max(0, ...perSecond.values());
    }
    default: {
      // Concurrency peaks at the bucket's start or at some call's start inside it.
      const instants = [bs, ...inBucket.map((c) => c.s)];
      return Math.max(...instants.map((x) => list.filter((c) => c.s <= x && x < c.e).length));
    }
  }
}

async function getChart(who: typeof alice, path: string, from: number, to: number, step?: number) {
  const qs = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}${step ? `&step=${step}` : ''}`;
  const res = await who.portal.get(`/api/v1/portal/stats/${path}?${qs}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    from: string;
    to: string;
    step: number;
    times: string[];
    series: { key: string; label: string; values: (number | null)[] }[];
    summary: number | null;
    source: string;
  };
}

function expectMatches(
  metric: string,
  chart: Awaited<ReturnType<typeof getChart>>,
  list: Call[],
  key = 'total',
) {
  const line = chart.series.find((s) => s.key === key);
  expect(line, `${metric} ${key}`).toBeDefined();
  const step = chart.step * 1000;
  const from = Date.parse(chart.from);
  const expected = chart.times.map((_, i) => brute(metric, list, from + i * step, from + (i + 1) * step));
  expect(line!.values, `${metric} ${key}`).toEqual(expected);
}

describe(`charts against brute force (${ENGINE})`, () => {
  const acmeCalls = () => calls.filter((c) => c.company_id === acme);

  it('ASR, ACD and DTMF % per bucket from the CDRs (15-minute buckets) and from the hourly rollup', async () => {
    for (const metric of ['asr', 'acd', 'dtmf']) {
      const raw = await getChart(alice, metric, T0, T0 + 2 * 86_400_000);
      expect(raw.step).toBe(900);
      expect(raw.source).toBe('cdrs');
      expectMatches(metric, raw, acmeCalls());
      const rolled = await getChart(alice, metric, T0, T0 + 2 * 86_400_000, 3600);
      expect(rolled.source).toBe('rollup');
      expect(rolled.times).toHaveLength(48);
      expectMatches(metric, rolled, acmeCalls());
    }
    // The range figure is weighted by calls, never an average of the buckets' averages.
    const asr = await getChart(alice, 'asr', T0, T0 + 2 * 86_400_000, 3600);
    const inRange = acmeCalls().filter((c) => c.s >= T0 && c.s < T0 + 2 * 86_400_000);
    expect(asr.summary).toBe(round2((inRange.filter((c) => c.duration > 0).length / inRange.length) * 100));
    const acd = await getChart(alice, 'acd', T0, T0 + 2 * 86_400_000);
    const conn = inRange.filter((c) => c.duration > 0);
    expect(acd.summary).toBe(round2(conn.reduce((a, c) => a + c.duration, 0) / conn.length));
  });

  it('CPS is the busiest second of each bucket, with one line per carrier (carrier_cps on)', async () => {
    const chart = await getChart(alice, 'cps', T0, T0 + 86_400_000);
    expectMatches('cps', chart, acmeCalls());
    expect(chart.summary).toBeGreaterThanOrEqual(2);
    expect(chart.series.map((s) => s.label)).toEqual(['Total', 'Carrier 1', 'Carrier 2']);
    carriers.forEach((id, i) => {
      expectMatches(
        'cps',
        chart,
        acmeCalls().filter((c) => c.carrier_id === id),
        `carrier-${i + 1}`,
      );
    });
  });

  it('channels come from a sweep over call intervals, including calls that started before the range', async () => {
    for (const [from, to] of [
      [T0, T0 + 86_400_000],
      [T0 + 3 * 3600_000 + 17_000, T0 + 5 * 3600_000],
    ] as const) {
      const chart = await getChart(alice, 'channels', from, to);
      expectMatches('channels', chart, acmeCalls());
      carriers.forEach((id, i) => {
        expectMatches(
          'channels',
          chart,
          acmeCalls().filter((c) => c.carrier_id === id),
          `carrier-${i + 1}`,
        );
      });
    }
    const early = await getChart(alice, 'channels', T0, T0 + 3600_000, 60);
    // Long calls from before T0 are still up at T0.
    expect(early.series[0]!.values[0]).toBe(brute('channels', acmeCalls(), T0, T0 + 60_000));
    expect(early.series[0]!.values[0]).toBeGreaterThan(0);
  });

  it('another company sees only its own calls; a carrier sees the calls it carried, as one line', async () => {
    const chart = await getChart(bob, 'asr', T0, T0 + 2 * 86_400_000);
    expectMatches(
      'asr',
      chart,
      calls.filter((c) => c.company_id === globex),
    );
    const carried = calls.filter((c) => c.carrier_id === carriers[0]);
    for (const metric of ['cps', 'channels']) {
      const own = await getChart(dave, `carrier/${metric}`, T0, T0 + 86_400_000);
      expect(own.series.map((s) => s.key)).toEqual(['total']);
      expectMatches(metric, own, carried);
    }
    expect((await dave.portal.get('/api/v1/portal/stats/asr')).statusCode).toBe(403);
  });

  it('carriers appear by alias, or by name when the operator allows it', async () => {
    const alias = await op.console.request('PUT', `/api/v1/console/companies/${carriers[1]}/carrier-alias`, {
      alias: 'Route <B>',
    });
    expect(alias.statusCode, alias.body).toBe(200);
    let chart = await getChart(alice, 'channels', T0, T0 + 3600_000);
    expect(chart.series.map((s) => s.label)).toEqual(['Total', 'Carrier 1', 'Route <B>']);
    expect(JSON.stringify(chart)).not.toContain(carriers[0]!);
    expect(JSON.stringify(chart)).not.toContain('Zeta');
    const notCarrier = await op.console.request('PUT', `/api/v1/console/companies/${acme}/carrier-alias`, {
      alias: 'x',
    });
    expect(notCarrier.statusCode).toBe(404);
    await op.console.request('PUT', '/api/v1/console/carrier-display', { show_names: true });
    expect((await op.console.get('/api/v1/console/carrier-display')).json()).toEqual({ show_names: true });
    chart = await getChart(alice, 'channels', T0, T0 + 3600_000);
    expect(chart.series.map((s) => s.label)).toEqual(['Total', 'Alpha Transit', 'Zeta Wholesale']);
    await op.console.request('PUT', '/api/v1/console/carrier-display', { show_names: false });
    const audit = (await op.console.get('/api/v1/console/audit')).json();
    expect(JSON.stringify(audit)).toContain('carrier.alias');
  });

  it('refuses bad ranges and hidden features', async () => {
    const bad = await alice.portal.get(
      '/api/v1/portal/stats/asr?from=2026-10-05T00:00:00Z&to=2026-10-04T00:00:00Z',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid_range');
    expect((await alice.portal.get('/api/v1/portal/stats/asr?from=yesterday')).json().error).toBe(
      'invalid_time',
    );
    expect((await alice.portal.get('/api/v1/portal/stats/asr?step=7')).json().error).toBe('invalid_step');
    await op.console.patch(`/api/v1/console/companies/${acme}`, { hide: ['customer_asr', 'carrier_cps'] });
    const hidden = await alice.portal.get('/api/v1/portal/stats/asr');
    expect(hidden.statusCode).toBe(403);
    expect(hidden.json()).toMatchObject({ error: 'feature_disabled', feature: 'customer_asr' });
    // Without carrier_cps the CPS chart has the total only.
    const cps = await getChart(alice, 'cps', T0, T0 + 3600_000);
    expect(cps.series.map((s) => s.key)).toEqual(['total']);
    await op.console.patch(`/api/v1/console/companies/${acme}`, { hide: [] });
  });

  it('picks the finest step that keeps the chart readable, aligned to UTC', () => {
    const now = new Date('2026-11-27T21:13:20Z');
    expect(chartRange({}, now)).toMatchObject({ step: 300, buckets: 289 });
    expect(chartRange({ from: '2026-11-27T20:13:20Z', to: now.toISOString() })).toMatchObject({
      step: 60,
      from: new Date('2026-11-27T20:13:00Z'),
      to: new Date('2026-11-27T21:14:00Z'),
    });
    expect(chartRange({ from: '2026-11-20T00:00:00Z', to: '2026-11-27T00:00:00Z' }).step).toBe(3600);
    expect(chartRange({ from: '2026-10-28T00:00:00Z', to: '2026-11-27T00:00:00Z' }).step).toBe(10_800);
    expect(() => chartRange({ from: '2026-01-01T00:00:00Z', to: '2026-11-27T00:00:00Z' })).toThrow(/at most/);
  });
});

describe(`charts from the 5-minute slots (${ENGINE})`, () => {
  const acmeCalls = () => calls.filter((c) => c.company_id === acme);
  const day = 86_400_000;

  /** Every chart of Acme (total and per carrier) and of a carrier (dave), against brute force. */
  async function expectAllExact(source: string) {
    for (const [from, to, step] of [
      [T0, T0 + 2 * day, undefined],
      [T0 + 17 * 3600_000, T0 + 41 * 3600_000, 300],
      [T0 - day, T0 + 3 * day, 3600],
    ] as const) {
      for (const metric of ['asr', 'acd', 'dtmf', 'cps', 'channels']) {
        const chart = await getChart(alice, metric, from, to, step);
        if (chart.step !== 3600 || metric === 'cps' || metric === 'channels')
          expect(chart.source).toBe(source);
        expectMatches(metric, chart, acmeCalls());
        if (metric === 'cps' || metric === 'channels')
          carriers.forEach((id, i) => {
            expectMatches(
              metric,
              chart,
              acmeCalls().filter((c) => c.carrier_id === id),
              `carrier-${i + 1}`,
            );
          });
      }
      for (const metric of ['cps', 'channels']) {
        const own = await getChart(dave, `carrier/${metric}`, from, to, step);
        expect(own.source).toBe(source);
        expectMatches(
          metric,
          own,
          calls.filter((c) => c.carrier_id === carriers[0]),
        );
      }
    }
  }

  const slotRows = () =>
    withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query(
        `SELECT scope, scope_id, carrier_id, slot, attempts, connected, duration, dtmf_calls, cps_peak, chan_peak,
                chan_close FROM cdr_chart_slots ORDER BY scope, scope_id, carrier_id, slot`,
      ),
    );

  it('once the calls are folded, every chart reads the slots and equals brute force', async () => {
    await foldRollups(t.deps, op.operatorId);
    expect((await slotRows()).length).toBeGreaterThan(500);
    await expectAllExact('rollup');
  });

  it('late calls, queued, folded and swept piece by piece, keep every chart exact', async () => {
    // Late CDRs of the second day, long calls among them: they change the levels of slots already folded.
    const late = generate(acme, 200, 'late', T0 + 30 * 3600_000, 6 * 3600_000);
    expect((await ingestCdrs(t.deps, op.operatorId, late)).errors).toEqual([]);
    await expectAllExact('rollup');
    // The 4-hour chart of the second day starts after the earliest queued call: CDRs only.
    const recent = await getChart(alice, 'channels', T0 + 40 * 3600_000, T0 + 44 * 3600_000, 300);
    expect(recent.source).toBe('cdrs');
    expectMatches('channels', recent, acmeCalls());
    // Folded but not swept yet: the time the late calls span is dirty, read from the CDRs.
    expect(await foldChunk(t.deps, op.operatorId, 100_000)).toBe(200);
    const dirty = () =>
      withTenant(t.deps.db, op.operatorId, (tx) =>
        tx.query<{ scope: string }>('SELECT scope FROM cdr_chart_dirty'),
      );
    expect((await dirty()).map((d) => d.scope).sort()).toEqual(['c', 'r', 'r']);
    await expectAllExact('rollup');
    // Swept half a day at a time; exact after every piece.
    let pieces = 0;
    while ((await sweepChunk(t.deps, op.operatorId)) > 0) {
      pieces++;
      await expectAllExact('rollup');
    }
    expect(pieces).toBeGreaterThanOrEqual(1);
    expect(await dirty()).toEqual([]);
    // More late calls, over the first day, folded and swept in small chunks by the folder's loop.
    const later = generate(acme, 150, 'later', T0 - 3600_000, 20 * 3600_000);
    expect((await ingestCdrs(t.deps, op.operatorId, later)).errors).toEqual([]);
    expect(await foldRollups(t.deps, op.operatorId, 37)).toBe(150);
    expect(await dirty()).toEqual([]);
    await expectAllExact('rollup');
  });

  it('a full rebuild gives the same slots as the folds did', async () => {
    const folded = await slotRows();
    const out = await rebuildRollups(t.deps, op.operatorId);
    expect(out.chart_slots).toBe(folded.length);
    expect(await slotRows()).toEqual(folded);
  });
});

describe(`latest calls, simulate, dialog and CLI (${ENGINE})`, () => {
  beforeAll(async () => {
    const now = Date.now();
    const recent = (company: string, prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        call_id: `${prefix}-${i}`,
        start_time: new Date(now - (i + 1) * 60_000).toISOString(),
        company_id: company,
        dest_number: `4420${7000 + i}`,
        cli: `1555000${i % 10}`,
        duration: i % 3 === 0 ? 0 : 30 + i,
        sip_code: i % 3 === 0 ? 486 : 200,
        sip_reason: i % 3 === 0 ? 'Busy Here' : 'OK',
        carrier_id: carriers[0],
        carrier_cost: '0.5',
        carrier_currency: 'USD',
      }));
    expect((await ingestCdrs(t.deps, op.operatorId, recent(acme, 'recent-acme', 7))).errors).toEqual([]);
    expect((await ingestCdrs(t.deps, op.operatorId, recent(globex, 'recent-globex', 3))).errors).toEqual([]);
    const at = (ms: number) => new Date(now - 60_000 + ms).toISOString();
    const msg = (ms: number, what: string, src: string, dst: string) => ({
      at: at(ms),
      from: '15550001',
      to: '44207001',
      method_or_status: what,
      src,
      dst,
      raw: `${what} <script>alert(1)</script>`,
    });
    const out = await ingestCallLogs(t.deps, op.operatorId, [
      {
        call_id: 'recent-acme-1',
        company_id: acme,
        attempts: [
          {
            carrier_id: carriers[1],
            sip_code: 503,
            sip_reason: 'Service Unavailable',
            started_at: at(0),
            pdd_ms: 200,
          },
          { carrier_id: carriers[0], sip_code: 200, sip_reason: 'OK', started_at: at(250), pdd_ms: 900 },
        ],
        sip_messages: [
          msg(0, 'INVITE', '192.0.2.10:5060', '198.51.100.1:5060'),
          msg(5, '100 Trying', '198.51.100.1:5060', '192.0.2.10:5060'),
          msg(10, 'INVITE', '198.51.100.1:5060', '203.0.113.5:5060'),
          msg(900, '200 OK', '203.0.113.5:5060', '198.51.100.1:5060'),
        ],
        rtcp: { mos: 4.2, jitter_ms: 3.5, packet_loss_pct: 0.1, rtt_ms: 80 },
      },
    ]);
    expect(out.errors).toEqual([]);
  });

  it('lists the company’s recent attempts, failed ones too, newest first, keyset paged and filtered', async () => {
    const first = (await alice.portal.get('/api/v1/portal/calls?limit=4')).json();
    expect(first.items.map((c: { call_id: string }) => c.call_id)).toEqual([
      'recent-acme-0',
      'recent-acme-1',
      'recent-acme-2',
      'recent-acme-3',
    ]);
    expect(first.items[0]).toMatchObject({ sip_code: 486, duration: 0, dest_number: '44207000' });
    for (const k of ['carrier_id', 'carrier_cost', 'carrier_currency', 'company_id'])
      expect(first.items[0]).not.toHaveProperty(k);
    const second = (await alice.portal.get(`/api/v1/portal/calls?limit=4&before=${first.next}`)).json();
    expect(second.items.map((c: { call_id: string }) => c.call_id)).toEqual([
      'recent-acme-4',
      'recent-acme-5',
      'recent-acme-6',
    ]);
    expect(second.next).toBeNull();
    const failed = (await alice.portal.get('/api/v1/portal/calls?status=failed')).json();
    expect(failed.items.map((c: { call_id: string }) => c.call_id)).toEqual([
      'recent-acme-0',
      'recent-acme-3',
      'recent-acme-6',
    ]);
    const search = (await alice.portal.get('/api/v1/portal/calls?q=207005')).json();
    expect(search.items.map((c: { call_id: string }) => c.call_id)).toEqual(['recent-acme-5']);
    const wild = (await alice.portal.get('/api/v1/portal/calls?q=%25')).json();
    expect(wild.items).toEqual([]);
    expect((await alice.portal.get('/api/v1/portal/calls?before=nope')).json().error).toBe('invalid_cursor');
    const other = (await bob.portal.get('/api/v1/portal/calls')).json();
    expect(other.items.map((c: { call_id: string }) => c.call_id)).toEqual([
      'recent-globex-0',
      'recent-globex-1',
      'recent-globex-2',
    ]);
  });

  it('shows one call with its attempts by carrier alias, SIP messages and RTCP; other companies get 404', async () => {
    const res = await alice.portal.get('/api/v1/portal/calls/recent-acme-1');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.call).toMatchObject({ call_id: 'recent-acme-1', sip_code: 200 });
    expect(d.attempts).toMatchObject([
      { n: 1, carrier: 'Route <B>', sip_code: 503 },
      { n: 2, carrier: 'Carrier 1', sip_code: 200 },
    ]);
    expect(d.sip_messages.map((m: { method_or_status: string }) => m.method_or_status)).toEqual([
      'INVITE',
      '100 Trying',
      'INVITE',
      '200 OK',
    ]);
    expect(d.rtcp).toEqual({ mos: 4.2, jitter_ms: 3.5, packet_loss_pct: 0.1, rtt_ms: 80 });
    expect(res.body).not.toContain(carriers[0]!);
    // A call without a log still has its CDR.
    const bare = (await alice.portal.get('/api/v1/portal/calls/recent-acme-2')).json();
    expect(bare).toMatchObject({ attempts: [], sip_messages: [], rtcp: null });
    expect((await bob.portal.get('/api/v1/portal/calls/recent-acme-1')).statusCode).toBe(404);
    expect((await alice.portal.get('/api/v1/portal/calls/recent-globex-1')).statusCode).toBe(404);
  });

  it('simulates routing and rating with the live revision and the CLI rules', async () => {
    await createCliRule(op.ctx, acme, { kind: 'allow', pattern: '1555*' });
    await createCliRule(op.ctx, acme, { kind: 'forced', pattern: '*', replacement: '15550009999' });
    const res = await alice.portal.post('/api/v1/portal/calls/simulate', {
      dest_number: '+44 7911 123456',
      cli: '15551234',
      duration: 95,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      route: { tech_prefix: '' },
      dest_number: '447911123456',
      rate_card: { name: 'Retail USD', currency: 'USD', revision: 1 },
      match: { prefix: '447', name: 'UK Mobile' },
      rate: '0.045000',
      billed_duration: 95,
      charge: chargeFor('0.045', '0.01', 95, { precision: 4, rounding: 'half_up' }),
      cli: { action: 'pass', presented: '15551234' },
    });
    const tech = (
      await alice.portal.post('/api/v1/portal/calls/simulate', {
        dest_number: '9944201234',
        cli: '44123',
        duration: 31,
      })
    ).json();
    expect(tech).toMatchObject({
      route: { tech_prefix: '99' },
      match: { prefix: '44', name: 'UK' },
      billed_duration: 36,
      cli: { action: 'replace', presented: '15550009999' },
    });
    const blocked = await alice.portal.post('/api/v1/portal/calls/simulate', {
      dest_number: '44701234',
      cli: '1',
      duration: 10,
    });
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().error).toBe('blocked_destination');
    const noRate = await alice.portal.post('/api/v1/portal/calls/simulate', {
      dest_number: '331234',
      cli: '1',
      duration: 10,
    });
    expect(noRate.json().error).toBe('no_rate');
    const badBody = await alice.portal.post('/api/v1/portal/calls/simulate', {
      dest_number: '44',
      cli: '1',
      duration: '10',
    });
    expect(badBody.statusCode).toBe(400);
  });

  it('dialog lists only the company’s calls in progress, with the server clock', async () => {
    await ingestActiveCalls(t.deps, op.operatorId, [
      {
        call_id: 'live-a',
        company_id: acme,
        carrier_id: carriers[0],
        dest_number: '442071',
        cli: '1555',
        started_at: new Date(Date.now() - 30_000).toISOString(),
      },
      { call_id: 'live-b', company_id: globex, dest_number: '442072', started_at: new Date().toISOString() },
    ]);
    const res = (await alice.portal.get('/api/v1/portal/live-calls')).json();
    expect(res.items).toMatchObject([{ call_id: 'live-a', state: 'ringing', dest_number: '442071' }]);
    expect(res.total).toBe(1);
    expect(Date.parse(res.server_time)).not.toBeNaN();
    expect(JSON.stringify(res)).not.toContain(carriers[0]!);
    expect((await bob.portal.get('/api/v1/portal/live-calls?q=442072')).json().total).toBe(1);
  });

  it('CLI lists the company’s rules with their explanation, without ids of others', async () => {
    const res = (await alice.portal.get('/api/v1/portal/cli')).json();
    expect(res.items.map((r: { kind: string }) => r.kind)).toEqual(['allow', 'forced']);
    expect(res.explanation.join(' ')).toMatch(/1555/);
    expect((await bob.portal.get('/api/v1/portal/cli')).json().items).toEqual([]);
    await op.console.patch(`/api/v1/console/companies/${acme}`, { hide: ['cli', 'latest_calls', 'dialog'] });
    for (const url of ['/cli', '/calls', '/calls/recent-acme-1', '/live-calls'])
      expect((await alice.portal.get(`/api/v1/portal${url}`)).statusCode, url).toBe(403);
    expect(
      (await alice.portal.post('/api/v1/portal/calls/simulate', { dest_number: '44', cli: '', duration: 1 }))
        .statusCode,
    ).toBe(403);
    await op.console.patch(`/api/v1/console/companies/${acme}`, { hide: [] });
  });
});
