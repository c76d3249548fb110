import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billedDuration, chargeFor, PrefixMatcher, type Rate, rateCall } from './rating.ts';

const rate = (prefix: string, name: string, r = '0.0100', extra: Partial<Rate> = {}): Rate => ({
  prefix,
  name,
  rate: r,
  connect_cost: '0',
  mcd: 0,
  pulse: 1,
  grace: 0,
  status: 'active',
  ...extra,
});

describe('billed duration (SPEC section 7 examples)', () => {
  it.each([
    [0, 30, 6, 0],
    [1, 30, 6, 30],
    [20, 30, 6, 30],
    [30, 30, 6, 30],
    [31, 30, 6, 36],
    [36, 30, 6, 36],
    [37, 30, 6, 42],
    [61, 60, 6, 66],
    [60, 60, 6, 60],
    [1, 60, 60, 60],
    [61, 60, 60, 120],
    [59, 0, 1, 59],
    [1, 1, 1, 1],
    [7, 0, 6, 12],
  ])('%i s with MCD %i / pulse %i bills %i s', (d, mcd, pulse, billed) => {
    expect(billedDuration(d, mcd, pulse)).toBe(billed);
  });
  it('bills nothing inside the grace period', () => {
    expect(billedDuration(5, 30, 6, 5)).toBe(0);
    expect(billedDuration(6, 30, 6, 5)).toBe(30);
  });
});

describe('charge', () => {
  it('adds the connect cost and rounds with the card’s mode', () => {
    const card = (rounding: 'up' | 'down' | 'half_up' | 'half_down') => ({ precision: 4, rounding });
    // 0.01234 / min for 36 s = 0.007404 → 4 places
    expect(chargeFor('0.01234', '0', 36, card('half_up'))).toBe('0.0074');
    expect(chargeFor('0.01234', '0', 36, card('up'))).toBe('0.0075');
    expect(chargeFor('0.01234', '0', 36, card('down'))).toBe('0.0074');
    // exactly half: 0.0001 / min for 30 s = 0.00005
    expect(chargeFor('0.0001', '0', 30, card('half_up'))).toBe('0.0001');
    expect(chargeFor('0.0001', '0', 30, card('half_down'))).toBe('0.0000');
    expect(chargeFor('0.0600', '0.0100', 66, { precision: 2, rounding: 'half_up' })).toBe('0.08');
    expect(chargeFor('0.0600', '0.0100', 0, { precision: 2, rounding: 'half_up' })).toBe('0.00');
  });
  it('never uses binary floating point (0.1 + 0.2 cases stay exact)', () => {
    expect(chargeFor('0.1', '0.2', 60, { precision: 6, rounding: 'half_up' })).toBe('0.300000');
  });
});

describe('longest-prefix match', () => {
  const m = new PrefixMatcher([
    rate('44', 'UK'),
    rate('447', 'UK Mobile'),
    rate('4420', 'UK London'),
    rate('1', 'USA'),
  ]);
  it.each([
    ['447700900123', '447'],
    ['442071234567', '4420'],
    ['441611234567', '44'],
    ['12125550100', '1'],
  ])('%s → %s', (n, p) => expect(m.match(n)?.prefix).toBe(p));
  it('no match and blocked prefixes are errors', () => {
    expect(rateCall('999', 10, m, { precision: 4, rounding: 'half_up' })).toMatchObject({ error: 'no_rate' });
    const b = new PrefixMatcher([rate('882', 'Satellite', '1', { status: 'blocked' })]);
    expect(rateCall('88212', 10, b, { precision: 4, rounding: 'half_up' })).toMatchObject({
      error: 'blocked_destination',
    });
  });
});

describe('rating invariants (property tests)', () => {
  const arbRate = fc.record({
    mcd: fc.integer({ min: 0, max: 120 }),
    pulse: fc.integer({ min: 1, max: 60 }),
    rate: fc.integer({ min: 0, max: 10_000_000 }).map((n) => new Decimal(n).div(1_000_000).toFixed(6)),
    connect: fc.integer({ min: 0, max: 100_000 }).map((n) => new Decimal(n).div(1_000_000).toFixed(6)),
    precision: fc.integer({ min: 0, max: 6 }),
    rounding: fc.constantFrom('up', 'down', 'half_up', 'half_down' as const),
  });

  it('billed ≥ duration, and billed is monotonic in duration', () => {
    fc.assert(
      fc.property(
        arbRate,
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 0, max: 500 }),
        (r, d, extra) => {
          const a = billedDuration(d, r.mcd, r.pulse);
          const b = billedDuration(d + extra, r.mcd, r.pulse);
          return a >= d && b >= a && ((a - r.mcd) % r.pulse === 0 || a === r.mcd);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('answered calls cost at least the connect cost (at the card’s precision); unanswered cost zero', () => {
    fc.assert(
      fc.property(arbRate, fc.integer({ min: 0, max: 20_000 }), (r, d) => {
        const card = { precision: r.precision, rounding: r.rounding };
        const m = new PrefixMatcher([
          rate('1', 'X', r.rate, { connect_cost: r.connect, mcd: r.mcd, pulse: r.pulse }),
        ]);
        const out = rateCall('1555', d, m, card);
        if ('error' in out) return false;
        if (d === 0) return new Decimal(out.charge).isZero() && out.billed_duration === 0;
        const floor = new Decimal(r.connect).toDecimalPlaces(r.precision, Decimal.ROUND_DOWN);
        return new Decimal(out.charge).gte(floor) && out.billed_duration >= d;
      }),
      { numRuns: 2000 },
    );
  });

  it('the fixed-point charge equals decimal arithmetic (decimal.js) for every rounding mode and precision', () => {
    const MODES = {
      up: Decimal.ROUND_UP,
      down: Decimal.ROUND_DOWN,
      half_up: Decimal.ROUND_HALF_UP,
      half_down: Decimal.ROUND_HALF_DOWN,
    } as const;
    const reference = (
      rate: string,
      connect: string,
      billed: number,
      precision: number,
      mode: keyof typeof MODES,
    ) =>
      billed <= 0
        ? new Decimal(0).toFixed(precision)
        : new Decimal(connect)
            .plus(new Decimal(rate).times(billed).div(60))
            .toDecimalPlaces(precision, MODES[mode])
            .toFixed(precision);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999_999 }).map((n) => new Decimal(n).div(1_000_000).toFixed(6)),
        fc.integer({ min: 0, max: 99_999_999 }).map((n) => new Decimal(n).div(1_000_000).toString()),
        fc.integer({ min: 0, max: 172_800 }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom('up', 'down', 'half_up', 'half_down' as const),
        (rate, connect, billed, precision, mode) =>
          chargeFor(rate, connect, billed, { precision, rounding: mode }) ===
          reference(rate, connect, billed, precision, mode),
      ),
      { numRuns: 20_000 },
    );
    // Exact halves, where the modes differ.
    expect(chargeFor('0.0003', '0', 30, { precision: 4, rounding: 'half_up' })).toBe('0.0002');
    expect(chargeFor('0.0003', '0', 30, { precision: 4, rounding: 'half_down' })).toBe('0.0001');
    expect(chargeFor('12', '0', 60, { precision: 0, rounding: 'down' })).toBe('12');
  });
});
