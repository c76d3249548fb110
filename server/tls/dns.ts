/**
 * DNS checks of a portal domain (SPEC section 6, steps 2-3) with a resolver of its own on DNS_SERVERS:
 * walks the CNAME chain (at most 8 hops, loops detected), rejects A/AAAA without a CNAME, checks CAA.
 */
import { type CaaRecord, promises as dnsp } from 'node:dns';
import { getDomain } from 'tldts';

export type DnsReason =
  | 'no_record'
  | 'a_record_not_cname'
  | 'cname_wrong_target'
  | 'cname_loop'
  | 'dns_error'
  | 'caa_forbids';

/** What DNS answered, shown to the operator next to the expected record. */
export interface DnsSeen {
  /** Each CNAME hop from the name, in order. */
  cname_chain: string[];
  a: string[];
  aaaa: string[];
  caa: string[];
  error: string | null;
}

export type DnsVerdict =
  | { ok: true; seen: DnsSeen }
  | { ok: false; reason: DnsReason; message: string; transient: boolean; seen: DnsSeen };

export interface DnsCheckOptions {
  servers: string[];
  target: string;
  caaIdentities: string[];
  timeoutMs?: number;
}

const MAX_HOPS = 8;

/** A fresh resolver on the configured servers (the system's when none are set). */
export function makeResolver(servers: string[], timeoutMs = 1500): dnsp.Resolver {
  const r = new dnsp.Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers.length > 0) r.setServers(servers);
  return r;
}

const code = (err: unknown) => (err as { code?: string }).code ?? 'EUNKNOWN';
const isMissing = (err: unknown) => ['ENODATA', 'ENOTFOUND'].includes(code(err));
const clean = (name: string) => name.toLowerCase().replace(/\.$/, '');

function transientMessage(err: unknown, what: string): string {
  const c = code(err);
  if (c === 'ESERVFAIL')
    return `The DNS server failed (SERVFAIL) while looking up ${what}; we will try again`;
  if (c === 'ETIMEOUT') return `The DNS lookup of ${what} timed out; we will try again`;
  return `The DNS lookup of ${what} failed (${c}); we will try again`;
}

async function addresses(r: dnsp.Resolver, name: string): Promise<{ a: string[]; aaaa: string[] }> {
  const [a, aaaa] = await Promise.all([
    r.resolve4(name).catch((e) => (isMissing(e) ? [] : Promise.reject(e))),
    r.resolve6(name).catch((e) => (isMissing(e) ? [] : Promise.reject(e))),
  ]);
  return { a: a.sort(), aaaa: aaaa.sort() };
}

/** Runs the CNAME and CAA checks for one name. */
export async function checkDns(name: string, opts: DnsCheckOptions): Promise<DnsVerdict> {
  const r = makeResolver(opts.servers, opts.timeoutMs);
  const target = clean(opts.target);
  const seen: DnsSeen = { cname_chain: [], a: [], aaaa: [], caa: [], error: null };
  const fail = (reason: DnsReason, message: string, transient = false): DnsVerdict => ({
    ok: false,
    reason,
    message,
    transient,
    seen,
  });
  const visited = new Set([name]);
  let current = name;
  let reached = false;
  for (;;) {
    let next: string | undefined;
    try {
      next = (await r.resolveCname(current))[0];
    } catch (err) {
      if (code(err) === 'ENODATA') break;
      if (code(err) === 'ENOTFOUND') {
        if (current === name) {
          return fail(
            'no_record',
            `There is no DNS record for ${name} yet. Create a CNAME record pointing at ${target}.`,
          );
        }
        break;
      }
      seen.error = code(err);
      return fail('dns_error', transientMessage(err, current), true);
    }
    if (!next) break;
    next = clean(next);
    seen.cname_chain.push(next);
    if (next === target) {
      reached = true;
      break;
    }
    if (visited.has(next)) {
      return fail('cname_loop', `The CNAME chain of ${name} loops back to ${next}; point it at ${target}.`);
    }
    if (seen.cname_chain.length >= MAX_HOPS) {
      return fail('cname_loop', `The CNAME chain of ${name} is longer than ${MAX_HOPS} hops.`);
    }
    visited.add(next);
    current = next;
  }
  try {
    const found = await addresses(r, name);
    seen.a = found.a;
    seen.aaaa = found.aaaa;
  } catch (err) {
    if (!reached) {
      seen.error = code(err);
      return fail('dns_error', transientMessage(err, name), true);
    }
  }
  if (!reached) {
    if (seen.cname_chain.length > 0) {
      return fail(
        'cname_wrong_target',
        `${name} is a CNAME to ${seen.cname_chain.join(' → ')}, not to ${target}. Change the CNAME target to ${target}.`,
      );
    }
    const records = [...seen.a.map((ip) => `A ${ip}`), ...seen.aaaa.map((ip) => `AAAA ${ip}`)];
    if (records.length === 0) {
      return fail('no_record', `${name} has no CNAME record. Create a CNAME record pointing at ${target}.`);
    }
    let hint = '';
    try {
      const ours = await addresses(r, target);
      const same =
        seen.a.every((ip) => ours.a.includes(ip)) && seen.aaaa.every((ip) => ours.aaaa.includes(ip));
      if (same) {
        hint =
          ' These are our own addresses, so your DNS provider is probably flattening or proxying the record (an apex ALIAS or a proxied “orange cloud” record): make it a DNS-only CNAME.';
      }
    } catch {
      // Without the target's addresses there is no hint to give.
    }
    return fail(
      'a_record_not_cname',
      `${name} has address records (${records.join(', ')}) instead of a CNAME. Remove them and create a CNAME record pointing at ${target}.${hint}`,
    );
  }
  return checkCaa(r, name, opts, seen);
}

/** CAA: the closest record set from the name up to its registrable domain must allow our CA. */
async function checkCaa(
  r: dnsp.Resolver,
  name: string,
  opts: DnsCheckOptions,
  seen: DnsSeen,
): Promise<DnsVerdict> {
  const registrable = getDomain(name) ?? name;
  const labels = name.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const candidate = labels.slice(i).join('.');
    let set: CaaRecord[];
    try {
      set = await r.resolveCaa(candidate);
    } catch (err) {
      if (isMissing(err)) {
        if (candidate === registrable) break;
        continue;
      }
      seen.error = code(err);
      return {
        ok: false,
        reason: 'dns_error',
        message: transientMessage(err, `the CAA records of ${candidate}`),
        transient: true,
        seen,
      };
    }
    if (set.length === 0) {
      if (candidate === registrable) break;
      continue;
    }
    seen.caa = set.map((c) => {
      const [tag, value] = Object.entries(c).find(([k]) => k !== 'critical') ?? ['?', ''];
      return `${c.critical} ${tag} "${value}"`;
    });
    const verdict = caaAllows(set, opts.caaIdentities);
    if (verdict) {
      return {
        ok: false,
        reason: 'caa_forbids',
        message: `The CAA records of ${candidate} (${seen.caa.join(', ')}) ${verdict}. Add a CAA record: issue "${opts.caaIdentities[0] ?? 'letsencrypt.org'}".`,
        transient: false,
        seen,
      };
    }
    return { ok: true, seen };
  }
  return { ok: true, seen };
}

const KNOWN_TAGS = new Set([
  'issue',
  'issuewild',
  'iodef',
  'contactemail',
  'contactphone',
  'issuemail',
  'issuevmc',
]);

/** Null when the CAA set lets one of our CA identities issue, else why not. */
export function caaAllows(set: CaaRecord[], identities: string[]): string | null {
  for (const c of set) {
    const tag = Object.keys(c).find((k) => k !== 'critical');
    if (c.critical & 128 && tag && !KNOWN_TAGS.has(tag))
      return `carry a critical tag “${tag}” we do not understand`;
  }
  const issue = set.filter((c) => c.issue !== undefined).map((c) => String(c.issue));
  if (issue.length === 0) return null;
  const allowed = issue.some((v) => {
    const domain = v.split(';')[0]?.trim().toLowerCase();
    return domain !== undefined && domain !== '' && identities.includes(domain);
  });
  return allowed ? null : `do not allow ${identities.join(' or ')} to issue certificates`;
}
