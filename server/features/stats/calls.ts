/** Latest Calls: the company's recent attempts (failed ones too) and one call's routing, SIP ladder and RTCP. */

import type { Tx } from '../../db/db.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { CALL_LOG_RETENTION_DAYS } from '../../telecom/live.ts';
import { likePattern } from '../authlists/company.ts';
import { carrierLabels } from './carriers.ts';

/** Customer-side fields only: carrier ids, costs and rate cards never leave the server here. */
const FIELDS = `call_id, start_time, cli, tech_prefix, dest_number, direction, auth_type, auth_ref, source_ip,
  duration, ring_duration, pdd_ms, sip_code, sip_reason, release_reason, dest_code, dest_name`;

export interface LatestCall {
  call_id: string;
  start_time: string;
  cli: string;
  tech_prefix: string;
  dest_number: string;
  direction: string;
  auth_type: string | null;
  auth_ref: string | null;
  source_ip: string | null;
  duration: number;
  ring_duration: number;
  pdd_ms: number | null;
  sip_code: number;
  sip_reason: string;
  release_reason: string;
  dest_code: string | null;
  dest_name: string | null;
}

const present = (r: Record<string, unknown>): LatestCall => ({
  call_id: String(r.call_id),
  start_time:
    r.start_time instanceof Date ? r.start_time.toISOString() : new Date(String(r.start_time)).toISOString(),
  cli: String(r.cli),
  tech_prefix: String(r.tech_prefix),
  dest_number: String(r.dest_number),
  direction: String(r.direction),
  auth_type: (r.auth_type as string | null) ?? null,
  auth_ref: (r.auth_ref as string | null) ?? null,
  source_ip: (r.source_ip as string | null) ?? null,
  duration: Number(r.duration),
  ring_duration: Number(r.ring_duration),
  pdd_ms: r.pdd_ms === null ? null : Number(r.pdd_ms),
  sip_code: Number(r.sip_code),
  sip_reason: String(r.sip_reason),
  release_reason: String(r.release_reason),
  dest_code: (r.dest_code as string | null) ?? null,
  dest_name: (r.dest_name as string | null) ?? null,
});

export interface LatestQuery {
  q?: string;
  status?: 'all' | 'connected' | 'failed';
  before?: string;
  limit: number;
}

/** Opaque keyset cursor: the last row's start time and call id. */
const encodeCursor = (c: LatestCall) =>
  Buffer.from(JSON.stringify([c.start_time, c.call_id])).toString('base64url');
function decodeCursor(raw: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string')
      return [v[0], v[1]];
  } catch {}
  throw badRequest('invalid_cursor', 'The page cursor is not valid: start again from the first page', {
    field: 'before',
  });
}

/** Newest first, over the call-log retention window, keyset paged. */
export async function latestCalls(tx: Tx, companyId: string, q: LatestQuery, now = new Date()) {
  const params: unknown[] = [
    companyId,
    new Date(now.getTime() - CALL_LOG_RETENTION_DAYS * 86_400_000).toISOString(),
  ];
  const where = ['company_id = $1', 'start_time >= $2'];
  const like = likePattern(q.q);
  if (like) {
    params.push(like);
    where.push(
      `(dest_number LIKE $${params.length} OR cli LIKE $${params.length} OR call_id ILIKE $${params.length})`,
    );
  }
  if (q.status === 'connected') where.push('duration > 0');
  if (q.status === 'failed') where.push('duration = 0');
  if (q.before) {
    const [t, id] = decodeCursor(q.before);
    params.push(t, id);
    where.push(`(start_time, call_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(q.limit + 1);
  const rows = await tx.query(
    `SELECT ${FIELDS} FROM cdrs WHERE ${where.join(' AND ')}
      ORDER BY start_time DESC, call_id DESC LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, q.limit).map(present);
  const last = items[items.length - 1];
  return { items, next: rows.length > q.limit && last ? encodeCursor(last) : null };
}

interface LogRow {
  attempts: {
    carrier_id: string | null;
    sip_code: number;
    sip_reason: string;
    started_at: string;
    pdd_ms: number | null;
  }[];
  sip_messages: {
    at: string;
    from: string;
    to: string;
    method_or_status: string;
    src: string;
    dst: string;
    raw: string;
  }[];
  rtcp: { mos: number; jitter_ms: number; packet_loss_pct: number; rtt_ms: number } | null;
}

const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** One call of the company: its CDR, routing attempts (carriers by alias), SIP messages and RTCP. */
export async function callDetail(tx: Tx, companyId: string, callId: string) {
  const [id] = await tx.query<{ start_time: Date }>('SELECT start_time FROM cdr_ids WHERE call_id = $1', [
    callId,
  ]);
  const [cdr] = id
    ? await tx.query(
        `SELECT ${FIELDS} FROM cdrs WHERE company_id = $1 AND start_time = $2 AND call_id = $3`,
        [companyId, id.start_time, callId],
      )
    : [];
  const [log] = await tx.query<Record<string, unknown>>(
    'SELECT attempts, sip_messages, rtcp FROM call_logs WHERE call_id = $1 AND company_id = $2',
    [callId, companyId],
  );
  if (!cdr && !log) throw notFound('Call');
  const labels = await carrierLabels(tx);
  const attempts = log ? parseJson<LogRow['attempts']>(log.attempts) : [];
  return {
    call: cdr ? present(cdr) : null,
    attempts: attempts.map((a, i) => ({
      n: i + 1,
      carrier: a.carrier_id ? (labels.get(a.carrier_id)?.label ?? 'Other carrier') : null,
      sip_code: a.sip_code,
      sip_reason: a.sip_reason,
      started_at: a.started_at,
      pdd_ms: a.pdd_ms,
    })),
    sip_messages: log ? parseJson<LogRow['sip_messages']>(log.sip_messages) : [],
    rtcp: log ? parseJson<LogRow['rtcp']>(log.rtcp) : null,
  };
}
