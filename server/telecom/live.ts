/**
 * Live state fed by the switch: SIP registrations, calls in progress and call logs (routing attempts,
 * SIP ladder, RTCP). Every row is validated on its own: a bad row (or a company of another operator)
 * is reported by index and the valid rows are kept. Call logs are kept 14 days.
 */
import net from 'node:net';
import type { Deps } from '../context.ts';
import { type Tx, withSystem, withTenant } from '../db/db.ts';

export interface RowError {
  index: number;
  error: string;
  message: string;
}

export interface LiveIngestResult {
  accepted: number;
  errors: RowError[];
}

/** How long call logs are kept. */
export const CALL_LOG_RETENTION_DAYS = 14;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROTOCOLS = new Set(['udp', 'tcp', 'tls', 'ws', 'wss', 'sctp']);
const ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[^\s:]+):\d{1,5}$/;

class RowInvalid extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (field: string, what: string) => new RowInvalid('invalid_field', `${field}: ${what}`);

type Obj = Record<string, unknown>;

function obj(v: unknown, field = 'row'): Obj {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid(field, 'must be an object');
  return v as Obj;
}

function str(o: Obj, field: string, opts: { min?: number; max: number; optional?: boolean; def?: string }) {
  const v = o[field];
  if (v === undefined || v === null) {
    if (opts.optional || opts.def !== undefined) return opts.def ?? null;
    throw new RowInvalid('missing_field', `${field} is required`);
  }
  if (typeof v !== 'string') throw invalid(field, 'must be a string');
  if (v.length < (opts.min ?? 1)) throw invalid(field, 'cannot be empty');
  if (v.length > opts.max) throw invalid(field, `at most ${opts.max} characters`);
  return v;
}

function reqStr(o: Obj, field: string, max: number): string {
  return str(o, field, { max }) as string;
}

function uuid(o: Obj, field: string, optional = false): string | null {
  const v = o[field];
  if ((v === undefined || v === null) && optional) return null;
  if (typeof v !== 'string' || !UUID.test(v)) throw invalid(field, 'must be a UUID');
  return v.toLowerCase();
}

function time(o: Obj, field: string, optional = false): string | null {
  const v = o[field];
  if ((v === undefined || v === null) && optional) return null;
  if (typeof v !== 'string' || v.length > 40) throw invalid(field, 'must be an ISO 8601 time');
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw invalid(field, 'must be an ISO 8601 time');
  return new Date(ms).toISOString();
}

function num(
  o: Obj,
  field: string,
  lo: number,
  hi: number,
  opts: { int?: boolean; nullable?: boolean } = {},
) {
  const v = o[field];
  if ((v === undefined || v === null) && opts.nullable) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (opts.int && !Number.isInteger(v)))
    throw invalid(field, `must be ${opts.int ? 'an integer' : 'a number'} between ${lo} and ${hi}`);
  return v;
}

/** Validates rows one by one; returns the valid ones with their index and the errors. */
function validateRows<T>(
  rows: unknown[],
  parse: (row: Obj) => T,
): { ok: { index: number; row: T }[]; errors: RowError[] } {
  const ok: { index: number; row: T }[] = [];
  const errors: RowError[] = [];
  rows.forEach((raw, index) => {
    try {
      ok.push({ index, row: parse(obj(raw)) });
    } catch (err) {
      if (!(err instanceof RowInvalid)) throw err;
      errors.push({ index, error: err.code, message: err.message });
    }
  });
  return { ok, errors };
}

/**
 * Drops rows that reference companies the operator does not have (RLS hides other operators' rows,
 * so another operator's company is simply unknown here).
 */
async function checkCompanies<T>(
  tx: Tx,
  ok: { index: number; row: T }[],
  errors: RowError[],
  refs: (row: T) => { field: string; id: string | null }[],
): Promise<{ index: number; row: T }[]> {
  const ids = new Set<string>();
  for (const r of ok) for (const ref of refs(r.row)) if (ref.id) ids.add(ref.id);
  const known = new Set(
    ids.size
      ? (
          await tx.query<{ id: string }>('SELECT id::text AS id FROM companies WHERE id = ANY($1::uuid[])', [
            [...ids],
          ])
        ).map((r) => r.id)
      : [],
  );
  return ok.filter((r) => {
    const bad = refs(r.row).find((ref) => ref.id && !known.has(ref.id));
    if (bad) {
      errors.push({
        index: r.index,
        error: 'unknown_company',
        message: `${bad.field}: no such company for this operator`,
      });
    }
    return !bad;
  });
}

/** Keeps the last row of each key (a batch may repeat a key). */
function lastByKey<T>(rows: { index: number; row: T }[], key: (row: T) => string): T[] {
  const map = new Map<string, T>();
  for (const r of rows) map.set(key(r.row), r.row);
  return [...map.values()];
}

const sortErrors = (errors: RowError[]) => errors.sort((a, b) => a.index - b.index);

// ---- registrations -----------------------------------------------------------------------------

export interface Registration {
  company_id: string;
  username: string;
  contact: string;
  ip: string;
  protocol: string;
  nat: boolean;
  user_agent: string;
  expires_at: string;
}

function parseRegistration(o: Obj): Registration {
  const ip = reqStr(o, 'ip', 45);
  if (!net.isIP(ip)) throw invalid('ip', 'must be an IPv4 or IPv6 address');
  const protocol = (str(o, 'protocol', { max: 8, def: 'udp' }) as string).toLowerCase();
  if (!PROTOCOLS.has(protocol)) throw invalid('protocol', `must be one of ${[...PROTOCOLS].join(', ')}`);
  if (o.nat !== undefined && typeof o.nat !== 'boolean') throw invalid('nat', 'must be true or false');
  return {
    company_id: uuid(o, 'company_id')!,
    username: reqStr(o, 'username', 128),
    contact: reqStr(o, 'contact', 512),
    ip,
    protocol,
    nat: o.nat === true,
    user_agent: str(o, 'user_agent', { min: 0, max: 256, def: '' }) as string,
    expires_at: time(o, 'expires_at')!,
  };
}

/** Upserts registrations; with replace, the operator's registrations not in the batch are removed. */
export async function ingestRegistrations(
  deps: Deps,
  operatorId: string,
  rows: unknown[],
  replace = false,
): Promise<LiveIngestResult> {
  const { ok, errors } = validateRows(rows, parseRegistration);
  return withTenant(deps.db, operatorId, async (tx) => {
    const valid = await checkCompanies(tx, ok, errors, (r) => [{ field: 'company_id', id: r.company_id }]);
    const list = lastByKey(valid, (r) => `${r.username}\n${r.contact}`);
    const json = JSON.stringify(list);
    if (replace) {
      await tx.query(
        `DELETE FROM registrations g
          WHERE NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS r(username text, contact text)
                             WHERE r.username = g.username AND r.contact = g.contact)`,
        [json],
      );
    }
    if (list.length) {
      await tx.query(
        `INSERT INTO registrations (operator_id, company_id, username, contact, ip, protocol, nat, user_agent,
                                    expires_at, updated_at)
         SELECT $2, r.company_id, r.username, r.contact, r.ip, r.protocol, r.nat, r.user_agent, r.expires_at, now()
           FROM jsonb_to_recordset($1::jsonb) AS r(company_id uuid, username text, contact text, ip text,
                protocol text, nat boolean, user_agent text, expires_at timestamptz)
         ON CONFLICT (operator_id, username, contact) DO UPDATE SET
           company_id = EXCLUDED.company_id, ip = EXCLUDED.ip, protocol = EXCLUDED.protocol, nat = EXCLUDED.nat,
           user_agent = EXCLUDED.user_agent, expires_at = EXCLUDED.expires_at, updated_at = now()`,
        [json, operatorId],
      );
    }
    return { accepted: valid.length, errors: sortErrors(errors) };
  });
}

// ---- active calls ------------------------------------------------------------------------------

export interface ActiveCall {
  call_id: string;
  company_id: string;
  carrier_id: string | null;
  cli: string;
  dest_number: string;
  dest_name: string;
  started_at: string;
  answered_at: string | null;
}

function parseActiveCall(o: Obj): ActiveCall {
  const started = time(o, 'started_at')!;
  const answered = time(o, 'answered_at', true);
  if (answered && answered < started) throw invalid('answered_at', 'cannot be before started_at');
  return {
    call_id: reqStr(o, 'call_id', 255),
    company_id: uuid(o, 'company_id')!,
    carrier_id: uuid(o, 'carrier_id', true),
    cli: str(o, 'cli', { min: 0, max: 64, def: '' }) as string,
    dest_number: reqStr(o, 'dest_number', 64),
    dest_name: str(o, 'dest_name', { min: 0, max: 100, def: '' }) as string,
    started_at: started,
    answered_at: answered,
  };
}

/** Upserts calls in progress; with replace, the batch becomes the complete set of the operator's live calls. */
export async function ingestActiveCalls(
  deps: Deps,
  operatorId: string,
  rows: unknown[],
  replace = false,
): Promise<LiveIngestResult> {
  const { ok, errors } = validateRows(rows, parseActiveCall);
  return withTenant(deps.db, operatorId, async (tx) => {
    const valid = await checkCompanies(tx, ok, errors, (r) => [
      { field: 'company_id', id: r.company_id },
      { field: 'carrier_id', id: r.carrier_id },
    ]);
    const list = lastByKey(valid, (r) => r.call_id);
    const json = JSON.stringify(list);
    if (replace) {
      await tx.query(
        `DELETE FROM active_calls a
          WHERE NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS r(call_id text) WHERE r.call_id = a.call_id)`,
        [json],
      );
    }
    if (list.length) {
      await tx.query(
        `INSERT INTO active_calls (operator_id, call_id, company_id, carrier_id, cli, dest_number, dest_name,
                                   started_at, answered_at, updated_at)
         SELECT $2, r.call_id, r.company_id, r.carrier_id, r.cli, r.dest_number, r.dest_name, r.started_at,
                r.answered_at, now()
           FROM jsonb_to_recordset($1::jsonb) AS r(call_id text, company_id uuid, carrier_id uuid, cli text,
                dest_number text, dest_name text, started_at timestamptz, answered_at timestamptz)
         ON CONFLICT (operator_id, call_id) DO UPDATE SET
           company_id = EXCLUDED.company_id, carrier_id = EXCLUDED.carrier_id, cli = EXCLUDED.cli,
           dest_number = EXCLUDED.dest_number, dest_name = EXCLUDED.dest_name, started_at = EXCLUDED.started_at,
           answered_at = EXCLUDED.answered_at, updated_at = now()`,
        [json, operatorId],
      );
    }
    return { accepted: valid.length, errors: sortErrors(errors) };
  });
}

/** Removes a call that ended; false when the operator has no such live call. */
export async function endActiveCall(deps: Deps, operatorId: string, callId: string): Promise<boolean> {
  const rows = await withTenant(deps.db, operatorId, (tx) =>
    tx.query('DELETE FROM active_calls WHERE call_id = $1 RETURNING call_id', [callId]),
  );
  return rows.length > 0;
}

// ---- call logs ---------------------------------------------------------------------------------

export interface CallLog {
  call_id: string;
  company_id: string | null;
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
  /** When the call happened: its first attempt or SIP message (retention counts from it). */
  created_at: string;
}

function array(o: Obj, field: string, max: number): unknown[] {
  const v = o[field] ?? [];
  if (!Array.isArray(v)) throw invalid(field, 'must be an array');
  if (v.length > max) throw invalid(field, `at most ${max} items`);
  return v;
}

function address(o: Obj, field: string): string {
  const v = reqStr(o, field, 60);
  if (!ADDRESS.test(v)) throw invalid(field, 'must be ip:port');
  return v;
}

function parseCallLog(o: Obj): CallLog {
  const attempts = array(o, 'attempts', 20).map((raw, i) => {
    const a = obj(raw, `attempts.${i}`);
    return {
      carrier_id: uuid(a, 'carrier_id', true),
      sip_code: num(a, 'sip_code', 100, 699, { int: true })!,
      sip_reason: str(a, 'sip_reason', { min: 0, max: 100, def: '' }) as string,
      started_at: time(a, 'started_at')!,
      pdd_ms: num(a, 'pdd_ms', 0, 600_000, { int: true, nullable: true }),
    };
  });
  const sip = array(o, 'sip_messages', 500).map((raw, i) => {
    const m = obj(raw, `sip_messages.${i}`);
    return {
      at: time(m, 'at')!,
      from: str(m, 'from', { min: 0, max: 128, def: '' }) as string,
      to: str(m, 'to', { min: 0, max: 128, def: '' }) as string,
      method_or_status: reqStr(m, 'method_or_status', 100),
      src: address(m, 'src'),
      dst: address(m, 'dst'),
      raw: str(m, 'raw', { min: 0, max: 16_384, def: '' }) as string,
    };
  });
  let rtcp: CallLog['rtcp'] = null;
  if (o.rtcp !== undefined && o.rtcp !== null) {
    const r = obj(o.rtcp, 'rtcp');
    rtcp = {
      mos: num(r, 'mos', 1, 5)!,
      jitter_ms: num(r, 'jitter_ms', 0, 100_000)!,
      packet_loss_pct: num(r, 'packet_loss_pct', 0, 100)!,
      rtt_ms: num(r, 'rtt_ms', 0, 100_000)!,
    };
  }
  const times = [...attempts.map((a) => a.started_at), ...sip.map((m) => m.at)].sort();
  const now = new Date().toISOString();
  const first = times[0] && times[0] < now ? times[0] : now;
  return {
    call_id: reqStr(o, 'call_id', 255),
    company_id: uuid(o, 'company_id', true),
    attempts,
    sip_messages: sip,
    rtcp,
    created_at: first,
  };
}

/** Stores call logs (one per call id, a later one replaces it). */
export async function ingestCallLogs(
  deps: Deps,
  operatorId: string,
  rows: unknown[],
): Promise<LiveIngestResult> {
  const { ok, errors } = validateRows(rows, parseCallLog);
  return withTenant(deps.db, operatorId, async (tx) => {
    const valid = await checkCompanies(tx, ok, errors, (r) => [
      { field: 'company_id', id: r.company_id },
      ...r.attempts.map((a, i) => ({ field: `attempts.${i}.carrier_id`, id: a.carrier_id })),
    ]);
    const list = lastByKey(valid, (r) => r.call_id);
    if (list.length) {
      await tx.query(
        `INSERT INTO call_logs (operator_id, call_id, company_id, created_at, attempts, sip_messages, rtcp)
         SELECT $2, r.call_id, r.company_id, r.created_at, r.attempts, r.sip_messages, r.rtcp
           FROM jsonb_to_recordset($1::jsonb) AS r(call_id text, company_id uuid, created_at timestamptz,
                attempts jsonb, sip_messages jsonb, rtcp jsonb)
         ON CONFLICT (operator_id, call_id) DO UPDATE SET
           company_id = EXCLUDED.company_id, created_at = EXCLUDED.created_at, attempts = EXCLUDED.attempts,
           sip_messages = EXCLUDED.sip_messages, rtcp = EXCLUDED.rtcp`,
        [JSON.stringify(list), operatorId],
      );
    }
    return { accepted: valid.length, errors: sortErrors(errors) };
  });
}

/** Deletes call logs older than the retention (every operator); returns how many went. */
export async function purgeOldCallLogs(deps: Deps, now: Date = new Date()): Promise<number> {
  const [r] = await withSystem(deps.db, (tx) =>
    tx.query<{ n: number }>(
      `WITH gone AS (DELETE FROM call_logs WHERE created_at < $1::timestamptz - make_interval(days => $2)
                     RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [now.toISOString(), CALL_LOG_RETENTION_DAYS],
    ),
  );
  return r?.n ?? 0;
}
