/**
 * The self-probe before an ACME order: a fresh token is published like a real challenge and fetched from
 * http://<domain>/.well-known/acme-challenge/<token> through our own resolver. Only when our answer comes
 * back is a validation spent at the CA (Let's Encrypt allows 5 failures per hostname per hour).
 */
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { Deps } from '../context.ts';
import { withSystem } from '../db/db.ts';
import { randomToken } from '../lib/secrets.ts';
import { dropChallenge, putChallenge } from './acme.ts';
import { makeResolver } from './dns.ts';

export type ProbeResult = { ok: true } | { ok: false; message: string };

/** Fetches a fresh probe token from the domain on the ACME HTTP port. */
export async function selfProbe(deps: Deps, hostname: string, timeoutMs = 5000): Promise<ProbeResult> {
  const token = randomToken(24);
  const expected = `probe.${randomToken(16)}`;
  await withSystem(deps.db, (tx) => putChallenge(tx, token, hostname, expected));
  const resolver = makeResolver(deps.env.dnsServers);
  const port = deps.env.acmeHttpPort;
  const url = `http://${hostname}${port === 80 ? '' : `:${port}`}/.well-known/acme-challenge/${token}`;
  try {
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.get(
        {
          host: hostname,
          port,
          path: `/.well-known/acme-challenge/${token}`,
          timeout: timeoutMs,
          headers: { 'user-agent': 'portal-domain-probe' },
          lookup: (
            name: string,
            opts: { all?: boolean },
            cb: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
          ) => {
            resolver.resolve4(name).then(
              (ips) => {
                const ip = ips[0];
                if (!ip) return cb(new Error(`no address for ${name}`), '', 4);
                return opts.all ? cb(null, [{ address: ip, family: 4 }]) : cb(null, ip, 4);
              },
              (err) => cb(err as Error, '', 4),
            );
          },
        } as http.RequestOptions,
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            if (text.length < 4096) text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
      req.on('error', reject);
    });
    if (body.status !== 200) {
      return {
        ok: false,
        message: `Our test request to ${url} got HTTP ${body.status} instead of our token`,
      };
    }
    if (body.text.trim() !== expected) {
      return {
        ok: false,
        message: `Our test request to ${url} got an answer that is not ours (a proxy in between?)`,
      };
    }
    return { ok: true };
  } catch (err) {
    return {
      ok: false,
      message: `Our test request to ${url} failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  } finally {
    await withSystem(deps.db, (tx) => dropChallenge(tx, token)).catch(() => undefined);
  }
}
