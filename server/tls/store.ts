/**
 * The certificates the TLS front serves: the application answers the front's lookups from the database (the
 * front keeps the secure contexts, an LRU and a negative cache, see front.mjs) and tells it when a hostname's
 * certificate changes, on this node directly and from every other node through NOTIFY.
 * Never orders anything: a name without a stored certificate gets the platform's default certificate.
 */
import type tls from 'node:tls';
import type { Deps } from '../context.ts';
import { querySystem } from '../db/db.ts';
import { normalizeHost } from '../lib/hosts.ts';
import { CERT_CHANNEL, onCertChange } from './events.ts';

/**
 * The server's cipher preference: AES-128-GCM first (as Go, caddy and the browsers order it), then Node's
 * defaults. Node's own order starts with AES-256-GCM-SHA384, whose SHA-384 key schedule made a full
 * handshake about 10 % dearer in server CPU for no practical gain in strength. Forward secrecy only.
 */
export const SERVER_TLS = {
  ciphers: [
    'TLS_AES_128_GCM_SHA256',
    'TLS_AES_256_GCM_SHA384',
    'TLS_CHACHA20_POLY1305_SHA256',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
  ].join(':'),
  honorCipherOrder: true,
  minVersion: 'TLSv1.2',
} as const satisfies tls.SecureContextOptions;

export interface ServedCertificate {
  cert: string;
  key: string;
  serial: string;
  notAfter: number;
}

/** The certificate to serve for a server name: active or renewing domain, not superseded, not expired. */
export async function certificateFor(deps: Deps, servername: string): Promise<ServedCertificate | null> {
  const host = normalizeHost(servername);
  if (!host) return null;
  const rows = await querySystem<{
    chain_pem: string;
    key_pem_enc: string;
    serial: string;
    not_after: Date | string;
  }>(
    deps.db,
    `SELECT c.chain_pem, c.key_pem_enc, c.serial, c.not_after
       FROM domain_certificates c
       JOIN portal_domains d ON d.operator_id = c.operator_id AND d.id = c.domain_id
      WHERE c.hostname = $1 AND c.superseded_at IS NULL AND d.domain = $1
        AND d.state IN ('active', 'renewing') AND c.not_after > now()
      ORDER BY c.created_at DESC LIMIT 1`,
    [host],
    'tls_cert_by_host',
  );
  const r = rows[0];
  if (!r) return null;
  return {
    cert: r.chain_pem,
    key: deps.box.decrypt(r.key_pem_enc),
    serial: r.serial,
    notAfter: new Date(r.not_after).getTime(),
  };
}

/**
 * Calls onChange with a hostname (or '' for all) whenever a certificate is stored, replaced or removed: on this
 * node (the announcement waits for the returned promise) and, on the PostgreSQL server, on any other node.
 * Returns the unsubscribe function.
 */
export async function watchCertificates(
  deps: Deps,
  onChange: (host: string) => Promise<void> | void,
): Promise<() => Promise<void>> {
  const off = onCertChange(deps.db, onChange);
  const unlisten =
    deps.db.engine === 'postgres' ? await deps.db.listen(CERT_CHANNEL, (h) => void onChange(h)) : null;
  return async () => {
    off();
    await unlisten?.();
  };
}
