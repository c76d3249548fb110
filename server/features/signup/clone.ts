/**
 * Template-customer cloning (SPEC section 5), run inside the sign-up's transaction: customer fields, routes,
 * payments (re-dated now), alerts, packages (restarted today) and contracts (latest revision, unapproved, grace
 * re-based). Never CDRs, invoices, DIDs, IP/SIP authentication, CLI rules, recordings, contacts or audit entries.
 */
import type { Tx } from '../../db/db.ts';

export interface TemplateFields {
  status: string;
  debit_limit: string;
  channels: number | null;
  cps: number | null;
  show: string[];
  hide: string[];
}

/** The template's customer fields copied to a new customer (portal access is not: templates have it off). */
export async function templateFields(tx: Tx, templateId: string): Promise<TemplateFields | null> {
  const [t] = await tx.query<TemplateFields>(
    `SELECT status, debit_limit::text AS debit_limit, channels, cps, show, hide
       FROM companies WHERE id = $1 AND type = 'customer'`,
    [templateId],
  );
  return t ?? null;
}

export interface CloneCounts {
  routes: number;
  payments: number;
  alerts: number;
  packages: number;
  contracts: number;
}

const count = (rows: unknown[]) => rows.length;

/** Copies the template's sections onto the new company; returns how many rows each section got. */
export async function cloneTemplate(
  tx: Tx,
  operatorId: string,
  templateId: string,
  target: { companyId: string; currency: string; contactEmail: string },
): Promise<CloneCounts> {
  const p = [operatorId, templateId, target.companyId];
  const routes = await tx.query(
    `INSERT INTO routes (operator_id, company_id, rate_card_id, tech_prefix, channels, cps, max_duration, public_note,
                         private_note, enabled)
     SELECT $1, $3, rate_card_id, tech_prefix, channels, cps, max_duration, public_note, private_note, enabled
       FROM routes WHERE company_id = $2 RETURNING id`,
    p,
  );
  // A welcome credit is a credit in the new customer's own currency, dated at sign-up.
  const payments = await tx.query(
    `INSERT INTO payments (operator_id, company_id, amount, currency, method, status, description, created_at)
     SELECT $1, $3, amount, $4, method, status, description, now()
       FROM payments WHERE company_id = $2 AND status <> 'cancelled' RETURNING id`,
    [...p, target.currency],
  );
  // An alert addressed to one of the template's own contacts goes to the new contact instead.
  const alerts = await tx.query(
    `INSERT INTO alerts (operator_id, company_id, title, recipient, area, comparator, threshold, reset_threshold,
                         sample_minutes, penalty_minutes, repeat_minutes, notice_level, enabled)
     SELECT $1, $3, a.title,
            CASE WHEN EXISTS (SELECT 1 FROM contacts k WHERE k.company_id = $2 AND lower(k.email) = lower(a.recipient))
                 THEN $4 ELSE a.recipient END,
            a.area, a.comparator, a.threshold, a.reset_threshold, a.sample_minutes, a.penalty_minutes,
            a.repeat_minutes, a.notice_level, a.enabled
       FROM alerts a WHERE a.company_id = $2 RETURNING id`,
    [...p, target.contactEmail],
  );
  const packages = await tx.query(
    `INSERT INTO package_assignments (operator_id, company_id, package_id, quantity, start_date, end_date, auto_decrement)
     SELECT $1, $3, package_id, quantity, current_date,
            CASE WHEN end_date IS NULL THEN NULL ELSE current_date + (end_date - start_date) END, auto_decrement
       FROM package_assignments WHERE company_id = $2 RETURNING id`,
    p,
  );
  const contracts = await tx.query(
    `INSERT INTO contract_assignments (operator_id, company_id, contract_id, revision_id, grace_date, required)
     SELECT $1, $3, a.contract_id,
            (SELECT r.id FROM contract_revisions r WHERE r.contract_id = a.contract_id ORDER BY r.revision DESC LIMIT 1),
            CASE WHEN a.grace_date IS NULL THEN NULL ELSE now() + (a.grace_date - a.assigned_at) END,
            a.required
       FROM contract_assignments a WHERE a.company_id = $2 RETURNING id`,
    p,
  );
  return {
    routes: count(routes),
    payments: count(payments),
    alerts: count(alerts),
    packages: count(packages),
    contracts: count(contracts),
  };
}
