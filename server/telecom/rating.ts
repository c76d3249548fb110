/**
 * Rating per SPEC section 7: longest-prefix match on a rate-card revision, billed duration from MCD,
 * pulse and grace, and the charge rounded to the card's precision with its rounding mode, in decimals.
 */
import Decimal from 'decimal.js';

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

const ROUNDING: Record<Rounding, Decimal.Rounding> = {
  up: Decimal.ROUND_UP,
  down: Decimal.ROUND_DOWN,
  half_up: Decimal.ROUND_HALF_UP,
  half_down: Decimal.ROUND_HALF_DOWN,
};

/**
 * Billed seconds: 0 for an unanswered call or one within the grace period; otherwise
 * max(MCD, MCD + ceil((d − MCD) / pulse) · pulse).
 */
export function billedDuration(duration: number, mcd: number, pulse: number, grace = 0): number {
  if (duration <= 0 || duration <= grace) return 0;
  const p = Math.max(1, pulse);
  return Math.max(mcd, mcd + Math.ceil((duration - mcd) / p) * p);
}

/** connect cost + rate · billed / 60, rounded to the card's precision; 0 when nothing is billed. */
export function chargeFor(rate: string, connectCost: string, billed: number, card: CardRules): string {
  if (billed <= 0) return new Decimal(0).toFixed(card.precision);
  return new Decimal(connectCost)
    .plus(new Decimal(rate).times(billed).div(60))
    .toDecimalPlaces(card.precision, ROUNDING[card.rounding])
    .toFixed(card.precision);
}

/** Longest-prefix lookup over one revision's rates (a map per prefix length: at most 20 probes). */
export class PrefixMatcher {
  private readonly byPrefix = new Map<string, Rate>();
  private readonly lengths: number[];

  constructor(rates: Iterable<Rate>) {
    const lengths = new Set<number>();
    for (const r of rates) {
      this.byPrefix.set(r.prefix, r);
      lengths.add(r.prefix.length);
    }
    this.lengths = [...lengths].sort((a, b) => b - a);
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
  return {
    dest_code: r.prefix,
    dest_name: r.name,
    rate: r.rate,
    connect_cost: r.connect_cost,
    billed_duration: billed,
    charge: chargeFor(r.rate, r.connect_cost, billed, card),
  };
}
