/** The per-contact IP allow-list: CIDR ranges (or single addresses) a contact may sign in and work from. */
import { BlockList, isIP } from 'node:net';
import { badRequest } from '../../lib/errors.ts';
import { parseAddress } from '../authlists/addresses.ts';

export const MAX_ALLOW_ENTRIES = 50;

/** Validates and normalizes a list of ranges; a single address becomes a /32 or /128 range. */
export function normalizeAllowList(raw: readonly string[]): string[] {
  if (raw.length > MAX_ALLOW_ENTRIES) {
    throw badRequest('too_many_ranges', `At most ${MAX_ALLOW_ENTRIES} ranges are allowed`, {
      field: 'cidrs',
    });
  }
  const out: string[] = [];
  for (const entry of raw) {
    const a = parseAddress(entry, { allowFqdn: false });
    if (!a || a.kind === 'fqdn') {
      throw badRequest('invalid_cidr', `“${entry}” is not an IP address or a CIDR range`, { field: 'cidrs' });
    }
    const cidr = a.kind === 'cidr' ? a.value : `${a.value}/${a.version === 4 ? 32 : 128}`;
    if (!out.includes(cidr)) out.push(cidr);
  }
  return out;
}

/** "::ffff:192.0.2.1" (an IPv4 client on a dual-stack socket) is 192.0.2.1. */
function plainIp(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1]! : ip;
}

/** True when the list is empty or the address falls in one of its ranges. */
export function ipAllowed(list: readonly string[] | null | undefined, ip: string): boolean {
  if (!list || list.length === 0) return true;
  const addr = plainIp(ip);
  const family = isIP(addr);
  if (family === 0) return false;
  const block = new BlockList();
  for (const cidr of list) {
    const [net, len] = cidr.split('/');
    const v = isIP(net ?? '');
    if (!v) continue;
    block.addSubnet(net!, Number(len), v === 4 ? 'ipv4' : 'ipv6');
  }
  return block.check(addr, family === 4 ? 'ipv4' : 'ipv6');
}
