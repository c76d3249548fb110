import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerJobHandlers } from '../../jobs/handlers.ts';
import { JobRunner } from '../../jobs/queue.ts';
import { ENGINE } from '../../test/db.ts';
import {
  buildCompany,
  buildContact,
  buildDomain,
  buildOperator,
  client,
  startTestApp,
  type TenantFixture,
  type TestApp,
} from '../../test/harness.ts';
import { type CapturedMail, type SmtpCatcher, startSmtpCatcher } from '../../test/smtp.ts';
import { createIpAuth } from '../authlists/ipauth.service.ts';
import { createSipUser } from '../authlists/sipusers.service.ts';
import { createAlert } from '../catalog/alerts.service.ts';
import { addRevision, assignContract, createContract } from '../catalog/contracts.service.ts';
import { assignPackage, createPackage } from '../catalog/packages.service.ts';
import { createCliRule } from '../cli/cli.service.ts';
import { createPayment } from '../companies/payments.service.ts';
import { createDid } from '../numbers/numbers.service.ts';
import { createRateCard, createRoute, importRates } from '../ratecards/ratecards.service.ts';
import { IP_LIMIT, issueFormToken } from './guard.ts';

let t: TestApp;
let op: TenantFixture;
let brandSmtp: SmtpCatcher;
let platformSmtp: SmtpCatcher;
let runner: JobRunner;
// The job runner's clock runs ahead of real time by `ahead` ms, so retries become due without waiting.
let ahead = 0;
let ipSeq = 0;
/** A fresh client address per sign-up, so the per-IP limit only bites where a test wants it. */
const nextIp = () => `198.51.100.${++ipSeq}`;

beforeAll(async () => {
  platformSmtp = await startSmtpCatcher();
  brandSmtp = await startSmtpCatcher();
  t = await startTestApp({
    SMTP_URL: `smtp://127.0.0.1:${platformSmtp.port}`,
    SMTP_FROM: 'platform@example.test',
  });
  op = await buildOperator(t);
  runner = registerJobHandlers(new JobRunner(t.deps, { now: () => new Date(Date.now() + ahead) }));
});
afterAll(async () => {
  await t.close();
  await brandSmtp.close();
  await platformSmtp.close();
});

const smtp = () => ({
  host: '127.0.0.1',
  port: brandSmtp.port,
  security: 'none' as const,
  from: 'hello@brand.test',
});

async function signupDomain(input: Parameters<typeof buildDomain>[1] = {}) {
  return buildDomain(op, {
    customer_signup: true,
    currencies: ['EUR', 'USD'],
    features: { balance: true },
    smtp: smtp(),
    ...input,
  });
}

function form(domainId: string, over: Record<string, unknown> = {}) {
  return {
    company_name: 'Newco Ltd',
    contact_name: 'Nina New',
    email: `nina${++ipSeq}@newco.test`,
    password: 'correct horse battery',
    phone: '+44 20 7946 0000',
    country: 'GB',
    currency: 'EUR',
    form_token: issueFormToken(t.deps.box, domainId, Date.now() - 10_000),
    ...over,
  };
}

function post(host: string, url: string, body: unknown, ip = nextIp()) {
  return t.app.inject({
    method: 'POST',
    url,
    remoteAddress: ip,
    headers: { host, origin: `http://${host}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

const companiesNamed = (name: string) =>
  t.deps.db.query<{ id: string; status: string; type: string }>(
    'SELECT id, status, type FROM companies WHERE operator_id = $1 AND name = $2',
    [op.operatorId, name],
  );

const mailTo = (catcher: SmtpCatcher, to: string, subject: RegExp) =>
  catcher.messages.filter((m) => m.to === to && subject.test(m.subject));

function linkToken(mail: CapturedMail): string {
  const m = /\/signup\/verify\?token=([A-Za-z0-9_%-]+)/.exec(mail.text);
  if (!m?.[1]) throw new Error(`no verification link in: ${mail.text}`);
  return decodeURIComponent(m[1]);
}

describe(`self sign-up (${ENGINE})`, () => {
  it('answers 404 on a domain with sign-up off, and for a type that is off', async () => {
    const off = await buildDomain(op, { features: { balance: true } });
    expect((await client(t.app, off.domain).get('/api/v1/portal/signup')).statusCode).toBe(404);
    const res = await post(off.domain, '/api/v1/portal/signup', form(off.id, { company_name: 'Off Co' }));
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('signup_disabled');
    const on = await signupDomain();
    const carrier = await post(on.domain, '/api/v1/portal/signup', form(on.id, { type: 'carrier' }));
    expect(carrier.statusCode).toBe(404);
    expect(await companiesNamed('Off Co')).toEqual([]);
    // Sign-up is never answered on the console host.
    expect((await post('console.test', '/api/v1/portal/signup', form(on.id))).statusCode).toBe(404);
  });

  it('offers the brand’s currencies and a form token', async () => {
    const d = await signupDomain();
    const res = await client(t.app, d.domain).get('/api/v1/portal/signup');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ types: ['customer'], currencies: ['EUR', 'USD'] });
    expect(res.json().countries).toContain('GB');
    expect(res.json().form_token).toEqual(expect.any(String));
  });

  it('clones every template section and nothing else, in the new customer’s currency, and verifies by link', async () => {
    const d = await signupDomain();
    const template = await buildCompany(op, {
      name: 'Template Co',
      currency: 'USD',
      debit_limit: '25',
      channels: 30,
      cps: 5,
      show: ['cdr'],
      hide: ['voucher'],
      portal_access: false,
      domain_id: d.id,
    });
    const templateContact = await buildContact(t, op, template.id, d.domain);
    await t.deps.db.query('UPDATE portal_domains SET template_customer_id = $1 WHERE id = $2', [
      template.id,
      d.id,
    ]);
    const card = await createRateCard(op.ctx, { name: 'Retail', currency: 'USD' });
    await importRates(op.ctx, card.id, [{ prefix: '44', name: 'UK', rate: '0.01' }]);
    await createRoute(op.ctx, template.id, { rate_card_id: card.id, public_note: 'Standard route' });
    await createPayment(op.ctx, template.id, {
      amount: '5.00',
      currency: 'USD',
      method: 'credit',
      status: 'completed',
      description: 'Welcome credit',
    });
    await createPayment(op.ctx, template.id, {
      amount: '99',
      currency: 'USD',
      method: 'x',
      status: 'cancelled',
    });
    await createAlert(op.ctx, {
      company_id: template.id,
      title: 'Low balance',
      area: 'balance',
      comparator: '<',
      threshold: '2',
      recipient: templateContact.email,
    });
    await createAlert(op.ctx, {
      company_id: template.id,
      title: 'Low ASR',
      area: 'asr',
      comparator: '<',
      threshold: '30',
      reset_threshold: '31',
      recipient: 'noc@operator.test',
    });
    const pkg = await createPackage(op.ctx, {
      name: 'Starter',
      currency: 'USD',
      retail: '10',
      frequency: 'monthly',
    });
    await assignPackage(op.ctx, template.id, {
      package_id: pkg.id,
      start_date: '2020-01-01',
      end_date: '2020-01-31',
    });
    const contract = await createContract(op.ctx, { name: 'Terms of service', body: 'Version one' });
    await addRevision(op.ctx, contract.id, { body: 'Version two' });
    const grace = new Date(Date.now() + 14 * 86_400_000).toISOString();
    await assignContract(op.ctx, template.id, {
      contract_id: contract.id,
      grace_date: grace,
      required: true,
    });
    // Never cloned:
    await createDid(op.ctx, {
      number: '15550100001',
      company_id: template.id,
      destination: 'sip:1@pbx.test',
    });
    await createIpAuth(op.ctx, template.id, { address: '198.51.100.7', direction: 'egress' });
    await createSipUser(op.ctx, template.id, { username: 'templatetrunk', password: 'template-password-1' });
    await createCliRule(op.ctx, template.id, { kind: 'forced', pattern: '*', replacement: '15550100001' });

    const body = form(d.id, { company_name: 'Clone Target Ltd', email: 'Owner@Clone.test' });
    const res = await post(d.domain, '/api/v1/portal/signup', body);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().status).toBe('check_email');
    const [company] = await companiesNamed('Clone Target Ltd');
    expect(company).toMatchObject({ status: 'active', type: 'customer' });
    const id = company!.id;

    const [c] = await t.deps.db.query<Record<string, unknown>>('SELECT * FROM companies WHERE id = $1', [id]);
    expect(c).toMatchObject({
      currency: 'EUR',
      domain_id: d.id,
      portal_access: true,
      channels: 30,
      cps: 5,
      show: ['cdr'],
      hide: ['voucher'],
    });
    expect(String(c!.debit_limit)).toBe('25.0000');

    // Every table with a company_id: only the cloned sections (and the sign-up's own rows) have rows.
    const tables = await t.deps.db.query<{ table_name: string }>(
      `SELECT c.table_name FROM information_schema.columns c
         JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
        WHERE c.table_schema = 'public' AND c.column_name = 'company_id' AND tb.table_type = 'BASE TABLE'`,
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) {
      const [r] = await t.deps.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE company_id = $1`,
        [id],
      );
      if (r && r.n > 0) counts[table_name] = r.n;
    }
    expect(counts).toEqual({
      contacts: 1,
      routes: 1,
      payments: 1,
      alerts: 2,
      package_assignments: 1,
      contract_assignments: 1,
      signups: 1,
    });
    for (const table of ['dids', 'ip_auth', 'sip_users', 'cli_rules'])
      expect(tables.map((x) => x.table_name)).toContain(table);

    const [payment] = await t.deps.db.query<{
      amount: string;
      currency: string;
      fresh: boolean;
      description: string;
    }>(
      `SELECT amount::text, currency, created_at > now() - interval '1 minute' AS fresh, description
         FROM payments WHERE company_id = $1`,
      [id],
    );
    expect(payment).toEqual({
      amount: '5.0000',
      currency: 'EUR',
      fresh: true,
      description: 'Welcome credit',
    });
    const [route] = await t.deps.db.query<{ rate_card_id: string; public_note: string }>(
      'SELECT rate_card_id, public_note FROM routes WHERE company_id = $1',
      [id],
    );
    expect(route).toEqual({ rate_card_id: card.id, public_note: 'Standard route' });
    const alerts = await t.deps.db.query<{
      title: string;
      recipient: string;
      reset_threshold: string | null;
    }>('SELECT title, recipient, reset_threshold::text FROM alerts WHERE company_id = $1 ORDER BY title', [
      id,
    ]);
    expect(alerts).toEqual([
      { title: 'Low ASR', recipient: 'noc@operator.test', reset_threshold: '31.0000' },
      { title: 'Low balance', recipient: 'owner@clone.test', reset_threshold: null },
    ]);
    const [pa] = await t.deps.db.query<{ today: boolean; days: number; package_id: string }>(
      `SELECT start_date = current_date AS today, end_date - start_date AS days, package_id
         FROM package_assignments WHERE company_id = $1`,
      [id],
    );
    expect(pa).toEqual({ today: true, days: 30, package_id: pkg.id });
    const [ca] = await t.deps.db.query<{
      revision: number;
      approved_at: null;
      required: boolean;
      grace_days: number;
    }>(
      `SELECT r.revision, a.approved_at, a.required,
              round(extract(epoch FROM a.grace_date - now()) / 86400)::int AS grace_days
         FROM contract_assignments a JOIN contract_revisions r ON r.id = a.revision_id WHERE a.company_id = $1`,
      [id],
    );
    expect(ca).toEqual({ revision: 2, approved_at: null, required: true, grace_days: 14 });

    // The password works only after the emailed link proves the address.
    const portal = client(t.app, d.domain);
    const early = await portal.post('/api/v1/auth/login', {
      email: 'owner@clone.test',
      password: body.password,
    });
    expect(early.statusCode).toBe(401);
    await runner.drain();
    const verifyMail = await brandSmtp.waitFor(
      (m) => m.to === 'owner@clone.test' && /confirm/i.test(m.subject),
    );
    expect(verifyMail.headerFrom).toContain('hello@brand.test');
    const notice = await platformSmtp.waitFor((m) => m.to === op.email && /Clone Target Ltd/.test(m.subject));
    expect(notice.text).toContain('owner@clone.test');
    const token = linkToken(verifyMail);
    const ok = await post(d.domain, '/api/v1/portal/signup/verify', { token });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ email: 'owner@clone.test', pending_approval: false });
    const again = await post(d.domain, '/api/v1/portal/signup/verify', { token });
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toBe('invalid_token');
    const login = await portal.post('/api/v1/auth/login', {
      email: 'owner@clone.test',
      password: body.password,
    });
    expect(login.statusCode, login.body).toBe(200);
    const balance = await portal.get('/api/v1/portal/balance');
    expect(balance.json()).toMatchObject({ balance: '5.0000', currency: 'EUR', available: '30.0000' });
    await runner.drain();
    await brandSmtp.waitFor((m) => m.to === 'owner@clone.test' && /^Welcome/.test(m.subject));
  });

  it('gives the same answer for a registered email, makes nothing and tells the owner', async () => {
    const d = await signupDomain();
    const existing = await buildCompany(op, { name: 'Existing Co', domain_id: d.id });
    const owner = await buildContact(t, op, existing.id, d.domain);
    const fresh = await post(d.domain, '/api/v1/portal/signup', form(d.id, { company_name: 'Fresh Co' }));
    const dup = await post(
      d.domain,
      '/api/v1/portal/signup',
      form(d.id, { company_name: 'Dup Co', email: owner.email.toUpperCase() }),
    );
    expect(dup.statusCode).toBe(fresh.statusCode);
    expect(dup.body).toBe(fresh.body);
    expect(await companiesNamed('Dup Co')).toEqual([]);
    await runner.drain();
    const mail = await brandSmtp.waitFor((m) => m.to === owner.email);
    expect(mail.subject).toMatch(/tried to sign up/);
    expect(mailTo(brandSmtp, owner.email, /confirm/i)).toEqual([]);
    // The owner's password still works: nothing about the account changed.
    expect((await owner.login()).statusCode).toBe(200);
  });

  it('makes one account from two concurrent sign-ups with the same email', async () => {
    const d = await signupDomain();
    const email = 'race@newco.test';
    const [a, b] = await Promise.all([
      post(d.domain, '/api/v1/portal/signup', form(d.id, { company_name: 'Race A', email })),
      post(
        d.domain,
        '/api/v1/portal/signup',
        form(d.id, { company_name: 'Race B', email: 'RACE@newco.test' }),
      ),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    expect(a.body).toBe(b.body);
    const contacts = await t.deps.db.query(
      'SELECT id FROM contacts WHERE operator_id = $1 AND lower(email) = $2',
      [op.operatorId, email],
    );
    expect(contacts).toHaveLength(1);
    const made = [...(await companiesNamed('Race A')), ...(await companiesNamed('Race B'))];
    expect(made).toHaveLength(1);
  });

  it('refuses short and common passwords, bad fields and currencies not offered, creating nothing', async () => {
    const d = await signupDomain();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ password: 'short-pw' }, 'weak_password', 'password'],
      [{ password: 'qwertyuiop' }, 'weak_password', 'password'],
      [{ password: 'PASSWORD123' }, 'weak_password', 'password'],
      [{ email: 'not-an-email' }, 'invalid_email', 'email'],
      [{ phone: 'call me' }, 'invalid_phone', 'phone'],
      [{ country: 'XX' }, 'invalid_country', 'country'],
      [{ currency: 'GBP' }, 'invalid_currency', 'currency'],
      [{ company_name: '  ' }, 'invalid_name', 'company_name'],
    ];
    for (const [over, code, fieldName] of cases) {
      const res = await post(
        d.domain,
        '/api/v1/portal/signup',
        form(d.id, { company_name: 'Refused Co', ...over }),
      );
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(res.json()).toMatchObject({ error: code, field: fieldName });
    }
    expect(await companiesNamed('Refused Co')).toEqual([]);
  });

  it('drops a filled honeypot silently, refuses a form filled too fast, forged or from another brand', async () => {
    const d = await signupDomain();
    const other = await signupDomain();
    const bot = await post(
      d.domain,
      '/api/v1/portal/signup',
      form(d.id, { company_name: 'Bot Co', website: 'x' }),
    );
    expect(bot.statusCode).toBe(202);
    expect(await companiesNamed('Bot Co')).toEqual([]);
    const fast = await post(
      d.domain,
      '/api/v1/portal/signup',
      form(d.id, { company_name: 'Fast Co', form_token: issueFormToken(t.deps.box, d.id) }),
    );
    expect(fast.statusCode).toBe(400);
    expect(fast.json().error).toBe('too_fast');
    for (const token of ['forged', issueFormToken(t.deps.box, other.id, Date.now() - 10_000)]) {
      const res = await post(
        d.domain,
        '/api/v1/portal/signup',
        form(d.id, { company_name: 'Fast Co', form_token: token }),
      );
      expect(res.json().error).toBe('form_expired');
    }
    const stale = issueFormToken(t.deps.box, d.id, Date.now() - 25 * 3_600_000);
    const old = await post(
      d.domain,
      '/api/v1/portal/signup',
      form(d.id, { company_name: 'Fast Co', form_token: stale }),
    );
    expect(old.json().error).toBe('form_expired');
    expect(await companiesNamed('Fast Co')).toEqual([]);
  });

  it('limits sign-up attempts per IP address', async () => {
    const d = await signupDomain();
    const ip = '203.0.113.99';
    for (let i = 0; i < IP_LIMIT; i++) {
      const res = await post(d.domain, '/api/v1/portal/signup', form(d.id, { password: 'short' }), ip);
      expect(res.statusCode).toBe(400);
    }
    const blocked = await post(
      d.domain,
      '/api/v1/portal/signup',
      form(d.id, { company_name: 'Limited Co' }),
      ip,
    );
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(await companiesNamed('Limited Co')).toEqual([]);
    const elsewhere = await post(
      d.domain,
      '/api/v1/portal/signup',
      form(d.id, { company_name: 'Limited Co' }),
    );
    expect(elsewhere.statusCode).toBe(202);
  });

  it('refuses an expired verification link', async () => {
    const d = await signupDomain();
    const body = form(d.id, { company_name: 'Slow Co', email: 'slow@newco.test' });
    expect((await post(d.domain, '/api/v1/portal/signup', body)).statusCode).toBe(202);
    await runner.drain();
    const token = linkToken(await brandSmtp.waitFor((m) => m.to === 'slow@newco.test'));
    await t.deps.db.query(
      `UPDATE email_verifications SET expires_at = now() - interval '1 second'
        WHERE contact_id = (SELECT id FROM contacts WHERE email = 'slow@newco.test')`,
    );
    const res = await post(d.domain, '/api/v1/portal/signup/verify', { token });
    expect(res.statusCode).toBe(400);
    const login = await client(t.app, d.domain).post('/api/v1/auth/login', {
      email: 'slow@newco.test',
      password: body.password,
    });
    expect(login.statusCode).toBe(401);
  });

  it('leaves a sign-up pending when the template is not active; the operator approves or rejects it', async () => {
    const d = await signupDomain();
    const template = await buildCompany(op, { name: 'Pending Template', status: 'pending_approval' });
    await t.deps.db.query('UPDATE portal_domains SET template_customer_id = $1 WHERE id = $2', [
      template.id,
      d.id,
    ]);
    const a = form(d.id, { company_name: 'Approve Me', email: 'approve@newco.test' });
    const r = form(d.id, { company_name: 'Reject Me', email: 'reject@newco.test' });
    for (const body of [a, r])
      expect((await post(d.domain, '/api/v1/portal/signup', body)).statusCode).toBe(202);
    const pending = (await op.console.get('/api/v1/console/signups?state=pending')).json();
    expect(pending.pending).toBeGreaterThanOrEqual(2);
    const byName = (n: string) => pending.items.find((s: { company_name: string }) => s.company_name === n);
    expect(byName('Approve Me')).toMatchObject({
      status: 'pending_approval',
      email: 'approve@newco.test',
      country: 'GB',
    });

    await runner.drain();
    for (const email of ['approve@newco.test', 'reject@newco.test']) {
      const token = linkToken(await brandSmtp.waitFor((m) => m.to === email && /confirm/i.test(m.subject)));
      const v = await post(d.domain, '/api/v1/portal/signup/verify', { token });
      expect(v.json()).toEqual({ email, pending_approval: true });
    }
    const approved = await op.console.post(`/api/v1/console/signups/${byName('Approve Me').id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'active', decision: 'approved' });
    const twice = await op.console.post(`/api/v1/console/signups/${byName('Approve Me').id}/reject`);
    expect(twice.statusCode).toBe(409);
    const rejected = await op.console.post(`/api/v1/console/signups/${byName('Reject Me').id}/reject`);
    expect(rejected.json()).toMatchObject({ status: 'closed', decision: 'rejected' });

    const portal = client(t.app, d.domain);
    expect(
      (await portal.post('/api/v1/auth/login', { email: 'reject@newco.test', password: r.password }))
        .statusCode,
    ).toBe(401);
    expect(
      (await portal.post('/api/v1/auth/login', { email: 'approve@newco.test', password: a.password }))
        .statusCode,
    ).toBe(200);
    await runner.drain();
    await brandSmtp.waitFor((m) => m.to === 'approve@newco.test' && /^Welcome/.test(m.subject));
    expect(mailTo(brandSmtp, 'reject@newco.test', /^Welcome/)).toEqual([]);
  });

  it('lets the operator confirm an address by hand; the chosen password then works and the link is spent', async () => {
    const d = await signupDomain();
    const body = form(d.id, { company_name: 'Phone Checked Co', email: 'phone@newco.test' });
    expect((await post(d.domain, '/api/v1/portal/signup', body)).statusCode).toBe(202);
    const list = (await op.console.get('/api/v1/console/signups?q=phone%20checked')).json();
    expect(list.items).toHaveLength(1);
    const id = list.items[0].id;
    expect(list.items[0].email_verified_at).toBeNull();
    const confirmed = await op.console.post(`/api/v1/console/signups/${id}/confirm-email`);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().email_verified_at).toEqual(expect.any(String));
    expect((await op.console.post(`/api/v1/console/signups/${id}/confirm-email`)).statusCode).toBe(409);
    const portal = client(t.app, d.domain);
    const login = await portal.post('/api/v1/auth/login', {
      email: 'phone@newco.test',
      password: body.password,
    });
    expect(login.statusCode).toBe(200);
    await runner.drain();
    const token = linkToken(
      await brandSmtp.waitFor((m) => m.to === 'phone@newco.test' && /confirm/i.test(m.subject)),
    );
    expect((await post(d.domain, '/api/v1/portal/signup/verify', { token })).statusCode).toBe(400);
  });

  it('creates a pending carrier without cloning on carrier sign-up', async () => {
    const template = await buildCompany(op, { name: 'Carrier Template Probe' });
    await createPayment(op.ctx, template.id, {
      amount: '5',
      currency: 'USD',
      method: 'credit',
      status: 'completed',
    });
    const d = await signupDomain({
      customer_signup: false,
      carrier_signup: true,
      template_customer_id: template.id,
    });
    const res = await post(
      d.domain,
      '/api/v1/portal/signup',
      form(d.id, { type: 'carrier', company_name: 'Carrier Up' }),
    );
    expect(res.statusCode, res.body).toBe(202);
    const [carrier] = await companiesNamed('Carrier Up');
    expect(carrier).toMatchObject({ type: 'carrier', status: 'pending_approval' });
    const payments = await t.deps.db.query('SELECT 1 FROM payments WHERE company_id = $1', [carrier!.id]);
    expect(payments).toEqual([]);
  });

  it('succeeds while the SMTP server is down; the mail arrives once it is back', async () => {
    const down = await startSmtpCatcher();
    const d = await signupDomain({ smtp: { ...smtp(), port: down.port } });
    await down.stop();
    const res = await post(
      d.domain,
      '/api/v1/portal/signup',
      form(d.id, { company_name: 'Outage Co', email: 'outage@newco.test' }),
    );
    expect(res.statusCode).toBe(202);
    expect(await companiesNamed('Outage Co')).toHaveLength(1);
    await runner.drain();
    const [job] = await t.deps.db.query<{ state: string; attempts: number; last_error: string }>(
      `SELECT state, attempts, last_error FROM jobs WHERE kind = 'mail.send' AND payload->>'to' = 'outage@newco.test'`,
    );
    expect(job).toMatchObject({ state: 'queued', attempts: 1 });
    expect(job!.last_error).toBeTruthy();
    await down.start();
    ahead += 61_000;
    await runner.drain();
    const mail = await down.waitFor((m) => m.to === 'outage@newco.test');
    expect(mail.subject).toMatch(/confirm/i);
    await down.close();
  });
});
