/** Time ranges and time zones of the reports: instants in UTC, buckets in the reader's IANA time zone. */
import { badRequest } from '../../lib/errors.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** The longest range one report covers. */
export const MAX_RANGE_DAYS = 400;

/** An IANA time zone name Node knows (the browser sends its own from Intl); else 400. */
export function checkTimeZone(tz: string | undefined): string {
  const name = tz?.trim() || 'UTC';
  if (name.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(name)) throw badTz(name);
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
  } catch {
    throw badTz(name);
  }
  return name;
}

const badTz = (name: string) =>
  badRequest('invalid_time_zone', `Unknown time zone "${name.slice(0, 64)}"`, { field: 'tz' });

/** The zone's offset from UTC in minutes at an instant (e.g. 330 for Asia/Kolkata). */
export function offsetMinutes(tz: string, at: Date): number {
  const part = new Intl.DateTimeFormat('en', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = part?.match(/GMT([+-])(\d{2}):?(\d{2})?/);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function parseInstant(value: string | undefined, field: string): Date | null {
  if (value === undefined || value === '') return null;
  // An explicit offset or Z is required: a bare local time would be read in the server's zone.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw badRequest(
      'invalid_time',
      `${field} must be an ISO 8601 time with a zone, e.g. 2026-11-01T00:00:00Z`,
      {
        field,
      },
    );
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw badRequest('invalid_time', `${field} is not a valid time`, { field });
  return d;
}

export interface Range {
  from: Date;
  to: Date;
}

/** from/to as given (to exclusive), or the last defaultHours up to now; from must precede to. */
export function readRange(q: { from?: string; to?: string }, defaultHours = 24): Range {
  const to = parseInstant(q.to, 'to') ?? new Date();
  const from = parseInstant(q.from, 'from') ?? new Date(to.getTime() - defaultHours * HOUR_MS);
  if (from.getTime() >= to.getTime())
    throw badRequest('invalid_range', 'from must be before to', { field: 'from' });
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw badRequest('range_too_long', `A report covers at most ${MAX_RANGE_DAYS} days`, { field: 'from' });
  }
  return { from, to };
}

export const floorTo = (d: Date, unit: number) => new Date(Math.floor(d.getTime() / unit) * unit);
export const ceilTo = (d: Date, unit: number) => new Date(Math.ceil(d.getTime() / unit) * unit);
