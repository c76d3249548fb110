/**
 * Cross-tenant isolation over every registered route: another operator's ids give 404 and never data,
 * and nothing of the victim changes. A new route with parameters fails this test until it is covered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/db.ts';
import { queueMail } from '../emails/outbox.ts';
import { ingestActiveCalls } from '../telecom/live.ts';
import { ENGINE } from '../test/db.ts';
import {
  buildCompany,
  buildContact,
  buildDomain,
  buildOperator,
  client,
  startTestApp,
  type TenantFixture,
  type TestApp,
} from '../test/harness.ts';
import { createIpAuth } from './authlists/ipauth.service.ts';
import { createSipUser } from './authlists/sipusers.service.ts';
import { createAlert } from './catalog/alerts.service.ts';
import { assignContract, createContract } from './catalog/contracts.service.ts';
import { assignPackage, createPackage } from './catalog/packages.service.ts';
import { createCliRule } from './cli/cli.service.ts';
import { createPayment } from './companies/payments.service.ts';
import { createDid } from './numbers/numbers.service.ts';
import { createRateCard, createRoute, importRates } from './ratecards/ratecards.service.ts';
import { issueFormToken } from './signup/guard.ts';

let t: TestApp;
let victim: TenantFixture;
let attacker: TenantFixture;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  victim = await buildOperator(t);
  attacker = await buildOperator(t);
  const d = await buildDomain(victim, { brand_name: 'Victim Brand', features: { balance: true } });
  const c = await buildCompany(victim, { name: 'Victim Co', domain_id: d.id });
  const contact = await buildContact(t, victim, c.id, d.domain);
  await createPayment(victim.ctx, c.id, {
    amount: '42.00',
    currency: 'USD',
    method: 'bank',
    status: 'completed',
  });
  const token = (await victim.console.post('/api/v1/console/tokens', { name: 'victim' })).json();
  const [file] = await withTenant(t.deps.db, victim.operatorId, (tx) =>
    tx.query<{ id: string }>(
      "INSERT INTO public_files (operator_id, filename, content_type, size, width, height, data) VALUES ($1, 'v.png', 'image/png', 1, 1, 1, '\\x00') RETURNING id",
      [victim.operatorId],
    ),
  );
  const did = await createDid(victim.ctx, {
    number: '+1 555 010 0001',
    company_id: c.id,
    destination: 'sip:100@pbx.victim.example',
    tags: ['victim-tag'],
  });
  const ipAuth = await createIpAuth(victim.ctx, c.id, { address: '198.51.100.7', direction: 'egress' });
  const sipUser = await createSipUser(victim.ctx, c.id, {
    username: 'victimtrunk',
    password: 'victim-password-1',
  });
  const cliRule = await createCliRule(victim.ctx, c.id, {
    kind: 'forced',
    pattern: '*',
    replacement: '15550100001',
  });
  const rateCard = await createRateCard(victim.ctx, { name: 'Victim card', currency: 'USD' });
  await importRates(victim.ctx, rateCard.id, [{ prefix: '1', name: 'Victim USA', rate: '0.01' }]);
  const route = await createRoute(victim.ctx, c.id, {
    rate_card_id: rateCard.id,
    public_note: 'victim note',
  });
  await ingestActiveCalls(t.deps, victim.operatorId, [
    {
      call_id: 'victim-call-1',
      company_id: c.id,
      dest_number: '15550100002',
      started_at: new Date().toISOString(),
    },
  ]);
  const mailJob = await withTenant(t.deps.db, victim.operatorId, (tx) =>
    queueMail(tx, {
      operatorId: victim.operatorId,
      domainId: d.id,
      to: 'victim@example.test',
      template: 'test',
    }),
  );
  const alert = await createAlert(victim.ctx, {
    company_id: c.id,
    title: 'Victim alert',
    area: 'balance',
    comparator: '<',
    threshold: '1',
  });
  const pkg = await createPackage(victim.ctx, { name: 'Victim package', currency: 'USD' });
  const packageAssignment = await assignPackage(victim.ctx, c.id, { package_id: pkg.id });
  const contract = await createContract(victim.ctx, { name: 'Victim contract', body: 'victim terms' });
  const contractAssignment = await assignContract(victim.ctx, c.id, { contract_id: contract.id });
  const signupDomain = await buildDomain(victim, { customer_signup: true, currencies: ['USD'] });
  const signedUp = await client(t.app, signupDomain.domain).post('/api/v1/portal/signup', {
    company_name: 'Victim signup',
    contact_name: 'Victim Person',
    email: 'victim-signup@example.test',
    password: 'victim signup pass',
    phone: '+15550100003',
    country: 'US',
    currency: 'USD',
    form_token: issueFormToken(t.deps.box, signupDomain.id, Date.now() - 10_000),
  });
  if (signedUp.statusCode !== 202) throw new Error(`victim sign-up failed: ${signedUp.body}`);
  const [signup] = await withTenant(t.deps.db, victim.operatorId, (tx) =>
    tx.query<{ id: string }>('SELECT id FROM signups'),
  );
  Object.assign(ids, {
    alert: alert.id,
    package: pkg.id,
    packageAssignment: packageAssignment.id,
    contract: contract.id,
    contractAssignment: contractAssignment.id,
    signup: signup!.id,
    mailJob: mailJob!,
    rateCard: rateCard.id,
    route: route.id,
    did: did.id,
    ipAuth: ipAuth.id,
    sipUser: sipUser.id,
    cliRule: cliRule.id,
    domain: d.id,
    company: c.id,
    contact: contact.contact.id,
    token: token.id,
    file: file!.id,
    host: d.domain,
  });
});
afterAll(() => t.close());

const BODIES: Record<string, unknown> = {
  'PATCH /api/v1/console/domains/:id': { brand_name: 'pwned' },
  'POST /api/v1/console/domains/:id/test-email': { to: 'x@example.test' },
  'PATCH /api/v1/console/companies/:id': { name: 'pwned' },
  'POST /api/v1/console/companies/:id/contacts': {
    name: 'pwned',
    email: 'pwned@example.test',
    password: 'pwned-password-1',
  },
  'POST /api/v1/console/companies/:id/contacts/:contactId/reset-password': { password: 'pwned-password-1' },
  'PUT /api/v1/console/companies/:id/contacts/:contactId/ip-allow': { cidrs: ['192.0.2.1'] },
  'POST /api/v1/console/companies/:id/payments': {
    amount: '1000',
    currency: 'USD',
    method: 'x',
    status: 'completed',
  },
  'POST /api/v1/console/rate-cards/:id/rates': [{ prefix: '1', name: 'pwned', rate: '9' }],
  'POST /api/v1/console/companies/:id/routes': { rate_card_id: '00000000-0000-4000-8000-000000000000' },
  'PATCH /api/v1/console/companies/:id/routes/:routeId': { public_note: 'pwned' },
  'PATCH /api/v1/console/dids/:id': { enabled: false, destination: 'sip:pwned@203.0.113.66' },
  'POST /api/v1/console/companies/:id/ip-auth': { address: '203.0.113.66', direction: 'egress' },
  'PATCH /api/v1/console/companies/:id/ip-auth/:entryId': { address: '203.0.113.66' },
  'POST /api/v1/console/companies/:id/sip-users': { username: 'pwneduser', password: 'pwned-password-1' },
  'PATCH /api/v1/console/companies/:id/sip-users/:userId': { password: 'pwned-password-1' },
  'POST /api/v1/console/companies/:id/cli-rules': {
    kind: 'forced',
    pattern: '*',
    replacement: '15550006666',
  },
  'PATCH /api/v1/console/companies/:id/cli-rules/:ruleId': { pattern: '9*', kind: 'allow' },
  'PATCH /api/v1/console/alerts/:id': { title: 'pwned' },
  'PATCH /api/v1/console/packages/:id': { name: 'pwned' },
  'POST /api/v1/console/companies/:id/packages': { package_id: '00000000-0000-4000-8000-000000000000' },
  'PATCH /api/v1/console/companies/:id/packages/:packageAssignmentId': { quantity: 99 },
  'PATCH /api/v1/console/contracts/:id': { name: 'pwned' },
  'POST /api/v1/console/contracts/:id/revisions': { body: 'pwned' },
  'POST /api/v1/console/companies/:id/contracts': { contract_id: '00000000-0000-4000-8000-000000000000' },
  'PATCH /api/v1/console/companies/:id/contracts/:contractAssignmentId': { required: false },
  'PUT /api/v1/console/companies/:id/carrier-alias': { alias: 'pwned' },
};

/** Which of the victim's ids a path parameter takes. */
function fill(url: string): string | null {
  const resource = url.split('/')[4];
  const byResource: Record<string, string> = {
    domains: 'domain',
    companies: 'company',
    tokens: 'token',
    files: 'file',
    dids: 'did',
    'rate-cards': 'rateCard',
    alerts: 'alert',
    packages: 'package',
    contracts: 'contract',
    signups: 'signup',
  };
  let out = url;
  if (out.includes(':id')) {
    const key = resource ? byResource[resource] : undefined;
    if (!key) return null;
    out = out.replace(':id', ids[key]!);
  }
  out = out.replace(':contactId', ids.contact!).replace(':routeId', ids.route!);
  out = out
    .replace(':entryId', ids.ipAuth!)
    .replace(':userId', ids.sipUser!)
    .replace(':ruleId', ids.cliRule!)
    .replace(':callId', 'victim-call-1')
    .replace(':packageAssignmentId', ids.packageAssignment!)
    .replace(':contractAssignmentId', ids.contractAssignment!)
    .replace(':jobId', ids.mailJob!);
  return out.includes(':') ? null : out;
}

describe(`tenant isolation on every route (${ENGINE})`, () => {
  it('console routes with another operator’s ids answer 404 and leak nothing', async () => {
    const routes = t.app.registeredRoutes.filter(
      (r) => r.url.startsWith('/api/v1/console/') && r.url.includes(':'),
    );
    expect(routes.length).toBeGreaterThan(10);
    for (const r of routes) {
      const url = fill(r.url);
      expect(url, `${r.method} ${r.url} has a parameter the isolation test does not know`).not.toBeNull();
      const res = await attacker.console.request(
        r.method,
        url!,
        r.method === 'GET' || r.method === 'DELETE' ? undefined : (BODIES[`${r.method} ${r.url}`] ?? {}),
      );
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBe(404);
      for (const v of ['Victim', 'victim', ids.company!, ids.domain!]) expect(res.body).not.toContain(v);
    }
  });

  it('console lists show only the caller’s rows', async () => {
    const routes = t.app.registeredRoutes.filter(
      (r) => r.method === 'GET' && r.url.startsWith('/api/v1/console/') && !r.url.includes(':'),
    );
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const r of routes) {
      const res = await attacker.console.get(r.url);
      expect(res.statusCode, r.url).toBe(200);
      for (const v of [ids.company!, ids.domain!, ids.token!, ids.file!, ids.did!, 'Victim', 'victim-tag'])
        expect(res.body, r.url).not.toContain(v);
    }
  });

  it('the victim’s data is unchanged after the attempts', async () => {
    const d = (await victim.console.get(`/api/v1/console/domains/${ids.domain}`)).json();
    expect(d.brand_name).toBe('Victim Brand');
    const c = (await victim.console.get(`/api/v1/console/companies/${ids.company}`)).json();
    expect(c.name).toBe('Victim Co');
    const live = await withTenant(t.deps.db, victim.operatorId, (tx) =>
      tx.query('SELECT call_id FROM active_calls'),
    );
    expect(live).toEqual([{ call_id: 'victim-call-1' }]);
    const contacts = (await victim.console.get(`/api/v1/console/companies/${ids.company}/contacts`)).json();
    expect(contacts.items).toHaveLength(1);
    const security = await victim.console.get(
      `/api/v1/console/companies/${ids.company}/contacts/${ids.contact}/security`,
    );
    expect(security.json()).toMatchObject({ ip_allow: [], totp_enabled: false });
    const [job] = await withTenant(t.deps.db, victim.operatorId, (tx) =>
      tx.query<{ state: string; attempts: number }>('SELECT state, attempts FROM jobs WHERE id = $1', [
        ids.mailJob,
      ]),
    );
    expect(job).toEqual({ state: 'queued', attempts: 0 });
    const bal = (await victim.console.get(`/api/v1/console/companies/${ids.company}/balance`)).json();
    expect(bal.balance).toBe('42.0000');
    const tokens = (await victim.console.get('/api/v1/console/tokens')).json();
    expect(tokens.items[0].revoked_at).toBeNull();
    const did = (await victim.console.get(`/api/v1/console/dids/${ids.did}`)).json();
    expect(did).toMatchObject({
      enabled: true,
      destination: 'sip:100@pbx.victim.example',
      company_id: ids.company,
    });
    const base = `/api/v1/console/companies/${ids.company}`;
    expect((await victim.console.get(`/api/v1/console/alerts/${ids.alert}`)).json().title).toBe(
      'Victim alert',
    );
    expect((await victim.console.get(`/api/v1/console/packages/${ids.package}`)).json().name).toBe(
      'Victim package',
    );
    expect((await victim.console.get(`${base}/packages`)).json().items).toMatchObject([{ quantity: 1 }]);
    const contract = (await victim.console.get(`/api/v1/console/contracts/${ids.contract}`)).json();
    expect(contract).toMatchObject({ name: 'Victim contract', latest_revision: 1 });
    expect((await victim.console.get(`${base}/contracts`)).json().items).toMatchObject([{ required: true }]);
    expect((await victim.console.get(`/api/v1/console/signups/${ids.signup}`)).json()).toMatchObject({
      status: 'pending_approval',
      decision: null,
      email_verified_at: null,
    });
    const ip = (await victim.console.get(`${base}/ip-auth`)).json();
    expect(ip.items).toHaveLength(1);
    expect(ip.items[0].address).toBe('198.51.100.7');
    const users = (await victim.console.get(`${base}/sip-users`)).json();
    expect(users.items.map((u: { username: string }) => u.username)).toEqual(['victimtrunk']);
    const rules = (await victim.console.get(`${base}/cli-rules`)).json();
    expect(rules.items).toMatchObject([{ kind: 'forced', pattern: '*', replacement: '15550100001' }]);
    const [ha1] = await withTenant(t.deps.db, victim.operatorId, (tx) =>
      tx.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM sip_users WHERE ha1 = md5('victimtrunk:' || realm || ':victim-password-1')",
      ),
    );
    expect(ha1!.n).toBe(1);
  });

  it('DID bulk edit and DID creation refuse another operator’s ids without touching them', async () => {
    const bulk = await attacker.console.post('/api/v1/console/dids/bulk', {
      ids: [ids.did],
      patch: { enabled: false },
    });
    expect(bulk.statusCode).toBe(400);
    expect(bulk.json()).toMatchObject({ error: 'unknown_did', id: ids.did });
    const create = await attacker.console.post('/api/v1/console/dids', {
      number: '15550109999',
      company_id: ids.company,
      destination: 'sip:x@203.0.113.66',
    });
    expect(create.statusCode).toBe(400);
    expect(create.json().error).toBe('invalid_company');
    // Numbers are unique per operator, not platform-wide.
    const same = await attacker.console.post('/api/v1/console/dids', { number: '15550100001' });
    expect(same.statusCode, same.body).toBe(201);
    expect((await victim.console.get(`/api/v1/console/dids/${ids.did}`)).json().enabled).toBe(true);
  });

  it('portal routes never answer on the console host or for another operator’s contact', async () => {
    // The sign-up form is public (no session): signup.test.ts covers it, including the console host's 404.
    const portalRoutes = t.app.registeredRoutes.filter(
      (r) => r.url.startsWith('/api/v1/portal/') && !r.url.startsWith('/api/v1/portal/signup'),
    );
    expect(portalRoutes.length).toBeGreaterThan(0);
    const attackerDomain = await buildDomain(attacker, { features: { balance: true } });
    const attackerCo = await buildCompany(attacker, { domain_id: attackerDomain.id });
    const a = await buildContact(t, attacker, attackerCo.id, attackerDomain.domain);
    await a.login();
    for (const r of portalRoutes) {
      const onConsole = await attacker.console.request(r.method, r.url);
      expect(onConsole.statusCode, r.url).toBe(404);
      const onVictimHost = client(t.app, ids.host!);
      onVictimHost.cookie = a.portal.cookie;
      const res = await onVictimHost.request(r.method, r.url);
      expect(res.statusCode, r.url).toBe(401);
      const own = await a.portal.request(r.method, r.url);
      expect(own.body).not.toContain('42.0000');
    }
  });

  it('console routes do not answer on a portal host', async () => {
    const res = await client(t.app, ids.host!).get('/api/v1/console/companies');
    expect(res.statusCode).toBe(404);
  });
});
