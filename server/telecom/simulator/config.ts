/**
 * The traffic an operator's data supports: customers with routes (and their SIP users and egress IPs),
 * the destinations of their active rates, and the carrier companies with their cards. A rate card
 * whose name starts with a carrier's name (e.g. "Carrier One termination") is taken as its card.
 */
import type { Deps } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import type { SimCarrier, SimCustomer, SimDestination, TrafficSpec } from './generate.ts';

export interface LoadedTraffic extends TrafficSpec {
  /** Company id → name (for logs). */
  names: Map<string, string>;
  routeCount: number;
}

export interface LoadOptions {
  /** Prefixes by popularity; destinations not listed follow, cheapest first. */
  order?: readonly string[];
}

interface RateRow {
  revision_id: string;
  prefix: string;
  name: string;
  rate: string;
}

/** Loads the traffic spec of an operator, or null when it has no route to send traffic on. */
export async function loadTrafficSpec(
  deps: Deps,
  operatorId: string,
  opts: LoadOptions = {},
): Promise<LoadedTraffic | null> {
  return withTenant(deps.db, operatorId, async (tx) => {
    const routes = await tx.query<{
      company_id: string;
      name: string;
      tech_prefix: string;
      rate_card_id: string;
    }>(
      `SELECT r.company_id::text, c.name, r.tech_prefix, r.rate_card_id::text
         FROM routes r JOIN companies c ON c.id = r.company_id
        WHERE r.enabled AND c.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM portal_domains d WHERE d.template_customer_id = c.id)
        ORDER BY c.created_at, c.name, r.tech_prefix`,
    );
    if (routes.length === 0) return null;

    const cards = await tx.query<{ id: string; name: string; currency: string; revision_id: string | null }>(
      `SELECT c.id::text, c.name, c.currency,
              (SELECT v.id::text FROM rate_card_revisions v WHERE v.rate_card_id = c.id AND v.date_live <= now()
                ORDER BY v.date_live DESC, v.revision DESC LIMIT 1) AS revision_id
         FROM rate_cards c ORDER BY c.created_at`,
    );
    const carriers = await tx.query<{ id: string; name: string; currency: string }>(
      `SELECT id::text, name, currency FROM companies WHERE type = 'carrier' AND status = 'active'
        ORDER BY created_at, name`,
    );
    const carrierCard = new Map(
      carriers.map((c) => [
        c.id,
        cards.find((k) => k.revision_id && k.name.toLowerCase().startsWith(c.name.toLowerCase())),
      ]),
    );
    const routeCards = [...new Set(routes.map((r) => r.rate_card_id))];
    const revisionOf = new Map(cards.map((c) => [c.id, c.revision_id]));
    const revisions = [
      ...new Set(
        [
          ...routeCards.map((id) => revisionOf.get(id)),
          ...[...carrierCard.values()].map((c) => c?.revision_id),
        ].filter((v): v is string => !!v),
      ),
    ];
    const rates = revisions.length
      ? await tx.query<RateRow>(
          `SELECT revision_id::text, prefix, name, rate::text FROM rates
            WHERE revision_id = ANY($1::uuid[]) AND status = 'active'`,
          [revisions],
        )
      : [];
    const byRevision = new Map<string, Map<string, RateRow>>();
    for (const r of rates) {
      const m = byRevision.get(r.revision_id) ?? new Map<string, RateRow>();
      byRevision.set(r.revision_id, m);
      m.set(r.prefix, r);
    }

    // Destinations every customer card prices (else any card prices), by popularity then price.
    const customerSets = routeCards.map(
      (id) => byRevision.get(revisionOf.get(id) ?? '') ?? new Map<string, RateRow>(),
    );
    const union = new Map<string, RateRow>();
    for (const m of customerSets) for (const [p, r] of m) if (!union.has(p)) union.set(p, r);
    let chosen = [...union.values()].filter((r) => customerSets.every((m) => m.has(r.prefix)));
    if (chosen.length === 0) chosen = [...union.values()];
    if (chosen.length === 0) return null;
    const rank = new Map((opts.order ?? []).map((p, i) => [p, i]));
    chosen.sort(
      (a, b) =>
        (rank.get(a.prefix) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.prefix) ?? Number.MAX_SAFE_INTEGER) ||
        Number(a.rate) - Number(b.rate) ||
        a.prefix.localeCompare(b.prefix),
    );
    const destinations: SimDestination[] = chosen.map((r) => ({
      prefix: r.prefix,
      name: r.name,
      rate: r.rate,
    }));

    const companyIds = [...new Set(routes.map((r) => r.company_id))];
    const sipUsers = await tx.query<{ company_id: string; username: string }>(
      'SELECT company_id::text, username FROM sip_users WHERE company_id = ANY($1::uuid[]) ORDER BY created_at, username',
      [companyIds],
    );
    const ips = await tx.query<{ company_id: string; address: string }>(
      `SELECT company_id::text, address FROM ip_auth
        WHERE company_id = ANY($1::uuid[]) AND direction = 'egress' AND position('/' in address) = 0
        ORDER BY created_at`,
      [companyIds],
    );
    const names = new Map<string, string>();
    const customers: SimCustomer[] = companyIds.map((id) => {
      const own = routes.filter((r) => r.company_id === id);
      names.set(id, own[0]!.name);
      return {
        id,
        techPrefixes: own.map((r) => r.tech_prefix),
        sipUsers: sipUsers.filter((u) => u.company_id === id).map((u) => u.username),
        ips: ips.filter((a) => a.company_id === id && /^[0-9a-f.:]+$/i.test(a.address)).map((a) => a.address),
      };
    });
    const simCarriers: SimCarrier[] = carriers.map((c) => {
      names.set(c.id, c.name);
      const card = carrierCard.get(c.id);
      const own = card?.revision_id ? byRevision.get(card.revision_id) : undefined;
      return {
        id: c.id,
        currency: card?.currency ?? c.currency,
        rateCardId: card?.id ?? null,
        ...(own ? { rates: new Map([...own.values()].map((r) => [r.prefix, r.rate])) } : {}),
      };
    });
    return { customers, destinations, carriers: simCarriers, names, routeCount: routes.length };
  });
}
