/**
 * Chart slots (table cdr_chart_slots, migration 013): per 5 minutes, a customer's or a carrier's attempts,
 * connected calls, talk seconds, DTMF calls, busiest second and concurrent-call levels, so that charts over days
 * read thousands of slot rows instead of hundreds of thousands of calls.
 *
 * Slots are never adjusted by arithmetic: a sweep recomputes every slot of a time window from the CDRs (the
 * calls starting in the window, and those started up to CHANNEL_LOOKBACK_SECONDS before it that are still up),
 * so a fold, a rebuild and a read of the raw CDRs can never disagree. The fold sweeps, per customer and per
 * carrier, the window its newly folded calls span (marked dirty by the fold, swept half a day at a time); the
 * rebuild sweeps every key day by day.
 */
import type { Tx } from '../db/db.ts';

export const SLOT_SECONDS = 300;
/**
 * Calls are taken to occupy a channel from their start (INVITE) until hang-up: start + PDD + ring + talk.
 * Calls that started before a window still count while they last; switches cap calls well under this.
 */
export const CHANNEL_LOOKBACK_SECONDS = 4 * 3600;
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** When a CDR's call hung up, from its columns (of `c`). */
export const callEnd = (c: string) =>
  `${c}.start_time + make_interval(secs => coalesce(${c}.pdd_ms, 0) / 1000.0 + ${c}.ring_duration + ${c}.duration)`;

/** The 5-minute slot (UTC) holding a time. */
export const slotOf = (t: string) => `date_bin('5 minutes', ${t}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;

/** The columns of a CDR `c` the sweep reads (the carrier as is: null when the call had none). */
const callColumns = (c: string) =>
  `${c}.carrier_id, ${c}.start_time AS s, ${callEnd(c)} AS en, ${c}.duration, ${c}.dtmf <> '' AS dtmf_call`;

/** A window to sweep: every slot of [w, e) of one key (w and e on slot boundaries). */
export interface SweepWindow {
  scope: 'c' | 'r';
  id: string;
  w: string;
  e: string;
}

/**
 * The sweep of the windows given as JSON in $1 ({k, scope, id, w, e}, k numbering them from 1): every slot of
 * [w, e) of each window's key that has a call starting or ending in it is upserted. Calls are read by customer
 * (index on company and time) or by carrier, from w − lookback; each counts for its key's total and, for
 * customers, for its carrier's line. Keys are sorted as small integers (window number, carrier number).
 */
const SWEEP_SQL = `WITH win AS (
  -- lw: from when calls are read. Computed here so that the join on cdrs compares columns only: row-level
  -- security lets only leakproof quals (a comparison, not timestamp arithmetic) into the index scan.
  SELECT k, scope, id, w, e, w - make_interval(secs => ${CHANNEL_LOOKBACK_SECONDS}) AS lw
    FROM jsonb_to_recordset($1::jsonb) AS x(k int, scope text, id uuid, w timestamptz, e timestamptz)
), calls AS (
  SELECT win.k, true AS split, win.w, win.e, ${callColumns('c')}
    FROM win JOIN cdrs c ON c.company_id = win.id
     AND c.start_time >= win.lw AND c.start_time < win.e
   WHERE win.scope = 'c'
  UNION ALL
  SELECT win.k, false, win.w, win.e, ${callColumns('c')}
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

/** Re-sweeps the slots of the windows (the fold: the windows its calls span, per customer and carrier). */
export async function sweepWindows(tx: Tx, windows: SweepWindow[]): Promise<void> {
  if (!windows.length) return;
  // Two sorted events per call: let a wide window sort in memory rather than spill to disk.
  await tx.query("SELECT set_config('work_mem', '64MB', true)");
  await tx.query(SWEEP_SQL, [JSON.stringify(windows.map((w, i) => ({ ...w, k: i + 1 })))]);
}

/**
 * Rebuilds the tenant's chart slots from its CDRs, one day of every key per statement (each statement sorts a
 * day of calls, not the whole table). Runs inside the caller's transaction.
 */
export async function rebuildChartSlots(tx: Tx): Promise<{ slots: number; days: number }> {
  await tx.query('DELETE FROM cdr_chart_slots');
  await tx.query('DELETE FROM cdr_chart_dirty');
  const [span] = await tx.query<{ first: string | null; last: string | null }>(
    `SELECT date_trunc('day', min(start_time), 'UTC') AS first, max(start_time) AS last FROM cdrs`,
  );
  if (!span?.first || !span.last) return { slots: 0, days: 0 };
  const keys = await tx.query<{ scope: 'c' | 'r'; id: string }>(
    `SELECT 'c' AS scope, id FROM companies
     UNION ALL SELECT 'r', id FROM companies WHERE type = 'carrier'`,
  );
  const last = new Date(span.last).getTime();
  let days = 0;
  // The last window reaches past the last start by the longest call, so every end is swept.
  for (let d = new Date(span.first).getTime(); d <= last + CHANNEL_LOOKBACK_SECONDS * 1000; d += 86_400_000) {
    const w = new Date(d).toISOString();
    const e = new Date(d + 86_400_000).toISOString();
    await sweepWindows(
      tx,
      keys.map((k) => ({ ...k, w, e })),
    );
    days++;
  }
  const [n] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM cdr_chart_slots');
  return { slots: n?.n ?? 0, days };
}

/** Marks dirty the windows that newly folded calls span (inside the fold, over queue-shaped rows `q`). */
export function markDirtySql(q: string): string {
  const end = `${q}.start_time + make_interval(secs => coalesce(${q}.pdd_ms, 0) / 1000.0 + ${q}.ring_duration + ${q}.duration)`;
  return `INSERT INTO cdr_chart_dirty (operator_id, scope, scope_id, w, e)
  SELECT operator_id, scope, id, ${slotOf('w')}, ${slotOf('e')} + interval '5 minutes'
    FROM (SELECT operator_id, 'c' AS scope, company_id AS id, min(start_time) AS w, max(${end}) AS e
            FROM ${q} GROUP BY operator_id, company_id
          UNION ALL
          SELECT operator_id, 'r', carrier_id, min(start_time), max(${end}) FROM ${q}
           WHERE carrier_id <> '${NIL_UUID}' GROUP BY operator_id, carrier_id) win
   ORDER BY 1, 2, 3
  ON CONFLICT (operator_id, scope, scope_id) DO UPDATE SET
    w = least(cdr_chart_dirty.w, excluded.w), e = greatest(cdr_chart_dirty.e, excluded.e)`;
}

/** How much of the dirty time one sweep transaction takes on at first: the oldest half-day of every dirty key. */
export const SWEEP_PIECE_SECONDS = 12 * 3600;

/**
 * Sweeps the oldest dirty piece of the tenant: every key dirty before the piece's end gets its slots of
 * [w, min(e, piece end)) recomputed, then its dirty window starts at the piece's end or is gone. The caller
 * holds the fold lock, so no fold widens a window meanwhile. Returns the keys swept (0: nothing was dirty).
 */
export async function sweepDirtyPiece(tx: Tx, pieceSeconds = SWEEP_PIECE_SECONDS): Promise<number> {
  const dirty = await tx.query<{ scope: 'c' | 'r'; id: string; w: Date | string; e: Date | string }>(
    'SELECT scope, scope_id AS id, w, e FROM cdr_chart_dirty',
  );
  if (!dirty.length) return 0;
  const ms = (v: Date | string) => new Date(v).getTime();
  const start = Math.min(...dirty.map((d) => ms(d.w)));
  const end = start + pieceSeconds * 1000;
  const windows: SweepWindow[] = dirty
    .filter((d) => ms(d.w) < end)
    .map((d) => ({
      scope: d.scope,
      id: d.id,
      w: new Date(ms(d.w)).toISOString(),
      e: new Date(Math.min(ms(d.e), end)).toISOString(),
    }));
  await sweepWindows(tx, windows);
  const pieceEnd = new Date(end).toISOString();
  await tx.query('DELETE FROM cdr_chart_dirty WHERE w < $1 AND e <= $1', [pieceEnd]);
  await tx.query('UPDATE cdr_chart_dirty SET w = $1 WHERE w < $1', [pieceEnd]);
  return windows.length;
}
