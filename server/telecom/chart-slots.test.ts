/**
 * The chart-slot sweep against an independent statement of the same definition: the set-based SQL the sweep was
 * first written as (window functions over start and end events), kept here as the oracle. Calls on a 10-second
 * grid make starts, ends and slot boundaries coincide often; zero-length calls, calls without a carrier or a PDD,
 * calls from before the window and calls still up at its end are all present.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/db.ts';
import { ENGINE } from '../test/db.ts';
import {
  buildCompany,
  buildOperator,
  startTestApp,
  type TenantFixture,
  type TestApp,
} from '../test/harness.ts';
import {
  CHANNEL_LOOKBACK_SECONDS,
  callEnd,
  NIL_UUID,
  type SweepWindow,
  slotOf,
  sweepWindows,
} from './chart-slots.ts';
import { ingestCdrs } from './ingest.ts';
import { createRng } from './simulator/prng.ts';

// The sweep as one statement (windows as JSON in $1, numbered by k from 1).
const ORACLE_SQL = `WITH win AS (
  -- lw: from when calls are read. Computed here so that the join on cdrs compares columns only: row-level
  -- security lets only leakproof quals (a comparison, not timestamp arithmetic) into the index scan.
  SELECT k, scope, id, w, e, w - make_interval(secs => ${CHANNEL_LOOKBACK_SECONDS}) AS lw
    FROM jsonb_to_recordset($1::jsonb) AS x(k int, scope text, id uuid, w timestamptz, e timestamptz)
), calls AS (
  SELECT win.k, true AS split, win.w, win.e, c.carrier_id, c.start_time AS s, ${callEnd('c')} AS en, c.duration, c.dtmf <> '' AS dtmf_call
    FROM win JOIN cdrs c ON c.company_id = win.id
     AND c.start_time >= win.lw AND c.start_time < win.e
   WHERE win.scope = 'c'
  UNION ALL
  SELECT win.k, false, win.w, win.e, c.carrier_id, c.start_time AS s, ${callEnd('c')} AS en, c.duration, c.dtmf <> '' AS dtmf_call
    FROM win JOIN cdrs c ON c.carrier_id = win.id
     AND c.start_time >= win.lw AND c.start_time < win.e
   WHERE win.scope = 'r'
), carr AS (
  SELECT coalesce(array_agg(DISTINCT carrier_id), '{}') AS a FROM calls WHERE split AND carrier_id IS NOT NULL
), keyed AS (
  SELECT k, 0 AS c, w, e, s, en, duration, dtmf_call FROM calls
  UNION ALL
  SELECT k, array_position(carr.a, carrier_id), w, e, s, en, duration, dtmf_call FROM calls, carr
   WHERE split AND carrier_id IS NOT NULL
), keys AS (
  -- the level each key's window opens with: calls started before it and still up
  SELECT k, c, count(*) FILTER (WHERE s < w AND en > w)::int AS lvl0 FROM keyed GROUP BY 1, 2
), ev AS (
  -- +1 at a start, −1 at an end; ends first at equal times (intervals are half-open)
  SELECT k, c, s AS t, 1 AS d FROM keyed WHERE s >= w AND s < e AND en > s
  UNION ALL
  SELECT k, c, en, -1 FROM keyed WHERE en > w AND en < e AND en > s
), run AS (
  SELECT k, c, t, d, sum(d) OVER (PARTITION BY k, c ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS lvl FROM ev
), chan AS (
  SELECT k, c, ${slotOf('t')} AS slot, max(lvl)::int AS peak_rel, sum(d)::int AS net FROM run GROUP BY 1, 2, 3
), sec AS (
  SELECT k, c, date_trunc('second', s) AS sec, count(*)::int AS n,
         count(*) FILTER (WHERE duration > 0)::int AS connected, sum(duration)::bigint AS duration,
         count(*) FILTER (WHERE duration > 0 AND dtmf_call)::int AS dtmf
    FROM keyed WHERE s >= w AND s < e GROUP BY 1, 2, 3
), st AS (
  SELECT k, c, ${slotOf('sec')} AS slot, sum(n)::int AS attempts, sum(connected)::int AS connected,
         sum(duration)::bigint AS duration, sum(dtmf)::int AS dtmf, max(n)::int AS cps
    FROM sec GROUP BY 1, 2, 3
), slots AS (
  SELECT k, c, slot, coalesce(st.attempts, 0) AS attempts, coalesce(st.connected, 0) AS connected,
         coalesce(st.duration, 0) AS duration, coalesce(st.dtmf, 0) AS dtmf, coalesce(st.cps, 0) AS cps,
         chan.peak_rel, coalesce(chan.net, 0) AS net
    FROM chan FULL JOIN st USING (k, c, slot)
), lv AS (
  SELECT slots.*, keys.lvl0,
         keys.lvl0 + sum(net) OVER (PARTITION BY k, c ORDER BY slot ROWS UNBOUNDED PRECEDING) AS close
    FROM slots JOIN keys USING (k, c)
)
INSERT INTO cdr_chart_slots (operator_id, scope, scope_id, carrier_id, slot, attempts, connected, duration,
                             dtmf_calls, cps_peak, chan_peak, chan_close)
SELECT app_operator_id(), win.scope, win.id, CASE WHEN lv.c = 0 THEN '${NIL_UUID}'::uuid ELSE carr.a[lv.c] END,
       slot, attempts, connected, duration, dtmf, cps, greatest(close - net, coalesce(lvl0 + peak_rel, 0))::int,
       close::int
  FROM lv JOIN win USING (k), carr
ON CONFLICT (operator_id, scope, scope_id, carrier_id, slot) DO UPDATE SET
  attempts = excluded.attempts, connected = excluded.connected, duration = excluded.duration,
  dtmf_calls = excluded.dtmf_calls, cps_peak = excluded.cps_peak, chan_peak = excluded.chan_peak,
  chan_close = excluded.chan_close`;

let t: TestApp;
let op: TenantFixture;
let customers: string[];
let carriers: string[];
const B0 = Date.UTC(2026, 9, 5, 6); // on a slot boundary

/** Calls of one customer on a 10-second grid over [from, from + span). */
function grid(company: string, n: number, seed: string, from: number, span: number) {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const answered = rng() < 0.6;
    const zero = !answered && rng() < 0.2;
    const carrier = rng() < 0.15 ? null : carriers[Math.floor(rng() * carriers.length)]!;
    return {
      call_id: `${seed}-${i}`,
      start_time: new Date(from + Math.floor(rng() * (span / 10_000)) * 10_000).toISOString(),
      company_id: company,
      dest_number: `4420${i}`,
      duration: answered ? 10 * (1 + Math.floor(rng() * (rng() < 0.1 ? 900 : 60))) : 0,
      ring_duration: zero ? 0 : 10 * Math.floor(rng() * 3),
      pdd_ms: zero || rng() < 0.2 ? null : rng() < 0.5 ? 1000 * Math.floor(rng() * 4) : 2500,
      sip_code: answered ? 200 : 486,
      dtmf: answered && rng() < 0.3 ? '1#' : '',
      carrier_id: carrier,
      charge: '0',
      currency: 'USD',
    };
  });
}

const slots = () =>
  withTenant(t.deps.db, op.operatorId, (tx) =>
    tx.query(
      `SELECT scope, scope_id, carrier_id, slot, attempts, connected, duration, dtmf_calls, cps_peak, chan_peak,
              chan_close FROM cdr_chart_slots ORDER BY scope, scope_id, carrier_id, slot`,
    ),
  );

/** The slots the sweep leaves for the windows, and those the oracle computes from nothing. */
async function sweepAndOracle(windows: SweepWindow[]) {
  await withTenant(t.deps.db, op.operatorId, (tx) => sweepWindows(tx, windows));
  const swept = await slots();
  await withTenant(t.deps.db, op.operatorId, async (tx) => {
    await tx.query('DELETE FROM cdr_chart_slots');
    await tx.query(ORACLE_SQL, [JSON.stringify(windows.map((w, i) => ({ ...w, k: i + 1 })))]);
  });
  return { swept, oracle: await slots() };
}

beforeAll(async () => {
  t = await startTestApp();
  op = await buildOperator(t);
  customers = [(await buildCompany(op)).id, (await buildCompany(op)).id];
  carriers = [
    (await buildCompany(op, { type: 'carrier' })).id,
    (await buildCompany(op, { type: 'carrier' })).id,
  ];
  // Exactly on the edges of the windows below: ending at a window's start, starting at it, ending at its end.
  const edge = (id: string, start: number, duration: number) => ({
    call_id: id,
    start_time: new Date(start).toISOString(),
    company_id: customers[0],
    dest_number: '442071',
    duration,
    sip_code: 200,
    carrier_id: carriers[0],
    charge: '0',
    currency: 'USD',
  });
  const edges = [
    edge('edge-1', B0 - 600_000, 600),
    edge('edge-2', B0 - 3600_000 - 1200_000, 1200),
    edge('edge-3', B0, 300),
    edge('edge-4', B0 + 2 * 3600_000 - 900_000, 900),
    edge('edge-5', B0 + 1200_000, 0),
  ];
  expect((await ingestCdrs(t.deps, op.operatorId, edges)).errors).toEqual([]);
  for (const [i, c] of customers.entries()) {
    const out = await ingestCdrs(
      t.deps,
      op.operatorId,
      grid(c, 600, `grid${i}`, B0 - 5 * 3600_000, 8 * 3600_000),
    );
    expect(out.errors).toEqual([]);
  }
}, 60_000);
afterAll(() => t.close());

describe(`chart-slot sweep against the set-based oracle (${ENGINE})`, () => {
  const windows = (w: number, e: number): SweepWindow[] =>
    [
      ...customers.map((id) => ({ scope: 'c' as const, id })),
      ...carriers.map((id) => ({ scope: 'r' as const, id })),
    ].map((k) => ({ ...k, w: new Date(w).toISOString(), e: new Date(e).toISOString() }));

  it('sweeps empty slots exactly as the oracle', async () => {
    const { swept, oracle } = await sweepAndOracle(windows(B0, B0 + 2 * 3600_000));
    expect(swept.length).toBeGreaterThan(150);
    expect(swept).toEqual(oracle);
  });

  it('re-sweeps stored slots after late calls: unchanged ones kept, changed ones updated, new ones added', async () => {
    const first = windows(B0 - 3600_000, B0 + 3 * 3600_000);
    await sweepAndOracle(first); // the oracle's slots stay stored
    const before = await slots();
    const late = grid(customers[0]!, 150, 'late', B0 + 3600_000, 1800_000);
    expect((await ingestCdrs(t.deps, op.operatorId, late)).errors).toEqual([]);
    const { swept, oracle } = await sweepAndOracle(first);
    expect(swept).toEqual(oracle);
    expect(swept).not.toEqual(before);
    // The other customer's slots did not change.
    const of = (rows: Record<string, unknown>[]) => rows.filter((r) => r.scope_id === customers[1]);
    expect(of(swept)).toEqual(of(before));
  });
});
