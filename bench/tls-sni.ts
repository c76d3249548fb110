/**
 * Server CPU per full TLS handshake on HTTPS_PORT with 10,000 active domains against 1 domain, in the same run,
 * and memory per active domain (secure contexts in the TLS front's LRU). The application runs in a child process
 * and forks its TLS front (server/tls/front.mjs); "ours" is the CPU of both processes together (the front from
 * /proc, the application from process.cpuUsage()). The client makes full handshakes (no session reuse), 16 in
 * flight, and by default lets each one complete (BENCH_CLOSE below). Certificates are made locally (a bench CA,
 * one P-256 key per domain) and stored like issued ones, so this measures serving, not issuance
 * (bench/tls-issue.ts measures that against Pebble).
 * Baselines in the same run: caddy (Debian 2.6, when /usr/bin/caddy exists) serving the same certificate files,
 * measured from /proc with its memory per loaded certificate; a bare node:tls server with one certificate on the
 * application process's main thread (where TLS ran before the front); a bare node:tls SNI server over the same
 * files alone in a small process (the floor for Node's TLS here).
 * Usage: npx tsx bench/tls-sni.ts   (BENCH_DOMAINS, BENCH_HANDSHAKES, BENCH_ROUNDS, BENCH_CLOSE=finish|abort;
 *        BENCH_ALLOCATOR=system runs the front with glibc's malloc instead of tcmalloc; DATABASE_URL selects the
 *        server)
 */
import { fork, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import * as x509 from '@peculiar/x509';
import { freePort } from '../server/test/pebble.ts';
import { SERVER_TLS } from '../server/tls/store.ts';
import { type Caddy, HAVE_CADDY, procCpuMicros, startCaddyWithFiles } from './caddy.ts';

const DOMAINS = Number(process.env.BENCH_DOMAINS ?? 10_000);
const HANDSHAKES = Number(process.env.BENCH_HANDSHAKES ?? 3000);
const CONCURRENCY = 16;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/**
 * How the client ends each connection. `finish` (default): it ends the connection after its handshake and waits
 * for the server to close, so its Finished reaches the server and the server completes the handshake (as for any
 * real client, which then sends a request), session ticket included. `abort`: it drops the connection the moment
 * its own handshake is done (what this bench did before), usually before its Finished is even written, so the
 * server does the expensive part of the handshake (key exchange, signature) but never completes it.
 */
const CLOSE = process.env.BENCH_CLOSE === 'abort' ? 'abort' : 'finish';

type Msg = { type: string; [k: string]: unknown };

async function server(): Promise<void> {
  const { boot } = await import('../server/boot.ts');
  const { buildApp } = await import('../server/app.ts');
  const { loadEnv } = await import('../server/env.ts');
  const { openDb, withSystem } = await import('../server/db/db.ts');
  const { createOperator } = await import('../server/features/operators/operators.service.ts');
  const { startHttpsServer } = await import('../server/tls/https.ts');
  const env = loadEnv({ ...process.env, LOG_LEVEL: 'warn', DEMO: 'false', SECRET_KEY: 'bench-secret' });
  const db = await openDb({ url: env.databaseUrl, dataDir: null });
  const deps = await boot(env, { db });
  const { operatorId } = await createOperator(deps, {
    name: 'Bench',
    email: 'bench@example.test',
    password: 'bench-password-1',
  });
  x509.cryptoProvider.set(crypto.webcrypto as unknown as Crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const caKeys = (await crypto.webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Bench CA',
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const t0 = Date.now();
  // The same certificates as files, for caddy in the same run.
  const pemDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sni-bench-'));
  process.on('exit', () => fs.rmSync(pemDir, { recursive: true, force: true }));
  for (let i = 0; i < DOMAINS; i += 250) {
    const rows: unknown[][] = [];
    for (let j = i; j < Math.min(DOMAINS, i + 250); j++) {
      const host = `portal.brand${j}.bench.test`;
      const keys = (await crypto.webcrypto.subtle.generateKey(alg, true, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: crypto.randomBytes(8).toString('hex'),
        subject: `CN=${host}`,
        issuer: caCert.subject,
        notBefore: new Date(Date.now() - 3_600_000),
        notAfter: new Date(Date.now() + 86_400_000),
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: alg,
        extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: host }])],
      });
      const pkcs8 = Buffer.from(await crypto.webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString(
        'base64',
      );
      const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)?.join('\n')}\n-----END PRIVATE KEY-----\n`;
      fs.writeFileSync(
        path.join(pemDir, `${host}.crt`),
        `${cert.toString('pem')}\n${caCert.toString('pem')}\n`,
      );
      fs.writeFileSync(path.join(pemDir, `${host}.key`), keyPem);
      rows.push([
        host,
        cert.serialNumber,
        `${cert.toString('pem')}\n${caCert.toString('pem')}\n`,
        deps.box.encrypt(keyPem),
      ]);
    }
    await withSystem(deps.db, async (tx) => {
      const ids = await tx.query<{ id: string; domain: string }>(
        `INSERT INTO portal_domains (operator_id, domain, brand_name, state)
         SELECT $1, d, 'Bench', 'active' FROM unnest($2::text[]) AS d RETURNING id, domain`,
        [operatorId, rows.map((r) => r[0])],
      );
      const byHost = new Map(ids.map((r) => [r.domain, r.id]));
      await tx.query(
        `INSERT INTO domain_certificates (operator_id, domain_id, hostname, serial, issuer, not_before, not_after, chain_pem, key_pem_enc)
         SELECT $1, u.id, u.host, u.serial, 'Bench CA', now() - interval '1 hour', now() + interval '1 day', u.chain, u.key
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(id, host, serial, chain, key)`,
        [
          operatorId,
          rows.map((r) => byHost.get(String(r[0]))),
          rows.map((r) => r[0]),
          rows.map((r) => r[1]),
          rows.map((r) => r[2]),
          rows.map((r) => r[3]),
        ],
      );
    });
  }
  const app = await buildApp(deps);
  const listener = await startHttpsServer(app, deps, {
    port: 0,
    host: '127.0.0.1',
    ...(process.env.BENCH_ALLOCATOR === 'system' ? { front: { allocator: null } } : {}),
  });
  // Baseline in the same process: a bare node:tls server with one static certificate, no SNI callback, same ciphers.
  const [first] = await withSystem(deps.db, (tx) =>
    tx.query<{ chain_pem: string; key_pem_enc: string }>(
      `SELECT chain_pem, key_pem_enc FROM domain_certificates WHERE hostname = 'portal.brand0.bench.test'`,
    ),
  );
  const bare = tls.createServer(
    { ...SERVER_TLS, cert: first?.chain_pem, key: deps.box.decrypt(first?.key_pem_enc ?? '') },
    (s) => s.end(),
  );
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
  const barePort = (bare.address() as { port: number }).port;
  const send = (m: Msg) => process.send?.(m);
  send({
    type: 'ready',
    port: listener.port,
    barePort,
    pemDir,
    seedSeconds: (Date.now() - t0) / 1000,
    allocator: listener.frontAllocator ?? 'glibc',
  });
  let cpu = process.cpuUsage();
  let frontCpu = procCpuMicros(listener.frontPid);
  process.on('message', async (m: Msg) => {
    if (m.type === 'cpu-start') {
      cpu = process.cpuUsage();
      frontCpu = procCpuMicros(listener.frontPid);
      send({ type: 'ok' });
    } else if (m.type === 'cpu-stop') {
      const d = process.cpuUsage(cpu);
      const front = procCpuMicros(listener.frontPid) - frontCpu;
      const stats = await listener.stats();
      send({
        type: 'cpu',
        micros: d.user + d.system + front,
        appMicros: d.user + d.system,
        loads: stats.loads,
      });
    } else if (m.type === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const mem = process.memoryUsage();
      const stats = await listener.stats();
      send({
        type: 'memory',
        rss: mem.rss + stats.rssBytes,
        frontRss: stats.rssBytes,
        frontHeap: stats.heapUsedBytes,
        contexts: stats.contexts,
      });
    } else if (m.type === 'exit') {
      void listener.close().then(() => process.exit(0));
    }
  });
}

/**
 * Two-sided sign test on paired ratios: the probability of a split at least this uneven between rounds below 1 and
 * rounds above 1 if neither server were cheaper (ties left out). Small means the direction is not chance.
 */
function signTest(ratios: number[]): number {
  const below = ratios.filter((r) => r < 1).length;
  const above = ratios.filter((r) => r > 1).length;
  const n = below + above;
  if (n === 0) return 1;
  const k = Math.min(below, above);
  let tail = 0;
  let choose = 1; // C(n, i)
  for (let i = 0; i <= k; i++) {
    tail += choose;
    choose = (choose * (n - i)) / (i + 1);
  }
  return Math.min(1, (2 * tail) / 2 ** n);
}

async function client(): Promise<void> {
  if (process.env.DATABASE_URL) {
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS vpp_bench_sni WITH (FORCE)');
    await admin.query('CREATE DATABASE vpp_bench_sni');
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/vpp_bench_sni';
    process.env.DATABASE_URL = u.toString();
  }
  const child = fork(new URL(import.meta.url).pathname, ['server'], {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  process.on('exit', () => child.kill());
  const waitFor = (type: string) =>
    new Promise<Msg>((resolve) => {
      const on = (m: Msg) => {
        if (m.type === type) {
          child.off('message', on);
          resolve(m);
        }
      };
      child.on('message', on);
    });
  const ask = async (type: string, reply: string) => {
    const p = waitFor(reply);
    child.send({ type });
    return p;
  };
  const ready = await waitFor('ready');
  let port = Number(ready.port);
  // A failed handshake is a finding, not noise (it exposed the front holding half-open sockets): each is counted
  // per server and made again, at most three times, and the counts are printed with the results.
  const failures = new Map<number, { count: number; last: string }>();
  const attempt = (servername: string) =>
    new Promise<void>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
        if (CLOSE === 'abort') {
          s.destroy();
          resolve();
          return;
        }
        s.end();
        s.resume();
      });
      s.on('close', () => resolve());
      s.on('error', reject);
    });
  const handshake = async (servername: string): Promise<void> => {
    for (let tries = 0; ; tries++) {
      try {
        return await attempt(servername);
      } catch (err) {
        const f = failures.get(port) ?? { count: 0, last: '' };
        f.count++;
        f.last = (err as Error).message;
        failures.set(port, f);
        if (tries >= 3) throw err;
      }
    }
  };
  const run = async (names: (i: number) => string, n: number) => {
    let next = 0;
    const worker = async () => {
      while (next < n) await handshake(names(next++));
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };
  const name = (i: number) => `portal.brand${i}.bench.test`;
  const memBefore = await ask('memory', 'memory');
  // Warm-up: every name once, so all contexts are built and cached (the steady state of a busy node).
  const w0 = Date.now();
  await run((i) => name(i), DOMAINS);
  const warmSeconds = (Date.now() - w0) / 1000;
  const memAfter = await ask('memory', 'memory');
  const measure = async (names: (i: number) => string) => {
    await ask('cpu-start', 'ok');
    const t = Date.now();
    await run(names, HANDSHAKES);
    const wall = (Date.now() - t) / 1000;
    const cpu = await ask('cpu-stop', 'cpu');
    return {
      us: Number(cpu.micros) / HANDSHAKES,
      appUs: Number(cpu.appMicros) / HANDSHAKES,
      perSec: HANDSHAKES / wall,
      loads: Number(cpu.loads),
    };
  };
  // Caddy in the same run, serving the same certificate files: one instance with the one certificate (memory
  // baseline) and one with all of them (both handshake measures), warmed like ours.
  let caddyAll: Caddy | null = null;
  let caddyOne: Caddy | null = null;
  let caddyMem: { one: number; all: number } | null = null;
  let caddyPort = 0;
  let pOneCaddy = 0;
  const files = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      certificate: path.join(String(ready.pemDir), `${name(i)}.crt`),
      key: path.join(String(ready.pemDir), `${name(i)}.key`),
    }));
  if (HAVE_CADDY) {
    const [pAll, pOne] = [await freePort(), await freePort()];
    caddyPort = pAll;
    pOneCaddy = pOne;
    caddyAll = await startCaddyWithFiles(pAll, files(DOMAINS));
    caddyOne = await startCaddyWithFiles(pOne, files(1));
    process.on('exit', () => {
      void caddyAll?.close();
      void caddyOne?.close();
    });
    port = pOne;
    await run(() => name(0), 500);
    port = pAll;
    await run((i) => name(i), DOMAINS);
    caddyMem = { one: caddyOne.rssBytes(), all: caddyAll.rssBytes() };
    await caddyOne.close();
    port = Number(ready.port);
  } else {
    console.warn('\n  caddy not found (apt-get install -y caddy): the side-by-side figures are skipped\n');
  }
  // A bare node:tls SNI server alone in a small process (no application), reading the same certificate files
  // on first use, measured from /proc like caddy: what a lean TLS front process would cost.
  const lean = spawn(
    process.execPath,
    [
      `--openssl-config=${new URL('../server/tls/front-openssl.cnf', import.meta.url).pathname}`,
      '-e',
      `const tls = require('node:tls'); const fs = require('node:fs'); const path = require('node:path');
       const [dir, opts] = [process.argv[1], JSON.parse(process.argv[2])];
       const contexts = new Map();
       const load = (name) => tls.createSecureContext({ ...opts,
         cert: fs.readFileSync(path.join(dir, name + '.crt')), key: fs.readFileSync(path.join(dir, name + '.key')) });
       const server = tls.createServer({ ...opts, SNICallback(name, cb) {
         let ctx = contexts.get(name);
         if (!ctx) { try { ctx = load(name); } catch { return cb(null, undefined); } contexts.set(name, ctx); }
         cb(null, ctx);
       } }, (s) => s.end());
       server.listen(0, '127.0.0.1', () => console.log(server.address().port));`,
      String(ready.pemDir),
      JSON.stringify(SERVER_TLS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  process.on('exit', () => lean.kill());
  const leanPort = await new Promise<number>((r) =>
    lean.stdout.once('data', (d) => r(Number(String(d).trim()))),
  );
  console.error(
    `  ports: ours ${ready.port}, bare ${ready.barePort}, lean ${leanPort}, caddy ${caddyPort || 'none'}`,
  );
  port = leanPort;
  await run((i) => name(i), DOMAINS);
  const measureLean = async (names: (i: number) => string) => {
    const before = procCpuMicros(lean.pid!);
    await run(names, HANDSHAKES);
    return (procCpuMicros(lean.pid!) - before) / HANDSHAKES;
  };
  port = Number(ready.port);
  const measureCaddy = async (names: (i: number) => string) => {
    if (!caddyAll) return NaN;
    const before = caddyAll.cpuMicros();
    await run(names, HANDSHAKES);
    return (caddyAll.cpuMicros() - before) / HANDSHAKES;
  };
  const one: number[] = [];
  const many: number[] = [];
  const bareUs: number[] = [];
  const appUs: number[] = [];
  const leanUs: number[] = [];
  const caddy: { one: number[]; many: number[] } = { one: [], many: [] };
  const rate: { one: number[]; many: number[] } = { one: [], many: [] };
  // The machine's speed drifts over a run (other tenants, CPU frequency), by more than the differences measured here,
  // so every round measures all six in a different order (rotated, reversed every other round) and the comparison
  // with caddy is made round by round: each ratio compares two measures taken seconds apart.
  const measures: Array<() => Promise<void>> = [
    async () => {
      port = Number(ready.port);
      const a = await measure(() => name(0));
      one.push(a.us);
      rate.one.push(a.perSec);
    },
    async () => {
      port = Number(ready.port);
      const b = await measure(() => name(Math.floor(Math.random() * DOMAINS)));
      many.push(b.us);
      appUs.push(b.appUs);
      rate.many.push(b.perSec);
    },
    async () => {
      port = Number(ready.barePort);
      bareUs.push((await measure(() => name(0))).us);
    },
    async () => {
      port = leanPort;
      leanUs.push(await measureLean(() => name(Math.floor(Math.random() * DOMAINS))));
    },
    async () => {
      port = caddyPort;
      caddy.one.push(await measureCaddy(() => name(0)));
    },
    async () => {
      port = caddyPort;
      caddy.many.push(await measureCaddy(() => name(Math.floor(Math.random() * DOMAINS))));
    },
  ];
  for (let round = 0; round < ROUNDS; round++) {
    const order = measures.map((_, i) => measures[(i + round) % measures.length] as () => Promise<void>);
    if (round % 2 === 1) order.reverse();
    for (const m of order) await m();
  }
  port = Number(ready.port);
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  // Round by round (same round, measured seconds apart): ours with all domains over caddy with all domains.
  const pairRatios = many.map((x, i) => x / (caddy.many[i] as number)).filter((r) => Number.isFinite(r));
  const result = {
    domains: DOMAINS,
    client_close: CLOSE,
    front_allocator: ready.allocator,
    handshakes_per_round: HANDSHAKES,
    seed_seconds: ready.seedSeconds,
    warmup_seconds_first_handshake_each_name: warmSeconds,
    cpu_us_per_handshake_1_domain: Math.round(median(one)),
    cpu_us_per_handshake_all_domains: Math.round(median(many)),
    ratio: Number((median(many) / median(one)).toFixed(3)),
    cpu_us_per_handshake_bare_node_tls: Math.round(median(bareUs)),
    of_which_application_process_us: Math.round(median(appUs)),
    cpu_us_per_handshake_lean_process_sni_all_domains: Math.round(median(leanUs)),
    caddy_cpu_us_per_handshake_1_domain: Math.round(median(caddy.one)),
    caddy_cpu_us_per_handshake_all_domains: Math.round(median(caddy.many)),
    ours_vs_caddy_all_domains: Number((median(many) / median(caddy.many)).toFixed(3)),
    ours_vs_caddy_all_domains_median_of_round_ratios: Number(median(pairRatios).toFixed(3)),
    rounds_ours_below_caddy: `${pairRatios.filter((r) => r < 1).length}/${pairRatios.length}`,
    sign_test_p_two_sided: Number(signTest(pairRatios).toFixed(4)),
    caddy_rss_per_domain_kb: caddyMem
      ? Number(((caddyMem.all - caddyMem.one) / Math.max(1, DOMAINS - 1) / 1024).toFixed(1))
      : null,
    handshakes_per_s_1_domain: Math.round(median(rate.one)),
    handshakes_per_s_all_domains: Math.round(median(rate.many)),
    contexts_cached: memAfter.contexts,
    rss_per_domain_kb: Number(((Number(memAfter.rss) - Number(memBefore.rss)) / DOMAINS / 1024).toFixed(1)),
    front_rss_mb_before_after: [
      Number((Number(memBefore.frontRss) / 2 ** 20).toFixed(1)),
      Number((Number(memAfter.frontRss) / 2 ** 20).toFixed(1)),
    ],
    front_heap_per_domain_kb: Number(
      ((Number(memAfter.frontHeap) - Number(memBefore.frontHeap)) / DOMAINS / 1024).toFixed(1),
    ),
    rounds: {
      one: one.map(Math.round),
      many: many.map(Math.round),
      bare: bareUs.map(Math.round),
      lean: leanUs.map(Math.round),
      caddy_one: caddy.one.map(Math.round),
      caddy_many: caddy.many.map(Math.round),
    },
  };
  const portName = new Map([
    [Number(ready.port), 'ours'],
    [Number(ready.barePort), 'bare'],
    [leanPort, 'lean'],
    [caddyPort, 'caddy'],
    [pOneCaddy, 'caddy (1 domain)'],
  ]);
  for (const [p, f] of failures)
    console.error(`  ${f.count} failed handshake(s) made again on ${portName.get(p) ?? p}: ${f.last}`);
  console.log(JSON.stringify(result));
  console.table({
    '1 domain': {
      'server CPU µs/handshake': result.cpu_us_per_handshake_1_domain,
      'handshakes/s': result.handshakes_per_s_1_domain,
    },
    [`${DOMAINS} domains`]: {
      'server CPU µs/handshake': result.cpu_us_per_handshake_all_domains,
      'handshakes/s': result.handshakes_per_s_all_domains,
    },
    'bare node:tls, 1 cert, application main thread': {
      'server CPU µs/handshake': result.cpu_us_per_handshake_bare_node_tls,
      'handshakes/s': NaN,
    },
    [`bare node:tls SNI alone in a small process, ${DOMAINS} domains`]: {
      'server CPU µs/handshake': result.cpu_us_per_handshake_lean_process_sni_all_domains,
      'handshakes/s': NaN,
    },
    'caddy, 1 domain': {
      'server CPU µs/handshake': result.caddy_cpu_us_per_handshake_1_domain,
      'handshakes/s': NaN,
    },
    [`caddy, ${DOMAINS} domains`]: {
      'server CPU µs/handshake': result.caddy_cpu_us_per_handshake_all_domains,
      'handshakes/s': NaN,
    },
  });
  if (caddyAll)
    console.log(
      `  ours against caddy, ${DOMAINS} domains, round by round: median ratio ${result.ours_vs_caddy_all_domains_median_of_round_ratios}, ours below in ${result.rounds_ours_below_caddy} rounds (sign test p = ${result.sign_test_p_two_sided})`,
    );
  await caddyAll?.close();
  lean.kill();
  child.send({ type: 'exit' });
}

if (process.argv[2] === 'server') await server();
else await client();
