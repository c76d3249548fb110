/** Small value helpers shared by presenters and validators. */

/** A timestamp as ISO 8601 text; null stays null. */
export function isoOrNull(v: unknown): string | null {
  return v instanceof Date ? v.toISOString() : v == null ? null : String(v);
}

const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

/** A plausible email address (one @, a dot in the domain, no spaces or brackets). */
export function isEmail(s: string): boolean {
  return EMAIL.test(s);
}
