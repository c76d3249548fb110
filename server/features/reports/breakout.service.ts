/**
 * Breakout and summary: traffic grouped by destination or period (console also by company and carrier), read
 * from the rollups wherever whole buckets fit the range and from the raw CDRs only for the partial edges:
 * whole UTC days from cdr_daily, whole hours from cdr_hourly, the rest from cdrs. Every ratio is computed
 * from summed counts (weighted by calls), never as an average of averages.
 */
import Decimal from 'decimal.js';
import type { Tx } from '../../db/db.ts';
import { ceilTo, DAY_MS, floorTo, HOUR_MS, offsetMinutes, type Range } from './range.ts';

export type BreakoutGroup = 'destination' | 'day' | 'hour' | 'month' | 'company' | 'carrier';

export interface BreakoutSpec extends Range {
  group: BreakoutGroup;
  tz: string;
  companyId?: string;
  /** Console: carrier cost and profit; rows also split by the company's currency. */
  operatorView: boolean;
}

/** The summed measures of a group: everything else is derived from these. */
export interface Sums {
  attempts: number;
  connected: number;
  duration: number;
  billed_duration: number;
  charge: string;
  dtmf_calls: number;
  pdd_ms_sum: number;
  pdd_count: number;
  carrier_cost?: string;
}

export interface BreakoutRow extends Sums {
  key: string;
  label: string;
  currency?: string;
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Etc/UCT', 'UCT', 'Zulu', 'Etc/Zulu']);

type Source = 'daily' | 'hourly' | 'raw';

/** The pieces of [from, to) each source answers. */
export function plan(spec: BreakoutSpec): { source: Source; from: Date; to: Date }[] {
  const { from, to } = spec;
  const out: { source: Source; from: Date; to: Date }[] = [];
  // Buckets in the reader's zone only line up with UTC hours when its offset is whole hours.
  const hourAligned = offsetMinutes(spec.tz, from) % 60 === 0 && offsetMinutes(spec.tz, to) % 60 === 0;
  const bucketTz = spec.group === 'day' || spec.group === 'hour' || spec.group === 'month';
  const tz = spec.group === 'month' ? 'UTC' : spec.tz;
  const useHourly = !bucketTz || spec.group === 'month' || hourAligned;
  // The daily rollup has no carrier (so no cost) and UTC days only.
  const useDaily =
    !spec.operatorView &&
    spec.group !== 'carrier' &&
    spec.group !== 'hour' &&
    (spec.group !== 'day' || UTC_NAMES.has(tz));
  const fh = ceilTo(from, HOUR_MS);
  const th = floorTo(to, HOUR_MS);
  if (!useHourly || fh.getTime() >= th.getTime()) return [{ source: 'raw', from, to }];
  if (from < fh) out.push({ source: 'raw', from, to: fh });
  const fd = ceilTo(fh, DAY_MS);
  const td = floorTo(th, DAY_MS);
  if (useDaily && fd < td) {
    if (fh < fd) out.push({ source: 'hourly', from: fh, to: fd });
    out.push({ source: 'daily', from: fd, to: td });
    if (td < th) out.push({ source: 'hourly', from: td, to: th });
  } else {
    out.push({ source: 'hourly', from: fh, to: th });
  }
  if (th < to) out.push({ source: 'raw', from: th, to });
  return out;
}

function keySql(group: BreakoutGroup, source: Source, tz: string): string[] {
  const time = source === 'daily' ? 'day' : source === 'hourly' ? 'hour' : 'start_time';
  const zone = `'${tz.replace(/'/g, "''")}'`;
  switch (group) {
    case 'destination':
      return source === 'raw'
        ? [`coalesce(dest_code, '') AS k1`, `coalesce(dest_name, '') AS k2`]
        : ['dest_code AS k1', 'dest_name AS k2'];
    case 'hour':
      return [`date_trunc('hour', ${time}, ${zone}) AS k1`];
    case 'day':
      return [`date_trunc('day', ${time}, ${zone}) AS k1`];
    case 'month':
      return [`date_trunc('month', ${time}, 'UTC') AS k1`];
    case 'company':
      return ['company_id AS k1'];
    case 'carrier':
      return source === 'raw' ? [`coalesce(carrier_id, '${NIL_UUID}') AS k1`] : ['carrier_id AS k1'];
  }
}

function measuresSql(source: Source, cost: boolean): string {
  if (source === 'raw') {
    return `count(*) AS attempts, count(*) FILTER (WHERE duration > 0) AS connected, coalesce(sum(duration), 0) AS duration,
            coalesce(sum(billed_duration), 0) AS billed_duration, coalesce(sum(charge), 0) AS charge,
            count(*) FILTER (WHERE duration > 0 AND dtmf <> '') AS dtmf_calls, coalesce(sum(pdd_ms), 0) AS pdd_ms_sum,
            count(pdd_ms) AS pdd_count${cost ? ', coalesce(sum(carrier_cost), 0) AS carrier_cost' : ''}`;
  }
  return `sum(attempts) AS attempts, sum(connected) AS connected, sum(duration) AS duration,
          sum(billed_duration) AS billed_duration, sum(charge) AS charge, sum(dtmf_calls) AS dtmf_calls,
          sum(pdd_ms_sum) AS pdd_ms_sum, sum(pdd_count) AS pdd_count${cost ? ', sum(carrier_cost) AS carrier_cost' : ''}`;
}

/** The statement of a breakout: the grouped sums over the range, each group's measures added up across the sources. */
export function breakoutSql(spec: BreakoutSpec): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const cost = spec.operatorView;
  const tz = spec.group === 'month' ? 'UTC' : spec.tz;
  const twoKeys = spec.group === 'destination';
  const company = spec.companyId ? p(spec.companyId) : null;
  const parts = plan(spec).map((piece) => {
    const table = piece.source === 'daily' ? 'cdr_daily' : piece.source === 'hourly' ? 'cdr_hourly' : 'cdrs';
    const time = piece.source === 'daily' ? 'day' : piece.source === 'hourly' ? 'hour' : 'start_time';
    const keys = keySql(spec.group, piece.source, tz);
    const extra = cost && spec.group !== 'company' ? ['company_id AS co'] : [];
    const groupBy = [...keys, ...extra].map((_, i) => i + 1).join(', ');
    return `SELECT ${[...keys, ...extra].join(', ')}, ${measuresSql(piece.source, cost)}
              FROM ${table}
             WHERE ${time} >= ${p(piece.from.toISOString())} AND ${time} < ${p(piece.to.toISOString())}
               ${company ? `AND company_id = ${company}` : ''}
             GROUP BY ${groupBy}`;
  });
  const keyCols = twoKeys ? ['s.k1', 's.k2'] : ['s.k1'];
  const coCol = cost ? (spec.group === 'company' ? 's.k1' : 's.co') : null;
  const currency = coCol ? 'cu.currency' : null;
  const groupCols = [...keyCols, ...(currency ? [currency] : [])];
  const label =
    spec.group === 'company' || spec.group === 'carrier'
      ? `coalesce(min(lb.name), CASE WHEN s.k1::text = '${NIL_UUID}' THEN 'No carrier' ELSE 'Unknown' END)`
      : twoKeys
        ? 's.k2'
        : 'NULL::text';
  const labelJoin =
    spec.group === 'company' || spec.group === 'carrier'
      ? 'LEFT JOIN companies lb ON lb.id = s.k1::uuid'
      : '';
  const sql = `SELECT ${spec.group === 'destination' || spec.group === 'company' || spec.group === 'carrier' ? 's.k1::text' : 's.k1'} AS key,
            ${label} AS label${currency ? `, ${currency} AS currency` : ''},
            sum(s.attempts)::bigint AS attempts, sum(s.connected)::bigint AS connected,
            sum(s.duration)::bigint AS duration, sum(s.billed_duration)::bigint AS billed_duration,
            sum(s.charge)::text AS charge, sum(s.dtmf_calls)::bigint AS dtmf_calls,
            sum(s.pdd_ms_sum)::bigint AS pdd_ms_sum, sum(s.pdd_count)::bigint AS pdd_count
            ${cost ? ', sum(s.carrier_cost)::text AS carrier_cost' : ''}
       FROM (${parts.join(' UNION ALL ')}) s
       ${coCol ? `LEFT JOIN companies cu ON cu.id = ${coCol}` : ''}
       ${labelJoin}
      GROUP BY ${groupCols.join(', ')}
      ORDER BY ${spec.group === 'destination' || spec.group === 'company' || spec.group === 'carrier' ? 'attempts DESC, key' : 'key'}`;
  return { sql, params };
}

/** The grouped sums over the range. */
export async function breakoutRows(tx: Tx, spec: BreakoutSpec): Promise<BreakoutRow[]> {
  const { sql, params } = breakoutSql(spec);
  const cost = spec.operatorView;
  const currency = cost ? 'cu.currency' : null;
  const rows = await tx.query<Record<string, unknown>>(sql, params);
  return rows.map((r) => ({
    key: r.key instanceof Date ? r.key.toISOString() : String(r.key),
    label: r.label === null || r.label === undefined ? '' : String(r.label),
    ...(currency ? { currency: String(r.currency ?? '') } : {}),
    attempts: Number(r.attempts),
    connected: Number(r.connected),
    duration: Number(r.duration),
    billed_duration: Number(r.billed_duration),
    charge: new Decimal(String(r.charge ?? '0')).toFixed(),
    dtmf_calls: Number(r.dtmf_calls),
    pdd_ms_sum: Number(r.pdd_ms_sum),
    pdd_count: Number(r.pdd_count),
    ...(cost ? { carrier_cost: new Decimal(String(r.carrier_cost ?? '0')).toFixed() } : {}),
  }));
}

/** Adds up rows (per currency when the rows carry one). */
export function totalsOf(rows: readonly BreakoutRow[]): BreakoutRow[] {
  const by = new Map<string, BreakoutRow>();
  for (const r of rows) {
    const k = r.currency ?? '';
    const t = by.get(k);
    if (!t) {
      by.set(k, { ...r, key: 'total', label: 'Total' });
      continue;
    }
    t.attempts += r.attempts;
    t.connected += r.connected;
    t.duration += r.duration;
    t.billed_duration += r.billed_duration;
    t.charge = new Decimal(t.charge).plus(r.charge).toFixed();
    t.dtmf_calls += r.dtmf_calls;
    t.pdd_ms_sum += r.pdd_ms_sum;
    t.pdd_count += r.pdd_count;
    if (t.carrier_cost !== undefined)
      t.carrier_cost = new Decimal(t.carrier_cost).plus(r.carrier_cost ?? 0).toFixed();
  }
  return [...by.values()];
}

const round = (v: number, dp: number) => Math.round(v * 10 ** dp) / 10 ** dp;

/** Every derived column of a group, computed from its sums. */
export function derive(s: Sums): Record<string, number | string | null> {
  return {
    attempts: s.attempts,
    connected: s.connected,
    asr: s.attempts ? round((s.connected * 100) / s.attempts, 2) : null,
    acd: s.connected ? round(s.duration / s.connected, 1) : null,
    duration: round(s.duration / 60, 2),
    billed_duration: round(s.billed_duration / 60, 2),
    charge: s.charge,
    dtmf_calls: s.dtmf_calls,
    dtmf_pct: s.connected ? round((s.dtmf_calls * 100) / s.connected, 2) : null,
    pdd_ms: s.pdd_count ? Math.round(s.pdd_ms_sum / s.pdd_count) : null,
    ...(s.carrier_cost !== undefined
      ? { carrier_cost: s.carrier_cost, profit: new Decimal(s.charge).minus(s.carrier_cost).toFixed() }
      : {}),
  };
}
