/**
 * Simulate a call: the company's route for the dialled number (longest tech prefix), the rate from the
 * revision live now (rating.ts does the matching and the charge), and what the CLI rules do to the caller ID.
 */
import type { Tx } from '../../db/db.ts';
import { HttpError } from '../../lib/errors.ts';
import { type CardRules, PrefixMatcher, type Rate, rateCall } from '../../telecom/rating.ts';
import { applyCliRules, type CliRuleLike, explainCliRules } from '../cli/cli.explain.ts';

export interface SimulateInput {
  dest_number: string;
  cli: string;
  duration: number;
}

const unroutable = (code: string, message: string) => new HttpError(422, code, message);

export async function simulateCall(tx: Tx, companyId: string, input: SimulateInput, now = new Date()) {
  const dialled = input.dest_number.replace(/[\s()+-]/g, '');
  const routes = await tx.query<{ id: string; tech_prefix: string; rate_card_id: string }>(
    `SELECT id, tech_prefix, rate_card_id FROM routes WHERE company_id = $1 AND enabled
      ORDER BY length(tech_prefix) DESC`,
    [companyId],
  );
  const route = routes.find((r) => dialled.startsWith(r.tech_prefix));
  if (!route)
    throw unroutable('no_route', `No route of the account accepts ${dialled}: check the tech prefix`);
  const number = dialled.slice(route.tech_prefix.length);
  const [card] = await tx.query<CardRules & { name: string; currency: string }>(
    'SELECT name, currency, precision, rounding FROM rate_cards WHERE id = $1',
    [route.rate_card_id],
  );
  const [revision] = await tx.query<{ id: string; revision: number }>(
    `SELECT id, revision FROM rate_card_revisions WHERE rate_card_id = $1 AND date_live <= $2
      ORDER BY date_live DESC, revision DESC LIMIT 1`,
    [route.rate_card_id, now.toISOString()],
  );
  if (!card || !revision) throw unroutable('no_active_rates', 'The route’s rate card has no live rates yet');
  const rates = await tx.query<Rate>(
    'SELECT prefix, name, rate::text, connect_cost::text, mcd, pulse, grace, status FROM rates WHERE revision_id = $1',
    [revision.id],
  );
  const rated = rateCall(number, input.duration, new PrefixMatcher(rates), card);
  if ('error' in rated) throw unroutable(rated.error, rated.message);
  const rules = await tx.query<CliRuleLike>(
    'SELECT kind, pattern, replacement FROM cli_rules WHERE company_id = $1 ORDER BY created_at, id',
    [companyId],
  );
  const decision = applyCliRules(rules, input.cli);
  return {
    route: { tech_prefix: route.tech_prefix },
    dest_number: number,
    rate_card: { name: card.name, currency: card.currency, revision: revision.revision },
    match: { prefix: rated.dest_code, name: rated.dest_name },
    rate: rated.rate,
    connect_cost: rated.connect_cost,
    duration: input.duration,
    billed_duration: rated.billed_duration,
    charge: rated.charge,
    currency: card.currency,
    cli: {
      action: decision.action,
      presented: decision.action === 'reject' ? null : decision.cli,
      explanation: explainCliRules(rules),
    },
  };
}
