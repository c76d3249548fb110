import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/db.ts';
import { registerJobHandlers } from '../../jobs/handlers.ts';
import { JobRunner } from '../../jobs/queue.ts';
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
import { ipAllowed, normalizeAllowList } from './ipallow.ts';

let t: TestApp;
let op: TenantFixture;
let smtp: SmtpCatcher;
let runner: JobRunner;
let domain: { id: string; domain: string };
let companyId: string;

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SMTP_FROM: 'platform@example.test' });
  op = await buildOperator(t);
  domain = await buildDomain(op, { brand_name: 'Lifecycle Voice' });
  companyId = (await buildCompany(op, { domain_id: domain.id })).id;
  runner = registerJobHandlers(new JobRunner(t.deps));
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

/** Sends every queued mail and returns the one for this address. */
async function mailTo(to: string, subject: RegExp): Promise<CapturedMail> {
  await runner.drain();
  return smtp.waitFor((m) => m.to === to && subject.test(m.subject));
}

const tokenIn = (mail: CapturedMail, path: string) => {
  const m = new RegExp(`(http://[^\\s]+${path})#token=([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!m) throw new Error(`no ${path} link in: ${mail.text}`);
  return { url: m[1]!, token: m[2]! };
};

const totpFor = (secret: string) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
/**
 * The current code, after forgetting the contact's last used step: a step is accepted once, and a
 * test uses more codes than a real minute has steps.
 */
async function freshCode(secret: string, contactId: string): Promise<string> {
  await t.deps.db.query('UPDATE contacts SET totp_last_step = NULL WHERE id = $1', [contactId]);
  return totpFor(secret).generate();
}

describe('invitations', () => {
  it('a contact added without a password gets a single-use link that sets it, through the brand', async () => {
    const email = 'invitee@example.test';
    const res = await op.console.post(`/api/v1/console/companies/${companyId}/contacts`, {
      name: 'Ivy <Invitee>',
      email,
    });
    expect(res.statusCode, res.body).toBe(201);
    const mail = await mailTo(email, /portal account is ready/);
    expect(mail.subject).toContain('Lifecycle Voice');
    expect(mail.html).toContain('Ivy &lt;Invitee&gt;');
    const { url, token } = tokenIn(mail, '/set-password');
    expect(url).toBe(`http://${domain.domain}:8080/set-password`);
    // Only the hash is stored.
    const stored = await t.deps.db.query<{ token_hash: string }>('SELECT token_hash FROM contact_tokens');
    expect(JSON.stringify(stored)).not.toContain(token);

    const portal = client(t.app, domain.domain);
    const weak = await portal.post('/api/v1/auth/password/set', { token, password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toBe('weak_password');
    const ok = await portal.post('/api/v1/auth/password/set', { token, password: 'invited-password-1' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ email });
    const again = await portal.post('/api/v1/auth/password/set', { token, password: 'another-password-2' });
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toBe('invalid_token');
    const login = await portal.post('/api/v1/auth/login', { email, password: 'invited-password-1' });
    expect(login.statusCode).toBe(200);
  });

  it('an invitation link works only on its brand, and a new invitation ends the old link', async () => {
    const other = await buildDomain(op);
    const c = await op.console.post(`/api/v1/console/companies/${companyId}/contacts`, {
      name: 'Two Links',
      email: 'twolinks@example.test',
    });
    const first = tokenIn(await mailTo('twolinks@example.test', /ready/), '/set-password').token;
    const wrongHost = await client(t.app, other.domain).post('/api/v1/auth/password/set', {
      token: first,
      password: 'some-password-11',
    });
    expect(wrongHost.json().error).toBe('invalid_token');
    smtp.messages.length = 0;
    const re = await op.console.post(
      `/api/v1/console/companies/${companyId}/contacts/${c.json().id}/invite`,
      {},
    );
    expect(re.statusCode, re.body).toBe(202);
    expect(re.json()).toEqual({ sent_to: 'twolinks@example.test', domain: domain.domain });
    const second = tokenIn(await mailTo('twolinks@example.test', /ready/), '/set-password').token;
    const portal = client(t.app, domain.domain);
    expect(
      (await portal.post('/api/v1/auth/password/set', { token: first, password: 'some-password-11' }))
        .statusCode,
    ).toBe(400);
    expect(
      (await portal.post('/api/v1/auth/password/set', { token: second, password: 'some-password-11' }))
        .statusCode,
    ).toBe(200);
    const audit = (await op.console.get('/api/v1/console/audit')).json();
    expect(JSON.stringify(audit)).toContain('contact.invite');
  });
});

describe('password reset', () => {
  it('answers the same for unknown emails, mails a link that expires, is single-use and ends every session', async () => {
    const c = await buildContact(t, op, companyId, domain.domain);
    expect((await c.login()).statusCode).toBe(200);
    const other = client(t.app, domain.domain);
    await other.post('/api/v1/auth/login', { email: c.email, password: c.password });

    const anon = client(t.app, domain.domain);
    const unknown = await anon.post('/api/v1/auth/password/forgot', { email: 'nobody@example.test' });
    const known = await anon.post('/api/v1/auth/password/forgot', { email: c.email.toUpperCase() });
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    const mail = await mailTo(c.email, /reset your password/);
    const { url, token } = tokenIn(mail, '/reset-password');
    expect(url).toContain(domain.domain);
    await runner.drain();
    expect(smtp.messages.some((m) => m.to === 'nobody@example.test')).toBe(false);

    // Expired: move the row's expiry into the past.
    await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query("UPDATE contact_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'reset'"),
    );
    const expired = await anon.post('/api/v1/auth/password/set', { token, password: 'brand-new-pass-1' });
    expect(expired.json().error).toBe('invalid_token');

    smtp.messages.length = 0;
    await anon.post('/api/v1/auth/password/forgot', { email: c.email });
    const fresh = tokenIn(await mailTo(c.email, /reset your password/), '/reset-password').token;
    const set = await anon.post('/api/v1/auth/password/set', { token: fresh, password: 'brand-new-pass-1' });
    expect(set.statusCode, set.body).toBe(200);
    // Every session ended; the old password is gone; the link is spent.
    expect((await c.portal.get('/api/v1/me')).statusCode).toBe(401);
    expect((await other.get('/api/v1/me')).statusCode).toBe(401);
    expect((await anon.post('/api/v1/auth/login', { email: c.email, password: c.password })).statusCode).toBe(
      401,
    );
    expect(
      (await anon.post('/api/v1/auth/login', { email: c.email, password: 'brand-new-pass-1' })).statusCode,
    ).toBe(200);
    expect(
      (await anon.post('/api/v1/auth/password/set', { token: fresh, password: 'x-brand-new-2' })).statusCode,
    ).toBe(400);
  });

  it('is refused on the console host', async () => {
    const res = await op.console.post('/api/v1/auth/password/forgot', { email: op.email });
    expect(res.statusCode).toBe(404);
  });
});

describe('profile and password change', () => {
  it('edits name, phone and time zone; password change needs the current one and ends other sessions', async () => {
    const c = await buildContact(t, op, companyId, domain.domain);
    await c.login();
    const second = client(t.app, domain.domain);
    await second.post('/api/v1/auth/login', { email: c.email, password: c.password });
    const p = c.portal;
    expect((await p.get('/api/v1/portal/profile')).json()).toMatchObject({
      email: c.email,
      time_zone: 'UTC',
      phone: '',
    });
    const bad = await p.patch('/api/v1/portal/profile', { time_zone: 'Mars/Olympus' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('time_zone');
    const ok = await p.patch('/api/v1/portal/profile', {
      name: 'Renamed',
      phone: '+44 20 7946 0000',
      time_zone: 'Europe/London',
    });
    expect(ok.json()).toMatchObject({
      name: 'Renamed',
      phone: '+44 20 7946 0000',
      time_zone: 'Europe/London',
    });
    expect((await p.get('/api/v1/me')).json().user.name).toBe('Renamed');

    const wrong = await p.post('/api/v1/portal/profile/password', {
      current_password: 'not-the-password',
      new_password: 'changed-password-1',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toBe('wrong_password');
    const changed = await p.post('/api/v1/portal/profile/password', {
      current_password: c.password,
      new_password: 'changed-password-1',
    });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await p.get('/api/v1/me')).statusCode).toBe(200);
    expect((await second.get('/api/v1/me')).statusCode).toBe(401);
  });
});

describe('TOTP two-factor sign-in', () => {
  it('enrols with a QR code, asks for a code at sign-in, takes each recovery code once, and turns off', async () => {
    const c = await buildContact(t, op, companyId, domain.domain);
    await c.login();
    const p = c.portal;
    const setup = await p.post('/api/v1/portal/security/totp/setup');
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret, qr_code, otpauth_url } = setup.json();
    expect(qr_code).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(qr_code.split(',')[1], 'base64').toString()).toContain('<svg');
    expect(otpauth_url).toContain('issuer=Lifecycle%20Voice');
    // Sealed at rest.
    const [row] = await t.deps.db.query<{ totp_pending_enc: string }>(
      'SELECT totp_pending_enc FROM contacts WHERE id = $1',
      [c.contact.id],
    );
    expect(row!.totp_pending_enc).not.toContain(secret);
    expect(t.deps.box.decrypt(row!.totp_pending_enc)).toBe(secret);

    expect((await p.post('/api/v1/portal/security/totp/enable', { code: '000000' })).statusCode).toBe(400);
    const enabled = await p.post('/api/v1/portal/security/totp/enable', {
      code: await freshCode(secret, c.contact.id),
    });
    expect(enabled.statusCode, enabled.body).toBe(200);
    const codes: string[] = enabled.json().recovery_codes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = await t.deps.db.query('SELECT code_hash FROM contact_recovery_codes');
    expect(JSON.stringify(stored)).not.toContain(codes[0]);
    expect((await p.get('/api/v1/portal/security')).json()).toMatchObject({
      totp_enabled: true,
      recovery_codes_left: 10,
    });

    // Password alone no longer signs in.
    const anon = client(t.app, domain.domain);
    const first = await anon.post('/api/v1/auth/login', { email: c.email, password: c.password });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ mfa_required: true });
    expect(anon.cookie).toBeNull();
    const mfaToken = first.json().mfa_token;
    const wrong = await anon.post('/api/v1/auth/login/mfa', { mfa_token: mfaToken, code: '123456' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toBe('invalid_code');
    const code = await freshCode(secret, c.contact.id);
    const ok = await anon.post('/api/v1/auth/login/mfa', { mfa_token: mfaToken, code });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await anon.get('/api/v1/me')).statusCode).toBe(200);
    // The token is spent, and the same code does not work twice.
    expect((await anon.post('/api/v1/auth/login/mfa', { mfa_token: mfaToken, code })).json().error).toBe(
      'mfa_expired',
    );
    const again = client(t.app, domain.domain);
    const t2 = (await again.post('/api/v1/auth/login', { email: c.email, password: c.password })).json()
      .mfa_token;
    expect((await again.post('/api/v1/auth/login/mfa', { mfa_token: t2, code })).json().error).toBe(
      'invalid_code',
    );

    // A recovery code works once.
    const rc = codes[0]!;
    expect((await again.post('/api/v1/auth/login/mfa', { mfa_token: t2, code: rc })).statusCode).toBe(200);
    const third = client(t.app, domain.domain);
    const t3 = (await third.post('/api/v1/auth/login', { email: c.email, password: c.password })).json()
      .mfa_token;
    expect((await third.post('/api/v1/auth/login/mfa', { mfa_token: t3, code: rc })).statusCode).toBe(401);
    expect((await p.get('/api/v1/portal/security')).json().recovery_codes_left).toBe(9);

    // Turning it off needs the password and a code.
    expect(
      (
        await p.post('/api/v1/portal/security/totp/disable', {
          password: 'wrong-password',
          code: await freshCode(secret, c.contact.id),
        })
      ).statusCode,
    ).toBe(400);
    const off = await p.post('/api/v1/portal/security/totp/disable', {
      password: c.password,
      code: await freshCode(secret, c.contact.id),
    });
    expect(off.statusCode, off.body).toBe(204);
    const plain = client(t.app, domain.domain);
    const back = await plain.post('/api/v1/auth/login', { email: c.email, password: c.password });
    expect(back.json().user.email).toBe(c.email);
  });

  it('a token allows only a few wrong codes', async () => {
    const c = await buildContact(t, op, companyId, domain.domain);
    await c.login();
    const secret = (await c.portal.post('/api/v1/portal/security/totp/setup')).json().secret;
    await c.portal.post('/api/v1/portal/security/totp/enable', {
      code: await freshCode(secret, c.contact.id),
    });
    const anon = client(t.app, domain.domain);
    const tok = (await anon.post('/api/v1/auth/login', { email: c.email, password: c.password })).json()
      .mfa_token;
    for (let i = 0; i < 5; i++) await anon.post('/api/v1/auth/login/mfa', { mfa_token: tok, code: '000000' });
    const late = await anon.post('/api/v1/auth/login/mfa', {
      mfa_token: tok,
      code: await freshCode(secret, c.contact.id),
    });
    expect(late.json().error).toBe('mfa_expired');
  });
});

describe('IP allow-list', () => {
  it('parses ranges and matches addresses', () => {
    expect(normalizeAllowList(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32'])).toEqual([
      '10.0.0.0/8',
      '192.0.2.7/32',
      '2001:db8::/32',
    ]);
    expect(() => normalizeAllowList(['example.com'])).toThrow(/not an IP/);
    expect(ipAllowed([], '1.2.3.4')).toBe(true);
    expect(ipAllowed(['10.0.0.0/8'], '10.1.2.3')).toBe(true);
    expect(ipAllowed(['10.0.0.0/8'], '::ffff:10.1.2.3')).toBe(true);
    expect(ipAllowed(['10.0.0.0/8'], '11.0.0.1')).toBe(false);
    expect(ipAllowed(['2001:db8::/32'], '2001:db8::1')).toBe(true);
  });

  it('refuses sign-in and every request from other addresses; the contact sees the list', async () => {
    const c = await buildContact(t, op, companyId, domain.domain);
    await c.login();
    const base = `/api/v1/console/companies/${companyId}/contacts/${c.contact.id}`;
    const invalid = await op.console.request('PUT', `${base}/ip-allow`, { cidrs: ['not-an-ip'] });
    expect(invalid.statusCode).toBe(400);
    const set = await op.console.request('PUT', `${base}/ip-allow`, { cidrs: ['203.0.113.0/24'] });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ ip_allow: ['203.0.113.0/24'], totp_enabled: false });
    // The test client comes from 127.0.0.1: its open session stops working, and sign-in is refused.
    expect((await c.portal.get('/api/v1/me')).statusCode).toBe(401);
    const refused = await c.login();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe('ip_not_allowed');
    // From an allowed address.
    const inject = (url: string, method: 'GET' | 'POST', cookie?: string, body?: unknown) =>
      t.app.inject({
        method,
        url,
        remoteAddress: '203.0.113.9',
        headers: {
          host: domain.domain,
          origin: `http://${domain.domain}`,
          ...(cookie ? { cookie: `sid=${cookie}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { payload: JSON.stringify(body) } : {}),
      });
    const login = await inject('/api/v1/auth/login', 'POST', undefined, {
      email: c.email,
      password: c.password,
    });
    expect(login.statusCode, login.body).toBe(200);
    const sid = login.cookies.find((k) => k.name === 'sid')!.value;
    const sec = await inject('/api/v1/portal/security', 'GET', sid);
    expect(sec.json().ip_allow).toEqual(['203.0.113.0/24']);
    await op.console.request('PUT', `${base}/ip-allow`, { cidrs: [] });
    expect((await c.login()).statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('lists the contact’s sessions with the current one marked, revokes one and all others', async () => {
    const c = await buildContact(t, op, companyId, domain.domain);
    await c.login();
    const phone = client(t.app, domain.domain);
    await phone.request(
      'POST',
      '/api/v1/auth/login',
      { email: c.email, password: c.password },
      {
        'user-agent': 'PhoneBrowser/1.0',
      },
    );
    const laptop = client(t.app, domain.domain);
    await laptop.post('/api/v1/auth/login', { email: c.email, password: c.password });
    const list = (await c.portal.get('/api/v1/portal/sessions')).json();
    expect(list.total).toBe(3);
    expect(list.items[0].current).toBe(true);
    expect(list.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const phoneSession = list.items.find((s: { user_agent: string }) => s.user_agent === 'PhoneBrowser/1.0');
    expect(phoneSession).toMatchObject({ ip: '127.0.0.1', opened_by_operator: null });
    expect((await c.portal.del(`/api/v1/portal/sessions/${phoneSession.id}`)).statusCode).toBe(204);
    expect((await phone.get('/api/v1/me')).statusCode).toBe(401);
    expect((await laptop.get('/api/v1/me')).statusCode).toBe(200);
    const others = await c.portal.post('/api/v1/portal/sessions/revoke-others');
    expect(others.json()).toEqual({ revoked: 1 });
    expect((await laptop.get('/api/v1/me')).statusCode).toBe(401);
    expect((await c.portal.get('/api/v1/me')).statusCode).toBe(200);
    // Another contact's session id is not found.
    const d = await buildContact(t, op, companyId, domain.domain);
    await d.login();
    const theirs = (await d.portal.get('/api/v1/portal/sessions')).json().items[0].id;
    expect((await c.portal.del(`/api/v1/portal/sessions/${theirs}`)).statusCode).toBe(404);
    expect((await d.portal.get('/api/v1/me')).statusCode).toBe(200);
  });
});

describe('log in as', () => {
  it('opens an audited portal session with a banner, which cannot change the password or 2FA', async () => {
    const c = await buildContact(t, op, companyId, domain.domain);
    const res = await op.console.post(
      `/api/v1/console/companies/${companyId}/contacts/${c.contact.id}/login-as`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const m = /^http:\/\/([^/:]+):8080\/impersonate#token=(.+)$/.exec(res.json().url);
    expect(m?.[1]).toBe(domain.domain);
    const token = m![2]!;
    // Exchanged on the brand host only, once.
    const elsewhere = client(t.app, (await buildDomain(op)).domain);
    expect((await elsewhere.post('/api/v1/auth/impersonate', { token })).statusCode).toBe(401);
    const portal = client(t.app, domain.domain);
    const ex = await portal.post('/api/v1/auth/impersonate', { token });
    expect(ex.statusCode, ex.body).toBe(200);
    expect((await client(t.app, domain.domain).post('/api/v1/auth/impersonate', { token })).statusCode).toBe(
      401,
    );
    const me = (await portal.get('/api/v1/me')).json();
    expect(me.user.id).toBe(c.contact.id);
    expect(me.impersonator).toBe(op.email);
    expect((await portal.get('/api/v1/portal/security')).json().impersonated).toBe(true);
    const pw = await portal.post('/api/v1/portal/profile/password', {
      current_password: c.password,
      new_password: 'hijacked-password-1',
    });
    expect(pw.statusCode).toBe(403);
    expect(pw.json().error).toBe('impersonation_forbidden');
    expect((await portal.post('/api/v1/portal/security/totp/setup')).statusCode).toBe(403);
    // The contact sees the operator's session in its list.
    await c.login();
    const sessions = (await c.portal.get('/api/v1/portal/sessions')).json().items;
    expect(
      sessions.some((s: { opened_by_operator: string | null }) => s.opened_by_operator === op.email),
    ).toBe(true);
    // Audited with the operator user.
    const audit = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ action: string; actor_label: string; actor_type: string }>(
        "SELECT action, actor_label, actor_type FROM audit_log WHERE entity_id = $1 AND action IN ('contact.log_in_as', 'contact.impersonation_started') ORDER BY at",
        [c.contact.id],
      ),
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['contact.log_in_as', 'contact.impersonation_started']),
    );
    expect(audit.every((a) => a.actor_label === op.email)).toBe(true);
    // Ending it is signing out.
    expect((await portal.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await portal.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('an expired link is refused', async () => {
    const c = await buildContact(t, op, companyId, domain.domain);
    const url = (
      await op.console.post(`/api/v1/console/companies/${companyId}/contacts/${c.contact.id}/login-as`)
    ).json().url as string;
    await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query(
        "UPDATE contact_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'impersonate'",
      ),
    );
    const token = url.split('#token=')[1];
    expect((await client(t.app, domain.domain).post('/api/v1/auth/impersonate', { token })).statusCode).toBe(
      401,
    );
  });
});

describe('mail jobs in the console', () => {
  it('lists failures with the server’s answer and retries them', async () => {
    const refusing = await startSmtpCatcher({
      refuse: (to) => (to.startsWith('bounce') ? 'No such mailbox' : null),
    });
    const d = await buildDomain(op, {
      brand_name: 'Bouncy',
      smtp: { host: '127.0.0.1', port: refusing.port, security: 'none', from: 'noc@bouncy.test' },
    });
    const co = await buildCompany(op, { domain_id: d.id });
    const res = await op.console.post(`/api/v1/console/companies/${co.id}/contacts`, {
      name: 'Bounce',
      email: 'bounce@example.test',
    });
    expect(res.statusCode).toBe(201);
    await runner.drain();
    const failed = (await op.console.get('/api/v1/console/mail-jobs?state=failed')).json();
    expect(failed.counts.failed).toBeGreaterThanOrEqual(1);
    const job = failed.items.find((j: { to: string }) => j.to === 'bounce@example.test');
    expect(job).toMatchObject({ state: 'failed', template: 'invite', attempts: 1, brand_name: 'Bouncy' });
    expect(job.last_error).toMatch(/550/);
    const search = (await op.console.get('/api/v1/console/mail-jobs?q=bounce@')).json();
    expect(search.items.every((j: { to: string }) => j.to.startsWith('bounce'))).toBe(true);
    expect(search.total).toBe(1);

    const retry = await op.console.post(`/api/v1/console/mail-jobs/${job.id}/retry`);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toMatchObject({ state: 'queued', max_attempts: 10 });
    expect(retry.json().next_attempt_at).not.toBeNull();
    await runner.drain();
    const after = (await op.console.get('/api/v1/console/mail-jobs?q=bounce@')).json().items[0];
    expect(after).toMatchObject({ state: 'failed', attempts: 2 });
    const sent = (await op.console.get('/api/v1/console/mail-jobs?state=done')).json().items[0];
    expect((await op.console.post(`/api/v1/console/mail-jobs/${sent.id}/retry`)).json().error).toBe(
      'already_sent',
    );
    await refusing.close();
  });
});
