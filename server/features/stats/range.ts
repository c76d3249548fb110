/** Time ranges of the charts: validation and the bucket width, aligned to UTC multiples of the step. */
import { badRequest } from '../../lib/errors.ts';

/** Bucket widths in seconds, smallest first. Whole hours and more can be read from the hourly rollup. */
export const STEPS = [60, 300, 900, 3600, 10_800, 21_600, 86_400] as const;
export const MAX_BUCKETS = 300;
export const MAX_RANGE_DAYS = 92;

export interface ChartRange {
  /** Inclusive start, aligned down to the step. */
  from: Date;
  /** Exclusive end, aligned up to the step. */
  to: Date;
  step: number;
  buckets: number;
}

const parseTime = (raw: string | undefined, field: string, fallback: Date): Date => {
  if (raw === undefined || raw === '') return fallback;
  const d = new Date(raw);
  if (Number.isNaN(d.getTime()))
    throw badRequest('invalid_time', `${field} is not a date and time (ISO 8601)`, { field });
  return d;
};

/** The range a chart covers: defaults to the last 24 hours; the step is the finest keeping ≤ MAX_BUCKETS. */
export function chartRange(q: { from?: string; to?: string; step?: number }, now = new Date()): ChartRange {
  const to = parseTime(q.to, 'to', now);
  const from = parseTime(q.from, 'from', new Date(to.getTime() - 86_400_000));
  if (from >= to) throw badRequest('invalid_range', 'from must be before to', { field: 'from' });
  const span = (to.getTime() - from.getTime()) / 1000;
  if (span > MAX_RANGE_DAYS * 86_400)
    throw badRequest('range_too_long', `A chart covers at most ${MAX_RANGE_DAYS} days`, { field: 'from' });
  let step: number;
  if (q.step !== undefined) {
    if (!(STEPS as readonly number[]).includes(q.step))
      throw badRequest('invalid_step', `step must be one of ${STEPS.join(', ')} seconds`, { field: 'step' });
    step = q.step;
  } else {
    step = STEPS.find((s) => Math.ceil(span / s) <= MAX_BUCKETS) ?? STEPS[STEPS.length - 1]!;
  }
  const ms = step * 1000;
  const a = Math.floor(from.getTime() / ms) * ms;
  const b = Math.ceil(to.getTime() / ms) * ms;
  const buckets = (b - a) / ms;
  if (buckets > MAX_BUCKETS * 4)
    throw badRequest('too_many_points', 'The step is too fine for this range: choose a wider step', {
      field: 'step',
    });
  return { from: new Date(a), to: new Date(b), step, buckets };
}

/** Index of the bucket holding epoch seconds `sec`. */
export const bucketIndex = (r: ChartRange, sec: number): number =>
  Math.floor((sec - r.from.getTime() / 1000) / r.step);
