/** DID numbers and destinations: normalisation and validation shared by the console and (later) the portal. */
import { isIP } from 'node:net';
import { isFqdn } from '../authlists/addresses.ts';

export const DESTINATION_TYPES = ['uri', 'external', 'internal', 'circuit_test'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

/**
 * E.164 without the '+': accepts "+44 20 7123-4567" or "+1 (555) 010-0001" (a leading plus, spaces,
 * dashes and parentheses are dropped), returns the digits, or null when what is left is not 3–20 digits.
 */
export function normalizeNumber(raw: string): string | null {
  const s = raw
    .trim()
    .replace(/^\+/, '')
    .replace(/[\s\-()]/g, '');
  return /^[0-9]{3,20}$/.test(s) ? s : null;
}

const USER = /^[A-Za-z0-9._~+*#%!$&'()=,-]{1,64}$/;
const PARAMS = /^(?:;[A-Za-z0-9_.-]+(?:=[A-Za-z0-9_.-]+)?)*$/;

/** A SIP URI (sip:/sips:, optional user@, host or IP, optional :port and ;params) or a bare host[:port]. */
export function normalizeUri(raw: string): string | null {
  let s = raw.trim();
  if (!s || s.length > 255 || /\s/.test(s)) return null;
  let scheme = '';
  const m = /^(sips?):/i.exec(s);
  if (m) {
    scheme = `${m[1]!.toLowerCase()}:`;
    s = s.slice(m[0].length);
  }
  const semi = s.indexOf(';');
  const params = semi >= 0 ? s.slice(semi) : '';
  if (!PARAMS.test(params)) return null;
  s = semi >= 0 ? s.slice(0, semi) : s;
  const at = s.lastIndexOf('@');
  const user = at >= 0 ? s.slice(0, at) : '';
  if (at >= 0 && !USER.test(user)) return null;
  let hostport = at >= 0 ? s.slice(at + 1) : s;
  let host: string;
  let port = '';
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) return null;
    host = hostport.slice(1, end);
    if (isIP(host) !== 6) return null;
    const rest = hostport.slice(end + 1);
    if (rest && !/^:[0-9]{1,5}$/.test(rest)) return null;
    port = rest.slice(1);
    hostport = `[${host.toLowerCase()}]`;
  } else if (isIP(hostport) === 6) {
    hostport = `[${hostport.toLowerCase()}]`;
  } else {
    const colon = hostport.lastIndexOf(':');
    host = colon >= 0 ? hostport.slice(0, colon) : hostport;
    port = colon >= 0 ? hostport.slice(colon + 1) : '';
    if (colon >= 0 && !/^[0-9]{1,5}$/.test(port)) return null;
    host = host.toLowerCase();
    if (isIP(host) !== 4 && !isFqdn(host)) return null;
    hostport = host;
  }
  if (port) {
    const n = Number(port);
    if (n < 1 || n > 65535) return null;
    hostport = `${hostport}:${n}`;
  }
  return `${scheme}${user ? `${user}@` : ''}${hostport}${params}`;
}

export type DestinationCheck = { ok: true; value: string } | { ok: false; code: string; message: string };

/**
 * Checks a destination against its type. An unassigned DID (number in stock) may have no destination;
 * a DID that belongs to a company needs one, except circuit tests (which have none).
 */
export function checkDestination(type: DestinationType, raw: string, assigned: boolean): DestinationCheck {
  const value = raw.trim();
  if (type === 'circuit_test') return { ok: true, value: '' };
  if (!value) {
    return assigned
      ? {
          ok: false,
          code: 'destination_required',
          message: 'A DID assigned to a company needs a destination',
        }
      : { ok: true, value: '' };
  }
  if (type === 'uri') {
    const uri = normalizeUri(value);
    return uri
      ? { ok: true, value: uri }
      : {
          ok: false,
          code: 'invalid_destination',
          message: `“${value}” is not a SIP URI or host: use sip:user@host:port, user@host or host[:port]`,
        };
  }
  if (type === 'external') {
    const n = normalizeNumber(value);
    return n
      ? { ok: true, value: n }
      : {
          ok: false,
          code: 'invalid_destination',
          message: `“${value}” is not a phone number: use 3–20 digits with the country code`,
        };
  }
  // internal: an extension or the name of a Class 5 object.
  if (value.length > 64 || /[\p{Cc}]/u.test(value))
    return {
      ok: false,
      code: 'invalid_destination',
      message: 'An internal destination is an extension of at most 64 characters',
    };
  return { ok: true, value };
}

/** Tags: trimmed, without duplicates (case-insensitive), each 1–40 characters, at most 20. */
export function normalizeTags(raw: string[]): { ok: true; value: string[] } | { ok: false; message: string } {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const t of raw) {
    const tag = t.trim();
    if (!tag) continue;
    if (tag.length > 40 || /[\p{Cc},]/u.test(tag))
      return {
        ok: false,
        message: `“${tag.slice(0, 40)}” is not a valid tag (at most 40 characters, no commas)`,
      };
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  if (out.length > 20) return { ok: false, message: 'A DID can have at most 20 tags' };
  return { ok: true, value: out };
}
