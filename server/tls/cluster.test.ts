/**
 * Two application processes on one PostgreSQL server, each started from the real entry point
 * (`node --import tsx server/main.ts`: HTTP, HTTPS with SNI, the job worker, the NOTIFY listeners), driven
 * like an operator through the console API of either node. A certificate is ordered exactly once even when
 * both nodes are asked at the same moment; the HTTP-01 token is answered by node A (the only node the CA
 * reaches) whichever node placed the order; both nodes serve the certificate and its brand over HTTPS, and a
 * renewal reaches both through NOTIFY, without restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { withSystem } from '../db/db.ts';
import { createMailer } from '../emails/mailer.ts';
import { loadEnv } from '../env.ts';
import { createOperator } from '../features/operators/operators.service.ts';
import { secretBox } from '../lib/secrets.ts';
import { SiteResolver } from '../plugins/sites.ts';
import { type AppProcess, type HttpResult, httpRequest, spawnApp } from '../test/app-process.ts';
import { testDb } from '../test/db.ts';
import { startTestDns, type TestDns } from '../test/dns.ts';
import { CONSOLE } from '../test/harness.ts';
import { freePort, HAVE_PEBBLE, type Pebble, startPebble, warnIfNoPebble } from '../test/pebble.ts';
import { handshake, httpsRequest } from '../test/tls-node.ts';
import { CHALLENGE_PREFIX } from './http.ts';
import { CHECK_KIND, ISSUE_KIND } from './lifecycle.ts';
import { countOrders } from './limits.ts';

warnIfNoPebble();
const SERVER = Boolean(process.env.DATABASE_URL);
if (!SERVER) console.warn('\n  Two-node TLS test SKIPPED: it needs a PostgreSQL server (DATABASE_URL)\n');

const TARGET = 'portal.example-platform.test';
const SECRET_KEY = 'cluster-test-secret';
/** Generous: polling ends as soon as the condition holds; the deadline only bounds a broken run. */
const DEADLINE_MS = 90_000;

interface DomainDetail {
  id: string;
  state: string;
  dns: { checked_at: string | null };
  certificate: { serial: string } | null;
}

describe.skipIf(!HAVE_PEBBLE || !SERVER)('two app processes on one PostgreSQL server', () => {
  let dns: TestDns;
  let pebble: Pebble;
  let db: Db;
  let closeDb: () => Promise<void>;
  let dataDir: string;
  let a: AppProcess;
  let b: AppProcess;
  const nodes: AppProcess[] = [];
  let cookie = '';

  /** The end of what each node and the CA printed, for failure messages. */
  const why = () =>
    [
      ...nodes.map(
        (n) => `--- node ${n.name} (${n.alive() ? 'running' : 'exited'}) ---\n${n.output().slice(-8000)}`,
      ),
      `--- pebble ---\n${pebble?.log().slice(-4000)}`,
    ].join('\n');

  async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > deadline)
        throw new Error(`${what}: not reached within ${DEADLINE_MS / 1000} s\n${why()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A signed-in browser on the console host: same cookie and Origin on whichever node it reaches. */
  const consoleCall = (node: AppProcess, method: string, url: string, body?: unknown) =>
    httpRequest(node.httpPort, {
      method,
      path: url,
      host: CONSOLE,
      headers: { origin: `http://${CONSOLE}`, ...(cookie ? { cookie } : {}) },
      body,
    });
  const json = (r: HttpResult) => JSON.parse(r.body);

  async function detail(node: AppProcess, id: string): Promise<DomainDetail> {
    const r = await consoleCall(node, 'GET', `/api/v1/console/domains/${id}`);
    expect(r.status, r.body).toBe(200);
    return json(r);
  }

  /** The operator pressing “Check now” on both nodes at the same moment; one press may be refused (10 s). */
  async function checkNowOnBoth(id: string): Promise<void> {
    const presses = await Promise.all(
      [a, b].map((n) => consoleCall(n, 'POST', `/api/v1/console/domains/${id}/check`, {})),
    );
    for (const p of presses) expect([200, 429], p.body).toContain(p.status);
    expect(presses.some((p) => p.status === 200)).toBe(true);
  }

  /** Polls until the domain is active with a certificate other than `previous`. */
  const activeWith = (id: string, previous: string | null) =>
    until(`domain ${id} active with a new certificate`, async () => {
      const d = await detail(b, id);
      if (d.state === 'failed') throw new Error(`issuance failed: ${JSON.stringify(d)}\n${why()}`);
      return d.state === 'active' && d.certificate && d.certificate.serial !== previous ? d : null;
    });

  /** Certificate rows of a hostname and the ACME orders counted for it, read from the shared database. */
  const stored = (host: string) =>
    withSystem(db, async (tx) => ({
      orders: await countOrders(tx, host),
      certs: await tx.query<{ serial: string; superseded_at: Date | null }>(
        'SELECT serial, superseded_at FROM domain_certificates WHERE hostname = $1',
        [host],
      ),
    }));

  /** Waits until node serves `serial` for host with a certificate that verifies against the CA's root. */
  const serves = (node: AppProcess, host: string, serial: string) =>
    until(`node ${node.name} serving ${serial} for ${host}`, async () => {
      const h = await handshake(node.httpsPort, host, pebble.rootPem).catch((err: Error) => {
        throw new Error(`node ${node.name}: TLS handshake for ${host} failed: ${err.message}\n${why()}`);
      });
      return h.authorized && h.serial === serial.toUpperCase() ? h : null;
    });

  /** Challenge URLs of host that a node answered with 200, from its request log. */
  function challengesAnswered(node: AppProcess, host: string): Set<string> {
    const asked = new Map<string, string>();
    const answered = new Set<string>();
    for (const line of node.output().split('\n')) {
      let e: { reqId?: string; req?: { url?: string; host?: string }; res?: { statusCode?: number } };
      try {
        e = JSON.parse(line);
      } catch {
        continue; // not a log record (or the unfinished last line)
      }
      const url = e.req?.url;
      if (e.reqId && url?.startsWith(CHALLENGE_PREFIX) && e.req?.host?.split(':')[0] === host) {
        asked.set(e.reqId, url);
      }
      const done = e.reqId && e.res?.statusCode === 200 ? asked.get(e.reqId) : undefined;
      if (done) answered.add(done);
    }
    return answered;
  }

  /** What the CA saw, from its log: orders created, and the challenge URLs it fetched for host. */
  const caOrders = () => pebble.log().match(/Added order "/g)?.length ?? 0;
  const caChallenges = (host: string) =>
    new Set(
      [...pebble.log().matchAll(/Attempting to validate w\/ HTTP: http:\/\/([^/:\s]+)[^/\s]*(\/\S+)/g)]
        .filter((m) => m[1] === host)
        .map((m) => String(m[2])),
    );

  beforeAll(async () => {
    dns = await startTestDns();
    dns.set(TARGET, { a: ['127.0.0.1'] });
    // The CA's validation requests go to this port only: node A's HTTP listener.
    const challengePort = await freePort();
    pebble = await startPebble({ httpPort: challengePort, dnsServer: dns.address });
    const test = await testDb();
    db = test.db;
    closeDb = test.close;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpp-cluster-'));
    const env = {
      DATABASE_URL: String(test.url),
      DATA_DIR: dataDir,
      DEMO: 'false',
      SECRET_KEY,
      HOST: '127.0.0.1',
      CONSOLE_HOST: CONSOLE,
      PORTAL_CNAME_TARGET: TARGET,
      DNS_SERVERS: dns.address,
      ACME_DIRECTORY_URL: pebble.directoryUrl,
      ACME_CA_BUNDLE: pebble.caBundle,
      // The self-probe of whichever node orders also goes to node A.
      ACME_HTTP_PORT: String(challengePort),
      // Request logs: they show which node answered the CA's challenge requests.
      LOG_LEVEL: 'info',
    };
    a = spawnApp('A', { http: challengePort, https: await freePort() }, env);
    nodes.push(a);
    b = spawnApp('B', { http: await freePort(), https: await freePort() }, env);
    nodes.push(b);
    await Promise.all(nodes.map((n) => n.ready()));

    // The operator account is made the way `admin create-operator` makes it; then the operator signs in on A.
    const email = 'cluster-operator@example.test';
    const password = 'operator-password-1';
    const deps = {
      db,
      env: loadEnv({ ...env, LOG_LEVEL: 'silent' }),
      box: secretBox(SECRET_KEY),
      sites: new SiteResolver(db, CONSOLE),
      mailer: createMailer(),
    };
    await createOperator(deps, { name: 'Cluster Operator', email, password });
    const login = await consoleCall(a, 'POST', '/api/v1/auth/login', { email, password });
    expect(login.status, login.body).toBe(200);
    const sid = [login.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('sid='));
    cookie = String(sid).split(';')[0] ?? '';
  }, 240_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await closeDb?.();
    await pebble?.close();
    await dns?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const first = { host: 'portal.cluster-one.test', id: '', serial: '' };

  it('orders once when "Check now" is pressed on both nodes at once; both serve the certificate', async () => {
    const { host } = first;
    // Both nodes look the name up before it has a certificate (negative cache): NOTIFY must clear it.
    for (const n of nodes)
      expect((await handshake(n.httpsPort, host, pebble.rootPem)).authorized).toBe(false);

    // Added on B while its CNAME is not there yet: the first automatic check finds nothing.
    const created = await consoleCall(b, 'POST', '/api/v1/console/domains', {
      domain: host,
      brand_name: 'Cluster One',
    });
    expect(created.status, created.body).toBe(201);
    first.id = json(created).id;
    // Waits for the job to be queued again too: "Check now" while the check is running would be absorbed by it.
    await until('first automatic DNS check', async () => {
      const d = await detail(a, first.id);
      const [job] = await withSystem(db, (tx) =>
        tx.query<{ state: string }>('SELECT state FROM jobs WHERE kind = $1 AND key = $2', [
          CHECK_KIND,
          first.id,
        ]),
      );
      return d.state === 'pending_dns' && d.dns.checked_at !== null && job?.state === 'queued';
    });

    dns.set(host, { cname: TARGET });
    const ordersBefore = caOrders();
    await checkNowOnBoth(first.id);
    const active = await activeWith(first.id, null);
    const serial = String(active.certificate?.serial);
    first.serial = serial;

    // Exactly one order (counted by the platform and by the CA), one certificate, one finished issuance job.
    const { orders, certs } = await stored(host);
    expect(orders, why()).toBe(1);
    expect(caOrders() - ordersBefore, why()).toBe(1);
    expect(certs).toEqual([{ serial, superseded_at: null }]);
    const jobs = await withSystem(db, (tx) =>
      tx.query<{ state: string }>('SELECT state FROM jobs WHERE kind = $1 AND key = $2', [
        ISSUE_KIND,
        first.id,
      ]),
    );
    expect(jobs.map((j) => j.state)).toEqual(['done']);

    // The CA's token was answered by node A (the only node it reaches) from the database, whichever node ordered.
    const asked = caChallenges(host);
    const answered = challengesAnswered(a, host);
    expect(asked.size, why()).toBe(1);
    expect(
      [...asked].filter((url) => !answered.has(url)),
      why(),
    ).toEqual([]);

    // Both processes serve the same verified certificate, and the domain's brand behind it.
    const [ha, hb] = await Promise.all(nodes.map((n) => serves(n, host, serial)));
    expect(ha?.subject).toBe(host);
    expect(hb?.serial).toBe(ha?.serial);
    for (const n of nodes) {
      const brand = await httpsRequest(n.httpsPort, host, pebble.rootPem, '/api/v1/brand');
      expect(brand.status, `node ${n.name}: ${brand.body}`).toBe(200);
      expect(JSON.parse(brand.body).brand_name).toBe('Cluster One');
    }
    for (const n of nodes) expect(n.alive(), why()).toBe(true);
  });

  it('a name whose lease another node holds is not ordered until the lease is released', async () => {
    const host = 'portal.cluster-two.test';
    dns.set(host, { cname: TARGET });
    await withSystem(db, (tx) =>
      tx.query(
        `INSERT INTO acme_locks (hostname, holder, expires_at) VALUES ($1, 'a third node', now() + interval '10 minutes')`,
        [host],
      ),
    );
    const created = await consoleCall(a, 'POST', '/api/v1/console/domains', {
      domain: host,
      brand_name: 'Cluster Two',
    });
    expect(created.status, created.body).toBe(201);
    const id = json(created).id as string;
    // The DNS check passes and a worker tries to order, but steps back while the lease is held elsewhere.
    await until('issuance refused by the lease', async () => {
      const rows = await withSystem(db, (tx) =>
        tx.query<{ last_error: string | null }>('SELECT last_error FROM jobs WHERE kind = $1 AND key = $2', [
          ISSUE_KIND,
          id,
        ]),
      );
      return rows.some((r) => r.last_error?.includes('another node is ordering this name'));
    });
    expect((await stored(host)).orders).toBe(0);
    expect((await detail(b, id)).state).toBe('dns_verified');
    expect(caChallenges(host).size).toBe(0);

    await withSystem(db, (tx) => tx.query('DELETE FROM acme_locks WHERE hostname = $1', [host]));
    const ordersBefore = caOrders();
    await checkNowOnBoth(id);
    const active = await activeWith(id, null);
    const serial = String(active.certificate?.serial);
    expect((await stored(host)).orders, why()).toBe(1);
    expect(caOrders() - ordersBefore, why()).toBe(1);
    await Promise.all(nodes.map((n) => serves(n, host, serial)));
  });

  it('a renewal asked on both nodes at once orders once more; both switch to it without restart', async () => {
    const { host, id, serial: old } = first;
    expect(old, 'needs the certificate of the first test').not.toBe('');
    // Both nodes hold the current certificate in their SNI cache until it expires: only a notice replaces it.
    await Promise.all(nodes.map((n) => serves(n, host, old)));
    // The renewal time has come (and the 10 s between two manual checks has passed).
    await withSystem(db, (tx) =>
      tx.query(
        `UPDATE portal_domains SET next_renewal_at = now() - interval '1 minute', manual_check_at = NULL WHERE id = $1`,
        [id],
      ),
    );
    const ordersBefore = caOrders();
    await checkNowOnBoth(id);
    const renewed = await activeWith(id, old);
    const serial = String(renewed.certificate?.serial);

    const { orders, certs } = await stored(host);
    expect(orders, why()).toBe(2);
    expect(caOrders() - ordersBefore, why()).toBe(1);
    // The superseded certificate (and its key) is gone; only the new one is stored.
    expect(certs).toEqual([{ serial, superseded_at: null }]);
    await Promise.all(nodes.map((n) => serves(n, host, serial)));
    for (const n of nodes) expect(n.alive(), why()).toBe(true);
  });
});
