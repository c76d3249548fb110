/**
 * CDR listing, counting and CSV export. Pages are keyset pages on (start_time, call_id), newest first; the
 * CSV is read in keyset batches, oldest first, each batch one short transaction whose lines the database
 * formats, so memory stays flat whatever the range and other requests interleave on an embedded database.
 */
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Deps } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { isoOrNull } from '../../lib/format.ts';
import { recordingUrl } from '../recordings/recordings.service.ts';
import { type CdrField, copyColumnsSql, csvLineSql, jsonSql } from './fields.ts';
import { type Range, readRange } from './range.ts';

/** Whose CDRs: one company (portal, or a console filter), one carrier, or all of the operator's. */
export interface CdrScope {
  companyId?: string;
  carrierId?: string;
}

export interface CdrQuery {
  from?: string;
  to?: string;
  connected?: boolean;
  number?: string;
  dest_name?: string;
  sip_code?: number;
  fields?: string;
  cursor?: string;
  limit?: number;
}

export interface CdrFilter extends Range {
  connected: boolean;
  number: string | null;
  destName: string | null;
  sipCode: number | null;
}

export function readFilter(q: CdrQuery): CdrFilter {
  const number = q.number?.replace(/[\s+()-]/g, '') ?? '';
  if (number && !/^[0-9#*]{1,32}$/.test(number)) {
    throw badRequest('invalid_number', 'Search by digits only (source or destination number)', {
      field: 'number',
    });
  }
  return {
    ...readRange(q),
    connected: q.connected === true,
    number: number || null,
    destName: q.dest_name?.trim() || null,
    sipCode: q.sip_code ?? null,
  };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** WHERE conditions of a scope and filter; pushes their parameters (validated values only). */
export function conditions(scope: CdrScope, f: CdrFilter, params: unknown[]): string[] {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const out = [`c.start_time >= ${p(f.from.toISOString())}`, `c.start_time < ${p(f.to.toISOString())}`];
  if (scope.companyId) out.push(`c.company_id = ${p(scope.companyId)}`);
  if (scope.carrierId) out.push(`c.carrier_id = ${p(scope.carrierId)}`);
  if (f.connected) out.push('c.duration > 0');
  if (f.number) {
    const n = p(`%${f.number}%`);
    out.push(`(c.dest_number LIKE ${n} OR c.cli LIKE ${n})`);
  }
  if (f.destName) out.push(`c.dest_name ILIKE ${p(`%${escapeLike(f.destName)}%`)}`);
  if (f.sipCode !== null) out.push(`c.sip_code = ${p(f.sipCode)}`);
  return out;
}

/** Console filters name a company or carrier of this operator; another operator's id is a 404. */
export async function checkScope(tx: Tx, scope: CdrScope): Promise<void> {
  for (const [id, type] of [
    [scope.companyId, null],
    [scope.carrierId, 'carrier'],
  ] as const) {
    if (!id) continue;
    const rows = await tx.query('SELECT 1 FROM companies WHERE id = $1 AND ($2::text IS NULL OR type = $2)', [
      id,
      type,
    ]);
    if (!rows.length) throw notFound(type === 'carrier' ? 'Carrier' : 'Company');
  }
}

interface Cursor {
  t: string;
  id: string;
}

function encodeCursor(deps: Deps, c: Cursor): string {
  // Sealed, so the cursor reveals no field (not even a call id the reader may not see) and cannot be forged.
  return Buffer.from(deps.box.encrypt(JSON.stringify([c.t, c.id]))).toString('base64url');
}

function decodeCursor(deps: Deps, token: string | undefined): Cursor | null {
  if (!token) return null;
  try {
    const [t, id] = JSON.parse(deps.box.decrypt(Buffer.from(token, 'base64url').toString('utf8'))) as [
      string,
      string,
    ];
    if (typeof t !== 'string' || typeof id !== 'string') throw new Error('shape');
    return { t, id };
  } catch {
    throw badRequest('invalid_cursor', 'The page cursor is not valid; start from the first page', {
      field: 'cursor',
    });
  }
}

export interface CdrPage {
  items: Record<string, unknown>[];
  fields: CdrField[];
  next_cursor: string | null;
}

export interface PageOptions {
  /** Console: each row's company name. */
  companyName?: boolean;
  /** Portal: each row's `recording_url` (null without stored audio), only when the `recording` field is shown. */
  recordingUrl?: boolean;
}

const withRecordingUrl = (fields: readonly CdrField[], opts: PageOptions) =>
  opts.recordingUrl === true && fields.includes('recording');

/** The statement of one page of CDRs, newest first, with only the given fields (plus company_name when asked). */
export function cdrPageSql(
  deps: Deps,
  scope: CdrScope,
  q: CdrQuery,
  fields: CdrField[],
  opts: PageOptions = {},
): { sql: string; params: unknown[]; limit: number } {
  const f = readFilter(q);
  const limit = q.limit ?? 100;
  const cursor = decodeCursor(deps, q.cursor);
  const params: unknown[] = [];
  const where = conditions(scope, f, params);
  if (cursor) {
    params.push(cursor.t, cursor.id);
    where.push(`(c.start_time, c.call_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(limit + 1);
  const cols = fields.map(jsonSql);
  if (opts.companyName) cols.push('co.name AS company_name');
  if (withRecordingUrl(fields, opts)) {
    cols.push(`EXISTS (SELECT 1 FROM call_recordings r
                        WHERE r.operator_id = c.operator_id AND r.call_id = c.call_id AND r.company_id = c.company_id)
               AS k_rec`);
  }
  const join = opts.companyName
    ? ' LEFT JOIN companies co ON co.operator_id = c.operator_id AND co.id = c.company_id'
    : '';
  const sql = `SELECT ${[...cols, 'c.start_time::text AS k_t', 'c.call_id AS k_id'].join(', ')}
       FROM cdrs c${join}
      WHERE ${where.join(' AND ')}
      ORDER BY c.start_time DESC, c.call_id DESC
      LIMIT $${params.length}`;
  return { sql, params, limit };
}

/** One page of CDRs, newest first, with only the given fields (plus company_name when asked). */
export async function listCdrs(
  deps: Deps,
  tx: Tx,
  scope: CdrScope,
  q: CdrQuery,
  fields: CdrField[],
  opts: PageOptions = {},
): Promise<CdrPage> {
  const { sql, params, limit } = cdrPageSql(deps, scope, q, fields, opts);
  const rows = await tx.query<Record<string, unknown>>(sql, params);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return {
    fields,
    items: page.map((r) => {
      const item: Record<string, unknown> = {};
      for (const k of fields) item[k] = k === 'start_time' ? isoOrNull(r[k]) : r[k];
      if (opts.companyName) item.company_name = r.company_name ?? null;
      if (withRecordingUrl(fields, opts)) item.recording_url = r.k_rec ? recordingUrl(String(r.k_id)) : null;
      return item;
    }),
    next_cursor: more && last ? encodeCursor(deps, { t: String(last.k_t), id: String(last.k_id) }) : null,
  };
}

/** How many CDRs match (the download shows progress against it). */
export async function countCdrs(tx: Tx, scope: CdrScope, q: CdrQuery): Promise<number> {
  const params: unknown[] = [];
  const where = conditions(scope, readFilter(q), params);
  const [r] = await tx.query<{ n: number }>(
    `SELECT count(*)::bigint AS n FROM cdrs c WHERE ${where.join(' AND ')}`,
    params,
  );
  return Number(r?.n ?? 0);
}

export const CSV_BATCH = 10_000;

/**
 * The CSV of the matching CDRs, oldest first, as an async sequence of text chunks: the header line, then one
 * chunk per keyset batch. Each batch is read in its own transaction; nothing else is held between batches.
 */
export async function* cdrCsv(
  deps: Deps,
  operatorId: string,
  scope: CdrScope,
  q: CdrQuery,
  fields: CdrField[],
  batch = CSV_BATCH,
): AsyncGenerator<string> {
  const f = readFilter(q);
  const base: unknown[] = [];
  const where = conditions(scope, f, base);
  const line = csvLineSql(fields);
  const sql = (withKey: boolean) => `
    WITH page AS (
      SELECT c.start_time, c.call_id, ${line} AS line
        FROM cdrs c
       WHERE ${where.join(' AND ')}${withKey ? ` AND (c.start_time, c.call_id) > ($${base.length + 2}::timestamptz, $${base.length + 3})` : ''}
       ORDER BY c.start_time, c.call_id
       LIMIT $${base.length + 1})
    SELECT string_agg(line, E'\\n' ORDER BY start_time, call_id) AS body, count(*)::int AS n,
           (SELECT start_time::text FROM page ORDER BY start_time DESC, call_id DESC LIMIT 1) AS k_t,
           (SELECT call_id FROM page ORDER BY start_time DESC, call_id DESC LIMIT 1) AS k_id
      FROM page`;
  const first = sql(false);
  const next = sql(true);
  yield `${fields.join(',')}\n`;
  let key: [string, string] | null = null;
  for (;;) {
    const k: [string, string] | null = key;
    type Batch = { body: string | null; n: number; k_t: string | null; k_id: string | null };
    const [r]: Batch[] = await withTenant(deps.db, operatorId, (tx) =>
      tx.query<Batch>(k ? next : first, k ? [...base, batch, k[0], k[1]] : [...base, batch]),
    );
    if (!r?.n || r.body === null) return;
    yield `${r.body}\n`;
    if (r.n < batch) return;
    key = [String(r.k_t), String(r.k_id)];
  }
}

/** A few connections of their own for exports on a PostgreSQL server, so long downloads never starve requests. */
const exportPools = new Map<string, pg.Pool>();
function exportPool(url: string): pg.Pool {
  let pool = exportPools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    pool.on('error', () => undefined);
    exportPools.set(url, pool);
  }
  return pool;
}

/** The COPY statement of an export; COPY takes no parameters, so the validated values are quoted literals. */
export function cdrCopySql(scope: CdrScope, q: CdrQuery, fields: CdrField[]): string {
  const params: unknown[] = [];
  const where = conditions(scope, readFilter(q), params).map((w) =>
    w.replace(/\$(\d+)/g, (_, i: string) => pg.Client.prototype.escapeLiteral(String(params[Number(i) - 1]))),
  );
  return `COPY (SELECT ${copyColumnsSql(fields)} FROM cdrs c WHERE ${where.join(' AND ')}
                ORDER BY c.start_time, c.call_id) TO STDOUT (FORMAT csv, HEADER)`;
}

/**
 * The CSV through PostgreSQL's own COPY, in one read-only transaction under the tenant role (row-level security
 * applies), streamed as it comes: back-pressure from the reply pauses the connection, so memory stays flat.
 */
async function* copyCsv(url: string, operatorId: string, sql: string): AsyncGenerator<Buffer> {
  const client = await exportPool(url).connect();
  let clean = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(
      `SELECT set_config('role', 'portal_app', true), set_config('app.operator_id', $1, true)`,
      [operatorId],
    );
    for await (const chunk of client.query(copyTo(sql)) as AsyncIterable<Buffer>) yield chunk;
    await client.query('COMMIT');
    clean = true;
  } finally {
    // A download stopped half-way leaves the connection inside COPY: close it rather than reuse it.
    client.release(!clean);
  }
}

/** The CSV export: COPY on a PostgreSQL server, keyset batches on the embedded database. Same bytes either way. */
export function exportCdrCsv(
  deps: Deps,
  operatorId: string,
  scope: CdrScope,
  q: CdrQuery,
  fields: CdrField[],
): AsyncIterable<string | Buffer> {
  if (deps.db.engine === 'postgres' && deps.env.databaseUrl) {
    return copyCsv(deps.env.databaseUrl, operatorId, cdrCopySql(scope, q, fields));
  }
  return cdrCsv(deps, operatorId, scope, q, fields);
}
