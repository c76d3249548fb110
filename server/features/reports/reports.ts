/** The report answers shared by the portal and console routes: breakout and summary tables, CSV replies. */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { BREAKOUT_COLUMNS } from '../../../common/features.ts';
import type { Tx } from '../../db/db.ts';
import { type BreakoutGroup, breakoutRows, derive, totalsOf } from './breakout.service.ts';
import { checkTimeZone, DAY_MS, floorTo, HOUR_MS, readRange } from './range.ts';

export interface ReportTable {
  group: string;
  from: string;
  to: string;
  tz: string;
  /** Column ids in display order: the group's key columns first. */
  columns: string[];
  rows: Record<string, unknown>[];
  /** One total row (per currency on the console), weighted by calls. */
  totals: Record<string, unknown>[];
}

const MEASURES = BREAKOUT_COLUMNS.filter((c) => c !== 'dest_code' && c !== 'dest_name');

/** The breakout columns a portal reader may see, from the brand's list for the user type. */
export function allowedColumns(
  brandColumns: Record<string, string[]> | undefined,
  userType: string,
): Set<string> {
  return new Set(
    (brandColumns?.[userType] ?? []).filter((c) => (BREAKOUT_COLUMNS as readonly string[]).includes(c)),
  );
}

export interface TableRequest {
  from: Date;
  to: Date;
  tz: string;
  group: BreakoutGroup;
  companyId?: string;
  /** null = every column (console), with carrier cost and profit. */
  allowed: Set<string> | null;
}

export async function reportTable(tx: Tx, r: TableRequest): Promise<ReportTable> {
  const operatorView = r.allowed === null;
  const rows = await breakoutRows(tx, {
    from: r.from,
    to: r.to,
    tz: r.tz,
    group: r.group,
    ...(r.companyId ? { companyId: r.companyId } : {}),
    operatorView,
  });
  const show = (c: string) => r.allowed === null || r.allowed.has(c);
  const keyCols =
    r.group === 'destination'
      ? ['dest_code', 'dest_name'].filter(show)
      : r.group === 'company'
        ? ['company']
        : r.group === 'carrier'
          ? ['carrier']
          : ['period'];
  const columns = [
    ...keyCols,
    ...(operatorView ? ['currency'] : []),
    ...MEASURES.filter(show),
    ...(operatorView ? ['carrier_cost', 'profit'] : []),
  ];
  const present = (row: (typeof rows)[number], total: boolean) => {
    const d = derive(row) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const c of columns) {
      if (c === 'dest_code') out[c] = total ? null : row.key;
      else if (c === 'dest_name') out[c] = total ? 'Total' : row.label;
      else if (c === 'period') out[c] = total ? null : row.key;
      else if (c === 'company' || c === 'carrier') out[c] = total ? 'Total' : row.label;
      else if (c === 'currency') out[c] = row.currency ?? null;
      else out[c] = d[c] ?? null;
    }
    if ((r.group === 'company' || r.group === 'carrier') && !total) out.id = row.key;
    return out;
  };
  return {
    group: r.group,
    from: r.from.toISOString(),
    to: r.to.toISOString(),
    tz: r.tz,
    columns,
    rows: rows.map((row) => present(row, false)),
    totals: totalsOf(rows).map((t) => present(t, true)),
  };
}

/** The range and grouping of a summary period: last 24 hours by hour, 30 days by day, 12 months by month. */
export function summaryRequest(period: string | undefined, tzIn: string | undefined, now = new Date()) {
  const tz = checkTimeZone(tzIn);
  if (period === 'daily') {
    return {
      tz,
      group: 'day' as const,
      from: new Date(floorTo(now, DAY_MS).getTime() - 29 * DAY_MS),
      to: now,
    };
  }
  if (period === 'monthly') {
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
    return { tz: 'UTC', group: 'month' as const, from, to: now };
  }
  return {
    tz,
    group: 'hour' as const,
    from: new Date(floorTo(now, HOUR_MS).getTime() - 23 * HOUR_MS),
    to: now,
  };
}

export function breakoutRequest(q: { from?: string; to?: string; tz?: string; group?: string }) {
  const { from, to } = readRange(q, 24 * 7);
  return { from, to, tz: checkTimeZone(q.tz), group: (q.group ?? 'destination') as BreakoutGroup };
}

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A small table (breakout, summary) as CSV. */
export function tableCsv(t: ReportTable): string {
  const lines = [t.columns.join(',')];
  for (const row of [...t.rows, ...t.totals]) lines.push(t.columns.map((c) => cell(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}

export function sendCsv(
  reply: FastifyReply,
  filename: string,
  body: string | AsyncIterable<string | Buffer>,
) {
  reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store');
  return reply.send(typeof body === 'string' ? body : Readable.from(body));
}

export const stamp = (d: Date) => d.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
