/**
 * Custom domains end to end against Pebble (Let's Encrypt's test CA) and a local DNS server: CNAME checks,
 * ACME HTTP-01 issuance, the SNI server, renewal, deletion, random SNI floods. Jobs run with an injected
 * clock through runner.drain(); nothing waits on wall-clock time for an assertion.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withSystem } from '../db/db.ts';
import { type Job, JobRunner, RetryAt } from '../jobs/queue.ts';
import { startTestDns, type TestDns } from '../test/dns.ts';
import { buildOperator, startTestApp, type TenantFixture, type TestApp } from '../test/harness.ts';
import { freePort, HAVE_PEBBLE, type Pebble, startPebble, warnIfNoPebble } from '../test/pebble.ts';
import { handshake, httpsRequest } from '../test/tls-node.ts';
import { tlsClock } from './clock.ts';
import { type HttpsListener, startHttpsServer } from './https.ts';
import { runCheck, runIssue } from './jobs.ts';
import { CHECK_KIND, DAY, ISSUE_KIND } from './lifecycle.ts';
import { countOrders } from './limits.ts';

warnIfNoPebble();

const TARGET = 'portal.example-platform.test';
const OPEN_LIMITS =
  'orders_per_minute=1000,orders_per_3h=10000,certs_per_domain_week=1000,failed_per_host_hour=100';

describe.skipIf(!HAVE_PEBBLE)('custom domains against Pebble', () => {
  let dns: TestDns;
  let pebble: Pebble;
  let t: TestApp;
  let https: HttpsListener;
  let op: TenantFixture;
  let runner: JobRunner;
  let checksOnly: JobRunner;
  let clock = new Date();
  let httpPort = 0;

  beforeAll(async () => {
    dns = await startTestDns();
    dns.set(TARGET, { a: ['127.0.0.1'] });
    httpPort = await freePort();
    const httpsPort = await freePort();
    pebble = await startPebble({ httpPort, dnsServer: dns.address, validitySeconds: 3600 });
    t = await startTestApp({
      PORTAL_CNAME_TARGET: TARGET,
      DNS_SERVERS: dns.address,
      ACME_DIRECTORY_URL: pebble.directoryUrl,
      ACME_CA_BUNDLE: pebble.caBundle,
      ACME_HTTP_PORT: String(httpPort),
      HTTPS_PORT: String(httpsPort),
      ACME_RATE_LIMITS: OPEN_LIMITS,
    });
    await t.app.listen({ port: httpPort, host: '127.0.0.1' });
    https = await startHttpsServer(t.app, t.deps, { port: httpsPort, host: '127.0.0.1' });
    tlsClock.now = () => clock;
    runner = new JobRunner(t.deps, { now: () => clock })
      .register(CHECK_KIND, runCheck)
      .register(ISSUE_KIND, runIssue);
    checksOnly = new JobRunner(t.deps, { now: () => clock }).register(CHECK_KIND, runCheck);
    op = await buildOperator(t);
  });

  // Certificates from Pebble are valid in real time: each test starts its clock at the real time (jobs that
  // earlier tests scheduled for later stay in the future).
  beforeEach(() => {
    clock = new Date();
  });

  afterAll(async () => {
    tlsClock.now = () => new Date();
    await https?.close();
    await t?.close();
    await pebble?.close();
    await dns?.close();
  });

  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  async function addDomain(domain: string, brand = 'Brand') {
    const res = await op.console.post('/api/v1/console/domains', { domain, brand_name: brand });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; state: string };
  }
  const detail = async (id: string) => (await op.console.get(`/api/v1/console/domains/${id}`)).json();
  const orders = (host: string) => withSystem(t.deps.db, (tx) => countOrders(tx, host));

  it('a CNAME to the target goes active: verified TLS, its own brand, timeline, HSTS, redirects, 421', async () => {
    dns.set('portal.brand-a.test', { cname: TARGET });
    dns.set('portal.brand-b.test', { cname: TARGET });
    const a = await addDomain('portal.brand-a.test', 'Brand A');
    const b = await addDomain('portal.brand-b.test', 'Brand B');
    expect(a.state).toBe('pending_dns');
    await runner.drain();
    const da = await detail(a.id);
    expect(da.state, JSON.stringify(da)).toBe('active');
    expect(da.reason).toBeNull();
    expect(da.expected_record).toEqual({
      name: 'portal.brand-a.test',
      type: 'CNAME',
      target: TARGET,
      ttl: 300,
    });
    expect(da.dns.seen.cname_chain).toEqual([TARGET]);
    expect(da.certificate.issuer).toMatch(/Pebble/);
    expect(new Date(da.certificate.not_after).getTime()).toBeGreaterThan(Date.now());
    expect(da.events.map((e: { to_state: string }) => e.to_state).reverse()).toEqual([
      'pending_dns',
      'dns_verified',
      'issuing',
      'active',
    ]);
    expect(await orders('portal.brand-a.test')).toBe(1);

    const hs = await handshake(https.port, 'portal.brand-a.test', pebble.rootPem);
    expect(hs).toMatchObject({ authorized: true, subject: 'portal.brand-a.test' });
    expect(hs.serial).toBe(da.certificate.serial.toUpperCase());

    const brandA = await httpsRequest(https.port, 'portal.brand-a.test', pebble.rootPem, '/api/v1/brand');
    const brandB = await httpsRequest(https.port, 'portal.brand-b.test', pebble.rootPem, '/api/v1/brand');
    expect(JSON.parse(brandA.body).brand_name).toBe('Brand A');
    expect(JSON.parse(brandB.body).brand_name).toBe('Brand B');
    expect(brandA.headers['strict-transport-security']).toBe('max-age=31536000');
    expect((await detail(b.id)).state).toBe('active');

    // Host must match the TLS server name: no fronting brand B through brand A's certificate.
    const fronted = await httpsRequest(
      https.port,
      'portal.brand-a.test',
      pebble.rootPem,
      '/api/v1/brand',
      'portal.brand-b.test',
    );
    expect(fronted.status).toBe(421);

    // Plain HTTP goes to HTTPS, except the ACME challenge path.
    const plain = await t.app.inject({ url: '/login?x=1', headers: { host: 'portal.brand-a.test' } });
    expect(plain.statusCode).toBe(308);
    expect(plain.headers.location).toBe(`https://portal.brand-a.test:${https.port}/login?x=1`);
    const challenge = await t.app.inject({
      url: '/.well-known/acme-challenge/unknown-token',
      headers: { host: 'portal.brand-a.test' },
    });
    expect(challenge.statusCode).toBe(404);
  });

  it('an A record is rejected with the records named and a flattening hint, and no order is placed', async () => {
    dns.set('direct.brand-c.test', { a: ['127.0.0.1'] });
    const d = await addDomain('direct.brand-c.test');
    await runner.drain();
    const got = await detail(d.id);
    expect(got.state).toBe('pending_dns');
    expect(got.reason).toBe('a_record_not_cname');
    expect(got.reason_message).toContain('A 127.0.0.1');
    expect(got.reason_message).toMatch(/flatten/);
    expect(got.dns.seen.a).toEqual(['127.0.0.1']);
    expect(await orders('direct.brand-c.test')).toBe(0);
    // The next check is scheduled about a minute later, growing from there.
    expect(new Date(got.dns.next_check_at).getTime() - clock.getTime()).toBeGreaterThanOrEqual(60_000);
  });

  it('a CNAME to another name is cname_wrong_target; a two-hop chain to the target goes active', async () => {
    dns.set('elsewhere.example.test', { a: ['192.0.2.7'] });
    dns.set('wrong.brand-d.test', { cname: 'elsewhere.example.test' });
    const wrong = await addDomain('wrong.brand-d.test');
    dns.set('hop.brand-d.test', { cname: TARGET });
    dns.set('chain.brand-d.test', { cname: 'hop.brand-d.test' });
    const chain = await addDomain('chain.brand-d.test');
    await runner.drain();
    const w = await detail(wrong.id);
    expect(w.reason).toBe('cname_wrong_target');
    expect(w.reason_message).toContain('elsewhere.example.test');
    const c = await detail(chain.id);
    expect(c.state).toBe('active');
    expect(c.dns.seen.cname_chain).toEqual(['hop.brand-d.test', TARGET]);
    expect((await handshake(https.port, 'chain.brand-d.test', pebble.rootPem)).authorized).toBe(true);
  });

  it('NXDOMAIN is no_record, SERVFAIL is a transient dns_error, and neither takes an active domain down', async () => {
    const missing = await addDomain('missing.brand-e.test');
    dns.set('broken.brand-e.test', { servfail: true });
    const broken = await addDomain('broken.brand-e.test');
    await runner.drain();
    expect((await detail(missing.id)).reason).toBe('no_record');
    const b = await detail(broken.id);
    expect(b.reason).toBe('dns_error');
    expect(b.state).toBe('pending_dns');

    // Recovery once the record appears: the next scheduled check picks it up.
    dns.set('missing.brand-e.test', { cname: TARGET });
    advance(2 * 60_000);
    await runner.drain();
    const m = await detail(missing.id);
    expect(m.state).toBe('active');

    // A SERVFAIL on a re-check of an active domain changes nothing.
    dns.set('missing.brand-e.test', { servfail: true });
    advance(11_000);
    expect((await op.console.post(`/api/v1/console/domains/${m.id}/check`)).statusCode).toBe(200);
    expect(await checksOnly.drain()).toBe(1);
    const still = await detail(m.id);
    expect(still.state).toBe('active');
    expect(still.reason).toBeNull();
    expect((await handshake(https.port, 'missing.brand-e.test', pebble.rootPem)).authorized).toBe(true);
    dns.set('missing.brand-e.test', { cname: TARGET });
  });

  it('a CAA record that does not allow our CA is caa_forbids, with no order placed', async () => {
    dns.set('portal.brand-f.test', { cname: TARGET });
    dns.set('brand-f.test', { caa: [{ tag: 'issue', value: 'digicert.com' }] });
    const d = await addDomain('portal.brand-f.test');
    await runner.drain();
    const got = await detail(d.id);
    expect(got.reason).toBe('caa_forbids');
    expect(got.reason_message).toContain('digicert.com');
    expect(await orders('portal.brand-f.test')).toBe(0);
  });

  it('a self-probe that fails spends no order; a challenge answered 404 fails at the CA, backs off, then recovers', async () => {
    // The node drops every token for this name: our own probe gets 404 first, so no order is placed.
    await t.deps.db.exec(`
      CREATE TABLE test_drop_tokens (hostname text PRIMARY KEY, probe boolean NOT NULL);
      CREATE FUNCTION drop_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM test_drop_tokens d WHERE d.hostname = NEW.hostname
                    AND (d.probe OR NEW.key_authorization NOT LIKE 'probe.%')) THEN
          RETURN NULL;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER drop_tokens BEFORE INSERT ON acme_challenges FOR EACH ROW EXECUTE FUNCTION drop_tokens();
    `);
    const drop = (probe: boolean | null) =>
      probe === null
        ? t.deps.db.query('DELETE FROM test_drop_tokens')
        : t.deps.db.query(
            `INSERT INTO test_drop_tokens VALUES ('portal.brand-g.test', $1)
             ON CONFLICT (hostname) DO UPDATE SET probe = EXCLUDED.probe`,
            [probe],
          );
    await drop(true);
    dns.set('portal.brand-g.test', { cname: TARGET });
    const d = await addDomain('portal.brand-g.test');
    await runner.drain();
    let got = await detail(d.id);
    expect(got.state).toBe('failed');
    expect(got.reason).toBe('challenge_invalid');
    expect(got.reason_message).toMatch(/404/);
    expect(got.reason_message).toMatch(/no certificate was requested/);
    expect(await orders('portal.brand-g.test')).toBe(0);

    // Now only the CA's token is lost: the probe passes, Pebble's validation gets 404.
    await drop(false);
    advance(61_000);
    await runner.drain();
    got = await detail(d.id);
    expect(got.state).toBe('failed');
    expect(got.reason).toBe('challenge_invalid');
    expect(got.reason_message).toMatch(/404/);
    expect(await orders('portal.brand-g.test')).toBe(1);
    const notices = (await op.console.get(`/api/v1/console/domains/${d.id}/notices`)).json();
    expect(notices.items[0]).toMatchObject({ level: 'error', code: 'issuance_failed' });
    const mails = await withSystem(t.deps.db, (tx) =>
      tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jobs WHERE kind = 'mail.send' AND payload->>'to' = $1`,
        [op.email],
      ),
    );
    expect(mails[0]?.n).toBeGreaterThan(0);
    // Backed off: nothing runs again until the next attempt is due.
    expect(await runner.drain()).toBe(0);

    await drop(null);
    advance(6 * 60_000);
    await runner.drain();
    got = await detail(d.id);
    expect(got.state).toBe('active');
    expect((await handshake(https.port, 'portal.brand-g.test', pebble.rootPem)).authorized).toBe(true);
  });

  it('renews when a third of the lifetime remains, keeps serving the old certificate meanwhile, then serves the new serial', async () => {
    dns.set('portal.brand-h.test', { cname: TARGET });
    const d = await addDomain('portal.brand-h.test');
    await runner.drain();
    const first = await detail(d.id);
    expect(first.state).toBe('active');
    const oldSerial = (await handshake(https.port, 'portal.brand-h.test', pebble.rootPem)).serial;
    const renewAt = new Date(first.certificate.renew_at).getTime();
    const life =
      new Date(first.certificate.not_after).getTime() - new Date(first.certificate.not_before).getTime();
    const left = new Date(first.certificate.not_after).getTime() - renewAt;
    expect(left / life).toBeGreaterThanOrEqual(1 / 3);
    expect(left / life).toBeLessThanOrEqual(1 / 3 + 0.021);

    clock = new Date(Math.max(clock.getTime(), renewAt) + 1000);
    await checksOnly.drain();
    expect((await detail(d.id)).state).toBe('renewing');
    expect((await handshake(https.port, 'portal.brand-h.test', pebble.rootPem)).serial).toBe(oldSerial);

    await runner.drain();
    const renewed = await detail(d.id);
    expect(renewed.state).toBe('active');
    const hs = await handshake(https.port, 'portal.brand-h.test', pebble.rootPem);
    expect(hs.authorized).toBe(true);
    expect(hs.serial).not.toBe(oldSerial);
    expect(hs.serial).toBe(renewed.certificate.serial.toUpperCase());
    expect(renewed.events[0].message).toMatch(/renewed/);
  });

  it('warns the operator 21, 7 and 3 days before expiry when the certificate was not renewed', async () => {
    dns.set('portal.brand-i.test', { cname: TARGET });
    const d = await addDomain('portal.brand-i.test');
    await runner.drain();
    expect((await detail(d.id)).state).toBe('active');
    // Pretend a 90-day certificate whose renewal keeps failing (renewal time far away for this test).
    await withSystem(t.deps.db, async (tx) => {
      await tx.query(`UPDATE domain_certificates SET not_before = $2, not_after = $3 WHERE domain_id = $1`, [
        d.id,
        new Date(clock.getTime() - 69 * DAY),
        new Date(clock.getTime() + 21 * DAY - 60_000),
      ]);
      await tx.query(`UPDATE portal_domains SET next_renewal_at = $2 WHERE id = $1`, [
        d.id,
        new Date(clock.getTime() + 365 * DAY),
      ]);
    });
    await op.console.post(`/api/v1/console/domains/${d.id}/check`);
    await checksOnly.drain();
    advance(14 * DAY);
    await checksOnly.drain();
    advance(4 * DAY);
    await checksOnly.drain();
    const notices = (await op.console.get(`/api/v1/console/domains/${d.id}/notices?page_size=10`)).json();
    expect(notices.items.map((n: { code: string }) => n.code)).toEqual(['expiry_3', 'expiry_7', 'expiry_21']);
  });

  it('deleting a domain stops serving it at once, deletes its keys and tombstones the name', async () => {
    dns.set('portal.brand-j.test', { cname: TARGET });
    const d = await addDomain('portal.brand-j.test');
    await runner.drain();
    const live = await detail(d.id);
    expect(live.state, JSON.stringify(live)).toBe('active');
    expect((await handshake(https.port, 'portal.brand-j.test', pebble.rootPem)).authorized).toBe(true);
    expect((await op.console.del(`/api/v1/console/domains/${d.id}`)).statusCode).toBe(204);
    const after = await handshake(https.port, 'portal.brand-j.test', pebble.rootPem);
    expect(after.authorized).toBe(false);
    expect(after.subject).toBe(TARGET);
    const keys = await withSystem(t.deps.db, (tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM domain_certificates WHERE hostname = $1`, [
        'portal.brand-j.test',
      ]),
    );
    expect(keys[0]?.n).toBe(0);

    const other = await buildOperator(t);
    const refused = await other.console.post('/api/v1/console/domains', {
      domain: 'portal.brand-j.test',
      brand_name: 'Squatter',
    });
    expect(refused.statusCode).toBe(409);
    const body = refused.json();
    expect(body.error).toBe('domain_recently_removed');
    dns.set(body.verification.name, { txt: [body.verification.value] });
    const claimed = await other.console.post('/api/v1/console/domains', {
      domain: 'portal.brand-j.test',
      brand_name: 'New owner',
    });
    expect(claimed.statusCode, claimed.body).toBe(201);
  });

  it('two issuers racing for the same name place one order (per-hostname lease); the loser backs off', async () => {
    const host = 'portal.race.test';
    dns.set(host, { cname: TARGET });
    const d = await addDomain(host, 'Race');
    await checksOnly.drain();
    expect((await detail(d.id)).state).toBe('dns_verified');
    const job: Job = {
      id: '0',
      operatorId: op.operatorId,
      kind: ISSUE_KIND,
      key: d.id,
      payload: {},
      attempts: 1,
      maxAttempts: 5,
      runAt: clock,
    };
    const outcomes = await Promise.allSettled([runIssue(job, t.deps), runIssue(job, t.deps)]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(RetryAt);
    expect(await orders(host)).toBe(1);
    expect((await detail(d.id)).state).toBe('active');
  });

  it('1,000 random server names get the default certificate and cause no order and few database reads', async () => {
    const before = await withSystem(t.deps.db, (tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM acme_rate_events WHERE bucket = 'order'`),
    );
    const jobsBefore = await withSystem(t.deps.db, (tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE kind = 'domain.issue'`),
    );
    const names = Array.from(
      { length: 1000 },
      (_, i) => `r${i}-${Math.random().toString(36).slice(2, 8)}.flood.test`,
    );
    const { loads } = await https.stats();
    for (let i = 0; i < names.length; i += 100) {
      const batch = await Promise.all(
        names.slice(i, i + 100).map((n) => handshake(https.port, n, pebble.rootPem)),
      );
      for (const h of batch) expect(h.authorized).toBe(false);
    }
    expect((await https.stats()).loads - loads).toBe(1000);
    // The latest names again: answered from the negative cache.
    await Promise.all(names.slice(-50).map((n) => handshake(https.port, n, pebble.rootPem)));
    expect((await https.stats()).loads - loads).toBe(1000);
    const after = await withSystem(t.deps.db, (tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM acme_rate_events WHERE bucket = 'order'`),
    );
    const jobsAfter = await withSystem(t.deps.db, (tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE kind = 'domain.issue'`),
    );
    expect(after[0]?.n).toBe(before[0]?.n);
    expect(jobsAfter[0]?.n).toBe(jobsBefore[0]?.n);
  }, 300_000);
});

describe.skipIf(!HAVE_PEBBLE)('ACME with Pebble rejecting half of the nonces', () => {
  it('still issues (badNonce is retried)', async () => {
    const dns = await startTestDns();
    dns.set(TARGET, { a: ['127.0.0.1'] });
    const httpPort = await freePort();
    const pebble = await startPebble({ httpPort, dnsServer: dns.address, nonceReject: 50 });
    const t = await startTestApp({
      PORTAL_CNAME_TARGET: TARGET,
      DNS_SERVERS: dns.address,
      ACME_DIRECTORY_URL: pebble.directoryUrl,
      ACME_CA_BUNDLE: pebble.caBundle,
      ACME_HTTP_PORT: String(httpPort),
      ACME_RATE_LIMITS: OPEN_LIMITS,
    });
    try {
      await t.app.listen({ port: httpPort, host: '127.0.0.1' });
      const clock = new Date();
      tlsClock.now = () => clock;
      const runner = new JobRunner(t.deps, { now: () => clock })
        .register(CHECK_KIND, runCheck)
        .register(ISSUE_KIND, runIssue);
      const op = await buildOperator(t);
      dns.set('portal.nonce.test', { cname: TARGET });
      const d = (
        await op.console.post('/api/v1/console/domains', { domain: 'portal.nonce.test', brand_name: 'N' })
      ).json();
      await runner.drain();
      const got = (await op.console.get(`/api/v1/console/domains/${d.id}`)).json();
      expect(got.state, `${got.reason_message}\n${pebble.log().slice(-2000)}`).toBe('active');
      expect(pebble.log()).toMatch(/badNonce|bad nonce|nonce/i);
    } finally {
      tlsClock.now = () => new Date();
      await t.close();
      await pebble.close();
      await dns.close();
    }
  });
});
