import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/db.ts';
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
import { compactAll, compactRollups, foldChunk, foldRollups, RollupFolder } from './rollups.ts';

let t: TestApp;
let op: TenantFixture;
let companies: string[];

const RATES = `prefix,name,rate,connect_cost,mcd,pulse,grace,status
44,UK,0.0100,0,30,6,0,active
447,UK Mobile,0.0500,0.01,60,6,0,active
1,USA,0.0050,0,1,1,0,active`;

beforeAll(async () => {
  t = await startTestApp();
  op = await buildOperator(t);
  companies = [(await buildCompany(op)).id, (await buildCompany(op)).id, (await buildCompany(op)).id];
  const card = (
    await op.console.post('/api/v1/console/rate-cards', { name: 'Retail', currency: 'USD', precision: 4 })
  ).json().id;
  const imported = await t.app.inject({
    method: 'POST',
    url: `/api/v1/console/rate-cards/${card}/rates`,
    headers: {
      host: CONSOLE,
      origin: `http://${CONSOLE}`,
      cookie: `sid=${op.console.cookie}`,
      'content-type': 'text/csv',
    },
    payload: RATES,
  });
  expect(imported.statusCode, imported.body).toBe(201);
  for (const c of companies)
    expect(
      (await op.console.post(`/api/v1/console/companies/${c}/routes`, { rate_card_id: card })).statusCode,
    ).toBe(201);
});
afterAll(() => t.close());

const DESTS = ['447700900', '441611234', '1212555', '1415555'];
const CARRIERS = ['11111111-1111-4111-8111-111111111111', undefined];

/** Generated CDRs over four days, three companies, four destinations and two carriers. */
const cdrs = (from: number, count: number) =>
  Array.from({ length: count }, (_, j) => {
    const i = from + j;
    const answered = i % 4 !== 0;
    return {
      call_id: `bk-${i}`,
      company_id: companies[i % companies.length]!,
      start_time: new Date(Date.UTC(2026, 9, 3) + ((i * 7919) % (4 * 24 * 3600)) * 1000).toISOString(),
      dest_number: `${DESTS[i % DESTS.length]}${i % 89}`,
      duration: answered ? ((i * 37) % 900) + 1 : 0,
      sip_code: answered ? 200 : 486,
      dtmf: i % 13 === 0 && answered ? '2' : '',
      pdd_ms: 600 + (i % 40) * 25,
      carrier_id: CARRIERS[i % 2],
      carrier_cost: answered ? '0.002000' : '0',
      carrier_currency: 'USD',
    };
  });

/** Ingests in many small batches: every batch queues its rows for the fold and appends a usage row per company. */
async function ingestBacklog(from: number, count: number, batch: number) {
  for (let i = from; i < from + count; i += batch) {
    const r = await ingestCdrs(t.deps, op.operatorId, cdrs(i, Math.min(batch, from + count - i)));
    expect(r.errors).toEqual([]);
  }
}

const HOURLY_MEASURES = `sum(attempts)::int AS attempts, sum(connected)::int AS connected, sum(duration)::int AS duration,
  sum(billed_duration)::int AS billed_duration, sum(charge)::numeric(20, 6)::text AS charge,
  sum(carrier_cost)::numeric(20, 6)::text AS carrier_cost, sum(dtmf_calls)::int AS dtmf_calls,
  sum(pdd_ms_sum)::int AS pdd_ms_sum, sum(pdd_count)::int AS pdd_count, count(*)::int AS row_count`;
const DAILY_MEASURES = `sum(attempts)::int AS attempts, sum(connected)::int AS connected, sum(duration)::int AS duration,
  sum(billed_duration)::int AS billed_duration, sum(charge)::numeric(20, 6)::text AS charge,
  sum(dtmf_calls)::int AS dtmf_calls, sum(pdd_ms_sum)::int AS pdd_ms_sum, sum(pdd_count)::int AS pdd_count,
  count(*)::int AS row_count`;

/**
 * The rollups as readers see them (the views: stores plus queued rows) and as stored, summed per key with the
 * number of rows per key, and the same figures from the raw CDRs.
 */
async function snapshot() {
  return withTenant(t.deps.db, op.operatorId, async (tx) => ({
    queued: (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM cdr_rollup_queue'))[0]!.n,
    freshUsage: (
      await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM company_usage WHERE NOT compacted')
    )[0]!.n,
    hourly: await tx.query(
      `SELECT company_id, hour, dest_code, dest_name, carrier_id::text, ${HOURLY_MEASURES}
         FROM cdr_hourly GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    ),
    hourlyStore: await tx.query(
      `SELECT company_id, hour, dest_code, dest_name, carrier_id::text, ${HOURLY_MEASURES}
         FROM cdr_hourly_store GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    ),
    dailyStore: await tx.query(
      `SELECT company_id, day, dest_code, dest_name, ${DAILY_MEASURES}
         FROM cdr_daily_store GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    ),
    rawHourly: await tx.query(
      `SELECT company_id, date_trunc('hour', start_time, 'UTC') AS hour, coalesce(dest_code, '') AS dest_code,
              coalesce(dest_name, '') AS dest_name,
              coalesce(carrier_id, '00000000-0000-0000-0000-000000000000')::text AS carrier_id,
              count(*)::int AS attempts, (count(*) FILTER (WHERE duration > 0))::int AS connected,
              sum(duration)::int AS duration, sum(billed_duration)::int AS billed_duration,
              sum(charge)::numeric(20, 6)::text AS charge, coalesce(sum(carrier_cost), 0)::numeric(20, 6)::text AS carrier_cost,
              (count(*) FILTER (WHERE duration > 0 AND dtmf <> ''))::int AS dtmf_calls,
              coalesce(sum(pdd_ms), 0)::int AS pdd_ms_sum, count(pdd_ms)::int AS pdd_count, 1 AS row_count
         FROM cdrs GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    ),
    daily: await tx.query(
      `SELECT company_id, day, dest_code, dest_name, ${DAILY_MEASURES}
         FROM cdr_daily GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    ),
    rawDaily: await tx.query(
      `SELECT company_id, date_trunc('day', start_time, 'UTC') AS day, coalesce(dest_code, '') AS dest_code,
              coalesce(dest_name, '') AS dest_name, count(*)::int AS attempts,
              (count(*) FILTER (WHERE duration > 0))::int AS connected, sum(duration)::int AS duration,
              sum(billed_duration)::int AS billed_duration, sum(charge)::numeric(20, 6)::text AS charge,
              (count(*) FILTER (WHERE duration > 0 AND dtmf <> ''))::int AS dtmf_calls,
              coalesce(sum(pdd_ms), 0)::int AS pdd_ms_sum, count(pdd_ms)::int AS pdd_count, 1 AS row_count
         FROM cdrs GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    ),
    usage: await tx.query(
      `SELECT company_id, sum(call_charges)::numeric(20, 6)::text AS charges, count(*)::int AS row_count
         FROM company_usage GROUP BY 1 ORDER BY 1`,
    ),
    rawUsage: await tx.query(
      `SELECT company_id, sum(charge)::numeric(20, 6)::text AS charges, 1 AS row_count FROM cdrs GROUP BY 1 ORDER BY 1`,
    ),
  }));
}

/** Drops the per-key row count, for comparing sums only. */
const sums = (rows: Record<string, unknown>[]) => rows.map(({ row_count: _, ...rest }) => rest);

describe(`Rollup fold in bounded chunks (${ENGINE})`, () => {
  it('works off a backlog in bounded transactions and ends with one row per key equal to the raw data', async () => {
    await ingestBacklog(0, 600, 30);
    const before = await snapshot();
    // Every new CDR waits in the queue; the views count it, so readers already see exact figures.
    expect(before.queued).toBe(600);
    expect(before.freshUsage).toBeGreaterThan(20);
    expect(before.hourlyStore).toEqual([]);
    expect(sums(before.hourly)).toEqual(sums(before.rawHourly));
    expect(sums(before.daily)).toEqual(sums(before.rawDaily));

    // One chunk folds exactly its bound and keeps the views exact.
    expect(await foldChunk(t.deps, op.operatorId, 16)).toBe(16);
    const mid = await snapshot();
    expect(mid.queued).toBe(600 - 16);
    expect(sums(mid.hourly)).toEqual(sums(mid.rawHourly));
    expect(sums(mid.daily)).toEqual(sums(mid.rawDaily));

    expect(await foldRollups(t.deps, op.operatorId, 16)).toBe(600 - 16);
    expect(await compactRollups(t.deps, op.operatorId)).toMatchObject({ folded: 0, usage: 3 });
    const after = await snapshot();
    expect(after.queued).toBe(0);
    expect(after.freshUsage).toBe(0);
    expect(after.hourlyStore.length).toBeGreaterThan(100);
    expect(after.hourlyStore).toEqual(after.rawHourly);
    expect(after.dailyStore).toEqual(after.rawDaily);
    expect(after.usage).toEqual(after.rawUsage);

    // Nothing left: another round touches nothing.
    expect(await compactRollups(t.deps, op.operatorId)).toEqual({ folded: 0, usage: 0 });
  });

  it('keeps the sums exact while ingestion and two folders run at the same time', async () => {
    const ingesting = (async () => {
      await ingestBacklog(600, 300, 20);
      await ingestBacklog(900, 300, 25);
    })();
    const folding = (async () => {
      const done = { v: false };
      void ingesting.finally(() => {
        done.v = true;
      });
      let rounds = 0;
      while (!done.v || rounds < 2) {
        await Promise.all([
          foldRollups(t.deps, op.operatorId, 5),
          foldRollups(t.deps, op.operatorId, 11),
          compactRollups(t.deps, op.operatorId),
        ]);
        // Mid-run, readers (the daily view) agree with the raw CDRs; one statement, so one snapshot.
        const [cmp] = await withTenant(t.deps.db, op.operatorId, (tx) =>
          tx.query<{ diff: number; n: number }>(
            `WITH v AS (SELECT company_id, day, dest_code, dest_name, sum(attempts)::int AS a, sum(connected)::int AS c,
                               sum(duration)::int AS d, sum(charge)::numeric(20, 6) AS ch, sum(dtmf_calls)::int AS m
                          FROM cdr_daily GROUP BY 1, 2, 3, 4),
                  r AS (SELECT company_id, date_trunc('day', start_time, 'UTC') AS day, coalesce(dest_code, '') AS dest_code,
                               coalesce(dest_name, '') AS dest_name, count(*)::int AS a,
                               (count(*) FILTER (WHERE duration > 0))::int AS c, sum(duration)::int AS d,
                               sum(charge)::numeric(20, 6) AS ch,
                               (count(*) FILTER (WHERE duration > 0 AND dtmf <> ''))::int AS m
                          FROM cdrs GROUP BY 1, 2, 3, 4)
             SELECT ((SELECT count(*) FROM (SELECT * FROM v EXCEPT SELECT * FROM r) x)
                   + (SELECT count(*) FROM (SELECT * FROM r EXCEPT SELECT * FROM v) y))::int AS diff,
                    (SELECT count(*) FROM r)::int AS n`,
          ),
        );
        expect(cmp).toMatchObject({ diff: 0 });
        expect(cmp?.n).toBeGreaterThan(0);
        rounds += 1;
      }
      return rounds;
    })();
    const [, rounds] = await Promise.all([ingesting, folding]);
    expect(rounds).toBeGreaterThanOrEqual(2);
    await compactRollups(t.deps, op.operatorId);

    const after = await snapshot();
    expect(after.queued).toBe(0);
    expect(after.rawHourly.reduce((n, r) => n + (r.attempts as number), 0)).toBe(1200);
    expect(after.hourlyStore).toEqual(after.rawHourly);
    expect(after.dailyStore).toEqual(after.rawDaily);
    expect(sums(after.usage)).toEqual(sums(after.rawUsage));
  });

  it('the worker’s folder empties the queue by itself after ingestion announces new rows', async () => {
    const folder = new RollupFolder(
      t.deps,
      (err) => {
        throw err;
      },
      10,
    );
    await folder.start();
    try {
      await ingestBacklog(1200, 90, 30);
      for (let i = 0; i < 500 && (await snapshot()).queued > 0; i++) await folder.idle();
      const after = await snapshot();
      expect(after.queued).toBe(0);
      expect(after.hourlyStore).toEqual(after.rawHourly);
    } finally {
      await folder.stop();
    }
  });
  it('the folder waits while batches keep arriving: folds once ingestion pauses or after maxDeferMs, sweeps once it pauses or after maxSweepDeferMs', async () => {
    let clock = 0;
    const folder = new RollupFolder(
      t.deps,
      (err) => {
        throw err;
      },
      5,
      { quietMs: 1000, maxDeferMs: 5000, maxSweepDeferMs: 12_000, now: () => clock },
    );
    const until = async (cond: () => boolean | Promise<boolean>) => {
      for (let i = 0; i < 400 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 5));
      expect(await cond()).toBe(true);
    };
    const dirty = async () =>
      (
        await withTenant(t.deps.db, op.operatorId, (tx) =>
          tx.query<{ n: number }>('SELECT count(*)::int AS n FROM cdr_chart_dirty'),
        )
      )[0]!.n;
    const queued = async () => (await snapshot()).queued;
    /** Announces a batch every 500 ms of the clock from `from` to `to`, checking `check` after each. */
    const batchesEveryHalfSecond = async (from: number, to: number, check: () => Promise<void>) => {
      for (clock = from; clock < to; clock += 500) {
        folder.request(op.operatorId);
        await new Promise((r) => setTimeout(r, 10));
        await check();
      }
    };
    await folder.start();
    try {
      // A batch announced at 0 ms, then more at 900 and 1,800 ms: never a second of quiet, so nothing is folded.
      await ingestBacklog(3000, 60, 30);
      await until(() => folder.waiting(op.operatorId));
      clock = 900;
      folder.request(op.operatorId);
      clock = 1800;
      folder.request(op.operatorId);
      await new Promise((r) => setTimeout(r, 30));
      expect(await queued()).toBe(60);
      // A second without announcements: folded and swept.
      clock = 2800;
      await until(
        async () => (await queued()) === 0 && (await dirty()) === 0 && !folder.waiting(op.operatorId),
      );
      const after = await snapshot();
      expect(after.hourlyStore).toEqual(after.rawHourly);

      // Batches every half second from 3,300 ms on: folded once the fold has waited 5 s, swept once the sweep has
      // waited 12 s, although batches never stop.
      await ingestBacklog(3100, 60, 30);
      await until(() => folder.waiting(op.operatorId));
      await batchesEveryHalfSecond(3300, 7800, async () => expect(await queued()).toBe(60));
      clock = 7900;
      folder.request(op.operatorId);
      await until(async () => (await queued()) === 0);
      expect(await dirty()).toBeGreaterThan(0);
      await ingestBacklog(3200, 30, 30);
      await batchesEveryHalfSecond(8400, 14_800, async () => expect(await dirty()).toBeGreaterThan(0));
      clock = 14_900;
      folder.request(op.operatorId);
      await until(async () => (await queued()) === 0 && (await dirty()) === 0);
      const end = await snapshot();
      expect(end.hourlyStore).toEqual(end.rawHourly);
    } finally {
      await folder.stop();
    }
  });

  it('the 30-second compaction only merges usage for an operator whose upkeep the folder holds back', async () => {
    await ingestBacklog(3300, 40, 20);
    const before = await snapshot();
    expect(before.queued).toBe(40);
    expect(before.freshUsage).toBeGreaterThan(0);
    await compactAll(t.deps, (id) => id === op.operatorId);
    let after = await snapshot();
    expect(after.queued).toBe(40);
    expect(after.freshUsage).toBe(0);
    expect(sums(after.usage)).toEqual(sums(after.rawUsage));
    await compactAll(t.deps);
    after = await snapshot();
    expect(after.queued).toBe(0);
    expect(after.hourlyStore).toEqual(after.rawHourly);
  });

  it('reclaims the queue’s dead rows itself once enough rows were folded', async () => {
    const size = async () =>
      (await t.deps.db.query<{ n: number }>("SELECT pg_relation_size('cdr_rollup_queue')::int AS n"))[0]!.n;
    expect(await foldRollups(t.deps, op.operatorId)).toBe(0);
    await ingestBacklog(5000, 150, 50);
    expect(await size()).toBeGreaterThan(0);
    // Below the threshold the deleted rows stay in the heap; past it, VACUUM truncates the empty pages away.
    expect(await foldRollups(t.deps, op.operatorId, 37, 1_000_000)).toBe(150);
    expect(await size()).toBeGreaterThan(0);
    await ingestBacklog(5150, 150, 50);
    expect(await foldRollups(t.deps, op.operatorId, 37, 100)).toBe(150);
    expect(await size()).toBe(0);
  });
});
