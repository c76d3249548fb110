/**
 * CDR ingestion: validate each row, rate the unrated ones, then in one tenant transaction keep only call ids
 * never seen before (idempotent), insert them into the month partitions, queue them for the hourly and daily
 * rollups (the rollup views count queued rows, so reports are exact at once) and add their charges to the
 * per-company usage counter (so balances and reports move together, atomically).
 */
import type { Deps } from '../context.ts';
import { type Tx, withTenant } from '../db/db.ts';
import { type CdrRecord, parseCdr } from './cdr-input.ts';
import { type CardRules, PrefixMatcher, type Rate, rateCall } from './rating.ts';
import { queueInsertSql, usageSql } from './rollup-sql.ts';
import { ROLLUP_CHANNEL } from './rollups.ts';

export interface IngestError {
  index: number;
  call_id?: string;
  error: string;
  message: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  errors: IngestError[];
}

export const MAX_BATCH = 50_000;

// Revisions never change once written, so their matchers are cached by revision id.
const matchers = new Map<string, PrefixMatcher>();
async function matcherFor(tx: Tx, revisionId: string): Promise<PrefixMatcher> {
  let m = matchers.get(revisionId);
  if (!m) {
    const rates = await tx.query<Rate>(
      'SELECT prefix, name, rate::text, connect_cost::text, mcd, pulse, grace, status FROM rates WHERE revision_id = $1',
      [revisionId],
    );
    m = new PrefixMatcher(rates);
    if (matchers.size >= 64) matchers.delete(matchers.keys().next().value!);
    matchers.set(revisionId, m);
  }
  return m;
}

interface Card extends CardRules {
  id: string;
  currency: string;
  revisions: { id: string; live: number }[];
}

/** Loads companies, routes, cards and revisions the batch needs, in a handful of queries. */
async function loadContext(tx: Tx, rows: CdrRecord[]) {
  const companyIds = [...new Set(rows.map((r) => r.company_id))];
  const companies = new Map(
    (
      await tx.query<{ id: string; currency: string }>(
        'SELECT id, currency FROM companies WHERE id = ANY($1::uuid[])',
        [companyIds],
      )
    ).map((c) => [c.id, c]),
  );
  const routes = await tx.query<{
    id: string;
    company_id: string;
    rate_card_id: string;
    tech_prefix: string;
  }>(
    'SELECT id, company_id, rate_card_id, tech_prefix FROM routes WHERE company_id = ANY($1::uuid[]) AND enabled',
    [companyIds],
  );
  const cardIds = [
    ...new Set([
      ...routes.map((r) => r.rate_card_id),
      ...rows.flatMap((r) => (r.rate_card_id ? [r.rate_card_id] : [])),
    ]),
  ];
  const cards = new Map<string, Card>();
  for (const c of await tx.query<{
    id: string;
    currency: string;
    precision: number;
    rounding: CardRules['rounding'];
  }>('SELECT id, currency, precision, rounding FROM rate_cards WHERE id = ANY($1::uuid[])', [cardIds])) {
    cards.set(c.id, { ...c, revisions: [] });
  }
  for (const v of await tx.query<{ id: string; rate_card_id: string; date_live: Date }>(
    'SELECT id, rate_card_id, date_live FROM rate_card_revisions WHERE rate_card_id = ANY($1::uuid[]) ORDER BY date_live DESC, revision DESC',
    [cardIds],
  )) {
    cards.get(v.rate_card_id)?.revisions.push({ id: v.id, live: v.date_live.getTime() });
  }
  const routesByCompany = new Map<string, typeof routes>();
  for (const r of routes)
    routesByCompany.set(r.company_id, [...(routesByCompany.get(r.company_id) ?? []), r]);
  return { companies, cards, routesByCompany };
}

type Ctx = Awaited<ReturnType<typeof loadContext>>;

/** The route a call used: the one with its tech prefix, else the company's only route, else its blank-prefix route. */
function pickRoute(ctx: Ctx, r: CdrRecord) {
  const list = ctx.routesByCompany.get(r.company_id) ?? [];
  if (r.route_id) return list.find((x) => x.id === r.route_id);
  return list.find((x) => x.tech_prefix === r.tech_prefix) ?? (list.length === 1 ? list[0] : undefined);
}

/** Fills the rating fields of one record, or says why it cannot be rated. */
async function rate(tx: Tx, ctx: Ctx, r: CdrRecord): Promise<{ error: string; message: string } | null> {
  const company = ctx.companies.get(r.company_id);
  if (!company) return { error: 'unknown_company', message: `No company ${r.company_id}` };
  if (!r.needsRating) {
    if (r.rate_card_id) {
      const card = ctx.cards.get(r.rate_card_id);
      if (!card) return { error: 'unknown_rate_card', message: `No rate card ${r.rate_card_id}` };
      if (card.currency !== r.currency)
        return {
          error: 'currency_mismatch',
          message: `The charge is in ${r.currency} but the rate card is in ${card.currency}`,
        };
    } else if (r.currency !== company.currency) {
      return {
        error: 'currency_mismatch',
        message: `The charge is in ${r.currency} but the company is billed in ${company.currency}`,
      };
    }
    return null;
  }
  const route = pickRoute(ctx, r);
  if (!route)
    return { error: 'no_route', message: `The company has no route for tech prefix “${r.tech_prefix}”` };
  const card = ctx.cards.get(route.rate_card_id)!;
  const t = r.start_time.getTime();
  const revision = card.revisions.find((v) => v.live <= t);
  if (!revision)
    return {
      error: 'no_active_rates',
      message: 'The rate card had no live revision at the call’s start time',
    };
  const out = rateCall(r.dest_number, r.duration, await matcherFor(tx, revision.id), card);
  if ('error' in out) return out;
  Object.assign(r, out, { route_id: route.id, rate_card_id: card.id, currency: card.currency });
  return null;
}

const COLUMNS: [keyof CdrRecord, string][] = [
  ['call_id', 'text'],
  ['start_time', 'timestamptz'],
  ['company_id', 'uuid'],
  ['route_id', 'uuid'],
  ['rate_card_id', 'uuid'],
  ['cli', 'text'],
  ['tech_prefix', 'text'],
  ['dest_number', 'text'],
  ['lrn', 'text'],
  ['direction', 'text'],
  ['auth_type', 'text'],
  ['auth_ref', 'text'],
  ['source_ip', 'text'],
  ['duration', 'int'],
  ['billed_duration', 'int'],
  ['ring_duration', 'int'],
  ['pdd_ms', 'int'],
  ['sip_code', 'int'],
  ['sip_reason', 'text'],
  ['release_reason', 'text'],
  ['dtmf', 'text'],
  ['dest_code', 'text'],
  ['dest_name', 'text'],
  ['rate', 'numeric'],
  ['connect_cost', 'numeric'],
  ['charge', 'numeric'],
  ['currency', 'text'],
  ['carrier_id', 'uuid'],
  ['carrier_rate_card_id', 'uuid'],
  ['carrier_dest_code', 'text'],
  ['carrier_dest_name', 'text'],
  ['carrier_cost', 'numeric'],
  ['carrier_currency', 'text'],
  ['rtp_server', 'text'],
  ['recording', 'text'],
  ['meta', 'jsonb'],
];

// The batch is COPYed into a per-session staging table, then one statement keeps the call ids never seen before,
// inserts those CDRs, queues their rollup projection and appends their charges, and tells the worker (NOTIFY) to
// fold the queue. Append-only: concurrent batches take no row locks on shared counters, so they run in parallel.
const STAGE_SQL = `CREATE TEMP TABLE IF NOT EXISTS cdr_stage (LIKE cdrs INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`;
const COPY_SQL = `COPY cdr_stage (operator_id, ${COLUMNS.map(([c]) => c).join(', ')}) FROM STDIN`;
const INSERT_SQL = `
WITH fresh AS (
  INSERT INTO cdr_ids (operator_id, call_id, start_time)
  SELECT operator_id, call_id, start_time FROM cdr_stage ORDER BY call_id
  ON CONFLICT DO NOTHING RETURNING call_id
), ins AS (
  INSERT INTO cdrs SELECT s.* FROM cdr_stage s JOIN fresh USING (call_id)
  RETURNING operator_id, company_id, start_time, dest_code, dest_name, carrier_id, duration, billed_duration, charge, carrier_cost, dtmf, pdd_ms, ring_duration
), queued AS (
  ${queueInsertSql('ins')}
), usage AS (
  ${usageSql('ins', false)}
)
SELECT count(*)::int AS n, pg_notify('${ROLLUP_CHANNEL}', $1::text) FROM ins`;

const SPECIAL = /[\\\t\n\r]/;
const TAB = 9;
const NEWLINE = 10;

/** Writes COPY text-format rows straight into a growing byte buffer (no intermediate strings per row). */
class CopyWriter {
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Text: backslash, tab and line breaks escaped; null as \N. */
  text(v: string | null): this {
    if (v === null || v === undefined) return this.raw('\\N');
    return this.raw(
      SPECIAL.test(v)
        ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
        : v,
    );
  }

  /** A value that never needs escaping (numbers, UUIDs, codes, timestamps); null as \N. */
  raw(v: string | number | null): this {
    if (v === null || v === undefined) v = '\\N';
    const s = typeof v === 'number' ? String(v) : v;
    this.room(s.length * 3);
    // Short ASCII values are copied byte by byte: cheaper than a native call per field.
    if (s.length <= 64) {
      const start = this.pos;
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        this.buf[start + i] = c;
      }
      if (i === s.length) {
        this.pos += i;
        return this;
      }
    }
    this.pos += this.buf.write(s, this.pos, 'utf8');
    return this;
  }

  tab(): this {
    this.room(1);
    this.buf[this.pos++] = TAB;
    return this;
  }

  endRow(): void {
    this.room(1);
    this.buf[this.pos++] = NEWLINE;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

const isEmpty = (o: Record<string, unknown>) => {
  for (const _ in o) return false;
  return true;
};

/** The COPY text of a batch, one line per CDR, columns in COPY_SQL's order. */
export function buildCopyData(operatorId: string, records: CdrRecord[]): Buffer {
  const w = new CopyWriter();
  for (const r of records) {
    w.raw(operatorId)
      .tab()
      .text(r.call_id)
      .tab()
      .raw(r.start_time.toISOString())
      .tab()
      .raw(r.company_id)
      .tab();
    w.raw(r.route_id).tab().raw(r.rate_card_id).tab().text(r.cli).tab().text(r.tech_prefix).tab();
    w.text(r.dest_number).tab().text(r.lrn).tab().raw(r.direction).tab().raw(r.auth_type).tab();
    w.text(r.auth_ref).tab().text(r.source_ip).tab().raw(r.duration).tab().raw(r.billed_duration).tab();
    w.raw(r.ring_duration).tab().raw(r.pdd_ms).tab().raw(r.sip_code).tab().text(r.sip_reason).tab();
    w.text(r.release_reason).tab().text(r.dtmf).tab().text(r.dest_code).tab().text(r.dest_name).tab();
    w.raw(r.rate).tab().raw(r.connect_cost).tab().raw(r.charge).tab().text(r.currency).tab();
    w.raw(r.carrier_id).tab().raw(r.carrier_rate_card_id).tab().text(r.carrier_dest_code).tab();
    w.text(r.carrier_dest_name).tab().raw(r.carrier_cost).tab().raw(r.carrier_currency).tab();
    w.text(r.rtp_server)
      .tab()
      .text(r.recording)
      .tab()
      .text(isEmpty(r.meta) ? '{}' : JSON.stringify(r.meta));
    w.endRow();
  }
  return w.bytes();
}

const monthOf = (d: Date) => `${d.getUTCFullYear()}-${d.getUTCMonth()}`;

async function store(tx: Tx, operatorId: string, records: CdrRecord[]): Promise<number> {
  const months = new Map<string, Date>();
  for (const r of records) months.set(monthOf(r.start_time), r.start_time);
  for (const d of months.values()) await tx.query('SELECT ensure_cdr_partition($1)', [d.toISOString()]);
  await tx.query(STAGE_SQL);
  const data = buildCopyData(operatorId, records);
  await tx.copyFrom(COPY_SQL, data);
  const [out] = await tx.query<{ n: number }>(INSERT_SQL, [operatorId]);
  // ON COMMIT DELETE ROWS empties it at commit; clear it now too, in case the caller does more in this transaction.
  await tx.query('TRUNCATE cdr_stage');
  return out?.n ?? 0;
}

/** Ingests a batch for one operator; valid rows are kept even when others are refused. */
export async function ingestCdrs(deps: Deps, operatorId: string, input: unknown[]): Promise<IngestResult> {
  const errors: IngestError[] = [];
  const parsed: { index: number; rec: CdrRecord }[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  input.forEach((row, index) => {
    const rec = parseCdr(row);
    if ('error' in rec) {
      const callId = (row as { call_id?: unknown } | null)?.call_id;
      errors.push({ index, ...(typeof callId === 'string' ? { call_id: callId } : {}), ...rec });
    } else if (seen.has(rec.call_id)) {
      duplicates++;
    } else {
      seen.add(rec.call_id);
      parsed.push({ index, rec });
    }
  });
  for (let attempt = 0; ; attempt++) {
    try {
      return await withTenant(deps.db, operatorId, async (tx) => {
        const ctx = await loadContext(
          tx,
          parsed.map((p) => p.rec),
        );
        const good: CdrRecord[] = [];
        const rowErrors: IngestError[] = [];
        for (const { index, rec } of parsed) {
          const copy = { ...rec };
          const err = await rate(tx, ctx, copy);
          if (err) rowErrors.push({ index, call_id: rec.call_id, ...err });
          else good.push(copy);
        }
        const accepted = good.length ? await store(tx, operatorId, good) : 0;
        return {
          accepted,
          duplicates: duplicates + (good.length - accepted),
          errors: [...errors, ...rowErrors].sort((a, b) => a.index - b.index),
        };
      });
    } catch (err) {
      // Two batches racing on the same call ids wait for each other on cdr_ids and can deadlock; retry.
      if ((err as { code?: string }).code === '40P01' && attempt < 3) continue;
      throw err;
    }
  }
}
