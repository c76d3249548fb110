/**
 * Rating per SPEC section 7: longest-prefix match on a rate-card revision, billed duration from MCD,
 * pulse and grace, and the charge rounded to the card's precision with its rounding mode, in decimals.
 */
export type Rounding = 'up' | 'down' | 'half_up' | 'half_down';

export interface Rate {
  prefix: string;
  name: string;
  /** Per minute, decimal string. */
  rate: string;
  connect_cost: string;
  mcd: number;
  pulse: number;
  grace: number;
  status: 'active' | 'blocked';
}

export interface CardRules {
  precision: number;
  rounding: Rounding;
}

/**
 * Billed seconds: 0 for an unanswered call or one within the grace period; otherwise
 * max(MCD, MCD + ceil((d − MCD) / pulse) · pulse).
 */
export function billedDuration(duration: number, mcd: number, pulse: number, grace = 0): number {
  if (duration <= 0 || duration <= grace) return 0;
  const p = Math.max(1, pulse);
  return Math.max(mcd, mcd + Math.ceil((duration - mcd) / p) * p);
}

const MICRO = 1_000_000n;
const POW10 = [1n, 10n, 100n, 1_000n, 10_000n, 100_000n, 1_000_000n];
const PER_MINUTE_MICROS = 60n * MICRO;

/** A decimal string with at most 6 places as an exact integer count of millionths. */
export function toMicros(s: string): bigint {
  const neg = s.startsWith('-');
  const [int = '0', frac = ''] = (neg ? s.slice(1) : s).split('.');
  if (frac.length > 6 || !/^\d*$/.test(int) || !/^\d*$/.test(frac))
    throw new Error(`not a decimal with at most 6 places: ${s}`);
  const v = BigInt(int || '0') * MICRO + BigInt(frac.padEnd(6, '0'));
  return neg ? -v : v;
}

/** An integer count of 10^-precision units as a decimal string with exactly `precision` places. */
function fixed(units: bigint, precision: number): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(precision + 1, '0');
  const out = precision ? `${digits.slice(0, -precision)}.${digits.slice(-precision)}` : digits;
  return neg ? `-${out}` : out;
}

/**
 * connect cost + rate · billed / 60, rounded to the card's precision; 0 when nothing is billed. Exact
 * fixed-point arithmetic on integers (rates carry at most 6 decimal places): the quotient is computed
 * with its remainder, so every rounding mode decides on the exact value, never on a binary float.
 */
export function chargeFor(rate: string, connectCost: string, billed: number, card: CardRules): string {
  return chargeForMicros(toMicros(rate), toMicros(connectCost), billed, card);
}

/** chargeFor with the rate and connect cost already in millionths. */
function chargeForMicros(rate: bigint, connectCost: bigint, billed: number, card: CardRules): string {
  if (billed <= 0) return fixed(0n, card.precision);
  const num = (connectCost * 60n + rate * BigInt(billed)) * (POW10[card.precision] as bigint);
  let q = num / PER_MINUTE_MICROS;
  const r = num % PER_MINUTE_MICROS;
  if (r > 0n) {
    if (card.rounding === 'up') q++;
    else if (
      card.rounding === 'half_up'
        ? 2n * r >= PER_MINUTE_MICROS
        : card.rounding === 'half_down' && 2n * r > PER_MINUTE_MICROS
    )
      q++;
  }
  return fixed(q, card.precision);
}

/** Longest-prefix lookup over one revision's rates (a map per prefix length: at most 20 probes). */
export class PrefixMatcher {
  private readonly byPrefix = new Map<string, Rate>();
  private readonly lengths: number[];
  /** Each rate's per-minute rate and connect cost in millionths, parsed once per revision. */
  private readonly micros = new Map<Rate, { rate: bigint; connect: bigint }>();

  constructor(rates: Iterable<Rate>) {
    const lengths = new Set<number>();
    for (const r of rates) {
      this.byPrefix.set(r.prefix, r);
      lengths.add(r.prefix.length);
    }
    this.lengths = [...lengths].sort((a, b) => b - a);
  }

  /** The rate and connect cost of one of this matcher's rates, in millionths. */
  microsOf(r: Rate): { rate: bigint; connect: bigint } {
    let m = this.micros.get(r);
    if (!m) {
      m = { rate: toMicros(r.rate), connect: toMicros(r.connect_cost) };
      this.micros.set(r, m);
    }
    return m;
  }

  /** The rate with the longest prefix of number, or null. */
  match(number: string): Rate | null {
    for (const len of this.lengths) {
      if (len > number.length) continue;
      const hit = this.byPrefix.get(number.slice(0, len));
      if (hit) return hit;
    }
    return null;
  }

  get size(): number {
    return this.byPrefix.size;
  }
}

export interface Rated {
  dest_code: string;
  dest_name: string;
  rate: string;
  connect_cost: string;
  billed_duration: number;
  charge: string;
}

export type RatingError = { error: 'no_rate' | 'blocked_destination'; message: string };

/** Rates one call attempt: unanswered calls match a prefix but cost nothing. */
export function rateCall(
  dest: string,
  duration: number,
  matcher: PrefixMatcher,
  card: CardRules,
): Rated | RatingError {
  const r = matcher.match(dest);
  if (!r) return { error: 'no_rate', message: `No rate matches ${dest}` };
  if (r.status === 'blocked')
    return { error: 'blocked_destination', message: `The destination ${r.prefix} (${r.name}) is blocked` };
  const billed = billedDuration(duration, r.mcd, r.pulse, r.grace);
  const m = matcher.microsOf(r);
  return {
    dest_code: r.prefix,
    dest_name: r.name,
    rate: r.rate,
    connect_cost: r.connect_cost,
    billed_duration: billed,
    charge: chargeForMicros(m.rate, m.connect, billed, card),
  };
}
