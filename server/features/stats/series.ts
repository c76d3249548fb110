/**
 * Chart series over a range, for one company's calls (or, for a carrier user, the calls it carried):
 * ASR, ACD and DTMF % per bucket (weighted sums, from the hourly rollup when buckets are whole hours),
 * CPS as the busiest second of each bucket, and channels as the peak of concurrent calls found by a sweep
 * over the call intervals.
 */
import type { Tx } from '../../db/db.ts';
import { carrierLabels } from './carriers.ts';
import type { ChartRange } from './range.ts';

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

/**
 * Calls are taken to occupy a channel from their start (INVITE) until hang-up: start + PDD + ring + talk.
 * Calls that started before the range still count while they last; switches cap calls well under this.
 */
export const CHANNEL_LOOKBACK_SECONDS = 4 * 3600;
const NIL = '00000000-0000-0000-0000-000000000000';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const round2 = (v: number): number => Math.round(v * 100) / 100;

interface Row {
  b: number | string;
  /** 1 on the total rows (all carriers), 0 on a per-carrier row. */
  tot: number | string;
  carrier: string | null;
  [k: string]: unknown;
}

type Acc = Map<string, Map<number, Row>>;

function collect(rows: Row[], r: ChartRange): { total: Map<number, Row>; carriers: Acc } {
  const first = r.from.getTime() / 1000 / r.step;
  const total = new Map<number, Row>();
  const carriers: Acc = new Map();
  for (const row of rows) {
    const i = num(row.b) - first;
    if (num(row.tot) === 1) total.set(i, row);
    else if (row.carrier && row.carrier !== NIL) {
      const m = carriers.get(row.carrier) ?? new Map<number, Row>();
      carriers.set(row.carrier, m);
      m.set(i, row);
    }
  }
  return { total, carriers };
}

async function lines(
  tx: Tx,
  r: ChartRange,
  acc: { total: Map<number, Row>; carriers: Acc },
  value: (row: Row | undefined, key: string) => number | null,
): Promise<SeriesDto[]> {
  const range = Array.from({ length: r.buckets }, (_, i) => i);
  const out: SeriesDto[] = [
    { key: 'total', label: 'Total', values: range.map((i) => value(acc.total.get(i), 'total')) },
  ];
  if (acc.carriers.size === 0) return out;
  const labels = await carrierLabels(tx);
  const carrierLines = [...acc.carriers].map(([id, m]) => {
    const l = labels.get(id) ?? { key: 'carrier-other', label: 'Other carrier' };
    return { key: l.key, label: l.label, values: range.map((i) => value(m.get(i), id)) };
  });
  carrierLines.sort((a, b) => a.label.localeCompare(b.label, 'en', { numeric: true }));
  return [...out, ...carrierLines];
}

/** GROUP BY of a query over \`src\` (columns b, carrier_id, …): per bucket, and per bucket and carrier when split. */
const grouping = (split: boolean) =>
  split
    ? {
        select: 'GROUPING(carrier_id) AS tot, carrier_id::text AS carrier',
        by: 'GROUPING SETS ((b), (b, carrier_id))',
      }
    : { select: '1 AS tot, NULL::text AS carrier', by: 'b' };

/** ASR, ACD and DTMF %: sums per bucket, never an average of averages. */
async function ratioChart(tx: Tx, metric: 'asr' | 'acd' | 'dtmf', scope: Scope, r: ChartRange) {
  const rollup = r.step % 3600 === 0;
  const g = grouping(scope.perCarrier);
  const src = rollup
    ? `SELECT floor(extract(epoch FROM hour))::bigint / $4::int AS b, carrier_id, attempts, connected, duration,
              dtmf_calls AS dtmf
         FROM cdr_hourly WHERE ${scope.column} = $1 AND hour >= $2 AND hour < $3`
    : `SELECT floor(extract(epoch FROM start_time))::bigint / $4::int AS b, carrier_id, 1 AS attempts,
              (duration > 0)::int AS connected, duration, (duration > 0 AND dtmf <> '')::int AS dtmf
         FROM cdrs WHERE ${scope.column} = $1 AND start_time >= $2 AND start_time < $3`;
  const rows = await tx.query<Row>(
    `SELECT b, ${g.select}, sum(attempts)::bigint AS attempts, sum(connected)::bigint AS connected,
            sum(duration)::bigint AS duration, sum(dtmf)::bigint AS dtmf
       FROM (${src}) src GROUP BY ${g.by}`,
    [scope.id, r.from.toISOString(), r.to.toISOString(), r.step],
  );
  const acc = collect(rows, r);
  const ratio = (row: Row | undefined): number | null => {
    if (!row) return null;
    const attempts = num(row.attempts);
    const connected = num(row.connected);
    if (metric === 'asr') return attempts ? round2((connected / attempts) * 100) : null;
    if (!connected) return null;
    return metric === 'acd'
      ? round2(num(row.duration) / connected)
      : round2((num(row.dtmf) / connected) * 100);
  };
  const series = await lines(tx, r, acc, ratio);
  const sum: Record<string, number> = { attempts: 0, connected: 0, duration: 0, dtmf: 0 };
  for (const row of acc.total.values()) for (const k of Object.keys(sum)) sum[k] = sum[k]! + num(row[k]);
  const source = rollup ? ('rollup' as const) : ('cdrs' as const);
  return { series, summary: ratio({ b: 0, tot: 1, carrier: null, ...sum }), source };
}

/** CPS: attempts counted per second, then the busiest second of each bucket. */
async function cpsChart(tx: Tx, scope: Scope, r: ChartRange) {
  const g = grouping(scope.perCarrier);
  const rows = await tx.query<Row>(
    `WITH s AS (
       SELECT b, ${g.select}, count(*)::bigint AS n
         FROM (SELECT floor(extract(epoch FROM start_time))::bigint AS b, carrier_id
                 FROM cdrs WHERE ${scope.column} = $1 AND start_time >= $2 AND start_time < $3) src
        GROUP BY ${g.by})
     SELECT b / $4::int AS b, tot, carrier, max(n)::bigint AS peak FROM s GROUP BY 1, 2, 3`,
    [scope.id, r.from.toISOString(), r.to.toISOString(), r.step],
  );
  const acc = collect(rows, r);
  const series = await lines(tx, r, acc, (row) => (row ? num(row.peak) : 0));
  const summary = Math.max(0, ...series[0]!.values.map((v) => v ?? 0));
  return { series, summary, source: 'cdrs' as const };
}

/**
 * Channels: +1 at each call's start and −1 at its end (ends first at equal times: intervals are half-open),
 * a running sum over the ordered events, then per bucket the highest level reached and the net change.
 * The level a bucket opens with is the running total of everything before it, so quiet buckets carry it.
 */
async function channelsChart(tx: Tx, scope: Scope, r: ChartRange) {
  const split = scope.perCarrier;
  // The sweep sorts two events per call: let a busy week sort in memory rather than spill to disk.
  await tx.query("SELECT set_config('work_mem', '64MB', true)");
  const rows = await tx.query<Row>(
    `WITH calls AS (
       SELECT carrier_id, start_time AS s,
              start_time + make_interval(secs => coalesce(pdd_ms, 0) / 1000.0 + ring_duration + duration) AS e
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
    [
      scope.id,
      r.from.toISOString(),
      r.to.toISOString(),
      r.step,
      CHANNEL_LOOKBACK_SECONDS,
      r.from.getTime() / 1000 / r.step,
    ],
  );
  const acc = collect(rows, r);
  // Bucket −1 holds every event before the range: its net change is the level the range opens with.
  const levels = new Map<string, number>();
  const opening = (key: string) => {
    if (!levels.has(key)) {
      const m = key === 'total' ? acc.total : acc.carriers.get(key);
      levels.set(key, num(m?.get(-1)?.net));
    }
    return levels.get(key)!;
  };
  const series = await lines(tx, r, acc, (row, key) => {
    const level = opening(key);
    if (!row) return level;
    levels.set(key, level + num(row.net));
    return Math.max(level, num(row.peak));
  });
  const summary = Math.max(0, ...series[0]!.values.map((v) => v ?? 0));
  return { series, summary, source: 'cdrs' as const };
}

/** One chart: the metric over the range for the scope. */
export async function chart(tx: Tx, metric: Metric, scope: Scope, r: ChartRange): Promise<ChartDto> {
  const out =
    metric === 'cps'
      ? await cpsChart(tx, scope, r)
      : metric === 'channels'
        ? await channelsChart(tx, scope, r)
        : await ratioChart(tx, metric, scope, r);
  return {
    metric,
    unit: METRIC_UNITS[metric],
    from: r.from.toISOString(),
    to: r.to.toISOString(),
    step: r.step,
    times: Array.from({ length: r.buckets }, (_, i) =>
      new Date(r.from.getTime() + i * r.step * 1000).toISOString(),
    ),
    series: out.series,
    summary: out.summary,
    source: out.source,
  };
}
