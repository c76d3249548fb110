import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/db.ts';
import { seedDemo } from '../../demo/seed.ts';
import { getBalance } from '../../features/companies/payments.service.ts';
import { ENGINE } from '../../test/db.ts';
import { startTestApp, type TestApp } from '../../test/harness.ts';
import { loadTrafficSpec } from './config.ts';
import { DemoTraffic, setupDemoTelecom, startDemo } from './demo.ts';
import { DEMO_LATEST_RECORDINGS } from './demo-recordings.ts';

let t: TestApp;
let operatorId: string;
const q = <T>(sql: string, params: unknown[] = []) =>
  withTenant(t.deps.db, operatorId, (tx) => tx.query<T>(sql, params));
const companyId = async (name: string) =>
  (await q<{ id: string }>('SELECT id::text FROM companies WHERE name = $1', [name]))[0]!.id;

beforeAll(async () => {
  t = await startTestApp();
  expect(await seedDemo(t.deps)).toBe(true);
  [{ operator_id: operatorId }] = (await t.deps.db.query<{ operator_id: string }>(
    "SELECT operator_id::text FROM operator_users WHERE email = 'admin@demo.test'",
  )) as [{ operator_id: string }];
});
afterAll(() => t.close());

describe(`demo telecom setup and traffic (${ENGINE})`, () => {
  it('seeds rate cards, routes and authentication for every demo customer', async () => {
    const cards = await q<{ name: string; currency: string; rates: number }>(
      `SELECT c.name, c.currency, (SELECT count(*)::int FROM rates r JOIN rate_card_revisions v ON v.id = r.revision_id
                                     WHERE v.rate_card_id = c.id) AS rates
         FROM rate_cards c ORDER BY c.name`,
    );
    expect(cards.map((c) => `${c.name} ${c.currency}`)).toEqual([
      'Carrier One termination USD',
      'Carrier Two termination EUR',
      'Retail EUR EUR',
      'Retail GBP GBP',
      'Retail USD USD',
      'Wholesale USD USD',
    ]);
    for (const c of cards) expect(c.rates).toBeGreaterThanOrEqual(60);
    const routes = await q<{ name: string; tech_prefix: string; currency: string }>(
      `SELECT co.name, r.tech_prefix, k.currency FROM routes r JOIN companies co ON co.id = r.company_id
         JOIN rate_cards k ON k.id = r.rate_card_id ORDER BY co.name, r.tech_prefix`,
    );
    expect(routes).toEqual([
      { name: 'Acme Corp', tech_prefix: '', currency: 'USD' },
      { name: 'Globex', tech_prefix: '', currency: 'EUR' },
      { name: 'Initech', tech_prefix: '101', currency: 'USD' },
      { name: 'Initech', tech_prefix: '102', currency: 'USD' },
      { name: 'Nimbus sign-up template', tech_prefix: '', currency: 'EUR' },
      { name: 'Umbrella Networks', tech_prefix: '', currency: 'GBP' },
    ]);
    const [ny] = await q<{ rate: string; mcd: number; pulse: number }>(
      `SELECT r.rate::text, r.mcd, r.pulse FROM rates r JOIN rate_card_revisions v ON v.id = r.revision_id
         JOIN rate_cards c ON c.id = v.rate_card_id WHERE c.name = 'Retail EUR' AND r.prefix = '1212'`,
    );
    expect(ny).toEqual({ rate: '0.007800', mcd: 1, pulse: 1 });

    const spec = (await loadTrafficSpec(t.deps, operatorId))!;
    expect(spec.customers).toHaveLength(4); // the sign-up template places no calls
    expect(spec.customers[0]!.sipUsers).toEqual(['acme-1001', 'acme-1002', 'acme-pbx']);
    expect(spec.customers[0]!.ips).toEqual(['198.51.100.21', '198.51.100.22']);
    expect(spec.carriers.map((c) => [c.currency, c.rates?.size])).toEqual([
      ['USD', 70],
      ['EUR', 70],
    ]);
    expect(spec.destinations.length).toBe(70);

    // Running the setup again changes nothing.
    await setupDemoTelecom(t.deps, operatorId, { backfillCalls: 0 });
    expect((await q('SELECT 1 FROM routes')).length).toBe(6);
  });

  it('backfills rated traffic into CDRs, rollups and balances', async () => {
    const acme = await companyId('Acme Corp');
    const before = await getBalance(
      { deps: t.deps, operatorId, actor: { type: 'system', id: null, label: 't' } },
      acme,
    );
    const logs: string[] = [];
    const now = new Date();
    await setupDemoTelecom(t.deps, operatorId, {
      backfillCalls: 1500,
      days: 7,
      now,
      log: (m) => logs.push(m),
    });
    expect(logs.at(-1)).toMatch(/^demo backfill: 1,500 calls ingested in [\d.]+ s$/);

    const [cdr] = await q<{
      n: number;
      answered: number;
      rated: number;
      carrier_costed: number;
      old: number;
    }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE sip_code = 200)::int AS answered,
              count(*) FILTER (WHERE sip_code = 200 AND charge > 0 AND route_id IS NOT NULL)::int AS rated,
              count(*) FILTER (WHERE carrier_cost > 0 AND carrier_rate_card_id IS NOT NULL)::int AS carrier_costed,
              count(*) FILTER (WHERE start_time < $1::timestamptz - interval '7 days')::int AS old
         FROM cdrs`,
      [now.toISOString()],
    );
    expect(cdr!.n).toBe(1500);
    expect(cdr!.answered / cdr!.n).toBeGreaterThan(0.5);
    expect(cdr!.rated).toBe(cdr!.answered);
    expect(cdr!.carrier_costed).toBeGreaterThan(cdr!.answered * 0.95);
    expect(cdr!.old).toBe(0);
    const [roll] = await q<{ attempts: number; charge: string }>(
      'SELECT sum(attempts)::int AS attempts, sum(charge)::text AS charge FROM cdr_hourly',
    );
    expect(roll!.attempts).toBe(1500);
    const [sum] = await q<{ charge: string }>('SELECT sum(charge)::text AS charge FROM cdrs');
    expect(roll!.charge).toBe(sum!.charge);
    const after = await getBalance(
      { deps: t.deps, operatorId, actor: { type: 'system', id: null, label: 't' } },
      acme,
    );
    expect(Number(after.balance)).toBeLessThan(Number(before.balance));
    const [logCount] = await q<{ n: number }>('SELECT count(*)::int AS n FROM call_logs');
    expect(logCount!.n).toBeGreaterThan(30);

    // Alice's brand shows recordings: her company's recorded and latest answered calls have playable audio.
    const recordings = async () =>
      q<{ company: string; answered: boolean; referenced: boolean; content_type: string; riff: string }>(
        `SELECT co.name AS company, c.duration > 0 AS answered, c.recording IS NOT NULL AS referenced,
                r.content_type, encode(substring(r.data FROM 1 FOR 4), 'escape') AS riff
           FROM call_recordings r JOIN cdrs c ON c.call_id = r.call_id JOIN companies co ON co.id = r.company_id`,
      );
    const recs = await recordings();
    expect(recs.length).toBeGreaterThanOrEqual(DEMO_LATEST_RECORDINGS);
    for (const r of recs) {
      expect(r).toEqual({
        company: 'Acme Corp',
        answered: true,
        referenced: true,
        content_type: 'audio/wav',
        riff: 'RIFF',
      });
    }
    expect(logs).toContain(`demo backfill: ${recs.length} call recordings attached`);

    // Deterministic: running it again for the same moment adds nothing.
    await setupDemoTelecom(t.deps, operatorId, { backfillCalls: 1500, days: 7, now });
    expect((await q<{ n: number }>('SELECT count(*)::int AS n FROM cdrs'))[0]!.n).toBe(1500);
    expect((await recordings()).length).toBe(recs.length);
  });

  it('ticks: calls in progress, registrations, new CDRs with call logs, credit kept above zero', async () => {
    let clock = Date.now();
    const logs: string[] = [];
    const traffic = new DemoTraffic(t.deps, operatorId, {
      seed: 42,
      now: () => clock,
      log: (m) => logs.push(m),
    });
    const first = await traffic.tick();
    expect(first.active).toBeGreaterThan(0);
    expect(first.registrations).toBe(5);
    const active = await q<{ n: number }>('SELECT count(*)::int AS n FROM active_calls');
    expect(active[0]!.n).toBe(first.active);
    const regs = await q<{ username: string }>('SELECT username FROM registrations ORDER BY username');
    expect(regs.map((r) => r.username)).toEqual([
      'acme-1001',
      'acme-1002',
      'acme-pbx',
      'globex-hq',
      'umbrella-sbc',
    ]);
    // Every demo customer can still place calls (low credit is topped up).
    for (const name of ['Acme Corp', 'Globex', 'Initech', 'Umbrella Networks']) {
      const b = await getBalance(
        { deps: t.deps, operatorId, actor: { type: 'system', id: null, label: 't' } },
        await companyId(name),
      );
      expect(Number(b.available), name).toBeGreaterThan(0);
    }

    const cdrsBefore = (await q<{ n: number }>('SELECT count(*)::int AS n FROM cdrs'))[0]!.n;
    clock += 10 * 60_000;
    const second = await traffic.tick();
    expect(second.cdrs).toBeGreaterThan(0);
    expect(second.logs).toBeGreaterThan(0);
    const cdrsAfter = (await q<{ n: number }>('SELECT count(*)::int AS n FROM cdrs'))[0]!.n;
    expect(cdrsAfter - cdrsBefore).toBe(second.cdrs);
    const [live] = await q<{ n: number; latest: Date }>(
      "SELECT count(*)::int AS n, max(start_time) AS latest FROM cdrs WHERE call_id LIKE 'live-%'",
    );
    expect(live!.n).toBe(second.cdrs);
    expect(new Date(live!.latest).getTime()).toBeLessThanOrEqual(clock);
    const ids = await q<{ call_id: string }>('SELECT call_id FROM active_calls');
    const ended = await q<{ n: number }>(
      'SELECT count(*)::int AS n FROM cdrs WHERE call_id = ANY($1::text[])',
      [ids.map((r) => r.call_id)],
    );
    expect(ended[0]!.n).toBe(0); // a call is either in progress or has its CDR
    expect(logs.filter((l) => l.includes('refused'))).toEqual([]);
  });

  it('starts and stops the demo as npm start does', async () => {
    const logs: string[] = [];
    const stop = await startDemo(t.deps, (m) => logs.push(m));
    await new Promise((r) => setTimeout(r, 300));
    await stop();
    expect(logs.filter((l) => l.includes('failed'))).toEqual([]);
    // Existing CDRs: no second backfill.
    expect(logs.some((l) => l.startsWith('demo backfill'))).toBe(false);
  });
});
