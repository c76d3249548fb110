/**
 * The demo's telecom side: rate cards (USD, EUR, GBP, a wholesale card and the carriers' cards), routes,
 * IP and SIP authentication for the demo customers, a week of backfilled traffic, and live traffic
 * (new calls every few seconds, calls in progress, registrations, call logs) while the server runs.
 */
import crypto from 'node:crypto';
import Decimal from 'decimal.js';
import type { Deps, TenantCtx } from '../../context.ts';
import { withSystem, withTenant } from '../../db/db.ts';
import { createIpAuth } from '../../features/authlists/ipauth.service.ts';
import { createSipUser } from '../../features/authlists/sipusers.service.ts';
import { companyBalance } from '../../features/companies/balance.service.ts';
import { createCompany } from '../../features/companies/companies.service.ts';
import { createPayment } from '../../features/companies/payments.service.ts';
import { createRateCard, createRoute, importRates } from '../../features/ratecards/ratecards.service.ts';
import { ingestCdrs } from '../ingest.ts';
import { ingestActiveCalls, ingestCallLogs, ingestRegistrations, purgeOldCallLogs } from '../live.ts';
import { CATALOG, FX } from './catalog.ts';
import { type LoadedTraffic, loadTrafficSpec } from './config.ts';
import { attachDemoRecordings, attachLiveRecordings, recordingCompanies } from './demo-recordings.ts';
import { CallFactory, generateRegistrations, type SimCall, simulateCalls } from './generate.ts';
import { LiveTraffic } from './live-model.ts';
import { createRng } from './prng.ts';
import type { CallLogRow } from './sip.ts';

export type Log = (message: string) => void;

export const DEMO_OPERATOR_EMAIL = 'admin@demo.test';
export const DEMO_BACKFILL_CALLS = 20_000;
export const DEMO_BACKFILL_DAYS = 7;
/**
 * Average new calls per second of the live demo: with realistic holding times (about two minutes per
 * attempt on average, failed ones included) this keeps roughly 5 calls in progress at night and 25-35
 * in the afternoon (UTC), and ingests a CDR every one to four ticks.
 */
export const DEMO_CALLS_PER_SECOND = 0.1;
const POPULARITY = CATALOG.map((c) => c.prefix);
const HOUR = 3_600_000;

const price = (usd: string, factor: Decimal.Value, dp: number) =>
  new Decimal(usd).times(factor).toDecimalPlaces(dp, Decimal.ROUND_HALF_UP).toFixed(dp);

/** Catalogue rates converted to a currency and scaled (retail 1, wholesale 0.85, carriers 0.8). */
function ratesFor(currency: string, factor: number, dp: number) {
  const fx = new Decimal(FX[currency] ?? '1').times(factor);
  return CATALOG.map((c) => ({
    prefix: c.prefix,
    name: c.name,
    rate: price(c.usd, fx, dp),
    connect_cost: c.connect ? price(c.connect, fx, dp) : '0',
    mcd: c.mcd,
    pulse: c.pulse,
  }));
}

const DEMO_AUTH: Record<string, { ips: string[]; sip: string[] }> = {
  'Acme Corp': { ips: ['198.51.100.21', '198.51.100.22'], sip: ['acme-1001', 'acme-1002', 'acme-pbx'] },
  Globex: { ips: ['203.0.113.40'], sip: ['globex-hq'] },
  Initech: { ips: ['192.0.2.61', '192.0.2.62'], sip: [] },
  'Umbrella Networks': { ips: ['203.0.113.77'], sip: ['umbrella-sbc'] },
};

/**
 * Creates the demo operator's rate cards, routes and authentication, then (unless backfillCalls is 0)
 * backfills the last days of traffic. Does nothing when the operator already has routes.
 */
export async function setupDemoTelecom(
  deps: Deps,
  operatorId: string,
  opts: { backfillCalls?: number; days?: number; now?: Date; log?: Log } = {},
): Promise<void> {
  const ctx: TenantCtx = { deps, operatorId, actor: { type: 'system', id: null, label: 'demo seed' } };
  const [existing] = await withTenant(deps.db, operatorId, (tx) =>
    tx.query<{ n: number }>('SELECT count(*)::int AS n FROM routes'),
  );
  if (!existing || existing.n === 0) await createDemoSetup(ctx);
  const calls = opts.backfillCalls ?? DEMO_BACKFILL_CALLS;
  if (calls > 0) {
    await backfillDemoTraffic(deps, operatorId, {
      calls,
      days: opts.days ?? DEMO_BACKFILL_DAYS,
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
  }
}

async function createDemoSetup(ctx: TenantCtx): Promise<void> {
  const companies = await withTenant(ctx.deps.db, ctx.operatorId, (tx) =>
    tx.query<{ id: string; name: string; type: string; currency: string }>(
      'SELECT id::text, name, type, currency FROM companies ORDER BY created_at',
    ),
  );
  const byName = new Map(companies.map((c) => [c.name, c]));
  if (!byName.has('Carrier Two')) {
    const c = await createCompany(ctx, { type: 'carrier', name: 'Carrier Two', currency: 'EUR' });
    byName.set('Carrier Two', { id: c.id, name: c.name, type: 'carrier', currency: 'EUR' });
  }

  const card = async (name: string, currency: string, factor: number, dp: number, rounding = 'half_up') => {
    const created = await createRateCard(ctx, {
      name,
      currency,
      precision: dp,
      rounding: rounding as 'half_up',
      direction: 'termination',
    });
    await importRates(ctx, created.id, ratesFor(currency, factor, dp));
    return created.id;
  };
  const retail: Record<string, string> = {
    USD: await card('Retail USD', 'USD', 1, 4),
    EUR: await card('Retail EUR', 'EUR', 1, 4),
    GBP: await card('Retail GBP', 'GBP', 1, 4),
  };
  const wholesale = await card('Wholesale USD', 'USD', 0.85, 4, 'up');
  // Carriers charge 80 % of the retail rate (in their own currency, 6 decimals).
  for (const c of [...byName.values()].filter((x) => x.type === 'carrier')) {
    await card(`${c.name} termination`, c.currency, 0.8, 6);
  }

  const route = (name: string, input: Parameters<typeof createRoute>[2]) => {
    const c = byName.get(name);
    return c ? createRoute(ctx, c.id, input) : null;
  };
  await route('Acme Corp', {
    rate_card_id: retail.USD!,
    channels: 30,
    cps: 5,
    public_note: 'Premium route with CLI, 30 channels. Send traffic to sip.demo-telecom.test:5060.',
  });
  await route('Globex', {
    rate_card_id: retail.EUR!,
    channels: 20,
    cps: 3,
    public_note: 'Premium route, EU.',
  });
  await route('Initech', {
    rate_card_id: retail.USD!,
    tech_prefix: '101',
    channels: 20,
    public_note: 'Dial 101 before the number for the premium route.',
  });
  await route('Initech', {
    rate_card_id: wholesale,
    tech_prefix: '102',
    channels: 50,
    public_note: 'Dial 102 before the number for the economy route (CLI not guaranteed).',
  });
  await route('Umbrella Networks', { rate_card_id: retail.GBP!, channels: 10, cps: 2 });
  await route('Nimbus sign-up template', {
    rate_card_id: retail.EUR!,
    channels: 5,
    cps: 1,
    public_note: 'Starter route for new sign-ups.',
  });

  for (const [name, auth] of Object.entries(DEMO_AUTH)) {
    const c = byName.get(name);
    if (!c) continue;
    const [has] = await withTenant(ctx.deps.db, ctx.operatorId, (tx) =>
      tx.query<{ ip: number; sip: number }>(
        `SELECT (SELECT count(*)::int FROM ip_auth WHERE company_id = $1) AS ip,
                (SELECT count(*)::int FROM sip_users WHERE company_id = $1) AS sip`,
        [c.id],
      ),
    );
    if (!has?.ip)
      for (const address of auth.ips) await createIpAuth(ctx, c.id, { address, direction: 'egress' });
    if (!has?.sip) {
      for (const username of auth.sip) {
        await createSipUser(ctx, c.id, { username, password: crypto.randomBytes(12).toString('base64url') });
      }
    }
  }
}

async function demoSpec(deps: Deps, operatorId: string): Promise<LoadedTraffic | null> {
  return loadTrafficSpec(deps, operatorId, { order: POPULARITY });
}

export interface BackfillResult {
  accepted: number;
  duplicates: number;
  errors: number;
  seconds: number;
}

/**
 * Ingests `calls` generated calls over the `days` before `now` (deterministic, so re-running it adds
 * nothing), with call logs for a sample of them. Stops early when signal.stopped turns true.
 */
export async function backfillDemoTraffic(
  deps: Deps,
  operatorId: string,
  opts: {
    calls: number;
    days: number;
    now?: Date;
    batch?: number;
    log?: Log;
    signal?: { stopped: boolean };
  },
): Promise<BackfillResult> {
  const started = Date.now();
  const spec = await demoSpec(deps, operatorId);
  const result = { accepted: 0, duplicates: 0, errors: 0, seconds: 0 };
  if (!spec) return result;
  const to = opts.now ?? new Date();
  const from = new Date(to.getTime() - opts.days * 24 * HOUR);
  const batchSize = opts.batch ?? 2000;
  const factory = new CallFactory(spec);
  const rng = createRng('demo-backfill-logs');
  const log = opts.log ?? (() => undefined);
  let batch: SimCall[] = [];
  let done = 0;
  const flush = async () => {
    const r = await ingestCdrs(
      deps,
      operatorId,
      batch.map((c) => c.cdr),
    );
    const logs: CallLogRow[] = batch
      .filter((c) => c.attempts.length > 1 || rng() < 0.05)
      .map((c) => factory.callLog(c, rng));
    if (logs.length) await ingestCallLogs(deps, operatorId, logs);
    result.accepted += r.accepted;
    result.duplicates += r.duplicates;
    result.errors += r.errors.length;
    done += batch.length;
    batch = [];
    log(
      `demo backfill: ${done.toLocaleString('en-US')} / ${opts.calls.toLocaleString('en-US')} calls (${Math.round(
        (100 * done) / opts.calls,
      )} %)`,
    );
  };
  for (const call of simulateCalls({
    seed: 'demo-backfill',
    idPrefix: 'demo',
    from,
    to,
    count: opts.calls,
    ...spec,
  })) {
    if (opts.signal?.stopped) break;
    batch.push(call);
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length && !opts.signal?.stopped) await flush();
  if (!opts.signal?.stopped) {
    const recordings = await attachDemoRecordings(deps, operatorId);
    if (recordings) log(`demo backfill: ${recordings} call recordings attached`);
  }
  result.seconds = (Date.now() - started) / 1000;
  log(
    `demo backfill: ${result.accepted.toLocaleString('en-US')} calls ingested in ${result.seconds.toFixed(1)} s` +
      (result.errors ? ` (${result.errors} refused)` : ''),
  );
  return result;
}

export interface DemoTrafficOptions {
  log?: Log;
  seed?: number | string;
  callsPerSecond?: number;
  /** The clock (tests move it by hand). */
  now?: () => number;
  /** Delay between ticks, drawn in [min, max] ms. */
  intervalMs?: [number, number];
}

/**
 * Live demo traffic: every 2-3 s the calls that ended become CDRs, the calls in progress and the
 * registrations are replaced, call logs are stored for a sample; hourly, old call logs are purged.
 * Demo customers whose credit runs low get an automatic top-up so the demo keeps running.
 */
export class DemoTraffic {
  private model: LiveTraffic | null = null;
  private spec: LoadedTraffic | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastPurge = 0;
  private lastCredit = 0;
  /** Companies whose calls get demo audio (their brand shows recordings); refreshed every minute. */
  private recorded: ReadonlySet<string> = new Set();
  private readonly now: () => number;
  private readonly log: Log;
  private readonly ctx: TenantCtx;

  constructor(
    private readonly deps: Deps,
    private readonly operatorId: string,
    private readonly opts: DemoTrafficOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => undefined);
    this.ctx = { deps, operatorId, actor: { type: 'system', id: null, label: 'demo traffic' } };
  }

  /** One step; returns what it ingested. */
  async tick(): Promise<{ cdrs: number; active: number; registrations: number; logs: number }> {
    const now = this.now();
    if (!this.model) {
      this.spec = await demoSpec(this.deps, this.operatorId);
      if (!this.spec) return { cdrs: 0, active: 0, registrations: 0, logs: 0 };
      this.model = new LiveTraffic(
        this.spec,
        {
          seed: this.opts.seed ?? crypto.randomBytes(6).toString('hex'),
          callsPerSecond: this.opts.callsPerSecond ?? DEMO_CALLS_PER_SECOND,
          idPrefix: 'live',
        },
        now,
      );
    }
    const model = this.model;
    const { ended, active } = model.advance(now);
    let cdrs = 0;
    if (ended.length) {
      const r = await ingestCdrs(
        this.deps,
        this.operatorId,
        ended.map((c) => c.cdr),
      );
      cdrs = r.accepted;
      if (r.errors.length) this.log(`demo traffic: ${r.errors.length} CDRs refused: ${r.errors[0]!.message}`);
      const refused = new Set(r.errors.map((e) => e.call_id));
      await attachLiveRecordings(
        this.deps,
        this.operatorId,
        this.recorded,
        ended.map((c) => c.cdr).filter((c) => !refused.has(c.call_id)),
      );
    }
    await ingestActiveCalls(this.deps, this.operatorId, active, true);
    const regs = generateRegistrations({ now: new Date(now), customers: this.spec!.customers });
    await ingestRegistrations(this.deps, this.operatorId, regs, true);
    const logs = ended
      .filter((c) => c.attempts.length > 1 || model.rng() < 0.4)
      .map((c) => model.factory.callLog(c, model.rng));
    if (logs.length) await ingestCallLogs(this.deps, this.operatorId, logs);
    if (now - this.lastPurge >= HOUR) {
      this.lastPurge = now;
      const purged = await purgeOldCallLogs(this.deps, new Date(now));
      if (purged) this.log(`demo traffic: purged ${purged} call logs older than 14 days`);
    }
    if (now - this.lastCredit >= 60_000) {
      this.lastCredit = now;
      await this.keepCredit();
      this.recorded = await recordingCompanies(this.deps, this.operatorId);
    }
    return { cdrs, active: active.length, registrations: regs.length, logs: logs.length };
  }

  /** Tops up demo customers whose available credit fell under 50 (so calls may still be placed). */
  private async keepCredit(): Promise<void> {
    for (const c of this.spec?.customers ?? []) {
      const bal = await withTenant(this.deps.db, this.operatorId, (tx) => companyBalance(tx, c.id));
      const available = new Decimal(bal.available);
      if (available.gte(50)) continue;
      const amount = new Decimal(500).minus(available).toDecimalPlaces(2, Decimal.ROUND_UP);
      await createPayment(this.ctx, c.id, {
        amount: amount.toFixed(2),
        currency: bal.currency,
        method: 'auto_top_up',
        status: 'completed',
        description: 'Automatic top-up #demo traffic',
      });
      this.log(
        `demo traffic: topped up ${this.spec?.names.get(c.id) ?? c.id} with ${amount.toFixed(2)} ${bal.currency}`,
      );
    }
  }

  start(): void {
    const [lo, hi] = this.opts.intervalMs ?? [2000, 3000];
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .then(() => undefined)
        .catch((err: unknown) => this.log(`demo traffic: tick failed: ${(err as Error).message}`))
        .finally(() => {
          this.running = null;
          if (!this.stopped) {
            this.timer = setTimeout(loop, lo + Math.random() * (hi - lo));
            this.timer.unref();
          }
        });
    };
    loop();
  }

  /** Stops ticking and waits for a tick in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

/** Starts live demo traffic for an operator; the returned function stops it cleanly. */
export function startDemoTraffic(
  deps: Deps,
  operatorId: string,
  opts: DemoTrafficOptions = {},
): () => Promise<void> {
  const traffic = new DemoTraffic(deps, operatorId, opts);
  traffic.start();
  return () => traffic.stop();
}

/**
 * What `npm start` runs after listening when DEMO is on: finds the demo operator, completes its telecom
 * setup if an older data folder lacks it, backfills a week of traffic in the background when it has no
 * CDRs yet, and starts the live traffic. Returns the function that stops all of it.
 */
export async function startDemo(deps: Deps, log: Log): Promise<() => Promise<void>> {
  const [row] = await withSystem(deps.db, (tx) =>
    tx.query<{ operator_id: string }>(
      'SELECT operator_id::text FROM operator_users WHERE lower(email) = $1',
      [DEMO_OPERATOR_EMAIL],
    ),
  );
  if (!row) return async () => undefined;
  const operatorId = row.operator_id;
  await setupDemoTelecom(deps, operatorId, { backfillCalls: 0 });
  const [cdrs] = await withTenant(deps.db, operatorId, (tx) =>
    tx.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM cdr_ids) AS any'),
  );
  const signal = { stopped: false };
  const backfill = cdrs?.any
    ? Promise.resolve()
    : backfillDemoTraffic(deps, operatorId, {
        calls: DEMO_BACKFILL_CALLS,
        days: DEMO_BACKFILL_DAYS,
        log,
        signal,
      })
        .then(() => undefined)
        .catch((err: unknown) => log(`demo backfill failed: ${(err as Error).message}`));
  const stopTraffic = startDemoTraffic(deps, operatorId, { log });
  return async () => {
    signal.stopped = true;
    await stopTraffic();
    await backfill;
  };
}
