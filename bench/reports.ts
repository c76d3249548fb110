/**
 * Reports benchmark (issue: portal reports), each figure against the bare SQL or PostgreSQL's own COPY in the
 * same run, on BENCH_ROWS simulator CDRs (default 10,000,000; zipf-skewed customers, 30 days):
 *  1. a CDR page (100 rows, newest first, last 7 days) of the largest customer through the portal API vs the
 *     statement it runs;
 *  2. the breakout per destination of that customer over the 30 days through the portal API vs its statement;
 *  3. CSV export of BENCH_CSV_ROWS rows (default 1,000,000) through the console API vs `COPY (…) TO STDOUT CSV`
 *     of the same rows and fields, with the process's peak RSS while exporting; and the portal export of the
 *     largest customer's month.
 * Usage: DATABASE_URL=postgres://… npx tsx bench/reports.ts   (npm run bench:reports)
 * Env: BENCH_ROWS, BENCH_SEED_ROWS (rows ingested before the SQL copies, default 500,000), BENCH_CSV_ROWS,
 * BENCH_CONCURRENCY (ingestion batches in flight, default 3).
 */
import http from 'node:http';
import os from 'node:os';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { CDR_FIELDS } from '../common/features.ts';
import { buildApp } from '../server/app.ts';
import { boot } from '../server/boot.ts';
import type { TenantCtx } from '../server/context.ts';
import { withTenant } from '../server/db/db.ts';
import { loadEnv } from '../server/env.ts';
import { createCompany } from '../server/features/companies/companies.service.ts';
import { createContact } from '../server/features/companies/contacts.service.ts';
import { createDomain } from '../server/features/domains/domains.service.ts';
import { createOperator } from '../server/features/operators/operators.service.ts';
import { createRateCard, createRoute, importRates } from '../server/features/ratecards/ratecards.service.ts';
import { breakoutSql } from '../server/features/reports/breakout.service.ts';
import { cdrCopySql, cdrPageSql } from '../server/features/reports/cdrs.service.ts';
import { allowedFields, type CdrField } from '../server/features/reports/fields.ts';
import { sha256 } from '../server/lib/secrets.ts';
import { ingestCdrs } from '../server/telecom/ingest.ts';
import { rebuildRollups } from '../server/telecom/rollups.ts';
import { generateCalls } from '../server/telecom/simulator/generate.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const CSV_ROWS = Number(process.env.BENCH_CSV_ROWS ?? 1_000_000);
const SEED_ROWS = Number(process.env.BENCH_SEED_ROWS ?? 500_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 3);
const BATCH = 10_000;
const CUSTOMERS = 500;
const PORT = 18_300;
const BRAND = 'reports-bench.localhost';

if (!process.env.DATABASE_URL)
  throw new Error('bench/reports.ts runs on a PostgreSQL server: set DATABASE_URL');
const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS vpp_bench_reports WITH (FORCE)');
await admin.query('CREATE DATABASE vpp_bench_reports');
await admin.end();
const dbUrl = new URL(process.env.DATABASE_URL);
dbUrl.pathname = '/vpp_bench_reports';
const url = dbUrl.toString();

const env = loadEnv({
  ...process.env,
  DATABASE_URL: url,
  LOG_LEVEL: 'silent',
  DEMO: 'false',
  SECRET_KEY: 'bench',
  CONSOLE_HOST: '127.0.0.1',
  SERVICES: 'web',
});
const deps = await boot(env);
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

// ---- set-up like bench/telecom.ts: customers with routes to one card of realistic destinations, carriers
const { operatorId } = await createOperator(deps, {
  name: 'Reports Bench',
  email: 'bench@reports.test',
  password: 'bench-password-1',
});
const ctx: TenantCtx = { deps, operatorId, actor: { type: 'system', id: null, label: 'bench' } };
const countries: [string, string, number][] = [
  ['1', 'USA', 0.006],
  ['44', 'UK', 0.012],
  ['447', 'UK Mobile', 0.025],
  ['49', 'Germany', 0.01],
  ['4915', 'Germany Mobile', 0.03],
  ['33', 'France', 0.011],
  ['336', 'France Mobile', 0.028],
  ['91', 'India', 0.02],
  ['234', 'Nigeria', 0.09],
  ['52', 'Mexico', 0.015],
  ['55', 'Brazil', 0.018],
  ['86', 'China', 0.009],
  ['61', 'Australia', 0.02],
  ['81', 'Japan', 0.03],
  ['34', 'Spain', 0.01],
];
const DESTS: { prefix: string; name: string; rate: string }[] = [];
const seen = new Set<string>();
for (const [p, n, r] of countries) {
  for (let k = -1; k < 12; k++) {
    const prefix = k < 0 ? p : `${p}${k + 2}`;
    if (seen.has(prefix)) continue;
    seen.add(prefix);
    DESTS.push({
      prefix,
      name: k < 0 ? n : `${n} ${k + 2}`,
      rate: (r * (1 + Math.max(k, 0) / 10)).toFixed(4),
    });
  }
}
const card = await createRateCard(ctx, { name: 'Bench USD', currency: 'USD' });
await importRates(
  ctx,
  card.id,
  DESTS.map((d) => ({ ...d, mcd: 30, pulse: 6 })),
);
const domain = await createDomain(ctx, {
  domain: BRAND,
  brand_name: 'Reports Bench',
  features: { cdr: true, breakout: true, summary: true },
});
const customers: { id: string }[] = [];
for (let i = 0; i < CUSTOMERS; i++) {
  const c = await createCompany(ctx, {
    type: 'customer',
    name: `Customer ${i}`,
    currency: 'USD',
    domain_id: domain.id,
  });
  await createRoute(ctx, c.id, { rate_card_id: card.id });
  customers.push({ id: c.id });
}
const carriers = [];
for (let i = 0; i < 4; i++)
  carriers.push({
    id: (await createCompany(ctx, { type: 'carrier', name: `Carrier ${i}`, currency: 'USD' })).id,
    currency: 'USD',
  });
const token = 'vpp_reports_bench_token';
await withTenant(deps.db, operatorId, (tx) =>
  tx.query(
    "INSERT INTO api_tokens (operator_id, name, prefix, token_hash) VALUES ($1, 'bench', 'vpp_repo', $2)",
    [operatorId, sha256(token)],
  ),
);

// ---- load: SEED_ROWS simulator rows rated and rolled up by the ingestion code (no HTTP: loading is not measured),
// then copied in SQL up to ROWS with new call ids and start times moved back by up to an hour, and the rollups
// rebuilt from the raw CDRs (the ingestion path measured by bench/telecom.ts is too slow to load ten million rows
// on this shared machine within a session).
const to = new Date(Date.UTC(2026, 10, 1));
const from = new Date(to.getTime() - 30 * 86400_000);
const t0 = performance.now();
{
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  let batch: unknown[] = [];
  const send = async (rows: unknown[]) => {
    const p = ingestCdrs(deps, operatorId, rows).then((r) => {
      if (r.errors.length) throw new Error(`ingest errors: ${JSON.stringify(r.errors.slice(0, 3))}`);
      done += r.accepted;
      if (done % 100_000 < rows.length)
        log(`${done.toLocaleString()} rows, ${Math.round(done / ((performance.now() - t0) / 1000))} rows/s`);
    });
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
  };
  const spec = { customers, destinations: DESTS, carriers };
  for (const row of generateCalls({
    ...spec,
    seed: 'reports-bench',
    from,
    to,
    count: Math.min(SEED_ROWS, ROWS),
  })) {
    batch.push(row);
    if (batch.length === BATCH) {
      await send(batch);
      batch = [];
    }
  }
  if (batch.length) await send(batch);
  await Promise.all(inFlight);
}
const copies = Math.ceil(ROWS / SEED_ROWS) - 1;
const cols = (
  await deps.db.query<{ c: string }>(
    `SELECT attname AS c FROM pg_attribute WHERE attrelid = 'cdrs'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
  )
).map((r) => r.c);
for (let k = 1; k <= copies; k++) {
  const left = ROWS - SEED_ROWS * k;
  const select = cols.map((c) =>
    c === 'call_id'
      ? `call_id || '~${k}'`
      : c === 'start_time'
        ? `start_time - make_interval(secs => (${k} * 613 + length(call_id) * 17) % 3600)`
        : c,
  );
  await deps.db.query(
    `INSERT INTO cdrs (${cols.join(', ')}) SELECT ${select.join(', ')} FROM cdrs
      WHERE position('~' IN call_id) = 0 ${left < SEED_ROWS ? `ORDER BY call_id LIMIT ${left}` : ''}`,
  );
  log(`copy ${k}/${copies}`);
}
const loadS = (performance.now() - t0) / 1000;
log(`loaded ${ROWS.toLocaleString()} rows in ${Math.round(loadS)} s; rebuilding the rollups`);
const tc = performance.now();
await rebuildRollups(deps, operatorId);
log(`rollups rebuilt in ${Math.round((performance.now() - tc) / 1000)} s; analysing`);
for (const t of ['cdrs', 'cdr_daily', 'cdr_hourly']) await deps.db.query(`VACUUM ANALYZE ${t}`);

// ---- the largest customer, a contact of it signed in on the brand
const [top] = await withTenant(deps.db, operatorId, (tx) =>
  tx.query<{ company_id: string; n: number }>(
    'SELECT company_id, sum(attempts)::bigint AS n FROM cdr_daily GROUP BY 1 ORDER BY 2 DESC LIMIT 1',
  ),
);
const topId = top!.company_id;
await createContact(ctx, topId, { name: 'Bench', email: 'top@reports.test', password: 'bench-password-1' });
const app = await buildApp(deps);
await app.listen({ port: PORT, host: '127.0.0.1' });
const login = await new Promise<http.IncomingMessage>((resolve, reject) => {
  const req = http.request(
    {
      host: '127.0.0.1',
      port: PORT,
      path: '/api/v1/auth/login',
      method: 'POST',
      headers: { host: BRAND, 'content-type': 'application/json' },
    },
    resolve,
  );
  req.on('error', reject);
  req.end(JSON.stringify({ email: 'top@reports.test', password: 'bench-password-1' }));
});
login.resume();
const cookie = (login.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
if (login.statusCode !== 200 || !cookie) throw new Error(`login failed: ${login.statusCode}`);
const portal = { host: BRAND, cookie };
const consoleH = { host: '127.0.0.1', authorization: `Bearer ${token}` };

const p50 = (xs: number[]) => +[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(2);
async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t = performance.now();
    await fn();
    if (i >= 2) times.push(performance.now() - t);
  }
  return p50(times);
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
/** A GET with our own Host header (fetch does not let one set Host). */
function get(path: string, headers: Record<string, string>): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: PORT, path, headers, agent }, resolve).on('error', reject);
  });
}
async function getJson(path: string, headers: Record<string, string>) {
  const res = await get(path, headers);
  let body = '';
  for await (const chunk of res) body += chunk;
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${body.slice(0, 200)}`);
  return JSON.parse(body);
}
const qs = (o: Record<string, string>) => new URLSearchParams(o).toString();

// ---- 1. CDR page
const fields = allowedFields(domain.cdr_fields, 'customer', ['cdr']);
const week = { from: new Date(to.getTime() - 7 * 86400_000).toISOString(), to: to.toISOString() };
const pageSql = cdrPageSql(deps, { companyId: topId }, { ...week, limit: 100 }, fields);
const cdrApi = await timeRuns(51, () =>
  getJson(`/api/v1/portal/cdrs?${qs({ ...week, limit: '100' })}`, portal),
);
const cdrSql = await timeRuns(51, () =>
  withTenant(deps.db, operatorId, (tx) => tx.query(pageSql.sql, pageSql.params)),
);
const second = (await getJson(`/api/v1/portal/cdrs?${qs({ ...week, limit: '100' })}`, portal)) as {
  next_cursor: string;
};
const cdrApiNext = await timeRuns(51, () =>
  getJson(`/api/v1/portal/cdrs?${qs({ ...week, limit: '100', cursor: second.next_cursor })}`, portal),
);

// ---- 2. breakout per destination of the largest customer over the 30 days
const month = { from: from.toISOString(), to: to.toISOString() };
const bo = breakoutSql({ from, to, tz: 'UTC', group: 'destination', companyId: topId, operatorView: false });
const boApi = await timeRuns(21, () =>
  getJson(`/api/v1/portal/breakout?${qs({ ...month, tz: 'UTC' })}`, portal),
);
const boSql = await timeRuns(21, () => withTenant(deps.db, operatorId, (tx) => tx.query(bo.sql, bo.params)));
// The same month in New York: whole local days do not match UTC days, so the hourly rollup answers.
const ny = { from: new Date(from.getTime() + 5 * 3600_000), to: new Date(to.getTime() + 5 * 3600_000) };
const boNy = breakoutSql({
  ...ny,
  tz: 'America/New_York',
  group: 'day',
  companyId: topId,
  operatorView: false,
});
const nyQuery = qs({
  from: ny.from.toISOString(),
  to: ny.to.toISOString(),
  tz: 'America/New_York',
  group: 'day',
});
const boApiNy = await timeRuns(11, () => getJson(`/api/v1/portal/breakout?${nyQuery}`, portal));
const boSqlNy = await timeRuns(11, () =>
  withTenant(deps.db, operatorId, (tx) => tx.query(boNy.sql, boNy.params)),
);
const boRaw = await timeRuns(3, () =>
  withTenant(deps.db, operatorId, (tx) =>
    tx.query(
      `SELECT dest_code, dest_name, count(*), count(*) FILTER (WHERE duration > 0), sum(duration), sum(billed_duration),
              sum(charge), count(*) FILTER (WHERE duration > 0 AND dtmf <> ''), sum(pdd_ms), count(pdd_ms)
         FROM cdrs WHERE company_id = $1 AND start_time >= $2 AND start_time < $3 GROUP BY 1, 2`,
      [topId, month.from, month.to],
    ),
  ),
);

// ---- 3. CSV: CSV_ROWS rows across customers (console), vs COPY of the same rows and fields
const allFields = [...CDR_FIELDS] as CdrField[];
const [{ t: csvTo } = { t: to.toISOString() }] = await withTenant(deps.db, operatorId, (tx) =>
  tx.query<{ t: string }>(
    `SELECT start_time::text AS t FROM cdrs WHERE start_time >= $1 ORDER BY start_time, call_id OFFSET $2 LIMIT 1`,
    [month.from, CSV_ROWS],
  ),
);
const csvRange = { from: month.from, to: new Date(csvTo).toISOString() };

interface Sample {
  rss: number;
}
function rssSampler(): { stop: () => number; sample: Sample } {
  const sample = { rss: process.memoryUsage().rss };
  const timer = setInterval(() => {
    sample.rss = Math.max(sample.rss, process.memoryUsage().rss);
  }, 20);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      return sample.rss;
    },
  };
}

async function download(path: string, headers: Record<string, string>) {
  const t = performance.now();
  const res = await get(path, headers);
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  }
  return { ms: performance.now() - t, bytes, rows: lines - 1 };
}

async function copyCsv(sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(
    `SELECT set_config('role', 'portal_app', true), set_config('app.operator_id', $1, true)`,
    [operatorId],
  );
  const t = performance.now();
  let bytes = 0;
  let lines = 0;
  await pipeline(
    client.query(copyTo(sql)),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
        cb();
      },
    }),
  );
  const ms = performance.now() - t;
  await client.query('COMMIT');
  await client.end();
  return { ms, bytes, rows: lines - 1 };
}

/** The COPY baseline of an export: the same rows, fields and order, PostgreSQL's own CSV on a bare connection. */
const copySql = (scope: { companyId?: string }, range: { from: string; to: string }, fs: CdrField[]) =>
  cdrCopySql(scope, range, fs);

const rssBefore = process.memoryUsage().rss;
const copyAll = await copyCsv(copySql({}, csvRange, allFields));
const s1 = rssSampler();
const apiAll = await download(`/api/v1/console/reports/cdrs.csv?${qs(csvRange)}`, consoleH);
const rssPeak = s1.stop();
const copyAll2 = await copyCsv(copySql({}, csvRange, allFields));
const copyTop = await copyCsv(copySql({ companyId: topId }, month, fields));
const s2 = rssSampler();
const apiTop = await download(`/api/v1/portal/cdrs.csv?${qs(month)}`, portal);
const rssPeakTop = s2.stop();
if (apiAll.rows !== copyAll.rows || apiTop.rows !== copyTop.rows)
  throw new Error(`row counts differ: ${apiAll.rows}/${copyAll.rows}, ${apiTop.rows}/${copyTop.rows}`);

const rate = (r: { ms: number; rows: number }) => Math.round(r.rows / (r.ms / 1000));
const copyRate = Math.max(rate(copyAll), rate(copyAll2));
const [{ n: total } = { n: 0 }] = await withTenant(deps.db, operatorId, (tx) =>
  tx.query<{ n: number }>('SELECT count(*)::bigint AS n FROM cdrs'),
);
const mb = (n: number) => +(n / 1024 / 1024).toFixed(1);
const result = {
  engine: deps.db.engine,
  cpus: os.cpus().length,
  cdrs: Number(total),
  seed_rows_ingested: Math.min(SEED_ROWS, ROWS),
  load_s: Math.round(loadS),
  top_customer_month_attempts: Number(top!.n),
  cdr_page_api_p50_ms: cdrApi,
  cdr_page_api_next_page_p50_ms: cdrApiNext,
  cdr_page_sql_p50_ms: cdrSql,
  breakout_month_api_p50_ms: boApi,
  breakout_month_sql_p50_ms: boSql,
  breakout_month_ny_days_api_p50_ms: boApiNy,
  breakout_month_ny_days_sql_p50_ms: boSqlNy,
  breakout_month_raw_group_by_ms: boRaw,
  csv_rows: apiAll.rows,
  csv_mb: mb(apiAll.bytes),
  csv_api_rows_per_s: rate(apiAll),
  csv_copy_rows_per_s: copyRate,
  csv_copy_mb: mb(copyAll.bytes),
  csv_api_vs_copy_pct: +((rate(apiAll) / copyRate) * 100).toFixed(1),
  rss_before_mb: mb(rssBefore),
  rss_peak_during_api_csv_mb: mb(rssPeak),
  csv_top_customer_rows: apiTop.rows,
  csv_top_customer_api_rows_per_s: rate(apiTop),
  csv_top_customer_copy_rows_per_s: rate(copyTop),
  csv_top_customer_vs_copy_pct: +((rate(apiTop) / rate(copyTop)) * 100).toFixed(1),
  rss_peak_during_top_csv_mb: mb(rssPeakTop),
};
console.log(JSON.stringify(result));
console.table(Object.entries(result).map(([k, v]) => ({ metric: k, value: v })));
await app.close();
await deps.db.close();
