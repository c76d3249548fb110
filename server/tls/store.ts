/**
 * Secure contexts for the SNI callback: an LRU of contexts built once per certificate, a negative cache
 * so random names cost one database read per minute at most, and invalidation in-process and by NOTIFY.
 * Never orders anything: a name without a stored certificate gets the platform's default certificate.
 */
import tls from 'node:tls';
import type { Deps } from '../context.ts';
import { querySystem } from '../db/db.ts';
import { normalizeHost } from '../lib/hosts.ts';
import { CERT_CHANNEL, certEvents } from './events.ts';

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

interface Entry {
  context: tls.SecureContext;
  serial: string;
  notAfter: number;
}

export interface CertStoreOptions {
  /** Secure contexts kept (default 20,000). */
  maxContexts?: number;
  /** Unknown names remembered (default 50,000). */
  maxNegative?: number;
  /** How long an unknown name stays unknown without a change notice (default 60 s). */
  negativeTtlMs?: number;
}

export class CertStore {
  private readonly lru = new Map<string, Entry>();
  private readonly negative = new Map<string, number>();
  private readonly pending = new Map<string, Promise<Entry | null>>();
  private readonly maxContexts: number;
  private readonly maxNegative: number;
  private readonly negativeTtlMs: number;
  private unsubscribe: Array<() => Promise<void> | void> = [];
  /** Database reads made (for tests and benchmarks). */
  loads = 0;

  constructor(
    private readonly deps: Deps,
    opts: CertStoreOptions = {},
  ) {
    this.maxContexts = opts.maxContexts ?? 20_000;
    this.maxNegative = opts.maxNegative ?? 50_000;
    this.negativeTtlMs = opts.negativeTtlMs ?? 60_000;
  }

  /** Listens for certificate changes of this node and (on the PostgreSQL server) of every other node. */
  async subscribe(): Promise<void> {
    const onChange = (host: string) => this.invalidate(host || undefined);
    const events = certEvents(this.deps.db);
    events.on('change', onChange);
    this.unsubscribe.push(() => void events.off('change', onChange));
    if (this.deps.db.engine === 'postgres') {
      this.unsubscribe.push(await this.deps.db.listen(CERT_CHANNEL, onChange));
    }
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe) await u();
    this.unsubscribe = [];
  }

  invalidate(host?: string): void {
    if (!host) {
      this.lru.clear();
      this.negative.clear();
      return;
    }
    this.lru.delete(host);
    this.negative.delete(host);
  }

  get size(): { contexts: number; negative: number } {
    return { contexts: this.lru.size, negative: this.negative.size };
  }

  /**
   * The answer already in memory, without waiting: a context, null (known to have none), or undefined when the
   * database must be asked. The SNI callback answers from here synchronously on the hot path.
   */
  cached(servername: string): tls.SecureContext | null | undefined {
    const host = normalizeHost(servername);
    if (!host) return null;
    const now = Date.now();
    const hit = this.lru.get(host);
    if (hit && hit.notAfter > now) {
      this.lru.delete(host);
      this.lru.set(host, hit);
      return hit.context;
    }
    const neg = this.negative.get(host);
    if (neg !== undefined && neg > now) return null;
    return undefined;
  }

  /** The secure context for a server name, or null for the default certificate. */
  async context(servername: string): Promise<tls.SecureContext | null> {
    const known = this.cached(servername);
    if (known !== undefined) return known;
    const host = normalizeHost(servername);
    if (!host) return null;
    let p = this.pending.get(host);
    if (!p) {
      p = this.load(host).finally(() => this.pending.delete(host));
      this.pending.set(host, p);
    }
    const entry = await p;
    return entry?.context ?? null;
  }

  private async load(host: string): Promise<Entry | null> {
    this.loads++;
    const rows = await querySystem<{
      chain_pem: string;
      key_pem_enc: string;
      serial: string;
      not_after: Date | string;
    }>(
      this.deps.db,
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
    if (!r) {
      if (this.negative.size >= this.maxNegative) this.negative.clear();
      this.negative.set(host, Date.now() + this.negativeTtlMs);
      this.lru.delete(host);
      return null;
    }
    const entry: Entry = {
      context: tls.createSecureContext({
        ...SERVER_TLS,
        cert: r.chain_pem,
        key: this.deps.box.decrypt(r.key_pem_enc),
      }),
      serial: r.serial,
      notAfter: new Date(r.not_after).getTime(),
    };
    this.lru.delete(host);
    this.lru.set(host, entry);
    while (this.lru.size > this.maxContexts) {
      const oldest = this.lru.keys().next().value;
      if (oldest === undefined) break;
      this.lru.delete(oldest);
    }
    return entry;
  }
}
