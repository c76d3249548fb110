/**
 * Issuance against Pebble (Let's Encrypt's test CA) with the real worker (JobRunner.start, NOTIFY wake-up):
 * 1. time from "Check now" on a correctly pointed domain to its first verified HTTPS response (5 names, median);
 * 2. certificates per second when 200 domains are added at once, with the Let's Encrypt-style limiter set for
 *    Pebble (ACME_RATE_LIMITS below) and the worker's concurrency (BENCH_CONCURRENCY, default 8).
 * 3. the same two measures for Debian's caddy 2.6 with on-demand TLS (research/caddy-anchor.md's configuration)
 *    against a Pebble of its own started the same way (Pebble's VA has one HTTP port, caddy answers its own
 *    HTTP-01 challenges): time to the first verified HTTPS response for a new name (issuance happens inside that
 *    first handshake), and certificates per second when BENCH_BULK new names connect at once.
 * Needs /usr/bin/pebble (and /usr/bin/caddy for 3). Usage: npx tsx bench/tls-issue.ts   (DATABASE_URL selects the
 * PostgreSQL server)
 */
import http from 'node:http';
import https from 'node:https';
import pg from 'pg';
import { buildApp } from '../server/app.ts';
import { boot } from '../server/boot.ts';
import { openDb, withSystem } from '../server/db/db.ts';
import { loadEnv } from '../server/env.ts';
import { createDomain } from '../server/features/domains/domains.service.ts';
import { createOperator } from '../server/features/operators/operators.service.ts';
import { JobRunner } from '../server/jobs/queue.ts';
import { startTestDns } from '../server/test/dns.ts';
import { freePort, startPebble } from '../server/test/pebble.ts';
import { startHttpsServer } from '../server/tls/https.ts';
import { runCheck, runIssue } from '../server/tls/jobs.ts';
import { CHECK_KIND, ISSUE_KIND } from '../server/tls/lifecycle.ts';
import { HAVE_CADDY, startCaddyOnDemand } from './caddy.ts';

const TARGET = 'portal.example-platform.test';
const BULK = Number(process.env.BENCH_BULK ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LIMITS = 'orders_per_minute=600,orders_per_3h=5000,certs_per_domain_week=1000,failed_per_host_hour=5';

// On the server, a database of its own (dropped and made again at every run).
if (process.env.DATABASE_URL) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS vpp_bench_tls WITH (FORCE)');
  await admin.query('CREATE DATABASE vpp_bench_tls');
  await admin.end();
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = '/vpp_bench_tls';
  process.env.DATABASE_URL = u.toString();
}

const dns = await startTestDns();
dns.set(TARGET, { a: ['127.0.0.1'] });
const httpPort = await freePort();
const httpsPort = await freePort();
const pebble = await startPebble({ httpPort, dnsServer: dns.address });
const env = loadEnv({
  ...process.env,
  CONSOLE_HOST: 'console.bench.test',
  LOG_LEVEL: 'warn',
  DEMO: 'false',
  SECRET_KEY: 'bench-secret',
  PORTAL_CNAME_TARGET: TARGET,
  DNS_SERVERS: dns.address,
  ACME_DIRECTORY_URL: pebble.directoryUrl,
  ACME_CA_BUNDLE: pebble.caBundle,
  ACME_HTTP_PORT: String(httpPort),
  HTTPS_PORT: String(httpsPort),
  ACME_RATE_LIMITS: LIMITS,
});
const db = await openDb({ url: env.databaseUrl, dataDir: null, poolSize: 20 });
const deps = await boot(env, { db });
const app = await buildApp(deps);
await app.listen({ port: httpPort, host: '127.0.0.1' });
const listener = await startHttpsServer(app, deps, { port: httpsPort, host: '127.0.0.1' });
const runner = new JobRunner(deps, { concurrency: CONCURRENCY })
  .register(CHECK_KIND, runCheck)
  .register(ISSUE_KIND, runIssue);
await runner.start(200);

const email = 'bench-op@example.test';
const password = 'bench-password-1';
const { operatorId } = await createOperator(deps, { name: 'Bench operator', email, password });
const ctx = { deps, operatorId, actor: { type: 'system' as const, id: null, label: 'bench' } };
const login = await app.inject({
  method: 'POST',
  url: '/api/v1/auth/login',
  headers: { host: env.consoleHost, 'content-type': 'application/json', origin: `http://${env.consoleHost}` },
  payload: JSON.stringify({ email, password }),
});
const sid = login.cookies.find((c) => c.name === 'sid')?.value;
if (!sid) throw new Error(`login failed: ${login.body}`);

const verifiedGet = (host: string, port = httpsPort, ca = pebble.rootPem) =>
  new Promise<number>((resolve) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/brand',
        servername: host,
        ca,
        headers: { host },
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end();
  });

// 1. "Check now" → first verified HTTPS response.
const firstHttps: number[] = [];
for (let i = 0; i < 5; i++) {
  const host = `portal.now${i}-${Date.now()}.bench.test`;
  const d = await createDomain(ctx, { domain: host, brand_name: `Now ${i}` });
  // Let the first (failing) check run, as for a domain added before its record existed.
  for (let n = 0; n < 200; n++) {
    const [row] = await withSystem(db, (tx) =>
      tx.query<{ reason: string | null }>('SELECT reason FROM portal_domains WHERE id = $1', [d.id]),
    );
    if (row?.reason) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  dns.set(host, { cname: TARGET });
  const t0 = performance.now();
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/console/domains/${d.id}/check`,
    headers: {
      host: env.consoleHost,
      cookie: `sid=${sid}`,
      origin: `http://${env.consoleHost}`,
      'content-type': 'application/json',
    },
    payload: '{}',
  });
  if (res.statusCode !== 200) throw new Error(`check failed: ${res.body}`);
  while ((await verifiedGet(host)) !== 200) await new Promise((r) => setTimeout(r, 20));
  firstHttps.push((performance.now() - t0) / 1000);
  process.stderr.write(`check now → HTTPS: ${firstHttps.at(-1)?.toFixed(3)} s\n`);
}

// 2. 200 domains at once.
const stamp = Date.now();
const hosts = Array.from({ length: BULK }, (_, i) => `portal.bulk${i}-${stamp}.bench.test`);
for (const h of hosts) dns.set(h, { cname: TARGET });
const t0 = performance.now();
await Promise.all(hosts.map((h, i) => createDomain(ctx, { domain: h, brand_name: `Bulk ${i}` })));
let active = 0;
let firstActive = 0;
for (;;) {
  const [row] = await withSystem(db, (tx) =>
    tx.query<{ n: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE state = 'active')::int AS n, count(*) FILTER (WHERE state = 'failed')::int AS failed
         FROM portal_domains WHERE domain = ANY($1::text[])`,
      [hosts],
    ),
  );
  active = row?.n ?? 0;
  if (active > 0 && !firstActive) firstActive = (performance.now() - t0) / 1000;
  if (active + (row?.failed ?? 0) >= BULK) break;
  await new Promise((r) => setTimeout(r, 100));
}
const bulkSeconds = (performance.now() - t0) / 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

// 3. Caddy, on-demand TLS, against its own Pebble; its `ask` endpoint approves the bench's names.
let caddyResult: {
  first_https_s: number;
  first_https_runs_s: number[];
  bulk_seconds: number;
  certificates_per_s: number;
  failed_handshakes_retried: number;
} | null = null;
if (HAVE_CADDY) {
  const ask = http.createServer((req, res) => {
    const domain = new URL(req.url ?? '/', 'http://x').searchParams.get('domain') ?? '';
    res.writeHead(domain.endsWith('.caddy.test') ? 200 : 403).end();
  });
  await new Promise<void>((r) => ask.listen(0, '127.0.0.1', () => r()));
  const askPort = (ask.address() as { port: number }).port;
  const [cHttp, cHttps] = [await freePort(), await freePort()];
  const cPebble = await startPebble({ httpPort: cHttp, dnsServer: dns.address });
  const caddy = await startCaddyOnDemand({
    httpPort: cHttp,
    httpsPort: cHttps,
    askUrl: `http://127.0.0.1:${askPort}/ask`,
    directoryUrl: cPebble.directoryUrl,
    caBundle: cPebble.caBundle,
  });
  let retried = 0;
  const untilServed = async (host: string) => {
    while ((await verifiedGet(host, cHttps, cPebble.rootPem)) !== 200) {
      retried++;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const host = `ok-now${i}-${Date.now()}.caddy.test`;
    dns.set(host, { cname: TARGET });
    const t = performance.now();
    await untilServed(host);
    runs.push((performance.now() - t) / 1000);
    process.stderr.write(`caddy first HTTPS: ${runs.at(-1)?.toFixed(3)} s\n`);
  }
  // certmagic's internal limiter counts the last 10 s; start the bulk with it empty, as ours starts idle.
  await new Promise((r) => setTimeout(r, 11_000));
  const names = Array.from({ length: BULK }, (_, i) => `ok-bulk${i}-${Date.now()}.caddy.test`);
  for (const n of names) dns.set(n, { cname: TARGET });
  const tb = performance.now();
  await Promise.all(names.map(untilServed));
  const bulk = (performance.now() - tb) / 1000;
  caddyResult = {
    first_https_s: Number(median(runs).toFixed(3)),
    first_https_runs_s: runs.map((x) => Number(x.toFixed(3))),
    bulk_seconds: Number(bulk.toFixed(2)),
    certificates_per_s: Number((BULK / bulk).toFixed(2)),
    failed_handshakes_retried: retried,
  };
  await caddy.close();
  await cPebble.close();
  ask.close();
} else {
  console.warn('\n  caddy not found (apt-get install -y caddy): the side-by-side figures are skipped\n');
}

const result = {
  engine: db.engine,
  check_now_to_first_https_s: Number(median(firstHttps).toFixed(3)),
  check_now_runs_s: firstHttps.map((x) => Number(x.toFixed(3))),
  bulk_domains: BULK,
  bulk_active: active,
  bulk_seconds: Number(bulkSeconds.toFixed(2)),
  bulk_first_active_s: Number(firstActive.toFixed(2)),
  certificates_per_s: Number((active / bulkSeconds).toFixed(2)),
  worker_concurrency: CONCURRENCY,
  limits: LIMITS,
  caddy: caddyResult,
};
console.log(JSON.stringify(result));
console.table({
  '"Check now" → first verified HTTPS (median of 5)': { value: `${result.check_now_to_first_https_s} s` },
  [`${BULK} domains at once`]: {
    value: `${active} active in ${result.bulk_seconds} s = ${result.certificates_per_s} certificates/s`,
  },
  'caddy: first verified HTTPS for a new name (median of 5)': {
    value: caddyResult ? `${caddyResult.first_https_s} s` : 'skipped',
  },
  [`caddy: ${BULK} new names at once`]: {
    value: caddyResult
      ? `${BULK} served in ${caddyResult.bulk_seconds} s = ${caddyResult.certificates_per_s} certificates/s`
      : 'skipped',
  },
});
await runner.stop();
await listener.close();
await app.close();
await db.close();
await pebble.close();
await dns.close();
process.exit(0);
