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

/**
 * Fills the rating fields of one record, or says why it cannot be rated, or names the revision whose rates must be
 * loaded first (synchronous on the common path: one promise per row cost more than the rating itself).
 */
function rate(ctx: Ctx, r: CdrRecord): { error: string; message: string } | { load: string } | null {
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
  const matcher = matchers.get(revision.id);
  if (!matcher) return { load: revision.id };
  const out = rateCall(r.dest_number, r.duration, matcher, card);
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

/** A text value in COPY's text format: backslash, tab and line breaks escaped; null as \N. */
const text = (v: string | null | undefined): string =>
  v === null || v === undefined
    ? '\\N'
    : SPECIAL.test(v)
      ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
      : v;

/** A value that never needs escaping (numbers, UUIDs, codes); null as \N. */
const raw = (v: string | number | null | undefined): string | number =>
  v === null || v === undefined ? '\\N' : v;

const isEmpty = (o: Record<string, unknown>) => {
  for (const _ in o) return false;
  return true;
};

/**
 * The COPY text of a batch, one line per CDR, columns in COPY_SQL's order. Each line is one template string
 * written into a growing buffer: one native call per row (a field-by-field byte writer cost 4–5 times as much, and
 * one string for the whole batch spends its time flattening a rope of 185,000 pieces).
 */
export function buildCopyData(operatorId: string, records: CdrRecord[]): Buffer {
  let buf = Buffer.allocUnsafe(Math.max(4096, records.length * 512));
  let pos = 0;
  for (const r of records) {
    const line = `${operatorId}\t${text(r.call_id)}\t${r.start_time.toISOString()}\t${r.company_id}\t${raw(r.route_id)}\t${raw(r.rate_card_id)}\t${text(r.cli)}\t${text(r.tech_prefix)}\t${text(r.dest_number)}\t${text(r.lrn)}\t${raw(r.direction)}\t${raw(r.auth_type)}\t${text(r.auth_ref)}\t${text(r.source_ip)}\t${raw(r.duration)}\t${raw(r.billed_duration)}\t${raw(r.ring_duration)}\t${raw(r.pdd_ms)}\t${raw(r.sip_code)}\t${text(r.sip_reason)}\t${text(r.release_reason)}\t${text(r.dtmf)}\t${text(r.dest_code)}\t${text(r.dest_name)}\t${raw(r.rate)}\t${raw(r.connect_cost)}\t${raw(r.charge)}\t${text(r.currency)}\t${raw(r.carrier_id)}\t${raw(r.carrier_rate_card_id)}\t${text(r.carrier_dest_code)}\t${text(r.carrier_dest_name)}\t${raw(r.carrier_cost)}\t${raw(r.carrier_currency)}\t${text(r.rtp_server)}\t${text(r.recording)}\t${text(isEmpty(r.meta) ? '{}' : JSON.stringify(r.meta))}\n`;
    if (pos + line.length * 3 > buf.length) {
      const next = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + line.length * 3));
      buf.copy(next, 0, 0, pos);
      buf = next;
    }
    pos += buf.write(line, pos, 'utf8');
  }
  return buf.subarray(0, pos);
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
  for (let attempt = 0; ; attempt++) {
    // Rating fills the parsed records in place, so a retried attempt parses the input again.
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
    try {
      return await withTenant(deps.db, operatorId, async (tx) => {
        const ctx = await loadContext(
          tx,
          parsed.map((p) => p.rec),
        );
        const good: CdrRecord[] = [];
        for (const { index, rec } of parsed) {
          let err = rate(ctx, rec);
          while (err && 'load' in err) {
            await matcherFor(tx, err.load);
            err = rate(ctx, rec);
          }
          if (err && 'error' in err) errors.push({ index, call_id: rec.call_id, ...err });
          else good.push(rec);
        }
        const accepted = good.length ? await store(tx, operatorId, good) : 0;
        return {
          accepted,
          duplicates: duplicates + (good.length - accepted),
          errors: errors.sort((a, b) => a.index - b.index),
        };
      });
    } catch (err) {
      // Two batches racing on the same call ids wait for each other on cdr_ids and can deadlock; retry.
      if ((err as { code?: string }).code === '40P01' && attempt < 3) continue;
      throw err;
    }
  }
}
