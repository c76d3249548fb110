/**
 * Deterministic randomness for the traffic simulator: a seeded sfc32 generator (128-bit state, so
 * long runs do not repeat) and the few distributions the simulator draws from.
 */

/** A uniform draw in [0, 1). */
export type Rng = () => number;

/** 32-bit FNV-1a of a string, finished with a murmur3 mix. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: turns a 32-bit value into a stream of well-mixed 32-bit values (used to seed sfc32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A seeded uniform generator; the same seed always gives the same stream. */
export function createRng(seed: number | string): Rng {
  const init = mulberry32(typeof seed === 'number' ? seed ^ hash32(String(seed)) : hash32(seed));
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** A standard normal draw (Box–Muller). */
export function normal(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** A lognormal draw with the given median and shape sigma. */
export function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/** An exponential draw with the given mean. */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng());
}

/** An integer in [lo, hi]. */
export function intBetween(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Draws indexes in proportion to fixed weights (cumulative table, binary search). */
export class WeightedPicker {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new Error('WeightedPicker needs at least one weight');
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += Math.max(0, w);
      this.cumulative[i] = sum;
    });
    if (!(sum > 0)) throw new Error('WeightedPicker needs a positive weight');
    this.total = sum;
  }

  /** Zipf weights 1/k^s for k = 1..n. */
  static zipf(n: number, s = 1): WeightedPicker {
    return new WeightedPicker(Array.from({ length: n }, (_, k) => 1 / (k + 1) ** s));
  }

  /** The share of index i. */
  share(i: number): number {
    return (this.cumulative[i]! - (i > 0 ? this.cumulative[i - 1]! : 0)) / this.total;
  }

  pick(rng: Rng): number {
    const x = rng() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
