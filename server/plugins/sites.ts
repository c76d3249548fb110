/**
 * Host → site resolution (SPEC section 2): the console host, an active portal domain, or nothing.
 * Cached per host; invalidated in-process on change and across nodes through NOTIFY.
 */
import { type Db, withSystem } from '../db/db.ts';
import { isLocalName } from '../lib/hosts.ts';

export interface Brand {
  domainId: string;
  operatorId: string;
  domain: string;
  brandName: string;
  footer: string;
  logoFileId: string | null;
  customCss: string;
  customJs: string;
  customerSignup: boolean;
  carrierSignup: boolean;
  features: Record<string, boolean>;
  breakoutColumns: Record<string, string[]>;
  cdrFields: Record<string, string[]>;
  state: string;
}

export type Site = { kind: 'console' } | { kind: 'portal'; brand: Brand };

const SERVING_STATES = new Set(['active', 'renewing']);
const TTL_MS = 30_000;
export const DOMAIN_CHANNEL = 'portal_domain_changed';

interface Entry {
  site: Site | null;
  at: number;
}

export class SiteResolver {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly db: Db,
    private readonly consoleHost: string,
  ) {}

  /** The site a normalised host serves, or null (404). */
  async resolve(host: string): Promise<Site | null> {
    if (host === this.consoleHost) return { kind: 'console' };
    const hit = this.cache.get(host);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.site;
    const site = await this.load(host);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(host, { site, at: Date.now() });
    return site;
  }

  /** Drops cached entries (all when no host is given). */
  invalidate(host?: string): void {
    if (host) this.cache.delete(host);
    else this.cache.clear();
  }

  private async load(host: string): Promise<Site | null> {
    const rows = await withSystem(this.db, (tx) =>
      tx.query<Record<string, unknown>>(
        `SELECT id, operator_id, domain, brand_name, footer, logo_file_id, custom_css, custom_js, customer_signup,
                carrier_signup, features, breakout_columns, cdr_fields, state
           FROM portal_domains WHERE domain = $1`,
        [host],
      ),
    );
    const r = rows[0];
    if (!r) return null;
    const state = String(r.state);
    if (!SERVING_STATES.has(state) && !isLocalName(host)) return null;
    return {
      kind: 'portal',
      brand: {
        domainId: String(r.id),
        operatorId: String(r.operator_id),
        domain: String(r.domain),
        brandName: String(r.brand_name),
        footer: String(r.footer),
        logoFileId: (r.logo_file_id as string | null) ?? null,
        customCss: String(r.custom_css),
        customJs: String(r.custom_js),
        customerSignup: Boolean(r.customer_signup),
        carrierSignup: Boolean(r.carrier_signup),
        features: r.features as Record<string, boolean>,
        breakoutColumns: r.breakout_columns as Record<string, string[]>,
        cdrFields: r.cdr_fields as Record<string, string[]>,
        state,
      },
    };
  }
}

/** Tells every node (and this one) that a domain changed. */
export async function announceDomainChange(db: Db, sites: SiteResolver, domain: string): Promise<void> {
  sites.invalidate(domain);
  if (db.engine === 'postgres') {
    await db.query('SELECT pg_notify($1, $2)', [DOMAIN_CHANNEL, domain]);
  }
}
