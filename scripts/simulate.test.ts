import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../server/boot.ts';
import type { Deps, TenantCtx } from '../server/context.ts';
import { withTenant } from '../server/db/db.ts';
import { loadEnv } from '../server/env.ts';
import { createCompany } from '../server/features/companies/companies.service.ts';
import { createOperator } from '../server/features/operators/operators.service.ts';
import { createRateCard, createRoute, importRates } from '../server/features/ratecards/ratecards.service.ts';
import { ENGINE, testDb } from '../server/test/db.ts';

const run = promisify(execFile);
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
let withRoutes: string;
let withoutRoutes: string;

/** The database the command will use, opened in this process (PGlite: closed before the command runs). */
const open = () => boot(loadEnv({ ...env, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv));

async function operator(deps: Deps, email: string): Promise<TenantCtx> {
  const { operatorId } = await createOperator(deps, {
    name: `Sim ${email}`,
    email,
    password: 'operator-password-1',
  });
  return { deps, operatorId, actor: { type: 'system', id: null, label: 'test' } };
}

beforeAll(async () => {
  if (ENGINE === 'postgres') {
    const t = await testDb();
    env = { ...process.env, DATABASE_URL: t.url!, SECRET_KEY: 'simulate-test' };
    cleanup = t.close;
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpp-simulate-'));
    env = { ...process.env, DATABASE_URL: '', DATA_DIR: dir };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const deps = await open();
  const ctx = await operator(deps, 'sim-routes@example.test');
  withRoutes = ctx.operatorId;
  withoutRoutes = (await operator(deps, 'sim-empty@example.test')).operatorId;
  const card = await createRateCard(ctx, { name: 'Retail USD', currency: 'USD' });
  await importRates(ctx, card.id, [
    { prefix: '1', name: 'USA', rate: '0.0090', mcd: 1, pulse: 1 },
    { prefix: '44', name: 'UK', rate: '0.0120', mcd: 30, pulse: 6 },
    { prefix: '447', name: 'UK Mobile', rate: '0.0220', connect_cost: '0.01' },
  ]);
  for (const name of ['Big Customer', 'Small Customer']) {
    const c = await createCompany(ctx, { type: 'customer', name, currency: 'USD' });
    await createRoute(ctx, c.id, { rate_card_id: card.id });
  }
  await createCompany(ctx, { type: 'carrier', name: 'Upstream', currency: 'USD' });
  await deps.db.close();
});
afterAll(() => cleanup());

const simulate = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/simulate.ts', ...args], { env });

describe(`simulate command (${ENGINE})`, () => {
  it('ingests generated traffic with a progress line and the final rate; a re-run is all duplicates', async () => {
    const args = [
      '--operator',
      withRoutes,
      '--days',
      '3',
      '--calls',
      '2500',
      '--batch',
      '1000',
      '--seed',
      '9',
      '--to',
      new Date().toISOString(),
    ];
    const first = await simulate(...args);
    expect(first.stdout).toContain('Simulating 2,500 calls');
    expect(first.stdout).toMatch(
      /Ingested 2,500 calls in [\d.]+ s: [\d,]+ rows\/s \(accepted 2,500, duplicates 0, errors 0;/,
    );
    expect(first.stderr).toContain('2,500 / 2,500 calls (100 %)');

    const again = await simulate(...args);
    expect(again.stdout).toContain('accepted 0, duplicates 2,500, errors 0');

    const deps = await open();
    try {
      const [r] = await withTenant(deps.db, withRoutes, (tx) =>
        tx.query<{ n: number; customers: number; carriers: number; charged: number; span: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT company_id)::int AS customers,
                  count(DISTINCT carrier_id)::int AS carriers, count(*) FILTER (WHERE charge > 0)::int AS charged,
                  extract(epoch FROM max(start_time) - min(start_time))::int AS span
             FROM cdrs`,
        ),
      );
      expect(r).toMatchObject({ n: 2500, customers: 2, carriers: 1 });
      expect(r!.charged).toBeGreaterThan(1200);
      expect(r!.span).toBeGreaterThan(2 * 86_400);
    } finally {
      await deps.db.close();
    }
  });

  it('says so and exits 2 when the operator has no routes, is unknown, or the arguments are wrong', async () => {
    const none = await simulate('--operator', withoutRoutes, '--calls', '10').catch((e) => e);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('has no routes');
    const unknown = await simulate('--operator', '00000000-0000-4000-8000-000000000000').catch((e) => e);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no operator');
    const bad = await simulate('--operator', withRoutes, '--calls', 'many').catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: npm run simulate');
    const missing = await simulate().catch((e) => e);
    expect(missing.code).toBe(2);
  });
});
