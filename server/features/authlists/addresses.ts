/** Parsing of switch addresses: IPv4/IPv6 addresses, CIDR ranges and host names (pure, no I/O). */
import { isIP } from 'node:net';

export type Address =
  | { kind: 'ip'; value: string; version: 4 | 6 }
  | { kind: 'cidr'; value: string; version: 4 | 6; prefix: number }
  | { kind: 'fqdn'; value: string };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A fully qualified host name: dot-separated labels, a last label that is not all digits. */
export function isFqdn(s: string): boolean {
  if (s.length > 253) return false;
  const labels = s.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((l) => LABEL.test(l))) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1]!);
}

/** Lower-cased, trimmed, IPv6 without brackets. */
function clean(raw: string): string {
  let s = raw.trim().toLowerCase();
  if (s.startsWith('[') && s.includes(']')) s = s.replace(/^\[([^\]]+)\]/, '$1');
  return s;
}

/**
 * An IP address, a CIDR range (prefix within the address family's length) or, when allowed, a host
 * name. Returns null when the text is none of these.
 */
export function parseAddress(raw: string, opts: { allowFqdn: boolean }): Address | null {
  const s = clean(raw);
  // Zone ids (fe80::1%eth0) only mean something on one host.
  if (!s || s.includes('%')) return null;
  const slash = s.indexOf('/');
  if (slash >= 0) {
    const ip = s.slice(0, slash);
    const len = s.slice(slash + 1);
    const version = isIP(ip);
    if (version === 0 || !/^[0-9]{1,3}$/.test(len)) return null;
    const prefix = Number(len);
    if (prefix > (version === 4 ? 32 : 128)) return null;
    return { kind: 'cidr', value: `${ip}/${prefix}`, version: version as 4 | 6, prefix };
  }
  const version = isIP(s);
  if (version) return { kind: 'ip', value: s, version: version as 4 | 6 };
  if (opts.allowFqdn && isFqdn(s)) return { kind: 'fqdn', value: s };
  return null;
}
