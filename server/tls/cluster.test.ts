/**
 * Two application nodes on one PostgreSQL server (separate connection pools, job runners, HTTP and HTTPS
 * listeners): a domain is ordered exactly once, the HTTP-01 token is answered by the node the CA reaches,
 * and both nodes serve the new certificate after NOTIFY, without restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import type { Deps } from '../context.ts';
import { type Db, openDb, withSystem } from '../db/db.ts';
import { createMailer } from '../emails/mailer.ts';
import { loadEnv } from '../env.ts';
import { type Job, JobRunner, RetryAt } from '../jobs/queue.ts';
import { secretBox } from '../lib/secrets.ts';
import { DOMAIN_CHANNEL, SiteResolver } from '../plugins/sites.ts';
import { testDb } from '../test/db.ts';
import { startTestDns, type TestDns } from '../test/dns.ts';
import { buildOperator, CONSOLE, type TenantFixture, type TestApp } from '../test/harness.ts';
import { freePort, HAVE_PEBBLE, type Pebble, startPebble, warnIfNoPebble } from '../test/pebble.ts';
import { handshake } from '../test/tls-node.ts';
import { tlsClock } from './clock.ts';
import { CERT_CHANNEL } from './events.ts';
import { type HttpsListener, startHttpsServer } from './https.ts';
import { runCheck, runIssue } from './jobs.ts';
import { CHECK_KIND, ISSUE_KIND } from './lifecycle.ts';
import { countOrders } from './limits.ts';

warnIfNoPebble();
const SERVER = Boolean(process.env.DATABASE_URL);
if (!SERVER) console.warn('\n  Two-node TLS test SKIPPED: it needs a PostgreSQL server (DATABASE_URL)\n');

const TARGET = 'portal.example-platform.test';

interface Node {
  t: TestApp;
  db: Db;
  https: HttpsListener;
  runner: JobRunner;
}

describe.skipIf(!HAVE_PEBBLE || !SERVER)('two nodes on one PostgreSQL server', () => {
  let dns: TestDns;
  let pebble: Pebble;
  let a: Node;
  let b: Node;
  let op: TenantFixture;
  let closeDb: () => Promise<void>;
  const clock = new Date();

  beforeAll(async () => {
    dns = await startTestDns();
    dns.set(TARGET, { a: ['127.0.0.1'] });
    const challengePort = await freePort();
    pebble = await startPebble({ httpPort: challengePort, dnsServer: dns.address });
    const main = await testDb();
    closeDb = main.close;
    const env = loadEnv({
      CONSOLE_HOST: CONSOLE,
      LOG_LEVEL: 'silent',
      SECRET_KEY: 'test-secret',
      DEMO: 'false',
      PORTAL_CNAME_TARGET: TARGET,
      DNS_SERVERS: dns.address,
      ACME_DIRECTORY_URL: pebble.directoryUrl,
      ACME_CA_BUNDLE: pebble.caBundle,
      ACME_HTTP_PORT: String(challengePort),
    });
    const node = async (db: Db, httpPort: number): Promise<Node> => {
      const sites = new SiteResolver(db, env.consoleHost);
      await db.listen(DOMAIN_CHANNEL, (host) => sites.invalidate(host || undefined));
      const deps: Deps = { db, env, box: secretBox('test-secret'), sites, mailer: createMailer() };
      const app = await buildApp(deps);
      await app.listen({ port: httpPort, host: '127.0.0.1' });
      const https = await startHttpsServer(app, deps, { port: await freePort(), host: '127.0.0.1' });
      const runner = new JobRunner(deps, { now: () => clock, node: `node-${httpPort}` })
        .register(CHECK_KIND, runCheck)
        .register(ISSUE_KIND, runIssue);
      return { t: { app, deps, close: async () => app.close() }, db, https, runner };
    };
    // Node B listens where the CA sends its HTTP-01 requests; node A orders, so B answers A's tokens.
    a = await node(main.db, await freePort());
    b = await node(await openDb({ url: main.url, dataDir: null, poolSize: 4 }), challengePort);
    tlsClock.now = () => clock;
    op = await buildOperator(a.t);
  });

  afterAll(async () => {
    tlsClock.now = () => new Date();
    for (const n of [b, a]) {
      await n?.https.close();
      await n?.t.close();
    }
    await b?.db.close();
    await closeDb?.();
    await pebble?.close();
    await dns?.close();
  });

  const certNotice = (db: Db, host: string) =>
    new Promise<void>((resolve) => {
      void db.listen(CERT_CHANNEL, (h) => {
        if (h === host) resolve();
      });
    });

  it('orders once with both runners draining, and both nodes serve the certificate', async () => {
    const host = 'portal.cluster-one.test';
    dns.set(host, { cname: TARGET });
    // B has seen the name before (negative cache): NOTIFY must clear it.
    expect((await handshake(b.https.port, host, pebble.rootPem)).authorized).toBe(false);
    const notified = certNotice(b.db, host);
    const res = await op.console.post('/api/v1/console/domains', { domain: host, brand_name: 'Cluster' });
    expect(res.statusCode).toBe(201);
    await Promise.all([a.runner.drain(), b.runner.drain(), a.runner.drain(), b.runner.drain()]);
    await Promise.all([a.runner.drain(), b.runner.drain()]);
    const detail = (await op.console.get(`/api/v1/console/domains/${res.json().id}`)).json();
    expect(detail.state, JSON.stringify(detail)).toBe('active');
    expect(await withSystem(a.db, (tx) => countOrders(tx, host))).toBe(1);
    await notified;
    const ha = await handshake(a.https.port, host, pebble.rootPem);
    const hb = await handshake(b.https.port, host, pebble.rootPem);
    expect(ha.authorized).toBe(true);
    expect(hb.authorized).toBe(true);
    expect(hb.serial).toBe(ha.serial);
  });

  it('two nodes ordering the same name at the same moment place one order (per-hostname lease)', async () => {
    const host = 'portal.cluster-two.test';
    dns.set(host, { cname: TARGET });
    const res = await op.console.post('/api/v1/console/domains', { domain: host, brand_name: 'Cluster 2' });
    const id = res.json().id as string;
    const checks = new JobRunner(a.t.deps, { now: () => clock }).register(CHECK_KIND, runCheck);
    await checks.drain();
    const job: Job = {
      id: '0',
      operatorId: op.operatorId,
      kind: ISSUE_KIND,
      key: id,
      payload: {},
      attempts: 1,
      maxAttempts: 5,
      runAt: clock,
    };
    const outcomes = await Promise.allSettled([runIssue(job, a.t.deps), runIssue(job, b.t.deps)]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(RetryAt);
    expect(await withSystem(a.db, (tx) => countOrders(tx, host))).toBe(1);
    const detail = (await op.console.get(`/api/v1/console/domains/${id}`)).json();
    expect(detail.state).toBe('active');
  });
});
