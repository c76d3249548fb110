import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/db.ts';
import { createPayment } from '../features/companies/payments.service.ts';
import { ENGINE } from '../test/db.ts';
import {
  buildCompany,
  buildOperator,
  CONSOLE,
  startTestApp,
  type TenantFixture,
  type TestApp,
} from '../test/harness.ts';
import { ingestCdrs } from './ingest.ts';
import { compactRollups, foldRollups, rebuildRollups } from './rollups.ts';

let t: TestApp;
let op: TenantFixture;
let company: string;
let card: string;

const RATES = `prefix,name,rate,connect_cost,mcd,pulse,grace,status
44,UK,0.0100,0,30,6,0,active
447,UK Mobile,0.0500,0.01,60,6,0,active
1,USA,0.0050,0,1,1,0,active
882,Satellite,1.0,0,0,1,0,blocked`;

async function post(url: string, body: string, contentType: string) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: {
      host: CONSOLE,
      origin: `http://${CONSOLE}`,
      cookie: `sid=${op.console.cookie}`,
      'content-type': contentType,
    },
    payload: body,
  });
}

beforeAll(async () => {
  t = await startTestApp();
  op = await buildOperator(t);
  company = (await buildCompany(op, { currency: 'USD' })).id;
  card = (
    await op.console.post('/api/v1/console/rate-cards', {
      name: 'USD retail',
      currency: 'USD',
      precision: 4,
      rounding: 'half_up',
    })
  ).json().id;
  const imported = await post(`/api/v1/console/rate-cards/${card}/rates`, RATES, 'text/csv');
  expect(imported.statusCode, imported.body).toBe(201);
  expect(
    (await op.console.post(`/api/v1/console/companies/${company}/routes`, { rate_card_id: card })).statusCode,
  ).toBe(201);
});
afterAll(() => t.close());

const cdr = (over: Record<string, unknown>) => ({
  call_id: `c-${Math.random().toString(36).slice(2)}`,
  start_time: '2026-11-20T10:15:00Z',
  company_id: company,
  dest_number: '447700900123',
  duration: 37,
  sip_code: 200,
  ...over,
});

describe(`CDR ingestion (${ENGINE})`, () => {
  it('rates unrated rows, keeps valid rows next to refused ones, and is idempotent', async () => {
    const batch = [
      cdr({ call_id: 'a1' }),
      cdr({
        call_id: 'a2',
        dest_number: '441611234567',
        duration: 0,
        sip_code: 486,
        sip_reason: 'Busy Here',
      }),
      cdr({ call_id: 'a3', dest_number: '12125550100', duration: 61 }),
      cdr({ call_id: 'bad1', duration: -5 }),
      cdr({ call_id: 'bad2', company_id: '00000000-0000-4000-8000-000000000000' }),
      cdr({ call_id: 'bad3', charge: '1.00', currency: 'EUR', billed_duration: 60 }),
      cdr({ call_id: 'bad4', teleport: true }),
      cdr({ call_id: 'bad5', dest_number: '999123' }),
      cdr({ call_id: 'bad6', dest_number: '88212345' }),
      cdr({ call_id: 'bad7', start_time: 'yesterday' }),
    ];
    const res = await op.console.post('/api/v1/console/ingest/cdrs', batch);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.accepted, res.body).toBe(3);
    expect(out.errors.map((e: { index: number; error: string }) => [e.index, e.error])).toEqual([
      [3, 'negative_value'],
      [4, 'unknown_company'],
      [5, 'currency_mismatch'],
      [6, 'unknown_field'],
      [7, 'no_rate'],
      [8, 'blocked_destination'],
      [9, 'invalid_field'],
    ]);
    const rows = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<Record<string, unknown>>(
        'SELECT call_id, billed_duration, charge::text, dest_code, dest_name, currency, route_id FROM cdrs ORDER BY call_id',
      ),
    );
    expect(rows.map((r) => [r.call_id, r.billed_duration, r.charge, r.dest_code])).toEqual([
      ['a1', 60, '0.060000', '447'],
      ['a2', 0, '0.000000', '44'],
      ['a3', 61, '0.005100', '1'],
    ]);
    expect(rows.every((r) => r.currency === 'USD' && r.route_id)).toBe(true);

    const again = (await op.console.post('/api/v1/console/ingest/cdrs', batch)).json();
    expect(again.accepted).toBe(0);
    expect(again.duplicates).toBe(3);
    const [count] = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM cdrs'),
    );
    expect(count!.n).toBe(3);

    await createPayment(op.ctx, company, {
      amount: '10',
      currency: 'USD',
      method: 'bank',
      status: 'completed',
    });
    const bal = (await op.console.get(`/api/v1/console/companies/${company}/balance`)).json();
    expect(bal.balance).toBe('9.9349');
  });

  it('accepts NDJSON and CSV, reporting unreadable lines', async () => {
    const nd = [
      JSON.stringify(cdr({ call_id: 'nd1' })),
      '{not json',
      JSON.stringify(cdr({ call_id: 'nd2', duration: 0, sip_code: 480 })),
    ].join('\n');
    const r1 = (await post('/api/v1/console/ingest/cdrs', nd, 'application/x-ndjson')).json();
    expect(r1).toMatchObject({ accepted: 2, errors: [{ index: 1, error: 'invalid_json' }] });
    const csv = `call_id,start_time,company_id,dest_number,duration,sip_code,meta\ncsv1,2026-11-20T11:00:00Z,${company},12125550100,30,200,"{""k"":""v""}"\n`;
    const r2 = (await post('/api/v1/console/ingest/cdrs', csv, 'text/csv')).json();
    expect(r2).toMatchObject({ accepted: 1, errors: [] });
  });

  it('reads JSON and NDJSON bodies as UTF-8, whether all ASCII or not', async () => {
    const names = { u1: 'Zoë', u2: 'München 東京 🚀', u3: 'plain', u4: 'Ærø' };
    const rows = Object.entries(names).map(([call_id, name]) =>
      cdr({ call_id, cli: '1', sip_code: 486, duration: 0, sip_reason: name }),
    );
    const json = (
      await post('/api/v1/console/ingest/cdrs', JSON.stringify(rows.slice(0, 2)), 'application/json')
    ).json();
    expect(json).toMatchObject({ accepted: 2, errors: [] });
    const ascii = JSON.stringify([rows[2]]);
    expect(Buffer.from(ascii).every((b) => b < 0x80)).toBe(true);
    expect((await post('/api/v1/console/ingest/cdrs', ascii, 'application/json')).json()).toMatchObject({
      accepted: 1,
    });
    const nd = (
      await post('/api/v1/console/ingest/cdrs', JSON.stringify(rows[3]), 'application/x-ndjson')
    ).json();
    expect(nd).toMatchObject({ accepted: 1, errors: [] });
    const stored = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ call_id: string; sip_reason: string }>(
        `SELECT call_id, sip_reason FROM cdrs WHERE call_id = ANY($1::text[])`,
        [Object.keys(names)],
      ),
    );
    expect(Object.fromEntries(stored.map((r) => [r.call_id, r.sip_reason]))).toEqual(names);
  });

  it('refuses a JSON body that does not parse, and a row with a __proto__ or constructor key, keeping the others', async () => {
    const broken = await post('/api/v1/console/ingest/cdrs', '[{"call_id": "j1",', 'application/json');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toBe('invalid_json');
    const body = `[${JSON.stringify(cdr({ call_id: 'j2' }))},${JSON.stringify(cdr({ call_id: 'j3' })).replace(
      /^\{/,
      '{"__proto__": {"polluted": true},',
    )},${JSON.stringify(cdr({ call_id: 'j4' })).replace(/^\{/, '{"constructor": {"prototype": {"x": 1}},')}]`;
    const res = await post('/api/v1/console/ingest/cdrs', body, 'application/json; charset=utf-8');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      accepted: 1,
      errors: [
        { index: 1, error: 'unknown_field' },
        { index: 2, error: 'unknown_field' },
      ],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a rate import with a report and changes nothing; future revisions wait for their date', async () => {
    const bad = await post(
      `/api/v1/console/rate-cards/${card}/rates`,
      'prefix,name,rate\n44,UK,abc\nx1,Bad,0.1\n44,UK again,0.2\n',
      'text/csv',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`)).toEqual([
      '2:rate',
      '3:prefix',
      '4:prefix',
    ]);
    const detail = (await op.console.get(`/api/v1/console/rate-cards/${card}`)).json();
    expect(detail.revisions).toHaveLength(1);

    const future = await post(
      `/api/v1/console/rate-cards/${card}/rates?date_live=2027-01-01T00:00:00Z`,
      'prefix,name,rate\n1,USA,1.0\n',
      'text/csv',
    );
    expect(future.statusCode).toBe(201);
    const res = await ingestCdrs(t.deps, op.operatorId, [
      cdr({
        call_id: 'before',
        dest_number: '12125550100',
        duration: 60,
        start_time: '2026-12-31T23:59:00Z',
      }),
      cdr({ call_id: 'after', dest_number: '12125550100', duration: 60, start_time: '2027-01-01T00:01:00Z' }),
    ]);
    expect(res.accepted).toBe(2);
    const rows = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ call_id: string; charge: string }>(
        "SELECT call_id, charge::text FROM cdrs WHERE call_id IN ('before', 'after') ORDER BY call_id",
      ),
    );
    expect(rows).toEqual([
      { call_id: 'after', charge: '1.000000' },
      { call_id: 'before', charge: '0.005000' },
    ]);
  });

  it('keeps null (no limit) and 0 apart in route limits', async () => {
    const co = await buildCompany(op, { currency: 'USD' });
    const r = await op.console.post(`/api/v1/console/companies/${co.id}/routes`, {
      rate_card_id: card,
      channels: null,
      cps: 0,
      tech_prefix: '77',
    });
    expect(r.json()).toMatchObject({ channels: null, cps: 0 });
    const p = await op.console.patch(`/api/v1/console/companies/${co.id}/routes/${r.json().id}`, {
      cps: null,
      channels: 0,
    });
    expect(p.json()).toMatchObject({ channels: 0, cps: null });
    const bad = await op.console.patch(`/api/v1/console/companies/${co.id}/routes/${r.json().id}`, {
      cps: '5',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a route whose rate card is in another currency', async () => {
    const eurCo = await buildCompany(op, { currency: 'EUR' });
    const res = await op.console.post(`/api/v1/console/companies/${eurCo.id}/routes`, { rate_card_id: card });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('currency_mismatch');
  });

  it('keeps the hourly rollup equal to the raw aggregation on generated data', async () => {
    const other = (await buildCompany(op, { currency: 'USD' })).id;
    await op.console.post(`/api/v1/console/companies/${other}/routes`, { rate_card_id: card });
    const dests = ['447700900', '441611234', '1212555', '1415555'];
    const rows = Array.from({ length: 1500 }, (_, i) => {
      const answered = i % 5 !== 0;
      return cdr({
        call_id: `gen-${i}`,
        company_id: i % 3 === 0 ? other : company,
        start_time: new Date(
          Date.UTC(2026, 10, 1, 0, 0, 0) + ((i * 7919) % (3 * 24 * 3600)) * 1000,
        ).toISOString(),
        dest_number: `${dests[i % dests.length]}${i % 97}`,
        duration: answered ? ((i * 37) % 600) + 1 : 0,
        sip_code: answered ? 200 : 503,
        dtmf: i % 11 === 0 && answered ? '1#' : '',
        pdd_ms: 800 + (i % 50) * 40,
        carrier_id: i % 2 ? '11111111-1111-4111-8111-111111111111' : undefined,
        carrier_cost: answered ? '0.001000' : '0',
        carrier_currency: 'USD',
      });
    });
    for (let i = 0; i < rows.length; i += 400)
      await ingestCdrs(t.deps, op.operatorId, rows.slice(i, i + 400));
    const [rollup, raw] = await withTenant(t.deps.db, op.operatorId, async (tx) => {
      const sql = (from: string, cols: string) =>
        tx.query(
          `SELECT company_id, hour, dest_code, carrier_id::text, ${cols} FROM ${from} ORDER BY 1, 2, 3, 4`,
        );
      return [
        await sql(
          `(SELECT company_id, hour, dest_code, carrier_id, sum(attempts)::int AS attempts, sum(connected)::int AS connected,
                   sum(duration)::int AS duration, sum(billed_duration)::int AS billed_duration,
                   sum(charge)::numeric(20, 6)::text AS charge, sum(carrier_cost)::numeric(20, 6)::text AS carrier_cost,
                   sum(dtmf_calls)::int AS dtmf_calls, sum(pdd_ms_sum)::int AS pdd_ms_sum, sum(pdd_count)::int AS pdd_count
              FROM cdr_hourly GROUP BY 1, 2, 3, 4) h`,
          'attempts, connected, duration, billed_duration, charge, carrier_cost, dtmf_calls, pdd_ms_sum, pdd_count',
        ),
        await sql(
          `(SELECT company_id, date_trunc('hour', start_time, 'UTC') AS hour, coalesce(dest_code, '') AS dest_code,
                   coalesce(carrier_id, '00000000-0000-0000-0000-000000000000') AS carrier_id, count(*)::int AS attempts,
                   (count(*) FILTER (WHERE duration > 0))::int AS connected, sum(duration)::int AS duration,
                   sum(billed_duration)::int AS billed_duration, sum(charge)::numeric(20, 6)::text AS charge,
                   coalesce(sum(carrier_cost), 0)::numeric(20, 6)::text AS carrier_cost,
                   (count(*) FILTER (WHERE duration > 0 AND dtmf <> ''))::int AS dtmf_calls,
                   coalesce(sum(pdd_ms), 0)::int AS pdd_ms_sum, count(pdd_ms)::int AS pdd_count
              FROM cdrs GROUP BY 1, 2, 3, 4) raw`,
          'attempts, connected, duration, billed_duration, charge, carrier_cost, dtmf_calls, pdd_ms_sum, pdd_count',
        ),
      ];
    });
    expect(rollup.length).toBeGreaterThan(50);
    expect(rollup).toEqual(raw);

    // Before the fold every row is still queued and the views count it; folding in small chunks (several
    // transactions) leaves one row per key in the stores with the same sums, and an empty queue.
    const queued = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM cdr_rollup_queue'),
    );
    expect(queued[0]?.n).toBeGreaterThanOrEqual(rows.length);
    expect(await foldRollups(t.deps, op.operatorId, 97)).toBe(queued[0]?.n);
    await compactRollups(t.deps, op.operatorId);
    const compacted = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query(`SELECT company_id, hour, dest_code, carrier_id::text, attempts::int, connected::int, duration::int, billed_duration::int,
                       charge::text, carrier_cost::text, dtmf_calls::int, pdd_ms_sum::int, pdd_count::int FROM cdr_hourly_store ORDER BY 1, 2, 3, 4`),
    );
    expect(compacted).toEqual(raw);
    const [dailyRows, dailyRaw] = await withTenant(t.deps.db, op.operatorId, async (tx) => [
      await tx.query(`SELECT company_id, day, dest_code, attempts::int, connected::int, duration::int, billed_duration::int,
                             charge::text, dtmf_calls::int, pdd_ms_sum::int, pdd_count::int FROM cdr_daily_store ORDER BY 1, 2, 3`),
      await tx.query(`SELECT company_id, date_trunc('day', start_time, 'UTC') AS day, coalesce(dest_code, '') AS dest_code,
                             count(*)::int AS attempts, (count(*) FILTER (WHERE duration > 0))::int AS connected,
                             sum(duration)::int AS duration, sum(billed_duration)::int AS billed_duration,
                             sum(charge)::numeric(20, 6)::text AS charge,
                             (count(*) FILTER (WHERE duration > 0 AND dtmf <> ''))::int AS dtmf_calls,
                             coalesce(sum(pdd_ms), 0)::int AS pdd_ms_sum, count(pdd_ms)::int AS pdd_count
                        FROM cdrs GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
    ]);
    expect(dailyRows.length).toBeGreaterThan(10);
    expect(dailyRows).toEqual(dailyRaw);

    // Damage the rollup, rebuild it from the CDRs, and the daily view agrees with the raw data too.
    const hourlyBefore = raw;
    await withTenant(t.deps.db, op.operatorId, async (tx) => {
      await tx.query(
        'DELETE FROM cdr_hourly_store WHERE ctid IN (SELECT ctid FROM cdr_hourly_store LIMIT 5)',
      );
      await tx.query('UPDATE cdr_hourly_store SET charge = charge + 1');
      await tx.query('DELETE FROM company_usage');
    });
    await rebuildRollups(t.deps, op.operatorId);
    const [rebuilt, daily, rawDaily] = await withTenant(t.deps.db, op.operatorId, async (tx) => [
      await tx.query(`SELECT company_id, hour, dest_code, carrier_id::text, attempts::int, connected::int, duration::int, billed_duration::int,
                             charge::text, carrier_cost::text, dtmf_calls::int, pdd_ms_sum::int, pdd_count::int FROM cdr_hourly ORDER BY 1, 2, 3, 4`),
      await tx.query(
        `SELECT company_id, day, sum(attempts)::int AS a, sum(charge)::numeric(20, 6)::text AS c FROM cdr_daily GROUP BY 1, 2 ORDER BY 1, 2`,
      ),
      await tx.query(`SELECT company_id, date_trunc('day', start_time, 'UTC') AS day, count(*)::int AS a, sum(charge)::numeric(20, 6)::text AS c
                        FROM cdrs GROUP BY 1, 2 ORDER BY 1, 2`),
    ]);
    expect(rebuilt).toEqual(hourlyBefore);
    expect(daily).toEqual(rawDaily);
    const bal = (await op.console.get(`/api/v1/console/companies/${other}/balance`)).json();
    const [sum] = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ c: string }>(
        'SELECT (0 - sum(charge))::numeric(20, 4)::text AS c FROM cdrs WHERE company_id = $1',
        [other],
      ),
    );
    expect(bal.balance).toBe(sum!.c);
  });

  it('folds while batches keep arriving: the stores plus the queue always equal the raw CDRs', async () => {
    const co = (await buildCompany(op, { currency: 'USD' })).id;
    await op.console.post(`/api/v1/console/companies/${co}/routes`, { rate_card_id: card });
    const batch = (k: number) =>
      Array.from({ length: 150 }, (_, i) =>
        cdr({
          call_id: `fold-${k}-${i}`,
          company_id: co,
          start_time: new Date(Date.UTC(2026, 10, 2, i % 5, i % 60)).toISOString(),
          dest_number: i % 2 ? `447700${i}` : `1212555${i}`,
          duration: i % 4 ? 10 + i : 0,
          sip_code: i % 4 ? 200 : 486,
          dtmf: i % 6 === 1 ? '5' : '',
        }),
      );
    let stop = false;
    const folder = (async () => {
      let folded = 0;
      while (!stop) folded += await foldRollups(t.deps, op.operatorId, 40);
      return folded;
    })();
    await Promise.all(Array.from({ length: 6 }, (_, k) => ingestCdrs(t.deps, op.operatorId, batch(k))));
    stop = true;
    await folder;
    const compare = async () =>
      withTenant(t.deps.db, op.operatorId, async (tx) => [
        await tx.query(
          `SELECT day, dest_code, sum(attempts)::int AS a, sum(connected)::int AS c, sum(charge)::numeric(20, 6)::text AS ch,
                  sum(dtmf_calls)::int AS d FROM cdr_daily WHERE company_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
          [co],
        ),
        await tx.query(
          `SELECT date_trunc('day', start_time, 'UTC') AS day, dest_code, count(*)::int AS a,
                  (count(*) FILTER (WHERE duration > 0))::int AS c, sum(charge)::numeric(20, 6)::text AS ch,
                  (count(*) FILTER (WHERE duration > 0 AND dtmf <> ''))::int AS d
             FROM cdrs WHERE company_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
          [co],
        ),
      ]);
    const [mid, rawMid] = await compare();
    expect(mid).toEqual(rawMid);
    await foldRollups(t.deps, op.operatorId);
    const [after, rawAfter] = await compare();
    expect(after).toEqual(rawAfter);
    const left = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM cdr_rollup_queue WHERE company_id = $1', [co]),
    );
    expect(left[0]?.n).toBe(0);
  });

  it('keeps balances exact under concurrent overlapping ingestion and payments', async () => {
    const co = (await buildCompany(op, { currency: 'USD' })).id;
    await op.console.post(`/api/v1/console/companies/${co}/routes`, { rate_card_id: card });
    const batch = (k: number) =>
      Array.from({ length: 200 }, (_, i) =>
        cdr({
          call_id: `cc-${(k * 150 + i) % 600}`,
          company_id: co,
          dest_number: `1212555${i}`,
          duration: 10 + (i % 90),
          start_time: '2026-11-21T12:00:00Z',
        }),
      );
    const results = await Promise.all([
      ...[0, 1, 2, 3].map((k) => ingestCdrs(t.deps, op.operatorId, batch(k))),
      ...[1, 2, 3, 4, 5].map((n) =>
        createPayment(op.ctx, co, {
          amount: `${n}.25`,
          currency: 'USD',
          method: 'bank',
          status: 'completed',
        }),
      ),
    ]);
    const accepted = results.slice(0, 4).reduce((n, r) => n + (r as { accepted: number }).accepted, 0);
    const [facts] = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ n: number; charges: string }>(
        'SELECT count(*)::int AS n, coalesce(sum(charge), 0)::text AS charges FROM cdrs WHERE company_id = $1',
        [co],
      ),
    );
    expect(facts!.n).toBe(accepted);
    expect(
      new Set(
        (
          await withTenant(t.deps.db, op.operatorId, (tx) =>
            tx.query<{ call_id: string }>('SELECT call_id FROM cdrs WHERE company_id = $1', [co]),
          )
        ).map((r) => r.call_id),
      ).size,
    ).toBe(accepted);
    const bal = (await op.console.get(`/api/v1/console/companies/${co}/balance`)).json();
    expect(bal.balance).toBe(new Decimal('16.25').minus(facts!.charges).toFixed(4));
  });

  it('creates a new month partition once when concurrent batches reach it together', async () => {
    const batches = [0, 1, 2, 3].map((k) =>
      Array.from({ length: 50 }, (_, i) =>
        cdr({
          call_id: `p-${k}-${i}`,
          start_time: '2025-03-15T08:00:00Z',
          dest_number: '12125550100',
          duration: 5,
        }),
      ),
    );
    const results = await Promise.all(batches.map((b) => ingestCdrs(t.deps, op.operatorId, b)));
    expect(results.map((r) => r.accepted)).toEqual([50, 50, 50, 50]);
    const parts = await t.deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'cdrs_2025_03'",
    );
    expect(parts[0]!.n).toBe(1);
  });

  it('a batch across two months with some call ids sent before stores each new row once, in its own month', async () => {
    const before = [
      cdr({ call_id: 'm-1', start_time: '2025-05-31T23:59:59Z' }),
      cdr({ call_id: 'm-2', start_time: '2025-06-01T00:00:00Z' }),
    ];
    expect((await ingestCdrs(t.deps, op.operatorId, before)).accepted).toBe(2);
    const batch = [
      ...before,
      cdr({ call_id: 'm-3', start_time: '2025-05-30T10:00:00Z' }),
      cdr({ call_id: 'm-4', start_time: '2025-06-02T10:00:00Z' }),
      cdr({ call_id: 'm-5', start_time: '2025-06-03T10:00:00Z' }),
    ];
    const res = await ingestCdrs(t.deps, op.operatorId, batch);
    expect(res).toMatchObject({ accepted: 3, duplicates: 2, errors: [] });
    const rows = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ call_id: string; part: string }>(
        `SELECT call_id, tableoid::regclass::text AS part FROM cdrs WHERE call_id LIKE 'm-%' ORDER BY call_id`,
      ),
    );
    expect(rows).toEqual([
      { call_id: 'm-1', part: 'cdrs_2025_05' },
      { call_id: 'm-2', part: 'cdrs_2025_06' },
      { call_id: 'm-3', part: 'cdrs_2025_05' },
      { call_id: 'm-4', part: 'cdrs_2025_06' },
      { call_id: 'm-5', part: 'cdrs_2025_06' },
    ]);
    // The rollup queue and usage saw exactly the new rows: the views count 5 attempts for these months.
    const [agg] = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ n: number }>(
        `SELECT coalesce(sum(attempts), 0)::int AS n FROM cdr_daily
          WHERE company_id = $1 AND day >= '2025-05-01' AND day < '2025-07-01'`,
        [company],
      ),
    );
    expect(agg?.n).toBe(5);
  });

  it('the application role cannot reach a month partition directly, only the parent under its policy', async () => {
    await expect(
      withTenant(t.deps.db, op.operatorId, (tx) => tx.query('SELECT count(*) FROM cdrs_2025_06')),
    ).rejects.toThrow(/permission denied/);
    await expect(
      withTenant(t.deps.db, op.operatorId, (tx) =>
        tx.query(
          `INSERT INTO cdrs_2025_06 (operator_id, company_id, call_id, start_time)
                  VALUES ($1, $2, 'direct', '2025-06-05T00:00:00Z')`,
          [op.operatorId, company],
        ),
      ),
    ).rejects.toThrow(/permission denied/);
    // Through the parent, another operator sees none of these rows.
    const other = await buildOperator(t);
    const seen = await withTenant(t.deps.db, other.operatorId, (tx) =>
      tx.query(`SELECT 1 FROM cdrs WHERE call_id LIKE 'm-%'`),
    );
    expect(seen).toHaveLength(0);
  });

  it('is isolated: another operator cannot ingest for this operator’s company', async () => {
    const other = await buildOperator(t);
    const res = (
      await other.console.post('/api/v1/console/ingest/cdrs', [cdr({ call_id: 'x-tenant' })])
    ).json();
    expect(res.accepted).toBe(0);
    expect(res.errors[0].error).toBe('unknown_company');
  });

  it('stores text with tabs, line breaks, backslashes and non-ASCII characters exactly as sent', async () => {
    const odd = {
      call_id: 'odd\\id\twith tab',
      sip_reason: 'Busy\there',
      release_reason: 'line1\nline2\r\\end',
      cli: '+44 Zoë',
      meta: { note: 'tab\tand\\slash', city: 'München 東京 🚀' },
      dtmf: '1#*',
    };
    const res = await ingestCdrs(t.deps, op.operatorId, [cdr({ ...odd, sip_code: 486, duration: 0 })]);
    expect(res).toMatchObject({ accepted: 1, errors: [] });
    const [row] = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query('SELECT call_id, sip_reason, release_reason, cli, meta, dtmf FROM cdrs WHERE call_id = $1', [
        odd.call_id,
      ]),
    );
    expect(row).toEqual(odd);
  });

  it('forgets a deleted company’s usage rows, and only that company’s', async () => {
    const gone = (await buildCompany(op, { currency: 'USD' })).id;
    await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query(`INSERT INTO routes (operator_id, company_id, rate_card_id) VALUES ($1, $2, $3)`, [
        op.operatorId,
        gone,
        card,
      ]),
    );
    const res = await ingestCdrs(t.deps, op.operatorId, [cdr({ company_id: gone }), cdr({})]);
    expect(res).toMatchObject({ accepted: 2, errors: [] });
    const usage = (id: string) =>
      withTenant(t.deps.db, op.operatorId, async (tx) =>
        Number(
          (
            await tx.query<{ n: number }>(
              'SELECT count(*)::int AS n FROM company_usage WHERE company_id = $1',
              [id],
            )
          )[0]?.n,
        ),
      );
    expect(await usage(gone)).toBeGreaterThan(0);
    const kept = await usage(company);
    await withTenant(t.deps.db, op.operatorId, async (tx) => {
      await tx.query('DELETE FROM cdrs WHERE company_id = $1', [gone]);
      await tx.query('DELETE FROM cdr_rollup_queue WHERE company_id = $1', [gone]);
      await tx.query('DELETE FROM routes WHERE company_id = $1', [gone]);
      await tx.query('DELETE FROM companies WHERE id = $1', [gone]);
    });
    expect(await usage(gone)).toBe(0);
    expect(await usage(company)).toBe(kept);
  });
});
