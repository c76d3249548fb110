/**
 * The demo of SPEC section 9, seeded on an empty database: one operator with two visibly different
 * brands, several customers and a carrier, their contacts and payments. Uses the same services as the API.
 */
import type { Deps, TenantCtx } from '../context.ts';
import { withSystem, withTenant } from '../db/db.ts';
import { createAlert } from '../features/catalog/alerts.service.ts';
import { assignContract, createContract } from '../features/catalog/contracts.service.ts';
import { assignPackage, createPackage } from '../features/catalog/packages.service.ts';
import { createCompany } from '../features/companies/companies.service.ts';
import { createContact } from '../features/companies/contacts.service.ts';
import { createPayment } from '../features/companies/payments.service.ts';
import { createDomain, updateDomain } from '../features/domains/domains.service.ts';
import { createOperator } from '../features/operators/operators.service.ts';
import { setupDemoTelecom } from '../telecom/simulator/demo.ts';
import { png } from './png.ts';

const on = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, true]));

const DEMO_CSS = `:root {
  --portal-primary: #0b5cad;
  --portal-header-bg: #0b2545;
  --portal-header-text: #ffffff;
}`;

const NIMBUS_CSS = `:root {
  --portal-primary: #6b2fb3;
  --portal-primary-contrast: #ffffff;
  --portal-header-bg: #f3ecfb;
  --portal-header-text: #2d1250;
  --portal-radius: 14px;
  --portal-font: Georgia, 'Times New Roman', serif;
}`;

function demoLogo(rgb: [number, number, number], round: boolean): Buffer {
  return png(160, 48, (x, y) => {
    const inMark = round ? (x - 24) ** 2 + (y - 24) ** 2 < 18 ** 2 : x > 8 && x < 40 && y > 8 && y < 40;
    const bar = x > 52 && x < 150 && ((y > 12 && y < 20) || (y > 28 && y < 36 && x < 120));
    return inMark || bar ? rgb : [255, 255, 255];
  });
}

async function uploadLogo(ctx: TenantCtx, name: string, data: Buffer): Promise<string> {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [r] = await tx.query<{ id: string }>(
      `INSERT INTO public_files (operator_id, filename, content_type, size, width, height, data)
       VALUES ($1, $2, 'image/png', $3, 160, 48, $4) RETURNING id`,
      [ctx.operatorId, name, data.length, data],
    );
    return r!.id;
  });
}

/** Seeds the demo when the database has no operator yet; returns true when it did. */
export async function seedDemo(deps: Deps): Promise<boolean> {
  const existing = await withSystem(deps.db, (tx) => tx.query('SELECT 1 FROM operators LIMIT 1'));
  if (existing[0]) return false;
  const { operatorId } = await createOperator(deps, {
    name: 'Demo Telecom Ltd',
    email: 'admin@demo.test',
    password: 'demo-admin-pass',
    userName: 'Dana Admin',
  });
  const ctx: TenantCtx = { deps, operatorId, actor: { type: 'system', id: null, label: 'demo seed' } };

  const demo = await createDomain(ctx, {
    domain: 'portal.localhost',
    brand_name: 'Demo Telecom',
    features: on([
      'balance',
      'cdr',
      'breakout',
      'summary',
      'latest_calls',
      'cli',
      'customer_acd',
      'customer_asr',
      'customer_cps',
      'customer_channels',
      'customer_dtmf',
      'carrier_portal',
      'carrier_cps',
      'carrier_channels',
      'rate_cards',
      'did',
      'did_editable',
      'did_tags',
      'ip_auth_editable',
      'sip_auth_editable',
      'interconnect_info',
      'payments',
      'invoice',
      'alert',
      'editable_balance_alert',
      'status',
      'dialog',
      'voucher',
      'recording',
      'download_recording',
    ]),
    custom_css: DEMO_CSS,
    footer: '© 2026 Demo Telecom Ltd · support@demo-telecom.test · +1 555 0100',
    logo_file_id: await uploadLogo(ctx, 'demo-telecom.png', demoLogo([11, 92, 173], true)),
  });
  const nimbus = await createDomain(ctx, {
    domain: 'voice.localhost',
    brand_name: 'Nimbus Voice',
    customer_signup: true,
    currencies: ['EUR', 'USD'],
    features: on(['balance', 'cdr', 'summary', 'payments', 'voucher', 'status']),
    custom_css: NIMBUS_CSS,
    footer: 'Nimbus Voice — voice in the cloud. Help: help@nimbus-voice.test',
    logo_file_id: await uploadLogo(ctx, 'nimbus-voice.png', demoLogo([107, 47, 179], false)),
  });

  const acme = await createCompany(ctx, {
    type: 'customer',
    name: 'Acme Corp',
    currency: 'USD',
    debit_limit: '50',
    domain_id: demo.id,
  });
  const globex = await createCompany(ctx, {
    type: 'customer',
    name: 'Globex',
    currency: 'EUR',
    domain_id: nimbus.id,
  });
  const initech = await createCompany(ctx, {
    type: 'customer',
    name: 'Initech',
    currency: 'USD',
    domain_id: demo.id,
    portal_access: false,
  });
  const umbrella = await createCompany(ctx, {
    type: 'customer',
    name: 'Umbrella Networks',
    currency: 'GBP',
    debit_limit: '-5',
    show: ['voucher'],
    hide: ['breakout'],
  });
  const carrier = await createCompany(ctx, {
    type: 'carrier',
    name: 'Carrier One',
    currency: 'USD',
    domain_id: demo.id,
  });
  const template = await createCompany(ctx, {
    type: 'customer',
    name: 'Nimbus sign-up template',
    currency: 'EUR',
    domain_id: nimbus.id,
    portal_access: false,
  });
  await updateDomain(ctx, nimbus.id, { template_customer_id: template.id });

  await createContact(ctx, acme.id, {
    name: 'Alice Anders',
    email: 'alice@acme.test',
    password: 'demo-alice-pass',
  });
  await createContact(ctx, globex.id, {
    name: 'Bob Brown',
    email: 'bob@globex.test',
    password: 'demo-bob-pass',
  });
  await createContact(ctx, initech.id, {
    name: 'Carol Chen',
    email: 'carol@initech.test',
    password: 'demo-carol-pass',
  });
  await createContact(ctx, umbrella.id, {
    name: 'Uma Ueda',
    email: 'uma@umbrella.test',
    password: 'demo-uma-pass1',
  });
  await createContact(ctx, carrier.id, {
    name: 'Dave Diaz',
    email: 'dave@carrier-one.test',
    password: 'demo-dave-pass',
  });

  const pay = (
    id: string,
    currency: string,
    amount: string,
    method: string,
    status: 'completed' | 'pending',
    description: string,
  ) => createPayment(ctx, id, { amount, currency, method, status, description });
  await pay(acme.id, 'USD', '100.00', 'bank_transfer', 'completed', 'Opening deposit');
  await pay(acme.id, 'USD', '25.50', 'stripe', 'completed', 'Top-up');
  await pay(acme.id, 'USD', '-12.3456', 'charge', 'completed', 'DID rental, November #monthly batch');
  await pay(acme.id, 'USD', '40.00', 'bank_transfer', 'pending', 'Transfer announced by customer');
  await pay(globex.id, 'EUR', '5.00', 'credit', 'completed', 'Welcome credit');
  await pay(globex.id, 'EUR', '250.00', 'paypal', 'completed', 'Top-up');
  await pay(template.id, 'EUR', '5.00', 'credit', 'completed', 'Welcome credit');
  // What every Nimbus sign-up starts with (cloned from the template): an alert, a package and a contract.
  await createAlert(ctx, {
    company_id: template.id,
    title: 'Low balance',
    area: 'balance',
    comparator: '<',
    threshold: '2',
    reset_threshold: '5',
    notice_level: 'warning',
  });
  const starter = await createPackage(ctx, {
    name: 'Nimbus Starter',
    description: 'Monthly platform fee with 100 free minutes to EU fixed lines.',
    type: 'free_minutes',
    currency: 'EUR',
    retail: '4.99',
    frequency: 'monthly',
    frequency_match: [1],
    destination_regex: '^(33|34|39|49)',
    free_minutes: 100,
  });
  await assignPackage(ctx, template.id, { package_id: starter.id, quantity: 1 });
  const terms = await createContract(ctx, {
    name: 'Nimbus Voice terms of service',
    body:
      'Nimbus Voice terms of service\n\n1. Service. Nimbus Voice carries your voice traffic to the destinations on your rate card.\n' +
      '2. Payment. Calls are charged per second as rated; your balance must stay above your debit limit.\n' +
      '3. Fair use. No unsolicited calls, no CLI spoofing; numbers you present must be yours.\n' +
      '4. Termination. Either party may end the service with 30 days’ notice.',
  });
  await assignContract(ctx, template.id, {
    contract_id: terms.id,
    grace_date: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    required: true,
  });
  await pay(umbrella.id, 'GBP', '10.00', 'stripe', 'completed', 'Top-up');
  // Rate cards, routes and authentication; the week of traffic is backfilled once the server listens.
  await setupDemoTelecom(deps, operatorId, { backfillCalls: 0 });
  return true;
}
