/** Host header normalisation and hostname validation (SPEC sections 2 and 6). */
import net from 'node:net';
import { domainToASCII } from 'node:url';

/**
 * Lower-cases, strips the port and a trailing dot, converts IDN to ASCII.
 * Returns null for something that cannot be a hostname.
 */
export function normalizeHost(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let host = raw.trim();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end > 0 ? host.slice(1, end).toLowerCase() : null;
  }
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && host.indexOf(':') === colon) host = host.slice(0, colon);
  host = host.replace(/\.$/, '');
  if (!host) return null;
  const ascii = domainToASCII(host.toLowerCase());
  return ascii || null;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Why a name cannot be a portal domain, or null when it is acceptable. */
export function hostnameProblem(
  name: string,
  reserved: { exact: readonly string[]; parents: readonly string[] },
): string | null {
  if (name.length > 253) return 'is longer than 253 characters';
  if (net.isIP(name)) return 'is an IP address; use a hostname';
  const labels = name.split('.');
  if (labels.length < 2) return 'needs at least two labels, like portal.example.com';
  for (const l of labels) if (!LABEL.test(l)) return `has an invalid label "${l}"`;
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return 'has a numeric top-level label';
  if (reserved.exact.includes(name) || reserved.parents.some((p) => name === p || name.endsWith(`.${p}`))) {
    return 'is one of the platform’s own names';
  }
  return null;
}

/** Normalises a domain typed by an operator (scheme, path and port removed), or null. */
export function parseDomainInput(input: string): string | null {
  let s = input.trim();
  s = s.replace(/^[a-z]+:\/\//i, '').replace(/[/?#].*$/, '');
  return normalizeHost(s);
}

/** Names under .localhost are served without DNS or certificates (local development, demo). */
export function isLocalName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost');
}

/** The absolute base URL users reach a hostname at (HTTPS when the HTTPS listener is on). */
export function publicUrl(env: { port: number; httpsPort: number | null }, host: string): string {
  if (env.httpsPort) return `https://${host}${env.httpsPort === 443 ? '' : `:${env.httpsPort}`}`;
  return `http://${host}${env.port === 80 ? '' : `:${env.port}`}`;
}
