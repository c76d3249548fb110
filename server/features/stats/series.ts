/**
 * Chart series over a range, for one company's calls (or, for a carrier user, the calls it carried):
 * ASR, ACD and DTMF % per bucket (weighted sums, never an average of averages), CPS as the busiest second of
 * each bucket, and channels as the peak of concurrent calls found by a sweep over the call intervals.
 *
 * Where they come from: buckets of whole hours of ASR/ACD/DTMF read the hourly rollup (its view adds the calls
 * still queued); buckets of 5 minutes or more read the 5-minute chart slots up to the earliest time of the scope
 * still waiting in the fold queue or for the sweeper, and the CDRs from there on; 1-minute buckets read the CDRs.
 * The reads run in one snapshot, so the parts always agree and the chart is exact at commit time.
 */
import type { Tx } from '../../db/db.ts';
import { CHANNEL_LOOKBACK_SECONDS, callEnd, NIL_UUID, SLOT_SECONDS } from '../../telecom/chart-slots.ts';
import { carrierLabels } from './carriers.ts';
import type { ChartRange } from './range.ts';

export { CHANNEL_LOOKBACK_SECONDS };

export type Metric = 'asr' | 'acd' | 'dtmf' | 'cps' | 'channels';

export const METRIC_UNITS: Record<Metric, string> = {
  asr: '%',
  acd: 's',
  dtmf: '%',
  cps: 'calls/s',
  channels: 'calls',
};

/** Whose calls: a customer's own (company_id) or a carrier's carried traffic (carrier_id). */
export interface Scope {
  column: 'company_id' | 'carrier_id';
  id: string;
  /** Add one line per carrier (customers only, when the matching carrier_* feature is on). */
  perCarrier: boolean;
}

export interface SeriesDto {
  key: string;
  label: string;
  values: (number | null)[];
}

export interface ChartDto {
  metric: Metric;
  unit: string;
  from: string;
  to: string;
  step: number;
  times: string[];
  series: SeriesDto[];
  /** The whole range in one figure: weighted ASR/ACD/DTMF %, or the peak CPS/channels. */
  summary: number | null;
  source: 'rollup' | 'cdrs';
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const round2 = (v: number): number => Math.round(v * 100) / 100;

interface Sums {
  attempts: number;
  connected: number;
  duration: number;
  dtmf: number;
}
/** A bucket's figures: the sums behind a ratio, or the peak of CPS and channels. */
type Cell = Sums | number;

/** One part of a chart (a sub-range of buckets): per line key ('total' or a carrier's id), a cell per bucket. */
type Part = Map<string, (Cell | undefined)[]>;

interface Row {
  b: number | string;
  /** 1 on the total rows (all carriers), 0 on a per-carrier row. */
  tot: number | string;
  carrier: string | null;
  [k: string]: unknown;
}

const rangeOf = (r: ChartRange, from: Date, to: Date): ChartRange => ({
  from,
  to,
  step: r.step,
  buckets: Math.round((to.getTime() - from.getTime()) / 1000 / r.step),
});

const firstBucket = (r: ChartRange) => r.from.getTime() / 1000 / r.step;

/** Rows (b = absolute bucket number, tot, carrier) into a part: bucket b − first at index, `cell` of each row. */
function toPart(rows: Row[], r: ChartRange, cell: (row: Row) => Cell): Part {
  const first = firstBucket(r);
  const part: Part = new Map([['total', new Array(r.buckets)]]);
  for (const row of rows) {
    const i = num(row.b) - first;
    if (i < 0 || i >= r.buckets) continue;
    const key = lineKey(row);
    if (!key) continue;
    const cells = part.get(key) ?? new Array(r.buckets);
    part.set(key, cells);
    cells[i] = cell(row);
  }
  return part;
}

/** The line a row belongs to: the total, a carrier's line, or none (calls without a carrier, per carrier). */
const lineKey = (row: Row): string | null =>
  num(row.tot) === 1 ? 'total' : row.carrier && row.carrier !== NIL_UUID ? row.carrier : null;

const sumsOf = (row: Row): Sums => ({
  attempts: num(row.attempts),
  connected: num(row.connected),
  duration: num(row.duration),
  dtmf: num(row.dtmf),
});

/** GROUP BY of a query over \`src\` (columns b, carrier_id, …): per bucket, and per bucket and carrier when split. */
const grouping = (split: boolean) =>
  split
    ? {
        select: 'GROUPING(carrier_id) AS tot, carrier_id::text AS carrier',
        by: 'GROUPING SETS ((b), (b, carrier_id))',
      }
    : { select: '1 AS tot, NULL::text AS carrier', by: 'b' };

const params = (scope: Scope, r: ChartRange) => [scope.id, r.from.toISOString(), r.to.toISOString(), r.step];

/** Slot rows of the scope: its total, and its carriers' lines when split. */
const slotScope = (scope: Scope) =>
  `scope = '${scope.column === 'company_id' ? 'c' : 'r'}' AND scope_id = $1
   ${scope.perCarrier ? '' : `AND carrier_id = '${NIL_UUID}'`}`;

/**
 * The scope's slot rows grouped per bucket and line (the total: tot = 1) with `aggregates`, from `lookback`
 * seconds before the range (those rows land in buckets before it).
 */
const fromSlots = (tx: Tx, scope: Scope, r: ChartRange, aggregates: string, lookback = 0) =>
  tx.query<Row>(
    `SELECT floor(extract(epoch FROM slot))::bigint / $4::int AS b, (carrier_id = '${NIL_UUID}')::int AS tot,
            carrier_id::text AS carrier, ${aggregates}
       FROM cdr_chart_slots
      WHERE ${slotScope(scope)} AND slot >= $2::timestamptz - make_interval(secs => $5::int) AND slot < $3
      GROUP BY 1, 2, 3`,
    [...params(scope, r), lookback],
  );

// ---- ASR, ACD, DTMF %

async function ratioFromHours(tx: Tx, scope: Scope, r: ChartRange): Promise<Part> {
  const g = grouping(scope.perCarrier);
  const rows = await tx.query<Row>(
    `SELECT b, ${g.select}, sum(attempts)::bigint AS attempts, sum(connected)::bigint AS connected,
            sum(duration)::bigint AS duration, sum(dtmf)::bigint AS dtmf
       FROM (SELECT floor(extract(epoch FROM hour))::bigint / $4::int AS b, carrier_id, attempts, connected, duration,
                    dtmf_calls AS dtmf
               FROM cdr_hourly WHERE ${scope.column} = $1 AND hour >= $2 AND hour < $3) src
      GROUP BY ${g.by}`,
    params(scope, r),
  );
  return toPart(rows, r, sumsOf);
}

async function ratioFromSlots(tx: Tx, scope: Scope, r: ChartRange): Promise<Part> {
  const rows = await fromSlots(
    tx,
    scope,
    r,
    `sum(attempts)::bigint AS attempts, sum(connected)::bigint AS connected, sum(duration)::bigint AS duration,
     sum(dtmf_calls)::bigint AS dtmf`,
  );
  return toPart(rows, r, sumsOf);
}

async function ratioFromCdrs(tx: Tx, scope: Scope, r: ChartRange): Promise<Part> {
  const g = grouping(scope.perCarrier);
  const rows = await tx.query<Row>(
    `SELECT b, ${g.select}, sum(attempts)::bigint AS attempts, sum(connected)::bigint AS connected,
            sum(duration)::bigint AS duration, sum(dtmf)::bigint AS dtmf
       FROM (SELECT floor(extract(epoch FROM start_time))::bigint / $4::int AS b, carrier_id, 1 AS attempts,
                    (duration > 0)::int AS connected, duration, (duration > 0 AND dtmf <> '')::int AS dtmf
               FROM cdrs WHERE ${scope.column} = $1 AND start_time >= $2 AND start_time < $3) src
      GROUP BY ${g.by}`,
    params(scope, r),
  );
  return toPart(rows, r, sumsOf);
}

// ---- CPS: attempts counted per second, then the busiest second of each bucket

async function cpsFromSlots(tx: Tx, scope: Scope, r: ChartRange): Promise<Part> {
  return toPart(await fromSlots(tx, scope, r, 'max(cps_peak) AS peak'), r, (row) => num(row.peak));
}

async function cpsFromCdrs(tx: Tx, scope: Scope, r: ChartRange): Promise<Part> {
  const g = grouping(scope.perCarrier);
  const rows = await tx.query<Row>(
    `WITH s AS (
       SELECT b, ${g.select}, count(*)::bigint AS n
         FROM (SELECT floor(extract(epoch FROM start_time))::bigint AS b, carrier_id
                 FROM cdrs WHERE ${scope.column} = $1 AND start_time >= $2 AND start_time < $3) src
        GROUP BY ${g.by})
     SELECT b / $4::int AS b, tot, carrier, max(n)::bigint AS peak FROM s GROUP BY 1, 2, 3`,
    params(scope, r),
  );
  return toPart(rows, r, (row) => num(row.peak));
}

// ---- Channels

/**
 * Channels from the slots: per bucket the highest level of its slots and the level its last slot closes with;
 * a bucket without slots keeps the level carried from before (the close of the last slot before the range,
 * looked for as far back as the longest call).
 */
async function channelsFromSlots(tx: Tx, scope: Scope, r: ChartRange): Promise<Part> {
  const rows = await fromSlots(
    tx,
    scope,
    r,
    'max(chan_peak) AS peak, (array_agg(chan_close ORDER BY slot DESC))[1] AS close',
    CHANNEL_LOOKBACK_SECONDS + SLOT_SECONDS,
  );
  return carryLevels(rows, r, (row, level) => ({
    value: Math.max(level, num(row.peak)),
    next: num(row.close),
  }));
}

/**
 * Channels from the CDRs: +1 at each call's start and −1 at its end (ends first at equal times: intervals are
 * half-open), a running sum over the ordered events, then per bucket the highest level reached and the net
 * change. Bucket −1 holds every event before the range: its net change is the level the range opens with.
 */
async function channelsFromCdrs(tx: Tx, scope: Scope, r: ChartRange): Promise<Part> {
  const split = scope.perCarrier;
  // The sweep sorts two events per call: let a busy range sort in memory rather than spill to disk.
  await tx.query("SELECT set_config('work_mem', '64MB', true)");
  const rows = await tx.query<Row>(
    `WITH calls AS (
       SELECT carrier_id, start_time AS s, ${callEnd('cdrs')} AS e
         FROM cdrs
        WHERE ${scope.column} = $1 AND start_time >= $2::timestamptz - make_interval(secs => $5::int)
          AND start_time < $3
     ), ev AS (
       SELECT carrier_id, s AS t, 1 AS d FROM calls WHERE e > s
       UNION ALL
       SELECT carrier_id, e AS t, -1 AS d FROM calls WHERE e > s AND e < $3
     ), run AS (
       SELECT carrier_id, t, d, sum(d) OVER (ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS lvl
              ${split ? ', sum(d) OVER (PARTITION BY carrier_id ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS clvl' : ''}
         FROM ev
     ), b AS (
       SELECT greatest(floor(extract(epoch FROM t))::bigint / $4::int, $6::bigint - 1) AS b, carrier_id, d, lvl
              ${split ? ', clvl' : ''}
         FROM run
     )
     SELECT b, 1 AS tot, NULL::text AS carrier, max(lvl)::bigint AS peak, sum(d)::bigint AS net FROM b GROUP BY b
     ${split ? 'UNION ALL SELECT b, 0, carrier_id::text, max(clvl)::bigint, sum(d)::bigint FROM b WHERE carrier_id IS NOT NULL GROUP BY b, carrier_id' : ''}`,
    [...params(scope, r), CHANNEL_LOOKBACK_SECONDS, firstBucket(r)],
  );
  return carryLevels(rows, r, (row, level) => ({
    value: Math.max(level, num(row.peak)),
    next: level + num(row.net),
  }));
}

/**
 * Walks each line's buckets in order with the level carried between them: rows before the range (in bucket
 * order) only move the level; inside it each row gives the bucket's value and the level it hands on.
 */
function carryLevels(
  rows: Row[],
  r: ChartRange,
  step: (row: Row, level: number) => { value: number; next: number },
): Part {
  const first = firstBucket(r);
  const byKey = new Map<string, Row[]>([['total', []]]);
  for (const row of rows) {
    const key = lineKey(row);
    if (!key) continue;
    const list = byKey.get(key) ?? [];
    byKey.set(key, list);
    list.push(row);
  }
  const part: Part = new Map();
  for (const [key, list] of byKey) {
    list.sort((a, b) => num(a.b) - num(b.b));
    const cells: number[] = new Array(r.buckets);
    let level = 0;
    let i = 0;
    for (const row of list) {
      const at = num(row.b) - first;
      if (at >= r.buckets) break;
      if (at < 0) {
        level = step(row, level).next;
        continue;
      }
      for (; i < at; i++) cells[i] = level;
      const s = step(row, level);
      cells[i++] = s.value;
      level = s.next;
    }
    for (; i < r.buckets; i++) cells[i] = level;
    part.set(key, cells);
  }
  return part;
}

// ---- assembly

/**
 * Start of the part of the range that must be read from the CDRs: the earliest call of the scope still queued
 * for folding, or the start of its chart slots still waiting for the sweeper, whichever is earlier.
 */
async function staleFrom(tx: Tx, scope: Scope, r: ChartRange): Promise<Date> {
  const [row] = await tx.query<{ t: string | Date | null }>(
    `SELECT least((SELECT min(start_time) FROM cdr_rollup_queue WHERE ${scope.column} = $1),
                  (SELECT w FROM cdr_chart_dirty WHERE scope = $2 AND scope_id = $1)) AS t`,
    [scope.id, scope.column === 'company_id' ? 'c' : 'r'],
  );
  if (!row?.t) return r.to;
  const ms = r.step * 1000;
  const t = Math.floor(new Date(row.t).getTime() / ms) * ms;
  return new Date(Math.min(Math.max(t, r.from.getTime()), r.to.getTime()));
}

type Reader = (tx: Tx, scope: Scope, r: ChartRange) => Promise<Part>;

const READERS: Record<'ratio' | 'cps' | 'channels', { slots: Reader; cdrs: Reader }> = {
  ratio: { slots: ratioFromSlots, cdrs: ratioFromCdrs },
  cps: { slots: cpsFromSlots, cdrs: cpsFromCdrs },
  channels: { slots: channelsFromSlots, cdrs: channelsFromCdrs },
};

/** The metric's cells over the whole range, and where they were read. */
async function cellsOf(
  tx: Tx,
  metric: Metric,
  scope: Scope,
  r: ChartRange,
): Promise<{ parts: { part: Part; buckets: number }[]; source: ChartDto['source'] }> {
  const kind = metric === 'cps' || metric === 'channels' ? metric : 'ratio';
  if (kind === 'ratio' && r.step % 3600 === 0) {
    return { parts: [{ part: await ratioFromHours(tx, scope, r), buckets: r.buckets }], source: 'rollup' };
  }
  const reader = READERS[kind];
  if (r.step % SLOT_SECONDS !== 0) {
    return { parts: [{ part: await reader.cdrs(tx, scope, r), buckets: r.buckets }], source: 'cdrs' };
  }
  const split = await staleFrom(tx, scope, r);
  const parts: { part: Part; buckets: number }[] = [];
  if (split > r.from) {
    const sr = rangeOf(r, r.from, split);
    parts.push({ part: await reader.slots(tx, scope, sr), buckets: sr.buckets });
  }
  if (split < r.to) {
    const cr = rangeOf(r, split, r.to);
    parts.push({ part: await reader.cdrs(tx, scope, cr), buckets: cr.buckets });
  }
  return { parts, source: split > r.from ? 'rollup' : 'cdrs' };
}

/** One chart: the metric over the range for the scope. */
export async function chart(tx: Tx, metric: Metric, scope: Scope, r: ChartRange): Promise<ChartDto> {
  const { parts, source } = await cellsOf(tx, metric, scope, r);
  const keys = new Set<string>(['total']);
  for (const { part } of parts) for (const k of part.keys()) keys.add(k);
  // A line missing from a part had no calls there: no ratio, no CPS, no channels.
  const joined = (key: string): (Cell | undefined)[] => {
    const out: (Cell | undefined)[] = [];
    for (const { part, buckets } of parts) {
      const cells = part.get(key);
      for (let i = 0; i < buckets; i++) out.push(cells?.[i]);
    }
    return out;
  };
  const isRatio = metric !== 'cps' && metric !== 'channels';
  const value = (c: Cell | undefined): number | null => {
    if (!isRatio) return typeof c === 'number' ? c : 0;
    if (c === undefined || typeof c === 'number') return null;
    if (metric === 'asr') return c.attempts ? round2((c.connected / c.attempts) * 100) : null;
    if (!c.connected) return null;
    return metric === 'acd' ? round2(c.duration / c.connected) : round2((c.dtmf / c.connected) * 100);
  };
  const total = joined('total');
  const series: SeriesDto[] = [{ key: 'total', label: 'Total', values: Array.from(total, value) }];
  const carrierIds = [...keys].filter((k) => k !== 'total');
  if (carrierIds.length) {
    const labels = await carrierLabels(tx);
    const carrierLines = carrierIds.map((id) => {
      const l = labels.get(id) ?? { key: 'carrier-other', label: 'Other carrier' };
      return { key: l.key, label: l.label, values: Array.from(joined(id), value) };
    });
    carrierLines.sort((a, b) => a.label.localeCompare(b.label, 'en', { numeric: true }));
    series.push(...carrierLines);
  }
  let summary: number | null;
  if (isRatio) {
    const sum: Sums = { attempts: 0, connected: 0, duration: 0, dtmf: 0 };
    for (const c of total)
      if (c && typeof c !== 'number') for (const k of Object.keys(sum) as (keyof Sums)[]) sum[k] += c[k];
    summary = value(sum);
  } else {
    summary = Math.max(0, ...series[0]!.values.map((v) => v ?? 0));
  }
  return {
    metric,
    unit: METRIC_UNITS[metric],
    from: r.from.toISOString(),
    to: r.to.toISOString(),
    step: r.step,
    times: Array.from({ length: r.buckets }, (_, i) =>
      new Date(r.from.getTime() + i * r.step * 1000).toISOString(),
    ),
    series,
    summary,
    source,
  };
}
