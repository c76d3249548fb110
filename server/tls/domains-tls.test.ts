/**
 * The parts of custom domains that need no CA: the DNS checker against a local DNS server, CAA rules,
 * the mapping of real ACME problem documents, rate limits with an injected clock, the check schedule,
 * "check now" and notices through the console API.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../db/db.ts';
import { JobRunner } from '../jobs/queue.ts';
import { startTestDns, type TestDns } from '../test/dns.ts';
import { buildOperator, startTestApp, type TenantFixture, type TestApp } from '../test/harness.ts';
import { classifyProblem, retryAfter } from './acme.ts';
import { tlsClock } from './clock.ts';
import { caaAllows, checkDns } from './dns.ts';
import { runCheck } from './jobs.ts';
import { CHECK_KIND, checkBackoffMs, DAY, issueBackoffMs, renewalTime } from './lifecycle.ts';
import { checkLimits, limitsFrom, recordLimitEvent, registeredDomain } from './limits.ts';

const TARGET = 'portal.example-platform.test';

describe('DNS checks', () => {
  let dns: TestDns;
  const opts = () => ({ servers: [dns.address], target: TARGET, caaIdentities: ['letsencrypt.org'] });

  beforeAll(async () => {
    dns = await startTestDns();
    dns.set(TARGET, { a: ['198.51.100.10'], aaaa: ['2001:db8::10'] });
  });
  afterAll(() => dns.close());

  it('accepts a direct CNAME and a chain, recording every hop', async () => {
    dns.set('ok.example.test', { cname: TARGET });
    dns.set('c1.example.test', { cname: 'c2.example.test' });
    dns.set('c2.example.test', { cname: TARGET });
    expect(await checkDns('ok.example.test', opts())).toMatchObject({
      ok: true,
      seen: { cname_chain: [TARGET] },
    });
    expect(await checkDns('c1.example.test', opts())).toMatchObject({
      ok: true,
      seen: { cname_chain: ['c2.example.test', TARGET] },
    });
  });

  it('rejects address records, naming them, with the flattening hint only when they are ours', async () => {
    dns.set('a.example.test', { a: ['192.0.2.1'], aaaa: ['2001:db8::1'] });
    const other = await checkDns('a.example.test', opts());
    expect(other).toMatchObject({ ok: false, reason: 'a_record_not_cname', transient: false });
    if (other.ok) throw new Error('unreachable');
    expect(other.message).toContain('A 192.0.2.1');
    expect(other.message).toContain('AAAA 2001:db8::1');
    expect(other.message).not.toMatch(/flatten/);
    dns.set('flat.example.test', { a: ['198.51.100.10'] });
    const flat = await checkDns('flat.example.test', opts());
    expect(flat.ok === false && flat.message).toMatch(/flatten/);
  });

  it('names wrong targets, loops, over-long chains, missing names and SERVFAIL', async () => {
    dns.set('w.example.test', { cname: 'someone-else.example.net' });
    dns.set('loop1.example.test', { cname: 'loop2.example.test' });
    dns.set('loop2.example.test', { cname: 'loop1.example.test' });
    for (let i = 0; i < 10; i++) dns.set(`h${i}.example.test`, { cname: `h${i + 1}.example.test` });
    dns.set('h10.example.test', { cname: TARGET });
    dns.set('sf.example.test', { servfail: true });
    expect(await checkDns('w.example.test', opts())).toMatchObject({ reason: 'cname_wrong_target' });
    expect(await checkDns('loop1.example.test', opts())).toMatchObject({ reason: 'cname_loop' });
    expect(await checkDns('h0.example.test', opts())).toMatchObject({ reason: 'cname_loop' });
    expect(await checkDns('nothing.example.test', opts())).toMatchObject({
      reason: 'no_record',
      transient: false,
    });
    expect(await checkDns('sf.example.test', opts())).toMatchObject({ reason: 'dns_error', transient: true });
  });

  it('reports a DNS server that does not answer as a transient timeout', async () => {
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
    try {
      const v = await checkDns('x.example.test', {
        ...opts(),
        servers: [`127.0.0.1:${silent.address().port}`],
        timeoutMs: 200,
      });
      expect(v).toMatchObject({ ok: false, reason: 'dns_error', transient: true });
      expect(v.ok === false && v.message).toMatch(/timed out/);
    } finally {
      silent.close();
    }
  });

  it('checks CAA up to the registrable domain: inherited, allowed, critical, transient', async () => {
    dns.set('p.caa-one.test', { cname: TARGET });
    dns.set('caa-one.test', { caa: [{ tag: 'issue', value: 'digicert.com' }] });
    expect(await checkDns('p.caa-one.test', opts())).toMatchObject({ ok: false, reason: 'caa_forbids' });
    dns.set('caa-one.test', { caa: [{ tag: 'issue', value: 'letsencrypt.org; validationmethods=http-01' }] });
    expect(await checkDns('p.caa-one.test', opts())).toMatchObject({ ok: true });
    dns.set('caa-one.test', { caa: [{ flags: 128, tag: 'tbs', value: 'x' }] });
    expect(await checkDns('p.caa-one.test', opts())).toMatchObject({ reason: 'caa_forbids' });
    dns.set('caa-one.test', { servfail: true });
    expect(await checkDns('p.caa-one.test', opts())).toMatchObject({ reason: 'dns_error', transient: true });
  });

  it('applies the CAA rules of RFC 8659', () => {
    const ids = ['letsencrypt.org'];
    expect(caaAllows([], ids)).toBeNull();
    expect(caaAllows([{ critical: 0, iodef: 'mailto:x@example.test' }], ids)).toBeNull();
    expect(caaAllows([{ critical: 0, issue: ';' }], ids)).not.toBeNull();
    expect(caaAllows([{ critical: 0, issue: 'LetsEncrypt.org' }], ids)).toBeNull();
    expect(
      caaAllows(
        [
          { critical: 0, issue: 'pki.goog' },
          { critical: 0, issue: 'letsencrypt.org' },
        ],
        ids,
      ),
    ).toBeNull();
  });
});

describe('ACME problem documents', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it("maps Let's Encrypt's errors to our reasons", () => {
    const rl = classifyProblem(
      {
        type: 'urn:ietf:params:acme:error:rateLimited',
        detail: 'too many certificates (50) already issued for "example.com" in the last 168h0m0s',
        status: 429,
        retryAfter: '3600',
      },
      '',
      now,
    );
    expect(rl).toMatchObject({ reason: 'acme_rate_limited', failedValidation: false });
    expect(rl.retryAt?.toISOString()).toBe('2026-01-01T01:00:00.000Z');
    expect(
      classifyProblem(
        {
          type: 'urn:ietf:params:acme:error:caa',
          detail: 'CAA record for example.com prevents issuance',
          status: 403,
        },
        '',
        now,
      ).reason,
    ).toBe('caa_forbids');
    for (const type of ['unauthorized', 'connection', 'dns', 'incorrectResponse']) {
      const f = classifyProblem({ type: `urn:ietf:params:acme:error:${type}`, detail: 'x' }, '', now);
      expect(f).toMatchObject({ reason: 'challenge_invalid', failedValidation: true });
    }
    expect(
      classifyProblem({ type: 'urn:ietf:params:acme:error:serverInternal' }, 'boom', now).reason,
    ).toBeNull();
    expect(classifyProblem(null, 'socket hang up', now).reason).toBeNull();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfter('120', now)?.toISOString()).toBe('2026-01-01T00:02:00.000Z');
    expect(retryAfter('Thu, 01 Jan 2026 05:00:00 GMT', now)?.toISOString()).toBe('2026-01-01T05:00:00.000Z');
    expect(retryAfter('soon', now)).toBeNull();
  });
});

describe('schedules', () => {
  it('backs off checks from a minute to four hours, and issuance from 1 minute to 6 hours', () => {
    expect(checkBackoffMs(1)).toBe(60_000);
    expect(checkBackoffMs(2)).toBeCloseTo(69_000, -2);
    expect(checkBackoffMs(100)).toBe(4 * 3_600_000);
    expect([1, 2, 3, 4, 5, 6, 9].map(issueBackoffMs)).toEqual([
      60_000, 300_000, 1_200_000, 3_600_000, 10_800_000, 21_600_000, 21_600_000,
    ]);
  });

  it('renews with a third of the lifetime left, minus at most 2 % jitter', () => {
    const nb = new Date('2026-01-01T00:00:00Z');
    const na = new Date(nb.getTime() + 90 * DAY);
    expect(renewalTime(nb, na, 0).toISOString()).toBe(new Date(na.getTime() - 30 * DAY).toISOString());
    expect(renewalTime(nb, na, 1).getTime()).toBe(na.getTime() - 30 * DAY - 1.8 * DAY);
  });
});

describe('with the database', () => {
  let t: TestApp;
  let op: TenantFixture;
  let clock = new Date('2026-03-01T00:00:00Z');

  beforeAll(async () => {
    t = await startTestApp({ PORTAL_CNAME_TARGET: TARGET, DNS_SERVERS: '127.0.0.1:9' });
    op = await buildOperator(t);
    tlsClock.now = () => clock;
  });
  afterAll(async () => {
    tlsClock.now = () => new Date();
    await t.close();
  });

  it('limits orders per minute and per 3 hours, certificates per registered domain, failures per host', async () => {
    const limits = limitsFrom({
      orders_per_minute: 2,
      orders_per_3h: 3,
      certs_per_domain_week: 2,
      failed_per_host_hour: 1,
    });
    const db = t.deps.db;
    const at = new Date('2026-02-01T00:00:00Z');
    const check = (host: string, when: Date) => withSystem(db, (tx) => checkLimits(tx, host, limits, when));
    expect((await check('a.one.test', at)).ok).toBe(true);
    await withSystem(db, (tx) => recordLimitEvent(tx, 'order', 'a.one.test', at));
    await withSystem(db, (tx) => recordLimitEvent(tx, 'order', 'b.one.test', at));
    const perMinute = await check('c.two.test', new Date(at.getTime() + 30_000));
    expect(perMinute).toMatchObject({ ok: false });
    expect(perMinute.ok === false && perMinute.retryAt.toISOString()).toBe('2026-02-01T00:01:00.000Z');
    expect((await check('c.two.test', new Date(at.getTime() + 61_000))).ok).toBe(true);
    await withSystem(db, (tx) =>
      recordLimitEvent(tx, 'order', 'c.two.test', new Date(at.getTime() + 61_000)),
    );
    const per3h = await check('d.two.test', new Date(at.getTime() + 3 * 60_000));
    expect(per3h.ok === false && per3h.message).toMatch(/3 hours/);
    const later = new Date(at.getTime() + 4 * 3_600_000);
    await withSystem(db, (tx) => recordLimitEvent(tx, 'cert', 'x.three.test', later));
    await withSystem(db, (tx) => recordLimitEvent(tx, 'cert', 'y.three.test', later));
    const perDomain = await check('z.three.test', new Date(later.getTime() + 1000));
    expect(perDomain.ok === false && perDomain.message).toMatch(/three\.test this week/);
    expect((await check('z.four.test', new Date(later.getTime() + 1000))).ok).toBe(true);
    await withSystem(db, (tx) => recordLimitEvent(tx, 'failed', 'z.four.test', later));
    const failed = await check('z.four.test', new Date(later.getTime() + 1000));
    expect(failed.ok === false && failed.message).toMatch(/failed validations/);
    expect(registeredDomain('a.b.example.co.uk')).toBe('example.co.uk');
  });

  it('keeps checking a pending domain with backoff for 7 days, then fails; "check now" restarts, at most once per 10 s', async () => {
    const runner = new JobRunner(t.deps, { now: () => clock }).register(CHECK_KIND, runCheck);
    const res = await op.console.post('/api/v1/console/domains', {
      domain: 'portal.never.test',
      brand_name: 'Never',
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    const detail = async () => (await op.console.get(`/api/v1/console/domains/${id}`)).json();
    expect((await detail()).next_step).toMatch(/CNAME record below/);
    let runs = 0;
    const start = clock.getTime();
    while (clock.getTime() - start < 7 * DAY + 5 * 3_600_000) {
      runs += await runner.drain();
      clock = new Date(clock.getTime() + 30 * 60_000);
    }
    const d = await detail();
    expect(d.state).toBe('failed');
    expect(d.reason).toBe('dns_error');
    expect(d.reason_message).toMatch(/Checks stopped after 7 days/);
    // About 1 minute growing by 15 % a try up to 4 hours: a few dozen checks over the week, not thousands.
    expect(runs).toBeGreaterThan(40);
    expect(runs).toBeLessThan(120);
    expect(await runner.drain()).toBe(0);

    const again = await op.console.post(`/api/v1/console/domains/${id}/check`);
    expect(again.statusCode).toBe(200);
    expect(again.json().state).toBe('pending_dns');
    expect(again.json().events[0].message).toMatch(/restarted/);
    const tooSoon = await op.console.post(`/api/v1/console/domains/${id}/check`);
    expect(tooSoon.statusCode).toBe(429);
    expect(tooSoon.json().error).toBe('check_rate_limited');
    expect(await runner.drain()).toBe(1);
    clock = new Date(clock.getTime() + 11_000);
    expect((await op.console.post(`/api/v1/console/domains/${id}/check`)).statusCode).toBe(200);
  });

  it('serves local names at once without checks, and refuses the platform’s own names and IP addresses', async () => {
    const local = await op.console.post('/api/v1/console/domains', {
      domain: 'brandx.localhost',
      brand_name: 'L',
    });
    expect(local.json().state).toBe('active');
    expect((await op.console.post(`/api/v1/console/domains/${local.json().id}/check`)).statusCode).toBe(400);
    for (const domain of [TARGET, `x.${TARGET}`, '192.0.2.1', 'console.test']) {
      const r = await op.console.post('/api/v1/console/domains', { domain, brand_name: 'Nope' });
      expect(r.statusCode, domain).toBe(400);
    }
    const notices = await op.console.get(`/api/v1/console/domains/${local.json().id}/notices?level=error`);
    expect(notices.json()).toMatchObject({ items: [], total: 0 });
  });
});
