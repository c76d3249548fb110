/**
 * GET /api/v1/me with a session cookie against a bare Fastify route doing one primary-key SELECT on the
 * same database, measured in the same run (autocannon, 50 connections, 3 alternating rounds, median).
 * Usage: npx tsx bench/me.ts   (DATABASE_URL selects the PostgreSQL server; a fresh bench database is made)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const APP = 18_181;
const BARE = 18_182;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const env: NodeJS.ProcessEnv = { ...process.env, CONSOLE_HOST: 'localhost' };
let dataDir: string | null = null;

if (process.env.DATABASE_URL) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS vpp_bench WITH (FORCE)');
  await admin.query('CREATE DATABASE vpp_bench');
  await admin.end();
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = '/vpp_bench';
  env.DATABASE_URL = u.toString();
} else {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpp-bench-'));
  env.DATA_DIR = dataDir;
}

const child = spawn(process.execPath, ['--import', 'tsx', 'bench/servers.ts', String(APP), String(BARE)], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
process.on('exit', () => child.kill());
await new Promise<void>((resolve) =>
  child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()),
);

// fetch cannot set Host, so the login goes through node:http.
const cookie = await new Promise<string>((resolve, reject) => {
  const body = JSON.stringify({ email: 'alice@acme.test', password: 'demo-alice-pass' });
  const req = http.request(
    {
      host: '127.0.0.1',
      port: APP,
      path: '/api/v1/auth/login',
      method: 'POST',
      headers: { host: `portal.localhost:${APP}`, 'content-type': 'application/json' },
    },
    (res) => {
      res.resume();
      const set = res.headers['set-cookie']?.[0];
      if (res.statusCode === 200 && set) resolve(set.split(';')[0]!);
      else reject(new Error(`login failed: ${res.statusCode}`));
    },
  );
  req.on('error', reject);
  req.end(body);
});

async function run(url: string, headers: Record<string, string>) {
  const r = await autocannon({ url, connections: 50, duration: SECONDS, headers });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

const me: Awaited<ReturnType<typeof run>>[] = [];
const bare: Awaited<ReturnType<typeof run>>[] = [];
for (let round = 0; round < 3; round++) {
  bare.push(await run(`http://127.0.0.1:${BARE}/pk`, {}));
  me.push(await run(`http://127.0.0.1:${APP}/api/v1/me`, { host: `portal.localhost:${APP}`, cookie }));
}
child.kill();
if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const result = {
  engine: process.env.DATABASE_URL ? 'postgres' : 'pglite',
  seconds_per_round: SECONDS,
  me_rps: median(me.map((r) => r.rps)),
  me_p50_ms: median(me.map((r) => r.p50)),
  me_p99_ms: median(me.map((r) => r.p99)),
  bare_pk_rps: median(bare.map((r) => r.rps)),
  bare_pk_p50_ms: median(bare.map((r) => r.p50)),
  ratio: 0,
  rounds: { me: me.map((r) => Math.round(r.rps)), bare: bare.map((r) => Math.round(r.rps)) },
};
result.ratio = Math.round((result.me_rps / result.bare_pk_rps) * 1000) / 10;
console.log(JSON.stringify(result));
console.table([
  {
    route: 'GET /api/v1/me (session cookie)',
    'req/s': Math.round(result.me_rps),
    'p50 ms': result.me_p50_ms,
    'p99 ms': result.me_p99_ms,
  },
  {
    route: 'bare Fastify PK SELECT',
    'req/s': Math.round(result.bare_pk_rps),
    'p50 ms': result.bare_pk_p50_ms,
    'p99 ms': '',
  },
]);
console.log(`/me reaches ${result.ratio} % of the baseline`);
